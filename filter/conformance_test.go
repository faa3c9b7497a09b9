package filter

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/pcaptool/pcaptool/internal/testenv"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pcap"
)

// The conformance tests compile every expression of a list for every
// link type found in ../shared/corpus (plus LINUX_SLL2 and LOOP, made
// from LINUX_SLL and NULL packets) and compare with libpcap: whether
// tcpdump -y accepts the pair, which packets tcpdump -r keeps, and the
// length of tcpdump -d's program. CI runs a deterministic sample;
// PCAPTOOL_FILTER_FULL=1 runs every pair, and PCAPTOOL_FILTER_TABLE=FILE
// writes the per-link-type counts as a Markdown table
// (scripts/filter-conformance.sh).

// readExpressionList reads one expression per line, skipping blank lines
// and # comments.
func readExpressionList(t testing.TB, name string) []string {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "conformance", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out
}

var (
	corpusCapturesOnce sync.Once
	corpusCaptures     []*capture
)

// corpusLinkTypeCaptures builds one capture per link type of the corpus's
// pcap files: up to 24 packets of each file, 400 in all, from the files
// whose byte order is that of the first one (DLT_NULL depends on it).
func corpusLinkTypeCaptures(t *testing.T) []*capture {
	dir := testenv.CorpusDir(t, "tcpdump")
	corpusCapturesOnce.Do(func() {
		files, _ := filepath.Glob(filepath.Join(dir, "*.pcap"))
		sort.Strings(files)
		byLT := map[linktype.LinkType]*capture{}
		var order []linktype.LinkType
		for _, f := range files {
			fh, err := os.Open(f)
			if err != nil {
				continue
			}
			r, err := pcap.NewReader(fh)
			if err != nil {
				fh.Close()
				continue
			}
			h := r.Header()
			c := byLT[h.LinkType]
			if c == nil {
				c = &capture{name: strings.ToLower(h.LinkType.Name()), lt: h.LinkType, order: h.ByteOrder}
				byLT[h.LinkType] = c
				order = append(order, h.LinkType)
			}
			for n := 0; n < 24 && len(c.pkts) < 400 && c.order == h.ByteOrder; n++ {
				rec, err := r.ReadPacket()
				if err != nil {
					break
				}
				c.pkts = append(c.pkts, packet{ts: rec.Timestamp, orig: rec.Length, data: bytes.Clone(rec.Data)})
			}
			fh.Close()
		}
		if sll := byLT[linktype.LinuxSLL]; sll != nil {
			byLT[linktype.LinuxSLL2] = &capture{name: "linux_sll2", lt: linktype.LinuxSLL2, order: binary.LittleEndian,
				pkts: sllToSLL2(sll.pkts)}
			order = append(order, linktype.LinuxSLL2)
		}
		if null := byLT[linktype.Null]; null != nil && null.order == binary.LittleEndian {
			byLT[linktype.Loop] = &capture{name: "loop", lt: linktype.Loop, order: binary.LittleEndian,
				pkts: swapAF(null.pkts, false)}
			order = append(order, linktype.Loop)
		}
		tmp, err := os.MkdirTemp("", "filter-conformance")
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(order)
		for _, lt := range order {
			c := byLT[lt]
			if len(c.pkts) == 0 {
				continue
			}
			writeCapture(t, tmp, c)
			c.pkts = readFilePackets(t, c.path)
			corpusCaptures = append(corpusCaptures, c)
		}
	})
	if len(corpusCaptures) == 0 {
		t.Fatal("no corpus captures could be built")
	}
	return corpusCaptures
}

// conformanceRow counts the outcomes for one link type.
type conformanceRow struct {
	lt                        linktype.LinkType
	pairs                     int
	theirAccept, ourAccept    int // of the pairs libpcap accepts, how many we compile
	agreeVerdict              int // of those, how many keep the same packets
	theirReject, ourReject    int // of the pairs libpcap rejects, how many we reject
	ourLen, theirLen          int
	acceptOnlyUs, rejectOnlyU []string
	wrongVerdict              []string
}

// sampled reports whether pair (lt, expr) is in CI's deterministic
// sample of about one pair in n.
func sampled(lt linktype.LinkType, expr string, n uint32) bool {
	h := fnv.New32a()
	fmt.Fprintf(h, "%d/%s", lt, expr)
	return h.Sum32()%n == 0
}

