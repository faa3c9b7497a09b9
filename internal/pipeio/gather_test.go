package pipeio

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"time"
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
	for _, tc := range []gatherCase{
		{"copies join", true, [][]byte{[]byte("ab"), []byte("cd"), lent[:100]}, 1, 1},
		{"lent referenced", true, [][]byte{[]byte("h1"), lent[:300], []byte("h2"), lent[300:900]}, 1, 4},
		{"not lending", false, [][]byte{[]byte("h1"), lent[:300], []byte("h2"), lent[300:900]}, 1, 1},
		{"larger than the buffer", true, [][]byte{[]byte("x"), bytes.Repeat([]byte("y"), 10_000), []byte("z")}, 3, 1},
		{"more pieces than a writev", true, repeatPieces(lent, 1500), 3, maxGatherVectors},
	} {
		for _, behind := range []bool{false, true} {
			tc.run(t, owns, behind)
		}
	}
}

// gatherCase is one case of TestGather.
type gatherCase struct {
	name      string
	lend      bool
	writes    [][]byte
	wantCalls int // writev calls, for one final Flush
	maxPieces int
}

func (tc gatherCase) run(t *testing.T, owns Lender, behind bool) {
	t.Helper()
	name := fmt.Sprintf("%s (write behind %v)", tc.name, behind)
	sink := &vectorSink{}
	g := NewGather(sink, 4096)
	if behind {
		g.WriteBehind(0)
	}
	if tc.lend {
		g.Lend(owns)
	}
	var want bytes.Buffer
	for _, w := range tc.writes {
		if n, err := g.Write(w); n != len(w) || err != nil {
			t.Fatalf("%s: Write = %d, %v", name, n, err)
		}
		want.Write(w)
	}
	if g.Buffered() > want.Len() {
		t.Errorf("%s: Buffered %d > %d written", name, g.Buffered(), want.Len())
	}
	if err := g.Flush(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(sink.out.Bytes(), want.Bytes()) {
		t.Errorf("%s: output differs from the writes", name)
	}
	if sink.calls != tc.wantCalls {
		t.Errorf("%s: %d writev calls, want %d", name, sink.calls, tc.wantCalls)
	}
	if max := sink.pieces; sink.calls == 1 && max > tc.maxPieces {
		t.Errorf("%s: %d pieces, want at most %d", name, max, tc.maxPieces)
	}
	if g.Buffered() != 0 {
		t.Errorf("%s: %d bytes still buffered after Flush", name, g.Buffered())
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
	for _, behind := range []bool{false, true} {
		sink := &vectorSink{err: boom}
		g := NewGather(sink, 4096)
		if behind {
			g.WriteBehind(0)
		}
		g.Write([]byte("abc"))
		if err := g.Flush(); !errors.Is(err, boom) {
			t.Fatalf("write behind %v: Flush = %v, want boom", behind, err)
		}
		if _, err := g.Write([]byte("d")); !errors.Is(err, boom) {
			t.Errorf("write behind %v: Write after a failed flush = %v, want boom", behind, err)
		}
	}
	// A batch written behind fails: a later Write says so, without a Flush.
	sink := &vectorSink{err: boom}
	g := NewGather(sink, 4096)
	g.WriteBehind(0)
	var err error
	for i := 0; i < 100 && err == nil; i++ {
		_, err = g.Write(make([]byte, 3000))
	}
	if !errors.Is(err, boom) {
		t.Errorf("Writes after a failed write behind: %v, want boom", err)
	}
}

// gateSink is a VectorWriter that writes only once open is closed.
type gateSink struct {
	open chan struct{}
	vectorSink
}

func (s *gateSink) WriteVectors(v [][]byte) (int64, error) {
	<-s.open
	return s.vectorSink.WriteVectors(v)
}

// TestGatherFlushThen checks that a lender is released only once its bytes
// are written, and that writing behind lets the caller go on meanwhile.
func TestGatherFlushThen(t *testing.T) {
	lent := bytes.Repeat([]byte("0123456789abcdef"), 64)
	for _, behind := range []bool{false, true} {
		sink := &gateSink{open: make(chan struct{})}
		if !behind {
			close(sink.open)
		}
		g := NewGather(sink, 4096)
		if behind {
			g.WriteBehind(0)
		}
		g.Lend(sliceLender(lent))
		g.Write([]byte("head"))
		g.Write(lent[:512])
		released := make(chan struct{})
		g.FlushThen(func() { close(released) })
		if behind {
			select {
			case <-released:
				t.Fatal("write behind: released before the bytes were written")
			case <-time.After(20 * time.Millisecond):
			}
			g.Write([]byte("tail")) // the caller goes on while the write waits
			close(sink.open)
		}
		select {
		case <-released:
		case <-time.After(10 * time.Second):
			t.Fatalf("write behind %v: never released", behind)
		}
		if err := g.Flush(); err != nil {
			t.Fatal(err)
		}
		want := "head" + string(lent[:512])
		if behind {
			want += "tail"
		}
		if got := sink.out.String(); got != want {
			t.Errorf("write behind %v: wrote %d bytes, want %d", behind, len(got), len(want))
		}
		// Nothing queued or in flight: released at once.
		now := false
		g.FlushThen(func() { now = true })
		if !now {
			t.Errorf("write behind %v: an empty FlushThen did not release at once", behind)
		}
		g.Stop()
		if _, err := g.Write([]byte("x")); !errors.Is(err, ErrClosed) {
			t.Errorf("write behind %v: Write after Stop = %v, want ErrClosed", behind, err)
		}
	}
}
