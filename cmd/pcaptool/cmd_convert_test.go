package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/internal/testenv"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// capture is a whole capture read into memory for comparisons.
type capture struct {
	ifaces []pkt.Interface
	pkts   []*pkt.Packet
	// local holds each packet's interface id within its pcapng section,
	// which is what Wireshark 4.0 reports as frame.interface_id.
	local []int
	err   error // the error that ended reading, nil at a clean end
}

func readCapture(name string) capture {
	r, err := capfile.Open(name)
	if err != nil {
		return capture{err: err}
	}
	defer r.Close()
	var c capture
	for p, err := range pkt.All(r) {
		if err != nil {
			c.err = err
			break
		}
		c.pkts = append(c.pkts, p.Clone())
	}
	c.ifaces = r.Interfaces()
	c.local = make([]int, len(c.pkts))
	for i, p := range c.pkts {
		c.local[i] = p.Interface
		if ng := r.Pcapng(); ng != nil {
			for _, sec := range ng.Sections() {
				if p.Interface >= sec.FirstInterface && p.Interface < sec.FirstInterface+sec.Interfaces {
					c.local[i] = p.Interface - sec.FirstInterface
				}
			}
		}
	}
	return c
}

// comparison controls what comparePackets checks.
type comparison struct {
	precision  time.Duration // timestamps compared truncated to this
	interfaces bool          // compare interface indices
	// wiretap: the oracle is Wireshark's wiretap, which rebuilds the
	// 4-byte SunATM pseudo-header from the fields it decodes, rewriting
	// its first (flags and type) byte.
	wiretap bool
	// seconds32: the oracle wrote a pcap file, whose 32-bit seconds
	// field wraps for times after 2106.
	seconds32 bool
}

// compareCaptures compares two whole captures packet by packet,
// interfaces by their section-local ids.
func compareCaptures(oc, tc capture, cmp comparison) string {
	if cmp.interfaces {
		for i := range min(len(oc.local), len(tc.local)) {
			if oc.local[i] != tc.local[i] {
				return fmt.Sprintf("packet %d: interface %d, oracle %d", i, oc.local[i], tc.local[i])
			}
		}
	}
	cmp.interfaces = false
	ours := oc.pkts
	if cmp.wiretap || cmp.seconds32 {
		ours = make([]*pkt.Packet, len(oc.pkts))
		for i, p := range oc.pkts {
			c := *p
			if cmp.wiretap && i < len(tc.pkts) && oc.ifaces[p.Interface].LinkType == linktype.SunATM &&
				len(c.Data) > 0 && len(tc.pkts[i].Data) == len(c.Data) {
				c.Data = append([]byte{tc.pkts[i].Data[0]}, c.Data[1:]...)
			}
			if cmp.seconds32 {
				c.Timestamp = time.Unix(int64(uint32(c.Timestamp.Unix())), int64(c.Timestamp.Nanosecond()))
			}
			ours[i] = &c
		}
	}
	return comparePackets(ours, tc.pkts, cmp)
}

// comparePackets compares packets: timestamps (at cmp.precision), lengths,
// bytes and, when cmp.interfaces, interface indices.
func comparePackets(ours, theirs []*pkt.Packet, cmp comparison) string {
	if len(ours) != len(theirs) {
		return fmt.Sprintf("%d packets, oracle %d", len(ours), len(theirs))
	}
	for i, a := range ours {
		b := theirs[i]
		ta, tb := a.Timestamp, b.Timestamp
		if cmp.precision > 0 {
			ta, tb = ta.Truncate(cmp.precision), tb.Truncate(cmp.precision)
		}
		switch {
		case !ta.Equal(tb):
			return fmt.Sprintf("packet %d: timestamp %d, oracle %d", i, ta.UnixNano(), tb.UnixNano())
		case len(a.Data) != len(b.Data):
			return fmt.Sprintf("packet %d: caplen %d, oracle %d", i, len(a.Data), len(b.Data))
		case a.Length != b.Length:
			return fmt.Sprintf("packet %d: length %d, oracle %d", i, a.Length, b.Length)
		case !bytes.Equal(a.Data, b.Data):
			return fmt.Sprintf("packet %d: bytes differ", i)
		case cmp.interfaces && a.Interface != b.Interface:
			return fmt.Sprintf("packet %d: interface %d, oracle %d", i, a.Interface, b.Interface)
		}
	}
	return ""
}