// tcpdumpLength returns the length of tcpdump -y LT -d EXPR's program,
// 0 when tcpdump rejects the pair.
func tcpdumpLength(lt linktype.LinkType, expr string) int {
	out, err := exec.Command("tcpdump", "-y", lt.Name(), "-d", "--", expr).Output()
	if err != nil {
		return 0
	}
	return bytes.Count(out, []byte("\n"))
}

// runConformance compares every sampled pair of the list and returns the
// rows per link type.
func runConformance(t *testing.T, list string, sampleEvery uint32) []*conformanceRow {
	testenv.RequireTool(t, "tcpdump")
	caps := corpusLinkTypeCaptures(t)
	exprs := readExpressionList(t, list)
	if os.Getenv("PCAPTOOL_FILTER_FULL") == "1" {
		sampleEvery = 1
	}
	if n, err := strconv.Atoi(os.Getenv("PCAPTOOL_FILTER_SAMPLE")); err == nil && n > 0 {
		sampleEvery = uint32(n) // one pair in n, for a quicker full-coverage estimate
	}
	type job struct {
		c    *capture
		expr string
		row  *conformanceRow
	}
	var jobs []job
	var rows []*conformanceRow
	only := os.Getenv("PCAPTOOL_FILTER_LT") // comma-separated link type names, for development
	for _, c := range caps {
		if only != "" && !slices.Contains(strings.Split(only, ","), c.lt.Name()) {
			continue
		}
		row := &conformanceRow{lt: c.lt}
		rows = append(rows, row)
		for _, e := range exprs {
			if sampleEvery <= 1 || sampled(c.lt, e, sampleEvery) {
				jobs = append(jobs, job{c, e, row})
			}
		}
	}
	results := make([]oracleResult, len(jobs))
	lengths := make([][2]int, len(jobs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				j := jobs[i]
				results[i] = runOracle(t, j.c, j.expr)
				if strings.HasSuffix(results[i].theirs, "packets") {
					prog, err := CompileOptions(j.expr, j.c.lt, Options{NullByteOrder: j.c.order})
					if err == nil {
						lengths[i] = [2]int{len(prog), cachedTcpdumpLength(j.c, j.expr)}
					}
				}
			}
		}()
	}
	for i := range jobs {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, r := range results {
		row := jobs[i].row
		row.pairs++
		theyAccept := !strings.HasPrefix(r.theirs, "rejects")
		weAccept := !strings.HasPrefix(r.ours, "rejects")
		switch {
		case theyAccept:
			row.theirAccept++
			if weAccept {
				row.ourAccept++
				if r.agree {
					row.agreeVerdict++
					row.ourLen += lengths[i][0]
					row.theirLen += lengths[i][1]
				} else {
					row.wrongVerdict = append(row.wrongVerdict, fmt.Sprintf("%q: tcpdump %s, pcaptool %s", r.expr, r.theirs, r.ours))
				}
			} else {
				row.rejectOnlyU = append(row.rejectOnlyU, fmt.Sprintf("%q: %s", r.expr, r.ours))
			}
		default:
			row.theirReject++
			if weAccept {
				row.acceptOnlyUs = append(row.acceptOnlyUs, fmt.Sprintf("%q (tcpdump: %s)", r.expr, r.theirs))
			} else {
				row.ourReject++
			}
		}
	}
	return rows
}

// conformanceTable renders rows as the README's Markdown table.
func conformanceTable(rows []*conformanceRow) string {
	var b strings.Builder
	b.WriteString("| link type | pairs | libpcap accepts | pcaptool compiles | same packets | libpcap rejects | pcaptool rejects | program length vs tcpdump -d |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|\n")
	var tot conformanceRow
	for _, r := range rows {
		ratio := "–"
		if r.theirLen > 0 {
			ratio = fmt.Sprintf("%.2f×", float64(r.ourLen)/float64(r.theirLen))
		}
		fmt.Fprintf(&b, "| %s (%d) | %d | %d | %d | %d | %d | %d | %s |\n", r.lt.Name(), uint16(r.lt), r.pairs,
			r.theirAccept, r.ourAccept, r.agreeVerdict, r.theirReject, r.ourReject, ratio)
		tot.pairs += r.pairs
		tot.theirAccept += r.theirAccept
		tot.ourAccept += r.ourAccept
		tot.agreeVerdict += r.agreeVerdict
		tot.theirReject += r.theirReject
		tot.ourReject += r.ourReject
		tot.ourLen += r.ourLen
		tot.theirLen += r.theirLen
	}
	ratio := "–"
	if tot.theirLen > 0 {
		ratio = fmt.Sprintf("%.2f×", float64(tot.ourLen)/float64(tot.theirLen))
	}
	fmt.Fprintf(&b, "| **all** | %d | %d | %d | %d | %d | %d | %s |\n", tot.pairs, tot.theirAccept, tot.ourAccept,
		tot.agreeVerdict, tot.theirReject, tot.ourReject, ratio)
	return b.String()
}

