package pipeio

import (
	"math"
	"slices"
	"time"
)

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
// With WriteBehind, a full buffer is written by a goroutine of its own
// while the caller fills a second one, so that the system call (the copy
// into the page cache, a pipe that is full) runs beside the caller's work.
//
// A lender must not reuse the memory it lent until the Gather has written
// it: Peeker's recycle functions call FlushThen. Errors are sticky and come
// back from the next Write or Flush.
type Gather struct {
	dst     VectorWriter
	cur     *batch        // being filled
	spare   *batch        // being written (flight), or idle; made on the first write behind
	flight  chan struct{} // holds a token while spare is being written
	flying  bool          // spare is being written, or was and not waited for
	slow    time.Duration // writes taking this long are followed by writes behind; never without WriteBehind
	last    time.Duration // how long the last write took
	lenders []Lender
	err     error
}

// batch is one buffer's worth of queued pieces.
type batch struct {
	buf   []byte   // copies, len = bytes used
	vecs  [][]byte // pending pieces in order
	tail  bool     // the last piece ends at the end of buf
	after []func() // called once the pieces are written
	err   error    // the write's error
	took  time.Duration
}

// SlowWrite is a threshold for WriteBehind: a write to /dev/null or to a
// pipe with room returns in a few microseconds, less than handing it to
// another goroutine costs; copying a buffer into the page cache takes
// hundreds.
const SlowWrite = 50 * time.Microsecond

// write writes the batch's pieces to dst and forgets them.
func (b *batch) write(dst VectorWriter) {
	start := time.Now()
	_, b.err = dst.WriteVectors(b.vecs)
	b.took = time.Since(start)
	b.done()
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
	return &Gather{dst: dst, cur: newBatch(max(size, 4096)), flight: make(chan struct{}, 1), slow: math.MaxInt64}
}

func newBatch(size int) *batch {
	return &batch{buf: make([]byte, 0, size), vecs: make([][]byte, 0, maxGatherVectors)}
}

// WriteBehind makes g write full buffers on a goroutine while the caller
// fills the other one, whenever the write before took slow or longer (0:
// always). Flush still returns once everything is written.
func (g *Gather) WriteBehind(slow time.Duration) { g.slow = slow }

// Lender is memory a Gather may keep references to until it has written
// them (a Peeker). A closed lender lends nothing more.
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
	b := g.cur
	if len(p) >= minBorrow && len(g.lenders) > 0 && g.lent(p) {
		if len(b.vecs) == cap(b.vecs) {
			if err := g.send(); err != nil {
				return 0, err
			}
			b = g.cur
		}
		b.vecs = append(b.vecs, p)
		b.tail = false
		return len(p), nil
	}
	if len(p) > cap(b.buf)-len(b.buf) || (!b.tail && len(b.vecs) == cap(b.vecs)) {
		if err := g.send(); err != nil {
			return 0, err
		}
		b = g.cur
		if len(p) > cap(b.buf) {
			// Larger than the buffer: written at once, as bufio does.
			b.vecs = append(b.vecs, p)
			return len(p), g.Flush()
		}
	}
	start := len(b.buf)
	b.buf = append(b.buf, p...)
	if b.tail {
		last := &b.vecs[len(b.vecs)-1]
		*last = (*last)[:len(*last)+len(p)]
	} else {
		b.vecs = append(b.vecs, b.buf[start:len(b.buf):cap(b.buf)])
		b.tail = true
	}
	return len(p), nil
}

// send writes the current batch: behind the caller with WriteBehind, else
// now. It waits for the batch written before, so that writes keep their
// order and at most one is in flight.
func (g *Gather) send() error {
	if err := g.wait(); err != nil {
		return err
	}
	b := g.cur
	if len(b.vecs) == 0 {
		b.done()
		return nil
	}
	if g.last < g.slow {
		b.write(g.dst)
		g.last, g.err = b.took, b.err
		return g.err
	}
	if g.spare == nil {
		// Only now: a Gather that never writes behind holds one buffer.
		g.spare = newBatch(cap(b.buf))
	}
	g.cur, g.spare = g.spare, b
	g.flight <- struct{}{}
	g.flying = true
	go func() {
		b.write(g.dst)
		<-g.flight
	}()
	return nil
}

// wait waits until no write is in flight and returns the sticky error.
func (g *Gather) wait() error {
	if g.flying {
		g.flight <- struct{}{} // the flight's goroutine empties it when done
		<-g.flight
		g.flying = false
		g.last = g.spare.took
		if err := g.spare.err; err != nil && g.err == nil {
			g.err = err
		}
	}
	return g.err
}

// done forgets the pieces of a written batch, and calls what waited for them.
func (b *batch) done() {
	clear(b.vecs)
	b.vecs, b.buf, b.tail = b.vecs[:0], b.buf[:0], false
	for i, fn := range b.after {
		fn()
		b.after[i] = nil
	}
	b.after = b.after[:0]
}

// Buffered returns the number of bytes queued and not yet being written.
func (g *Gather) Buffered() int {
	n := 0
	for _, v := range g.cur.vecs {
		n += len(v)
	}
	return n
}

// Flush writes everything queued and returns once it is written.
func (g *Gather) Flush() error {
	if g.err != nil {
		return g.err
	}
	if err := g.send(); err != nil {
		return err
	}
	return g.wait()
}

// FlushThen starts writing everything queued and calls fn once it is
// written, or at once when nothing is queued or in flight: a lender
// reuses its memory from fn. fn is called on another goroutine with
// WriteBehind. After an error, fn is called at once.
func (g *Gather) FlushThen(fn func()) {
	if g.err != nil {
		fn()
		return
	}
	g.cur.after = append(g.cur.after, fn)
	if err := g.send(); err != nil {
		// The batch was not sent: nothing of it is written.
		g.cur.done()
	}
}

// Stop waits for the write in flight, drops what is queued and makes later
// writes fail with ErrClosed, for an output closed or abandoned while a
// lender may still call FlushThen.
func (g *Gather) Stop() {
	_ = g.wait()
	g.cur.done()
	if g.err == nil {
		g.err = ErrClosed
	}
}
