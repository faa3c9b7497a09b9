package pcapng

import (
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
	"time"

	"github.com/pcaptool/pcaptool/pkt"
)

// WriterOptions describe the section header a PacketWriter writes.
type WriterOptions struct {
	// ByteOrder of the file; nil means little-endian.
	ByteOrder binary.ByteOrder
	// Hardware, OS and UserAppl become shb_hardware, shb_os and
	// shb_userappl when not empty. UserAppl defaults to "pcaptool".
	Hardware string
	OS       string
	UserAppl string
	// Comments become opt_comment options of the section header.
	Comments []string
	// BufferSize is the write buffer size; 0 means DefaultBufferSize.
	BufferSize int
}

type writerInterface struct {
	unitsPerSecond uint64
	offset         int64
}

// PacketWriter writes a pcapng file as a pkt.Writer: a section header
// when created, an interface description block per AddInterface and an
// enhanced packet block per WritePacket.
type PacketWriter struct {
	w       *Writer
	order   byteOrder
	ifaces  []writerInterface
	epb     EnhancedPacket
	scratch []byte
}

// NewPacketWriter writes the section header to w and returns the writer.
// Output is buffered; call Flush when done.
func NewPacketWriter(w io.Writer, opts WriterOptions) (*PacketWriter, error) {
	size := opts.BufferSize
	if size <= 0 {
		size = DefaultBufferSize
	}
	pw := &PacketWriter{w: NewWriterSize(w, size), order: appendOrder(opts.ByteOrder)}
	shb := &SectionHeader{VersionMajor: 1, VersionMinor: 0, SectionLength: -1}
	shb.ByteOrder = pw.order
	if opts.UserAppl == "" {
		opts.UserAppl = "pcaptool"
	}
	for _, c := range opts.Comments {
		shb.AddString(pkt.OptComment, c)
	}
	for _, o := range []struct {
		code pkt.OptionCode
		s    string
	}{{pkt.OptSHBHardware, opts.Hardware}, {pkt.OptSHBOS, opts.OS}, {pkt.OptSHBUserAppl, opts.UserAppl}} {
		if o.s != "" {
			shb.AddString(o.code, o.s)
		}
	}
	shb.EndOfOptions = true
	if err := pw.w.WriteBlock(shb); err != nil {
		return nil, err
	}
	pw.epb.ByteOrder = pw.order
	return pw, nil
}

// Blocks returns the underlying block writer, for writing other blocks
// (name resolution, statistics, ...) between packets.
func (w *PacketWriter) Blocks() *Writer { return w.w }

// AddInterface writes an interface description block for ifc. Standard
// numeric options are converted from little-endian to the file's byte
// order; if_tsresol is written when the resolution is not microseconds,
// if_tsoffset when the offset is not zero, if_fcslen when FCSLen >= 0.
func (w *PacketWriter) AddInterface(ifc pkt.Interface) error {
	ups, ok := ifc.Resolution.UnitsPerSecond()
	if !ok {
		return w.w.fail(TypeInterfaceDescription, fmt.Errorf("%w: %s", ErrResolution, ifc.Resolution))
	}
	if ifc.FCSLen > 255 {
		return w.w.fail(TypeInterfaceDescription, fmt.Errorf("%w: FCS length %d does not fit if_fcslen", ErrOption, ifc.FCSLen))
	}
	idb := &InterfaceDescription{LinkType: ifc.LinkType, SnapLen: ifc.SnapLen}
	idb.ByteOrder = w.order
	for _, o := range ifc.Options {
		switch o.Code {
		case pkt.OptEndOfOpt, pkt.OptIfTsresol, pkt.OptIfTsoffset, pkt.OptIfFCSLen:
			continue // held by the Interface fields, or not an option
		}
		v := cloneBytes(o.Value)
		if w.order == binary.BigEndian && numericInterfaceOption(o.Code, len(v)) {
			swapInto(v[:0], o.Value, o.Code)
		}
		idb.Add(o.Code, v)
	}
	if ifc.Resolution != pkt.Microsecond {
		idb.Add(pkt.OptIfTsresol, []byte{byte(ifc.Resolution)})
	}
	if ifc.TimestampOffset != 0 {
		idb.Add(pkt.OptIfTsoffset, w.order.AppendUint64(nil, uint64(ifc.TimestampOffset)))
	}
	if ifc.FCSLen >= 0 {
		idb.Add(pkt.OptIfFCSLen, []byte{byte(ifc.FCSLen)})
	}
	idb.EndOfOptions = len(idb.Options) > 0
	if err := w.w.WriteBlock(idb); err != nil {
		return err
	}
	w.ifaces = append(w.ifaces, writerInterface{unitsPerSecond: ups, offset: ifc.TimestampOffset})
	return nil
}

