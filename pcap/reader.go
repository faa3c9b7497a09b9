package pcap

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/pcaptool/pcaptool/internal/gopacketsrc"
	"github.com/pcaptool/pcaptool/internal/pipeio"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// DefaultBufferSize is the read and write buffer size: large enough that
// nearly every record is returned straight from the buffer without a copy.
const DefaultBufferSize = 1 << 20

// ReaderOptions tune a Reader. The zero value gives the defaults.
type ReaderOptions struct {
	// MaxPacketSize is the largest capture length accepted; larger ones
	// are reported as ErrCaptureLength. 0 means the link type's default
	// (linktype.LinkType.MaxPacketSize).
	MaxPacketSize int
	// BufferSize is the read buffer size; 0 means DefaultBufferSize.
	BufferSize int
}

type lengthSwap uint8

const (
	notSwapped lengthSwap = iota
	maybeSwapped
	swapped
)

// Reader reads the packets of a pcap file. It is a pkt.Reader: the file's
// one interface comes from its header, and the records of the modified
// format fill Packet.Link with their interface index, protocol and packet
// type.
type Reader struct {
	r         pipeio.BufferedReader
	hdr       FileHeader
	order     binary.ByteOrder
	little    bool // order is little-endian: record headers decode without an interface call
	hdrLen    int
	fracScale uint32 // nanoseconds per unit of the sub-second field
	maxPacket int
	swap      lengthSwap
	offset    int64 // offset of the next record
	index     int   // index of the next record
	ifaces    []pkt.Interface
	pkt       pkt.Packet
	big       []byte // holds records larger than the read buffer
	err       error  // sticky error, returned by every later call
}

// NewReader reads the file header from r and returns a Reader positioned at
// the first record.
func NewReader(r io.Reader) (*Reader, error) {
	return NewReaderOptions(r, ReaderOptions{})
}

// NewReaderOptions is NewReader with options.
func NewReaderOptions(r io.Reader, opts ReaderOptions) (*Reader, error) {
	size := opts.BufferSize
	if size <= 0 {
		size = DefaultBufferSize
	}
	br := pipeio.Buffered(r, size)
	raw, err := br.Peek(FileHeaderLen)
	if err != nil {
		if len(raw) >= 4 {
			if _, _, ok := detectMagic(raw); ok {
				return nil, &FormatError{Offset: 0, Record: -1, Err: ErrTruncated,
					Msg: fmt.Sprintf("file header is %d bytes, need %d", len(raw), FileHeaderLen)}
			}
		}
		if err == io.EOF || err == bufio.ErrBufferFull || len(raw) < 4 {
			return nil, &FormatError{Offset: 0, Record: -1, Err: ErrNotPcap,
				Msg: fmt.Sprintf("file is %d bytes, too short for a pcap header", len(raw))}
		}
		return nil, err
	}
	hdr, err := ParseFileHeader(raw)
	if err != nil {
		return nil, err
	}
	if _, err := br.Discard(FileHeaderLen); err != nil {
		return nil, err
	}
	rd := &Reader{
		r:         br,
		hdr:       hdr,
		order:     hdr.ByteOrder,
		little:    hdr.ByteOrder == binary.LittleEndian,
		hdrLen:    hdr.recordHeaderLen(),
		fracScale: 1000,
		maxPacket: opts.MaxPacketSize,
		offset:    FileHeaderLen,
	}
	if hdr.Resolution == pkt.Nanosecond {
		rd.fracScale = 1
	}
	rd.ifaces = []pkt.Interface{hdr.Interface()}
	if rd.maxPacket <= 0 {
		rd.maxPacket = hdr.LinkType.MaxPacketSize()
	}
	switch {
	case hdr.VersionMajor == 543:
		rd.swap = swapped
	case hdr.VersionMinor < 3:
		rd.swap = swapped
	case hdr.VersionMinor == 3:
		rd.swap = maybeSwapped
	}
	return rd, nil
}

func detectMagic(b []byte) (binary.ByteOrder, uint32, bool) {
	le := binary.LittleEndian.Uint32(b)
	switch le {
	case MagicMicroseconds, MagicNanoseconds, MagicModified:
		return binary.LittleEndian, le, true
	}
	be := binary.BigEndian.Uint32(b)
	switch be {
	case MagicMicroseconds, MagicNanoseconds, MagicModified:
		return binary.BigEndian, be, true
	}
	return nil, 0, false
}

