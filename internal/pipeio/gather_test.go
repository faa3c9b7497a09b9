package pipeio

import (
	"bytes"
	"errors"
	"testing"
)

// vectorSink records what a Gather writes.
type vectorSink struct {
	out    bytes.Buffer
	calls  int
	pieces int
	err    error
}

func (s *vectorSink) WriteVectors(v [][]byte) (int64, error) {
	if s.err != nil {
		return 0, s.err
	}
	s.calls++
	s.pieces += len(v)
	var n int64
	for _, b := range v {
		s.out.Write(b)
		n += int64(len(b))
	}
	return n, nil
}

func TestGather(t *testing.T) {
	lent := bytes.Repeat([]byte("L"), 1<<16)
	for i := range lent {
		lent[i] = byte(i)
	}
	owns := sliceLender(lent)
	for _, tc := range []struct {
		name      string
		lend      bool
		writes    [][]byte
		wantCalls int // writev calls, for one final Flush
		maxPieces int
	}{
		{"copies join", true, [][]byte{[]byte("ab"), []byte("cd"), lent[:100]}, 1, 1},
		{"lent referenced", true, [][]byte{[]byte("h1"), lent[:300], []byte("h2"), lent[300:900]}, 1, 4},
		{"not lending", false, [][]byte{[]byte("h1"), lent[:300], []byte("h2"), lent[300:900]}, 1, 1},
		{"larger than the buffer", true, [][]byte{[]byte("x"), bytes.Repeat([]byte("y"), 10_000), []byte("z")}, 3, 1},
		{"more pieces than a writev", true, repeatPieces(lent, 1500), 3, maxGatherVectors},
	} {
		sink := &vectorSink{}
		g := NewGather(sink, 4096)
		if tc.lend {
			g.Lend(owns)
		}
		var want bytes.Buffer
		for _, w := range tc.writes {
			if n, err := g.Write(w); n != len(w) || err != nil {
				t.Fatalf("%s: Write = %d, %v", tc.name, n, err)
			}
			want.Write(w)
		}
		if g.Buffered() > want.Len() {
			t.Errorf("%s: Buffered %d > %d written", tc.name, g.Buffered(), want.Len())
		}
		if err := g.Flush(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(sink.out.Bytes(), want.Bytes()) {
			t.Errorf("%s: output differs from the writes", tc.name)
		}
		if sink.calls != tc.wantCalls {
			t.Errorf("%s: %d writev calls, want %d", tc.name, sink.calls, tc.wantCalls)
		}
		if max := sink.pieces; sink.calls == 1 && max > tc.maxPieces {
			t.Errorf("%s: %d pieces, want at most %d", tc.name, max, tc.maxPieces)
		}
		if g.Buffered() != 0 {
			t.Errorf("%s: %d bytes still buffered after Flush", tc.name, g.Buffered())
		}
	}
}

// sliceLender lends one slice.
type sliceLender []byte

func (l sliceLender) Owns(b []byte) bool { return within(l, b) }
func (l sliceLender) Closed() bool       { return false }

// repeatPieces alternates short copies and lent slices, n of each.
func repeatPieces(lent []byte, n int) [][]byte {
	var v [][]byte
	for i := range n {
		v = append(v, []byte{byte(i)}, lent[i%100:i%100+minBorrow])
	}
	return v
}

func TestGatherStickyError(t *testing.T) {
	boom := errors.New("boom")
	sink := &vectorSink{err: boom}
	g := NewGather(sink, 4096)
	g.Write([]byte("abc"))
	if err := g.Flush(); !errors.Is(err, boom) {
		t.Fatalf("Flush = %v, want boom", err)
	}
	if _, err := g.Write([]byte("d")); !errors.Is(err, boom) {
		t.Errorf("Write after a failed flush = %v, want boom", err)
	}
}
