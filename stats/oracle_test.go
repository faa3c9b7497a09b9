package stats

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/internal/testenv"
	"github.com/pcaptool/pcaptool/internal/testgen"
	"github.com/pcaptool/pcaptool/synth"
)

// writeSynth writes generated traffic to a pcapng file in dir.
func writeSynth(t testing.TB, dir string, cfg synth.Config) string {
	t.Helper()
	name := filepath.Join(dir, fmt.Sprintf("synth-%d-%d.pcapng", cfg.Packets, cfg.Seed))
	testgen.Write(t, name, capfile.WriterOptions{Format: capfile.Pcapng}, cfg)
	return name
}

func runTshark(t testing.TB, tshark, file string, z ...string) string {
	t.Helper()
	args := []string{"-n", "-q", "-r", file}
	for _, s := range z {
		args = append(args, "-z", s)
	}
	cmd := exec.Command(tshark, args...)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		if strings.Contains(stderr.String(), "doesn't support") {
			t.Skipf("tshark cannot read %s", filepath.Base(file))
		}
		t.Fatalf("tshark %v: %v\n%s", args, err, stderr.String())
	}
	return out.String()
}

func collect(t testing.TB, file string, cs ...Collector) {
	t.Helper()
	r, err := capfile.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := Run(r, cs...); err != nil {
		t.Fatal(err)
	}
}

// tsharkIORows parses the rows of tshark's io,stat table: per row the
// numbers after the interval, frames and bytes per column.
func tsharkIORows(out string) [][]uint64 {
	var rows [][]uint64
	for _, line := range strings.Split(out, "\n") {
		if !strings.HasPrefix(line, "|") || !strings.Contains(line, "<>") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		var row []uint64
		for _, c := range cells[1:] {
			v, err := strconv.ParseUint(strings.TrimSpace(c), 10, 64)
			if err == nil {
				row = append(row, v)
			}
		}
		rows = append(rows, row)
	}
	return rows
}

// compareIO checks our io,stat rows against tshark's for one interval and
// filter set (displayFilters are the same filters in tshark's syntax).
func compareIO(t *testing.T, tshark, file string, interval time.Duration, filters, displayFilters []string) {
	t.Helper()
	s, err := NewIO(IOOptions{Interval: interval, Filters: filters})
	if err != nil {
		t.Fatal(err)
	}
	collect(t, file, s)
	z := "io,stat," + strconv.FormatFloat(interval.Seconds(), 'f', -1, 64)
	for _, f := range displayFilters {
		z += "," + f
	}
	// MIN/MAX/AVG of frame.len for all frames, to check those too
	// when there are no filters.
	if len(filters) == 0 {
		z += ",,MIN(frame.len)frame.len,MAX(frame.len)frame.len,AVG(frame.len)frame.len"
	}
	want := tsharkIORows(runTshark(t, tshark, file, z))
	var got [][]uint64
	s.Intervals(func(iv *Interval) bool {
		var row []uint64
		for _, c := range iv.Cells {
			row = append(row, c.Frames, c.Bytes)
		}
		if len(filters) == 0 {
			c := iv.Cells[0]
			row = append(row, c.MinLen, c.MaxLen, c.AvgLen())
		}
		got = append(got, row)
		return true
	})
	// tshark leaves out a last packet that falls exactly on an interval
	// boundary; we add a row for it (see the package documentation).
	if len(got) == len(want)+1 {
		got = got[:len(want)]
	}
	if len(got) != len(want) {
		t.Fatalf("%s %s: %d rows, tshark %d", filepath.Base(file), z, len(got), len(want))
	}
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Fatalf("%s %s: row %d: got %v, tshark %v", filepath.Base(file), z, i, got[i], want[i])
		}
	}
}

// formatSize formats a byte count as tshark 4's conversation tables do.
func formatSize(n uint64) string {
	for _, u := range []struct {
		div    uint64
		prefix string
	}{{1e15, "P"}, {1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if n/u.div >= 10 {
			return strconv.FormatUint(n/u.div, 10) + " " + u.prefix + "B"
		}
	}
	return strconv.FormatUint(n, 10) + " bytes"
}

var convLine = regexp.MustCompile(`^(\S+)\s+<-> (\S+)\s+(\d+) (\d+ \S*bytes|\d+ \S+)\s+(\d+) (\d+ \S*bytes|\d+ \S+)\s+(\d+) (\d+ \S*bytes|\d+ \S+)\s+(\S+)\s+(\S+)$`)

// tsharkConvs parses tshark's conversation table into one canonical line
// per conversation.
func tsharkConvs(t testing.TB, out string) []string {
	var rows []string
	for _, line := range strings.Split(out, "\n") {
		if !strings.Contains(line, "<->") {
			continue
		}
		m := convLine.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			t.Fatalf("unparsed tshark line %q", line)
		}
		rows = append(rows, strings.Join([]string{m[1], m[2], m[5], m[6], m[3], m[4], m[7], m[8], m[9], m[10]}, " "))
	}
	slices.Sort(rows)
	return rows
}

