package pcap

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// Magic numbers, as read in the file's own byte order.
const (
	MagicMicroseconds uint32 = 0xa1b2c3d4 // standard, µs timestamps
	MagicNanoseconds  uint32 = 0xa1b23c4d // ns timestamps
	MagicModified     uint32 = 0xa1b2cd34 // Kuznetzov's patched libpcap, µs, 24-byte records
)

// Sizes of the fixed headers.
const (
	FileHeaderLen           = 24
	RecordHeaderLen         = 16
	ModifiedRecordHeaderLen = 24
)

// Link-type field bits (draft-ietf-opsawg-pcap, libpcap's pcap-common.h).
const (
	linkTypeMask       = 0x03ffffff // LT_LINKTYPE
	linkTypeFCSPresent = 0x04000000 // LT_FCS_LENGTH_PRESENT
	linkTypeFCSShift   = 28         // LT_FCS_LENGTH: 16-bit words of FCS
)

// FileHeader is the 24-byte global header.
type FileHeader struct {
	ByteOrder binary.ByteOrder
	// Resolution is the unit of the sub-second part of record timestamps:
	// pkt.Microsecond or pkt.Nanosecond, as the magic number says. A
	// writer treats 0 as pkt.Microsecond.
	Resolution pkt.Resolution
	// Modified is true for the 0xa1b2cd34 magic.
	Modified     bool
	VersionMajor uint16
	VersionMinor uint16
	// ThisZone and SigFigs are historical fields, normally zero.
	ThisZone int32
	SigFigs  uint32
	SnapLen  uint32
	LinkType linktype.LinkType
	// FCSLen is the number of FCS bytes at the end of every packet when
	// the header says so, or -1 when it does not.
	FCSLen int
	// LinkTypeReserved holds bits 16-25 of the link-type field, which
	// should be zero; kept so a file can be rewritten unchanged.
	LinkTypeReserved uint16
}

// Magic returns the magic number that encodes h's resolution and variant.
func (h *FileHeader) Magic() uint32 {
	switch {
	case h.Modified:
		return MagicModified
	case h.Resolution == pkt.Nanosecond:
		return MagicNanoseconds
	}
	return MagicMicroseconds
}

// Interface returns the description of the file's one capture interface,
// as the packet model states it.
func (h *FileHeader) Interface() pkt.Interface {
	res := h.Resolution
	if res == 0 {
		res = pkt.Microsecond
	}
	return pkt.Interface{LinkType: h.LinkType, SnapLen: h.SnapLen, Resolution: res, FCSLen: h.FCSLen}
}

// LinkTypeField returns the 32-bit link-type field with its FCS bits.
func (h *FileHeader) LinkTypeField() uint32 {
	v := uint32(h.LinkType) | uint32(h.LinkTypeReserved)<<16
	if h.FCSLen >= 0 {
		v |= linkTypeFCSPresent | uint32(h.FCSLen/2)<<linkTypeFCSShift
	}
	return v
}

func (h *FileHeader) recordHeaderLen() int {
	if h.Modified {
		return ModifiedRecordHeaderLen
	}
	return RecordHeaderLen
}

// Sentinel errors; the errors returned wrap them in a *FormatError, except
// ErrWriteAfterClose, returned as it is, and ErrMixedLinkTypes, which is
// about a stream rather than bytes.
var (
	ErrNotPcap         = errors.New("pcap: not a pcap file (unknown magic number)")
	ErrVersion         = errors.New("pcap: unsupported file format version")
	ErrTruncated       = errors.New("pcap: file ends in the middle of a record")
	ErrCaptureLength   = errors.New("pcap: capture length too large")
	ErrTimestampRange  = errors.New("pcap: timestamp outside what the format can hold")
	ErrWriteAfterClose = errors.New("pcap: write after close")
	ErrLinkTypeRange   = errors.New("pcap: link type field has bits outside the valid range")
	ErrResolution      = errors.New("pcap: timestamp resolution other than microseconds or nanoseconds")
	ErrMixedLinkTypes  = errors.New("pcap: a pcap file holds a single link type; write pcapng to keep several")
)

// FormatError describes malformed input, or what a Writer cannot encode:
// where it is (or would be) and what was wrong.
type FormatError struct {
	Offset int64 // byte offset of the start of the offending header
	Record int   // 0-based packet index, or -1 for the file header
	Msg    string
	Err    error // a sentinel above
}

func (e *FormatError) Error() string {
	if e.Record < 0 {
		return fmt.Sprintf("pcap: file header at offset %d: %s", e.Offset, e.Msg)
	}
	return fmt.Sprintf("pcap: record %d at offset %d: %s", e.Record, e.Offset, e.Msg)
}

func (e *FormatError) Unwrap() error { return e.Err }
