package convert_test

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/convert"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

func iface(lt linktype.LinkType, name string) pkt.Interface {
	ifc := pkt.Interface{LinkType: lt, Resolution: pkt.Nanosecond, FCSLen: -1, SnapLen: 65535}
	if name != "" {
		ifc.Options = []pkt.Option{{Code: pkt.OptIfName, Value: []byte(name)}}
	}
	return ifc
}

func TestMergeChronological(t *testing.T) {
	a := newSliceReader([]pkt.Packet{mkPacket(0, "a0"), mkPacket(20, "a20"), mkPacket(20, "a20b"), mkPacket(50, "a50")})
	b := newSliceReader([]pkt.Packet{mkPacket(10, "b10"), mkPacket(20, "b20"), mkPacket(60, "b60")})
	out := collect(t, convert.NewMerge([]pkt.Reader{a, b}, convert.MergeOptions{}))
	// Equal timestamps: the later input first, as mergecap.
	if got, want := labels(out), "a0 b10 b20 a20 a20b a50 b60"; got != want {
		t.Errorf("merged %q, want %q", got, want)
	}
}

func TestMergeAppend(t *testing.T) {
	a := newSliceReader([]pkt.Packet{mkPacket(50, "a50"), mkPacket(0, "a0")})
	b := newSliceReader([]pkt.Packet{mkPacket(10, "b10")})
	out := collect(t, convert.NewMerge([]pkt.Reader{a, b}, convert.MergeOptions{Append: true}))
	if got, want := labels(out), "a50 a0 b10"; got != want {
		t.Errorf("appended %q, want %q", got, want)
	}
}

func TestMergeInterfaceModes(t *testing.T) {
	eth0, eth1, raw := iface(linktype.Ethernet, "eth0"), iface(linktype.Ethernet, "eth1"), iface(linktype.Raw, "")
	p := func(ms int, ifc int) pkt.Packet { q := mkPacket(ms, fmt.Sprint(ms)); q.Interface = ifc; return q }
	tests := []struct {
		name    string
		mode    convert.IDBMergeMode
		a, b    []pkt.Interface
		ifaces  int
		mapping string // interface of each merged packet
	}{
		{"all same", convert.MergeAll, []pkt.Interface{eth0, raw}, []pkt.Interface{eth0, raw}, 2, "0 1 1 0"},
		{"all differ", convert.MergeAll, []pkt.Interface{eth0, raw}, []pkt.Interface{raw, eth0}, 4, "0 3 1 2"},
		{"none", convert.MergeNone, []pkt.Interface{eth0, raw}, []pkt.Interface{eth0, raw}, 4, "0 3 1 2"},
		{"any", convert.MergeAny, []pkt.Interface{eth0, raw}, []pkt.Interface{eth1, eth0}, 3, "0 0 1 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newSliceReader([]pkt.Packet{p(0, 0), p(20, 1)}, tt.a...)
			b := newSliceReader([]pkt.Packet{p(10, 1), p(30, 0)}, tt.b...)
			m := convert.NewMerge([]pkt.Reader{a, b}, convert.MergeOptions{Mode: tt.mode})
			out := collect(t, m)
			got := ""
			for i, q := range out {
				if i > 0 {
					got += " "
				}
				got += fmt.Sprint(q.Interface)
			}
			if got != tt.mapping || len(m.Interfaces()) != tt.ifaces {
				t.Errorf("interfaces %q (%d described), want %q (%d)", got, len(m.Interfaces()), tt.mapping, tt.ifaces)
			}
		})
	}
}

type failingReader struct{ pkt.Reader }

var errBoom = errors.New("boom")

func (failingReader) ReadPacket() (*pkt.Packet, error) { return nil, errBoom }

func TestMergeOnError(t *testing.T) {
	a := newSliceReader([]pkt.Packet{mkPacket(0, "a0"), mkPacket(20, "a20")})
	bad := failingReader{newSliceReader(nil)}
	_, err := pkt.Copy(discard{}, convert.NewMerge([]pkt.Reader{a, bad}, convert.MergeOptions{}))
	if !errors.Is(err, errBoom) {
		t.Errorf("error %v, want boom", err)
	}
	a = newSliceReader([]pkt.Packet{mkPacket(0, "a0"), mkPacket(20, "a20")})
	var dropped []int
	m := convert.NewMerge([]pkt.Reader{a, bad}, convert.MergeOptions{OnError: func(i int, err error) error {
		dropped = append(dropped, i)
		return nil
	}})
	if got := labels(collect(t, m)); got != "a0 a20" || !slices.Equal(dropped, []int{1}) {
		t.Errorf("got %q, dropped %v", got, dropped)
	}
}

type discard struct{}

func (discard) AddInterface(pkt.Interface) error { return nil }
func (discard) WritePacket(*pkt.Packet) error    { return nil }
func (discard) Flush() error                     { return nil }

