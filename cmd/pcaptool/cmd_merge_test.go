package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/internal/testenv"
	"github.com/pcaptool/pcaptool/internal/testgen"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

// writeSynth writes a synth capture (the format from the name's extension)
// and returns its name.
func writeSynth(t testing.TB, name string, cfg synth.Config) string {
	t.Helper()
	testgen.Write(t, name, capfile.WriterOptions{}, cfg)
	return name
}

// compareInterfaces compares the interfaces two captures declare: count,
// link type, snap length and name.
func compareInterfaces(ours, theirs capture) string {
	if len(ours.ifaces) != len(theirs.ifaces) {
		return fmt.Sprintf("%d interfaces, oracle %d", len(ours.ifaces), len(theirs.ifaces))
	}
	for i := range ours.ifaces {
		a, b := &ours.ifaces[i], &theirs.ifaces[i]
		switch {
		case a.LinkType != b.LinkType:
			return fmt.Sprintf("interface %d: link type %s, oracle %s", i, a.LinkType, b.LinkType)
		case a.SnapLen != b.SnapLen:
			return fmt.Sprintf("interface %d: snap length %d, oracle %d", i, a.SnapLen, b.SnapLen)
		case a.Name() != b.Name():
			return fmt.Sprintf("interface %d: name %q, oracle %q", i, a.Name(), b.Name())
		}
	}
	return ""
}

// mergeCase is one mergecap command line: options and inputs.
type mergeCase struct {
	name   string
	args   []string
	ours   []string // options for pcaptool only
	inputs []string
	ext    string // output extension: pcap or pcapng
}

// runMergeCase runs mergecap and pcaptool merge on c and returns "" when
// they agree: both refuse, or both write the same packets (with the same
// section-local interface ids) and the same interfaces.
func runMergeCase(t *testing.T, dir string, c mergeCase) (diff string, refused bool) {
	theirs, ours := filepath.Join(dir, "theirs."+c.ext), filepath.Join(dir, "ours."+c.ext)
	os.Remove(theirs)
	os.Remove(ours)
	margs := append(append(append([]string{}, c.args...), "-w", theirs), c.inputs...)
	mout, merr := exec.Command("mergecap", margs...).CombinedOutput()
	pargs := append(append([]string{"merge", "-q"}, c.args...), c.ours...)
	res := runTool(t, nil, append(pargs, append([]string{"-w", ours}, c.inputs...)...)...)
	switch {
	case merr != nil && res.code != 0:
		return "", true // both refuse (pcap output of several link types)
	case merr != nil:
		return fmt.Sprintf("mergecap fails (%v: %s), pcaptool succeeds", merr, strings.TrimSpace(string(mout))), false
	case res.code != 0:
		return fmt.Sprintf("pcaptool fails (exit %d: %s), mergecap succeeds", res.code, strings.TrimSpace(res.stderr)), false
	}
	oc, tc := readCapture(ours), readCapture(theirs)
	if oc.err != nil || tc.err != nil {
		return fmt.Sprintf("reading the outputs: ours %v, mergecap's %v", oc.err, tc.err), false
	}
	if d := compareCaptures(oc, tc, comparison{interfaces: true}); d != "" {
		return d, false
	}
	if c.ext != "pcapng" {
		return "", false
	}
	if slices.Contains(c.args, "-s") {
		// pcaptool lowers the snap length of the interfaces to -s, so
		// that it tells the truth about the packets; mergecap keeps the
		// input's in pcapng output.
		for i := range tc.ifaces {
			if tc.ifaces[i].SnapLen == 0 || tc.ifaces[i].SnapLen > 60 {
				tc.ifaces[i].SnapLen = 60
			}
		}
	}
	return compareInterfaces(oc, tc), false
}