// IsPcap reports whether b starts with a pcap magic number in either byte order.
func IsPcap(b []byte) bool {
	if len(b) < 4 {
		return false
	}
	_, _, ok := detectMagic(b)
	return ok
}

// ParseFileHeader decodes a 24-byte file header, accepting the versions
// libpcap accepts.
func ParseFileHeader(b []byte) (FileHeader, error) {
	if len(b) < FileHeaderLen {
		return FileHeader{}, &FormatError{Record: -1, Err: ErrTruncated,
			Msg: fmt.Sprintf("file header is %d bytes, need %d", len(b), FileHeaderLen)}
	}
	order, magic, ok := detectMagic(b)
	if !ok {
		return FileHeader{}, &FormatError{Record: -1, Err: ErrNotPcap,
			Msg: fmt.Sprintf("unknown magic number 0x%08x", binary.BigEndian.Uint32(b))}
	}
	h := FileHeader{
		ByteOrder:    order,
		Modified:     magic == MagicModified,
		VersionMajor: order.Uint16(b[4:]),
		VersionMinor: order.Uint16(b[6:]),
		ThisZone:     int32(order.Uint32(b[8:])),
		SigFigs:      order.Uint32(b[12:]),
		SnapLen:      order.Uint32(b[16:]),
		FCSLen:       -1,
		Resolution:   pkt.Microsecond,
	}
	if magic == MagicNanoseconds {
		h.Resolution = pkt.Nanosecond
	}
	lt := order.Uint32(b[20:])
	h.LinkType = linktype.LinkType(lt & 0xffff)
	h.LinkTypeReserved = uint16(lt >> 16 & (linkTypeMask >> 16))
	if lt&linkTypeFCSPresent != 0 {
		h.FCSLen = int(lt>>linkTypeFCSShift) * 2
	}
	switch {
	case h.VersionMajor < 2:
		return h, &FormatError{Record: -1, Err: ErrVersion,
			Msg: fmt.Sprintf("archaic pcap file format version %d.%d", h.VersionMajor, h.VersionMinor)}
	case h.VersionMajor == 2 && h.VersionMinor <= 4, h.VersionMajor == 543 && h.VersionMinor == 0:
	default:
		return h, &FormatError{Record: -1, Err: ErrVersion,
			Msg: fmt.Sprintf("unsupported pcap file format version %d.%d", h.VersionMajor, h.VersionMinor)}
	}
	return h, nil
}

// Header returns the file header.
func (r *Reader) Header() FileHeader { return r.hdr }

// Interfaces returns the file's one interface, described by its header.
func (r *Reader) Interfaces() []pkt.Interface { return r.ifaces }

// LinkType returns the file's link type in gopacket's representation, which
// cannot hold values above 255; use Header().LinkType for those.
func (r *Reader) LinkType() layers.LinkType {
	lt, _ := r.hdr.LinkType.Layers()
	return lt
}

// Offset returns the byte offset of the next record.
func (r *Reader) Offset() int64 { return r.offset }

// Index returns the number of records read so far.
func (r *Reader) Index() int { return r.index }

func (r *Reader) fail(off int64, sentinel error, format string, args ...any) error {
	r.err = &FormatError{Offset: off, Record: r.index, Err: sentinel, Msg: fmt.Sprintf(format, args...)}
	return r.err
}