// reportConformance logs the table, writes it where PCAPTOOL_FILTER_TABLE
// says, and fails for every disagreement; minAccept is the share of
// libpcap-accepted pairs that must compile.
func reportConformance(t *testing.T, rows []*conformanceRow, minAccept float64) {
	table := conformanceTable(rows)
	t.Logf("\n%s", table)
	if path := os.Getenv("PCAPTOOL_FILTER_TABLE"); path != "" {
		if err := os.WriteFile(path, []byte(table), 0o644); err != nil {
			t.Error(err)
		}
	}
	accepted, compiled, ours, theirs := 0, 0, 0, 0
	for _, r := range rows {
		accepted += r.theirAccept
		compiled += r.ourAccept
		ours += r.ourLen
		theirs += r.theirLen
		for _, s := range r.wrongVerdict {
			t.Errorf("%s: %s", r.lt.Name(), s)
		}
		for _, s := range r.acceptOnlyUs {
			t.Errorf("%s: libpcap rejects, pcaptool accepts %s", r.lt.Name(), s)
		}
		for _, s := range r.rejectOnlyU {
			if minAccept >= 1 {
				t.Errorf("%s: libpcap accepts, pcaptool rejects %s", r.lt.Name(), s)
			} else {
				t.Logf("%s: libpcap accepts, pcaptool rejects %s", r.lt.Name(), s)
			}
		}
	}
	if accepted > 0 && float64(compiled) < minAccept*float64(accepted) {
		t.Errorf("pcaptool compiles %d of the %d pairs libpcap accepts (%.1f %%), want at least %.0f %%",
			compiled, accepted, 100*float64(compiled)/float64(accepted), 100*minAccept)
	}
	if theirs > 0 && float64(ours) > 1.25*float64(theirs) {
		t.Errorf("programs are %.2f times as long as tcpdump -d's, want at most 1.25", float64(ours)/float64(theirs))
	}
}

// TestConformanceDev compares the development list with libpcap on every
// corpus link type.
func TestConformanceDev(t *testing.T) {
	testenv.RequireLong(t)
	rows := runConformance(t, "dev.txt", 40)
	reportConformance(t, rows, 1)
}

// TestConformanceIndependent compares the independent list, written
// apart from the development one, with libpcap: at least 99 % of the
// pairs libpcap accepts must compile, and every verdict and rejection
// must agree.
func TestConformanceIndependent(t *testing.T) {
	testenv.RequireLong(t)
	rows := runConformance(t, "independent.txt", 40)
	reportConformance(t, rows, 0.99)
}

// TestGeneveOracle compares Geneve expressions with tcpdump on the
// corpus's Geneve captures, whose inner frames the sampled captures of
// TestConformanceDev may not reach.
func TestGeneveOracle(t *testing.T) {
	testenv.RequireTool(t, "tcpdump")
	dir := testenv.CorpusDir(t, "tcpdump")
	exprs := []string{"geneve", "geneve 0xb", "geneve 10", "geneve and ip", "geneve and tcp", "geneve and icmp",
		"geneve and ip6", "not geneve", "geneve and ether multicast", "geneve and ether src 00:00:00:00:00:01",
		"geneve and ip[9] = 1", "geneve and host 20.0.0.2", "geneve and arp", "geneve and vlan", "geneve and udp port 53"}
	for _, name := range []string{"geneve.pcap", "geneve-gcp.pcap", "bigtcp-ipv6-geneve-ipv6.pcap", "bigtcp-ipv4-geneve-ipv4.pcap"} {
		path := filepath.Join(dir, name)
		if _, err := os.Stat(path); err != nil {
			t.Logf("%s: %v", name, err)
			continue
		}
		c := &capture{name: name, lt: linktype.Ethernet, path: path, pkts: readFilePackets(t, path)}
		for _, e := range exprs {
			if r := runOracle(t, c, e); !r.agree {
				t.Errorf("%s: %q: tcpdump %s, pcaptool %s", name, e, r.theirs, r.ours)
			}
		}
	}
}
