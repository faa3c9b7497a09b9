//go:build linux

package live_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"golang.org/x/sys/unix"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/live"
	"github.com/pcaptool/pcaptool/pcapng"
	"github.com/pcaptool/pcaptool/pkt"
)

// sendFrames injects n test frames of size bytes from A to B, numbered from
// first.
func (e *env) sendFrames(t *testing.T, first, n, size int) [][]byte {
	t.Helper()
	var sent [][]byte
	for i := range n {
		f := frame(e.macB, e.macA, testEtherType, uint32(first+i), size)
		if err := e.inj.WritePacketData(f); err != nil {
			t.Fatal(err)
		}
		sent = append(sent, f)
	}
	return sent
}

// readFile returns the packets of a capture file.
func readFile(t *testing.T, name string) []*pkt.Packet {
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
			return out
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, p.Clone())
	}
}

// lastStatistics returns the last block of a pcapng file if it is an
// Interface Statistics Block.
func lastStatistics(t *testing.T, name string) *pcapng.InterfaceStatistics {
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
			t.Fatalf("%s: %v", name, err)
		}
		last = b.Clone()
	}
	isb, _ := last.(*pcapng.InterfaceStatistics)
	return isb
}

// TestSessionRotatingPcapng captures into a ring of three pcapng files
// rotated by size, stops the session by cancelling its context, and checks
// the names, that no packet was lost or reordered across files, and that
// every file ends with the capture's statistics.
func TestSessionRotatingPcapng(t *testing.T) {
	for _, m := range methods {
		t.Run(m.name, func(t *testing.T) {
			e := newEnv(t)
			cfg := m.cfg
			// Room for the ring's nearly empty 5 ms blocks while the
			// session, descheduled on a loaded machine, opens a file.
			cfg.BufferSize = 32 << 20
			h := e.open(t, e.p.B, e.p.VethB, &cfg)
			dir := t.TempDir()
			var done []string
			s := &live.Session{
				Handle: h,
				Output: live.Output{
					Name:      filepath.Join(dir, "ring.pcapng"),
					FileSize:  5_000,
					FileCount: 3,
					FileDone:  func(name string) { done = append(done, filepath.Base(name)) },
				},
			}
			ctx, cancel := context.WithCancel(context.Background())
			errc := make(chan error, 1)
			go func() { errc <- s.Run(ctx) }()
			time.Sleep(50 * time.Millisecond)
			// 60 frames of 1000 bytes: about a dozen files of 5 kB each,
			// so the ring wraps several times.
			var sent [][]byte
			for i := range 60 {
				sent = append(sent, e.sendFrames(t, i, 1, 1000)...)
				time.Sleep(2 * time.Millisecond)
			}
			deadline := time.Now().Add(5 * time.Second)
			for s.Captured() < uint64(len(sent)) && time.Now().Before(deadline) {
				time.Sleep(10 * time.Millisecond)
			}
			cancel()
			if err := <-errc; err != nil {
				t.Fatal(err)
			}
			if s.Captured() != uint64(len(sent)) {
				st, _ := h.Stats()
				t.Fatalf("captured %d of %d (kernel stats %+v)", s.Captured(), len(sent), st)
			}
			if len(done) < 6 || done[0] != "ring.pcapng0" || done[1] != "ring.pcapng1" || done[2] != "ring.pcapng2" || done[3] != "ring.pcapng0" {
				t.Fatalf("files completed in order %v", done)
			}
			// The newest three files, oldest first, end with the last packets sent.
			var got []*pkt.Packet
			for i := range 3 {
				name := filepath.Join(dir, done[len(done)-3+i])
				pk := readFile(t, name)
				got = append(got, pk...)
				isb := lastStatistics(t, name)
				if isb == nil {
					t.Fatalf("%s does not end with an Interface Statistics Block", name)
				}
				if deliv, _ := isb.Delivered(); i == 2 && deliv != uint64(len(sent)) {
					t.Errorf("%s: isb_usrdeliv %d, want %d", name, deliv, len(sent))
				}
			}
			tail := sent[len(sent)-len(got):]
			for i := range got {
				if !bytes.Equal(got[i].Data, tail[i]) {
					t.Fatalf("packet %d of the last three files is not the frame sent in that place", i)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "ring.pcapng")); err == nil {
				t.Error("with a file count, the bare name must not be written")
			}
		})
	}
}

