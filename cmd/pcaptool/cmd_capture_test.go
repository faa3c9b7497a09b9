//go:build linux

package main

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/internal/netns"
	"github.com/pcaptool/pcaptool/internal/testenv"
	"github.com/pcaptool/pcaptool/live"
	"github.com/pcaptool/pcaptool/pcapng"
	"github.com/pcaptool/pcaptool/pkt"
)

// The tests below run the binary in network namespaces joined by a veth
// pair that each test creates and removes; traffic never leaves them.

// vethPair is namespaces a and b joined by veth va (in a) and vb (in b).
type vethPair struct{ a, b, va, vb string }

func newVethPair(t *testing.T) *vethPair {
	t.Helper()
	p := netns.NewPair(t)
	return &vethPair{a: p.A, b: p.B, va: p.VethA, vb: p.VethB}
}

// bg is a background process whose stderr is collected.
type bg struct {
	cmd    *exec.Cmd
	stderr bytes.Buffer
	stdout bytes.Buffer
	done   chan struct{} // closed when the process has exited
	err    error         // its exit status, once done is closed
}

func startIn(t *testing.T, ns string, name string, args ...string) *bg {
	t.Helper()
	b := &bg{cmd: netns.Exec(ns, name, args...), done: make(chan struct{})}
	b.cmd.Stderr, b.cmd.Stdout = &syncWriter{b: &b.stderr}, &syncWriter{b: &b.stdout}
	if err := b.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		b.err = b.cmd.Wait()
		close(b.done)
	}()
	t.Cleanup(func() {
		b.cmd.Process.Kill()
		<-b.done
	})
	return b
}

var outMu = make(chan struct{}, 1)

type syncWriter struct{ b *bytes.Buffer }

func (w *syncWriter) Write(p []byte) (int, error) {
	outMu <- struct{}{}
	defer func() { <-outMu }()
	return w.b.Write(p)
}

func (b *bg) errText() string {
	outMu <- struct{}{}
	defer func() { <-outMu }()
	return b.stderr.String()
}

