// Package pipeio overlaps reading with the work of the goroutine that
// parses the bytes: a ReadAhead reads the next large blocks on a goroutine
// of its own while the caller consumes the current one. It holds a small
// fixed ring of buffers, so memory stays constant whatever the size of the
// stream, and allocates nothing per call.
//
// On two or more cores the decompression done by the wrapped reader runs
// beside the parser instead of between its records. (Compressed output
// needs no such ring: the gzip, zstd and lz4 writers compress on every
// core themselves.)
package pipeio

import (
	"errors"
	"io"
	"sync"
)

// Default geometry: 3 blocks of 256 KiB (768 KiB), enough to keep a
// reader and a parser busy without weighing on memory bounds.
const (
	DefaultBlockSize = 256 << 10
	DefaultBlocks    = 3
)

// ErrClosed is returned by a ReadAhead used after Close.
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
