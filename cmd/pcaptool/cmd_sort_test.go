package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/internal/testenv"
	"github.com/pcaptool/pcaptool/pcapng"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

// sections counts the section header blocks of a pcapng file (0 for other
// files).
func sections(name string) int {
	f, err := os.Open(name)
	if err != nil {
		return 0
	}
	defer f.Close()
	r, err := pcapng.NewReader(f)
	if err != nil {
		return 0
	}
	n := 0
	for {
		b, err := r.Next()
		if err != nil {
			return n
		}
		if _, ok := b.(*pcapng.SectionHeader); ok {
			n++
		}
	}
}

// reordercapUntimed reports the time reordercap 4.0 writes for a packet
// without a timestamp: its "unset" time, 0 s and 2147483647 ns, cut to the
// output's resolution. pcaptool writes 0 for them.
func reordercapUntimed(ts time.Time) bool {
	return ts.Unix() == 2 && ts.Nanosecond() >= 147483000 && ts.Nanosecond() <= 147483647
}

// sortModes are the ways pcaptool sort is run on every input: through the
// streaming window (a regular file), with a window too small for the
// disorder (which must fall back to external runs), and from standard
// input (external merge sort).
var sortModes = []struct {
	name  string
	args  []string
	stdin bool
}{
	{"streaming", nil, false},
	{"small memory", []string{"--memory", "65536"}, false},
	{"stdin external", []string{"--memory", "262144"}, true},
}

// checkSort sorts in with reordercap and with pcaptool sort in each mode
// and compares the packets. It returns "" when they agree, skip=true when
// reordercap cannot read the file.
func checkSort(t *testing.T, dir, in string) (problems []string, runs int, skip bool) {
	ext := filepath.Ext(in)
	theirs := filepath.Join(dir, "theirs"+ext)
	os.Remove(theirs)
	if err := exec.Command("reordercap", in, theirs).Run(); err != nil {
		return nil, 0, true
	}
	tc := readCapture(theirs)
	if tc.err != nil {
		return nil, 0, true
	}
	for _, p := range tc.pkts {
		if reordercapUntimed(p.Timestamp) {
			p.Timestamp = time.Unix(0, 0)
		}
	}
	for _, m := range sortModes {
		ours := filepath.Join(dir, "ours"+ext)
		os.Remove(ours)
		var res toolResult
		if m.stdin {
			data, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			res = runTool(t, data, append(append([]string{"sort", "-q", "--temp-dir", dir}, m.args...), "-", ours)...)
		} else {
			res = runTool(t, nil, append(append([]string{"sort", "-q"}, m.args...), in, ours)...)
		}
		runs++
		if res.code != 0 {
			problems = append(problems, fmt.Sprintf("%s %s: exit %d: %s", m.name, filepath.Base(in), res.code, res.stderr))
			continue
		}
		// In a file of several sections the output's section layout, not
		// the order, decides the section-local interface ids; compare
		// those only in single-section files.
		cmp := comparison{interfaces: sections(in) <= 1}
		if d := compareCaptures(readCapture(ours), tc, cmp); d != "" {
			problems = append(problems, fmt.Sprintf("%s %s: %s", m.name, filepath.Base(in), d))
		}
	}
	return problems, runs, false
}

// TestSortAgainstReordercap compares pcaptool sort with reordercap on
// generated shuffled captures (with runs of equal timestamps, which a
// stable sort keeps in input order) and on corpus files, in streaming,
// fallback and external mode.
func TestSortAgainstReordercap(t *testing.T) {
	testenv.RequireTool(t, "reordercap")
	dir := t.TempDir()
	files := []string{
		writeSynth(t, filepath.Join(dir, "shuffled.pcapng"), synth.Config{Packets: 3000, Seed: 11, Disorder: 30}),
		writeSynth(t, filepath.Join(dir, "shuffled-wide.pcap"), synth.Config{Packets: 3000, Seed: 12, Disorder: 30,
			DisorderWindow: 50 * time.Millisecond, Resolution: pkt.Microsecond}),
		// Gaps of 300 ns in a microsecond file: many equal timestamps.
		writeSynth(t, filepath.Join(dir, "ties.pcap"), synth.Config{Packets: 3000, Seed: 13, Disorder: 30,
			MeanGap: 300 * time.Nanosecond, DisorderWindow: 20 * time.Microsecond, Resolution: pkt.Microsecond}),
	}
	generated := len(files)
	for i, f := range testenv.CorpusFiles(t, "tcpdump") {
		if i%12 == 0 {
			files = append(files, f)
		}
	}
	files = append(files, testenv.CorpusFiles(t, "pcapng-test-generator/output_le")...)
	files = append(files, testenv.CorpusFiles(t, "pcapng-test-generator/output_be/advanced")...)

	var (
		mu                    sync.Mutex
		problems              []string
		agree, total, skipped int
	)
	indexes := make([]int, len(files))
	for i := range indexes {
		indexes[i] = i
	}
	onTwoWorkers(dir, indexes, func(wdir string, i int) {
		p, runs, skip := checkSort(t, wdir, files[i])
		mu.Lock()
		defer mu.Unlock()
		switch {
		case skip && i < generated:
			problems = append(problems, "reordercap cannot read generated "+files[i])
		case skip:
			skipped++
		default:
			total += runs
			agree += runs - len(p)
			problems = append(problems, p...)
		}
	})
	for _, p := range problems {
		t.Error(p)
	}
	t.Logf("%d/%d sorts agree with reordercap (%d files × %d modes; %d files reordercap cannot read skipped)",
		agree, total, len(files)-skipped, len(sortModes), skipped)
	if total == 0 {
		t.Fatal("no comparison ran")
	}
}

// TestSortedInputUnchanged checks that sorting really reorders the
// generated input (so the oracle comparison above is not vacuous) and that
// a sorted file passes through unchanged.
func TestSortedInputUnchanged(t *testing.T) {
	dir := t.TempDir()
	in := writeSynth(t, filepath.Join(dir, "in.pcapng"), synth.Config{Packets: 2000, Seed: 11, Disorder: 30})
	src := readCapture(in)
	late := 0
	for i := 1; i < len(src.pkts); i++ {
		if src.pkts[i].Timestamp.Before(src.pkts[i-1].Timestamp) {
			late++
		}
	}
	if late < 100 {
		t.Fatalf("generated input has only %d packets out of order", late)
	}
	sorted := filepath.Join(dir, "sorted.pcapng")
	mustRun(t, "sort", "-q", in, sorted)
	again := filepath.Join(dir, "again.pcapng")
	mustRun(t, "sort", "-q", sorted, again)
	a, b := readCapture(sorted), readCapture(again)
	if d := compareCaptures(a, b, comparison{interfaces: true}); d != "" {
		t.Errorf("sorting a sorted file changed it: %s", d)
	}
	for i := 1; i < len(a.pkts); i++ {
		if a.pkts[i].Timestamp.Before(a.pkts[i-1].Timestamp) {
			t.Fatalf("packet %d is earlier than packet %d", i, i-1)
		}
	}
	if len(a.pkts) != len(src.pkts) {
		t.Errorf("%d packets, input %d", len(a.pkts), len(src.pkts))
	}
}