// waitListening waits for the "listening on" line tcpdump and capture print.
func (b *bg) waitListening(t *testing.T) {
	t.Helper()
	for i := 0; i < 500; i++ {
		if strings.Contains(b.errText(), "listening on") {
			return
		}
		select {
		case <-b.done:
			t.Fatalf("%v exited early (%v): %s", b.cmd.Args, b.err, b.errText())
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("%v did not start: %s", b.cmd.Args, b.errText())
}

// stop sends sig and waits for the process to exit.
func (b *bg) stop(t *testing.T, sig os.Signal) error {
	t.Helper()
	b.cmd.Process.Signal(sig)
	select {
	case <-b.done:
		return b.err
	case <-time.After(10 * time.Second):
		t.Fatalf("%v did not exit after %v: %s", b.cmd.Args, sig, b.errText())
	}
	return nil
}

// packets reads every packet of a capture file.
func packets(t *testing.T, name string) ([]*pkt.Packet, []pkt.Interface) {
	t.Helper()
	r, err := capfile.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []*pkt.Packet
	for {
		p, err := r.ReadPacket()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, p.Clone())
	}
	return out, r.Interfaces()
}

// goSender sends n Ethernet frames of the local experimental EtherType from
// namespace ns on dev, from a plain Go program (this test) rather than the
// binary.
func goSender(t *testing.T, ns, dev string, n int) [][]byte {
	t.Helper()
	var inj *live.Injector
	var mac net.HardwareAddr
	if err := netns.Do(ns, func() error {
		ifi, err := net.InterfaceByName(dev)
		if err != nil {
			return err
		}
		mac = ifi.HardwareAddr
		inj, err = live.OpenInjector(dev)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer inj.Close()
	var sent [][]byte
	for i := range n {
		f := make([]byte, 60+i*13%1400)
		copy(f, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
		copy(f[6:], mac)
		binary.BigEndian.PutUint16(f[12:], 0x88b5)
		binary.BigEndian.PutUint32(f[14:], uint32(i))
		if err := inj.WritePacketData(f); err != nil {
			t.Fatal(err)
		}
		sent = append(sent, f)
	}
	return sent
}

func statLine(t *testing.T, stderr, what string) int {
	t.Helper()
	for _, l := range strings.Split(stderr, "\n") {
		var n int
		if _, err := fmt.Sscanf(l, "%d packets "+what, &n); err == nil && strings.HasSuffix(l, what) {
			return n
		}
	}
	t.Fatalf("no %q line in:\n%s", what, stderr)
	return 0
}

// TestCaptureMatchesTcpdump replays a generated capture and sends frames
// from a Go sender through a veth pair while capture (three ways) and
// tcpdump -w record the other end; all must hold the same packets. The
// captures are stopped with SIGTERM and SIGINT and must be complete, valid
// files with tcpdump's statistics lines.
func TestCaptureMatchesTcpdump(t *testing.T) {
	tcpdump := testenv.RequireTool(t, "tcpdump")
	p := newVethPair(t)
	dir := t.TempDir()
	gen := filepath.Join(dir, "gen.pcap")
	mustRun(t, "generate", "-c", "400", "--gap", "100us", "--seed", "7", gen)

	td := startIn(t, p.b, tcpdump, "-i", p.vb, "--immediate-mode", "-B", "65536", "--time-stamp-precision=nano", "-w", filepath.Join(dir, "td.pcap"))
	ng := startIn(t, p.b, pcaptoolBin, "capture", "-i", p.vb, "--immediate", "-w", filepath.Join(dir, "imm.pcapng"))
	ring := startIn(t, p.b, pcaptoolBin, "capture", "-i", p.vb, "-F", "pcap", "--time-stamp-precision", "nano", "-w", filepath.Join(dir, "ring.pcap"))
	anyc := startIn(t, p.b, pcaptoolBin, "capture", "-i", "any", "-w", filepath.Join(dir, "any.pcapng"))
	for _, b := range []*bg{td, ng, ring, anyc} {
		b.waitListening(t)
	}
	rep := replayIn(t, p.a, "-i", p.va, gen)
	if !strings.Contains(rep, "Actual: 400 packets") {
		t.Fatalf("replay report: %s", rep)
	}
	sent := goSender(t, p.a, p.va, 50)
	time.Sleep(300 * time.Millisecond)
	td.stop(t, os.Interrupt)
	if err := ng.stop(t, unix.SIGTERM); err != nil {
		t.Fatalf("capture exited with %v after SIGTERM: %s", err, ng.errText())
	}
	if err := ring.stop(t, os.Interrupt); err != nil {
		t.Fatalf("capture exited with %v after SIGINT: %s", err, ring.errText())
	}
	anyc.stop(t, unix.SIGTERM)

	want, _ := packets(t, filepath.Join(dir, "td.pcap"))
	genPkts, _ := packets(t, gen)
	if len(want) != len(genPkts)+len(sent) {
		t.Fatalf("tcpdump captured %d packets, %d were sent", len(want), len(genPkts)+len(sent))
	}
	for i, g := range genPkts {
		if !bytes.Equal(want[i].Data, g.Data) {
			t.Fatalf("tcpdump's packet %d differs from the replayed file's", i)
		}
	}
	for i, s := range sent {
		if !bytes.Equal(want[len(genPkts)+i].Data, s) {
			t.Fatalf("tcpdump's packet %d differs from the Go sender's frame %d", len(genPkts)+i, i)
		}
	}
	for _, c := range []struct {
		file string
		proc *bg
	}{{"imm.pcapng", ng}, {"ring.pcap", ring}} {
		got, ifaces := packets(t, filepath.Join(dir, c.file))
		if len(got) != len(want) {
			t.Fatalf("%s: %d packets, tcpdump has %d; stderr:\n%s", c.file, len(got), len(want), c.proc.errText())
		}
		var skew time.Duration
		for i := range got {
			if !bytes.Equal(got[i].Data, want[i].Data) || got[i].Length != want[i].Length {
				t.Fatalf("%s: packet %d differs from tcpdump's", c.file, i)
			}
			skew = max(skew, got[i].Timestamp.Sub(want[i].Timestamp).Abs())
		}
		if skew > 10*time.Millisecond {
			t.Errorf("%s: timestamps differ from tcpdump's by up to %v", c.file, skew)
		}
		stderr := c.proc.errText()
		if n := statLine(t, stderr, "captured"); n != len(want) {
			t.Errorf("%s: %q says %d captured", c.file, stderr, n)
		}
		if n := statLine(t, stderr, "received by filter"); n != len(want) {
			t.Errorf("%s: %d received by filter, want %d", c.file, n, len(want))
		}
		if n := statLine(t, stderr, "dropped by kernel"); n != 0 {
			t.Errorf("%s: %d dropped by kernel", c.file, n)
		}
		if ifaces[0].Name() != p.vb && c.file == "imm.pcapng" {
			t.Errorf("%s: if_name %q", c.file, ifaces[0].Name())
		}
		t.Logf("%s: %d packets identical to tcpdump's, timestamps within %v", c.file, len(got), skew)
	}
	checkPcapngBlocks(t, filepath.Join(dir, "imm.pcapng"), p.vb, len(want))

	// "any": LINUX_SLL2, the same payloads after the 20-byte cooked header.
	got, ifaces := packets(t, filepath.Join(dir, "any.pcapng"))
	if ifaces[0].LinkType != 276 || len(got) != len(want) {
		t.Fatalf("any: link type %v, %d packets (want LINUX_SLL2, %d)", ifaces[0].LinkType, len(got), len(want))
	}
	for i := range got {
		if !bytes.Equal(got[i].Data[20:], want[i].Data[14:]) {
			t.Fatalf("any: packet %d payload differs", i)
		}
	}
}

// runIn runs the binary in namespace ns and returns its stderr, failing on
// a non-zero exit.
func runIn(t *testing.T, ns string, args ...string) string {
	t.Helper()
	cmd := netns.Exec(ns, pcaptoolBin, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("pcaptool %v: %v\n%s", args, err, stderr.String())
	}
	return stderr.String()
}

// replayIn runs pcaptool replay in namespace ns and returns its report,
// which it prints on stdout as tcpreplay does.
func replayIn(t *testing.T, ns string, args ...string) string {
	t.Helper()
	cmd := netns.Exec(ns, pcaptoolBin, append([]string{"replay"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pcaptool replay %v: %v\n%s", args, err, stderr.String())
	}
	return string(out)
}

// checkPcapngBlocks checks the section and interface options and the
// closing Interface Statistics Block of a capture's pcapng file.
func checkPcapngBlocks(t *testing.T, name, ifname string, captured int) {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pcapng.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var last pcapng.Block
	for {
		b, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch b := b.(type) {
		case *pcapng.SectionHeader:
			if !strings.HasPrefix(b.OS(), "Linux") {
				t.Errorf("shb_os %q", b.OS())
			}
		case *pcapng.InterfaceDescription:
			if b.Name() != ifname || b.Description() == "" || b.Resolution() != pkt.Nanosecond {
				t.Errorf("IDB: name %q description %q resolution %v", b.Name(), b.Description(), b.Resolution())
			}
		case *pcapng.EnhancedPacket:
			if fl, ok := b.Flags(); !ok || fl&3 != 1 {
				t.Errorf("EPB flags %#x (present %v), want inbound", fl, ok)
			}
		}
		last = b.Clone()
	}
	isb, ok := last.(*pcapng.InterfaceStatistics)
	if !ok {
		t.Fatalf("last block is %T, want an Interface Statistics Block", last)
	}
	recv, _ := isb.FilterAccepted()
	deliv, _ := isb.Delivered()
	drop, okDrop := isb.OSDropped()
	if recv != uint64(captured) || deliv != uint64(captured) || !okDrop || drop != 0 {
		t.Errorf("ISB: filteraccept %d usrdeliv %d osdrop %d, want %d %d 0", recv, deliv, drop, captured, captured)
	}
}

// TestCaptureBPFFilter attaches tcpdump -ddd's program for "udp" with
// --bpf-file and checks both the packets kept and the kernel's count.
func TestCaptureBPFFilter(t *testing.T) {
	tcpdump := testenv.RequireTool(t, "tcpdump")
	p := newVethPair(t)
	dir := t.TempDir()
	gen := filepath.Join(dir, "gen.pcap")
	mustRun(t, "generate", "-c", "300", "--gap", "50us", "--seed", "3", gen)
	prog, err := exec.Command(tcpdump, "-ddd", "-y", "EN10MB", "udp").Output()
	if err != nil {
		t.Fatal(err)
	}
	bpfFile := filepath.Join(dir, "udp.bpf")
	os.WriteFile(bpfFile, prog, 0o644)
	out := filepath.Join(dir, "udp.pcapng")
	c := startIn(t, p.b, pcaptoolBin, "capture", "-i", p.vb, "--immediate", "--bpf-file", bpfFile, "-w", out, "udp")
	// The same filter as an expression compiled by package filter, on the
	// interface and on "any", where it must be rewritten for a cooked socket.
	exprOut := filepath.Join(dir, "expr.pcap")
	ce := startIn(t, p.b, pcaptoolBin, "capture", "-i", p.vb, "-w", exprOut, "udp")
	anyOut := filepath.Join(dir, "any.pcapng")
	ca := startIn(t, p.b, pcaptoolBin, "capture", "-i", "any", "-w", anyOut, "udp", "and", "not", "port", "9")
	for _, b := range []*bg{c, ce, ca} {
		b.waitListening(t)
	}
	runIn(t, p.a, "replay", "--topspeed", "-i", p.va, gen)
	goSender(t, p.a, p.va, 20) // not UDP: all rejected
	time.Sleep(200 * time.Millisecond)
	for _, b := range []*bg{c, ce, ca} {
		b.stop(t, unix.SIGTERM)
	}

	all, _ := packets(t, gen)
	var want [][]byte
	for _, pk := range all {
		d := pk.Data
		et := binary.BigEndian.Uint16(d[12:])
		if (et == 0x0800 && d[14+9] == 17) || (et == 0x86dd && d[14+6] == 17) {
			want = append(want, d)
		}
	}
	got, ifaces := packets(t, out)
	if len(got) != len(want) || len(want) == 0 {
		t.Fatalf("captured %d packets, %d of %d sent are UDP", len(got), len(want), len(all))
	}
	for i := range got {
		if !bytes.Equal(got[i].Data, want[i]) {
			t.Fatalf("packet %d is not the %dth UDP packet sent", i, i)
		}
	}
	if n := statLine(t, c.errText(), "received by filter"); n != len(want) {
		t.Errorf("kernel counted %d packets through the filter, want %d", n, len(want))
	}
	if f := pkt.FindOption(ifaces[0].Options, 11); string(f) != "\x00udp" {
		t.Errorf("if_filter %q, want the expression", f)
	}
	for _, c := range []struct {
		name string
		proc *bg
		hdr  int
	}{{exprOut, ce, 14}, {anyOut, ca, 20}} {
		got, _ := packets(t, c.name)
		if len(got) != len(want) {
			t.Fatalf("%s: %d packets, want %d UDP: %s", c.name, len(got), len(want), c.proc.errText())
		}
		for i := range got {
			if !bytes.Equal(got[i].Data[c.hdr:], want[i][14:]) {
				t.Fatalf("%s: packet %d is not the %dth UDP packet sent", c.name, i, i)
			}
		}
		if n := statLine(t, c.proc.errText(), "received by filter"); n != len(want) {
			t.Errorf("%s: kernel counted %d packets through the filter, want %d", c.name, n, len(want))
		}
	}
	t.Logf("filter kept %d of %d packets", len(got), len(all)+20)
}

// TestCaptureRotation checks tcpdump's file naming for -C, -C -W and -G.
func TestCaptureRotation(t *testing.T) {
	p := newVethPair(t)
	dir := t.TempDir()
	gen := filepath.Join(dir, "gen.pcap")
	mustRun(t, "generate", "-c", "600", "--gap", "20us", "--seed", "5", gen)
	genPkts, _ := packets(t, gen)

	size := filepath.Join(dir, "size.pcap")
	ring := filepath.Join(dir, "ring.pcap")
	cs := startIn(t, p.b, pcaptoolBin, "capture", "-i", p.vb, "--immediate", "-C", "0.1", "-w", size)
	cw := startIn(t, p.b, pcaptoolBin, "capture", "-i", p.vb, "--immediate", "-C", "0.1", "-W", "3", "-w", ring)
	cs.waitListening(t)
	cw.waitListening(t)
	// Paced: this is about file names and contents, not about keeping up
	// with a flood on a loaded machine (bench/capture-flood.sh is).
	runIn(t, p.a, "replay", "--pps", "20000", "-i", p.va, gen)
	time.Sleep(200 * time.Millisecond)
	cs.stop(t, unix.SIGTERM)
	cw.stop(t, unix.SIGTERM)

	// -C alone: size.pcap, size.pcap1, ...; concatenated they hold everything.
	var all []*pkt.Packet
	files := 0
	for i := 0; ; i++ {
		name := size
		if i > 0 {
			name = fmt.Sprintf("%s%d", size, i)
		}
		st, err := os.Stat(name)
		if err != nil {
			break
		}
		files++
		pk, _ := packets(t, name)
		if last := pk[len(pk)-1]; st.Size()-int64(16+len(last.Data)) > 100000 {
			t.Errorf("%s: %d bytes before its last packet, more than -C allows", name, st.Size())
		}
		all = append(all, pk...)
	}
	if files < 3 || len(all) != len(genPkts) {
		t.Fatalf("-C: %d files with %d packets, want several with %d", files, len(all), len(genPkts))
	}
	for i := range all {
		if !bytes.Equal(all[i].Data, genPkts[i].Data) {
			t.Fatalf("-C: packet %d out of place", i)
		}
	}
	// -C -W 3: ring.pcap0..2 only, the last packets in the newest file.
	for i := 0; i < 3; i++ {
		if _, err := os.Stat(fmt.Sprintf("%s%d", ring, i)); err != nil {
			t.Errorf("-W 3: %v", err)
		}
	}
	for _, extra := range []string{ring, ring + "3", ring + "00"} {
		if _, err := os.Stat(extra); err == nil {
			t.Errorf("-W 3: unexpected file %s", extra)
		}
	}
	newest := fmt.Sprintf("%s%d", ring, (files-1)%3)
	pk, _ := packets(t, newest)
	if !bytes.Equal(pk[len(pk)-1].Data, genPkts[len(genPkts)-1].Data) {
		t.Errorf("-W 3: %s does not end with the last packet", newest)
	}
	t.Logf("-C 0.1 made %d files; -W 3 kept 3", files)

	// -G 1 -W 2 with a strftime pattern: two files, then capture exits by itself.
	pattern := filepath.Join(dir, "g-%Y%m%d-%H%M%S.pcap")
	cg := startIn(t, p.b, pcaptoolBin, "capture", "-i", p.vb, "--immediate", "-G", "1", "-W", "2", "-w", pattern)
	cg.waitListening(t)
	stopSend := make(chan struct{})
	go func() {
		for {
			select {
			case <-stopSend:
				return
			default:
			}
			netns.Exec(p.a, pcaptoolBin, "replay", "--topspeed", "-i", p.va, gen).Run()
			time.Sleep(300 * time.Millisecond)
		}
	}()
	select {
	case <-cg.done:
		if cg.err != nil {
			t.Fatalf("-G -W 2: exit %v: %s", cg.err, cg.errText())
		}
	case <-time.After(8 * time.Second):
		t.Fatal("-G 1 -W 2 did not stop after two files")
	}
	close(stopSend)
	matches, _ := filepath.Glob(filepath.Join(dir, "g-*.pcap"))
	if len(matches) != 2 {
		t.Fatalf("-G -W 2 made %v", matches)
	}
	for _, m := range matches {
		if _, err := time.Parse("g-20060102-150405.pcap", filepath.Base(m)); err != nil {
			t.Errorf("-G file name %s does not follow the pattern: %v", m, err)
		}
	}
}

// TestCaptureKilled checks that a capture killed with SIGKILL leaves a file
// readable up to the last flush: the periodic flush (about every second,
// without -U) puts every packet on disk without any help from the process's
// exit, and nothing after the last flush can damage the file.
func TestCaptureKilled(t *testing.T) {
	p := newVethPair(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "killed.pcap")
	c := startIn(t, p.b, pcaptoolBin, "capture", "-i", p.vb, "-w", out)
	c.waitListening(t)
	sent := goSender(t, p.a, p.va, 100)
	// Wait for the periodic flush rather than a fixed time: on a loaded
	// machine the capture may be scheduled late, but it must get there
	// while still running.
	deadline := time.Now().Add(15 * time.Second)
	flushed := 0
	for time.Now().Before(deadline) && flushed < len(sent) {
		time.Sleep(200 * time.Millisecond)
		flushed = countReadable(out)
	}
	c.stop(t, unix.SIGKILL)
	if flushed != len(sent) {
		t.Fatalf("only %d of %d packets were flushed within 15 s while capturing", flushed, len(sent))
	}
	got, _ := packets(t, out)
	if len(got) != len(sent) {
		t.Fatalf("file holds %d packets after SIGKILL, %d were flushed before it", len(got), len(sent))
	}
}

// countReadable counts the whole packets in a capture file that may still
// be growing; a partly written last record is not counted.
func countReadable(name string) int {
	r, err := capfile.Open(name)
	if err != nil {
		return 0
	}
	defer r.Close()
	n := 0
	for {
		if _, err := r.ReadPacket(); err != nil {
			return n
		}
		n++
	}
}

// TestStaticChroot runs the CGO_ENABLED=0 binary alone in an empty
// directory with chroot: no libc, no libpcap, no /proc, no /sys.
func TestStaticChroot(t *testing.T) {
	testenv.RequireTool(t, "chroot")
	p := newVethPair(t)
	ef, err := elf.Open(pcaptoolBin)
	if err != nil {
		t.Fatal(err)
	}
	for _, prog := range ef.Progs {
		if prog.Type == elf.PT_INTERP || prog.Type == elf.PT_DYNAMIC {
			t.Fatalf("binary is dynamically linked (%v)", prog.Type)
		}
	}
	ef.Close()
	root := t.TempDir()
	bin, _ := os.ReadFile(pcaptoolBin)
	if err := os.WriteFile(filepath.Join(root, "pcaptool"), bin, 0o755); err != nil {
		t.Fatal(err)
	}
	c := startIn(t, p.b, "chroot", root, "/pcaptool", "capture", "-i", p.vb, "-c", "5", "--immediate", "-w", "/out.pcapng")
	c.waitListening(t)
	sent := goSender(t, p.a, p.va, 5)
	select {
	case <-c.done:
		if c.err != nil {
			t.Fatalf("chrooted capture: %v: %s", c.err, c.errText())
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("chrooted capture did not stop after -c 5: %s", c.errText())
	}
	got, _ := packets(t, filepath.Join(root, "out.pcapng"))
	if len(got) != 5 {
		t.Fatalf("%d packets captured in the chroot", len(got))
	}
	for i := range got {
		if !bytes.Equal(got[i].Data, sent[i]) {
			t.Fatalf("packet %d differs", i)
		}
	}
	entries, _ := os.ReadDir(root)
	if len(entries) != 2 {
		t.Errorf("chroot holds %d entries, want the binary and the capture", len(entries))
	}
}

// TestInterfacesCommand lists the interfaces of a fresh namespace.
func TestInterfacesCommand(t *testing.T) {
	p := newVethPair(t)
	want := fmt.Sprintf("1.%s [Up, Running, Connected]\n2.any (Pseudo-device that captures on all interfaces) [Up, Running]\n3.lo [Up, Running, Loopback]\n", p.vb)
	var out []byte
	// The veth reports a carrier (Running) a moment after it comes up.
	for i := 0; i < 100; i++ {
		var err error
		out, err = netns.Exec(p.b, pcaptoolBin, "interfaces").Output()
		if err != nil {
			t.Fatal(err)
		}
		if string(out) == want {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if string(out) != want {
		t.Errorf("interfaces:\n%s\nwant:\n%s", out, want)
	}
	out, err := netns.Exec(p.b, pcaptoolBin, "interfaces", "--json").Output()
	if err != nil {
		t.Fatal(err)
	}
	var list []interfaceJSON
	if err := json.Unmarshal(out, &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 3 || list[0].LinkTypeName != "EN10MB" || list[1].LinkTypeName != "LINUX_SLL2" || list[0].MTU != 1500 {
		t.Errorf("interfaces --json: %+v", list)
	}
}

// TestReplayTiming checks that replay keeps the capture's timing, scaled.
func TestReplayTiming(t *testing.T) {
	p := newVethPair(t)
	dir := t.TempDir()
	gen := filepath.Join(dir, "gen.pcap")
	mustRun(t, "generate", "-c", "200", "--gap", "5ms", "--seed", "9", gen)
	pk, _ := packets(t, gen)
	span := pk[len(pk)-1].Timestamp.Sub(pk[0].Timestamp)
	for _, tc := range []struct {
		args []string
		want time.Duration
	}{
		{nil, span},
		{[]string{"--speed", "4"}, span / 4},
		{[]string{"--pps", "400"}, 199 * time.Second / 400},
	} {
		rep := replayIn(t, p.a, append(append([]string{"-i", p.va}, tc.args...), gen)...)
		var n, bytes int
		var secs float64
		if _, err := fmt.Sscanf(rep, "Actual: %d packets (%d bytes) sent in %f seconds", &n, &bytes, &secs); err != nil {
			t.Fatalf("replay report %q: %v", rep, err)
		}
		took := time.Duration(secs * float64(time.Second))
		// Never early; late by at most 30% and 100 ms, which a loaded
		// machine needs and which still tells the three schedules
		// (about 1 s, 0.25 s and 0.5 s) apart.
		if took < tc.want-time.Millisecond || took > tc.want*13/10+100*time.Millisecond {
			t.Errorf("replay %v took %v, want about %v", tc.args, took, tc.want)
		}
		if !strings.Contains(rep, "Actual: 200 packets") || !strings.Contains(rep, "pps") {
			t.Errorf("replay %v report: %s", tc.args, rep)
		}
	}
}

// TestCaptureBufferWarning drops CAP_NET_ADMIN so that the kernel caps a
// recvmsg capture's socket buffer at net.core.rmem_max, and checks that
// capture says so instead of silently capturing with less than asked; with
// the capability, or on a ring, it gets what it asks and says nothing.
func TestCaptureBufferWarning(t *testing.T) {
	setpriv := testenv.RequireTool(t, "setpriv")
	p := newVethPair(t)
	b, err := os.ReadFile("/proc/sys/net/core/rmem_max")
	if err != nil {
		t.Skipf("no rmem_max: %v", err)
	}
	var rmemMax int
	if _, err := fmt.Sscan(string(b), &rmemMax); err != nil {
		t.Fatal(err)
	}
	asked := fmt.Sprint(rmemMax>>10 + 1024) // KiB, more than the cap
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		warn bool
	}{
		{"recvmsg without CAP_NET_ADMIN", []string{setpriv, "--bounding-set", "-net_admin", pcaptoolBin, "capture", "--immediate", "--method", "recvmsg"}, true},
		{"recvmsg", []string{pcaptoolBin, "capture", "--immediate", "--method", "recvmsg"}, !canForceRcvbuf(t, rmemMax+1)},
		{"ring without CAP_NET_ADMIN", []string{setpriv, "--bounding-set", "-net_admin", pcaptoolBin, "capture"}, false},
		{"frame ring without CAP_NET_ADMIN", []string{setpriv, "--bounding-set", "-net_admin", pcaptoolBin, "capture", "--immediate"}, false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append(tt.args[1:], "-i", p.vb, "-B", asked, "-w", filepath.Join(dir, fmt.Sprint(i, ".pcapng")))
			c := startIn(t, p.b, tt.args[0], args...)
			c.waitListening(t)
			if err := c.stop(t, unix.SIGTERM); err != nil {
				t.Fatalf("%v: %v\n%s", args, err, c.errText())
			}
			want := fmt.Sprintf("gave a %d KiB capture buffer, not the %s KiB asked for", rmemMax>>10, asked)
			if got := strings.Contains(c.errText(), want); got != tt.warn {
				t.Errorf("warning %v, want %v:\n%s", got, tt.warn, c.errText())
			}
		})
	}
}

// canForceRcvbuf reports whether this process may set a socket buffer
// beyond net.core.rmem_max (SO_RCVBUFFORCE): not in a container whose root
// lacks CAP_NET_ADMIN in the initial user namespace.
func canForceRcvbuf(t *testing.T, size int) bool {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	ok := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, size) == nil
	if !ok {
		t.Log("SO_RCVBUFFORCE refused here: every recvmsg capture is capped by rmem_max")
	}
	return ok
}

// TestCaptureSummaryLines checks the lines capture prints without -w, on
// the interface and on "any", where each line names the real interface:
// the interface index, direction and protocol come with each packet.
func TestCaptureSummaryLines(t *testing.T) {
	p := newVethPair(t)
	const n = 5
	dev := startIn(t, p.b, pcaptoolBin, "capture", "-i", p.vb, "--immediate", "-c", strconv.Itoa(n))
	anyc := startIn(t, p.b, pcaptoolBin, "capture", "-i", "any", "--immediate", "-c", strconv.Itoa(n), "ether", "proto", "0x88b5")
	dev.waitListening(t)
	anyc.waitListening(t)
	sent := goSender(t, p.a, p.va, n)
	for _, b := range []*bg{dev, anyc} {
		select {
		case <-b.done:
		case <-time.After(10 * time.Second):
			t.Fatalf("%v did not stop after %d packets: %s", b.cmd.Args, n, b.errText())
		}
		outMu <- struct{}{}
		lines := strings.Split(strings.TrimSpace(b.stdout.String()), "\n")
		<-outMu
		if len(lines) != n {
			t.Fatalf("%v printed %d lines, want %d: %q", b.cmd.Args, len(lines), n, lines)
		}
		for i, l := range lines {
			// Broadcast frames: the kernel classifies them as "B".
			want := fmt.Sprintf(" %s B   ethertype 0x88b5, length %d", p.vb, len(sent[i]))
			if b == anyc { // a 20-byte LINUX_SLL2 header instead of Ethernet's 14
				want = fmt.Sprintf(" %s B   ethertype 0x88b5, length %d", p.vb, len(sent[i])-14+20)
			}
			if !strings.HasSuffix(l, want) {
				t.Errorf("line %d %q, want it to end with %q", i, l, want)
			}
		}
	}
}

// TestReplayJSONLimitAndInterrupt checks replay's --json statistics with
// --limit over several --loop passes, the usage error for contradictory
// pacing flags, and that SIGINT ends an endless replay with its statistics
// and exit status 130.
func TestReplayJSONLimitAndInterrupt(t *testing.T) {
	p := newVethPair(t)
	dir := t.TempDir()
	gen := filepath.Join(dir, "gen.pcap")
	mustRun(t, "generate", "-c", "40", "--seed", "3", gen)

	out := replayIn(t, p.a, "-i", p.va, "--topspeed", "--loop", "3", "--limit", "100", "--json", gen)
	var st struct {
		Device  string  `json:"device"`
		Packets uint64  `json:"packets"`
		Failed  uint64  `json:"failed"`
		Passes  int     `json:"passes"`
		PPS     float64 `json:"pps"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("replay --json: %v\n%s", err, out)
	}
	if st.Device != p.va || st.Packets != 100 || st.Failed != 0 || st.Passes != 3 || st.PPS <= 0 {
		t.Errorf("replay --json: %+v", st)
	}

	res := runTool(t, nil, "replay", "-i", p.va, "--topspeed", "--pps", "10", gen)
	if res.code != exitFailure || !strings.Contains(res.stderr, "use one of") {
		t.Errorf("--topspeed --pps: exit %d, %s", res.code, res.stderr)
	}

	r := startIn(t, p.a, pcaptoolBin, "replay", "-i", p.va, "--pps", "200", "--loop", "0", gen)
	time.Sleep(500 * time.Millisecond)
	err := r.stop(t, os.Interrupt)
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitInterrupted {
		t.Fatalf("replay after SIGINT: %v, want exit status %d; %s", err, exitInterrupted, r.errText())
	}
	var n, bytes int
	var secs float64
	if _, err := fmt.Sscanf(r.stdout.String(), "Actual: %d packets (%d bytes) sent in %f seconds", &n, &bytes, &secs); err != nil || n == 0 {
		t.Fatalf("replay report after SIGINT %q: %v", r.stdout.String(), err)
	}
}
