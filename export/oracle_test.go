package export_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/export"
	"github.com/pcaptool/pcaptool/internal/testenv"
	"github.com/pcaptool/pcaptool/internal/testgen"
	"github.com/pcaptool/pcaptool/synth"
)

// oracleSample is the corpus files the normal test run compares with
// tshark: Ethernet (VLAN, QinQ, TCP, tunnels, IPv6), Linux cooked, BSD
// loopback, raw IPv4 and IPv6, PPP, Cisco HDLC and Solaris ipnet.
// PCAPTOOL_EXPORT_FULL=1 compares every corpus file.
var oracleSample = []string{
	"802.1ad_QinQ.pcap", "mptcp-v0.pcap", "various_gre.pcap", "dns_tcp.pcap", "icmpv6.pcap",
	"forces3.pcap", "resp_1_benchmark.pcap", "quic_vn.pcap", "ikev2four.pcap", "babel_rtt.pcap",
	"ipv6_mobility_1.pcap", "mpls-traceroute.pcap", "HDLC.pcap", "e1000g.pcap", "ip6_frag_asan.pcap",
}

// duckDB runs SQL with the DuckDB engine (npm @duckdb/node-api) and returns
// the rows as maps of column name to DuckDB's text value (nil for NULL).
func duckDB(t testing.TB, sql string) []map[string]any {
	t.Helper()
	node := testenv.RequireTool(t, "node")
	modules := os.Getenv("PCAPTOOL_NODE_MODULES")
	if modules == "" {
		home, _ := os.UserHomeDir()
		modules = filepath.Join(home, ".cache", "pcaptool-node", "node_modules")
	}
	if _, err := os.Stat(filepath.Join(modules, "@duckdb", "node-api")); err != nil {
		msg := fmt.Sprintf("DuckDB (npm @duckdb/node-api) not installed in %s: scripts/test.sh installs it", modules)
		if testenv.Required() {
			t.Fatal(msg + " (PCAPTOOL_REQUIRE_ORACLES=1)")
		}
		t.Skip(msg)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(node, filepath.Join("testdata", "duckdb_query.cjs"), modules, sql)
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("duckdb: %v: %s", err, stderr.String())
	}
	var rows []map[string]any
	for _, line := range bytes.Split(bytes.TrimSpace(out), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("duckdb output %q: %v", line, err)
		}
		rows = append(rows, m)
	}
	return rows
}

// tsharkFields are the tshark fields compared, in the order of its output.
var tsharkFields = []string{
	"frame.number", "frame.time_epoch", "frame.cap_len", "frame.len",
	"eth.src", "eth.dst", "eth.type", "ieee8021ad.id", "vlan.id", "vlan.etype", "vlan.len", "sll.etype",
	"ip.src", "ip.dst", "ip.ttl", "ip.proto", "ip.flags.mf", "ip.frag_offset",
	"ipv6.src", "ipv6.dst", "ipv6.hlim", "ipv6.nxt", "ipv6.fraghdr.nxt",
	"tcp.srcport", "tcp.dstport", "tcp.flags", "tcp.seq_raw", "tcp.ack_raw", "tcp.window_size_value", "tcp.len",
	"udp.srcport", "udp.dstport", "udp.length",
}

// tsharkRows returns tshark's fields per frame, each a list of its
// occurrences, with reassembly off so that every value is the frame's own.
func tsharkRows(t testing.TB, name string) []map[string][]string {
	t.Helper()
	tshark := testenv.RequireTool(t, "tshark")
	args := []string{"-r", name, "-n", "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE",
		"-o", "tcp.desegment_tcp_streams:FALSE", "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=;"}
	for _, f := range tsharkFields {
		args = append(args, "-e", f)
	}
	out, err := exec.Command(tshark, args...).Output()
	if err != nil {
		t.Fatalf("tshark %s: %v", name, err)
	}
	var rows []map[string][]string
	for _, line := range strings.Split(strings.TrimRight(string(out), "\n"), "\n") {
		if line == "" {
			continue
		}
		cols := strings.Split(line, "\t")
		m := map[string][]string{}
		for i, f := range tsharkFields {
			if i < len(cols) && cols[i] != "" {
				m[f] = strings.Split(cols[i], ";")
			}
		}
		rows = append(rows, m)
	}
	return rows
}