// stableSorted returns the packets of a synth stream sorted as reordercap
// sorts them.
func stableSorted(t testing.TB, cfg synth.Config) []pkt.Packet {
	in := collect(t, synth.New(cfg))
	slices.SortStableFunc(in, func(a, b pkt.Packet) int { return a.Timestamp.Compare(b.Timestamp) })
	return in
}

func samePackets(t *testing.T, got, want []pkt.Packet) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d packets, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if !g.Timestamp.Equal(w.Timestamp) || g.Length != w.Length || string(g.Data) != string(w.Data) ||
			g.Interface != w.Interface || fmt.Sprint(g.Options) != fmt.Sprint(w.Options) {
			t.Fatalf("packet %d differs: got %v len %d, want %v len %d", i, g.Timestamp, g.Length, w.Timestamp, w.Length)
		}
	}
}

func TestSort(t *testing.T) {
	cfg := synth.Config{Packets: 20000, Seed: 7, Disorder: 30, DisorderWindow: 5 * time.Millisecond, MeanGap: time.Microsecond}
	want := stableSorted(t, cfg)
	tests := []struct {
		name     string
		opts     convert.SortOptions
		wantRuns bool
	}{
		{"in memory", convert.SortOptions{}, false},
		{"external", convert.SortOptions{Memory: 1 << 20}, true},
		{"external multi-pass", convert.SortOptions{Memory: 256 << 10, MaxRuns: 3}, true},
		{"streaming", convert.SortOptions{Memory: 5 << 20, Streaming: true}, false}, // ring 4.4 MiB, index 0.6 MiB
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.TempDir = t.TempDir()
			s := convert.NewSort(synth.New(cfg), tt.opts)
			defer s.Close()
			samePackets(t, collect(t, s), want)
			if (s.Runs() > 0) != tt.wantRuns {
				t.Errorf("%d runs spilled", s.Runs())
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if left, _ := os.ReadDir(tt.opts.TempDir); len(left) != 0 {
				t.Errorf("temporary files left: %v", left)
			}
		})
	}
}

func TestSortKeepsOptionsAndInterfaces(t *testing.T) {
	in := []pkt.Packet{mkPacket(30, "c"), mkPacket(10, "a"), mkPacket(30, "d"), mkPacket(20, "b")}
	in[1].Options = []pkt.Option{{Code: pkt.OptComment, Value: []byte("hello")}}
	in[3].Interface = 1
	for _, opts := range []convert.SortOptions{{}, {Memory: 64, TempDir: t.TempDir()}} {
		s := convert.NewSort(newSliceReader(in, iface(linktype.Ethernet, ""), iface(linktype.Raw, "")), opts)
		out := collect(t, s)
		s.Close()
		if got := labels(out); got != "a b c d" {
			t.Fatalf("memory %d: %q", opts.Memory, got)
		}
		if c := out[0].Comments(); len(c) != 1 || c[0] != "hello" || out[1].Interface != 1 {
			t.Errorf("memory %d: options %v interface %d", opts.Memory, out[0].Options, out[1].Interface)
		}
	}
}

func TestSortStreamingWindowTooSmall(t *testing.T) {
	cfg := synth.Config{Packets: 5000, Seed: 3, Disorder: 50, DisorderWindow: time.Second, MeanGap: time.Microsecond}
	s := convert.NewSort(synth.New(cfg), convert.SortOptions{Memory: 64 << 10, Streaming: true})
	var err error
	for err == nil {
		_, err = s.ReadPacket()
	}
	if !errors.Is(err, convert.ErrSortWindow) {
		t.Errorf("error %v, want ErrSortWindow", err)
	}
}

type pieceSink struct {
	pieces [][]pkt.Packet
	firsts []*pkt.Packet
	closed []error
}

type pieceWriter struct {
	s *pieceSink
	i int
}

func (w pieceWriter) AddInterface(pkt.Interface) error { return nil }
func (w pieceWriter) WritePacket(p *pkt.Packet) error {
	w.s.pieces[w.i] = append(w.s.pieces[w.i], *p.Clone())
	return nil
}
func (w pieceWriter) Flush() error { return nil }

func (s *pieceSink) Open(i int, first *pkt.Packet) (pkt.Writer, error) {
	s.pieces = append(s.pieces, nil)
	if first != nil {
		first = first.Clone()
	}
	s.firsts = append(s.firsts, first)
	return pieceWriter{s, i}, nil
}

func (s *pieceSink) Close(w pkt.Writer, err error) error {
	s.closed = append(s.closed, err)
	return nil
}

