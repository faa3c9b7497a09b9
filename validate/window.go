package validate

import "io"

// window is a sliding view of a byte stream addressed by file offset. It
// lets the checkers look ahead (a whole block, a candidate block while
// re-synchronising) without reading the file into memory: only the bytes
// from the oldest offset still wanted to the farthest one looked at are
// kept, and the buffer grows only as data actually arrives, so a lying
// length field cannot force a large allocation.
//
// The read size is a parameter (Options.WindowSize) so that tests and
// fuzzing can make every block, resync and restore cross a refill.
type window struct {
	r     io.Reader
	buf   []byte
	chunk int   // bytes asked of r per read
	base  int64 // file offset of buf[0]
	keep  int64 // bytes before this offset may be dropped
	eof   bool
	err   error // read error other than io.EOF
}

// DefaultWindowSize is the read size of the validator when
// Options.WindowSize is 0.
const DefaultWindowSize = 1 << 20

func newWindow(r io.Reader, chunk int) *window {
	if chunk <= 0 {
		chunk = DefaultWindowSize
	}
	return &window{r: r, chunk: chunk, buf: make([]byte, 0, min(chunk, 64<<10))}
}

// peek returns the bytes [off, off+n), or fewer when the stream ends
// first. Bytes before the last release may have been dropped: asking for
// them gives nil, never a panic, so a caller that looks back too far
// sees "no data" rather than crashing on hostile input.
func (w *window) peek(off int64, n int) []byte {
	if off < w.base || n <= 0 {
		return nil
	}
	for off+int64(n) > w.base+int64(len(w.buf)) && !w.eof {
		w.fill(off + int64(n))
	}
	rel := off - w.base
	if rel >= int64(len(w.buf)) {
		return nil
	}
	return w.buf[rel:min(rel+int64(n), int64(len(w.buf)))]
}

// fill reads at least once towards offset want, making room first: the
// bytes before keep are dropped, and the buffer grows only when what is
// kept and wanted does not fit.
func (w *window) fill(want int64) {
	// Compact only when that frees at least half the buffer: sliding by a
	// few bytes per read would copy the whole buffer each time.
	if drop := min(w.keep-w.base, int64(len(w.buf))); drop > 0 && len(w.buf) == cap(w.buf) && 2*drop >= int64(len(w.buf)) {
		n := copy(w.buf, w.buf[drop:])
		w.buf = w.buf[:n]
		w.base += drop
	}
	// Grow when full, and to the full read size once the input is known
	// to be that large: small inputs stay cheap to check.
	if len(w.buf) == cap(w.buf) || (cap(w.buf) < w.chunk && w.base+int64(len(w.buf)) >= int64(w.chunk)) {
		need := min(want-w.base, int64(len(w.buf))+int64(w.chunk))
		grown := make([]byte, len(w.buf), max(int64(2*cap(w.buf)), need, min(int64(w.chunk), 64<<10), 16))
		copy(grown, w.buf)
		w.buf = grown
	}
	end := min(cap(w.buf), len(w.buf)+w.chunk)
	m, err := w.r.Read(w.buf[len(w.buf):end])
	w.buf = w.buf[:len(w.buf)+m]
	if err != nil {
		w.eof = true
		if err != io.EOF {
			w.err = err
		}
	}
}

// release says the bytes before off will not be looked at again.
func (w *window) release(off int64) {
	if off > w.keep {
		w.keep = off
	}
}

// end reports whether the stream has nothing at or after off.
func (w *window) end(off int64) bool { return len(w.peek(off, 1)) == 0 }

// size reads to the end of the stream and returns its length. The bytes
// read are released as they are counted: call it only when nothing after
// the current position will be looked at again.
func (w *window) size() int64 {
	for !w.eof {
		w.release(w.base + int64(len(w.buf)))
		w.fill(w.base + int64(len(w.buf)) + int64(w.chunk))
	}
	return w.base + int64(len(w.buf))
}
