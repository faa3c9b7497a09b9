package pkt

import (
	"slices"
	"time"

	"github.com/pcaptool/pcaptool/linktype"
)

// DefaultSnapLen is the snap length tcpdump and libpcap use when none is
// given (MAXIMUM_SNAPLEN): large enough for any packet of the common link
// types.
const DefaultSnapLen = 262144

// Packet is one captured packet.
type Packet struct {
	// Timestamp is the capture time, including the interface's
	// TimestampOffset. Resolutions finer than a nanosecond are truncated.
	Timestamp time.Time
	// Length is the packet's length on the wire; it may exceed len(Data)
	// when the capture was truncated by a snap length.
	Length int
	// Data holds the captured bytes; len(Data) is the capture length.
	Data []byte
	// Interface indexes the reader's Interfaces.
	Interface int
	// Options are packet options (opt_comment, epb_flags, epb_hash, ...) in
	// file order. Formats without options leave it empty.
	Options []Option
	// NoTimestamp marks a record that carried no timestamp (a pcapng
	// simple packet block); Timestamp is then the Unix epoch. Like
	// editcap, time-based stages leave such packets alone.
	NoTimestamp bool
	// Link is what a Linux capture recorded about the packet: the records
	// of the modified pcap format (magic 0xa1b2cd34) and live capture fill
	// it; other sources leave it zero (Link.Valid false).
	Link LinkInfo
}

// LinkInfo is the Linux packet-socket metadata of a packet (struct
// sockaddr_ll): the kernel interface it crossed, its protocol and how it
// was addressed.
type LinkInfo struct {
	// Valid is true when the source recorded the fields below.
	Valid bool
	// IfIndex is the kernel index of the interface the packet crossed.
	IfIndex int32
	// Protocol is the EtherType (sll_protocol), in host byte order.
	Protocol uint16
	// Type is the kernel's classification of the packet (sll_pkttype).
	Type PacketType
}

// PacketType is the Linux kernel's classification of a packet
// (sll_pkttype).
type PacketType uint8

// Packet types, as in linux/if_packet.h.
const (
	PacketHost      PacketType = 0 // to us
	PacketBroadcast PacketType = 1 // to all
	PacketMulticast PacketType = 2 // to group
	PacketOtherHost PacketType = 3 // to someone else (seen in promiscuous mode)
	PacketOutgoing  PacketType = 4 // sent by us
)

// String returns the word tcpdump uses for the direction: "In", "Out",
// "B" (broadcast), "M" (multicast) or "P" (promiscuous).
func (t PacketType) String() string {
	switch t {
	case PacketHost:
		return "In"
	case PacketBroadcast:
		return "B"
	case PacketMulticast:
		return "M"
	case PacketOtherHost:
		return "P"
	case PacketOutgoing:
		return "Out"
	}
	return "?"
}

// epb_flags bits (pcapng specification, section 4.3.1).
const (
	epbInbound     = 1
	epbOutbound    = 2
	epbUnicast     = 1 << 2
	epbMulticast   = 2 << 2
	epbBroadcast   = 3 << 2
	epbPromiscuous = 4 << 2
)

// EPBFlags returns the pcapng epb_flags value for a packet of this type:
// the inbound/outbound bits and the reception type.
func (t PacketType) EPBFlags() uint32 {
	switch t {
	case PacketHost:
		return epbInbound | epbUnicast
	case PacketBroadcast:
		return epbInbound | epbBroadcast
	case PacketMulticast:
		return epbInbound | epbMulticast
	case PacketOtherHost:
		return epbInbound | epbPromiscuous
	case PacketOutgoing:
		return epbOutbound
	}
	return 0
}

// Comments returns the packet's opt_comment values in order.
func (p *Packet) Comments() []string {
	var out []string
	for _, o := range p.Options {
		if o.Code == OptComment {
			out = append(out, string(o.Value))
		}
	}
	return out
}

// Clone returns a deep copy of p that stays valid after the reader moves on.
func (p *Packet) Clone() *Packet {
	c := *p
	c.Data = slices.Clone(p.Data)
	c.Options = CloneOptions(p.Options)
	return &c
}

// CopyTo copies p into dst, reusing dst's buffers where they are large
// enough, so that a caller holding packets across reads allocates only when
// a packet is larger than any it held before.
func (p *Packet) CopyTo(dst *Packet) {
	data, opts := dst.Data[:0], dst.Options[:0]
	*dst = *p
	dst.Data = append(data, p.Data...)
	dst.Options = opts
	for _, o := range p.Options {
		dst.Options = append(dst.Options, Option{Code: o.Code, Value: slices.Clone(o.Value)})
	}
}

// Interface describes the capture interface that packets refer to by index.
type Interface struct {
	LinkType linktype.LinkType
	// SnapLen is the largest number of bytes captured per packet; 0 means
	// no limit.
	SnapLen uint32
	// Resolution is the unit in which the source stored timestamps.
	Resolution Resolution
	// TimestampOffset is the if_tsoffset value in seconds, already added to
	// every Packet.Timestamp of this interface.
	TimestampOffset int64
	// FCSLen is the number of frame-check-sequence bytes at the end of every
	// packet, or -1 when unknown.
	FCSLen int
	// Options are the remaining interface options (if_name, if_description,
	// if_filter, if_os, custom ones, ...) in file order. if_tsresol,
	// if_tsoffset and if_fcslen are not repeated here: Resolution,
	// TimestampOffset and FCSLen hold them.
	Options []Option
}

// Name returns the if_name option, or "" when absent.
func (i *Interface) Name() string { return string(FindOption(i.Options, OptIfName)) }

// Description returns the if_description option, or "" when absent.
func (i *Interface) Description() string {
	return string(FindOption(i.Options, OptIfDescription))
}

// Clone returns a deep copy of i.
func (i Interface) Clone() Interface {
	i.Options = CloneOptions(i.Options)
	return i
}