// TestSessionCountAndWriter sends packets to a pkt.Writer and stops
// after Count, with packets still coming.
func TestSessionCountAndWriter(t *testing.T) {
	e := newEnv(t)
	h := e.open(t, e.p.B, e.p.VethB, &live.Config{Immediate: true})
	var buf bytes.Buffer
	w, err := pcapng.NewPacketWriter(&buf, pcapng.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := &live.Session{Handle: h, Writer: w, Count: 10}
	errc := make(chan error, 1)
	go func() { errc <- s.Run(context.Background()) }()
	time.Sleep(50 * time.Millisecond)
	sent := e.sendFrames(t, 0, 15, 200)
	select {
	case err := <-errc:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("session did not stop after Count packets")
	}
	r, err := pcapng.NewPacketReader(&buf, pcapng.ReaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for p, err := range pkt.All(r) {
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(p.Data, sent[n]) {
			t.Fatalf("packet %d differs", n)
		}
		n++
	}
	if n != 10 || s.Captured() != 10 {
		t.Fatalf("wrote %d packets (Captured %d), want 10", n, s.Captured())
	}
}

// TestSessionStrftimeInterval rotates every 200 ms with a strftime pattern
// and FileCount 2: two files named from their start time, then the session
// ends by itself.
func TestSessionStrftimeInterval(t *testing.T) {
	e := newEnv(t)
	h := e.open(t, e.p.B, e.p.VethB, &live.Config{Immediate: true})
	dir := t.TempDir()
	s := &live.Session{Handle: h, Output: live.Output{
		Name:        filepath.Join(dir, "g-%Y%m%d-%H%M%S.pcap"),
		Resolution:  pkt.Nanosecond,
		RotateEvery: 200 * time.Millisecond,
		FileCount:   2,
	}}
	errc := make(chan error, 1)
	go func() { errc <- s.Run(context.Background()) }()
	deadline := time.After(5 * time.Second)
	for i := 0; ; i++ {
		select {
		case err := <-errc:
			if err != nil {
				t.Fatal(err)
			}
			matches, _ := filepath.Glob(filepath.Join(dir, "g-*.pcap"))
			if len(matches) < 1 || len(matches) > 2 {
				t.Fatalf("made %v", matches)
			}
			for _, m := range matches {
				if _, err := time.Parse("g-20060102-150405.pcap", filepath.Base(m)); err != nil {
					t.Errorf("%s does not follow the pattern: %v", m, err)
				}
			}
			return
		case <-deadline:
			t.Fatal("session with FileCount 2 did not end after two intervals")
		case <-time.After(20 * time.Millisecond):
			e.sendFrames(t, i, 1, 100)
		}
	}
}

// TestSetBPF replaces the filter of an open capture: packets sent after
// SetBPF that the new program rejects are not read, even those already
// waiting in the kernel buffer.
func TestSetBPF(t *testing.T) {
	for _, m := range methods {
		t.Run(m.name, func(t *testing.T) {
			e := newEnv(t)
			cfg := m.cfg
			h := e.open(t, e.p.B, e.p.VethB, &cfg)
			even := evenSequenceFilter(t)
			// Frames 0..9 reach the buffer unfiltered; the new filter then
			// applies to them too.
			e.sendFrames(t, 0, 10, 100)
			time.Sleep(20 * time.Millisecond)
			if err := h.SetFilter(even, "even"); err != nil {
				t.Fatal(err)
			}
			e.sendFrames(t, 10, 10, 100)
			got := readN(t, h, 10)
			for i, p := range got {
				if seq := binary.BigEndian.Uint32(p.Data[14:]); seq != uint32(2*i) {
					t.Fatalf("packet %d has sequence %d, want %d", i, seq, 2*i)
				}
			}
			expectNone(t, h, 100*time.Millisecond)
			if f := pkt.FindOption(h.Interfaces()[0].Options, pkt.OptIfFilter); string(f) != "\x00even" {
				t.Errorf("if_filter %q after SetFilter", f)
			}
			// An empty program removes the filter.
			if err := h.SetBPF(nil); err != nil {
				t.Fatal(err)
			}
			e.sendFrames(t, 20, 3, 100)
			if got := readN(t, h, 3); binary.BigEndian.Uint32(got[0].Data[14:]) != 20 {
				t.Fatalf("after removing the filter, first packet %d", binary.BigEndian.Uint32(got[0].Data[14:]))
			}
		})
	}
}

// TestGopacketSource decodes a live capture through gopacket.
func TestGopacketSource(t *testing.T) {
	e := newEnv(t)
	h := e.open(t, e.p.B, e.p.VethB, &live.Config{Immediate: true})
	var _ gopacket.ZeroCopyPacketDataSource = h
	e.sendFrames(t, 0, 3, 64)
	h.SetReadDeadline(time.Now().Add(5 * time.Second))
	src := gopacket.NewPacketSource(h, layers.LinkTypeEthernet)
	for i := range 3 {
		p, err := src.NextPacket()
		if err != nil {
			t.Fatal(err)
		}
		eth, _ := p.Layer(layers.LayerTypeEthernet).(*layers.Ethernet)
		md := p.Metadata()
		if eth == nil || uint16(eth.EthernetType) != testEtherType || md.Length != 64 || md.InterfaceIndex != e.idxB {
			t.Fatalf("packet %d: %v, metadata %+v (want interface %d)", i, eth, md.CaptureInfo, e.idxB)
		}
	}
}

// TestOutputRefusesSpecialFiles checks that rotation refuses a FIFO and
// standard output, before opening anything.
func TestOutputRefusesSpecialFiles(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	h := new(live.Handle) // never read: the output is refused first
	for _, out := range []live.Output{
		{Name: fifo, FileSize: 1000},
		{Name: fifo, RotateEvery: time.Second},
		{Name: "-", FileSize: 1000},
	} {
		s := &live.Session{Handle: h, Output: out}
		err := s.Run(context.Background())
		if err == nil || !errors.Is(err, live.ErrRotateNotRegular) {
			t.Errorf("%+v: %v, want ErrRotateNotRegular", out, err)
		}
	}
}

// TestSessionAllocs checks that writing packets to a file allocates nothing
// per packet: the packets wait in the kernel buffer, then a session reads
// and writes them all.
func TestSessionAllocs(t *testing.T) {
	for _, m := range methods[:2] {
		t.Run(m.name, func(t *testing.T) {
			e := newEnv(t)
			cfg := m.cfg
			// Long batching, so that the ring's blocks fill rather than
			// being retired, nearly empty, before the session reads them.
			cfg.BufferSize, cfg.Timeout = 4<<20, time.Second
			h := e.open(t, e.p.B, e.p.VethB, &cfg)
			const n = 2000
			// In batches: a veth delivers through the receiver's backlog
			// queue (net.core.netdev_max_backlog, 1000 by default).
			for i := 0; i < n; i += 200 {
				e.sendFrames(t, i, 200, 120)
				time.Sleep(5 * time.Millisecond)
			}
			time.Sleep(50 * time.Millisecond)
			s := &live.Session{Handle: h, Count: n, Output: live.Output{Name: filepath.Join(t.TempDir(), "a.pcapng")}}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			if err := s.Run(ctx); err != nil {
				t.Fatal(err)
			}
			runtime.ReadMemStats(&after)
			if s.Captured() != n {
				st, _ := h.Stats()
				t.Fatalf("captured %d of %d (kernel stats %+v)", s.Captured(), n, st)
			}
			if allocs := after.Mallocs - before.Mallocs; allocs > n/10 {
				t.Errorf("%d allocations for %d packets", allocs, n)
			} else {
				t.Logf("%d allocations for %d packets (opening and closing the file)", allocs, n)
			}
		})
	}
}

// flushCounter is a pkt.Writer that records how many packets it had
// received at each Flush.
type flushCounter struct {
	mu      sync.Mutex
	packets int
	flushed []int
}

func (f *flushCounter) AddInterface(pkt.Interface) error { return nil }
func (f *flushCounter) WritePacket(*pkt.Packet) error {
	f.mu.Lock()
	f.packets++
	f.mu.Unlock()
	return nil
}
func (f *flushCounter) Flush() error {
	f.mu.Lock()
	f.flushed = append(f.flushed, f.packets)
	f.mu.Unlock()
	return nil
}
func (f *flushCounter) lastFlushed() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.flushed) == 0 {
		return 0
	}
	return f.flushed[len(f.flushed)-1]
}

