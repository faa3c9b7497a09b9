//go:build linux

package live_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/internal/netns"
	"github.com/pcaptool/pcaptool/internal/testcap"
	"github.com/pcaptool/pcaptool/internal/testenv"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/live"
	"github.com/pcaptool/pcaptool/pkt"
	"golang.org/x/net/bpf"
)

// testEtherType is IEEE 802's "local experimental" EtherType 1, so the test
// frames can never be mistaken for real traffic.
const testEtherType = 0x88b5

// frame builds an Ethernet frame of n bytes carrying seq, from src to dst.
func frame(dst, src net.HardwareAddr, etherType uint16, seq uint32, n int) []byte {
	b := make([]byte, n)
	copy(b[0:6], dst)
	copy(b[6:12], src)
	binary.BigEndian.PutUint16(b[12:], etherType)
	binary.BigEndian.PutUint32(b[14:], seq)
	for i := 18; i < n; i++ {
		b[i] = byte(i*7 + int(seq))
	}
	return b
}

// vlanFrame builds an 802.1Q-tagged frame.
func vlanFrame(dst, src net.HardwareAddr, vid uint16, seq uint32, n int) []byte {
	b := frame(dst, src, 0x8100, seq, n)
	binary.BigEndian.PutUint16(b[14:], vid)
	binary.BigEndian.PutUint16(b[16:], testEtherType)
	binary.BigEndian.PutUint32(b[18:], seq)
	return b
}

