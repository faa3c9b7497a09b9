package stats

import (
	"encoding/binary"
	"net/netip"

	"github.com/pcaptool/pcaptool/linktype"
)

// maxIPHeaders bounds how many nested IP headers (IP-in-IP tunnels) one
// frame contributes to the ip and ipv6 tables.
const maxIPHeaders = 4

// ipHeader is one IPv4 or IPv6 header of a frame.
type ipHeader struct {
	src, dst netip.Addr
}

// transport is the TCP or UDP header of a frame, when ports are known.
type transport struct {
	proto    uint8 // ipProtoTCP or ipProtoUDP; 0: none
	src, dst netip.AddrPort
	flags    uint8 // TCP flags
	seq      uint32
}

// frame is what the tables need from one packet. dissect fills it without
// allocating.
type frame struct {
	hasEth         bool
	ethSrc, ethDst [6]byte
	ips            [maxIPHeaders]ipHeader
	nIP            int
	tr             transport
	frag           fragment // IP fragment carrying (part of) a TCP or UDP datagram
}

// fragment describes an IP fragment: tshark reassembles fragmented
// datagrams and counts the transport layer once, on the frame that
// completes the datagram.
type fragment struct {
	is    bool
	first bool // offset 0: carries the transport header
	last  bool // no more fragments follow
	id    uint32
	proto uint8
	src   netip.Addr
	dst   netip.Addr
}

const (
	ipProtoIPIP   = 4
	ipProtoTCP    = 6
	ipProtoUDP    = 17
	ipProtoIPv6   = 41
	ipProtoGRE    = 47
	ipProtoPIM    = 103
	ipProtoFrag6  = 44
	ipProtoHop    = 0
	ipProtoRoute  = 43
	ipProtoDstOpt = 60

	tcpFIN = 0x01
	tcpSYN = 0x02
	tcpRST = 0x04
	tcpACK = 0x10

	etherTypeIPv4 = 0x0800
	etherTypeIPv6 = 0x86dd
	etherTypeVLAN = 0x8100
	etherTypeQinQ = 0x88a8
	etherType9100 = 0x9100
)

// dissect decodes the link, IP and transport headers of data, captured on
// a link of type lt, into f.
func dissect(f *frame, data []byte, lt linktype.LinkType) {
	// Reset only what is read back: clearing the whole frame costs more
	// than decoding it.
	f.hasEth, f.nIP, f.tr, f.frag = false, 0, transport{}, fragment{}
	switch lt {
	case linktype.Ethernet:
		if len(data) < 14 {
			return
		}
		f.hasEth = true
		copy(f.ethDst[:], data[0:6])
		copy(f.ethSrc[:], data[6:12])
		et := binary.BigEndian.Uint16(data[12:])
		rest := data[14:]
		for (et == etherTypeVLAN || et == etherTypeQinQ || et == etherType9100) && len(rest) >= 4 {
			et = binary.BigEndian.Uint16(rest[2:])
			rest = rest[4:]
		}
		f.etherType(et, rest)
	case linktype.Raw:
		f.ip(data)
	case linktype.IPv4:
		// tshark's IPv4 dissector hands version 6 on to IPv6.
		f.ip(data)
	case linktype.IPv6:
		// but its IPv6 dissector takes nothing else.
		if len(data) > 0 && data[0]>>4 == 6 {
			f.ip(data)
		}
	case linktype.CHDLC:
		if len(data) >= 4 {
			f.etherType(binary.BigEndian.Uint16(data[2:]), data[4:])
		}
	case linktype.PPP, linktype.PPPHDLC:
		f.ppp(data)
	case linkTypeFrameRelay:
		f.frameRelay(data)
	case linkTypePKTAP:
		// Apple's PKTAP: a little-endian header length and the link
		// type of what follows.
		if len(data) >= 8 {
			n := int(binary.LittleEndian.Uint32(data))
			inner := linktype.LinkType(binary.LittleEndian.Uint32(data[4:]))
			if n >= 8 && n <= len(data) && inner != linkTypePKTAP {
				dissect(f, data[n:], inner)
				return
			}
		}
	case linktype.Null, linktype.Loop:
		if len(data) < 4 {
			return
		}
		fam := binary.LittleEndian.Uint32(data)
		if lt == linktype.Loop || fam > 0xffff {
			fam = binary.BigEndian.Uint32(data)
		}
		switch fam {
		case 2, 24, 28, 30:
			f.ip(data[4:])
		}
	case linktype.LinuxSLL:
		if len(data) >= 16 {
			f.etherType(binary.BigEndian.Uint16(data[14:]), data[16:])
		}
	case linktype.LinuxSLL2:
		if len(data) >= 20 {
			f.etherType(binary.BigEndian.Uint16(data[0:]), data[20:])
		}
	}
}

