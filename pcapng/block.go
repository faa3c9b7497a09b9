package pcapng

import (
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// BlockInfo says where a block was read. The Writer ignores it except for
// ByteOrder, which must match the section being written when set.
type BlockInfo struct {
	// Offset is the file offset of the block's first byte.
	Offset int64
	// Index is the 0-based index of the block in the file.
	Index int
	// Section is the 0-based index of the section the block belongs to.
	Section int
	// Length is the block total length as read.
	Length uint32
	// ByteOrder is the byte order of the block's section; the values of
	// numeric options are in this order.
	ByteOrder binary.ByteOrder
}

// Info returns the block's position information.
func (i *BlockInfo) Info() *BlockInfo { return i }

func (i *BlockInfo) order() binary.ByteOrder {
	if i.ByteOrder == nil {
		return binary.LittleEndian
	}
	return i.ByteOrder
}

// Block is one pcapng block: one of the typed blocks of this package
// (*SectionHeader, *InterfaceDescription, *EnhancedPacket, *SimplePacket,
// *Packet, *NameResolution, *InterfaceStatistics, *DecryptionSecrets,
// *Custom, *SystemdJournalExport) or an *UnknownBlock.
//
// A block returned by Reader.Next, and every slice in it, is valid only
// until the next call to Next; Clone returns a copy that stays valid.
type Block interface {
	// Type returns the block type code.
	Type() BlockType
	// Info returns where the block was read.
	Info() *BlockInfo
	// Clone returns a deep copy of the block.
	Clone() Block

	// parse decodes the block body; values point into body.
	parse(body []byte, o binary.ByteOrder) *bodyError
	// appendBody appends the encoded body (without the block header and
	// trailer) in byte order o.
	appendBody(dst []byte, o byteOrder) []byte
	// validate checks that the block can be encoded.
	validate() error
}

// bodyError locates a problem inside a block body: rel is the offset from
// the start of the body.
type bodyError struct {
	rel int
	err error
	msg string
}

func tooShort(t BlockType, body []byte, need int) *bodyError {
	return &bodyError{0, ErrBlockBody, fmt.Sprintf("%s body of %d bytes is too short for its %d-byte fixed part",
		t, len(body), need)}
}

func optErr(base int, e *optionError) *bodyError {
	if e == nil {
		return nil
	}
	return &bodyError{base + e.rel, ErrOption, e.msg}
}

// Padding bytes after variable-length data are kept so that a rewrite is
// byte-identical even when a writer left garbage there.
func takePad(pad *[3]byte, b []byte, n int) {
	*pad = [3]byte{}
	copy(pad[:], b[n:pad4(n)])
}

func appendPadded(dst, data []byte, pad [3]byte) []byte {
	dst = append(dst, data...)
	return append(dst, pad[:pad4(len(data))-len(data)]...)
}

// SectionHeader is a Section Header Block: it starts a section and sets the
// byte order of every block up to the next one.
type SectionHeader struct {
	BlockInfo
	VersionMajor uint16
	VersionMinor uint16
	// SectionLength is the length in bytes of the section after this
	// block, or -1 when not specified.
	SectionLength int64
	OptionList
}

// Type returns TypeSectionHeader.
func (*SectionHeader) Type() BlockType { return TypeSectionHeader }

// Clone returns a deep copy.
func (b *SectionHeader) Clone() Block {
	c := *b
	c.OptionList = b.OptionList.clone()
	return &c
}

// Hardware returns the shb_hardware option.
func (b *SectionHeader) Hardware() string { return b.str(pkt.OptSHBHardware) }

// OS returns the shb_os option.
func (b *SectionHeader) OS() string { return b.str(pkt.OptSHBOS) }

// UserAppl returns the shb_userappl option.
func (b *SectionHeader) UserAppl() string { return b.str(pkt.OptSHBUserAppl) }

func (b *SectionHeader) parse(body []byte, o binary.ByteOrder) *bodyError {
	if len(body) < 16 {
		return tooShort(TypeSectionHeader, body, 16)
	}
	b.VersionMajor = o.Uint16(body[4:])
	b.VersionMinor = o.Uint16(body[6:])
	b.SectionLength = int64(o.Uint64(body[8:]))
	return optErr(16, b.OptionList.parse(body[16:], o))
}

func (b *SectionHeader) appendBody(dst []byte, o byteOrder) []byte {
	dst = o.AppendUint32(dst, ByteOrderMagic)
	dst = o.AppendUint16(dst, b.VersionMajor)
	dst = o.AppendUint16(dst, b.VersionMinor)
	dst = o.AppendUint64(dst, uint64(b.SectionLength))
	return b.OptionList.appendTo(dst, o)
}

func (b *SectionHeader) validate() error { return b.OptionList.validate() }

// InterfaceDescription is an Interface Description Block. Interfaces are
// numbered from 0 in the order of their IDBs within a section.
type InterfaceDescription struct {
	BlockInfo
	LinkType linktype.LinkType
	// Reserved is the 16-bit field after the link type, normally 0.
	Reserved uint16
	// SnapLen is the maximum number of bytes captured per packet; 0 means
	// no limit.
	SnapLen uint32
	OptionList
}

// Type returns TypeInterfaceDescription.
func (*InterfaceDescription) Type() BlockType { return TypeInterfaceDescription }

// Clone returns a deep copy.
func (b *InterfaceDescription) Clone() Block {
	c := *b
	c.OptionList = b.OptionList.clone()
	return &c
}

// Name returns the if_name option.
func (b *InterfaceDescription) Name() string { return b.str(pkt.OptIfName) }

// Description returns the if_description option.
func (b *InterfaceDescription) Description() string { return b.str(pkt.OptIfDescription) }

// OS returns the if_os option.
func (b *InterfaceDescription) OS() string { return b.str(pkt.OptIfOS) }

// Hardware returns the if_hardware option.
func (b *InterfaceDescription) Hardware() string { return b.str(pkt.OptIfHardware) }

// IANATimeZone returns the if_iana_tzname option.
func (b *InterfaceDescription) IANATimeZone() string { return b.str(pkt.OptIfIANATzname) }

// IPv4Addrs returns the if_IPv4addr options.
func (b *InterfaceDescription) IPv4Addrs() []IPv4Prefix {
	var out []IPv4Prefix
	for _, o := range b.Options {
		if o.Code == pkt.OptIfIPv4Addr && len(o.Value) == 8 {
			out = append(out, IPv4Prefix{Addr: netip.AddrFrom4([4]byte(o.Value[:4])),
				Netmask: netip.AddrFrom4([4]byte(o.Value[4:8]))})
		}
	}
	return out
}

// IPv6Addrs returns the if_IPv6addr options.
func (b *InterfaceDescription) IPv6Addrs() []IPv6Prefix {
	var out []IPv6Prefix
	for _, o := range b.Options {
		if o.Code == pkt.OptIfIPv6Addr && len(o.Value) == 17 {
			out = append(out, netip.PrefixFrom(netip.AddrFrom16([16]byte(o.Value[:16])), int(o.Value[16])))
		}
	}
	return out
}

// MACAddr returns the if_MACaddr option.
func (b *InterfaceDescription) MACAddr() (net.HardwareAddr, bool) {
	v, ok := b.Find(pkt.OptIfMACAddr)
	if !ok || len(v) != 6 {
		return nil, false
	}
	return net.HardwareAddr(v), true
}

// EUIAddr returns the if_EUIaddr option.
func (b *InterfaceDescription) EUIAddr() (net.HardwareAddr, bool) {
	v, ok := b.Find(pkt.OptIfEUIAddr)
	if !ok || len(v) != 8 {
		return nil, false
	}
	return net.HardwareAddr(v), true
}

// Speed returns the if_speed option in bits per second.
func (b *InterfaceDescription) Speed() (uint64, bool) { return b.u64(pkt.OptIfSpeed, b.order()) }

// TxSpeed returns the if_txspeed option in bits per second.
func (b *InterfaceDescription) TxSpeed() (uint64, bool) { return b.u64(pkt.OptIfTxSpeed, b.order()) }

// RxSpeed returns the if_rxspeed option in bits per second.
func (b *InterfaceDescription) RxSpeed() (uint64, bool) { return b.u64(pkt.OptIfRxSpeed, b.order()) }

// TimeZone returns the if_tzone option.
func (b *InterfaceDescription) TimeZone() (int32, bool) {
	v, ok := b.u32(pkt.OptIfTzone, b.order())
	return int32(v), ok
}

// Filter returns the if_filter option.
func (b *InterfaceDescription) Filter() (Filter, bool) {
	v, ok := b.Find(pkt.OptIfFilter)
	if !ok || len(v) < 1 {
		return Filter{}, false
	}
	return Filter{Type: v[0], Data: v[1:]}, true
}

// FCSLen returns the if_fcslen option: the number of FCS bytes at the end
// of each packet.
func (b *InterfaceDescription) FCSLen() (int, bool) {
	v, ok := b.u8(pkt.OptIfFCSLen)
	return int(v), ok
}

// Resolution returns the timestamp resolution: the if_tsresol option, or
// microseconds when it is absent or malformed. As in Wireshark, the first
// if_tsresol option counts.
func (b *InterfaceDescription) Resolution() pkt.Resolution {
	if v, ok := b.u8(pkt.OptIfTsresol); ok {
		return pkt.Resolution(v)
	}
	return pkt.Microsecond
}

// TimestampOffset returns the if_tsoffset option in seconds.
func (b *InterfaceDescription) TimestampOffset() (int64, bool) {
	v, ok := b.u64(pkt.OptIfTsoffset, b.order())
	return int64(v), ok
}

func (b *InterfaceDescription) parse(body []byte, o binary.ByteOrder) *bodyError {
	if len(body) < 8 {
		return tooShort(TypeInterfaceDescription, body, 8)
	}
	b.LinkType = linktype.LinkType(o.Uint16(body))
	b.Reserved = o.Uint16(body[2:])
	b.SnapLen = o.Uint32(body[4:])
	return optErr(8, b.OptionList.parse(body[8:], o))
}

func (b *InterfaceDescription) appendBody(dst []byte, o byteOrder) []byte {
	dst = o.AppendUint16(dst, uint16(b.LinkType))
	dst = o.AppendUint16(dst, b.Reserved)
	dst = o.AppendUint32(dst, b.SnapLen)
	return b.OptionList.appendTo(dst, o)
}

func (b *InterfaceDescription) validate() error { return b.OptionList.validate() }

// EnhancedPacket is an Enhanced Packet Block.
type EnhancedPacket struct {
	BlockInfo
	// InterfaceID indexes the section's interfaces.
	InterfaceID uint32
	// Timestamp is in units of the interface's resolution since
	// 1970-01-01 minus the interface's if_tsoffset.
	Timestamp uint64
	// OriginalLength is the packet's length on the wire.
	OriginalLength uint32
	// Data is the captured packet; len(Data) is the captured length.
	Data []byte
	pad  [3]byte
	OptionList
}

// Type returns TypeEnhancedPacket.
func (*EnhancedPacket) Type() BlockType { return TypeEnhancedPacket }

// Clone returns a deep copy.
func (b *EnhancedPacket) Clone() Block {
	c := *b
	c.Data = cloneBytes(b.Data)
	c.OptionList = b.OptionList.clone()
	return &c
}

// Flags returns the epb_flags option.
func (b *EnhancedPacket) Flags() (uint32, bool) { return b.u32(pkt.OptEPBFlags, b.order()) }

// DropCount returns the epb_dropcount option.
func (b *EnhancedPacket) DropCount() (uint64, bool) { return b.u64(pkt.OptEPBDropCount, b.order()) }

// PacketID returns the epb_packetid option.
func (b *EnhancedPacket) PacketID() (uint64, bool) { return b.u64(pkt.OptEPBPacketID, b.order()) }

// Queue returns the epb_queue option.
func (b *EnhancedPacket) Queue() (uint32, bool) { return b.u32(pkt.OptEPBQueue, b.order()) }

// Hashes returns the epb_hash options: an algorithm byte (0 2's complement,
// 1 XOR, 2 CRC32, 3 MD5, 4 SHA-1, 5 Toeplitz) followed by the hash.
func (b *EnhancedPacket) Hashes() [][]byte { return b.all(pkt.OptEPBHash) }

// Verdicts returns the epb_verdict options: a type byte (0 hardware, 1
// Linux eBPF TC, 2 Linux eBPF XDP) followed by the verdict.
func (b *EnhancedPacket) Verdicts() [][]byte { return b.all(pkt.OptEPBVerdict) }

func (l *OptionList) all(code pkt.OptionCode) [][]byte {
	var out [][]byte
	for _, o := range l.Options {
		if o.Code == code {
			out = append(out, o.Value)
		}
	}
	return out
}

func (b *EnhancedPacket) parse(body []byte, o binary.ByteOrder) *bodyError {
	if len(body) < 20 {
		return tooShort(TypeEnhancedPacket, body, 20)
	}
	little := isLittleEndian(o)
	b.InterfaceID = getUint32(little, o, body)
	b.Timestamp = uint64(getUint32(little, o, body[4:]))<<32 | uint64(getUint32(little, o, body[8:]))
	capLen := getUint32(little, o, body[12:])
	b.OriginalLength = getUint32(little, o, body[16:])
	if uint64(pad4(int(capLen))) > uint64(len(body)-20) || capLen >= 1<<31 {
		return &bodyError{12, ErrCaptureLength, fmt.Sprintf("captured length %d does not fit in the %d-byte block body",
			capLen, len(body))}
	}
	n := int(capLen)
	b.Data = body[20 : 20+n : 20+n]
	takePad(&b.pad, body[20:], n)
	return optErr(20+pad4(n), b.OptionList.parse(body[20+pad4(n):], o))
}

func (b *EnhancedPacket) appendBody(dst []byte, o byteOrder) []byte {
	dst = o.AppendUint32(dst, b.InterfaceID)
	dst = o.AppendUint32(dst, uint32(b.Timestamp>>32))
	dst = o.AppendUint32(dst, uint32(b.Timestamp))
	dst = o.AppendUint32(dst, uint32(len(b.Data)))
	dst = o.AppendUint32(dst, b.OriginalLength)
	dst = appendPadded(dst, b.Data, b.pad)
	return b.OptionList.appendTo(dst, o)
}

func (b *EnhancedPacket) validate() error { return b.OptionList.validate() }

// SimplePacket is a Simple Packet Block: a packet of interface 0 of the
// section with no timestamp. Its captured length is not stored: it is the
// smaller of OriginalLength and the interface's snap length (when not 0).
type SimplePacket struct {
	BlockInfo
	OriginalLength uint32
	Data           []byte
	pad            [3]byte
	// snapLen is interface 0's snap length, set by the reader.
	snapLen uint32
}

// Type returns TypeSimplePacket.
func (*SimplePacket) Type() BlockType { return TypeSimplePacket }

// Clone returns a deep copy.
func (b *SimplePacket) Clone() Block {
	c := *b
	c.Data = cloneBytes(b.Data)
	return &c
}

func (b *SimplePacket) parse(body []byte, o binary.ByteOrder) *bodyError {
	if len(body) < 4 {
		return tooShort(TypeSimplePacket, body, 4)
	}
	b.OriginalLength = o.Uint32(body)
	capLen := b.OriginalLength
	if b.snapLen != 0 && capLen > b.snapLen {
		capLen = b.snapLen
	}
	// Wireshark reads exactly the captured bytes and their padding and
	// expects the block trailer next, so a body of any other size is an
	// error there; do the same.
	if uint64(pad4(int(capLen&0x7fffffff))) != uint64(len(body)-4) || capLen >= 1<<31 {
		return &bodyError{0, ErrCaptureLength, fmt.Sprintf(
			"SPB body holds %d bytes after the length field but the captured length min(original length %d, snaplen %d) needs %d",
			len(body)-4, b.OriginalLength, b.snapLen, pad4(int(capLen&0x7fffffff)))}
	}
	n := int(capLen)
	b.Data = body[4 : 4+n : 4+n]
	takePad(&b.pad, body[4:], n)
	return nil
}

func (b *SimplePacket) appendBody(dst []byte, o byteOrder) []byte {
	dst = o.AppendUint32(dst, b.OriginalLength)
	return appendPadded(dst, b.Data, b.pad)
}

func (b *SimplePacket) validate() error {
	if uint64(len(b.Data)) > uint64(b.OriginalLength) {
		return fmt.Errorf("%w: SPB with %d data bytes but original length %d cannot be read back", ErrCaptureLength,
			len(b.Data), b.OriginalLength)
	}
	return nil
}

// Packet is the obsolete Packet Block (type 2), superseded by the EPB.
type Packet struct {
	BlockInfo
	InterfaceID uint16
	// DropsCount is the number of packets lost between this one and the
	// previous, or 0xffff when unknown.
	DropsCount     uint16
	Timestamp      uint64
	OriginalLength uint32
	Data           []byte
	pad            [3]byte
	OptionList
}

// Type returns TypePacket.
func (*Packet) Type() BlockType { return TypePacket }

// Clone returns a deep copy.
func (b *Packet) Clone() Block {
	c := *b
	c.Data = cloneBytes(b.Data)
	c.OptionList = b.OptionList.clone()
	return &c
}

// Flags returns the pack_flags option.
func (b *Packet) Flags() (uint32, bool) { return b.u32(pkt.OptEPBFlags, b.order()) }

func (b *Packet) parse(body []byte, o binary.ByteOrder) *bodyError {
	if len(body) < 20 {
		return tooShort(TypePacket, body, 20)
	}
	b.InterfaceID = o.Uint16(body)
	b.DropsCount = o.Uint16(body[2:])
	b.Timestamp = uint64(o.Uint32(body[4:]))<<32 | uint64(o.Uint32(body[8:]))
	capLen := o.Uint32(body[12:])
	b.OriginalLength = o.Uint32(body[16:])
	if uint64(pad4(int(capLen&0x7fffffff))) > uint64(len(body)-20) || capLen >= 1<<31 {
		return &bodyError{12, ErrCaptureLength, fmt.Sprintf("captured length %d does not fit in the %d-byte block body",
			capLen, len(body))}
	}
	n := int(capLen)
	b.Data = body[20 : 20+n : 20+n]
	takePad(&b.pad, body[20:], n)
	return optErr(20+pad4(n), b.OptionList.parse(body[20+pad4(n):], o))
}

func (b *Packet) appendBody(dst []byte, o byteOrder) []byte {
	dst = o.AppendUint16(dst, b.InterfaceID)
	dst = o.AppendUint16(dst, b.DropsCount)
	dst = o.AppendUint32(dst, uint32(b.Timestamp>>32))
	dst = o.AppendUint32(dst, uint32(b.Timestamp))
	dst = o.AppendUint32(dst, uint32(len(b.Data)))
	dst = o.AppendUint32(dst, b.OriginalLength)
	dst = appendPadded(dst, b.Data, b.pad)
	return b.OptionList.appendTo(dst, o)
}

func (b *Packet) validate() error { return b.OptionList.validate() }

// Name resolution record types.
const (
	RecordEnd   uint16 = 0 // nrb_record_end
	RecordIPv4  uint16 = 1 // nrb_record_ipv4: 4-byte address + names
	RecordIPv6  uint16 = 2 // nrb_record_ipv6: 16-byte address + names
	RecordEUI48 uint16 = 3 // nrb_record_eui48: 6-byte address + names
	RecordEUI64 uint16 = 4 // nrb_record_eui64: 8-byte address + names
)

// NameRecord is one record of a Name Resolution Block, kept verbatim
// whatever its type.
type NameRecord struct {
	Type  uint16
	Value []byte
	pad   [3]byte
}

func (r NameRecord) addrNames(n int) ([]byte, []string, bool) {
	if len(r.Value) < n {
		return nil, nil, false
	}
	return r.Value[:n], splitNames(r.Value[n:]), true
}

// IPv4 decodes an nrb_record_ipv4 record.
func (r NameRecord) IPv4() (netip.Addr, []string, bool) {
	if r.Type != RecordIPv4 {
		return netip.Addr{}, nil, false
	}
	a, names, ok := r.addrNames(4)
	if !ok {
		return netip.Addr{}, nil, false
	}
	return netip.AddrFrom4([4]byte(a)), names, true
}

// IPv6 decodes an nrb_record_ipv6 record.
func (r NameRecord) IPv6() (netip.Addr, []string, bool) {
	if r.Type != RecordIPv6 {
		return netip.Addr{}, nil, false
	}
	a, names, ok := r.addrNames(16)
	if !ok {
		return netip.Addr{}, nil, false
	}
	return netip.AddrFrom16([16]byte(a)), names, true
}

// EUI decodes an nrb_record_eui48 or nrb_record_eui64 record.
func (r NameRecord) EUI() (net.HardwareAddr, []string, bool) {
	n := 0
	switch r.Type {
	case RecordEUI48:
		n = 6
	case RecordEUI64:
		n = 8
	default:
		return nil, nil, false
	}
	a, names, ok := r.addrNames(n)
	if !ok {
		return nil, nil, false
	}
	return net.HardwareAddr(a), names, true
}

// NameResolution is a Name Resolution Block: address-to-name records
// followed by options.
type NameResolution struct {
	BlockInfo
	// Records are the records in file order, unknown types included,
	// without the nrb_record_end record.
	Records []NameRecord
	// EndOfRecords records the nrb_record_end record; options can only
	// follow it.
	EndOfRecords bool
	endLen       uint16
	OptionList
}

// Type returns TypeNameResolution.
func (*NameResolution) Type() BlockType { return TypeNameResolution }

// Clone returns a deep copy.
func (b *NameResolution) Clone() Block {
	c := *b
	if b.Records != nil {
		c.Records = make([]NameRecord, len(b.Records))
		for i, r := range b.Records {
			r.Value = cloneBytes(r.Value)
			c.Records[i] = r
		}
	}
	c.OptionList = b.OptionList.clone()
	return &c
}

// DNSName returns the ns_dnsname option.
func (b *NameResolution) DNSName() string { return b.str(pkt.OptNSDNSName) }

// DNSIPv4 returns the ns_dnsIP4addr option.
func (b *NameResolution) DNSIPv4() (netip.Addr, bool) {
	v, ok := b.Find(pkt.OptNSDNSIP4Addr)
	if !ok || len(v) != 4 {
		return netip.Addr{}, false
	}
	return netip.AddrFrom4([4]byte(v)), true
}

// DNSIPv6 returns the ns_dnsIP6addr option.
func (b *NameResolution) DNSIPv6() (netip.Addr, bool) {
	v, ok := b.Find(pkt.OptNSDNSIP6Addr)
	if !ok || len(v) != 16 {
		return netip.Addr{}, false
	}
	return netip.AddrFrom16([16]byte(v)), true
}

func (b *NameResolution) parse(body []byte, o binary.ByteOrder) *bodyError {
	b.Records = b.Records[:0]
	b.EndOfRecords = false
	b.endLen = 0
	b.OptionList.reset()
	if len(body) < 4 {
		return tooShort(TypeNameResolution, body, 4)
	}
	pos := 0
	for pos < len(body) {
		if len(body)-pos < 4 {
			return &bodyError{pos, ErrRecord, fmt.Sprintf("%d bytes left, too few for a record header", len(body)-pos)}
		}
		typ := o.Uint16(body[pos:])
		n := int(o.Uint16(body[pos+2:]))
		if typ == RecordEnd {
			b.EndOfRecords = true
			b.endLen = uint16(n)
			pos += 4
			return optErr(pos, b.OptionList.parse(body[pos:], o))
		}
		if pad4(n) > len(body)-pos-4 {
			return &bodyError{pos, ErrRecord, fmt.Sprintf("record of type %d has length %d but only %d bytes are left",
				typ, n, len(body)-pos-4)}
		}
		switch {
		case typ == RecordIPv4 && n < 4:
			return &bodyError{pos, ErrRecord, fmt.Sprintf("IPv4 record of length %d is shorter than an address", n)}
		case typ == RecordIPv6 && n < 16:
			return &bodyError{pos, ErrRecord, fmt.Sprintf("IPv6 record of length %d is shorter than an address", n)}
		}
		r := NameRecord{Type: typ, Value: body[pos+4 : pos+4+n : pos+4+n]}
		takePad(&r.pad, body[pos+4:], n)
		b.Records = append(b.Records, r)
		pos += 4 + pad4(n)
	}
	return nil
}

func (b *NameResolution) appendBody(dst []byte, o byteOrder) []byte {
	for _, r := range b.Records {
		dst = o.AppendUint16(dst, r.Type)
		dst = o.AppendUint16(dst, uint16(len(r.Value)))
		dst = appendPadded(dst, r.Value, r.pad)
	}
	if b.EndOfRecords {
		dst = o.AppendUint16(dst, RecordEnd)
		dst = o.AppendUint16(dst, b.endLen)
		dst = b.OptionList.appendTo(dst, o)
	}
	return dst
}

func (b *NameResolution) validate() error {
	for _, r := range b.Records {
		if r.Type == RecordEnd || len(r.Value) > 0xffff {
			return fmt.Errorf("%w: NRB record of type %d and length %d cannot be encoded", ErrRecord, r.Type, len(r.Value))
		}
	}
	if !b.EndOfRecords && (len(b.Options) > 0 || b.OptionList.EndOfOptions) {
		return fmt.Errorf("%w: NRB options need EndOfRecords", ErrRecord)
	}
	if !b.EndOfRecords && len(b.Records) == 0 {
		return fmt.Errorf("%w: NRB without records needs EndOfRecords", ErrRecord)
	}
	return b.OptionList.validate()
}

// InterfaceStatistics is an Interface Statistics Block.
type InterfaceStatistics struct {
	BlockInfo
	InterfaceID uint32
	// Timestamp is in units of the interface's resolution.
	Timestamp uint64
	OptionList
}

// Type returns TypeInterfaceStatistics.
func (*InterfaceStatistics) Type() BlockType { return TypeInterfaceStatistics }

// Clone returns a deep copy.
func (b *InterfaceStatistics) Clone() Block {
	c := *b
	c.OptionList = b.OptionList.clone()
	return &c
}

func (b *InterfaceStatistics) time(code pkt.OptionCode) (uint64, bool) {
	v, ok := b.Find(code)
	if !ok || len(v) != 8 {
		return 0, false
	}
	o := b.order()
	return uint64(o.Uint32(v))<<32 | uint64(o.Uint32(v[4:])), true
}

// StartTime returns the isb_starttime option in the interface's units.
func (b *InterfaceStatistics) StartTime() (uint64, bool) { return b.time(pkt.OptISBStartTime) }

// EndTime returns the isb_endtime option in the interface's units.
func (b *InterfaceStatistics) EndTime() (uint64, bool) { return b.time(pkt.OptISBEndTime) }

// Received returns isb_ifrecv: packets received by the interface.
func (b *InterfaceStatistics) Received() (uint64, bool) { return b.u64(pkt.OptISBIfRecv, b.order()) }

// InterfaceDropped returns isb_ifdrop: packets the interface dropped.
func (b *InterfaceStatistics) InterfaceDropped() (uint64, bool) {
	return b.u64(pkt.OptISBIfDrop, b.order())
}

// FilterAccepted returns isb_filteraccept: packets the filter accepted.
func (b *InterfaceStatistics) FilterAccepted() (uint64, bool) {
	return b.u64(pkt.OptISBFilterAccept, b.order())
}

// OSDropped returns isb_osdrop: packets the operating system dropped.
func (b *InterfaceStatistics) OSDropped() (uint64, bool) { return b.u64(pkt.OptISBOSDrop, b.order()) }

// Delivered returns isb_usrdeliv: packets delivered to the capturing program.
func (b *InterfaceStatistics) Delivered() (uint64, bool) { return b.u64(pkt.OptISBUsrDeliv, b.order()) }

func (b *InterfaceStatistics) parse(body []byte, o binary.ByteOrder) *bodyError {
	if len(body) < 12 {
		return tooShort(TypeInterfaceStatistics, body, 12)
	}
	b.InterfaceID = o.Uint32(body)
	b.Timestamp = uint64(o.Uint32(body[4:]))<<32 | uint64(o.Uint32(body[8:]))
	return optErr(12, b.OptionList.parse(body[12:], o))
}

func (b *InterfaceStatistics) appendBody(dst []byte, o byteOrder) []byte {
	dst = o.AppendUint32(dst, b.InterfaceID)
	dst = o.AppendUint32(dst, uint32(b.Timestamp>>32))
	dst = o.AppendUint32(dst, uint32(b.Timestamp))
	return b.OptionList.appendTo(dst, o)
}

func (b *InterfaceStatistics) validate() error { return b.OptionList.validate() }

// Decryption secrets types.
const (
	SecretsTLSKeyLog   uint32 = 0x544c534b // TLS key log (NSS format)
	SecretsSSHKeyLog   uint32 = 0x5353484b // SSH key log
	SecretsWireGuard   uint32 = 0x57474b4c // WireGuard key log
	SecretsZigBeeNWK   uint32 = 0x5a4e574b // ZigBee NWK key
	SecretsZigBeeAPS   uint32 = 0x5a415053 // ZigBee APS key
	SecretsOPCUAKeyLog uint32 = 0x55414b4c // OPC UA key log
)

// DecryptionSecrets is a Decryption Secrets Block.
type DecryptionSecrets struct {
	BlockInfo
	SecretsType uint32
	Data        []byte
	pad         [3]byte
	OptionList
}

// Type returns TypeDecryptionSecrets.
func (*DecryptionSecrets) Type() BlockType { return TypeDecryptionSecrets }

// Clone returns a deep copy.
func (b *DecryptionSecrets) Clone() Block {
	c := *b
	c.Data = cloneBytes(b.Data)
	c.OptionList = b.OptionList.clone()
	return &c
}

func (b *DecryptionSecrets) parse(body []byte, o binary.ByteOrder) *bodyError {
	if len(body) < 8 {
		return tooShort(TypeDecryptionSecrets, body, 8)
	}
	b.SecretsType = o.Uint32(body)
	n := o.Uint32(body[4:])
	if uint64(pad4(int(n&0x7fffffff))) > uint64(len(body)-8) || n >= 1<<31 {
		return &bodyError{4, ErrBlockBody, fmt.Sprintf("secrets length %d does not fit in the %d-byte block body",
			n, len(body))}
	}
	b.Data = body[8 : 8+n : 8+n]
	takePad(&b.pad, body[8:], int(n))
	return optErr(8+pad4(int(n)), b.OptionList.parse(body[8+pad4(int(n)):], o))
}

func (b *DecryptionSecrets) appendBody(dst []byte, o byteOrder) []byte {
	dst = o.AppendUint32(dst, b.SecretsType)
	dst = o.AppendUint32(dst, uint32(len(b.Data)))
	dst = appendPadded(dst, b.Data, b.pad)
	return b.OptionList.appendTo(dst, o)
}

func (b *DecryptionSecrets) validate() error { return b.OptionList.validate() }

// Custom is a Custom Block. The format gives no length for the custom data,
// so Data holds everything after the PEN, including any options the
// enterprise's format puts there; ParseOptions can decode those for a caller
// that knows where the data ends.
type Custom struct {
	BlockInfo
	// DoNotCopy selects block type 0x40000BAD, which must not be copied to
	// a file with modified packets, instead of 0x00000BAD.
	DoNotCopy bool
	// PEN is the IANA private enterprise number that defines the data.
	PEN  uint32
	Data []byte
}

// Type returns TypeCustom or TypeCustomNoCopy.
func (b *Custom) Type() BlockType {
	if b.DoNotCopy {
		return TypeCustomNoCopy
	}
	return TypeCustom
}

// Clone returns a deep copy.
func (b *Custom) Clone() Block {
	c := *b
	c.Data = cloneBytes(b.Data)
	return &c
}

func (b *Custom) parse(body []byte, o binary.ByteOrder) *bodyError {
	if len(body) < 4 {
		return tooShort(TypeCustom, body, 4)
	}
	b.PEN = o.Uint32(body)
	b.Data = body[4:len(body):len(body)]
	return nil
}

func (b *Custom) appendBody(dst []byte, o byteOrder) []byte {
	dst = o.AppendUint32(dst, b.PEN)
	return appendPadded(dst, b.Data, [3]byte{})
}

func (b *Custom) validate() error { return nil }

// ParseOptions decodes an options area in byte order o, for example the
// tail of a custom block's data. Values point into b.
func ParseOptions(b []byte, o binary.ByteOrder) (OptionList, error) {
	var l OptionList
	if e := l.parse(b, o); e != nil {
		return l, fmt.Errorf("%w: at byte %d: %s", ErrOption, e.rel, e.msg)
	}
	return l, nil
}

// SystemdJournalExport is a systemd Journal Export Block: one journal entry
// in export format, padded to 32 bits. Data includes the padding.
type SystemdJournalExport struct {
	BlockInfo
	Data []byte
}

// Type returns TypeSystemdJournalExport.
func (*SystemdJournalExport) Type() BlockType { return TypeSystemdJournalExport }

// Clone returns a deep copy.
func (b *SystemdJournalExport) Clone() Block {
	c := *b
	c.Data = cloneBytes(b.Data)
	return &c
}

func (b *SystemdJournalExport) parse(body []byte, _ binary.ByteOrder) *bodyError {
	b.Data = body[:len(body):len(body)]
	return nil
}

func (b *SystemdJournalExport) appendBody(dst []byte, _ byteOrder) []byte {
	return appendPadded(dst, b.Data, [3]byte{})
}

func (b *SystemdJournalExport) validate() error { return nil }

// UnknownBlock is a block of a type this package does not decode, kept
// verbatim.
type UnknownBlock struct {
	BlockInfo
	BlockType BlockType
	// Body is everything between the leading and trailing lengths, in the
	// section's byte order.
	Body []byte
}

// Type returns the block's type.
func (b *UnknownBlock) Type() BlockType { return b.BlockType }

// Clone returns a deep copy.
func (b *UnknownBlock) Clone() Block {
	c := *b
	c.Body = cloneBytes(b.Body)
	return &c
}

func (b *UnknownBlock) parse(body []byte, _ binary.ByteOrder) *bodyError {
	b.Body = body[:len(body):len(body)]
	return nil
}

func (b *UnknownBlock) appendBody(dst []byte, _ byteOrder) []byte {
	return appendPadded(dst, b.Body, [3]byte{})
}

func (b *UnknownBlock) validate() error {
	if b.BlockType == TypeSectionHeader {
		return fmt.Errorf("%w: UnknownBlock cannot have the section header type", ErrBlockBody)
	}
	return nil
}