// ReadPacket returns the next packet, or io.EOF after the last one. The
// packet and its Data are valid until the next call (nothing is copied when
// the record fits in the read buffer); Packet.Clone or Packet.CopyTo keep
// one longer.
func (r *Reader) ReadPacket() (*pkt.Packet, error) {
	if r.err != nil {
		return nil, r.err
	}
	start := r.offset
	hb, err := r.r.Peek(r.hdrLen)
	if err != nil {
		if len(hb) == 0 && err == io.EOF {
			r.err = io.EOF
			return nil, io.EOF
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			return nil, r.fail(start, ErrTruncated,
				"file ends inside the record header: %d of %d bytes present", len(hb), r.hdrLen)
		}
		r.err = err
		return nil, err
	}
	o := r.order
	sec, frac, capLen, origLen := r.recordHeader(hb)
	rec := &r.pkt
	if r.hdr.Modified {
		rec.Link = pkt.LinkInfo{
			Valid:    true,
			IfIndex:  int32(o.Uint32(hb[16:])),
			Protocol: o.Uint16(hb[20:]),
			Type:     pkt.PacketType(hb[22]),
		}
	}
	switch r.swap {
	case maybeSwapped:
		if capLen <= origLen {
			break
		}
		fallthrough
	case swapped:
		capLen, origLen = origLen, capLen
	}
	if uint64(capLen) > uint64(r.maxPacket) {
		return nil, r.fail(start, ErrCaptureLength,
			"capture length %d exceeds the maximum of %d for link type %s", capLen, r.maxPacket, r.hdr.LinkType)
	}
	n := int(capLen)
	total := r.hdrLen + n
	if total <= r.r.Size() {
		b, err := r.r.Peek(total)
		if err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return nil, r.fail(start, ErrTruncated,
					"file ends inside the packet data: %d of %d captured bytes present", len(b)-r.hdrLen, n)
			}
			r.err = err
			return nil, err
		}
		rec.Data = b[r.hdrLen:total:total]
		if _, err := r.r.Discard(total); err != nil {
			r.err = err
			return nil, err
		}
	} else {
		if _, err := r.r.Discard(r.hdrLen); err != nil {
			r.err = err
			return nil, err
		}
		got, err := readGrowing(r.r, r.big[:0], n)
		r.big = got
		if err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				return nil, r.fail(start, ErrTruncated,
					"file ends inside the packet data: %d of %d captured bytes present", len(got), n)
			}
			r.err = err
			return nil, err
		}
		rec.Data = got
	}
	// libpcap and Wireshark both turn microseconds into nanoseconds in
	// 32-bit arithmetic, so an out-of-range microsecond field (>= 4295 s)
	// wraps; do the same so that every reader agrees on such files.
	rec.Timestamp = time.Unix(int64(sec), int64(frac*r.fracScale))
	rec.Length = int(origLen)
	r.offset += int64(total)
	r.index++
	return rec, nil
}

// readGrowing appends n bytes from r to buf, growing buf only as data
// arrives (doubling from 4 KiB) so that a lying length field cannot force
// an allocation larger than twice the data actually present.
func readGrowing(r io.Reader, buf []byte, n int) ([]byte, error) {
	for len(buf) < n {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(n, max(2*cap(buf), 4<<10)))
			copy(grown, buf)
			buf = grown
		}
		m, err := io.ReadFull(r, buf[len(buf):min(n, cap(buf))])
		buf = buf[:len(buf)+m]
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// ZeroCopyReadPacketData implements gopacket.ZeroCopyPacketDataSource: data
// is valid until the next call.
func (r *Reader) ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	p, err := r.ReadPacket()
	if err != nil {
		return nil, gopacket.CaptureInfo{}, err
	}
	// A modified-format record names the kernel interface; gopacket has
	// only the one index field for it.
	return p.Data, gopacketsrc.Info(p, int(p.Link.IfIndex)), nil
}

// ReadPacketData implements gopacket.PacketDataSource; data is a fresh copy.
func (r *Reader) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	return gopacketsrc.Copy(r.ZeroCopyReadPacketData())
}

// recordHeader decodes the four fields every record header starts with.
func (r *Reader) recordHeader(hb []byte) (sec, frac, capLen, origLen uint32) {
	hb = hb[:16]
	if r.little {
		le := binary.LittleEndian
		return le.Uint32(hb[0:]), le.Uint32(hb[4:]), le.Uint32(hb[8:]), le.Uint32(hb[12:])
	}
	be := binary.BigEndian
	return be.Uint32(hb[0:]), be.Uint32(hb[4:]), be.Uint32(hb[8:]), be.Uint32(hb[12:])
}

// IsTruncated reports whether err means the input ended in the middle of a
// header or record.
func IsTruncated(err error) bool { return errors.Is(err, ErrTruncated) }

var _ pkt.Reader = (*Reader)(nil)
