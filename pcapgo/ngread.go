package pcapgo

import (
	"errors"
	"fmt"
	"io"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/pcaptool/pcaptool/pcapng"
	"github.com/pcaptool/pcaptool/pkt"
)

// NgReaderOptions choose how an NgReader treats interfaces of several link
// types, unknown section versions and the blocks that are not packets.
type NgReaderOptions struct {
	// WantMixedLinkType returns the packets of every interface, with
	// the link type in ci.AncillaryData[0]; LinkType then returns 0.
	// Otherwise packets of interfaces whose link type differs from the
	// first interface's are skipped (or an error, see below), as
	// libpcap does.
	WantMixedLinkType bool
	// ErrorOnMismatchingLinkType returns ErrNgLinkTypeMismatch for such a
	// packet instead of skipping it, when WantMixedLinkType is false.
	ErrorOnMismatchingLinkType bool
	// SkipUnknownVersion skips sections of versions other than 1.0 and
	// 1.2, as the pcapng specification recommends, instead of returning
	// ErrNgVersionMismatch.
	SkipUnknownVersion bool
	// SectionEndCallback is called with the interfaces and the section
	// information when a section ends, except for the last one, which
	// ends at io.EOF. It is where the statistics of each section's
	// interfaces can be read.
	SectionEndCallback func([]NgInterface, NgSectionInfo)
	// StatisticsCallback is called for every interface statistics block
	// with the interface's index in its section and the statistics.
	StatisticsCallback func(int, NgInterfaceStatistics)
}

// DefaultNgReaderOptions are libpcap's rules: one link type, the first
// interface's.
var DefaultNgReaderOptions = NgReaderOptions{}

// NgReader reads the packets of a pcapng file through pcapng.Reader, one
// block at a time in constant memory. It is a gopacket PacketDataSource and
// ZeroCopyPacketDataSource.
type NgReader struct {
	// r is where blocks are read from; the pcapng.Reader reads it through
	// source, so that it can be replaced between packets.
	r        io.Reader
	blocks   *pcapng.Reader
	options  NgReaderOptions
	section  NgSectionInfo
	inside   bool // a section has started
	ifaces   []NgInterface
	maxLen   []int // the largest packet each interface's link type allows
	linkType layers.LinkType
	haveLink bool // linkType is the first interface's
	ancil    [1]interface{}
}

// source reads from the NgReader's current r.
type source struct{ ng *NgReader }

func (s source) Read(p []byte) (int, error) { return s.ng.r.Read(p) }

// NewNgReader reads the first section header of r and, unless
// options.WantMixedLinkType is set, the blocks up to the first interface
// description, whose link type LinkType returns. A file with no interface
// at all is not an error: it has no packets.
func NewNgReader(r io.Reader, options NgReaderOptions) (*NgReader, error) {
	ng := &NgReader{r: r, options: options}
	blocks, err := pcapng.NewReaderOptions(source{ng}, pcapng.ReaderOptions{SkipUnknownVersions: options.SkipUnknownVersion})
	if err != nil {
		return nil, ngError(err)
	}
	ng.blocks = blocks
	for !ng.haveLink {
		b, err := blocks.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, ngError(err)
		}
		if err := ng.handle(b); err != nil {
			return nil, err
		}
		if options.WantMixedLinkType && ng.inside {
			break
		}
	}
	return ng, nil
}

// ngError gives gopacket's sentinel for an unknown version.
func ngError(err error) error {
	if errors.Is(err, pcapng.ErrVersion) {
		return ErrNgVersionMismatch
	}
	return err
}

// handle takes note of a block that is not a packet.
func (r *NgReader) handle(b pcapng.Block) error {
	switch b := b.(type) {
	case *pcapng.SectionHeader:
		r.startSection(b)
	case *pcapng.InterfaceDescription:
		r.addInterface(b)
	case *pcapng.InterfaceStatistics:
		r.statistics(b)
	case *pcapng.EnhancedPacket, *pcapng.Packet, *pcapng.SimplePacket:
		return errors.New("pcapgo: internal error: packet block handled as another block")
	}
	return nil
}

