package pipeio

import "slices"

// VectorWriter writes a list of byte slices as one stream (writev).
type VectorWriter interface {
	WriteVectors(v [][]byte) (int64, error)
}

// Gather buffers writes for a VectorWriter, like a bufio.Writer, except
// that it keeps references instead of copies for long slices that lie in
// memory a source lends it (see Lend): packet bytes parsed in place from a
// Peeker go to the output without being copied. Short or foreign slices
// are copied into its buffer, consecutive copies joined.
//
// A lender must call Flush before it reuses the memory it lent (Peeker's
// SetRecycle does). Errors are sticky and come back from the next Write or
// Flush.
type Gather struct {
	dst     VectorWriter
	buf     []byte   // copies, len = bytes used
	vecs    [][]byte // pending pieces in order
	tail    bool     // the last piece ends at the end of buf
	lenders []Lender
	err     error
}

// Pieces and sizes: at most maxGatherVectors pieces are pending (one
// writev's worth); slices shorter than minBorrow are copied, since an
// iovec costs more than copying a few cache lines.
const (
	maxGatherVectors = 1024
	minBorrow        = 256
)

// NewGather returns a Gather writing to dst with size bytes of buffer for
// copies (at least 4096).
func NewGather(dst VectorWriter, size int) *Gather {
	return &Gather{
		dst:  dst,
		buf:  make([]byte, 0, max(size, 4096)),
		vecs: make([][]byte, 0, maxGatherVectors),
	}
}

// Lender is memory a Gather may keep references to until its next Flush
// (a Peeker). A closed lender lends nothing more.
type Lender interface {
	Owns(b []byte) bool
	Closed() bool
}

// Lend adds memory Write may keep references to, and forgets lenders
// closed since.
func (g *Gather) Lend(l Lender) {
	g.lenders = slices.DeleteFunc(g.lenders, Lender.Closed)
	g.lenders = append(g.lenders, l)
}

func (g *Gather) lent(p []byte) bool {
	for _, l := range g.lenders {
		if l.Owns(p) {
			return true
		}
	}
	return false
}

// Write queues p: a reference when it is lent memory, else a copy.
func (g *Gather) Write(p []byte) (int, error) {
	if g.err != nil {
		return 0, g.err
	}
	if len(p) >= minBorrow && len(g.lenders) > 0 && g.lent(p) {
		if len(g.vecs) == cap(g.vecs) {
			if err := g.Flush(); err != nil {
				return 0, err
			}
		}
		g.vecs = append(g.vecs, p)
		g.tail = false
		return len(p), nil
	}
	if len(p) > cap(g.buf)-len(g.buf) || (!g.tail && len(g.vecs) == cap(g.vecs)) {
		if err := g.Flush(); err != nil {
			return 0, err
		}
		if len(p) > cap(g.buf) {
			// Larger than the buffer: written at once, as bufio does.
			g.vecs = append(g.vecs, p)
			return len(p), g.Flush()
		}
	}
	start := len(g.buf)
	g.buf = append(g.buf, p...)
	if g.tail {
		last := &g.vecs[len(g.vecs)-1]
		*last = (*last)[:len(*last)+len(p)]
	} else {
		g.vecs = append(g.vecs, g.buf[start:len(g.buf):cap(g.buf)])
		g.tail = true
	}
	return len(p), nil
}

// Buffered returns the number of bytes queued.
func (g *Gather) Buffered() int {
	n := 0
	for _, v := range g.vecs {
		n += len(v)
	}
	return n
}

// Flush writes everything queued.
func (g *Gather) Flush() error {
	if g.err != nil {
		return g.err
	}
	if len(g.vecs) == 0 {
		return nil
	}
	_, err := g.dst.WriteVectors(g.vecs)
	g.drop()
	g.err = err
	return err
}

// drop empties the queue, and forgets the references to lent memory.
func (g *Gather) drop() {
	clear(g.vecs)
	g.vecs, g.buf, g.tail = g.vecs[:0], g.buf[:0], false
}

// Stop drops what is queued and makes later writes fail with ErrClosed,
// for an output closed or abandoned while a lender may still call Flush.
func (g *Gather) Stop() {
	g.drop()
	if g.err == nil {
		g.err = ErrClosed
	}
}
