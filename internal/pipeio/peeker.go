package pipeio

import (
	"bufio"
	"io"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/pcaptool/pcaptool/internal/hugepage"
)

// Default Peeker geometry: 4 blocks of 512 KiB read ahead, each with 64 KiB
// of headroom in front for a record that straddles two blocks.
const (
	DefaultPeekBlockSize = 512 << 10
	DefaultPeekBlocks    = 4
	DefaultPeekSize      = 64 << 10
)

// Peeker reads its source ahead on a goroutine of its own into a ring of
// blocks and lets the caller parse the bytes in place: it has the Peek,
// Discard, Read and Size methods of a bufio.Reader, so record readers that
// take one (pcap, pcapng) parse from the ring without another copy.
//
// Peek returns bytes inside a block; a record that straddles two blocks is
// joined by copying its first part into the headroom in front of the next
// block. A block goes back to the reading goroutine only when the caller
// has moved past it and asks for more, so what Peek returned stays valid
// until the next Peek, Discard or Read, as with bufio.
//
// Memory is the blocks and their headroom, allocated once; nothing is
// allocated per call.
type Peeker struct {
	src       io.Reader
	head      int // headroom in front of each block: the largest Peek
	mem       []byte
	free      chan *peekBlock
	filled    chan *peekBlock
	done      chan struct{}
	exited    chan struct{}
	closeOnce sync.Once

	touched byte // the sum touch returns, kept so that its reads are not optimised away

	cur     *peekBlock
	err     error          // sticky: the source's error once its bytes are consumed
	recycle []func(func()) // told when the caller moves past a block (see AddRecycle)
}

// peekBlock is one block of the ring: buf[head:] is filled by the reading
// goroutine; the caller's unread bytes are buf[r:w].
type peekBlock struct {
	buf  []byte
	r, w int
	err  error

	holders atomic.Int32 // recycle functions still holding the block
	release func()       // called by each of them when done with it
}

// NewPeeker starts reading src ahead in blocks of blockSize bytes, at most
// blocks of them, with room to Peek up to peekSize bytes (values <= 0 take
// the defaults). Each read of src fills at most one block and the block is
// handed over as soon as the read returns, so a slow stream (a pipe) is
// passed on as it arrives. Close stops the goroutine; it does not close src.
// A source that can block forever must not be wrapped, since Close waits
// for the read in progress.
func NewPeeker(src io.Reader, blockSize, blocks, peekSize int) *Peeker {
	if blockSize <= 0 {
		blockSize = DefaultPeekBlockSize
	}
	if blocks < 2 {
		blocks = DefaultPeekBlocks
	}
	if peekSize <= 0 {
		peekSize = DefaultPeekSize
	}
	p := &Peeker{
		src:    src,
		head:   peekSize,
		free:   make(chan *peekBlock, blocks),
		filled: make(chan *peekBlock, blocks),
		done:   make(chan struct{}),
		exited: make(chan struct{}),
	}
	stride := peekSize + blockSize
	p.mem = hugepage.Make[byte](stride * blocks)
	for i := range blocks {
		b := &peekBlock{buf: p.mem[i*stride : (i+1)*stride : (i+1)*stride]}
		b.release = func() {
			if b.holders.Add(-1) == 0 {
				p.free <- b
			}
		}
		p.free <- b
	}
	go p.fill()
	return p
}

// read fills b with one read of the source.
func (p *Peeker) read(b *peekBlock) {
	n, err := 0, error(nil)
	for tries := 0; n == 0 && err == nil; tries++ {
		if tries == 100 {
			err = io.ErrNoProgress
			break
		}
		n, err = p.src.Read(b.buf[p.head:])
	}
	b.r, b.w, b.err = p.head, p.head+n, err
}

// fill reads blocks until the source fails or ends, or Close.
func (p *Peeker) fill() {
	defer close(p.exited)
	for {
		var b *peekBlock
		select {
		case b = <-p.free:
		case <-p.done:
			return
		}
		p.read(b)
		select {
		case p.filled <- b:
		case <-p.done:
			return
		}
		if b.err != nil {
			return
		}
	}
}

// AddRecycle adds a function called when the caller has moved past a
// block: the block is read into again only once every such function has
// called the release function it was given (at once, or later from any
// goroutine). A writer that holds on to slices of the stream (see Owns)
// releases the block once it has written them.
func (p *Peeker) AddRecycle(fn func(release func())) { p.recycle = append(p.recycle, fn) }

