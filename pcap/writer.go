package pcap

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"time"

	"github.com/pcaptool/pcaptool/internal/pipeio"
	"github.com/pcaptool/pcaptool/pkt"
)

// Writer writes a pcap file: the file header when created, then records.
// Errors about what cannot be encoded are *FormatError values, as the
// Reader's are, naming the record and the offset it would have had.
type Writer struct {
	w      pipeio.BufferedWriter
	hdr    FileHeader
	order  binary.ByteOrder
	buf    [ModifiedRecordHeaderLen]byte
	offset int64 // offset of the next record
	index  int   // index of the next record
	closed bool
}

// NewWriter writes hdr to w and returns a Writer for the records. A nil
// hdr.ByteOrder means little-endian; zero versions mean 2.4. Output is
// buffered; call Flush when done.
func NewWriter(w io.Writer, hdr FileHeader) (*Writer, error) {
	return NewWriterSize(w, hdr, DefaultBufferSize)
}

// NewWriterSize is NewWriter with a buffer of the given size.
func NewWriterSize(w io.Writer, hdr FileHeader, size int) (*Writer, error) {
	if hdr.ByteOrder == nil {
		hdr.ByteOrder = binary.LittleEndian
	}
	if hdr.VersionMajor == 0 && hdr.VersionMinor == 0 {
		hdr.VersionMajor, hdr.VersionMinor = 2, 4
	}
	switch hdr.Resolution {
	case 0:
		hdr.Resolution = pkt.Microsecond
	case pkt.Microsecond, pkt.Nanosecond:
	default:
		return nil, &FormatError{Record: -1, Err: ErrResolution,
			Msg: fmt.Sprintf("timestamp resolution %s cannot be stored (microseconds or nanoseconds)", hdr.Resolution)}
	}
	if hdr.FCSLen > 30 || (hdr.FCSLen > 0 && hdr.FCSLen%2 != 0) {
		return nil, &FormatError{Offset: 20, Record: -1, Err: ErrLinkTypeRange,
			Msg: fmt.Sprintf("FCS length %d bytes cannot be encoded (even, at most 30)", hdr.FCSLen)}
	}
	if hdr.LinkType > linkTypeMask&0xffff || hdr.LinkTypeReserved > linkTypeMask>>16 {
		return nil, &FormatError{Offset: 20, Record: -1, Err: ErrLinkTypeRange,
			Msg: fmt.Sprintf("link type %d with reserved bits 0x%x does not fit the link-type field", hdr.LinkType, hdr.LinkTypeReserved)}
	}
	wr := &Writer{w: pipeio.BufferWriter(w, size), hdr: hdr, order: hdr.ByteOrder, offset: FileHeaderLen}
	b := wr.buf[:FileHeaderLen]
	o := wr.order
	o.PutUint32(b[0:], hdr.Magic())
	o.PutUint16(b[4:], hdr.VersionMajor)
	o.PutUint16(b[6:], hdr.VersionMinor)
	o.PutUint32(b[8:], uint32(hdr.ThisZone))
	o.PutUint32(b[12:], hdr.SigFigs)
	o.PutUint32(b[16:], hdr.SnapLen)
	o.PutUint32(b[20:], hdr.LinkTypeField())
	if _, err := wr.w.Write(b); err != nil {
		return nil, err
	}
	return wr, nil
}

// AddInterface implements pkt.Writer, so that pkt.Copy can write a stream
// into a pcap file. The file header describes the one interface a pcap
// file has: interfaces of its link type are accepted and their packets
// share the file; another link type fails with ErrMixedLinkTypes.
func (w *Writer) AddInterface(ifc pkt.Interface) error {
	if ifc.LinkType != w.hdr.LinkType {
		return fmt.Errorf("%w: interface of link type %s, file of link type %s", ErrMixedLinkTypes, ifc.LinkType, w.hdr.LinkType)
	}
	return nil
}

