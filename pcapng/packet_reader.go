package pcapng

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/bits"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/pcaptool/pcaptool/internal/gopacketsrc"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// Section describes one section of a file read by a PacketReader.
type Section struct {
	// Header is a copy of the section header block, with its options
	// (shb_hardware, shb_os, shb_userappl, comments, custom ones).
	Header *SectionHeader
	// FirstInterface is the global index of the section's interface 0.
	FirstInterface int
	// Interfaces is the number of interfaces the section has described
	// so far.
	Interfaces int
}

// packetInterface is what the PacketReader needs to turn a packet block of
// an interface into a pkt.Packet.
type packetInterface struct {
	unitsPerSecond uint64
	offset         int64
	maxPacket      int
}

// PacketReader reads the packets of a pcapng file as a pkt.Reader.
// Enhanced, simple and obsolete packet blocks become packets; the other
// blocks are consumed on the way and summarised by Sections, Statistics and
// Names, or handed to the function set with SetBlockHandler.
type PacketReader struct {
	r        *Reader
	pkt      pkt.Packet
	ifaces   []pkt.Interface
	pifaces  []packetInterface
	sections []Section
	stats    []*InterfaceStatistics
	names    []NameRecord
	onBlock  func(Block) error
	scratch  []byte // little-endian copies of big-endian option values
	err      error
}

// NewPacketReader reads the first section header of r and returns a reader
// of its packets.
func NewPacketReader(r io.Reader, opts ReaderOptions) (*PacketReader, error) {
	br, err := NewReaderOptions(r, opts)
	if err != nil {
		return nil, err
	}
	return &PacketReader{r: br}, nil
}

// Blocks returns the underlying block reader.
func (r *PacketReader) Blocks() *Reader { return r.r }

// SetBlockHandler arranges for fn to be called with every block that is not
// a packet (section headers, interface descriptions, statistics, name
// resolution, decryption secrets, custom and unknown blocks) as ReadPacket
// passes it. The block is valid only during the call. An error from fn stops
// reading and is returned by ReadPacket.
func (r *PacketReader) SetBlockHandler(fn func(Block) error) { r.onBlock = fn }

// Interfaces returns the interfaces seen so far, numbered across sections:
// section 0's interfaces first, then section 1's, and so on. Numeric
// options (if_speed, if_tzone, if_txspeed, if_rxspeed) are little-endian;
// if_tsresol, if_tsoffset and if_fcslen are in Resolution,
// TimestampOffset and FCSLen instead of Options.
func (r *PacketReader) Interfaces() []pkt.Interface { return r.ifaces }

// Sections returns the sections seen so far.
func (r *PacketReader) Sections() []Section { return r.sections }

// Statistics returns a copy of the last interface statistics block seen for
// the interface with the given global index, or nil.
func (r *PacketReader) Statistics(iface int) *InterfaceStatistics {
	if iface < 0 || iface >= len(r.stats) {
		return nil
	}
	return r.stats[iface]
}

// Names returns copies of the name resolution records seen so far, in order.
func (r *PacketReader) Names() []NameRecord { return r.names }

// LinkType returns the link type of the first interface in gopacket's
// representation (layers.LinkTypeNull when there is none yet or it does not
// fit gopacket's 8 bits).
func (r *PacketReader) LinkType() layers.LinkType {
	if len(r.ifaces) == 0 {
		return layers.LinkTypeNull
	}
	lt, _ := r.ifaces[0].LinkType.Layers()
	return lt
}