// oracleRead has an oracle rewrite in into out and reads the result.
func oracleRead(out string, args ...string) (capture, bool, string) {
	os.Remove(out)
	cmd := exec.Command(args[0], append(args[1:], out)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	failed := cmd.Run() != nil
	c := capture{}
	if _, err := os.Stat(out); err == nil {
		c = readCapture(out)
	}
	return c, failed, strings.TrimSpace(stderr.String())
}

// packetsShareLinkType reports whether every packet's interface has the
// link type of the first packet's: what a pcap file can hold.
func packetsShareLinkType(c capture) bool {
	for _, p := range c.pkts {
		if c.ifaces[p.Interface].LinkType != c.ifaces[c.pkts[0].Interface].LinkType {
			return false
		}
	}
	return true
}

// tsharkFields reads a capture with tshark: per packet its epoch time (0
// when the record has none, as a simple packet block), capture length,
// length and section-local interface id (-1 for pcap).
func tsharkFields(file string) ([][4]int64, error) {
	out, err := exec.Command("tshark", "-r", file, "-T", "fields", "-e", "frame.time_epoch",
		"-e", "frame.cap_len", "-e", "frame.len", "-e", "frame.interface_id").Output()
	if err != nil {
		return nil, err
	}
	pcapngFile := false
	if head, err := os.ReadFile(file); err == nil && len(head) >= 4 {
		pcapngFile = string(head[:4]) == "\x0a\x0d\x0d\x0a"
	}
	var rows [][4]int64
	for _, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
		if line == "" {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("tshark row %q", line)
		}
		var row [4]int64
		if f[0] != "" {
			sec, frac, _ := strings.Cut(f[0], ".")
			s, err1 := strconv.ParseInt(sec, 10, 64)
			ns, err2 := strconv.ParseInt(frac, 10, 64)
			if err1 != nil || err2 != nil {
				return nil, fmt.Errorf("tshark time %q", f[0])
			}
			row[0] = s*1e9 + ns
		}
		row[1], _ = strconv.ParseInt(f[1], 10, 64)
		row[2], _ = strconv.ParseInt(f[2], 10, 64)
		row[3] = -1
		if f[3] != "" {
			row[3], _ = strconv.ParseInt(f[3], 10, 64)
		} else if pcapngFile {
			// tshark shows custom and other non-packet blocks of a
			// pcapng file as frames without an interface.
			continue
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// compareTshark compares our reading of file with tshark's fields.
func compareTshark(file string, ours capture) string {
	rows, err := tsharkFields(file)
	if (err != nil) != (ours.err != nil) {
		return fmt.Sprintf("verdict differs: ours %v, tshark %v", ours.err, err)
	}
	if len(rows) != len(ours.pkts) {
		return fmt.Sprintf("%d packets, tshark %d", len(ours.pkts), len(rows))
	}
	for i, p := range ours.pkts {
		want := [4]int64{p.Timestamp.UnixNano(), int64(len(p.Data)), int64(p.Length), int64(ours.local[i])}
		if rows[i][3] == -1 {
			want[3] = -1
		}
		if rows[i] != want {
			return fmt.Sprintf("packet %d: tshark %v, ours %v", i, rows[i], want)
		}
	}
	return ""
}

// outputPrecision is the timestamp precision convert gives a pcap file.
func outputPrecision(ifaces []pkt.Interface) time.Duration {
	for _, i := range ifaces {
		if ups, ok := i.Resolution.UnitsPerSecond(); !ok || ups > 1_000_000 {
			return time.Nanosecond
		}
	}
	return time.Microsecond
}

// TestConvertCorpusAgainstOracles checks issue #3's conformance promise over
// every file of ../shared/corpus: the packets pcaptool reads equal what
// Wireshark's wiretap (editcap) and libpcap (tcpdump) read, with the same
// verdict on damaged files; and what `pcaptool convert` writes as pcap and
// as pcapng reads back in those oracles as the same packets.
func TestConvertCorpusAgainstOracles(t *testing.T) {
	files := append(testenv.CorpusFiles(t, "tcpdump"), testenv.CorpusFiles(t, "pcapng-test-generator")...)
	editcap := testenv.RequireTool(t, "editcap")
	tcpdump := testenv.RequireTool(t, "tcpdump")

	var (
		mu       sync.Mutex
		problems []string
		counts   = map[string]int{}
	)
	note := func(key string) { mu.Lock(); counts[key]++; mu.Unlock() }
	fail := func(file, what string) {
		mu.Lock()
		problems = append(problems, filepath.Base(file)+": "+what)
		mu.Unlock()
	}

	jobs := make(chan string)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tmp, err := os.MkdirTemp(t.TempDir(), "convert")
			if err != nil {
				t.Error(err)
				return
			}
			for file := range jobs {
				checkConvertFile(tmp, file, editcap, tcpdump, note, fail)
			}
		}()
	}
	for _, f := range files {
		jobs <- f
	}
	close(jobs)
	wg.Wait()
	t.Logf("%d files: %v", len(files), counts)
	for _, p := range problems {
		t.Error(p)
	}
}

func checkConvertFile(tmp, file, editcap, tcpdump string, note func(string), fail func(string, string)) {
	ours := readCapture(file)
	oursFailed := ours.err != nil
	if oursFailed && !strings.Contains(ours.err.Error(), "offset") {
		fail(file, "error without an offset: "+ours.err.Error())
	}

	// Reading: wiretap, through editcap; when editcap cannot write the
	// input as pcapng (no interface described, say), through tshark.
	wt, wtFailed, msg := oracleRead(filepath.Join(tmp, "wiretap.pcapng"), editcap, "-F", "pcapng", file)
	wtTimestampsOnly := false
	wiretapJudges := !(wtFailed && strings.Contains(msg, "unknown or unsupported"))
	switch {
	case !wiretapJudges:
		note("link type unknown to wiretap")
	case wtFailed && strings.Contains(msg, "can't be written"):
		if d := compareTshark(file, ours); d != "" {
			fail(file, "read differs from tshark: "+d)
		} else {
			note("read agrees with tshark")
		}
	case oursFailed != wtFailed:
		fail(file, fmt.Sprintf("read verdict differs from wiretap: ours %v; editcap failed=%v: %s", ours.err, wtFailed, msg))
	default:
		d := compareCaptures(ours, wt, comparison{interfaces: true, wiretap: true})
		switch {
		case d == "":
			note("read agrees with wiretap")
		case strings.Contains(d, ": timestamp "):
			wtTimestampsOnly = true // settled by libpcap below
		default:
			fail(file, "read differs from wiretap: "+d)
		}
	}

	// Reading: libpcap, which reads pcapng only when every interface has
	// one link type, and cuts records longer than the snap length.
	lp, lpFailed, lpMsg := oracleRead(filepath.Join(tmp, "libpcap.pcap"), tcpdump, "-r", file, "--time-stamp-precision=nano", "-w")
	lpAgrees := false
	switch {
	case lpFailed && !oursFailed && (strings.Contains(lpMsg, "different from the type of the first interface") ||
		strings.Contains(lpMsg, "different link-layer header type")):
		note("libpcap cannot read several link types")
	case lpFailed && !oursFailed && strings.Contains(lpMsg, "snapshot length") && strings.Contains(lpMsg, "different from"):
		note("libpcap cannot read interfaces of different snap lengths")
	case lpFailed && !oursFailed && strings.Contains(lpMsg, "no Interface Description Blocks"):
		note("libpcap cannot read a pcapng without interfaces")
	case oursFailed != lpFailed:
		fail(file, fmt.Sprintf("read verdict differs from libpcap: ours %v; tcpdump failed=%v: %s", ours.err, lpFailed, lpMsg))
	default:
		if d := compareCaptures(ours, lp, comparison{seconds32: true}); d != "" && !snaplenCutOnly(ours, lp) {
			fail(file, "read differs from libpcap: "+d)
		} else {
			lpAgrees = true
			note("read agrees with libpcap")
		}
	}
	if wtTimestampsOnly {
		// Wireshark 4.0 takes a nanosecond field of 2^31 or more as
		// negative; libpcap reads it unsigned, and so do we.
		if lpAgrees {
			note("wiretap misreads out-of-range nanoseconds; libpcap agrees with us")
		} else {
			fail(file, "read differs from wiretap: "+compareCaptures(ours, wt, comparison{interfaces: true, wiretap: true}))
		}
	}
	if oursFailed || !wiretapJudges || wtFailed {
		return
	}

	// Writing: convert to pcapng and to pcap, read back by the oracles.
	ng := filepath.Join(tmp, "ours.pcapng")
	if out, err := exec.Command(pcaptoolBin, "convert", "-q", file, ng).CombinedOutput(); err != nil {
		fail(file, "convert to pcapng: "+string(out))
		return
	}
	back, failed, msg := oracleRead(filepath.Join(tmp, "back.pcapng"), editcap, "-F", "pcapng", ng)
	if failed {
		fail(file, "wiretap cannot read our pcapng: "+msg)
	} else if d := compareCaptures(ours, back, comparison{interfaces: true, wiretap: true}); d != "" && !wtTimestampsOnly {
		fail(file, "our pcapng read by wiretap: "+d)
	} else {
		note("pcapng output agrees in wiretap")
	}

	pc := filepath.Join(tmp, "ours.pcap")
	out, err := exec.Command(pcaptoolBin, "convert", "-q", file, pc).CombinedOutput()
	if !packetsShareLinkType(ours) {
		_, edFailed, _ := oracleRead(filepath.Join(tmp, "ed.pcap"), editcap, "-F", "pcap", file)
		if err == nil || !edFailed {
			fail(file, fmt.Sprintf("packets of several link types to pcap: pcaptool err=%v, editcap failed=%v", err, edFailed))
		} else {
			note("packets of several link types to pcap refused, as editcap does")
		}
		return
	}
	if beyondPcapTime(ours) {
		// A pcap file's seconds field ends in 2106: we refuse rather
		// than wrap silently, as editcap does.
		if err == nil || !strings.Contains(string(out), "outside 1970-2106") {
			fail(file, fmt.Sprintf("a time after 2106 written to pcap: err=%v %s", err, out))
		} else {
			note("times after 2106 refused for pcap output")
		}
		return
	}
	if err != nil {
		fail(file, "convert to pcap: "+string(out))
		return
	}
	prec := comparison{precision: outputPrecision(ours.ifaces)}
	for _, o := range []struct {
		name string
		args []string
	}{
		{"wiretap", []string{editcap, "-F", "pcapng", pc}},
		{"libpcap", []string{tcpdump, "-r", pc, "--time-stamp-precision=nano", "-w"}},
	} {
		back, failed, msg := oracleRead(filepath.Join(tmp, "back-"+o.name), o.args...)
		if failed {
			fail(file, o.name+" cannot read our pcap: "+msg)
		} else if d := compareCaptures(ours, back, comparison{precision: prec.precision, wiretap: o.name == "wiretap"}); d != "" && !wtTimestampsOnly {
			fail(file, "our pcap read by "+o.name+": "+d)
		} else {
			note("pcap output agrees in " + o.name)
		}
	}
}

// beyondPcapTime reports whether a packet's time cannot be held by the
// 32-bit seconds of a pcap record.
func beyondPcapTime(c capture) bool {
	for _, p := range c.pkts {
		if s := p.Timestamp.Unix(); s < 0 || s > 0xffffffff {
			return true
		}
	}
	return false
}

// snaplenCutOnly reports whether libpcap's copy differs from ours only by
// records cut to the interface snap length, which libpcap does on reading.
func snaplenCutOnly(ours, lp capture) bool {
	if len(ours.pkts) != len(lp.pkts) {
		return false
	}
	for i, a := range ours.pkts {
		b := lp.pkts[i]
		if bytes.Equal(a.Data, b.Data) && a.Length == b.Length && a.Timestamp.Equal(b.Timestamp) {
			continue
		}
		if a.Interface >= len(ours.ifaces) {
			return false
		}
		snap := int(ours.ifaces[a.Interface].SnapLen)
		if snap == 0 || len(b.Data) != snap || !bytes.HasPrefix(a.Data, b.Data) || !a.Timestamp.Equal(b.Timestamp) {
			return false
		}
	}
	return true
}

// TestConvertTsharkSample has tshark itself (not just wiretap through
// editcap) read both of our outputs for a sample of corpus files and agree
// on every packet's time, lengths and interface.
func TestConvertTsharkSample(t *testing.T) {
	files := append(testenv.CorpusFiles(t, "pcapng-test-generator"), testenv.CorpusFiles(t, "tcpdump")...)
	testenv.RequireTool(t, "tshark")
	tmp := t.TempDir()
	checked, sampled := 0, 0
	for i, f := range files {
		if i%40 != 0 {
			continue
		}
		sampled++
		ours := readCapture(f)
		if ours.err != nil {
			continue
		}
		for _, ext := range []string{".pcapng", ".pcap"} {
			out := filepath.Join(tmp, "x"+ext)
			if err := exec.Command(pcaptoolBin, "convert", "-q", f, out).Run(); err != nil {
				continue // several link types to pcap: covered above
			}
			want := ours
			if ext == ".pcap" {
				prec := outputPrecision(ours.ifaces)
				want.pkts = nil
				for _, p := range ours.pkts {
					c := *p
					c.Timestamp = c.Timestamp.Truncate(prec)
					want.pkts = append(want.pkts, &c)
				}
			}
			if d := compareTshark(out, want); d != "" && !strings.Contains(d, "verdict") {
				t.Errorf("%s → %s: %s", filepath.Base(f), ext, d)
				continue
			}
			checked++
		}
	}
	t.Logf("tshark agreed on %d outputs of %d sampled files", checked, sampled)
}
