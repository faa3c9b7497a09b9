package capfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync/atomic"

	"github.com/pcaptool/pcaptool/internal/pipeio"
	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pcapng"
	"github.com/pcaptool/pcaptool/pkt"
)

// ErrUnknownFormat reports input that is neither pcap nor pcapng.
var ErrUnknownFormat = errors.New("capfile: not a pcap or pcapng file")

// ReaderOptions tune Open.
type ReaderOptions struct {
	// MaxPacketSize caps one packet's capture length (pcap) or one
	// block's length (pcapng); 0 means the format's default.
	MaxPacketSize int
	// ReadAhead reads an uncompressed stream ahead on a goroutine of its
	// own, into a ring the parser reads in place, when the machine has
	// two cores or more. Open and OpenOptions set it for regular files;
	// set it for NewReader only over a stream whose reads never wait
	// for long (a regular file), since Close waits for the read in
	// progress.
	ReadAhead bool
}

// Reader reads packets from a capture file of either format. It implements
// pkt.Reader; errors name the file.
type Reader struct {
	raw    *RawReader
	format Format
	// buf is the read buffer the format reader parses from: ahead, or a
	// bufio.Reader.
	buf pipeio.BufferedReader

	pcap   *pcap.Reader
	pcapng *pcapng.PacketReader
	src    pkt.Reader // the one of pcap and pcapng in use
	// ahead reads a plain regular file ahead on a goroutine of its own;
	// the pcap or pcapng reader parses its blocks in place.
	ahead *pipeio.Peeker
	// pending is a packet read ahead (by OpenFrom) to return next;
	// atEOF says the stream ended while reading ahead.
	pending *pkt.Packet
	atEOF   bool
	// lastInterface is the interface of the packet last returned through
	// the gopacket methods, for Decoder.
	lastInterface int
}

// readAheadGeometry sizes the ring of a Reader that reads ahead; zeros
// take pipeio's defaults. Tests make it small.
var readAheadGeometry struct{ blockSize, blocks, peekSize int }

// Open opens the named file ("-" for standard input) and prepares to read
// its packets.
func Open(name string) (*Reader, error) { return OpenOptions(name, ReaderOptions{}) }

// OpenOptions is Open with options.
func OpenOptions(name string, opts ReaderOptions) (*Reader, error) {
	raw, err := OpenRaw(name)
	if err != nil {
		return nil, err
	}
	r, err := newReader(raw, opts)
	if err != nil {
		raw.Close()
		return nil, err
	}
	return r, nil
}

// NewReader reads a capture from r; name is used in error messages.
func NewReader(r io.Reader, name string, opts ReaderOptions) (*Reader, error) {
	raw, err := NewRawReader(r, name)
	if err != nil {
		return nil, err
	}
	return newReader(raw, opts)
}

func newReader(raw *RawReader, opts ReaderOptions) (*Reader, error) {
	rd := &Reader{raw: raw}
	var inner pipeio.BufferedReader
	if (raw.readAhead || opts.ReadAhead) && raw.compression == CompressionNone && runtime.GOMAXPROCS(0) > 1 {
		g := readAheadGeometry
		rd.ahead = pipeio.NewPeeker(raw, g.blockSize, g.blocks, g.peekSize)
		inner = rd.ahead
	} else {
		inner = bufio.NewReaderSize(raw, pcap.DefaultBufferSize)
	}
	rd.buf = inner
	if err := rd.open(opts); err != nil {
		if rd.ahead != nil {
			rd.ahead.Close()
		}
		return nil, err
	}
	return rd, nil
}

// open reads the file header from rd.buf and prepares the reader of its
// format.
func (rd *Reader) open(opts ReaderOptions) error {
	name, inner := rd.raw.Name(), rd.buf
	head, err := inner.Peek(4)
	if err != nil && len(head) < 4 {
		if err == io.EOF {
			return fmt.Errorf("%s: %w: file has %d bytes", name, ErrUnknownFormat, len(head))
		}
		return fmt.Errorf("%s: %w", name, err)
	}
	switch {
	case pcap.IsPcap(head):
		pr, err := pcap.NewReaderOptions(inner, pcap.ReaderOptions{MaxPacketSize: opts.MaxPacketSize})
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		rd.format = Pcap
		rd.pcap = pr
		rd.src = pr
	case pcapng.IsPcapng(head):
		pr, err := pcapng.NewPacketReader(inner, pcapng.ReaderOptions{MaxBlockSize: opts.MaxPacketSize})
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		rd.format = Pcapng
		rd.pcapng = pr
		rd.src = pr
	default:
		return fmt.Errorf("%s: %w: unknown magic number %02x%02x%02x%02x", name, ErrUnknownFormat,
			head[0], head[1], head[2], head[3])
	}
	return nil
}

// ReadPacket returns the next packet, valid until the next call, or io.EOF.
func (r *Reader) ReadPacket() (*pkt.Packet, error) {
	if p := r.pending; p != nil {
		r.pending = nil
		return p, nil
	}
	if r.atEOF {
		return nil, io.EOF
	}
	p, err := r.src.ReadPacket()
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("%s: %w", r.raw.Name(), err)
	}
	return p, err
}

// Fill reads ahead as far as the read buffer goes (1 MiB of a
// bufio.Reader; the current block of a read-ahead ring) or to the end of
// the input, so that the packets that follow are parsed from memory
// already read and touched. A replay calls it before its clock starts:
// the first refill of a fresh buffer costs a page fault per 4 KiB page,
// which on a virtual machine adds up to milliseconds. Fill moves the buffered bytes, so the
// packet ReadPacket returned last is no longer valid; with a packet read
// ahead by OpenFrom pending, it does nothing. The end of the input is not
// an error; another read error is returned, and again by ReadPacket.
func (r *Reader) Fill() error {
	if r.pending != nil || r.atEOF {
		return nil
	}
	_, err := r.buf.Peek(r.buf.Size())
	switch {
	case err == nil, err == io.EOF, errors.Is(err, bufio.ErrBufferFull):
		return nil
	}
	return fmt.Errorf("%s: %w", r.raw.Name(), err)
}

// Interfaces returns the interfaces described so far.
func (r *Reader) Interfaces() []pkt.Interface { return r.src.Interfaces() }

// Name returns the name the file was opened with.
func (r *Reader) Name() string { return r.raw.Name() }

// Format returns the detected file format.
func (r *Reader) Format() Format { return r.format }

// Compression returns the detected compression.
func (r *Reader) Compression() Compression { return r.raw.Compression() }

// Size returns the file's size in bytes as stored (compressed), or -1 when
// unknown (a pipe).
func (r *Reader) Size() int64 { return r.raw.Size() }

// BytesRead returns how many stored bytes have been consumed so far; safe to
// call from another goroutine (for progress reporting).
func (r *Reader) BytesRead() int64 { return r.raw.BytesRead() }

// Pcap returns the underlying pcap reader, or nil for a pcapng file.
func (r *Reader) Pcap() *pcap.Reader { return r.pcap }

// Pcapng returns the underlying pcapng reader, or nil for a pcap file.
func (r *Reader) Pcapng() *pcapng.PacketReader { return r.pcapng }

// Close releases the decompressor and the file.
func (r *Reader) Close() error {
	if r.ahead != nil {
		r.ahead.Close()
	}
	return r.raw.Close()
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