// exportForOracle exports files into one Parquet file, as pcaptool export
// does, and returns its name and the files exported: those the reader
// rejects as damaged are left out (export fails on them, as it should).
func exportForOracle(t testing.TB, dir string, files []string) (string, []string) {
	t.Helper()
	out := filepath.Join(dir, "oracle.parquet")
	e, err := export.Create(out, export.Options{RowGroupRows: 4096})
	if err != nil {
		t.Fatal(err)
	}
	var good []string
	for _, f := range files {
		if err := readAll(f); err != nil {
			t.Logf("left out: %v", err)
			continue
		}
		r, err := capfile.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.AddCapture(f, r); err != nil {
			t.Fatal(err)
		}
		r.Close()
		good = append(good, f)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	return out, good
}

func readAll(name string) error {
	r, err := capfile.Open(name)
	if err != nil {
		return err
	}
	defer r.Close()
	for {
		if _, err := r.ReadPacket(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

const oracleQuery = `SELECT file, number, ts_ns::VARCHAR AS ts_ns, epoch_us(ts)::VARCHAR AS ts_us, link_type, caplen, len,
 eth_src, eth_dst, ethertype, array_to_string(vlan, ';') AS vlan, ip_version, ip_src, ip_dst, ttl, ip_proto, frag,
 src_port, dst_port, tcp_flags, tcp_seq::VARCHAR AS tcp_seq, tcp_ack::VARCHAR AS tcp_ack, tcp_window, payload_len
 FROM read_parquet('%s') ORDER BY file, number`

// mismatch collects differences per column.
type mismatch struct {
	t      testing.TB
	counts map[string]int
	shown  int
}

func (m *mismatch) add(file string, number int, col string, ours, theirs any) {
	m.counts[col]++
	if m.shown < 40 {
		m.shown++
		m.t.Errorf("%s #%d %s: export %v, tshark %v", filepath.Base(file), number, col, ours, theirs)
	}
}

func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

func last(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[len(v)-1]
}

// compareRow checks one exported row (as DuckDB read it) against tshark's
// fields for the same frame.
func compareRow(m *mismatch, ours map[string]any, theirs map[string][]string) {
	file := str(ours["file"])
	number, _ := strconv.Atoi(str(ours["number"]))
	check := func(col string, o any, th string) {
		if str(o) != th {
			m.add(file, number, col, str(o), th)
		}
	}
	sec, frac, _ := strings.Cut(first(theirs["frame.time_epoch"]), ".")
	frac = (frac + "000000000")[:9]
	check("ts_ns", strings.TrimLeft(sec+frac, "0"), strings.TrimLeft(str(ours["ts_ns"]), "0"))
	if ns, _ := strconv.ParseInt(str(ours["ts_ns"]), 10, 64); str(ours["ts_us"]) != strconv.FormatInt(floorDiv(ns, 1000), 10) {
		m.add(file, number, "ts", ours["ts_us"], ns)
	}
	check("caplen", ours["caplen"], first(theirs["frame.cap_len"]))
	check("len", ours["len"], first(theirs["frame.len"]))
	if str(ours["link_type"]) == "1" && len(theirs["eth.src"]) == 1 {
		check("eth_src", ours["eth_src"], first(theirs["eth.src"]))
		check("eth_dst", ours["eth_dst"], first(theirs["eth.dst"]))
		check("vlan", ours["vlan"], strings.Join(append(theirs["ieee8021ad.id"], theirs["vlan.id"]...), ";"))
		etype := first(theirs["eth.type"])
		if v := theirs["vlan.etype"]; len(v) > 0 {
			etype = last(v)
		}
		if len(theirs["vlan.len"]) > 0 { // 802.3 frame inside the tags: a length, no type
			etype = ""
		}
		check("ethertype", ours["ethertype"], hexToDec(etype))
	}
	if e := theirs["sll.etype"]; len(e) == 1 && str(ours["link_type"]) == "113" {
		check("ethertype", ours["ethertype"], hexToDec(e[0]))
	}
	src, dst, ttl := append(theirs["ip.src"], theirs["ipv6.src"]...), append(theirs["ip.dst"], theirs["ipv6.dst"]...), append(theirs["ip.ttl"], theirs["ipv6.hlim"]...)
	switch {
	case len(src) == 0:
		check("ip_src", ours["ip_src"], "")
		return
	case len(src) > 1:
		// A tunnel or an ICMP error quoting a packet: the export has the
		// innermost IP header it decodes, which is one of tshark's.
		if s := str(ours["ip_src"]); s != src[0] && s != last(src) {
			m.add(file, number, "ip_src (one of)", s, src)
		}
		return
	}
	check("ip_src", ours["ip_src"], src[0])
	check("ip_dst", ours["ip_dst"], dst[0])
	check("ttl", ours["ttl"], first(ttl))
	frag := first(theirs["ip.flags.mf"]) == "1" || first(theirs["ip.frag_offset"]) != "" && first(theirs["ip.frag_offset"]) != "0" ||
		len(theirs["ipv6.fraghdr.nxt"]) > 0 || last(theirs["ipv6.nxt"]) == "44" // a Fragment header, even cut off by the snap length
	if ours["frag"] == true || frag {
		check("frag", ours["frag"], strconv.FormatBool(frag))
		return
	}
	if p := first(theirs["tcp.srcport"]); p != "" && len(theirs["tcp.srcport"]) == 1 {
		check("src_port", ours["src_port"], p)
		check("dst_port", ours["dst_port"], first(theirs["tcp.dstport"]))
		check("tcp_flags", ours["tcp_flags"], hexToDec(first(theirs["tcp.flags"])))
		check("tcp_seq", ours["tcp_seq"], first(theirs["tcp.seq_raw"]))
		if a := first(theirs["tcp.ack_raw"]); a != "" {
			check("tcp_ack", ours["tcp_ack"], a)
		}
		check("tcp_window", ours["tcp_window"], first(theirs["tcp.window_size_value"]))
		check("payload_len", ours["payload_len"], first(theirs["tcp.len"]))
	} else if p := first(theirs["udp.srcport"]); p != "" && len(theirs["udp.srcport"]) == 1 {
		check("src_port", ours["src_port"], p)
		check("dst_port", ours["dst_port"], first(theirs["udp.dstport"]))
		n, _ := strconv.Atoi(first(theirs["udp.length"]))
		check("payload_len", ours["payload_len"], strconv.Itoa(n-8))
	} else if ours["src_port"] != nil && len(theirs["tcp.srcport"])+len(theirs["udp.srcport"]) == 0 {
		check("src_port", ours["src_port"], "")
	}
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

func hexToDec(s string) string {
	if s == "" {
		return ""
	}
	v, err := strconv.ParseUint(strings.TrimPrefix(s, "0x"), 16, 64)
	if err != nil {
		return s
	}
	return strconv.FormatUint(v, 10)
}

// compareWithTshark exports files, reads them back through DuckDB and
// compares every row with tshark's fields for the frame.
func compareWithTshark(t *testing.T, files []string) {
	testenv.RequireTool(t, "tshark")
	out, files := exportForOracle(t, t.TempDir(), files)
	rows := duckDB(t, fmt.Sprintf(oracleQuery, out))
	byFile := map[string][]map[string]any{}
	for _, r := range rows {
		byFile[str(r["file"])] = append(byFile[str(r["file"])], r)
	}
	m := &mismatch{t: t, counts: map[string]int{}}
	total := 0
	for _, f := range files {
		theirs := tsharkRows(t, f)
		ours := byFile[f]
		if len(ours) != len(theirs) {
			t.Errorf("%s: %d rows, tshark %d frames", f, len(ours), len(theirs))
			continue
		}
		for i := range ours {
			compareRow(m, ours[i], theirs[i])
		}
		total += len(ours)
	}
	t.Logf("%d files, %d rows compared with tshark; mismatches per column: %v", len(files), total, m.counts)
}

func TestCorpusAgainstTshark(t *testing.T) {
	dir := testenv.CorpusDir(t, "tcpdump")
	var files []string
	if os.Getenv("PCAPTOOL_EXPORT_FULL") == "1" {
		files = testenv.CorpusFiles(t, "tcpdump")
	} else {
		for _, f := range oracleSample {
			files = append(files, filepath.Join(dir, f))
		}
	}
	compareWithTshark(t, files)
}

func TestGeneratedAgainstTshark(t *testing.T) {
	testenv.RequireTool(t, "tshark")
	name := filepath.Join(t.TempDir(), "gen.pcapng")
	testgen.Write(t, name, capfile.WriterOptions{}, synth.Config{Packets: 5000, Seed: 3, Disorder: 5})
	compareWithTshark(t, []string{name})
}

// TestDuckDBPartitionedTable reads a partitioned export as one table, with
// the partition columns, and checks that DuckDB prunes by them.
func TestDuckDBPartitionedTable(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "table")
	src := generated(t, 3000)
	for i := range src.list {
		src.list[i].Timestamp = src.list[0].Timestamp.Add(time.Duration(i) * 2 * time.Hour / 3000)
	}
	exportFile(t, dir, export.Options{Partition: export.ByHour, MaxRowsPerFile: 1000}, src)
	rows := duckDB(t, fmt.Sprintf(`SELECT date, hour, count(*) AS n, count(DISTINCT file) AS files, min(number) AS lo, max(number) AS hi
		FROM read_parquet('%s/**/*.parquet', hive_partitioning = true) GROUP BY ALL ORDER BY ALL`, dir))
	var n int
	for _, r := range rows {
		c, _ := strconv.Atoi(str(r["n"]))
		n += c
		if r["date"] != "2024-01-01" {
			t.Errorf("partition %v", r)
		}
	}
	if n != len(src.list) || len(rows) != 2 {
		t.Errorf("DuckDB sees %v rows in %d partitions, want %d in 2: %v", n, len(rows), len(src.list), rows)
	}
	stats := duckDB(t, fmt.Sprintf(`SELECT count(*) AS groups, count(stats_min_value) AS with_stats
		FROM parquet_metadata('%s/**/*.parquet') WHERE path_in_schema = 'ts'`, dir))
	if stats[0]["groups"] != stats[0]["with_stats"] {
		t.Errorf("row groups without ts statistics: %v", stats)
	}
}