// Owns reports whether b lies in the Peeker's memory: bytes returned by
// Peek that stay valid until the recycle function is next called.
func (p *Peeker) Owns(b []byte) bool { return within(p.mem, b) }

// within reports whether b, not empty, lies inside mem.
func within(mem, b []byte) bool {
	if len(b) == 0 {
		return false
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(mem)))
	at := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return at >= start && at-start+uintptr(len(b)) <= uintptr(len(mem))
}

// Size returns the largest n Peek accepts.
func (p *Peeker) Size() int { return p.head }

// Peek returns the next n bytes without consuming them. With fewer bytes
// before the end of the stream it returns those and the error (io.EOF at
// the end); n larger than Size gives bufio.ErrBufferFull.
func (p *Peeker) Peek(n int) ([]byte, error) {
	if c := p.cur; c != nil && c.w-c.r >= n && n >= 0 {
		return c.buf[c.r : c.r+n], nil
	}
	if n < 0 {
		return nil, bufio.ErrNegativeCount
	}
	var full error
	if n > p.head {
		n, full = p.head, bufio.ErrBufferFull
	}
	for p.cur == nil || p.cur.w-p.cur.r < n {
		if !p.advance() {
			if p.cur == nil {
				return nil, p.err
			}
			return p.cur.buf[p.cur.r:p.cur.w], p.err
		}
	}
	return p.cur.buf[p.cur.r : p.cur.r+n], full
}

// Discard skips the next n bytes.
func (p *Peeker) Discard(n int) (int, error) {
	if n < 0 {
		return 0, bufio.ErrNegativeCount
	}
	done := 0
	for {
		if c := p.cur; c != nil {
			k := min(n-done, c.w-c.r)
			c.r += k
			done += k
		}
		if done == n {
			return done, nil
		}
		if !p.advance() {
			return done, p.err
		}
	}
}

// Read copies the next bytes into b.
func (p *Peeker) Read(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	for p.cur == nil || p.cur.r == p.cur.w {
		if !p.advance() {
			return 0, p.err
		}
	}
	n := copy(b, p.cur.buf[p.cur.r:p.cur.w])
	p.cur.r += n
	return n, nil
}

// advance moves to the next filled block, carrying the unread bytes of the
// current one into its headroom, and hands the current block back. It
// reports false, with p.err set, when the stream has no more blocks.
func (p *Peeker) advance() bool {
	if p.err != nil {
		return false
	}
	if c := p.cur; c != nil && c.err != nil {
		p.err = c.err
		return false
	}
	next, ok := p.nextBlock()
	if !ok {
		p.err = ErrClosed
		return false
	}
	if c := p.cur; c != nil {
		// At most a Peek's worth is left: Read and Discard advance
		// only once the block is consumed.
		rest := c.buf[c.r:c.w]
		next.r -= len(rest)
		copy(next.buf[next.r:], rest)
		p.give(c)
	}
	p.cur = next
	// Bring the block, written by the reading goroutine's core, into
	// this core's cache in one sequential pass the hardware prefetches,
	// before the parser hops from record header to record header
	// through it: measured, that hopping costs more than the pass on the
	// 2-core reference machine.
	p.touched += touch(next.buf[next.r:next.w])
	return true
}

// give hands block c back to the reading goroutine once the recycle
// functions have released it.
func (p *Peeker) give(c *peekBlock) {
	if len(p.recycle) == 0 {
		p.free <- c
		return
	}
	c.holders.Store(int32(len(p.recycle)))
	for _, fn := range p.recycle {
		fn(c.release)
	}
}

// touch reads one byte of every other cache line of b and returns their
// sum: the hardware's adjacent-line prefetch brings the line in between,
// and the pass costs a few percent less than reading every line.
func touch(b []byte) byte {
	var s byte
	for i := 0; i < len(b); i += 128 {
		s += b[i]
	}
	return s
}

// nextBlock returns the next block the reading goroutine filled. It
// reports false after Close.
func (p *Peeker) nextBlock() (*peekBlock, bool) {
	select {
	case <-p.done:
		return nil, false
	default:
	}
	select {
	case b := <-p.filled:
		return b, true
	case <-p.done:
		return nil, false
	}
}

// Close stops reading ahead and waits until the goroutine is out of the
// source, so that the caller may then close the source. The bytes of the
// block being read stay valid, and no block is read into again: what a
// writer still holds of the ring needs no release.
func (p *Peeker) Close() error {
	p.closeOnce.Do(func() { close(p.done) })
	<-p.exited
	return nil
}

// Closed reports whether Close was called.
func (p *Peeker) Closed() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}
