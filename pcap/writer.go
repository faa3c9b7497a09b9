package pcap

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"time"
)

// Writer writes a pcap file: the file header when created, then records.
type Writer struct {
	w      *bufio.Writer
	hdr    FileHeader
	order  binary.ByteOrder
	buf    [ModifiedRecordHeaderLen]byte
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
	if hdr.FCSLen > 30 || (hdr.FCSLen > 0 && hdr.FCSLen%2 != 0) {
		return nil, fmt.Errorf("pcap: FCS length %d bytes cannot be encoded (even, at most 30)", hdr.FCSLen)
	}
	wr := &Writer{w: bufio.NewWriterSize(w, size), hdr: hdr, order: hdr.ByteOrder}
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

// Header returns the header written.
func (w *Writer) Header() FileHeader { return w.hdr }

// WritePacket writes one record with the given capture time, original
// length and captured bytes. Timestamps are truncated to the file's
// precision; times before 1970 or after 2106 cannot be stored.
func (w *Writer) WritePacket(ts time.Time, length int, data []byte) error {
	return w.WriteRecord(&Record{Timestamp: ts, Length: length, Data: data})
}

// WriteRecord writes rec, including the modified-format fields when the
// file uses that format.
func (w *Writer) WriteRecord(rec *Record) error {
	if w.closed {
		return ErrWriteAfterClose
	}
	sec := rec.Timestamp.Unix()
	if sec < 0 || sec > 0xffffffff {
		return fmt.Errorf("%w: %s", ErrTimestampRange, rec.Timestamp.UTC().Format(time.RFC3339Nano))
	}
	frac := uint32(rec.Timestamp.Nanosecond())
	if w.hdr.Precision == Microsecond {
		frac /= 1000
	}
	// The original length is written as given, even when it is smaller
	// than the capture length: libpcap and Wireshark read such records as
	// they are, so a copy must keep them.
	length := rec.Length
	if length < 0 || uint64(length) > 0xffffffff {
		return fmt.Errorf("pcap: original length %d does not fit in 32 bits", length)
	}
	b := w.buf[:w.hdr.recordHeaderLen()]
	o := w.order
	o.PutUint32(b[0:], uint32(sec))
	o.PutUint32(b[4:], frac)
	capField, lenField := uint32(len(rec.Data)), uint32(length)
	if w.hdr.VersionMajor == 543 || (w.hdr.VersionMajor == 2 && w.hdr.VersionMinor < 3) {
		// Files older than 2.3 store the two lengths the other way round.
		capField, lenField = lenField, capField
	}
	o.PutUint32(b[8:], capField)
	o.PutUint32(b[12:], lenField)
	if w.hdr.Modified {
		o.PutUint32(b[16:], uint32(rec.InterfaceIndex))
		o.PutUint16(b[20:], rec.Protocol)
		b[22] = rec.PacketType
		b[23] = 0
	}
	if _, err := w.w.Write(b); err != nil {
		return err
	}
	_, err := w.w.Write(rec.Data)
	return err
}

// Flush writes buffered data to the underlying writer.
func (w *Writer) Flush() error { return w.w.Flush() }

// Close flushes; later writes fail. It does not close the underlying writer.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	return w.w.Flush()
}

// NewAppendWriter returns a Writer that adds records to a file whose
// header, hdr, is already written (a file opened with os.O_APPEND, say): it
// writes no file header. Output is buffered (size bytes, at least 4096);
// call Flush when done.
func NewAppendWriter(w io.Writer, hdr FileHeader, size int) (*Writer, error) {
	wr, err := NewWriterSize(w, hdr, max(size, 4096))
	if err != nil {
		return nil, err
	}
	wr.w.Reset(w) // drops the header, still in the buffer
	return wr, nil
}