// Link types without a constant in package linktype.
const (
	linkTypeFrameRelay linktype.LinkType = 107
	linkTypePKTAP      linktype.LinkType = 258
)

// ppp decodes a PPP header (with or without HDLC address and control,
// with or without protocol field compression).
func (f *frame) ppp(b []byte) {
	if len(b) >= 2 && b[0] == 0xff && b[1] == 0x03 {
		b = b[2:]
	}
	if len(b) == 0 {
		return
	}
	proto := uint16(b[0])
	if b[0]&1 == 0 {
		if len(b) < 2 {
			return
		}
		proto, b = binary.BigEndian.Uint16(b), b[2:]
	} else {
		b = b[1:]
	}
	switch proto {
	case 0x0021:
		f.etherType(etherTypeIPv4, b)
	case 0x0057:
		f.etherType(etherTypeIPv6, b)
	}
}

// frameRelay decodes a Q.922 address and RFC 2427 encapsulation, or
// Cisco's (an EtherType straight after the address).
func (f *frame) frameRelay(b []byte) {
	if len(b) < 4 {
		return
	}
	if b[2] != 0x03 {
		f.etherType(binary.BigEndian.Uint16(b[2:]), b[4:])
		return
	}
	b = b[3:]
	if b[0] == 0 && len(b) > 1 { // padding before the NLPID
		b = b[1:]
	}
	switch b[0] {
	case 0xcc:
		f.etherType(etherTypeIPv4, b[1:])
	case 0x8e:
		f.etherType(etherTypeIPv6, b[1:])
	case 0x80: // SNAP: OUI then an EtherType
		if len(b) >= 6 {
			f.etherType(binary.BigEndian.Uint16(b[4:]), b[6:])
		}
	}
}

func (f *frame) etherType(et uint16, b []byte) {
	if et == etherTypeIPv4 || et == etherTypeIPv6 {
		f.ip(b)
	}
}

// ip decodes an IPv4 or IPv6 header and what it carries.
func (f *frame) ip(b []byte) {
	for depth := 0; depth < maxIPHeaders && len(b) > 0; depth++ {
		var proto uint8
		var payload []byte
		var ok bool
		switch b[0] >> 4 {
		case 4:
			proto, payload, ok = f.ipv4(b)
		case 6:
			proto, payload, ok = f.ipv6(b)
		}
		if !ok {
			return
		}
		switch proto {
		case ipProtoIPIP, ipProtoIPv6:
			b = payload
			continue
		case ipProtoPIM:
			// A PIM Register carries a multicast packet after its
			// 8-byte header; tshark counts the inner IP header too.
			if len(payload) >= 8 && payload[0] == 0x21 {
				b = payload[8:]
				continue
			}
		case ipProtoGRE:
			if inner, ok := greIP(payload); ok {
				b = inner
				continue
			}
		case ipProtoTCP, ipProtoUDP:
			f.transport(proto, payload)
		}
		return
	}
}

// greIP returns the IP packet a GRE packet carries.
func greIP(b []byte) ([]byte, bool) {
	if len(b) < 4 || b[1]&0x07 != 0 { // version 0 only
		return nil, false
	}
	n := 4
	if b[0]&0x80 != 0 { // checksum and reserved
		n += 4
	}
	if b[0]&0x20 != 0 { // key
		n += 4
	}
	if b[0]&0x10 != 0 { // sequence number
		n += 4
	}
	if len(b) <= n {
		return nil, false
	}
	switch binary.BigEndian.Uint16(b[2:]) {
	case etherTypeIPv4, etherTypeIPv6:
		return b[n:], true
	}
	return nil, false
}