// TestSessionPacketBuffered checks that a packet-buffered session writes
// every packet out before it waits for the next one (the flush interval is
// an hour, so only that rule can flush), with every method.
func TestSessionPacketBuffered(t *testing.T) {
	for _, m := range []live.Method{live.MethodRecvmsg, live.MethodRing, live.MethodFrameRing} {
		t.Run(m.String(), func(t *testing.T) {
			e := newEnv(t)
			h := e.open(t, e.p.B, e.p.VethB, &live.Config{Immediate: true, Method: m, Protocol: testEtherType})
			w := &flushCounter{}
			s := &live.Session{Handle: h, Writer: w, PacketBuffered: true, FlushInterval: time.Hour}
			ctx, cancel := context.WithCancel(context.Background())
			errc := make(chan error, 1)
			go func() { errc <- s.Run(ctx) }()
			time.Sleep(50 * time.Millisecond)
			for round := 1; round <= 3; round++ {
				e.sendFrames(t, round*10, 5, 100)
				deadline := time.Now().Add(5 * time.Second)
				for w.lastFlushed() < 5*round {
					if time.Now().After(deadline) {
						t.Fatalf("round %d: %d packets flushed, want %d before the session waits", round, w.lastFlushed(), 5*round)
					}
					time.Sleep(5 * time.Millisecond)
				}
			}
			cancel()
			if err := <-errc; err != nil {
				t.Fatal(err)
			}
		})
	}
}