func (r *NgReader) startSection(b *pcapng.SectionHeader) {
	if r.inside && r.options.SectionEndCallback != nil {
		r.options.SectionEndCallback(append([]NgInterface(nil), r.ifaces...), r.section)
	}
	r.inside = true
	r.ifaces, r.maxLen = r.ifaces[:0], r.maxLen[:0]
	r.section = NgSectionInfo{
		Hardware:    lastString(&b.OptionList, pkt.OptSHBHardware),
		OS:          lastString(&b.OptionList, pkt.OptSHBOS),
		Application: lastString(&b.OptionList, pkt.OptSHBUserAppl),
		Comment:     lastString(&b.OptionList, pkt.OptComment),
	}
}

// lastString returns the value of the last option with the given code, as
// gopacket's pcapgo keeps it.
func lastString(l *pcapng.OptionList, code pkt.OptionCode) string {
	for i := len(l.Options) - 1; i >= 0; i-- {
		if l.Options[i].Code == code {
			return string(l.Options[i].Value)
		}
	}
	return ""
}

func (r *NgReader) addInterface(b *pcapng.InterfaceDescription) {
	lt, _ := b.LinkType.Layers()
	res := b.Resolution()
	ifc := NgInterface{
		Name:                lastString(&b.OptionList, pkt.OptIfName),
		Comment:             lastString(&b.OptionList, pkt.OptComment),
		Description:         lastString(&b.OptionList, pkt.OptIfDescription),
		OS:                  lastString(&b.OptionList, pkt.OptIfOS),
		LinkType:            lt,
		TimestampResolution: NgResolution(res),
		SnapLength:          b.SnapLen,
	}
	if f := lastString(&b.OptionList, pkt.OptIfFilter); f != "" {
		ifc.Filter = f[1:] // past the filter type byte
	}
	if off, ok := b.TimestampOffset(); ok {
		ifc.TimestampOffset = uint64(off)
	}
	ups, _ := res.UnitsPerSecond()
	ifc.setUnits(ups)
	r.ifaces = append(r.ifaces, ifc)
	r.maxLen = append(r.maxLen, b.LinkType.MaxPacketSize())
	if !r.haveLink && !r.options.WantMixedLinkType {
		r.linkType, r.haveLink = lt, true
	}
}

func (r *NgReader) statistics(b *pcapng.InterfaceStatistics) {
	id := int(b.InterfaceID)
	if id >= len(r.ifaces) {
		return // statistics of an undescribed interface: Wireshark ignores them too
	}
	ifc := &r.ifaces[id]
	st := ngNoStatistics
	st.LastUpdate = ifc.time(b.Timestamp)
	if t, ok := b.StartTime(); ok {
		st.StartTime = ifc.time(t)
	}
	if t, ok := b.EndTime(); ok {
		st.EndTime = ifc.time(t)
	}
	st.Comment = lastString(&b.OptionList, pkt.OptComment)
	if n, ok := b.Received(); ok {
		st.PacketsReceived = n
	}
	if n, ok := b.InterfaceDropped(); ok {
		st.PacketsDropped = n
	}
	ifc.Statistics = st
	if r.options.StatisticsCallback != nil {
		r.options.StatisticsCallback(id, st)
	}
}

