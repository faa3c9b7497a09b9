package capfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"

	"github.com/pcaptool/pcaptool/internal/pipeio"
)

// RawReader is the content of a capture file with its compression removed
// and nothing else interpreted, for tools that check or repair the bytes
// themselves (validate, repair). It is an io.Reader.
type RawReader struct {
	name        string
	file        *os.File
	counter     *countingReader
	src         io.Reader
	closers     []io.Closer
	size        int64
	compression Compression
	// readAhead says the stream is a regular file, which the packet
	// reader may read ahead on a goroutine of its own (pipeio.Peeker).
	readAhead bool
}

// OpenRaw opens the named file ("-" for standard input) and returns its
// decompressed bytes. Unlike Open it accepts any content, even one that is
// not a capture file.
func OpenRaw(name string) (*RawReader, error) {
	var f *os.File
	size := int64(-1)
	if name == "-" {
		f = os.Stdin
		pipeio.GrowPipe(f) // a capture piped in comes in larger pieces
	} else {
		var err error
		if f, err = os.Open(name); err != nil {
			return nil, err
		}
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			size = st.Size()
		} else {
			pipeio.GrowPipe(f) // a FIFO's capture comes in larger pieces
		}
	}
	r, err := NewRawReader(f, name)
	if err != nil {
		if name != "-" {
			f.Close()
		}
		return nil, err
	}
	if name != "-" {
		r.file = f
	}
	r.size = size
	r.readAhead = size >= 0
	return r, nil
}

// NewRawReader is OpenRaw for an already open stream; name is used in
// error messages.
func NewRawReader(r io.Reader, name string) (*RawReader, error) {
	cr := &countingReader{r: r}
	rr := &RawReader{name: name, counter: cr, size: -1}
	br := bufio.NewReaderSize(cr, 64<<10)
	head, _ := br.Peek(4)
	rr.compression = sniffCompression(head)
	rr.src = br
	switch rr.compression {
	case Gzip:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: gzip: %w", name, err)
		}
		rr.closers = append(rr.closers, zr)
		rr.src = zr
	case Zstd:
		// Two decoders: klauspost's zstd then decodes blocks
		// asynchronously, beside the caller.
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(2), zstd.WithDecoderLowmem(true))
		if err != nil {
			return nil, fmt.Errorf("%s: zstd: %w", name, err)
		}
		rr.closers = append(rr.closers, closerFunc(func() error { zr.Close(); return nil }))
		rr.src = zr
	case LZ4:
		rr.src = lz4.NewReader(br)
	}
	if rr.compression == Gzip || rr.compression == LZ4 {
		// Decompress on a goroutine of its own, beside the parser; it
		// must stop before the decompressor closes, hence first in
		// closers. Plain files are not read ahead: measured, the extra
		// copy out of the ring costs more than the read calls it moves
		// off the parsing goroutine (convert: 0.11 -> 0.16 CPU s and
		// slower on a loaded 2-core machine).
		ahead := pipeio.NewReadAhead(rr.src, 0, 0)
		rr.closers = append([]io.Closer{ahead}, rr.closers...)
		rr.src = ahead
	}
	return rr, nil
}

// Read reads decompressed bytes.
func (r *RawReader) Read(p []byte) (int, error) { return r.src.Read(p) }

// Name returns the name the file was opened with.
func (r *RawReader) Name() string { return r.name }

// Compression returns the detected compression.
func (r *RawReader) Compression() Compression { return r.compression }

// Size returns the stored (compressed) file size, or -1 when unknown.
func (r *RawReader) Size() int64 { return r.size }

// BytesRead returns how many stored bytes have been consumed so far; safe to
// call from another goroutine.
func (r *RawReader) BytesRead() int64 { return r.counter.n.Load() }

// Close releases the decompressor and the file.
func (r *RawReader) Close() error {
	var errs []error
	for _, c := range r.closers {
		errs = append(errs, c.Close())
	}
	r.closers = nil
	if r.file != nil {
		errs = append(errs, r.file.Close())
		r.file = nil
	}
	return errors.Join(errs...)
}
