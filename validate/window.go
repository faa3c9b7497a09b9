package validate

import "io"

// window is a sliding view of a byte stream addressed by file offset. It
// lets the checkers look ahead (a whole block, a candidate block while
// re-synchronising) without reading the file into memory: only the bytes
// from the oldest offset still wanted to the farthest one looked at are
// kept, and the buffer grows only as data actually arrives, so a lying
// length field cannot force a large allocation.
type window struct {
	r    io.Reader
	buf  []byte
	base int64 // file offset of buf[0]
	keep int64 // bytes before this offset may be dropped
	eof  bool
	err  error // read error other than io.EOF
}

const windowChunk = 1 << 20

func newWindow(r io.Reader) *window {
	return &window{r: r, buf: make([]byte, 0, 64<<10)}
}

// peek returns the bytes [off, off+n), or fewer when the stream ends
// first. off must not be before the last release.
func (w *window) peek(off int64, n int) []byte {
	rel := int(off - w.base)
	need := rel + n
	for len(w.buf) < need && !w.eof {
		w.fill()
		rel = int(off - w.base)
		need = rel + n
	}
	if rel >= len(w.buf) {
		return nil
	}
	return w.buf[rel:min(need, len(w.buf))]
}

// fill reads at least once, making room first.
func (w *window) fill() {
	if len(w.buf) == cap(w.buf) {
		// Drop what is no longer wanted before growing.
		if drop := min(int(w.keep-w.base), len(w.buf)); drop > 0 {
			n := copy(w.buf, w.buf[drop:])
			w.buf = w.buf[:n]
			w.base += int64(drop)
		}
		// Grow when full, and to the 1 MiB read size once the input is
		// known to be that large: small inputs stay cheap to check.
		if len(w.buf) == cap(w.buf) || (cap(w.buf) < windowChunk && w.base+int64(len(w.buf)) >= windowChunk) {
			grown := make([]byte, len(w.buf), max(2*cap(w.buf), windowChunk))
			copy(grown, w.buf)
			w.buf = grown
		}
	}
	m, err := w.r.Read(w.buf[len(w.buf):cap(w.buf)])
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