func ourConvs(convs []Conversation) []string {
	var rows []string
	for _, c := range convs {
		rows = append(rows, strings.Join([]string{c.A.String(), c.B.String(),
			u(c.FramesAB), formatSize(c.BytesAB), u(c.FramesBA), formatSize(c.BytesBA),
			u(c.Frames()), formatSize(c.Bytes()), relStart(c.Start), duration(c.Start, c.Duration)}, " "))
	}
	slices.Sort(rows)
	return rows
}

// tsharkEndpoints parses tshark's endpoint table.
func tsharkEndpoints(out string, ports bool) []string {
	var rows []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		n := 7
		if ports {
			n = 8
		}
		if len(f) != n || strings.HasPrefix(f[0], "|") || strings.HasPrefix(f[0], "=") {
			continue
		}
		if _, err := strconv.Atoi(f[n-1]); err != nil {
			continue
		}
		if ports {
			f[0] += ":" + f[1]
			f = append(f[:1], f[2:]...)
		}
		rows = append(rows, strings.Join(f, " "))
	}
	slices.Sort(rows)
	return rows
}

func ourEndpoints(eps []EndpointStats) []string {
	var rows []string
	for _, e := range eps {
		rows = append(rows, strings.Join([]string{e.String(), u(e.Frames()), u(e.Bytes()), u(e.TxFrames), u(e.TxBytes), u(e.RxFrames), u(e.RxBytes)}, " "))
	}
	slices.Sort(rows)
	return rows
}

// diffRows reports the rows only one side has.
func diffRows(got, want []string) (onlyGot, onlyWant []string) {
	for _, g := range got {
		if _, ok := slices.BinarySearch(want, g); !ok {
			onlyGot = append(onlyGot, g)
		}
	}
	for _, w := range want {
		if _, ok := slices.BinarySearch(got, w); !ok {
			onlyWant = append(onlyWant, w)
		}
	}
	return onlyGot, onlyWant
}

// knownDifferences are the tables where tshark and we disagree on purpose
// or where tshark's dissection fails (see doc.go), by file and title.
var knownDifferences = map[string]string{
	"ipv6_mobility_1.pcap IPv6 Conversations": "tshark 4.0 lists no IPv6 conversation for packets carrying only a Mobility header (next header 135)",
	"DTP.pcap Ethernet Conversations":         "Cisco ISL frames: tshark counts the encapsulated Ethernet header as well",
	"DTP.pcap Ethernet Endpoints":             "Cisco ISL frames: tshark counts the encapsulated Ethernet header as well",
	"beep-oobr.pcap TCP Conversations":        "a malformed packet (bogus IPv6 version) that tshark dissects but counts in no table",
	"beep-oobr.pcap TCP Endpoints":            "a malformed packet (bogus IPv6 version) that tshark dissects but counts in no table",
	"ipv6_mobility_1.pcap IPv6 Endpoints":     "tshark 4.0 lists no IPv6 endpoint for packets carrying only a Mobility header (next header 135)",
}

var kinds = []Kind{Ethernet, IPv4, IPv6, TCP, UDP}

