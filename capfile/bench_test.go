package capfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

// benchPackets is the size of the files the benchmarks read: large enough
// (about 15 MB) that buffers are refilled many times, small enough to
// generate in a moment.
const benchPackets = 20_000

var (
	benchDirOnce sync.Once
	benchDir     string
	benchDirErr  error
)

// benchInput returns the name of a generated capture (synthetic traffic,
// 60 to 1514-byte frames) in the given format, written once per test binary.
func benchInput(tb testing.TB, f Format) string {
	tb.Helper()
	benchDirOnce.Do(func() {
		benchDir, benchDirErr = os.MkdirTemp("", "capfile-bench-")
		if benchDirErr != nil {
			return
		}
		for _, name := range []string{"in.pcapng", "in.pcap"} {
			w, err := Create(filepath.Join(benchDir, name), WriterOptions{})
			if err != nil {
				benchDirErr = err
				return
			}
			if _, err := pkt.Copy(w, synth.New(synth.Config{Packets: benchPackets, Seed: 7})); err != nil {
				w.Abort()
				benchDirErr = err
				return
			}
			if benchDirErr = w.Close(); benchDirErr != nil {
				return
			}
		}
	})
	if benchDirErr != nil {
		tb.Fatal(benchDirErr)
	}
	if f == Pcap {
		return filepath.Join(benchDir, "in.pcap")
	}
	return filepath.Join(benchDir, "in.pcapng")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// discardOutput is a Writer on the null device: it measures encoding and
// buffering without the kernel's page-cache writes.
func discardOutput(tb testing.TB, f Format) *Writer {
	tb.Helper()
	w, err := Create(os.DevNull, WriterOptions{Format: f, InPlace: true})
	if err != nil {
		tb.Fatal(err)
	}
	return w
}

// copyLoop moves one packet per call from a capture file to w, reopening
// the file at its end, as pkt.Copy does (Interfaces checked per packet).
type copyLoop struct {
	tb    testing.TB
	name  string
	r     *Reader
	w     *Writer
	added int
}

func newCopyLoop(tb testing.TB, in string, out *Writer) *copyLoop {
	l := &copyLoop{tb: tb, name: in, w: out}
	l.reopen()
	return l
}

func (l *copyLoop) reopen() {
	if l.r != nil {
		l.r.Close()
	}
	r, err := Open(l.name)
	if err != nil {
		l.tb.Fatal(err)
	}
	l.r = r
	l.w.Borrow(r) // as convert does
}

func (l *copyLoop) step() {
	p, err := l.r.ReadPacket()
	if err == io.EOF {
		// The next pass describes the same interfaces again: map them
		// onto those already added.
		l.reopen()
		if p, err = l.r.ReadPacket(); err != nil {
			l.tb.Fatal(err)
		}
	} else if err != nil {
		l.tb.Fatal(err)
	}
	if ifaces := l.r.Interfaces(); l.added < len(ifaces) {
		for _, ifc := range ifaces[l.added:] {
			if err := l.w.AddInterface(ifc); err != nil {
				l.tb.Fatal(err)
			}
		}
		l.added = len(ifaces)
	}
	if err := l.w.WritePacket(p); err != nil {
		l.tb.Fatal(err)
	}
}

// BenchmarkCopyPacket is the read→write hot path, one packet per op: a
// packet read from a capture file through capfile.Reader and written
// through capfile.Writer (to the null device), in each direction. Both
// sides are buffered with 1 MiB; it must allocate nothing.
func BenchmarkCopyPacket(b *testing.B) {
	for _, tt := range []struct {
		name    string
		in, out Format
	}{
		{"pcapng-to-pcap", Pcapng, Pcap},
		{"pcap-to-pcapng", Pcap, Pcapng},
		{"pcapng-to-pcapng", Pcapng, Pcapng},
		{"pcap-to-pcap", Pcap, Pcap},
	} {
		b.Run(tt.name, func(b *testing.B) {
			in := benchInput(b, tt.in)
			st, err := os.Stat(in)
			if err != nil {
				b.Fatal(err)
			}
			w := discardOutput(b, tt.out)
			defer w.Close()
			l := newCopyLoop(b, in, w)
			defer l.r.Close()
			b.SetBytes(st.Size() / benchPackets)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				l.step()
			}
		})
	}
}

// BenchmarkConvertFile converts a whole pcapng file to pcap per op, as
// pcaptool convert does: Open, Create, pkt.Copy, Close. It reports the
// time and allocations per packet; the allocations are the fixed cost of
// opening and creating (buffers), divided by the packet count.
func BenchmarkConvertFile(b *testing.B) {
	in := benchInput(b, Pcapng)
	st, err := os.Stat(in)
	if err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(b.TempDir(), "out.pcap")
	b.SetBytes(st.Size())
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		r, err := Open(in)
		if err != nil {
			b.Fatal(err)
		}
		w, err := Create(out, WriterOptions{Format: Pcap})
		if err != nil {
			b.Fatal(err)
		}
		n, err := pkt.Copy(w, r)
		if err != nil || n != benchPackets {
			b.Fatal(n, err)
		}
		if err := errors.Join(w.Close(), r.Close()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchPackets), "ns/packet")
}

// TestCopyNoAllocationsPerPacket proves that reading a packet through
// capfile.Reader and writing it through capfile.Writer allocates nothing,
// for every pair of formats.
func TestCopyNoAllocationsPerPacket(t *testing.T) {
	for _, in := range []Format{Pcap, Pcapng} {
		for _, out := range []Format{Pcap, Pcapng} {
			t.Run(in.String()+"-to-"+out.String(), func(t *testing.T) {
				w := discardOutput(t, out)
				defer w.Close()
				l := newCopyLoop(t, benchInput(t, in), w)
				defer l.r.Close()
				// Warm up: interfaces added, the pcap header written,
				// buffers grown.
				for range 10 {
					l.step()
				}
				// Nearly every packet of the file: the measurement
				// includes buffer refills but not reopening.
				l.reopen()
				l.step()
				if a := testing.AllocsPerRun(benchPackets-100, l.step); a != 0 {
					t.Errorf("%.3f allocations per packet", a)
				}
			})
		}
	}
}
