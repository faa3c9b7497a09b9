package capfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"

	"github.com/pcaptool/pcaptool/convert"
	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pcapng"
)

// ErrUnknownFormat reports input that is neither pcap nor pcapng.
var ErrUnknownFormat = errors.New("capfile: not a pcap or pcapng file")

// ReaderOptions tune Open.
type ReaderOptions struct {
	// MaxPacketSize caps one packet's capture length (pcap) or one
	// block's length (pcapng); 0 means the format's default.
	MaxPacketSize int
}

// Reader reads packets from a capture file of either format. It implements
// convert.Reader; errors name the file.
type Reader struct {
	name        string
	file        *os.File
	closers     []io.Closer
	counter     *countingReader
	size        int64
	format      Format
	compression Compression

	pcap   *pcap.Reader
	pcapng *pcapng.PacketReader
	ifaces []convert.Interface
	pkt    convert.Packet
}

// Open opens the named file ("-" for standard input) and prepares to read
// its packets.
func Open(name string) (*Reader, error) { return OpenOptions(name, ReaderOptions{}) }

// OpenOptions is Open with options.
func OpenOptions(name string, opts ReaderOptions) (*Reader, error) {
	if name == "-" {
		return NewReader(os.Stdin, "-", opts)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	r, err := NewReader(f, name, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	r.file = f
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		r.size = st.Size()
	}
	return r, nil
}

// NewReader reads a capture from r; name is used in error messages.
func NewReader(r io.Reader, name string, opts ReaderOptions) (*Reader, error) {
	cr := &countingReader{r: r}
	rd := &Reader{name: name, counter: cr, size: -1}
	br := bufio.NewReaderSize(cr, 64<<10)
	head, _ := br.Peek(4)
	var src io.Reader = br
	rd.compression = sniffCompression(head)
	switch rd.compression {
	case Gzip:
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%s: gzip: %w", name, err)
		}
		rd.closers = append(rd.closers, zr)
		src = zr
	case Zstd:
		zr, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, fmt.Errorf("%s: zstd: %w", name, err)
		}
		rd.closers = append(rd.closers, closerFunc(func() error { zr.Close(); return nil }))
		src = zr
	case LZ4:
		src = lz4.NewReader(br)
	}
	inner := bufio.NewReaderSize(src, pcap.DefaultBufferSize)
	head, err := inner.Peek(4)
	if err != nil && len(head) < 4 {
		if err == io.EOF {
			return nil, fmt.Errorf("%s: %w: file has %d bytes", name, ErrUnknownFormat, len(head))
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	switch {
	case pcap.IsPcap(head):
		pr, err := pcap.NewReaderOptions(inner, pcap.ReaderOptions{MaxPacketSize: opts.MaxPacketSize})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		rd.format = Pcap
		rd.pcap = pr
		h := pr.Header()
		res := convert.Microsecond
		if h.Precision == pcap.Nanosecond {
			res = convert.Nanosecond
		}
		rd.ifaces = []convert.Interface{{
			LinkType:   h.LinkType,
			SnapLen:    h.SnapLen,
			Resolution: res,
			FCSLen:     h.FCSLen,
		}}
	case pcapng.IsPcapng(head):
		pr, err := pcapng.NewPacketReader(inner, pcapng.ReaderOptions{MaxBlockSize: opts.MaxPacketSize})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		rd.format = Pcapng
		rd.pcapng = pr
	default:
		return nil, fmt.Errorf("%s: %w: unknown magic number %02x%02x%02x%02x", name, ErrUnknownFormat,
			head[0], head[1], head[2], head[3])
	}
	return rd, nil
}

// ReadPacket returns the next packet, valid until the next call, or io.EOF.
func (r *Reader) ReadPacket() (*convert.Packet, error) {
	if r.pcapng != nil {
		p, err := r.pcapng.ReadPacket()
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("%s: %w", r.name, err)
		}
		return p, err
	}
	rec, err := r.pcap.ReadPacket()
	if err != nil {
		if err == io.EOF {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %w", r.name, err)
	}
	r.pkt = convert.Packet{Timestamp: rec.Timestamp, Length: rec.Length, Data: rec.Data}
	return &r.pkt, nil
}

// Interfaces returns the interfaces described so far.
func (r *Reader) Interfaces() []convert.Interface {
	if r.pcapng != nil {
		return r.pcapng.Interfaces()
	}
	return r.ifaces
}

// Name returns the name the file was opened with.
func (r *Reader) Name() string { return r.name }

// Format returns the detected file format.
func (r *Reader) Format() Format { return r.format }

// Compression returns the detected compression.
func (r *Reader) Compression() Compression { return r.compression }

// Size returns the file's size in bytes as stored (compressed), or -1 when
// unknown (a pipe).
func (r *Reader) Size() int64 { return r.size }

// BytesRead returns how many stored bytes have been consumed so far; safe to
// call from another goroutine (for progress reporting).
func (r *Reader) BytesRead() int64 { return r.counter.n.Load() }

// Pcap returns the underlying pcap reader, or nil for a pcapng file.
func (r *Reader) Pcap() *pcap.Reader { return r.pcap }

// Pcapng returns the underlying pcapng reader, or nil for a pcap file.
func (r *Reader) Pcapng() *pcapng.PacketReader { return r.pcapng }

// Close releases the decompressor and the file.
func (r *Reader) Close() error {
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

type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

type closerFunc func() error

func (f closerFunc) Close() error { return f() }
