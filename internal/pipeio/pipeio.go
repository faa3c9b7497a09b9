// Package pipeio overlaps file I/O with the work of the goroutine that
// parses or produces the bytes: a ReadAhead reads the next large blocks
// on a goroutine of its own while the caller consumes the current one,
// and a WriteBehind writes filled blocks on a goroutine of its own while
// the caller fills the next. Both hold a small fixed ring of buffers, so
// memory stays constant whatever the size of the stream, and neither
// allocates per call.
//
// On two or more cores the system calls (and, for compressed streams, the
// decompression or compression done by the wrapped reader or writer) run
// beside the caller instead of between its records.
package pipeio

import (
	"errors"
	"io"
	"sync"
	"sync/atomic"
)

// Default geometry: 3 blocks of 256 KiB each way (768 KiB), enough to
// keep a reader and a parser busy without weighing on memory bounds.
const (
	DefaultBlockSize = 256 << 10
	DefaultBlocks    = 3
)

// ErrClosed is returned by a ReadAhead or WriteBehind used after Close.
var ErrClosed = errors.New("pipeio: use after Close")

// geometry applies the defaults to a ring's block size and count; a ring
// needs two blocks at least, one being filled while the other drains.
func geometry(blockSize, blocks int) (int, int) {
	if blockSize <= 0 {
		blockSize = DefaultBlockSize
	}
	if blocks <= 1 {
		blocks = DefaultBlocks
	}
	return blockSize, blocks
}

type block struct {
	buf []byte
	n   int
	err error
}

// ReadAhead is an io.Reader that reads its source ahead on a goroutine.
type ReadAhead struct {
	src    io.Reader
	free   chan *block
	filled chan *block
	done   chan struct{}
	cur    *block
	off    int
	err    error
	once   sync.Once
	exited chan struct{}
}

// NewReadAhead starts reading src ahead in blocks of blockSize bytes,
// holding at most blocks of them (values <= 0 take the defaults). Close
// stops the goroutine; it does not close src.
func NewReadAhead(src io.Reader, blockSize, blocks int) *ReadAhead {
	blockSize, blocks = geometry(blockSize, blocks)
	r := &ReadAhead{
		src:    src,
		free:   make(chan *block, blocks),
		filled: make(chan *block, blocks),
		done:   make(chan struct{}),
		exited: make(chan struct{}),
	}
	for range blocks {
		r.free <- &block{buf: make([]byte, blockSize)}
	}
	go r.fill()
	return r
}

// fill reads blocks until the source fails or ends, or Close.
func (r *ReadAhead) fill() {
	defer close(r.exited)
	for {
		var b *block
		select {
		case b = <-r.free:
		case <-r.done:
			return
		}
		b.n, b.err = io.ReadFull(r.src, b.buf)
		if b.err == io.ErrUnexpectedEOF {
			b.err = io.EOF
		}
		select {
		case r.filled <- b:
		case <-r.done:
			return
		}
		if b.err != nil {
			return
		}
	}
}

// Read copies the next bytes of the stream into p.
func (r *ReadAhead) Read(p []byte) (int, error) {
	for {
		if r.cur != nil && r.off < r.cur.n {
			n := copy(p, r.cur.buf[r.off:r.cur.n])
			r.off += n
			return n, nil
		}
		if r.err != nil {
			return 0, r.err
		}
		if r.cur != nil {
			if r.cur.err != nil {
				r.err = r.cur.err
				continue
			}
			r.free <- r.cur
			r.cur = nil
		}
		select {
		case b := <-r.filled:
			r.cur, r.off = b, 0
		case <-r.done:
			return 0, ErrClosed
		}
	}
}

// Close stops reading ahead and waits until the goroutine is out of the
// source, so that the caller may then close the source. A source that
// can block indefinitely (a pipe) must not be wrapped.
func (r *ReadAhead) Close() error {
	r.once.Do(func() { close(r.done) })
	<-r.exited
	return nil
}

// WriteBehind is an io.Writer that writes to its destination on a
// goroutine: Write copies into the current block and hands full blocks
// over. Errors from the destination come back from a later Write, Flush
// or Close.
type WriteBehind struct {
	dst     io.Writer
	free    chan *block
	filled  chan *block
	flushed chan error
	cur     *block
	err     error
	closed  bool
	failed  atomic.Pointer[error] // the destination's first error, set by drain
}

// NewWriteBehind starts a writer of blocks of blockSize bytes, at most
// blocks of them in flight (values <= 0 take the defaults).
func NewWriteBehind(dst io.Writer, blockSize, blocks int) *WriteBehind {
	blockSize, blocks = geometry(blockSize, blocks)
	w := &WriteBehind{
		dst:     dst,
		free:    make(chan *block, blocks),
		filled:  make(chan *block, blocks),
		flushed: make(chan error, 1),
	}
	for range blocks - 1 {
		w.free <- &block{buf: make([]byte, blockSize)}
	}
	w.cur = &block{buf: make([]byte, blockSize)}
	go w.drain()
	return w
}

// drain writes blocks in order. A nil block asks for a report of the
// first error so far (a flush); closing filled ends it.
func (w *WriteBehind) drain() {
	var err error
	for b := range w.filled {
		if b == nil {
			w.flushed <- err
			continue
		}
		if err == nil && b.n > 0 {
			if _, err = w.dst.Write(b.buf[:b.n]); err != nil {
				w.failed.Store(&err)
			}
		}
		b.n = 0
		w.free <- b
	}
	w.flushed <- err
}

// Write copies p into the ring.
func (w *WriteBehind) Write(p []byte) (int, error) {
	if w.closed {
		return 0, ErrClosed
	}
	if w.err != nil {
		return 0, w.err
	}
	if e := w.failed.Load(); e != nil {
		w.err = *e
		return 0, w.err
	}
	written := 0
	for len(p) > 0 {
		n := copy(w.cur.buf[w.cur.n:], p)
		w.cur.n += n
		written += n
		p = p[n:]
		if w.cur.n == len(w.cur.buf) {
			w.filled <- w.cur
			w.cur = <-w.free
		}
	}
	return written, nil
}

// Flush hands over the partial block and waits until everything written
// so far is in the destination.
func (w *WriteBehind) Flush() error {
	if w.closed {
		return ErrClosed
	}
	if w.err != nil {
		return w.err
	}
	if w.cur.n > 0 {
		w.filled <- w.cur
		w.cur = <-w.free
	}
	w.filled <- nil
	w.err = <-w.flushed
	return w.err
}

// Close flushes and stops the goroutine; it does not close the
// destination.
func (w *WriteBehind) Close() error {
	if w.closed {
		return w.err
	}
	err := w.Flush()
	w.closed = true
	close(w.filled)
	<-w.flushed
	return err
}

// Abort stops the goroutine after the blocks already handed over,
// dropping the current one.
func (w *WriteBehind) Abort() {
	if w.closed {
		return
	}
	w.closed = true
	close(w.filled)
	<-w.flushed
}
