package pipeio

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"
)

// peekOps drives a BufferedReader with a random mix of Peek, Discard and
// Read and returns what they saw, so that a Peeker can be compared with a
// bufio.Reader over the same stream. It also checks that the bytes of every
// Peek not yet released are still intact: a Peeker must not reuse memory
// before its recycle functions release it.
type peekRun struct {
	hold    bool         // check that peeked bytes stay until released
	lag     int          // release blocks this many recycles late (0: at once)
	out     bytes.Buffer // the sequence of results, as text
	held    [][]byte     // peeked slices not yet recycled
	want    [][]byte     // their contents when peeked
	pending []heldBlock  // recycled, not yet released
}

// heldBlock is what was peeked from a block recycled but not released.
type heldBlock struct {
	held, want [][]byte
	release    func()
}

func (pr *peekRun) drive(t *testing.T, r BufferedReader, seed uint64, maxPeek int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	buf := make([]byte, maxPeek*2)
	for range 100_000 {
		pr.check(t)
		var n int
		var err error
		switch op := rng.IntN(3); op {
		case 0:
			var b []byte
			b, err = r.Peek(rng.IntN(maxPeek + 1))
			pr.out.Write(b)
			n = len(b)
			if pr.hold {
				pr.held = append(pr.held, b)
				pr.want = append(pr.want, bytes.Clone(b))
			}
		case 1:
			n, err = r.Discard(rng.IntN(maxPeek * 2))
		case 2:
			// One Read may return fewer bytes than asked for, at
			// places that differ: read until full.
			n, err = io.ReadFull(r, buf[:rng.IntN(len(buf))+1])
			pr.out.Write(buf[:n])
			if err == io.ErrUnexpectedEOF {
				err = io.EOF
			}
		}
		pr.out.WriteString("|")
		pr.out.WriteByte(byte(n))
		if err != nil {
			pr.out.WriteString(err.Error())
			if err == io.EOF {
				return
			}
		}
	}
	t.Fatal("stream did not end")
}

// check fails when bytes peeked and not released have changed.
func (pr *peekRun) check(t *testing.T) {
	t.Helper()
	for _, blk := range append(pr.pending, heldBlock{held: pr.held, want: pr.want}) {
		for i, h := range blk.held {
			if !bytes.Equal(h, blk.want[i]) {
				t.Fatalf("bytes peeked earlier changed before their block was released")
			}
		}
	}
}

// recycled is the Peeker's recycle function: it releases the block at
// once, or pr.lag recycles later.
func (pr *peekRun) recycled(release func()) {
	if pr.lag == 0 {
		pr.held, pr.want = pr.held[:0], pr.want[:0]
		release()
		return
	}
	pr.pending = append(pr.pending, heldBlock{pr.held, pr.want, release})
	pr.held, pr.want = nil, nil
	for len(pr.pending) > pr.lag {
		pr.pending[0].release()
		pr.pending = pr.pending[1:]
	}
}

func TestPeekerMatchesBufio(t *testing.T) {
	data := make([]byte, 50_000)
	for i := range data {
		data[i] = byte(rand.Uint32())
	}
	sources := map[string]func() io.Reader{
		"whole":   func() io.Reader { return bytes.NewReader(data) },
		"half":    func() io.Reader { return iotest.HalfReader(bytes.NewReader(data)) },
		"onebyte": func() io.Reader { return iotest.OneByteReader(bytes.NewReader(data)) },
		"dataerr": func() io.Reader { return iotest.DataErrReader(bytes.NewReader(data)) },
	}
	for _, geo := range []struct{ block, blocks, peek int }{
		{1, 2, 16}, {3, 2, 16}, {7, 3, 64}, {4096, 4, 64}, {16, 4, 4096}, {100_000, 2, 512},
	} {
		for name, src := range sources {
			for seed := range uint64(3) {
				// A block released a recycle late stays out of the
				// ring meanwhile, so lagging needs a third block.
				for lag := range min(geo.blocks-1, 2) {
					var want peekRun
					got := peekRun{hold: true, lag: lag}
					want.drive(t, bufio.NewReaderSize(src(), geo.peek), seed, geo.peek)
					p := NewPeeker(src(), geo.block, geo.blocks, geo.peek)
					p.AddRecycle(got.recycled)
					got.drive(t, p, seed, geo.peek)
					p.Close()
					if !bytes.Equal(got.out.Bytes(), want.out.Bytes()) {
						t.Errorf("blocks %d x %d, peek %d, %s source, seed %d, release lag %d: Peeker and bufio.Reader differ",
							geo.block, geo.blocks, geo.peek, name, seed, lag)
					}
				}
			}
		}
	}
}

func TestPeekerOwns(t *testing.T) {
	p := NewPeeker(bytes.NewReader(make([]byte, 10_000)), 1000, 2, 100)
	defer p.Close()
	b, err := p.Peek(100)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Owns(b) || !p.Owns(b[10:20]) {
		t.Error("a peeked slice is not owned")
	}
	if p.Owns(make([]byte, 10)) || p.Owns(nil) {
		t.Error("foreign memory is owned")
	}
	if p.Size() != 100 {
		t.Errorf("Size = %d, want the peek size 100", p.Size())
	}
}

func TestPeekerSourceError(t *testing.T) {
	boom := errors.New("boom")
	src := io.MultiReader(bytes.NewReader([]byte("0123456789")), iotest.ErrReader(boom))
	p := NewPeeker(src, 4, 2, 8)
	defer p.Close()
	b, err := p.Peek(8)
	if err != nil || string(b) != "01234567" {
		t.Fatalf("Peek(8) = %q, %v", b, err)
	}
	p.Discard(8)
	b, err = p.Peek(8)
	if !errors.Is(err, boom) || string(b) != "89" {
		t.Fatalf("Peek past the error = %q, %v; want \"89\", boom", b, err)
	}
	if _, err := p.Peek(9); !errors.Is(err, boom) {
		t.Errorf("the error is not sticky: %v", err)
	}
}

func TestPeekerCloseEarly(t *testing.T) {
	// Closing before the stream is read must not wait for the reader
	// goroutine, blocked on a full ring.
	p := NewPeeker(bytes.NewReader(make([]byte, 1<<20)), 1024, 2, 64)
	if _, err := p.Peek(10); err != nil {
		t.Fatal(err)
	}
	p.Close()
	if b, err := p.Peek(64); err != nil || len(b) != 64 {
		t.Fatalf("bytes of the current block after Close: %d, %v", len(b), err)
	}
	if _, err := p.Discard(2048); !errors.Is(err, ErrClosed) {
		t.Fatalf("reading past the current block after Close: %v, want ErrClosed", err)
	}
}