// WritePacket writes p as an enhanced packet block of interface
// p.Interface, its timestamp in that interface's resolution (truncated,
// except for resolutions that do not divide a second into whole
// nanoseconds, where it is rounded up so that a timestamp read from such a
// file is written back unchanged). Standard numeric packet options are
// converted from little-endian to the file's byte order.
func (w *PacketWriter) WritePacket(p *pkt.Packet) error {
	if p.Interface < 0 || p.Interface >= len(w.ifaces) {
		return w.w.fail(TypeEnhancedPacket, fmt.Errorf("%w: packet of interface %d, %d interfaces added", pkt.ErrInterfaceIndex,
			p.Interface, len(w.ifaces)))
	}
	ifc := &w.ifaces[p.Interface]
	units, err := timeToUnits(p.Timestamp, ifc.unitsPerSecond, ifc.offset)
	if err != nil {
		return w.w.fail(TypeEnhancedPacket, err)
	}
	if uint64(len(p.Data)) > 0xffffffff-64 || p.Length < 0 || uint64(p.Length) > 0xffffffff {
		return w.w.fail(TypeEnhancedPacket, fmt.Errorf("%w: packet of %d bytes, length %d", ErrCaptureLength, len(p.Data), p.Length))
	}
	b := &w.epb
	b.InterfaceID = uint32(p.Interface)
	b.Timestamp = units
	// Kept as given, even when smaller than the capture length: readers
	// (libpcap, Wireshark) report such records as they are.
	b.OriginalLength = uint32(p.Length)
	b.Data = p.Data
	b.Options = b.Options[:0]
	big := w.order == binary.BigEndian
	scratch := w.scratch[:0]
	if big {
		need := 0
		for _, o := range p.Options {
			need += len(o.Value)
		}
		if cap(scratch) < need {
			scratch = make([]byte, 0, max(need, 2*cap(scratch)))
		}
	}
	for _, o := range p.Options {
		if o.Code == pkt.OptEndOfOpt {
			continue
		}
		v := o.Value
		if big && numericPacketOption(o.Code, v, TypeEnhancedPacket) {
			start := len(scratch)
			scratch = swapInto(scratch, v, o.Code)
			v = scratch[start:]
		}
		b.Options = append(b.Options, Option{Code: o.Code, Value: v})
	}
	w.scratch = scratch
	b.EndOfOptions = len(b.Options) > 0
	err = w.w.WriteBlock(b)
	b.Data = nil
	return err
}

// Flush writes buffered data to the underlying writer.
func (w *PacketWriter) Flush() error { return w.w.Flush() }

// Close flushes; later writes fail with ErrWriteAfterClose. It does not
// close the underlying writer.
func (w *PacketWriter) Close() error { return w.w.Close() }

// timeToUnits converts t minus offset seconds to units of 1/ups seconds.
func timeToUnits(t time.Time, ups uint64, offset int64) (uint64, error) {
	sec := t.Unix()
	rel := sec - offset
	if (offset > 0 && rel > sec) || (offset < 0 && rel < sec) || rel < 0 {
		return 0, fmt.Errorf("%w: %s with offset %d s", ErrTimestampRange, t.UTC().Format(time.RFC3339Nano), offset)
	}
	hi, whole := bits.Mul64(uint64(rel), ups)
	if hi != 0 {
		return 0, fmt.Errorf("%w: %s", ErrTimestampRange, t.UTC().Format(time.RFC3339Nano))
	}
	ns := uint64(t.Nanosecond())
	var frac uint64
	switch {
	case ups == 1_000_000_000:
		frac = ns
	case ups <= 1_000_000_000 && 1_000_000_000%ups == 0:
		frac = ns / (1_000_000_000 / ups)
	default:
		h, l := bits.Mul64(ns, ups)
		var rem uint64
		frac, rem = bits.Div64(h, l, 1_000_000_000)
		if rem != 0 && ups < 1_000_000_000 {
			frac++
		}
	}
	units, carry := bits.Add64(whole, frac, 0)
	if carry != 0 {
		return 0, fmt.Errorf("%w: %s", ErrTimestampRange, t.UTC().Format(time.RFC3339Nano))
	}
	return units, nil
}