// NewAppendWriter returns a Writer that adds records to a file whose
// header, hdr, is already written (a file opened with os.O_APPEND, say): it
// writes no file header. Output is buffered (size bytes, at least 4096);
// call Flush when done.
func NewAppendWriter(w io.Writer, hdr FileHeader, size int) (*Writer, error) {
	wr, err := NewWriterSize(io.Discard, hdr, max(size, 4096))
	if err != nil {
		return nil, err
	}
	wr.w = bufio.NewWriterSize(w, max(size, 4096)) // the header stays behind
	return wr, nil
}

// Header returns the header written.
func (w *Writer) Header() FileHeader { return w.hdr }

// WritePacket writes one record: rec's time, original length and captured
// bytes, and in the modified format its Link fields. Timestamps are
// truncated to the file's resolution; times before 1970 or after 2106
// cannot be stored. The file has one interface, so rec.Interface is not
// looked at.
func (w *Writer) WritePacket(rec *pkt.Packet) error {
	if w.closed {
		return ErrWriteAfterClose
	}
	sec := rec.Timestamp.Unix()
	if sec < 0 || sec > 0xffffffff {
		return w.fail(ErrTimestampRange, "time %s is outside 1970-2106", rec.Timestamp.UTC().Format(time.RFC3339Nano))
	}
	frac := uint32(rec.Timestamp.Nanosecond())
	if w.hdr.Resolution != pkt.Nanosecond {
		frac /= 1000
	}
	// The original length is written as given, even when it is smaller
	// than the capture length: libpcap and Wireshark read such records as
	// they are, so a copy must keep them.
	length := rec.Length
	if length < 0 || uint64(length) > 0xffffffff {
		return w.fail(ErrCaptureLength, "original length %d does not fit in 32 bits", length)
	}
	if uint64(len(rec.Data)) > 0xffffffff {
		return w.fail(ErrCaptureLength, "capture length %d does not fit in 32 bits", len(rec.Data))
	}
	b := w.buf[:w.hdr.recordHeaderLen()]
	o := w.order
	capField, lenField := uint32(len(rec.Data)), uint32(length)
	if w.hdr.VersionMajor == 543 || (w.hdr.VersionMajor == 2 && w.hdr.VersionMinor < 3) {
		// Files older than 2.3 store the two lengths the other way round.
		capField, lenField = lenField, capField
	}
	putRecordHeader(b, o == binary.LittleEndian, uint32(sec), frac, capField, lenField)
	if w.hdr.Modified {
		o.PutUint32(b[16:], uint32(rec.Link.IfIndex))
		o.PutUint16(b[20:], rec.Link.Protocol)
		b[22] = byte(rec.Link.Type)
		b[23] = 0
	}
	if _, err := w.w.Write(b); err != nil {
		return err
	}
	if _, err := w.w.Write(rec.Data); err != nil {
		return err
	}
	w.offset += int64(len(b) + len(rec.Data))
	w.index++
	return nil
}

// fail reports a record that cannot be encoded.
func (w *Writer) fail(sentinel error, format string, args ...any) error {
	return &FormatError{Offset: w.offset, Record: w.index, Err: sentinel, Msg: fmt.Sprintf(format, args...)}
}

// Flush writes buffered data to the underlying writer.
func (w *Writer) Flush() error { return w.w.Flush() }

var _ pkt.Writer = (*Writer)(nil)

// Close flushes; later writes fail. It does not close the underlying writer.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	return w.w.Flush()
}

// Offset returns the number of bytes written so far (buffered or not),
// file header included: the offset the next record will have.
func (w *Writer) Offset() int64 { return w.offset }

// putRecordHeader encodes the four fields every record header starts with,
// without an interface call per field.
func putRecordHeader(b []byte, little bool, sec, frac, capLen, origLen uint32) {
	b = b[:16]
	if little {
		le := binary.LittleEndian
		le.PutUint32(b[0:], sec)
		le.PutUint32(b[4:], frac)
		le.PutUint32(b[8:], capLen)
		le.PutUint32(b[12:], origLen)
		return
	}
	be := binary.BigEndian
	be.PutUint32(b[0:], sec)
	be.PutUint32(b[4:], frac)
	be.PutUint32(b[8:], capLen)
	be.PutUint32(b[12:], origLen)
}