// TestMergeAgainstMergecap runs the same merges through mergecap and
// pcaptool merge: chronological and appended (-a), every IDB mode (-I),
// pcap and pcapng inputs mixed, two to four inputs, -s, pcap and pcapng
// output; inputs generated and from the corpus (several interfaces, both
// byte orders, simple packet blocks without timestamps).
func TestMergeAgainstMergecap(t *testing.T) {
	testenv.RequireTool(t, "mergecap")
	dir := t.TempDir()
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	genA := writeSynth(t, filepath.Join(dir, "a.pcap"), synth.Config{Packets: 400, Seed: 1, Resolution: pkt.Microsecond, MeanGap: time.Millisecond})
	genB := writeSynth(t, filepath.Join(dir, "b.pcapng"), synth.Config{Packets: 300, Seed: 2, Start: start.Add(50 * time.Millisecond), MeanGap: time.Millisecond})
	genC := writeSynth(t, filepath.Join(dir, "c.pcapng"), synth.Config{Packets: 300, Seed: 3, Start: start.Add(30 * time.Millisecond), MeanGap: 2 * time.Millisecond})
	genD := writeSynth(t, filepath.Join(dir, "d.pcapng"), synth.Config{Packets: 50, Seed: 4, SnapLen: 128, MeanGap: 5 * time.Millisecond})
	// Equal timestamps in two inputs: mergecap takes the later input first.
	genE := writeSynth(t, filepath.Join(dir, "e.pcapng"), synth.Config{Packets: 300, Seed: 2, Start: start.Add(50 * time.Millisecond), MeanGap: time.Millisecond, IPv6Percent: -1})

	ng := testenv.CorpusDir(t, "pcapng-test-generator")
	gen := func(order, name string) string { return filepath.Join(ng, "output_"+order, name) }
	td := testenv.CorpusDir(t, "tcpdump")
	tcpd := func(name string) string { return filepath.Join(td, name) }

	sets := []struct {
		name   string
		inputs []string
	}{
		{"pcap+pcapng", []string{genA, genB}},
		{"three pcapng", []string{genB, genC, genD}},
		{"equal stamps", []string{genB, genE}},
		{"four mixed", []string{genD, genA, genC, genB}},
		{"spb+generated", []string{gen("le", "basic/test012.pcapng"), genD}},
		{"spb+spb", []string{gen("le", "basic/test016.pcapng"), gen("be", "basic/test012.pcapng")}},
		{"multi-interface le+be", []string{gen("le", "basic/test005.pcapng"), gen("be", "basic/test006.pcapng")}},
		{"sections", []string{gen("le", "advanced/test100.pcapng"), gen("le", "basic/test010.pcapng")}},
		{"corpus pcap", []string{tcpd("3560_CDP.pcap"), tcpd("802.1D_spanning_tree.pcap")}},
		{"corpus link types", []string{tcpd("802.1ad_QinQ.pcap"), tcpd("802_15_4-data.pcap"), genA}},
	}
	for _, s := range sets {
		for _, f := range s.inputs {
			if _, err := os.Stat(f); err != nil {
				t.Fatalf("input of %q: %v", s.name, err)
			}
		}
	}
	modes := []struct {
		name string
		args []string
		ours []string
		ext  string
	}{
		{"default", nil, nil, "pcapng"},
		{"idb none", []string{"-I", "none"}, nil, "pcapng"},
		{"idb all", []string{"-I", "all"}, nil, "pcapng"},
		{"idb any", []string{"-I", "any"}, nil, "pcapng"},
		{"append", []string{"-a"}, nil, "pcapng"},
		{"append idb any", []string{"-a", "-I", "any"}, nil, "pcapng"},
		{"snaplen", []string{"-s", "60"}, nil, "pcapng"},
		// mergecap's pcap is microsecond pcap; pcaptool keeps the
		// inputs' nanoseconds unless told otherwise.
		{"pcap output", []string{"-F", "pcap"}, []string{"--ts", "usec"}, "pcap"},
		{"pcap output with -s", []string{"-F", "pcap", "-s", "100"}, []string{"--ts", "usec"}, "pcap"},
		{"pcapng output to .pcap name", []string{"-F", "pcapng"}, nil, "pcap"},
	}
	var cases []mergeCase
	for _, s := range sets {
		for _, m := range modes {
			cases = append(cases, mergeCase{s.name + "/" + m.name, m.args, m.ours, s.inputs, m.ext})
		}
	}
	var (
		mu       sync.Mutex
		problems []string
		agree    int
		refused  int
	)
	onTwoWorkers(dir, cases, func(wdir string, c mergeCase) {
		d, ref := runMergeCase(t, wdir, c)
		mu.Lock()
		defer mu.Unlock()
		if ref {
			refused++
		}
		if d == "" {
			agree++
		} else {
			problems = append(problems, c.name+": "+d)
		}
	})
	for _, p := range problems {
		t.Error(p)
	}
	t.Logf("%d/%d merges agree with mergecap (%d input sets × %d option sets; in %d both refuse the output)",
		agree, len(cases), len(sets), len(modes), refused)
	if refused > len(cases)/4 {
		t.Errorf("%d of %d cases only compare refusals", refused, len(cases))
	}
}

func TestMergeRequiresOutput(t *testing.T) {
	dir := t.TempDir()
	in := writeSynth(t, filepath.Join(dir, "in.pcap"), synth.Config{Packets: 10, Seed: 1})
	if res := runTool(t, nil, "merge", in); res.code != exitFailure || !strings.Contains(res.stderr, "-w") {
		t.Errorf("merge without -w: exit %d, %q", res.code, res.stderr)
	}
	if res := runTool(t, nil, "merge", "-I", "some", "-w", filepath.Join(dir, "out.pcapng"), in); res.code != exitFailure {
		t.Errorf("merge -I some: exit %d", res.code)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "out*")); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}
