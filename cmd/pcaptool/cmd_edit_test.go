package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/internal/testenv"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pcapng"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

// writeGenerated writes a synth capture with some exact duplicates (for
// -d/-D/-w) and the given disorder, and returns its name.
func writeGenerated(t testing.TB, name string, cfg synth.Config, dupEvery int) string {
	t.Helper()
	w, err := capfile.Create(name, capfile.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	g := synth.New(cfg)
	if err := w.AddInterface(g.Interfaces()[0]); err != nil {
		t.Fatal(err)
	}
	var prev *pkt.Packet
	n := 0
	for p, err := range pkt.All(g) {
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WritePacket(p); err != nil {
			t.Fatal(err)
		}
		n++
		if dupEvery > 0 && n%dupEvery == 0 && prev != nil {
			d := *prev
			d.Timestamp = p.Timestamp.Add(time.Microsecond)
			if err := w.WritePacket(&d); err != nil {
				t.Fatal(err)
			}
		}
		prev = p.Clone()
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return name
}

// editCorpus returns the corpus files the editcap comparison runs on:
// every 120th tcpdump file (pcap and pcapng of several link types) and the
// pcapng-test-generator files that exercise what editcap's options touch —
// several interfaces, several sections, simple packet blocks without
// timestamps, custom blocks, big-endian sections.
func editCorpus(t *testing.T) []string {
	var out []string
	for i, f := range testenv.CorpusFiles(t, "tcpdump") {
		if i%120 == 0 {
			out = append(out, f)
		}
	}
	ng := testenv.CorpusDir(t, "pcapng-test-generator")
	for _, f := range []string{
		"output_le/basic/test005.pcapng",    // 2 IDBs separated by an EPB
		"output_le/basic/test011.pcapng",    // SPBs and EPBs mixed
		"output_le/basic/test012.pcapng",    // SPBs, EPBs at time 0
		"output_le/basic/test018.pcapng",    // custom blocks among SPB/EPB
		"output_le/advanced/test100.pcapng", // NRBs, IDBs between packets
		"output_le/advanced/test101.pcapng", // ISBs among EPB/SPB
		"output_le/difficult/test200.pcapng",
		"output_be/basic/test006.pcapng",
		"output_be/basic/test016.pcapng",
	} {
		out = append(out, filepath.Join(ng, f))
	}
	return out
}

// compareWithComments is comparePackets plus interfaces and comments.
func compareWithComments(ours, theirs capture) string {
	if d := comparePackets(ours.pkts, theirs.pkts, comparison{interfaces: true}); d != "" {
		return d
	}
	for i := range ours.pkts {
		a, b := ours.pkts[i].Comments(), theirs.pkts[i].Comments()
		if !slices.Equal(a, b) {
			return fmt.Sprintf("packet %d: comments %q, oracle %q", i, a, b)
		}
	}
	return ""
}

type oracleCase struct {
	name string
	args []string // options, given to both tools
	tail []string // arguments after IN OUT
	// numbers: the case selects or annotates packets by number.
	numbers bool
}

// hasWiresharkOnlyRecords reports whether a pcapng file holds blocks that
// Wireshark 4.0 reads as records of their own (custom blocks, systemd
// journal entries) and numbers along with the packets. pcaptool's stream
// has only packets, so packet numbers differ in such files.
func hasWiresharkOnlyRecords(name string) bool {
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	r, err := pcapng.NewReader(f)
	if err != nil {
		return false
	}
	for {
		b, err := r.Next()
		if err != nil {
			return false
		}
		switch b.(type) {
		case *pcapng.Custom, *pcapng.SystemdJournalExport:
			return true
		}
	}
}

// knownEditDifference explains a disagreement with editcap that the edit
// command's documentation lists, or returns "".
func knownEditDifference(c oracleCase, file string, in capture, res toolResult, ours, theirs capture) string {
	// editcap writes a timestamp moved before 1970 as a huge unsigned
	// number; pcaptool refuses to write it.
	if res.code != 0 && strings.Contains(res.stderr, "outside what the format can hold") && slices.Contains(c.args, "-t") {
		for _, p := range theirs.pkts {
			if p.Timestamp.Unix() < 0 || p.Timestamp.Year() > 9999 {
				return "timestamp shifted before 1970"
			}
		}
		return ""
	}
	if res.code != 0 {
		return ""
	}
	if c.numbers && hasWiresharkOnlyRecords(file) {
		return "Wireshark numbers custom blocks as records"
	}
	// editcap 4.0 cannot attach a comment to a packet read from a simple
	// packet block; pcaptool writes it.
	if slices.Contains(c.args, "-a") && len(ours.pkts) == len(in.pkts) &&
		comparePackets(ours.pkts, theirs.pkts, comparison{interfaces: true}) == "" {
		for i, p := range ours.pkts {
			if !slices.Equal(p.Comments(), theirs.pkts[i].Comments()) && !in.pkts[i].NoTimestamp {
				return ""
			}
		}
		return "editcap drops comments on simple packet blocks"
	}
	return ""
}

// matrixResult counts a matrix run.
type matrixResult struct {
	agree, known, total int
	knownWhy            map[string]int
}

// runMatrix runs each case on each file with pcaptool CMD and the oracle
// and compares the packets. Files the oracle cannot read are skipped, and
// so are files whose unedited copy (the case named "baseline", which must
// come first) already differs: there the packet model itself differs from
// wiretap's.
func runMatrix(t *testing.T, cmd string, oracle string, files []string, cases []oracleCase) matrixResult {
	if cases[0].name != "baseline" || len(cases[0].args)+len(cases[0].tail) != 0 {
		t.Fatal("runMatrix: the first case must be an unedited baseline")
	}
	type outcome struct {
		known   string
		problem string
		ran     bool
	}
	results := make([][]outcome, len(files))
	for i := range results {
		results[i] = make([]outcome, len(cases))
	}
	inputs := make([]capture, len(files))
	for i, f := range files {
		inputs[i] = readCapture(f)
	}
	var jobs [][2]int
	for fi := range files {
		for ci := range cases {
			jobs = append(jobs, [2]int{fi, ci})
		}
	}
	onTwoWorkers(t.TempDir(), jobs, func(tmp string, j [2]int) {
		fi, ci := j[0], j[1]
		file, c := files[fi], cases[ci]
		theirsName := filepath.Join(tmp, "theirs.pcapng")
		oargs := append(append(append([]string{oracle}, c.args...), file, theirsName), c.tail...)
		os.Remove(theirsName)
		if err := exec.Command(oargs[0], oargs[1:]...).Run(); err != nil {
			return // the oracle cannot read it; the convert tests cover those files
		}
		theirs := readCapture(theirsName)
		oursName := filepath.Join(tmp, "ours.pcapng")
		os.Remove(oursName)
		pargs := append(append(append([]string{cmd, "-q"}, c.args...), file, oursName), c.tail...)
		res := runTool(t, nil, pargs...)
		var ours capture
		o := outcome{ran: true}
		if res.code == 0 {
			ours = readCapture(oursName)
			o.problem = compareWithComments(ours, theirs)
		} else {
			o.problem = fmt.Sprintf("exit %d: %s", res.code, strings.TrimSpace(res.stderr))
		}
		if o.problem != "" {
			o.known = knownEditDifference(c, file, inputs[fi], res, ours, theirs)
		}
		results[fi][ci] = o
	})

	r := matrixResult{knownWhy: map[string]int{}}
	var skipped []string
	for fi, file := range files {
		if base := results[fi][0]; !base.ran || base.problem != "" {
			// The packet model itself differs from wiretap's on this file
			// (interfaces of several sections, damaged input); the convert
			// and pcapng tests cover it.
			skipped = append(skipped, filepath.Base(file))
			continue
		}
		for ci, o := range results[fi] {
			if !o.ran {
				continue
			}
			r.total++
			switch {
			case o.problem == "":
				r.agree++
			case o.known != "":
				r.known++
				r.knownWhy[o.known]++
				t.Logf("known difference: %s %s: %s (%s)", cases[ci].name, filepath.Base(file), o.known, o.problem)
			default:
				t.Errorf("%s %s: %s", cases[ci].name, filepath.Base(file), o.problem)
			}
		}
	}
	if len(skipped) > 0 {
		t.Logf("skipped %d files whose unedited copy already differs from %s's: %v", len(skipped), oracle, skipped)
	}
	if r.total == 0 {
		t.Fatal("no comparison ran")
	}
	return r
}

// TestEditAgainstEditcap runs every editcap option pcaptool edit copies on
// a generated capture (disordered, with duplicates) and a sample of the
// corpus, through both tools, and compares packets, interfaces and
// comments.
func TestEditAgainstEditcap(t *testing.T) {
	testenv.RequireTool(t, "editcap")
	dir := t.TempDir()
	gen := writeGenerated(t, filepath.Join(dir, "gen.pcapng"), synth.Config{Packets: 1500, Seed: 5, Disorder: 10, DisorderWindow: time.Millisecond}, 7)
	files := append(editCorpus(t), gen)
	mid := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(20 * time.Millisecond)
	cases := []oracleCase{
		{"baseline", nil, nil, false},
		{"drop", nil, []string{"1", "3-5"}, true},
		{"keep", []string{"-r"}, []string{"2-4", "7", "10-0"}, true},
		{"window", []string{"-A", fmt.Sprint(mid.Unix()) + ".010000000", "-B", "2024-01-01T00:00:00.050Z"}, nil, false},
		{"shift", []string{"-t", "3600.25"}, nil, false},
		{"shift back", []string{"-t", "-3600.25"}, nil, false},
		{"strict", []string{"-S", "0.000001"}, nil, false},
		{"strict-neg", []string{"-S", "-0.001"}, nil, false},
		{"snap", []string{"-s", "60", "-L"}, nil, false},
		{"chop", []string{"-C", "4", "-C", "-2"}, nil, false},
		{"chop-offset", []string{"-C", "12:4"}, nil, false},
		{"dedup", []string{"-d"}, nil, false},
		{"dedup-window", []string{"-D", "50", "-I", "14"}, nil, false},
		{"dedup-time", []string{"-w", "0.001"}, nil, false},
		{"encap", []string{"-T", "rawip"}, nil, false},
		{"comment", []string{"-a", "1:first", "-a", "3:third", "-a", "3:again"}, nil, true},
	}
	r := runMatrix(t, "edit", "editcap", files, cases)
	t.Logf("%d/%d edit runs agree with editcap over %d files × %d option sets; %d more differ as documented: %v",
		r.agree, r.total, len(files), len(cases), r.known, r.knownWhy)
}

// TestEditFilterAgainstTcpdump checks edit -f EXPR against
// tcpdump -r IN -w OUT EXPR on the generated capture and Ethernet files of
// the corpus, alone and combined with a packet selection (whose numbers
// count the input, before the filter).
func TestEditFilterAgainstTcpdump(t *testing.T) {
	tcpdump := testenv.RequireTool(t, "tcpdump")
	dir := t.TempDir()
	gen := writeGenerated(t, filepath.Join(dir, "gen.pcap"), synth.Config{Packets: 2000, Seed: 21}, 0)
	files := []string{gen}
	var skipped []string
	for i, f := range testenv.CorpusFiles(t, "tcpdump") {
		if i%40 != 0 {
			continue
		}
		c := readCapture(f)
		if c.err != nil || len(c.ifaces) != 1 || c.ifaces[0].LinkType != linktype.Ethernet || len(c.pkts) == 0 {
			continue
		}
		// libpcap cuts packets longer than the file's snap length; files
		// where its unfiltered copy already differs say nothing of -f.
		base := filepath.Join(dir, "base.pcap")
		if exec.Command(tcpdump, "-r", f, "-w", base).Run() != nil ||
			comparePackets(c.pkts, readCapture(base).pkts, comparison{precision: time.Microsecond}) != "" {
			skipped = append(skipped, filepath.Base(f))
			continue
		}
		files = append(files, f)
	}
	if len(skipped) > 0 {
		t.Logf("skipped %d files whose unfiltered tcpdump copy differs: %v", len(skipped), skipped)
	}
	exprs := []string{
		"tcp",
		"udp and not port 53",
		"ip6 and udp",
		"tcp[13] & 0x18 = 0x18",
		"greater 600",
		"ip and (port 80 or port 443)",
		"arp or icmp or icmp6",
		"net 10.0.0.0/8",
	}
	var (
		mu             sync.Mutex
		agree, total   int
		kept, problems []string
	)
	var jobs [][2]string
	for _, f := range files {
		for _, e := range exprs {
			jobs = append(jobs, [2]string{f, e})
		}
	}
	onTwoWorkers(dir, jobs, func(tmp string, j [2]string) {
		file, expr := j[0], j[1]
		theirs, ours := filepath.Join(tmp, "theirs.pcap"), filepath.Join(tmp, "ours.pcap")
		var stderr bytes.Buffer
		cmd := exec.Command(tcpdump, "-r", file, "-w", theirs, expr)
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			mu.Lock()
			problems = append(problems, fmt.Sprintf("tcpdump %s %q: %v %s", filepath.Base(file), expr, err, stderr.String()))
			mu.Unlock()
			return
		}
		res := runTool(t, nil, "edit", "-q", "-f", expr, file, ours)
		d := ""
		if res.code != 0 {
			d = fmt.Sprintf("exit %d: %s", res.code, strings.TrimSpace(res.stderr))
		} else {
			tc, oc := readCapture(theirs), readCapture(ours)
			d = comparePackets(oc.pkts, tc.pkts, comparison{precision: time.Microsecond})
			if d == "" && len(tc.pkts) > 0 {
				mu.Lock()
				kept = append(kept, expr)
				mu.Unlock()
			}
		}
		mu.Lock()
		total++
		if d == "" {
			agree++
		} else {
			problems = append(problems, fmt.Sprintf("%s %q: %s", filepath.Base(file), expr, d))
		}
		mu.Unlock()
	})
	for _, p := range problems {
		t.Error(p)
	}
	// Guard against a vacuous pass: every expression must have matched
	// some packets somewhere.
	for _, e := range exprs {
		if !slices.Contains(kept, e) {
			t.Errorf("%q matched no packet in any file: the comparison proves nothing for it", e)
		}
	}
	t.Logf("%d/%d edit -f runs agree with tcpdump (%d files × %d expressions)", agree, total, len(files), len(exprs))

	// Packet numbers count the input: select packets 101-600, then filter,
	// equals filtering what editcap's selection kept.
	sel := filepath.Join(dir, "sel.pcap")
	mustRun(t, "edit", "-q", "-r", gen, sel, "101-600")
	want := filepath.Join(dir, "want.pcap")
	if out, err := exec.Command(tcpdump, "-r", sel, "-w", want, "tcp").CombinedOutput(); err != nil {
		t.Fatalf("tcpdump: %v %s", err, out)
	}
	got := filepath.Join(dir, "got.pcap")
	mustRun(t, "edit", "-q", "-r", "-f", "tcp", gen, got, "101-600")
	wc, gc := readCapture(want), readCapture(got)
	if len(wc.pkts) == 0 {
		t.Fatal("no TCP packet among packets 101-600")
	}
	if d := comparePackets(gc.pkts, wc.pkts, comparison{precision: time.Microsecond}); d != "" {
		t.Errorf("-r 101-600 -f tcp: %s", d)
	}
}

func TestEditFilterErrors(t *testing.T) {
	dir := t.TempDir()
	in := writeGenerated(t, filepath.Join(dir, "in.pcap"), synth.Config{Packets: 10, Seed: 1}, 0)
	out := filepath.Join(dir, "out.pcap")
	res := runTool(t, nil, "edit", "-q", "-f", "tcp and and", in, out)
	if res.code != exitFailure || !strings.Contains(res.stderr, "^") {
		t.Errorf("syntax error: exit %d, stderr %q (want exit %d and a caret)", res.code, res.stderr, exitFailure)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("output created despite the bad filter: %v", err)
	}
}

func TestSplitAgainstEditcap(t *testing.T) {
	editcap := testenv.RequireTool(t, "editcap")
	dir := t.TempDir()
	gen := writeGenerated(t, filepath.Join(dir, "gen.pcap"), synth.Config{Packets: 2000, Seed: 9, MeanGap: 3 * time.Millisecond}, 0)
	for _, args := range [][]string{{"-c", "300"}, {"-i", "0.5"}, {"-i", "2"}} {
		t.Run(strings.Join(args, ""), func(t *testing.T) {
			ours, theirs := filepath.Join(t.TempDir(), "ours"), filepath.Join(t.TempDir(), "theirs")
			os.MkdirAll(ours, 0o755)
			os.MkdirAll(theirs, 0o755)
			if out, err := exec.Command(editcap, append(args, gen, filepath.Join(theirs, "p.pcap"))...).CombinedOutput(); err != nil {
				t.Fatalf("editcap: %v %s", err, out)
			}
			mustRun(t, append(append([]string{"split", "-q"}, args...), gen, filepath.Join(ours, "p.pcap"))...)
			on, _ := filepath.Glob(filepath.Join(ours, "*"))
			tn, _ := filepath.Glob(filepath.Join(theirs, "*"))
			if len(on) != len(tn) {
				t.Fatalf("%d pieces, editcap %d", len(on), len(tn))
			}
			for i := range on {
				if filepath.Base(on[i]) != filepath.Base(tn[i]) {
					t.Errorf("piece %d named %s, editcap %s", i, filepath.Base(on[i]), filepath.Base(tn[i]))
				}
				if d := compareWithComments(readCapture(on[i]), readCapture(tn[i])); d != "" {
					t.Errorf("piece %s: %s", filepath.Base(on[i]), d)
				}
			}
			t.Logf("%d pieces named and filled as editcap's", len(on))
		})
	}
}

// TestSplitUntimedAgainstEditcap splits corpus files with simple packet
// blocks: pieces opened by a packet without a timestamp have no time in
// their names, and such packets never start an -i piece.
func TestSplitUntimedAgainstEditcap(t *testing.T) {
	editcap := testenv.RequireTool(t, "editcap")
	ng := testenv.CorpusDir(t, "pcapng-test-generator")
	for _, tc := range []struct {
		file string
		args []string
	}{
		{"output_le/basic/test011.pcapng", []string{"-c", "1"}},
		{"output_le/basic/test011.pcapng", []string{"-i", "1"}},
		{"output_le/basic/test010.pcapng", []string{"-i", "1"}},
		{"output_be/basic/test012.pcapng", []string{"-c", "3"}},
	} {
		t.Run(filepath.Base(tc.file)+strings.Join(tc.args, ""), func(t *testing.T) {
			in := filepath.Join(ng, tc.file)
			ours, theirs := filepath.Join(t.TempDir(), "ours"), filepath.Join(t.TempDir(), "theirs")
			os.MkdirAll(ours, 0o755)
			os.MkdirAll(theirs, 0o755)
			if out, err := exec.Command(editcap, append(tc.args, in, filepath.Join(theirs, "p.pcapng"))...).CombinedOutput(); err != nil {
				t.Fatalf("editcap: %v %s", err, out)
			}
			mustRun(t, append(append([]string{"split", "-q"}, tc.args...), in, filepath.Join(ours, "p.pcapng"))...)
			on, _ := filepath.Glob(filepath.Join(ours, "*"))
			tn, _ := filepath.Glob(filepath.Join(theirs, "*"))
			if len(on) != len(tn) {
				t.Fatalf("%d pieces, editcap %d", len(on), len(tn))
			}
			untimed := 0
			for i := range on {
				if filepath.Base(on[i]) != filepath.Base(tn[i]) {
					t.Errorf("piece %d named %s, editcap %s", i, filepath.Base(on[i]), filepath.Base(tn[i]))
				}
				if strings.Count(filepath.Base(on[i]), "_") == 1 {
					untimed++
				}
				if d := compareWithComments(readCapture(on[i]), readCapture(tn[i])); d != "" {
					t.Errorf("piece %s: %s", filepath.Base(on[i]), d)
				}
			}
			if untimed == 0 {
				t.Errorf("no piece named without a time: the case does not exercise untimed packets")
			}
			t.Logf("%d pieces (%d opened by untimed packets) named and filled as editcap's", len(on), untimed)
		})
	}
}

func TestSplitBySize(t *testing.T) {
	dir := t.TempDir()
	gen := writeGenerated(t, filepath.Join(dir, "gen.pcap"), synth.Config{Packets: 3000, Seed: 2}, 0)
	for _, ext := range []string{"pcap", "pcapng"} {
		mustRun(t, "split", "--size", "200000", gen, filepath.Join(dir, "s."+ext))
		pieces, _ := filepath.Glob(filepath.Join(dir, "s_*."+ext))
		if len(pieces) < 2 {
			t.Fatalf("%s: %d pieces", ext, len(pieces))
		}
		total := 0
		for _, p := range pieces {
			st, err := os.Stat(p)
			if err != nil {
				t.Fatal(err)
			}
			if st.Size() > 200000 {
				t.Errorf("%s is %d bytes, over the limit", p, st.Size())
			}
			total += len(readCapture(p).pkts)
		}
		if total != 3000 {
			t.Errorf("%s: pieces hold %d packets, want 3000", ext, total)
		}
	}
}

func TestEditFailureLeavesNoOutput(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.pcapng")
	res := runTool(t, nil, "edit", "-q", filepath.Join(dir, "missing.pcap"), out)
	if res.code != exitFailure {
		t.Errorf("exit %d, want %d", res.code, exitFailure)
	}
	res = runTool(t, nil, "edit", "-q", "-a", "x:y", filepath.Join(dir, "missing.pcap"), out)
	if res.code != exitFailure {
		t.Errorf("bad -a: exit %d", res.code)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}

func TestParseChop(t *testing.T) {
	tests := []struct {
		arg    string
		off, n int
		bad    bool
	}{
		{"3", 0, 3, false},
		{"-3", 0, -3, false},
		{"2:3", 2, 3, false},
		{"-2:-3", -2, -3, false},
		{" 4 : 5 ", 4, 5, false},
		{"x:1", 0, 0, true},
		{"1:", 0, 0, true},
		{"", 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.arg, func(t *testing.T) {
			off, n, err := parseChop(tt.arg)
			if (err != nil) != tt.bad || off != tt.off || n != tt.n {
				t.Errorf("parseChop(%q) = %d, %d, %v", tt.arg, off, n, err)
			}
		})
	}
}

// TestSplitSeeksToFirstPiece checks split -A -B -i on a large ordered
// file: the pieces are those of the streaming path (the same file
// compressed, which cannot be sought), and they stay so when the file is
// damaged well before the window, which only a reader that seeks past
// the damage gets through.
func TestSplitSeeksToFirstPiece(t *testing.T) {
	dir := t.TempDir()
	plain := writeGenerated(t, filepath.Join(dir, "big.pcap"), synth.Config{Packets: 15000, Seed: 5, MeanGap: 2 * time.Millisecond}, 0)
	data, err := os.ReadFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	gz := filepath.Join(dir, "big.pcap.gz")
	mustRun(t, "convert", "-q", plain, gz)
	damaged := filepath.Join(dir, "damaged.pcap")
	// Spoil the header of the first record past 5 % of the file: lengths
	// of 0xffffffff.
	bad := bytes.Clone(data)
	off := 24
	for off < len(bad)/20 {
		off += 16 + int(binary.LittleEndian.Uint32(bad[off+8:]))
	}
	copy(bad[off:off+16], bytes.Repeat([]byte{0xff}, 16))
	if err := os.WriteFile(damaged, bad, 0o644); err != nil {
		t.Fatal(err)
	}
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	window := []string{"-A", strconv.FormatInt(base.Unix()+20, 10), "-B", strconv.FormatInt(base.Unix()+24, 10), "-i", "1"}
	pieces := func(in string) map[string][]byte {
		out := filepath.Join(t.TempDir(), "p.pcap")
		mustRun(t, append(append([]string{"split", "-q"}, window...), in, out)...)
		names, _ := filepath.Glob(filepath.Join(filepath.Dir(out), "*"))
		got := map[string][]byte{}
		for _, n := range names {
			b, err := os.ReadFile(n)
			if err != nil {
				t.Fatal(err)
			}
			got[filepath.Base(n)] = b
		}
		return got
	}
	want := pieces(gz)
	if len(want) != 4 {
		t.Fatalf("streaming split of a 4 s window by 1 s: %d pieces, want 4", len(want))
	}
	if res := runTool(t, nil, append(append([]string{"split", "-q"}, window[4:]...), damaged, filepath.Join(t.TempDir(), "p.pcap"))...); res.code == 0 {
		t.Fatal("splitting the whole damaged file succeeded: the damage is not where a streaming reader fails")
	}
	for _, in := range []string{plain, damaged} {
		got := pieces(in)
		if len(got) != len(want) {
			t.Fatalf("%s: %d pieces, streaming %d", filepath.Base(in), len(got), len(want))
		}
		for name, b := range want {
			if !bytes.Equal(got[name], b) {
				t.Errorf("%s: piece %s differs from the streaming one (%d and %d bytes)", filepath.Base(in), name, len(got[name]), len(b))
			}
		}
	}
}