// compareTables checks every conversation and endpoint table of file
// against tshark's; it returns the number of tables that differ.
func compareTables(t *testing.T, tshark, file string, fatal bool) (tables, differ int) {
	t.Helper()
	var z []string
	ts := make([]*Tables, len(kinds))
	cs := make([]Collector, len(kinds))
	for i, k := range kinds {
		ts[i] = NewTables(k)
		cs[i] = ts[i]
		z = append(z, "conv,"+k.String(), "endpoints,"+k.String())
	}
	collect(t, file, cs...)
	out := runTshark(t, tshark, file, z...)
	// tshark prints the tables in reverse order of the -z options, each
	// between lines of '='.
	sections := splitSections(out)
	report := t.Errorf
	if fatal {
		report = t.Fatalf
	}
	for i, k := range kinds {
		for _, conv := range []bool{true, false} {
			title := k.Title() + " Conversations"
			if !conv {
				title = k.Title() + " Endpoints"
			}
			sec, ok := sections[title]
			if !ok {
				report("%s: no %q table in tshark's output", file, title)
				continue
			}
			var got, want []string
			if conv {
				got, want = ourConvs(ts[i].Conversations(ByPackets, 0)), tsharkConvs(t, sec)
			} else {
				got, want = ourEndpoints(ts[i].Endpoints(ByPackets, 0)), tsharkEndpoints(sec, k.HasPorts())
			}
			tables++
			if reason, ok := knownDifferences[filepath.Base(file)+" "+title]; ok {
				t.Logf("%s: %s: not compared: %s", filepath.Base(file), title, reason)
				continue
			}
			if og, ow := diffRows(got, want); len(og)+len(ow) > 0 {
				differ++
				report("%s: %s: %d rows, tshark %d; only ours: %q; only tshark's: %q", filepath.Base(file), title, len(got), len(want), og[:min(3, len(og))], ow[:min(3, len(ow))])
			}
		}
	}
	return tables, differ
}

func splitSections(out string) map[string]string {
	m := map[string]string{}
	parts := strings.Split(out, "================================================================================\n")
	for _, p := range parts {
		title, _, ok := strings.Cut(p, "\n")
		if ok {
			m[strings.TrimSpace(title)] = p
		}
	}
	return m
}

func TestIOMatchesTsharkOnGeneratedTraffic(t *testing.T) {
	tshark := testenv.RequireTool(t, "tshark")
	dir := t.TempDir()
	file := writeSynth(t, dir, synth.Config{Packets: 5000, Seed: 7, MeanGap: 300 * time.Microsecond})
	for _, tc := range []struct {
		interval time.Duration
		filters  []string
		display  []string
	}{
		{time.Second, nil, nil},
		{100 * time.Millisecond, nil, nil},
		{300 * time.Millisecond, []string{"tcp", "udp"}, []string{"tcp", "udp"}},
		{10 * time.Millisecond, []string{"ip6", "tcp port 443", "udp and greater 1000"}, []string{"ipv6", "tcp.port==443", "udp && frame.len>=1000"}},
		{time.Microsecond * 777, []string{"ip"}, []string{"ip"}},
	} {
		t.Run(fmt.Sprintf("%v-%d-filters", tc.interval, len(tc.filters)), func(t *testing.T) {
			compareIO(t, tshark, file, tc.interval, tc.filters, tc.display)
		})
	}
}

func TestTablesMatchTsharkOnGeneratedTraffic(t *testing.T) {
	tshark := testenv.RequireTool(t, "tshark")
	file := writeSynth(t, t.TempDir(), synth.Config{Packets: 4000, Seed: 3, Flows: 64})
	compareTables(t, tshark, file, false)
}

// corpusSample picks every 80th capture of the tcpdump corpus (all of them
// with PCAPTOOL_STATS_CORPUS=all, or those named, comma-separated).
func corpusSample(t *testing.T) []string {
	files := testenv.CorpusFiles(t, "tcpdump")
	switch sel := os.Getenv("PCAPTOOL_STATS_CORPUS"); sel {
	case "all":
		return files
	case "":
	default: // a comma-separated list of base names
		var out []string
		for _, f := range files {
			if slices.Contains(strings.Split(sel, ","), filepath.Base(f)) {
				out = append(out, f)
			}
		}
		return out
	}
	var out []string
	for i, f := range files {
		if i%80 == 0 {
			out = append(out, f)
		}
	}
	return out
}

func TestTablesMatchTsharkOnCorpus(t *testing.T) {
	tshark := testenv.RequireTool(t, "tshark")
	var tables, differ, files int
	for _, f := range corpusSample(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			if _, err := capfile.Open(f); err != nil {
				t.Skip(err)
			}
			n, d := compareTables(t, tshark, f, false)
			tables += n
			differ += d
			files++
		})
	}
	t.Logf("%d files, %d tables, %d differ", files, tables, differ)
}

func TestIOMatchesTsharkOnCorpus(t *testing.T) {
	tshark := testenv.RequireTool(t, "tshark")
	for _, f := range corpusSample(t) {
		t.Run(filepath.Base(f), func(t *testing.T) {
			r, err := capfile.Open(f)
			if err != nil {
				t.Skip(err)
			}
			r.Close()
			compareIO(t, tshark, f, 100*time.Millisecond, nil, nil)
		})
	}
}
