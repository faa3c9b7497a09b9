package pcapng

import (
	"encoding/binary"
	"fmt"
	"io"
	"strings"

	"github.com/pcaptool/pcaptool/internal/pipeio"
)

// Writer writes pcapng blocks. Each block is encoded in the byte order of
// the section it is written into, which the last SectionHeader written
// chose (its BlockInfo.ByteOrder, little-endian when nil), so a file can
// hold sections of both orders. Writing every block read from a file,
// unmodified, reproduces the file byte for byte. A block that cannot be
// encoded is reported as a *FormatError, as the Reader reports one that
// cannot be decoded, naming its index and the offset it would have had.
type Writer struct {
	w       pipeio.BufferedWriter
	order   byteOrder
	buf     []byte
	offset  int64 // offset of the next block
	blocks  int   // index of the next block
	started bool
	closed  bool
	err     error
}

// NewWriter returns a Writer with a DefaultBufferSize buffer. Call Flush or
// Close when done.
func NewWriter(w io.Writer) *Writer { return NewWriterSize(w, DefaultBufferSize) }

// NewWriterSize is NewWriter with a buffer of the given size.
func NewWriterSize(w io.Writer, size int) *Writer {
	return &Writer{w: pipeio.BufferWriter(w, size)}
}

// ByteOrder returns the byte order of the section being written, or nil
// before the first section header.
func (w *Writer) ByteOrder() binary.ByteOrder {
	if w.order == nil {
		return nil
	}
	return w.order
}

// WriteBlock writes b. The first block must be a *SectionHeader. A block
// whose BlockInfo.ByteOrder is set must match the current section's byte
// order (ErrByteOrder otherwise), because option values and the bodies of
// unknown blocks are kept in the order they were read in.
func (w *Writer) WriteBlock(b Block) error {
	if w.closed {
		return ErrWriteAfterClose
	}
	if w.err != nil {
		return w.err
	}
	order := w.order
	if shb, ok := b.(*SectionHeader); ok {
		order = appendOrder(shb.ByteOrder)
	} else {
		if !w.started {
			return w.fail(b.Type(), fmt.Errorf("%w: the first block must be a section header", ErrNoSection))
		}
		if bo := b.Info().ByteOrder; bo != nil && appendOrder(bo) != order {
			return w.fail(b.Type(), fmt.Errorf("%w: a %s block read in a %v section cannot be written into a %v section",
				ErrByteOrder, b.Type(), bo, order))
		}
	}
	if err := b.validate(); err != nil {
		return w.fail(b.Type(), err)
	}
	if epb, ok := b.(*EnhancedPacket); ok && len(epb.Data) >= directDataMin {
		return w.writeEnhancedPacket(epb, order)
	}
	buf := w.buf[:0]
	buf = order.AppendUint32(buf, uint32(b.Type()))
	buf = order.AppendUint32(buf, 0)
	buf = b.appendBody(buf, order)
	total := len(buf) + 4
	if uint64(total) > 0xffffffff {
		return w.fail(b.Type(), fmt.Errorf("%w: %s block of %d bytes is too large for the format", ErrBlockLength, b.Type(), total))
	}
	order.PutUint32(buf[4:], uint32(total))
	buf = order.AppendUint32(buf, uint32(total))
	w.buf = buf
	if cap(buf) > 8<<20 {
		w.buf = nil // do not pin one huge block's worth of memory
	}
	if _, err := w.w.Write(buf); err != nil {
		w.err = err
		return err
	}
	w.order = order
	w.started = true
	w.offset += int64(total)
	w.blocks++
	return nil
}

// fail reports a block of type t that cannot be encoded; err wraps one of
// the package's sentinel errors.
func (w *Writer) fail(t BlockType, err error) error {
	return &FormatError{Offset: w.offset, Block: w.blocks, Type: uint32(t),
		Msg: strings.TrimPrefix(err.Error(), "pcapng: "), Err: err}
}

// directDataMin is the captured length from which an enhanced packet's data
// goes from the caller's slice straight into the write buffer, instead of
// being assembled with the rest of the block first: every byte of a large
// packet is then copied once instead of twice.
const directDataMin = 128

// writeEnhancedPacket writes b as WriteBlock would, in three pieces: the
// block header and fixed fields, the data, and the padding, options and
// trailer (assembled in w.buf, behind room left for the first piece).
func (w *Writer) writeEnhancedPacket(b *EnhancedPacket, order byteOrder) error {
	const headLen = 8 + 20
	n := len(b.Data)
	buf := append(w.buf[:0], make([]byte, headLen)...)
	buf = append(buf, b.pad[:pad4(n)-n]...)
	buf = b.OptionList.appendTo(buf, order)
	total := len(buf) + n + 4
	if uint64(total) > 0xffffffff {
		return w.fail(b.Type(), fmt.Errorf("%w: %s block of %d bytes is too large for the format", ErrBlockLength, b.Type(), total))
	}
	buf = order.AppendUint32(buf, uint32(total))
	putWords(buf[:headLen], isLittleEndian(order), uint32(TypeEnhancedPacket), uint32(total),
		b.InterfaceID, uint32(b.Timestamp>>32), uint32(b.Timestamp), uint32(n), b.OriginalLength)
	w.buf = buf
	if cap(buf) > 8<<20 {
		w.buf = nil
	}
	if _, err := w.w.Write(buf[:headLen]); err != nil {
		w.err = err
		return err
	}
	if _, err := w.w.Write(b.Data); err != nil {
		w.err = err
		return err
	}
	if _, err := w.w.Write(buf[headLen:]); err != nil {
		w.err = err
		return err
	}
	w.order = order
	w.offset += int64(total)
	w.blocks++
	return nil
}

// putWords encodes the 32-bit words ws at the start of b, without an
// interface call per word.
func putWords(b []byte, little bool, ws ...uint32) {
	b = b[:4*len(ws)]
	if little {
		for i, v := range ws {
			binary.LittleEndian.PutUint32(b[4*i:], v)
		}
		return
	}
	for i, v := range ws {
		binary.BigEndian.PutUint32(b[4*i:], v)
	}
}

// Flush writes buffered data to the underlying writer.
func (w *Writer) Flush() error {
	if w.closed {
		return nil
	}
	if w.err != nil {
		return w.err
	}
	if err := w.w.Flush(); err != nil {
		w.err = err
		return err
	}
	return nil
}

// Offset returns the number of bytes written so far (buffered or not): the
// offset the next block will have.
func (w *Writer) Offset() int64 { return w.offset }

// Close flushes; later writes fail with ErrWriteAfterClose. It does not
// close the underlying writer.
func (w *Writer) Close() error {
	if w.closed {
		return nil
	}
	err := w.Flush()
	w.closed = true
	return err
}