func (f *frame) addIP(src, dst netip.Addr) {
	if f.nIP < maxIPHeaders {
		f.ips[f.nIP] = ipHeader{src, dst}
		f.nIP++
	}
}

func (f *frame) ipv4(b []byte) (proto uint8, payload []byte, ok bool) {
	if len(b) < 20 {
		return 0, nil, false
	}
	ihl := int(b[0]&0x0f) * 4
	total := int(binary.BigEndian.Uint16(b[2:]))
	if total == 0 {
		// TSO and BIG TCP leave the total length 0: the datagram is
		// what was captured.
		total = len(b)
	}
	if ihl < 20 || len(b) < ihl || total < ihl {
		return 0, nil, false
	}
	src := netip.AddrFrom4([4]byte(b[12:16]))
	dst := netip.AddrFrom4([4]byte(b[16:20]))
	f.addIP(src, dst)
	// tshark reassembles a fragment only when all of it was captured;
	// otherwise a first fragment is dissected as a whole datagram.
	whole := total <= len(b)
	if total < len(b) {
		b = b[:total]
	}
	proto = b[9]
	fl := binary.BigEndian.Uint16(b[6:])
	if off, mf := fl&0x1fff, fl&0x2000 != 0; (off != 0 || mf) && (whole || off != 0) {
		f.frag = fragment{is: true, first: off == 0, last: !mf, id: uint32(binary.BigEndian.Uint16(b[4:])), proto: proto, src: src, dst: dst}
		if off != 0 {
			return proto, nil, true
		}
	}
	return proto, b[ihl:], true
}

func (f *frame) ipv6(b []byte) (proto uint8, payload []byte, ok bool) {
	if len(b) < 40 {
		return 0, nil, false
	}
	src := netip.AddrFrom16([16]byte(b[8:24]))
	dst := netip.AddrFrom16([16]byte(b[24:40]))
	f.addIP(src, dst)
	plen := int(binary.BigEndian.Uint16(b[4:]))
	next := b[6]
	rest := b[40:]
	whole := plen <= len(rest)
	// A zero payload length announces a jumbogram only with a hop-by-hop
	// header; otherwise the payload is empty, as tshark reads it.
	if (plen != 0 || next != ipProtoHop) && plen < len(rest) {
		rest = rest[:plen]
	}
	for i := 0; i < 8; i++ {
		switch next {
		case ipProtoHop, ipProtoRoute, ipProtoDstOpt:
			if len(rest) < 8 {
				return next, nil, true
			}
			n := 8 + int(rest[1])*8
			if len(rest) < n {
				return next, nil, true
			}
			next, rest = rest[0], rest[n:]
		case ipProtoFrag6:
			if len(rest) < 8 {
				return next, nil, true
			}
			fl := binary.BigEndian.Uint16(rest[2:])
			off, mf := fl&0xfff8, fl&1 != 0
			next = rest[0]
			if !whole && off == 0 {
				rest = rest[8:]
				continue
			}
			f.frag = fragment{is: true, first: off == 0, last: !mf, id: binary.BigEndian.Uint32(rest[4:]), proto: next, src: src, dst: dst}
			if off != 0 {
				return next, nil, true
			}
			rest = rest[8:]
		default:
			return next, rest, true
		}
	}
	return next, nil, true
}

func (f *frame) transport(proto uint8, b []byte) {
	ip := f.ips[f.nIP-1]
	switch proto {
	case ipProtoTCP:
		if len(b) < 20 {
			return
		}
		f.tr.flags = b[13]
		f.tr.seq = binary.BigEndian.Uint32(b[4:])
	case ipProtoUDP:
		if len(b) < 8 {
			return
		}
	default:
		return
	}
	f.tr.proto = proto
	f.tr.src = netip.AddrPortFrom(ip.src, binary.BigEndian.Uint16(b[0:]))
	f.tr.dst = netip.AddrPortFrom(ip.dst, binary.BigEndian.Uint16(b[2:]))
}