type env struct {
	p          *netns.Pair
	macA, macB net.HardwareAddr
	idxB       int
	inj        *live.Injector
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{p: netns.NewPair(t)}
	err := netns.Do(e.p.A, func() error {
		ifi, err := net.InterfaceByName(e.p.VethA)
		if err != nil {
			return err
		}
		e.macA = ifi.HardwareAddr
		e.inj, err = live.OpenInjector(e.p.VethA)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.inj.Close() })
	err = netns.Do(e.p.B, func() error {
		ifi, err := net.InterfaceByName(e.p.VethB)
		if err != nil {
			return err
		}
		e.macB, e.idxB = ifi.HardwareAddr, ifi.Index
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) open(t *testing.T, ns, dev string, cfg *live.Config) *live.Handle {
	t.Helper()
	var h *live.Handle
	err := netns.Do(ns, func() error {
		var err error
		h, err = live.Open(dev, cfg)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// readN reads n packets, failing after a timeout.
func readN(t *testing.T, h *live.Handle, n int) []*pkt.Packet {
	t.Helper()
	out, err := collect(h, n)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// collect reads n packets within 5 s. Its error carries the handle's kernel
// statistics, so a loss shows whether the kernel dropped the packets.
func collect(h *live.Handle, n int) ([]*pkt.Packet, error) {
	var out []*pkt.Packet
	h.SetReadDeadline(time.Now().Add(5 * time.Second))
	defer h.SetReadDeadline(time.Time{})
	for len(out) < n {
		p, err := h.ReadPacket()
		if err != nil {
			st, serr := h.Stats()
			return out, fmt.Errorf("after %d of %d packets: %v (kernel stats %+v, %v)", len(out), n, err, st, serr)
		}
		out = append(out, p.Clone())
	}
	return out, nil
}

// expectNone checks that nothing more arrives within d.
func expectNone(t *testing.T, h *live.Handle, d time.Duration) {
	t.Helper()
	h.SetReadDeadline(time.Now().Add(d))
	p, err := h.ReadPacket()
	if err == nil {
		t.Fatalf("unexpected extra packet of %d bytes: % x", p.Length, p.Data[:min(len(p.Data), 32)])
	}
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("ReadPacket: %v, want a deadline error", err)
	}
	h.SetReadDeadline(time.Time{})
}

func epbFlags(p *pkt.Packet) uint32 {
	v := pkt.FindOption(p.Options, pkt.OptEPBFlags)
	if len(v) != 4 {
		return 0
	}
	return binary.LittleEndian.Uint32(v)
}

var methods = []struct {
	name string
	cfg  live.Config
}{
	{"ring", live.Config{Method: live.MethodRing, Timeout: 5 * time.Millisecond}},
	{"recvmsg", live.Config{Method: live.MethodRecvmsg}},
	{"frame-ring", live.Config{Method: live.MethodFrameRing}},
	{"immediate", live.Config{Immediate: true}},
}

// readMethods are the distinct ways of reading: methods without the
// immediate entry, which picks one of them.
var readMethods = methods[:3]

// TestImmediatePicksFrameRing checks what MethodAuto picks.
func TestImmediatePicksFrameRing(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct {
		cfg  live.Config
		want live.Method
	}{
		{live.Config{}, live.MethodRing},
		{live.Config{Immediate: true}, live.MethodFrameRing},
		{live.Config{Immediate: true, Method: live.MethodRecvmsg}, live.MethodRecvmsg},
		{live.Config{Immediate: true, Method: live.MethodRing}, live.MethodRing},
	} {
		cfg := tt.cfg
		if got := e.open(t, e.p.B, e.p.VethB, &cfg).Method(); got != tt.want {
			t.Errorf("Open(%+v).Method() = %v, want %v", tt.cfg, got, tt.want)
		}
	}
}

// TestCaptureVeth sends frames of every size from namespace A and checks
// that a capture in B gets each one whole, in order, with its length,
// direction and a kernel timestamp taken while it was sent.
func TestCaptureVeth(t *testing.T) {
	e := newEnv(t)
	for _, m := range methods {
		t.Run(m.name, func(t *testing.T) {
			cfg := m.cfg
			h := e.open(t, e.p.B, e.p.VethB, &cfg)
			if h.Interfaces()[0].LinkType != linktype.Ethernet {
				t.Fatalf("link type %v, want EN10MB", h.Interfaces()[0].LinkType)
			}
			var sent [][]byte
			before := time.Now()
			for i, n := range []int{60, 61, 64, 100, 500, 1000, 1400, 1514} {
				f := frame(e.macB, e.macA, testEtherType, uint32(i), n)
				if err := e.inj.WritePacketData(f); err != nil {
					t.Fatal(err)
				}
				sent = append(sent, f)
			}
			after := time.Now()
			got := readN(t, h, len(sent))
			for i, p := range got {
				if !bytes.Equal(p.Data, sent[i]) || p.Length != len(sent[i]) {
					t.Errorf("packet %d: got %d/%d bytes % x..., want %d", i, len(p.Data), p.Length, p.Data[:16], len(sent[i]))
				}
				if p.Timestamp.Before(before.Add(-time.Millisecond)) || p.Timestamp.After(after.Add(time.Millisecond)) {
					t.Errorf("packet %d: timestamp %v outside [%v, %v]", i, p.Timestamp, before, after)
				}
				if f := epbFlags(p); f != 1|1<<2 {
					t.Errorf("packet %d: epb_flags %#x, want inbound unicast (0x5)", i, f)
				}
			}
			if l := got[len(got)-1].Link; !l.Valid || int(l.IfIndex) != e.idxB || l.Type != pkt.PacketHost || l.Protocol != testEtherType {
				t.Errorf("Link = %+v", l)
			}
			expectNone(t, h, 50*time.Millisecond)
			st, err := h.Stats()
			if err != nil {
				t.Fatal(err)
			}
			if st.Received != uint64(len(sent)) || st.Dropped != 0 {
				t.Errorf("stats %+v, want %d received, 0 dropped", st, len(sent))
			}
		})
	}
}

// TestSnapLen checks that a short snap length cuts the data but keeps the
// original length, with and without a VLAN tag to put back.
func TestSnapLen(t *testing.T) {
	e := newEnv(t)
	for _, m := range methods {
		t.Run(m.name, func(t *testing.T) {
			cfg := m.cfg
			cfg.SnapLen = 40
			h := e.open(t, e.p.B, e.p.VethB, &cfg)
			f := frame(e.macB, e.macA, testEtherType, 1, 1000)
			v := vlanFrame(e.macB, e.macA, 42, 2, 800)
			for _, b := range [][]byte{f, v} {
				if err := e.inj.WritePacketData(b); err != nil {
					t.Fatal(err)
				}
			}
			got := readN(t, h, 2)
			for i, want := range [][]byte{f, v} {
				if !bytes.Equal(got[i].Data, want[:40]) || got[i].Length != len(want) {
					t.Errorf("packet %d: got %d of %d bytes % x, want 40 of %d % x", i, len(got[i].Data), got[i].Length, got[i].Data, len(want), want[:40])
				}
			}
		})
	}
}

// TestVLANReinserted sends 802.1Q frames, which the receiving side's
// kernel untags; the capture must put the tag back as libpcap does.
func TestVLANReinserted(t *testing.T) {
	e := newEnv(t)
	for _, m := range methods {
		t.Run(m.name, func(t *testing.T) {
			cfg := m.cfg
			h := e.open(t, e.p.B, e.p.VethB, &cfg)
			want := vlanFrame(e.macB, e.macA, 0x2005, 7, 300)
			if err := e.inj.WritePacketData(want); err != nil {
				t.Fatal(err)
			}
			got := readN(t, h, 1)[0]
			if !bytes.Equal(got.Data, want) || got.Length != len(want) {
				t.Fatalf("got % x\nwant % x", got.Data[:24], want[:24])
			}
		})
	}
}

// TestAnyDevice captures on "any": LINUX_SLL2 with the real interface's
// index, hardware type, packet type and source address in the header.
func TestAnyDevice(t *testing.T) {
	e := newEnv(t)
	for _, m := range methods {
		t.Run(m.name, func(t *testing.T) {
			cfg := m.cfg
			h := e.open(t, e.p.B, live.AnyDevice, &cfg)
			if h.Interfaces()[0].LinkType != linktype.LinuxSLL2 {
				t.Fatalf("link type %v", h.Interfaces()[0].LinkType)
			}
			f := frame(e.macB, e.macA, testEtherType, 3, 200)
			if err := e.inj.WritePacketData(f); err != nil {
				t.Fatal(err)
			}
			var p *pkt.Packet
			for {
				p = readN(t, h, 1)[0]
				if binary.BigEndian.Uint16(p.Data[0:]) == testEtherType {
					break
				}
			}
			want := make([]byte, 20)
			binary.BigEndian.PutUint16(want[0:], testEtherType)
			binary.BigEndian.PutUint32(want[4:], uint32(e.idxB))
			binary.BigEndian.PutUint16(want[8:], 1) // ARPHRD_ETHER
			want[10] = 0                            // PACKET_HOST
			want[11] = 6
			copy(want[12:], e.macA)
			want = append(want, f[14:]...)
			if !bytes.Equal(p.Data, want) || p.Length != len(want) {
				t.Fatalf("got  % x\nwant % x", p.Data[:32], want[:32])
			}
			if name := h.Interfaces()[0].Name(); name != "any" {
				t.Errorf("interface name %q", name)
			}
		})
	}
}

// evenSequenceFilter is a kernel filter that accepts only the test frames
// whose sequence number (bytes 14..17) is even.
func evenSequenceFilter(t *testing.T) []bpf.RawInstruction {
	t.Helper()
	prog, err := bpf.Assemble([]bpf.Instruction{
		bpf.LoadAbsolute{Off: 12, Size: 2},
		bpf.JumpIf{Cond: bpf.JumpNotEqual, Val: testEtherType, SkipTrue: 3},
		bpf.LoadAbsolute{Off: 17, Size: 1},
		bpf.JumpIf{Cond: bpf.JumpBitsSet, Val: 1, SkipTrue: 1},
		bpf.RetConstant{Val: 262144},
		bpf.RetConstant{Val: 0},
	})
	if err != nil {
		t.Fatal(err)
	}
	return prog
}

// TestFilterAndDirection attaches a kernel filter that accepts only frames
// whose sequence number is even and checks both what arrives and the kernel
// counters; it also captures the sending side, where frames are outgoing.
func TestFilterAndDirection(t *testing.T) {
	e := newEnv(t)
	prog := evenSequenceFilter(t)
	for _, m := range methods {
		t.Run(m.name, func(t *testing.T) {
			cfg := m.cfg
			cfg.Filter = prog
			cfg.FilterText = "even test frames"
			h := e.open(t, e.p.B, e.p.VethB, &cfg)
			out := cfg
			out.Direction = live.DirectionOut
			hOut := e.open(t, e.p.A, e.p.VethA, &out)
			in := cfg
			in.Direction = live.DirectionIn
			hIn := e.open(t, e.p.A, e.p.VethA, &in)
			const n = 100
			for i := range n {
				if err := e.inj.WritePacketData(frame(e.macB, e.macA, testEtherType, uint32(i), 80)); err != nil {
					t.Fatal(err)
				}
			}
			got := readN(t, h, n/2)
			for i, p := range got {
				if seq := binary.BigEndian.Uint32(p.Data[14:]); seq != uint32(2*i) {
					t.Fatalf("packet %d has sequence %d, want %d", i, seq, 2*i)
				}
			}
			expectNone(t, h, 50*time.Millisecond)
			st, _ := h.Stats()
			if st.Received != n/2 || st.Dropped != 0 {
				t.Errorf("stats %+v, want %d received (the filter rejects the rest)", st, n/2)
			}
			outs := readN(t, hOut, n/2)
			if f := epbFlags(outs[0]); f != 2 {
				t.Errorf("outgoing epb_flags %#x, want 2", f)
			}
			if outs[0].Link.Type != pkt.PacketOutgoing {
				t.Errorf("outgoing packet type %v", outs[0].Link.Type)
			}
			expectNone(t, hOut, 20*time.Millisecond)
			expectNone(t, hIn, 20*time.Millisecond)
			filter := pkt.FindOption(h.Interfaces()[0].Options, pkt.OptIfFilter)
			if string(filter) != "\x00even test frames" {
				t.Errorf("if_filter option %q", filter)
			}
		})
	}
}

// TestBreak stops a ReadPacket blocked in another goroutine.
func TestBreak(t *testing.T) {
	e := newEnv(t)
	for _, m := range methods {
		t.Run(m.name, func(t *testing.T) {
			cfg := m.cfg
			h := e.open(t, e.p.B, e.p.VethB, &cfg)
			done := make(chan error, 1)
			go func() {
				_, err := h.ReadPacket()
				done <- err
			}()
			time.Sleep(20 * time.Millisecond)
			h.Break()
			select {
			case err := <-done:
				if err != io.EOF {
					t.Fatalf("ReadPacket after Break: %v, want io.EOF", err)
				}
			case <-time.After(2 * time.Second):
				t.Fatal("Break did not stop ReadPacket")
			}
		})
	}
}

// TestKernelDrops fills a small buffer without reading and checks that the
// kernel counts the packets it had to drop.
func TestKernelDrops(t *testing.T) {
	e := newEnv(t)
	for _, m := range readMethods {
		t.Run(m.name, func(t *testing.T) {
			cfg := m.cfg
			cfg.BufferSize = 64 << 10
			cfg.SnapLen = 2048
			h := e.open(t, e.p.B, e.p.VethB, &cfg)
			const n = 2000
			for i := range n {
				if err := e.inj.WritePacketData(frame(e.macB, e.macA, testEtherType, uint32(i), 1400)); err != nil {
					t.Fatal(err)
				}
			}
			time.Sleep(20 * time.Millisecond)
			st, err := h.Stats()
			if err != nil {
				t.Fatal(err)
			}
			if st.Received != n || st.Dropped == 0 || st.Dropped >= n {
				t.Fatalf("stats %+v: want %d received, some but not all dropped", st, n)
			}
			read := 0
			for {
				h.SetReadDeadline(time.Now().Add(30 * time.Millisecond))
				if _, err := h.ReadPacket(); err != nil {
					break
				}
				read++
			}
			if uint64(read) != st.Received-st.Dropped {
				t.Errorf("read %d packets, want received-dropped = %d", read, st.Received-st.Dropped)
			}
		})
	}
}

// TestBufferSize checks what Handle.BufferSize reports: a ring of whole
// blocks at least as large as asked for, and the socket buffer the kernel
// granted, which without CAP_NET_ADMIN in the initial user namespace is
// capped by net.core.rmem_max.
func TestBufferSize(t *testing.T) {
	e := newEnv(t)
	rmemMax := -1
	if b, err := os.ReadFile("/proc/sys/net/core/rmem_max"); err == nil {
		fmt.Sscan(string(b), &rmemMax)
	}
	tests := []struct {
		name  string
		cfg   live.Config
		asked int
		ring  bool
	}{
		{name: "ring default", cfg: live.Config{Method: live.MethodRing}, asked: live.DefaultBufferSize, ring: true},
		{name: "ring rounded up", cfg: live.Config{Method: live.MethodRing, BufferSize: 1500 << 10, SnapLen: 65535}, asked: 1500 << 10, ring: true},
		{name: "frame ring default", cfg: live.Config{Method: live.MethodFrameRing}, asked: live.DefaultBufferSize, ring: true},
		{name: "frame ring rounded up", cfg: live.Config{Method: live.MethodFrameRing, BufferSize: 1500<<10 + 100}, asked: 1500<<10 + 100, ring: true},
		{name: "recvmsg 1 MiB", cfg: live.Config{Method: live.MethodRecvmsg, BufferSize: 1 << 20}, asked: 1 << 20},
		{name: "recvmsg 300 KiB", cfg: live.Config{Method: live.MethodRecvmsg, BufferSize: 300 << 10}, asked: 300 << 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := tt.cfg
			h := e.open(t, e.p.B, e.p.VethB, &cfg)
			got := h.BufferSize()
			switch {
			case tt.ring:
				if got < tt.asked || got%os.Getpagesize() != 0 || got >= tt.asked+(1<<20) {
					t.Errorf("ring of %d bytes for %d asked", got, tt.asked)
				}
			case got == tt.asked:
			case rmemMax > 0 && got == min(tt.asked, rmemMax):
				t.Logf("capped by net.core.rmem_max = %d (no CAP_NET_ADMIN in the initial user namespace)", rmemMax)
			default:
				t.Errorf("socket buffer of %d bytes for %d asked (rmem_max %d)", got, tt.asked, rmemMax)
			}
		})
	}
}

// TestFrameRingOversize sends frames larger than the frames of a
// TPACKET_V2 ring, which is sized for the MTU in effect when it was
// opened: the kernel queues them whole on the socket (TP_STATUS_COPY) and
// the capture must read them from there, cut at the snap length only.
func TestFrameRingOversize(t *testing.T) {
	e := newEnv(t)
	for _, snaplen := range []int{0, 5000} {
		t.Run(fmt.Sprintf("snaplen %d", snaplen), func(t *testing.T) {
			h := e.open(t, e.p.B, e.p.VethB, &live.Config{Method: live.MethodFrameRing, SnapLen: snaplen, Protocol: testEtherType})
			for _, ns := range []struct{ name, dev string }{{e.p.A, e.p.VethA}, {e.p.B, e.p.VethB}} {
				if out, err := exec.Command("ip", "-n", ns.name, "link", "set", ns.dev, "mtu", "9000").CombinedOutput(); err != nil {
					t.Fatalf("raising the MTU: %v: %s", err, out)
				}
			}
			var inj *live.Injector
			if err := netns.Do(e.p.A, func() (err error) { inj, err = live.OpenInjector(e.p.VethA); return err }); err != nil {
				t.Fatal(err)
			}
			defer inj.Close()
			var sent [][]byte
			for i, n := range []int{8000, 100, 3000, 9014, 1514} {
				f := frame(e.macB, e.macA, testEtherType, uint32(i), n)
				if err := inj.WritePacketData(f); err != nil {
					t.Fatal(err)
				}
				sent = append(sent, f)
			}
			for i, p := range readN(t, h, len(sent)) {
				want := sent[i]
				if snaplen > 0 && len(want) > snaplen {
					want = want[:snaplen]
				}
				if !bytes.Equal(p.Data, want) || p.Length != len(sent[i]) {
					t.Errorf("packet %d: got %d of %d bytes, want %d of %d", i, len(p.Data), p.Length, len(want), len(sent[i]))
				}
			}
			expectNone(t, h, 20*time.Millisecond)
		})
	}
}

// lockedBuffer is a bytes.Buffer a command writes while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestAgreesWithTcpdump captures the same frames with tcpdump -w and with
// each method, and compares bytes, lengths and timestamps.
func TestAgreesWithTcpdump(t *testing.T) {
	tcpdump := testenv.RequireTool(t, "tcpdump")
	e := newEnv(t)
	file := filepath.Join(t.TempDir(), "tcpdump.pcap")
	cmd := netns.Exec(e.p.B, tcpdump, "-i", e.p.VethB, "-U", "--immediate-mode", "-B", "65536", "-w", file, "--time-stamp-precision=nano", "ether proto 0x88b5 or vlan")
	var stderr lockedBuffer // read here while tcpdump writes it
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var handles []*live.Handle
	for _, m := range methods {
		cfg := m.cfg
		handles = append(handles, e.open(t, e.p.B, e.p.VethB, &cfg))
	}
	// tcpdump is ready once it says it is listening.
	for i := 0; !strings.Contains(stderr.String(), "listening on"); i++ {
		if i > 200 {
			t.Fatalf("tcpdump did not start: %s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Every handle reads while the frames are sent in paced bursts: a socket
	// buffer capped by net.core.rmem_max (SO_RCVBUFFORCE needs CAP_NET_ADMIN
	// in the initial user namespace, which a container lacks) holds only
	// about 250 of them.
	const count = 300
	type result struct {
		got []*pkt.Packet
		err error
	}
	results := make([]chan result, len(handles))
	for i, h := range handles {
		results[i] = make(chan result, 1)
		go func() {
			got, err := collect(h, count)
			results[i] <- result{got, err}
		}()
	}
	var sent [][]byte
	for i := range count {
		var f []byte
		if i%10 == 9 {
			f = vlanFrame(e.macB, e.macA, uint16(i), uint32(i), 60+i*4)
		} else {
			f = frame(e.macB, e.macA, testEtherType, uint32(i), 60+(i*37)%1455)
		}
		if err := e.inj.WritePacketData(f); err != nil {
			t.Fatal(err)
		}
		sent = append(sent, f)
		if i%20 == 19 {
			time.Sleep(5 * time.Millisecond) // let the readers drain
		}
	}
	time.Sleep(100 * time.Millisecond)
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()
	_, want := testcap.ReadPcap(t, file)
	if len(want) != len(sent) {
		t.Fatalf("tcpdump captured %d packets, %d were sent; stderr: %s", len(want), len(sent), stderr.String())
	}
	for mi := range handles {
		res := <-results[mi]
		if res.err != nil {
			t.Fatalf("%s: %v", methods[mi].name, res.err)
		}
		got := res.got
		var maxSkew time.Duration
		for i, p := range got {
			if !bytes.Equal(p.Data, want[i].Data) || p.Length != want[i].Length {
				t.Fatalf("%s: packet %d differs from tcpdump's: %d/%d bytes vs %d/%d", methods[mi].name, i, len(p.Data), p.Length, len(want[i].Data), want[i].Length)
			}
			maxSkew = max(maxSkew, p.Timestamp.Sub(want[i].Timestamp).Abs())
		}
		if maxSkew > 20*time.Millisecond {
			t.Errorf("%s: timestamps differ from tcpdump's by up to %v", methods[mi].name, maxSkew)
		}
		t.Logf("%s: %d packets identical to tcpdump's, timestamps within %v", methods[mi].name, len(got), maxSkew)
	}
}

// TestReadPacketAllocs proves the read path allocates nothing per packet.
func TestReadPacketAllocs(t *testing.T) {
	e := newEnv(t)
	for _, m := range readMethods {
		t.Run(m.name, func(t *testing.T) {
			cfg := m.cfg
			cfg.BufferSize = 8 << 20
			h := e.open(t, e.p.B, e.p.VethB, &cfg)
			// 200 small frames fit even a socket buffer capped by
			// net.core.rmem_max (a container cannot force a larger one).
			f := frame(e.macB, e.macA, testEtherType, 0, 200)
			for range 200 {
				if err := e.inj.WritePacketData(f); err != nil {
					t.Fatal(err)
				}
			}
			readN(t, h, 10)
			time.Sleep(20 * time.Millisecond)
			allocs := testing.AllocsPerRun(150, func() {
				if _, err := h.ReadPacket(); err != nil {
					t.Fatal(err)
				}
			})
			if allocs != 0 {
				t.Errorf("%v allocations per ReadPacket, want 0", allocs)
			}
		})
	}
}