// ReadPacket returns the next packet, or io.EOF after the last one. The
// packet, its Data and its Options are valid until the next call; Data is
// not copied when the block fits in the read buffer.
func (r *PacketReader) ReadPacket() (*pkt.Packet, error) {
	if r.err != nil {
		return nil, r.err
	}
	for {
		b, err := r.r.Next()
		if err != nil {
			r.err = err
			return nil, err
		}
		var ok bool
		switch b := b.(type) {
		case *EnhancedPacket:
			ok, err = r.packet(&b.BlockInfo, TypeEnhancedPacket, int(b.InterfaceID), b.Timestamp, b.OriginalLength, b.Data, true)
			if ok {
				r.packetOptions(&b.OptionList, b.order(), TypeEnhancedPacket)
			}
		case *Packet:
			ok, err = r.packet(&b.BlockInfo, TypePacket, int(b.InterfaceID), b.Timestamp, b.OriginalLength, b.Data, true)
			if ok {
				r.packetOptions(&b.OptionList, b.order(), TypePacket)
			}
		case *SimplePacket:
			ok, err = r.packet(&b.BlockInfo, TypeSimplePacket, 0, 0, b.OriginalLength, b.Data, false)
			if ok {
				r.pkt.Options = r.pkt.Options[:0]
			}
		default:
			err = r.other(b)
		}
		if err != nil {
			r.err = err
			return nil, err
		}
		if ok {
			return &r.pkt, nil
		}
	}
}

func (r *PacketReader) packet(info *BlockInfo, t BlockType, id int, units uint64, length uint32, data []byte, hasTime bool) (bool, error) {
	sec := &r.sections[len(r.sections)-1]
	global := sec.FirstInterface + id
	pi := &r.pifaces[global]
	if len(data) > pi.maxPacket {
		return false, &FormatError{Offset: info.Offset, Block: info.Index, Type: uint32(t), Err: ErrCaptureLength,
			Msg: fmt.Sprintf("captured length %d exceeds the maximum of %d for link type %s",
				len(data), pi.maxPacket, r.ifaces[global].LinkType)}
	}
	p := &r.pkt
	p.Data = data
	p.Length = int(length)
	p.Interface = global
	p.NoTimestamp = !hasTime
	if hasTime {
		p.Timestamp = unitsToTime(units, pi.unitsPerSecond, pi.offset)
	} else {
		// An SPB has no timestamp; Wireshark shows the epoch.
		p.Timestamp = time.Unix(0, 0)
	}
	return true, nil
}

// unitsToTime converts a timestamp in units of 1/ups seconds, plus an offset
// in seconds, to a time, truncating below the nanosecond.
func unitsToTime(units, ups uint64, offset int64) time.Time {
	var sec, ns uint64
	switch ups {
	case 1_000_000:
		sec, ns = units/1_000_000, units%1_000_000*1000
	case 1_000_000_000:
		sec, ns = units/1_000_000_000, units%1_000_000_000
	default:
		sec = units / ups
		hi, lo := bits.Mul64(units%ups, 1_000_000_000)
		ns, _ = bits.Div64(hi, lo, ups)
	}
	return time.Unix(int64(sec)+offset, int64(ns))
}

// unitsPerSecond is pkt.Resolution.UnitsPerSecond, saturated: a
// resolution too fine for 64 bits makes every timestamp 0, as in Wireshark.
func unitsPerSecond(res pkt.Resolution) uint64 {
	if ups, ok := res.UnitsPerSecond(); ok {
		return ups
	}
	return math.MaxUint64
}

// Standard numeric options whose values are converted to little-endian.
func numericInterfaceOption(code pkt.OptionCode, n int) bool {
	switch code {
	case pkt.OptIfSpeed, pkt.OptIfTxSpeed, pkt.OptIfRxSpeed:
		return n == 8
	case pkt.OptIfTzone:
		return n == 4
	}
	return false
}

func numericPacketOption(code pkt.OptionCode, v []byte, t BlockType) bool {
	switch code {
	case pkt.OptEPBFlags:
		return len(v) == 4
	case pkt.OptEPBDropCount, pkt.OptEPBPacketID:
		return t == TypeEnhancedPacket && len(v) == 8
	case pkt.OptEPBQueue:
		return t == TypeEnhancedPacket && len(v) == 4
	case pkt.OptEPBVerdict:
		// Linux eBPF TC and XDP verdicts are 64-bit numbers.
		return t == TypeEnhancedPacket && len(v) == 9 && (v[0] == 1 || v[0] == 2)
	}
	return false
}