func TestSplit(t *testing.T) {
	in := []pkt.Packet{mkPacket(0, "a"), mkPacket(10, "bb"), mkPacket(25, "ccc"), mkPacket(70, "d"), mkPacket(71, "e")}
	tests := []struct {
		name   string
		opts   convert.SplitOptions
		pieces string
	}{
		{"count", convert.SplitOptions{Packets: 2}, "[a bb] [ccc d] [e]"},
		{"interval", convert.SplitOptions{Interval: 20 * time.Millisecond}, "[a bb] [ccc] [] [d e]"},
		{"bytes", convert.SplitOptions{Bytes: 36}, "[a bb] [ccc d] [e]"},
		{"bytes smaller than a packet", convert.SplitOptions{Bytes: 1}, "[a] [bb] [ccc] [d] [e]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sink := &pieceSink{}
			n, err := convert.Split(newSliceReader(in), tt.opts, sink)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			for i, p := range sink.pieces {
				if i > 0 {
					got += " "
				}
				got += "[" + labels(p) + "]"
			}
			if got != tt.pieces || n != len(sink.pieces) || len(sink.closed) != n {
				t.Errorf("pieces %s (n=%d, closed %d), want %s", got, n, len(sink.closed), tt.pieces)
			}
		})
	}
	sink := &pieceSink{}
	if n, err := convert.Split(newSliceReader(nil), convert.SplitOptions{Packets: 1}, sink); err != nil || n != 1 || sink.firsts[0] != nil {
		t.Errorf("empty input: %d pieces, %v", n, err)
	}
	if _, err := convert.Split(newSliceReader(in), convert.SplitOptions{}, sink); !errors.Is(err, convert.ErrSplitOptions) {
		t.Errorf("no split option: %v", err)
	}
}

func TestSplitDiscardsFailedPiece(t *testing.T) {
	in := []pkt.Packet{mkPacket(0, "a"), mkPacket(10, "b"), mkPacket(20, "c")}
	src := &errAfter{Reader: newSliceReader(in), n: 2}
	sink := &pieceSink{}
	_, err := convert.Split(src, convert.SplitOptions{Packets: 1}, sink)
	if !errors.Is(err, errBoom) {
		t.Fatalf("error %v", err)
	}
	if len(sink.closed) != 2 || sink.closed[0] != nil || sink.closed[1] == nil {
		t.Errorf("close errors %v: want first committed, second discarded", sink.closed)
	}
}

type errAfter struct {
	pkt.Reader
	n int
}

func (e *errAfter) ReadPacket() (*pkt.Packet, error) {
	if e.n == 0 {
		return nil, errBoom
	}
	e.n--
	return e.Reader.ReadPacket()
}

func BenchmarkSortInMemory(b *testing.B) {
	cfg := synth.Config{Packets: 50000, Seed: 1, Disorder: 20}
	b.ReportAllocs()
	for b.Loop() {
		s := convert.NewSort(synth.New(cfg), convert.SortOptions{})
		pkt.Copy(discard{}, s)
	}
}

func BenchmarkSortStreaming(b *testing.B) {
	cfg := synth.Config{Packets: 50000, Seed: 1, Disorder: 20}
	b.ReportAllocs()
	for b.Loop() {
		pkt.Copy(discard{}, convert.NewSort(synth.New(cfg), convert.SortOptions{Streaming: true, Memory: 4 << 20}))
	}
}

func BenchmarkMerge4(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var srcs []pkt.Reader
		for i := range 4 {
			srcs = append(srcs, synth.New(synth.Config{Packets: 25000, Seed: uint64(i)}))
		}
		pkt.Copy(discard{}, convert.NewMerge(srcs, convert.MergeOptions{}))
	}
}

// TestCheckSortWindow checks that CheckSortWindow, which copies no packet,
// says the same as a streaming Sort's outcome, across window sizes either
// side of what each input needs.
func TestCheckSortWindow(t *testing.T) {
	cases, tooSmall := 0, 0
	for _, disorder := range []int{0, 5, 50} {
		for _, memory := range []int64{16 << 10, 64 << 10, 256 << 10, 4 << 20} {
			cfg := synth.Config{Packets: 3000, Seed: uint64(disorder) + 1, Disorder: disorder,
				DisorderWindow: 20 * time.Millisecond, MeanGap: 50 * time.Microsecond}
			opts := convert.SortOptions{Memory: memory, Streaming: true}
			_, sortErr := pkt.Copy(discard{}, convert.NewSort(synth.New(cfg), opts))
			checkErr := convert.CheckSortWindow(synth.New(cfg), opts)
			cases++
			if sortErr != nil {
				tooSmall++
			}
			if errors.Is(sortErr, convert.ErrSortWindow) != errors.Is(checkErr, convert.ErrSortWindow) ||
				(sortErr == nil) != (checkErr == nil) {
				t.Errorf("disorder %d%%, memory %d: sort says %v, check says %v", disorder, memory, sortErr, checkErr)
			}
		}
	}
	if tooSmall == 0 || tooSmall == cases {
		t.Errorf("the window was too small in %d of %d cases: the table tests one outcome only", tooSmall, cases)
	}
	if err := convert.CheckSortWindow(failingReader{}, convert.SortOptions{}); !errors.Is(err, errBoom) {
		t.Errorf("CheckSortWindow on a failing reader: %v", err)
	}
}