// next returns the next packet, its data valid until the next call.
func (r *NgReader) next() ([]byte, gopacket.CaptureInfo, error) {
	for {
		b, err := r.blocks.Next()
		if err != nil {
			return nil, gopacket.CaptureInfo{}, ngError(err)
		}
		var (
			ci      gopacket.CaptureInfo
			data    []byte
			hasTime = true
			units   uint64
		)
		switch b := b.(type) {
		case *pcapng.EnhancedPacket:
			ci.InterfaceIndex, units, ci.Length, data = int(b.InterfaceID), b.Timestamp, int(b.OriginalLength), b.Data
		case *pcapng.Packet:
			ci.InterfaceIndex, units, ci.Length, data = int(b.InterfaceID), b.Timestamp, int(b.OriginalLength), b.Data
		case *pcapng.SimplePacket:
			// No timestamp: gopacket's pcapgo gives the zero time.
			ci.Length, data, hasTime = int(b.OriginalLength), b.Data, false
		default:
			if err := r.handle(b); err != nil {
				return nil, ci, err
			}
			continue
		}
		ifc := &r.ifaces[ci.InterfaceIndex] // pcapng.Reader checked the id
		if !r.options.WantMixedLinkType && ifc.LinkType != r.linkType {
			if r.options.ErrorOnMismatchingLinkType {
				return nil, ci, ErrNgLinkTypeMismatch
			}
			continue
		}
		if limit := r.maxLen[ci.InterfaceIndex]; len(data) > limit {
			// Wireshark refuses it too.
			info := b.Info()
			return nil, ci, &pcapng.FormatError{Offset: info.Offset, Block: info.Index, Type: uint32(b.Type()),
				Err: pcapng.ErrCaptureLength, Msg: fmt.Sprintf("captured length %d exceeds the maximum of %d for the link type", len(data), limit)}
		}
		ci.CaptureLength = len(data)
		if hasTime {
			ci.Timestamp = ifc.time(units)
		}
		r.ancil[0] = ifc.LinkType
		return data, ci, nil
	}
}

// ReadPacketData returns the next packet in a new slice, or io.EOF after
// the last one. With WantMixedLinkType, ci.AncillaryData[0] is the
// packet's layers.LinkType.
func (r *NgReader) ReadPacketData() (data []byte, ci gopacket.CaptureInfo, err error) {
	data, ci, err = r.next()
	if err != nil {
		return nil, ci, err
	}
	if r.options.WantMixedLinkType {
		ci.AncillaryData = []interface{}{r.ancil[0]}
	}
	return append([]byte(nil), data...), ci, nil
}

// ZeroCopyReadPacketData is ReadPacketData without a copy: data, and
// ci.AncillaryData, are valid until the next call. Packets that fit in the
// read buffer (1 MiB) are returned straight from it.
func (r *NgReader) ZeroCopyReadPacketData() (data []byte, ci gopacket.CaptureInfo, err error) {
	data, ci, err = r.next()
	if err == nil && r.options.WantMixedLinkType {
		ci.AncillaryData = r.ancil[:]
	}
	return data, ci, err
}

// LinkType returns the link type of the first interface, or 0 with
// WantMixedLinkType or before any interface.
func (r *NgReader) LinkType() layers.LinkType { return r.linkType }

// SectionInfo returns what the current section's header says.
func (r *NgReader) SectionInfo() NgSectionInfo { return r.section }

// Interface returns the interface with the given index in the current
// section, with its latest statistics.
func (r *NgReader) Interface(i int) (NgInterface, error) {
	if i < 0 || i >= len(r.ifaces) {
		return NgInterface{}, fmt.Errorf("pcapgo: interface %d does not exist; the section has %d", i, len(r.ifaces))
	}
	return r.ifaces[i], nil
}

// NInterfaces returns the number of interfaces described so far in the
// current section.
func (r *NgReader) NInterfaces() int { return len(r.ifaces) }

// Resolution returns the resolution of the first interface's timestamps
// in the file, before their conversion to nanoseconds; the zero value with
// WantMixedLinkType or before any interface.
func (r *NgReader) Resolution() gopacket.TimestampResolution {
	if r.options.WantMixedLinkType || len(r.ifaces) == 0 {
		return gopacket.TimestampResolution{}
	}
	return r.ifaces[0].Resolution()
}

// SkipSection skips the rest of the current section and reads the next
// section header; io.EOF when there is none.
func (r *NgReader) SkipSection() error {
	for {
		b, err := r.blocks.Next()
		if err != nil {
			return ngError(err)
		}
		if shb, ok := b.(*pcapng.SectionHeader); ok {
			r.startSection(shb)
			return nil
		}
	}
}