// swapInto appends v byte-reversed (past a verdict's type byte).
func swapInto(dst, v []byte, code pkt.OptionCode) []byte {
	start := len(dst)
	skip := 0
	if code == pkt.OptEPBVerdict {
		skip = 1
	}
	dst = append(dst, v...)
	s := dst[start+skip:]
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
	return dst
}

func (r *PacketReader) packetOptions(l *OptionList, o binary.ByteOrder, t BlockType) {
	opts := r.pkt.Options[:0]
	big := o == binary.BigEndian
	if big {
		need := 0
		for _, opt := range l.Options {
			if numericPacketOption(opt.Code, opt.Value, t) {
				need += len(opt.Value)
			}
		}
		if cap(r.scratch) < need {
			r.scratch = make([]byte, 0, max(need, 2*cap(r.scratch)))
		}
	}
	scratch := r.scratch[:0]
	for _, opt := range l.Options {
		v := opt.Value
		if big && numericPacketOption(opt.Code, v, t) {
			start := len(scratch)
			scratch = swapInto(scratch, v, opt.Code)
			v = scratch[start:len(scratch):len(scratch)]
		}
		opts = append(opts, pkt.Option{Code: opt.Code, Value: v})
	}
	r.pkt.Options = opts
}

func (r *PacketReader) other(b Block) error {
	switch b := b.(type) {
	case *SectionHeader:
		r.sections = append(r.sections, Section{Header: b.Clone().(*SectionHeader), FirstInterface: len(r.ifaces)})
	case *InterfaceDescription:
		r.addInterface(b)
	case *InterfaceStatistics:
		sec := &r.sections[len(r.sections)-1]
		// Wireshark accepts statistics for undescribed interfaces; so do
		// we, but there is nowhere to file them.
		if int64(b.InterfaceID) < int64(sec.Interfaces) {
			r.stats[sec.FirstInterface+int(b.InterfaceID)] = b.Clone().(*InterfaceStatistics)
		}
	case *NameResolution:
		for _, rec := range b.Records {
			rec.Value = cloneBytes(rec.Value)
			r.names = append(r.names, rec)
		}
	}
	if r.onBlock != nil {
		return r.onBlock(b)
	}
	return nil
}

func (r *PacketReader) addInterface(b *InterfaceDescription) {
	o := b.order()
	ifc := pkt.Interface{
		LinkType:   b.LinkType,
		SnapLen:    b.SnapLen,
		Resolution: b.Resolution(),
		FCSLen:     -1,
	}
	if off, ok := b.TimestampOffset(); ok {
		ifc.TimestampOffset = off
	}
	if n, ok := b.FCSLen(); ok {
		ifc.FCSLen = n
	}
	for _, opt := range b.Options {
		switch opt.Code {
		case pkt.OptIfTsresol, pkt.OptIfTsoffset, pkt.OptIfFCSLen:
			continue
		}
		v := cloneBytes(opt.Value)
		if o == binary.BigEndian && numericInterfaceOption(opt.Code, len(v)) {
			swapInto(v[:0], opt.Value, opt.Code)
		}
		ifc.Options = append(ifc.Options, pkt.Option{Code: opt.Code, Value: v})
	}
	r.ifaces = append(r.ifaces, ifc)
	r.pifaces = append(r.pifaces, packetInterface{
		unitsPerSecond: unitsPerSecond(ifc.Resolution),
		offset:         ifc.TimestampOffset,
		maxPacket:      linktype.LinkType(b.LinkType).MaxPacketSize(),
	})
	r.stats = append(r.stats, nil)
	r.sections[len(r.sections)-1].Interfaces++
}

// ZeroCopyReadPacketData implements gopacket.ZeroCopyPacketDataSource; data
// is valid until the next call. CaptureInfo.InterfaceIndex is the global
// interface index.
func (r *PacketReader) ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	p, err := r.ReadPacket()
	if err != nil {
		return nil, gopacket.CaptureInfo{}, err
	}
	return p.Data, gopacketsrc.Info(p, p.Interface), nil
}

// ReadPacketData implements gopacket.PacketDataSource; data is a fresh copy.
func (r *PacketReader) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	return gopacketsrc.Copy(r.ZeroCopyReadPacketData())
}
