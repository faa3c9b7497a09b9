package pcapng

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// BlockType is the 32-bit type code that starts every block.
type BlockType uint32

// Block types (draft-ietf-opsawg-pcapng section 10.1).
const (
	TypeSectionHeader        BlockType = 0x0A0D0D0A // SHB
	TypeInterfaceDescription BlockType = 0x00000001 // IDB
	TypePacket               BlockType = 0x00000002 // PB, obsolete
	TypeSimplePacket         BlockType = 0x00000003 // SPB
	TypeNameResolution       BlockType = 0x00000004 // NRB
	TypeInterfaceStatistics  BlockType = 0x00000005 // ISB
	TypeEnhancedPacket       BlockType = 0x00000006 // EPB
	TypeSystemdJournalExport BlockType = 0x00000009 // systemd journal export
	TypeDecryptionSecrets    BlockType = 0x0000000A // DSB
	TypeCustom               BlockType = 0x00000BAD // CB, may be copied
	TypeCustomNoCopy         BlockType = 0x40000BAD // CB, must not be copied
)

// String returns the block type's abbreviation (SHB, IDB, EPB, ...) or its
// hexadecimal code.
func (t BlockType) String() string {
	switch t {
	case TypeSectionHeader:
		return "SHB"
	case TypeInterfaceDescription:
		return "IDB"
	case TypePacket:
		return "PB"
	case TypeSimplePacket:
		return "SPB"
	case TypeNameResolution:
		return "NRB"
	case TypeInterfaceStatistics:
		return "ISB"
	case TypeEnhancedPacket:
		return "EPB"
	case TypeSystemdJournalExport:
		return "SJE"
	case TypeDecryptionSecrets:
		return "DSB"
	case TypeCustom, TypeCustomNoCopy:
		return "CB"
	}
	return fmt.Sprintf("0x%08x", uint32(t))
}

// ByteOrderMagic is the SHB field that tells the section's byte order.
const ByteOrderMagic uint32 = 0x1A2B3C4D

// Fixed sizes.
const (
	// blockOverhead is the block type, leading and trailing total length.
	blockOverhead = 12
	// minSectionHeaderLen is an SHB without options.
	minSectionHeaderLen = blockOverhead + 16
)

// DefaultMaxBlockSize is the largest block accepted by default: Wireshark's
// limit (MAX_BLOCK_SIZE in wiretap/pcapng.c), room for a 128 MiB D-Bus or
// USB packet plus 128 KiB of options and the EPB header.
const DefaultMaxBlockSize = 32 + 128*1024*1024 + 128*1024

// DefaultBufferSize is the read and write buffer size. Blocks up to this size
// are returned straight from the read buffer without a copy.
const DefaultBufferSize = 1 << 20

// Sentinel errors. Errors about the input, and about blocks a Writer cannot
// encode, are *FormatError values wrapping one of these; test with
// errors.Is.
var (
	ErrNotPcapng       = errors.New("pcapng: not a pcapng file")
	ErrBlockLength     = errors.New("pcapng: bad block total length")
	ErrBlockTooLarge   = errors.New("pcapng: block larger than the maximum block size")
	ErrTruncated       = errors.New("pcapng: file ends in the middle of a block")
	ErrOption          = errors.New("pcapng: malformed option")
	ErrRecord          = errors.New("pcapng: malformed name resolution record")
	ErrInterfaceID     = errors.New("pcapng: interface id out of range")
	ErrByteOrder       = errors.New("pcapng: bad byte-order magic")
	ErrVersion         = errors.New("pcapng: unsupported section version")
	ErrBlockBody       = errors.New("pcapng: block body too short for its fields")
	ErrCaptureLength   = errors.New("pcapng: capture length too large")
	ErrResolution      = errors.New("pcapng: unsupported timestamp resolution")
	ErrTimestampRange  = errors.New("pcapng: timestamp outside what the format can hold")
	ErrNoSection       = errors.New("pcapng: block written before any section header")
	ErrWriteAfterClose = errors.New("pcapng: write after close")
)

// FormatError describes malformed input, or a block a Writer cannot
// encode: where it is (or would be) and what was wrong.
type FormatError struct {
	// Offset is the file offset of the offending block, or of the option
	// or record inside it when the problem is there.
	Offset int64
	// Block is the 0-based index of the block in the file.
	Block int
	// Type is the block's type.
	Type uint32
	Msg  string
	// Err is, or wraps, one of the package's sentinel errors.
	Err error
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("pcapng: block %d (%s) at offset %d: %s", e.Block, BlockType(e.Type), e.Offset, e.Msg)
}

func (e *FormatError) Unwrap() error { return e.Err }

// IsTruncated reports whether err means the input ended inside a block.
func IsTruncated(err error) bool { return errors.Is(err, ErrTruncated) }

// IsPcapng reports whether b starts like a pcapng file: the SHB block type,
// and, when at least 12 bytes are given, a byte-order magic in either order.
func IsPcapng(b []byte) bool {
	if len(b) < 4 || binary.LittleEndian.Uint32(b) != uint32(TypeSectionHeader) {
		return false
	}
	if len(b) >= 12 {
		return sectionOrder(b[8:12]) != nil
	}
	return true
}

// sectionOrder returns the byte order whose byte-order magic b holds, or nil.
func sectionOrder(b []byte) binary.ByteOrder {
	switch binary.LittleEndian.Uint32(b) {
	case ByteOrderMagic:
		return binary.LittleEndian
	case 0x4D3C2B1A:
		return binary.BigEndian
	}
	return nil
}

func pad4(n int) int { return (n + 3) &^ 3 }

// getUint16 and getUint32 are o.Uint16 and o.Uint32, decoded inline when
// little (o is binary.LittleEndian, by far the most common order): a call
// through the ByteOrder interface cannot be inlined, and the reader makes
// several per packet. Callers compute little once with isLittleEndian.
func getUint16(little bool, o binary.ByteOrder, b []byte) uint16 {
	if little {
		return binary.LittleEndian.Uint16(b)
	}
	return o.Uint16(b)
}

func getUint32(little bool, o binary.ByteOrder, b []byte) uint32 {
	if little {
		return binary.LittleEndian.Uint32(b)
	}
	return o.Uint32(b)
}

// isLittleEndian reports whether o is binary.LittleEndian. The generic type
// assertion compiles to one pointer comparison, where o ==
// binary.LittleEndian would call runtime.ifaceeq.
func isLittleEndian(o binary.ByteOrder) bool { return isOrder(o, binary.LittleEndian) }

func isOrder[T binary.ByteOrder](o binary.ByteOrder, _ T) bool {
	_, ok := o.(T)
	return ok
}

// byteOrder is what encoding needs from a byte order.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// appendOrder returns the standard byte order equal to o (little-endian for
// nil), so that any binary.ByteOrder a caller supplies can be used to encode.
func appendOrder(o binary.ByteOrder) byteOrder {
	if o == nil {
		return binary.LittleEndian
	}
	if bo, ok := o.(byteOrder); ok {
		return bo
	}
	if o.Uint16([]byte{1, 0}) == 1 {
		return binary.LittleEndian
	}
	return binary.BigEndian
}
