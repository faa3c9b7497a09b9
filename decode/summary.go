package decode

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// TimeFormat selects how Printer writes timestamps.
type TimeFormat int

// Timestamp formats, named after tcpdump's -t options.
const (
	// TimeOfDay is tcpdump's default: HH:MM:SS.ffffff.
	TimeOfDay TimeFormat = iota
	// TimeEpoch is tcpdump -tt: seconds since 1970 and a fraction.
	TimeEpoch
	// TimeDate is tcpdump -tttt: YYYY-MM-DD HH:MM:SS.ffffff.
	TimeDate
	// TimeNone is tcpdump -t: no timestamp.
	TimeNone
)

// HexMode selects the packet dump Printer adds after each summary line.
type HexMode int

// Dump modes, as tcpdump's -x and -X.
const (
	HexNone  HexMode = iota
	Hex              // -x: hex
	HexASCII         // -X: hex and ASCII
)

// Options configure a Printer. The zero value prints like tcpdump -n.
type Options struct {
	// Verbose is tcpdump's -v count: 1 adds IP header fields and checksum
	// verification.
	Verbose int
	// Time selects the timestamp format.
	Time TimeFormat
	// Location for TimeOfDay and TimeDate; nil means time.Local.
	Location *time.Location
	// Nano prints nine fraction digits instead of six.
	Nano bool
	// AbsoluteSeq prints TCP sequence numbers as they are (tcpdump -S)
	// instead of relative to the first ones seen in the conversation.
	AbsoluteSeq bool
	// Hex adds a hex dump of each packet after its line.
	Hex HexMode
	// HexLink includes the link-layer header in the dump (tcpdump -xx,
	// -XX); otherwise it starts at the network layer.
	HexLink bool
	// JSON writes one JSON object per line (see AppendJSON) instead of
	// tcpdump's format; the other options are then ignored.
	JSON bool
}

// Printer writes one line per packet in the format of tcpdump -n -r. It
// keeps the state tcpdump keeps: the first TCP sequence numbers of every
// conversation, to print later ones relative to them.
type Printer struct {
	w    *bufio.Writer
	opts Options
	buf  []byte
	seqs map[seqKey]seqBase
	// ifNames caches the local names of LINUX_SLL2 interface indexes.
	ifNames map[uint32]string
	frame   int
	// ttl is the IPv4 TTL or IPv6 hop limit of the packet being printed,
	// for protocol printers (printContext.ttl).
	ttl uint8
	// dissected is where the last protocol printer's text starts and ends
	// in the line being built, for AppendJSON.
	dissected [2]int
}

type seqKey struct {
	lo, hi     netip.Addr
	loPt, hiPt uint16
}

type seqBase struct{ lo, hi uint32 }

// NewPrinter returns a Printer writing to w. Call Flush when done.
func NewPrinter(w io.Writer, opts Options) *Printer {
	if opts.Location == nil {
		opts.Location = time.Local
	}
	return &Printer{w: bufio.NewWriterSize(w, 256<<10), opts: opts, seqs: make(map[seqKey]seqBase)}
}

// Flush writes buffered output.
func (p *Printer) Flush() error { return p.w.Flush() }

// Print decodes pkt as link type t and writes its line, and its hex dump
// when the options ask for one.
func (p *Printer) Print(pkt *pkt.Packet, t linktype.LinkType) error {
	p.frame++
	b := p.buf[:0]
	if p.opts.JSON {
		b = AppendJSON(b, p.frame, pkt, t)
		b = append(b, '\n')
		p.buf = b
		_, err := p.w.Write(b)
		return err
	}
	b = p.AppendTime(b, pkt.Timestamp)
	if f := linkPrinters[t]; f != nil {
		var linkLen int
		b, linkLen = f(p, b, pkt.Data, pkt.Length)
		return p.finishLine(b, pkt.Data, linkLen)
	}
	if _, ok := LinkDecoder(t); !ok {
		b = append(b, "link-type "...)
		b = append(b, t.Name()...)
		b = append(b, ", length "...)
		b = strconv.AppendInt(b, int64(pkt.Length), 10)
		b = AppendHex(b, pkt.Data)
		b = append(b, '\n')
		p.buf = b
		_, err := p.w.Write(b)
		return err
	}
	gp := NewPacket(pkt.Data, t)
	var linkLen int
	b, linkLen = p.AppendSummary(b, gp, pkt.Length)
	return p.finishLine(b, pkt.Data, linkLen)
}

// finishLine adds the hex dump the options ask for (from the network layer,
// linkLen bytes into data, unless HexLink) and writes the line.
func (p *Printer) finishLine(b, data []byte, linkLen int) error {
	if p.opts.Hex != HexNone {
		if !p.opts.HexLink {
			data = data[min(linkLen, len(data)):]
		}
		if p.opts.Hex == HexASCII {
			b = AppendHexASCII(b, data)
		} else {
			b = AppendHex(b, data)
		}
	}
	b = append(b, '\n')
	p.buf = b
	_, err := p.w.Write(b)
	return err
}

// AppendTime appends ts in the configured format, followed by a space.
func (p *Printer) AppendTime(b []byte, ts time.Time) []byte {
	digits := 6
	if p.opts.Nano {
		digits = 9
	}
	switch p.opts.Time {
	case TimeNone:
		return b
	case TimeEpoch:
		b = strconv.AppendInt(b, ts.Unix(), 10)
	case TimeDate:
		ts = ts.In(p.opts.Location)
		y, mo, d := ts.Date()
		b = appendPadded(b, y, 4)
		b = append(b, '-')
		b = appendPadded(b, int(mo), 2)
		b = append(b, '-')
		b = appendPadded(b, d, 2)
		b = append(b, ' ')
		b = appendClock(b, ts)
	default:
		b = appendClock(b, ts.In(p.opts.Location))
	}
	b = append(b, '.')
	frac := ts.Nanosecond()
	if digits == 6 {
		frac /= 1000
	}
	b = appendPadded(b, frac, digits)
	return append(b, ' ')
}

func appendClock(b []byte, ts time.Time) []byte {
	h, m, s := ts.Clock()
	b = appendPadded(b, h, 2)
	b = append(b, ':')
	b = appendPadded(b, m, 2)
	b = append(b, ':')
	return appendPadded(b, s, 2)
}

func appendPadded(b []byte, n, width int) []byte {
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], int64(n), 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// isLinkLayer reports whether tcpdump counts layer type t as part of the
// link-layer header that it neither prints without -e nor dumps without -xx.
func isLinkLayer(t gopacket.LayerType) bool {
	switch t {
	case layers.LayerTypeEthernet, layers.LayerTypeDot1Q, layers.LayerTypeLinuxSLL,
		LayerTypeLinuxSLL2, layers.LayerTypeLoopback, layers.LayerTypePFLog,
		layers.LayerTypePPP, layers.LayerTypePPPoE:
		return true
	}
	return false
}

// AppendSummary appends the tcpdump-style description of gp (without
// timestamp) and returns it with the length of the link-layer header.
// wireLen is the packet's original length.
func (p *Printer) AppendSummary(b []byte, gp gopacket.Packet, wireLen int) ([]byte, int) {
	ls := gp.Layers()
	linkLen := 0
	i := 0
	for ; i < len(ls) && isLinkLayer(ls[i].LayerType()); i++ {
		linkLen += len(ls[i].LayerContents())
	}
	rest := wireLen - linkLen
	if len(ls) > 0 {
		if sll2, ok := ls[0].(*LinuxSLL2); ok {
			b = p.appendSLL2Prefix(b, sll2)
		}
	}
	var next gopacket.Layer
	if i < len(ls) {
		next = ls[i]
	}
	if out, ok := p.appendLinkPayload(b, ls[:i], next, rest); ok {
		return out, linkLen
	}
	if i == len(ls) {
		return p.appendUnknownNetwork(b, ls, rest, wireLen), linkLen
	}
	switch l := ls[i].(type) {
	case *layers.IPv4:
		b = p.appendIPv4(b, l, ls[i+1:], rest)
	case *layers.IPv6:
		b = p.appendIPv6(b, l, ls[i+1:])
	case *gopacket.DecodeFailure:
		b = p.appendUnknownNetwork(b, ls[:i], rest, wireLen)
	default:
		b = append(b, l.LayerType().String()...)
		b = append(b, ", length "...)
		b = strconv.AppendInt(b, int64(rest), 10)
	}
	return b, linkLen
}

// sll2Directions are tcpdump's words for the LINUX_SLL2 packet types.
var sll2Directions = [...]string{
	layers.LinuxSLLPacketTypeHost:      "In",
	layers.LinuxSLLPacketTypeBroadcast: "B",
	layers.LinuxSLLPacketTypeMulticast: "M",
	layers.LinuxSLLPacketTypeOtherhost: "P",
	layers.LinuxSLLPacketTypeOutgoing:  "Out",
}

// appendSLL2Prefix appends what tcpdump 4.99 prints first on a LINUX_SLL2
// line: the interface name padded to 5 and the direction padded to 3. Like
// tcpdump, it names the interface index as this machine does
// (if_indextoname), "?" when no interface has it.
func (p *Printer) appendSLL2Prefix(b []byte, h *LinuxSLL2) []byte {
	name, ok := p.ifNames[h.InterfaceIndex]
	if !ok {
		name = "?"
		if ifi, err := net.InterfaceByIndex(int(h.InterfaceIndex)); err == nil && h.InterfaceIndex != 0 {
			name = ifi.Name
		}
		if p.ifNames == nil {
			p.ifNames = make(map[uint32]string)
		}
		p.ifNames[h.InterfaceIndex] = name
	}
	dir := "?"
	if int(h.PacketType) < len(sll2Directions) && sll2Directions[h.PacketType] != "" {
		dir = sll2Directions[h.PacketType]
	}
	b = appendLeft(b, name, 5)
	b = append(b, ' ')
	b = appendLeft(b, dir, 3)
	return append(b, ' ')
}

// appendLeft appends s left-aligned in a field of width characters.
func appendLeft(b []byte, s string, width int) []byte {
	b = append(b, s...)
	for n := len(s); n < width; n++ {
		b = append(b, ' ')
	}
	return b
}

// appendUnknownNetwork describes a packet whose network layer gopacket does
// not decode, naming the EtherType when there is one.
func (p *Printer) appendUnknownNetwork(b []byte, link []gopacket.Layer, rest, wireLen int) []byte {
	et, found := linkEtherType(link)
	if len(link) > 0 && found {
		if eth, ok := link[0].(*layers.Ethernet); ok {
			return p.appendUnknownEtherType(b, eth, et, link[len(link)-1].LayerPayload(), wireLen)
		}
	}
	if found {
		b = append(b, "ethertype 0x"...)
		b = appendHex16(b, uint16(et))
	} else {
		b = append(b, "unknown"...)
	}
	b = append(b, ", length "...)
	return strconv.AppendInt(b, int64(rest), 10)
}

func appendHex16(b []byte, v uint16) []byte {
	const digits = "0123456789abcdef"
	return append(b, digits[v>>12], digits[v>>8&15], digits[v>>4&15], digits[v&15])
}

func appendIP(b []byte, ip []byte) []byte {
	a, ok := netip.AddrFromSlice(ip)
	if !ok {
		return append(b, '?')
	}
	return a.Unmap().AppendTo(b)
}

// ipProtoNames are tcpdump's names for IP protocols in -v output.
var ipProtoNames = map[layers.IPProtocol]string{
	0: "Options", 1: "ICMP", 2: "IGMP", 4: "IPIP", 6: "TCP", 17: "UDP", 41: "IPv6",
	43: "Routing", 44: "frag", 47: "GRE", 50: "ESP", 51: "AH", 58: "ICMPv6", 59: "NONE",
	60: "DSTOPT", 89: "OSPF", 103: "PIM", 112: "VRRP", 132: "SCTP",
}

func protoName(p layers.IPProtocol) string {
	if n, ok := ipProtoNames[p]; ok {
		return n
	}
	return "unknown"
}

// appendIPv4 appends the IPv4 part of a line; avail is how many bytes of
// the frame's original length follow the link-layer header.
func (p *Printer) appendIPv4(b []byte, ip *layers.IPv4, next []gopacket.Layer, avail int) []byte {
	b = append(b, "IP "...)
	// gopacket replaces a zero total length (TCP segmentation offload) by
	// the data's; tcpdump 4.99 reports the header's value.
	if len(ip.Contents) >= 4 {
		if raw := binary.BigEndian.Uint16(ip.Contents[2:]); int(raw) < int(ip.IHL)*4 {
			b = append(b, "bad-len "...)
			return strconv.AppendUint(b, uint64(raw), 10)
		}
	}
	if int(ip.Length) > avail {
		b = append(b, "truncated-ip - "...)
		b = strconv.AppendInt(b, int64(int(ip.Length)-avail), 10)
		b = append(b, " bytes missing! "...)
	}
	if p.opts.Verbose > 0 {
		b = append(b, "(tos 0x"...)
		b = strconv.AppendUint(b, uint64(ip.TOS), 16)
		switch ip.TOS & 3 {
		case 1:
			b = append(b, ",ECT(1)"...)
		case 2:
			b = append(b, ",ECT(0)"...)
		case 3:
			b = append(b, ",CE"...)
		}
		b = append(b, ", ttl "...)
		b = strconv.AppendUint(b, uint64(ip.TTL), 10)
		b = append(b, ", id "...)
		b = strconv.AppendUint(b, uint64(ip.Id), 10)
		b = append(b, ", offset "...)
		b = strconv.AppendUint(b, uint64(ip.FragOffset)*8, 10)
		b = append(b, ", flags ["...)
		n := 0
		for _, f := range []struct {
			bit  layers.IPv4Flag
			name string
		}{{layers.IPv4MoreFragments, "+"}, {layers.IPv4DontFragment, "DF"}, {layers.IPv4EvilBit, "rsvd"}} {
			if ip.Flags&f.bit != 0 {
				if n > 0 {
					b = append(b, ", "...)
				}
				b = append(b, f.name...)
				n++
			}
		}
		if n == 0 {
			b = append(b, "none"...)
		}
		b = append(b, "], proto "...)
		b = append(b, protoName(ip.Protocol)...)
		b = append(b, " ("...)
		b = strconv.AppendUint(b, uint64(ip.Protocol), 10)
		b = append(b, "), length "...)
		b = strconv.AppendUint(b, uint64(ip.Length), 10)
		if hdr := ip.Contents; len(hdr) > 20 {
			b = append(b, ", options ("...)
			b = appendIPv4Options(b, hdr[20:])
			b = append(b, ')')
		}
		if hdr := ip.Contents; len(hdr) >= 20 && len(hdr) == int(ip.IHL)*4 {
			if sum := fold(checksumAdd(0, hdr)); sum != 0xffff {
				b = append(b, ", bad cksum "...)
				b = strconv.AppendUint(b, uint64(ip.Checksum), 16)
				b = append(b, " (->"...)
				b = strconv.AppendUint(b, uint64(shouldBe(ip.Checksum, sum)), 16)
				b = append(b, ")!"...)
			}
		}
		b = append(b, ")\n    "...)
	}
	src, _ := netip.AddrFromSlice(ip.SrcIP.To4())
	dst, _ := netip.AddrFromSlice(ip.DstIP.To4())
	l4len := int(ip.Length) - int(ip.IHL)*4
	if ip.FragOffset != 0 {
		b = src.AppendTo(b)
		b = append(b, " > "...)
		b = dst.AppendTo(b)
		b = append(b, ": ip-proto-"...)
		return strconv.AppendUint(b, uint64(ip.Protocol), 10)
	}
	pseudo := ipv4Pseudo(ip)
	p.ttl = ip.TTL
	return p.appendTransport(b, src, dst, ip.Protocol, l4len, ip.Payload, next, pseudo, ip.Flags&layers.IPv4MoreFragments != 0, "")
}

func (p *Printer) appendIPv6(b []byte, ip *layers.IPv6, next []gopacket.Layer) []byte {
	b = append(b, "IP6 "...)
	l4len := int(ip.Length)
	proto := ip.NextHeader
	i := 0
	fragmented := false
	ext := ""
	for ; i < len(next); i++ {
		switch l := next[i].(type) {
		case *layers.IPv6HopByHop:
			proto = l.NextHeader
			ext = "HBH "
		case *layers.IPv6Destination:
			proto = l.NextHeader
		case *layers.IPv6Routing:
			proto = l.NextHeader
		case *layers.IPv6Fragment:
			proto = l.NextHeader
			fragmented = true
		default:
			goto done
		}
		l4len -= len(next[i].LayerContents())
	}
done:
	if i != 1 {
		ext = "" // tcpdump's wording is reproduced for a lone hop-by-hop header only
	}
	if p.opts.Verbose > 0 {
		b = append(b, '(')
		if ip.TrafficClass != 0 {
			b = append(b, "class 0x"...)
			if ip.TrafficClass < 16 {
				b = append(b, '0')
			}
			b = strconv.AppendUint(b, uint64(ip.TrafficClass), 16)
			b = append(b, ", "...)
		}
		if ip.FlowLabel != 0 {
			b = append(b, "flowlabel 0x"...)
			s := strconv.FormatUint(uint64(ip.FlowLabel), 16)
			for j := len(s); j < 5; j++ {
				b = append(b, '0')
			}
			b = append(b, s...)
			b = append(b, ", "...)
		}
		b = append(b, "hlim "...)
		b = strconv.AppendUint(b, uint64(ip.HopLimit), 10)
		b = append(b, ", next-header "...)
		b = append(b, protoName(ip.NextHeader)...)
		b = append(b, " ("...)
		b = strconv.AppendUint(b, uint64(ip.NextHeader), 10)
		b = append(b, ") payload length: "...)
		b = strconv.AppendUint(b, uint64(ip.Length), 10)
		b = append(b, ") "...)
	}
	src, _ := netip.AddrFromSlice(ip.SrcIP.To16())
	dst, _ := netip.AddrFromSlice(ip.DstIP.To16())
	l4data := ip.Payload
	if i > 0 {
		l4data = next[i-1].LayerPayload()
	}
	p.ttl = ip.HopLimit
	return p.appendTransport(b, src, dst, proto, l4len, l4data, next[i:], ipv6Pseudo(ip), fragmented, ext)
}

// appendTransport appends "src.port > dst.port: ..." for TCP and UDP and
// "src > dst: ..." for other protocols. l4len is the transport length the
// IP header claims; l4data, when known, the bytes after the IP header, for
// transports gopacket decodes without keeping their bytes (IGMP). ext names
// the IPv6 extension header before the transport ("HBH "): tcpdump then
// prints the addresses, the header, and the ports alone.
func (p *Printer) appendTransport(b []byte, src, dst netip.Addr, proto layers.IPProtocol, l4len int, l4data []byte, next []gopacket.Layer, pseudo pseudoHeader, fragmented bool, ext string) []byte {
	var l gopacket.Layer
	if len(next) > 0 {
		l = next[0]
	}
	if proto == layers.IPProtocolUDP && len(l4data) >= 8 {
		if _, ok := l.(*layers.UDP); !ok {
			l = udpHeader(l4data) // gopacket rejects UDP lengths tcpdump still reads
		}
	}
	if proto == layers.IPProtocolTCP && len(l4data) >= 20 {
		if _, ok := l.(*layers.TCP); !ok {
			// gopacket leaves first fragments undecoded; tcpdump reads
			// their TCP header.
			if t := (&layers.TCP{}); t.DecodeFromBytes(l4data, gopacket.NilDecodeFeedback) == nil {
				l = t
			}
		}
	}
	switch l := l.(type) {
	case *layers.TCP:
		b = appendPorts(b, src, dst, uint16(l.SrcPort), uint16(l.DstPort), ext)
		return p.appendTCP(b, src, dst, l, l4len, pseudo, fragmented)
	case *layers.UDP:
		b = appendPorts(b, src, dst, uint16(l.SrcPort), uint16(l.DstPort), ext)
		// tcpdump checks UDP checksums from -v over IPv6, where they are
		// mandatory, but over IPv4 only from -vv.
		if !fragmented && (p.opts.Verbose > 1 || p.opts.Verbose > 0 && pseudo.v6) {
			b = appendUDPChecksum(b, l, l4len, pseudo)
		}
		if !fragmented && dnsPortsOK(uint16(l.SrcPort), uint16(l.DstPort)) && int(l.Length) >= 8 {
			payload := l.Payload[:min(len(l.Payload), int(l.Length)-8)]
			if out, ok := p.appendDNS(b, payload, int(l.Length)-8); ok {
				return out
			}
		}
		// Like tcpdump, the first fragment of a datagram is dissected too,
		// up to the shorter of the UDP and IP lengths.
		if f, ok := portLookup(udpPortPrinters, uint16(l.SrcPort), uint16(l.DstPort)); ok && int(l.Length) >= 8 {
			n := min(int(l.Length), l4len) - 8
			c := &printContext{data: l.Payload[:max(0, min(len(l.Payload), n))], length: n,
				src: src, dst: dst, sport: uint16(l.SrcPort), dport: uint16(l.DstPort), ttl: p.ttl}
			if out, ok := p.printRegistered(b, f, c); ok {
				return out
			}
		}
		b = append(b, "UDP, length "...)
		return strconv.AppendInt(b, int64(l.Length)-8, 10)
	}
	b = src.AppendTo(b)
	b = append(b, " > "...)
	b = dst.AppendTo(b)
	b = append(b, ": "...)
	b = append(b, ext...)
	if f := ipProtoPrinters[uint8(proto)]; f != nil {
		c := &printContext{data: l4data[:min(len(l4data), max(l4len, 0))], length: l4len, src: src, dst: dst, ttl: p.ttl}
		if out, ok := p.printRegistered(b, f, c); ok {
			return out
		}
	}
	switch l := l.(type) {
	case *layers.IPSecESP:
		b = append(b, "ESP(spi=0x"...)
		b = fmt.Appendf(b, "%08x", l.SPI)
		b = append(b, ",seq=0x"...)
		b = strconv.AppendUint(b, uint64(l.Seq), 16)
		b = append(b, "), length "...)
		return strconv.AppendInt(b, int64(l4len), 10)
	case *layers.ICMPv4:
		return appendICMPv4(b, l, l4len)
	case *layers.IGMP, *layers.IGMPv1or2:
		if len(l4data) >= max(l4len, 0) {
			if out, ok := p.appendIGMP(b, l4data[:max(l4len, 0)]); ok {
				return out
			}
		}
	case *layers.ICMPv6:
		return appendICMPv6(b, l, next[1:], l4len)
	}
	b = append(b, " ip-proto-"...)
	b = strconv.AppendUint(b, uint64(proto), 10)
	b = append(b, ' ')
	return strconv.AppendInt(b, int64(l4len), 10)
}

// appendPorts appends "src.sport > dst.dport: ", or with an extension header
// "src > dst: EXT sport > dport: ".
func appendPorts(b []byte, src, dst netip.Addr, sport, dport uint16, ext string) []byte {
	if ext == "" {
		b = appendEndpoint(b, src, sport)
		b = append(b, " > "...)
		b = appendEndpoint(b, dst, dport)
		return append(b, ": "...)
	}
	b = src.AppendTo(b)
	b = append(b, " > "...)
	b = dst.AppendTo(b)
	b = append(b, ": "...)
	b = append(b, ext...)
	b = strconv.AppendUint(b, uint64(sport), 10)
	b = append(b, " > "...)
	b = strconv.AppendUint(b, uint64(dport), 10)
	return append(b, ": "...)
}

func appendEndpoint(b []byte, a netip.Addr, port uint16) []byte {
	b = a.AppendTo(b)
	b = append(b, '.')
	return strconv.AppendUint(b, uint64(port), 10)
}

// TCPFlags returns the flags of t in tcpdump's notation: S (SYN), F (FIN),
// P (PSH), R (RST), U (URG), W (CWR), E (ECE), "." for ACK, "none" for
// none, in the order tcpdump prints them.
func TCPFlags(t *layers.TCP) string {
	var buf [9]byte
	return string(appendTCPFlags(buf[:0], t))
}

func appendTCPFlags(b []byte, t *layers.TCP) []byte {
	n := len(b)
	if t.FIN {
		b = append(b, 'F')
	}
	if t.SYN {
		b = append(b, 'S')
	}
	if t.RST {
		b = append(b, 'R')
	}
	if t.PSH {
		b = append(b, 'P')
	}
	if t.ACK {
		b = append(b, '.')
	}
	if t.URG {
		b = append(b, 'U')
	}
	if t.ECE {
		b = append(b, 'E')
	}
	if t.CWR {
		b = append(b, 'W')
	}
	// tcpdump 4.99 shows no letter for the NS (AccECN AE) bit.
	if len(b) == n {
		b = append(b, "none"...)
	}
	return b
}

func (p *Printer) appendTCP(b []byte, src, dst netip.Addr, t *layers.TCP, l4len int, pseudo pseudoHeader, fragmented bool) []byte {
	b = append(b, "Flags ["...)
	b = appendTCPFlags(b, t)
	b = append(b, ']')
	seq, ack := t.Seq, t.Ack
	var base seqBase
	rev := false
	if !p.opts.AbsoluteSeq && t.ACK {
		sp, dp := uint16(t.SrcPort), uint16(t.DstPort)
		rev = sp > dp || (sp == dp && dst.Less(src))
		k := seqKey{lo: src, hi: dst, loPt: sp, hiPt: dp}
		if rev {
			k = seqKey{lo: dst, hi: src, loPt: dp, hiPt: sp}
		}
		old, found := p.seqs[k]
		if !found || t.SYN {
			if rev {
				base = seqBase{lo: ack - 1, hi: seq}
			} else {
				base = seqBase{lo: seq, hi: ack - 1}
			}
			p.seqs[k] = base
		} else {
			base = old
			if rev {
				seq -= base.hi
				ack -= base.lo
			} else {
				seq -= base.lo
				ack -= base.hi
			}
		}
	}
	hlen := int(t.DataOffset) * 4
	length := l4len - hlen
	if p.opts.Verbose > 0 && !fragmented && len(t.Contents)+len(t.Payload) >= l4len && l4len >= hlen {
		b = append(b, ", cksum 0x"...)
		b = appendHex16(b, t.Checksum)
		sum := pseudo.sum(layers.IPProtocolTCP, l4len)
		sum = checksumAdd(sum, t.Contents)
		sum = checksumAdd(sum, t.Payload[:l4len-len(t.Contents)])
		if fold(sum) == 0xffff {
			b = append(b, " (correct)"...)
		} else {
			b = append(b, " (incorrect -> 0x"...)
			b = appendHex16(b, shouldBe(t.Checksum, fold(sum)))
			b = append(b, ')')
		}
	}
	if p.opts.Verbose > 1 || length > 0 || t.SYN || t.FIN || t.RST {
		b = append(b, ", seq "...)
		b = strconv.AppendUint(b, uint64(seq), 10)
		if length > 0 {
			b = append(b, ':')
			b = strconv.AppendUint(b, uint64(seq+uint32(length)), 10)
		}
	}
	if t.ACK {
		b = append(b, ", ack "...)
		b = strconv.AppendUint(b, uint64(ack), 10)
	}
	b = append(b, ", win "...)
	b = strconv.AppendUint(b, uint64(t.Window), 10)
	if t.URG {
		b = append(b, ", urg "...)
		b = strconv.AppendUint(b, uint64(t.Urgent), 10)
	}
	if opts := t.Contents[min(20, len(t.Contents)):]; len(opts) > 0 {
		var ok bool
		if b, ok = appendTCPOptions(b, opts, tcpSegmentFlags{syn: t.SYN, ack: t.ACK}, rev, base); !ok {
			return b
		}
	}
	b = append(b, ", length "...)
	b = strconv.AppendInt(b, int64(length), 10)
	if t.RST && p.opts.Verbose > 0 && length > 0 {
		return appendTCPResetData(b, t.Payload, length)
	}
	if length > 0 {
		if f, ok := portLookup(tcpPortPrinters, uint16(t.SrcPort), uint16(t.DstPort)); ok {
			c := &printContext{data: t.Payload[:min(len(t.Payload), length)], length: length,
				src: src, dst: dst, sport: uint16(t.SrcPort), dport: uint16(t.DstPort), ttl: p.ttl}
			b, _ = p.printRegistered(b, f, c)
		}
	}
	return b
}

func appendUDPChecksum(b []byte, u *layers.UDP, l4len int, pseudo pseudoHeader) []byte {
	if u.Checksum == 0 && !pseudo.v6 {
		return append(b, "[no cksum] "...)
	}
	if len(u.Contents)+len(u.Payload) < int(u.Length) || int(u.Length) < 8 {
		return b
	}
	sum := pseudo.sum(layers.IPProtocolUDP, int(u.Length))
	sum = checksumAdd(sum, u.Contents)
	sum = checksumAdd(sum, u.Payload[:int(u.Length)-8])
	if fold(sum) == 0xffff {
		return append(b, "[udp sum ok] "...)
	}
	b = append(b, "[bad udp cksum 0x"...)
	b = appendHex16(b, u.Checksum)
	b = append(b, " -> 0x"...)
	b = appendHex16(b, shouldBe(u.Checksum, fold(sum)))
	return append(b, "!] "...)
}

func appendICMPv4(b []byte, c *layers.ICMPv4, l4len int) []byte {
	b = append(b, "ICMP "...)
	b = appendICMPv4Message(b, c)
	b = append(b, ", length "...)
	return strconv.AppendInt(b, int64(l4len), 10)
}

// icmpTypes are tcpdump's names of the ICMP types it prints without
// further detail.
var icmpTypes = map[uint8]string{
	3: "dest unreachable", 4: "source quench", 5: "redirect", 9: "router advertisement",
	10: "router solicitation", 11: "time exceeded", 12: "parameter problem",
	13: "time stamp request", 14: "time stamp reply", 15: "information request",
	16: "information reply", 17: "address mask request", 18: "address mask reply",
}

// icmpUnreachable are tcpdump's texts for destination-unreachable codes
// other than protocol, port and need-to-fragment; %s is the destination.
var icmpUnreachable = map[uint8]string{
	0: "net %s unreachable", 1: "host %s unreachable", 5: "%s unreachable - source route failed",
	6: "net %s unreachable - unknown", 7: "host %s unreachable - unknown",
	8: "%s unreachable - source host isolated", 9: "net %s unreachable - admin prohibited",
	10: "host %s unreachable - admin prohibited", 11: "net %s unreachable - tos prohibited",
	12: "host %s unreachable - tos prohibited", 13: "host %s unreachable - admin prohibited filter",
	14: "host %s unreachable - host precedence violation", 15: "host %s unreachable - precedence cutoff",
}

// icmpRedirects are tcpdump's redirect texts: the redirected destination,
// then the gateway.
var icmpRedirects = map[uint8]string{0: "redirect %s to net %s", 1: "redirect %s to host %s",
	2: "redirect-tos %s to net %s", 3: "redirect-tos %s to host %s"}

// appendICMPv4Message appends what tcpdump's icmp_print says of c, for the
// types it details; the embedded datagram of error messages names the
// destination (and the port) concerned.
func appendICMPv4Message(b []byte, c *layers.ICMPv4) []byte {
	typ, code := c.TypeCode.Type(), c.TypeCode.Code()
	rest := uint32(c.Id)<<16 | uint32(c.Seq)
	inner := c.Payload // the original datagram's header and first bytes
	var dst netip.Addr
	var proto uint8
	var ports []byte
	if len(inner) >= 20 && inner[0]>>4 == 4 {
		dst = netip.AddrFrom4([4]byte(inner[16:20]))
		proto = inner[9]
		if hl := int(inner[0]&15) * 4; hl >= 20 && len(inner) >= hl+4 {
			ports = inner[hl : hl+4]
		}
	}
	subst := func(format string, args ...string) []byte {
		for _, a := range args {
			k := strings.Index(format, "%s")
			b = append(b, format[:k]...)
			b = append(b, a...)
			format = format[k+2:]
		}
		return append(b, format...)
	}
	switch typ {
	case layers.ICMPv4TypeEchoRequest, layers.ICMPv4TypeEchoReply:
		if typ == layers.ICMPv4TypeEchoRequest {
			b = append(b, "echo request"...)
		} else {
			b = append(b, "echo reply"...)
		}
		b = append(b, ", id "...)
		b = strconv.AppendUint(b, uint64(c.Id), 10)
		b = append(b, ", seq "...)
		return strconv.AppendUint(b, uint64(c.Seq), 10)
	case layers.ICMPv4TypeDestinationUnreachable:
		if !dst.IsValid() {
			break
		}
		switch code {
		case 2:
			b = dst.AppendTo(b)
			b = append(b, " protocol "...)
			b = strconv.AppendUint(b, uint64(proto), 10)
			return append(b, " unreachable"...)
		case 3:
			if ports == nil {
				break
			}
			port := uint64(binary.BigEndian.Uint16(ports[2:]))
			b = dst.AppendTo(b)
			switch proto {
			case 6:
				b = append(b, " tcp port "...)
			case 17:
				b = append(b, " udp port "...)
			default:
				b = append(b, " protocol "...)
				b = strconv.AppendUint(b, uint64(proto), 10)
				b = append(b, " port "...)
			}
			b = strconv.AppendUint(b, port, 10)
			return append(b, " unreachable"...)
		case 4:
			b = dst.AppendTo(b)
			b = append(b, " unreachable - need to frag"...)
			if mtu := rest & 0xffff; mtu != 0 {
				b = append(b, " (mtu "...)
				b = strconv.AppendUint(b, uint64(mtu), 10)
				b = append(b, ')')
			}
			return b
		}
		if f, ok := icmpUnreachable[code]; ok {
			return subst(f, dst.String())
		}
		b = append(b, '#')
		b = strconv.AppendUint(b, uint64(code), 10)
		b = append(b, ' ')
		b = dst.AppendTo(b)
		return append(b, " unreachable"...)
	case layers.ICMPv4TypeRedirect:
		if !dst.IsValid() {
			break
		}
		gw := netip.AddrFrom4([4]byte{byte(rest >> 24), byte(rest >> 16), byte(rest >> 8), byte(rest)}).String()
		if f, ok := icmpRedirects[code]; ok {
			return subst(f, dst.String(), gw)
		}
		b = append(b, "redirect-#"...)
		b = strconv.AppendUint(b, uint64(code), 10)
		return subst(" %s to %s", dst.String(), gw)
	case layers.ICMPv4TypeTimeExceeded:
		switch code {
		case 0:
			return append(b, "time exceeded in-transit"...)
		case 1:
			return append(b, "ip reassembly time exceeded"...)
		}
		b = append(b, "time exceeded-#"...)
		return strconv.AppendUint(b, uint64(code), 10)
	case layers.ICMPv4TypeParameterProblem:
		if code != 0 {
			b = append(b, "parameter problem - code "...)
			return strconv.AppendUint(b, uint64(code), 10)
		}
		b = append(b, "parameter problem - octet "...)
		return strconv.AppendUint(b, uint64(rest>>24), 10)
	case layers.ICMPv4TypeAddressMaskReply:
		if len(inner) >= 4 {
			b = append(b, "address mask is 0x"...)
			return fmt.Appendf(b, "%08x", binary.BigEndian.Uint32(inner))
		}
	}
	if name, ok := icmpTypes[typ]; ok {
		return append(b, name...)
	}
	b = append(b, "type-#"...)
	return strconv.AppendUint(b, uint64(typ), 10)
}

func appendICMPv6(b []byte, c *layers.ICMPv6, next []gopacket.Layer, l4len int) []byte {
	b = append(b, "ICMP6, "...)
	switch c.TypeCode.Type() {
	case layers.ICMPv6TypeEchoRequest, layers.ICMPv6TypeEchoReply:
		if c.TypeCode.Type() == layers.ICMPv6TypeEchoRequest {
			b = append(b, "echo request"...)
		} else {
			b = append(b, "echo reply"...)
		}
		if len(next) > 0 {
			if e, ok := next[0].(*layers.ICMPv6Echo); ok {
				b = append(b, ", id "...)
				b = strconv.AppendUint(b, uint64(e.Identifier), 10)
				b = append(b, ", seq "...)
				b = strconv.AppendUint(b, uint64(e.SeqNumber), 10)
			}
		}
	case layers.ICMPv6TypeNeighborSolicitation:
		b = append(b, "neighbor solicitation"...)
		if len(next) > 0 {
			if ns, ok := next[0].(*layers.ICMPv6NeighborSolicitation); ok {
				b = append(b, ", who has "...)
				b = appendIP(b, ns.TargetAddress)
			}
		}
	case layers.ICMPv6TypeNeighborAdvertisement:
		b = append(b, "neighbor advertisement"...)
		if len(next) > 0 {
			if na, ok := next[0].(*layers.ICMPv6NeighborAdvertisement); ok {
				b = append(b, ", tgt is "...)
				b = appendIP(b, na.TargetAddress)
			}
		}
	case layers.ICMPv6TypeMLDv1MulticastListenerReportMessage, layers.ICMPv6TypeMLDv1MulticastListenerDoneMessage:
		if c.TypeCode.Type() == layers.ICMPv6TypeMLDv1MulticastListenerReportMessage {
			b = append(b, "multicast listener report"...)
		} else {
			b = append(b, "multicast listener done"...)
		}
		if d := c.Payload; len(d) >= 20 {
			b = append(b, " max resp delay: "...)
			b = strconv.AppendUint(b, uint64(binary.BigEndian.Uint16(d)), 10)
			b = append(b, " addr: "...)
			b = netip.AddrFrom16([16]byte(d[4:20])).AppendTo(b)
		}
	case layers.ICMPv6TypeMLDv2MulticastListenerReportMessageV2:
		b = append(b, "multicast listener report v2"...)
		if d := c.Payload; len(d) >= 4 {
			b = append(b, ", "...)
			b = strconv.AppendUint(b, uint64(binary.BigEndian.Uint16(d[2:])), 10)
			b = append(b, " group record(s)"...)
		}
	case layers.ICMPv6TypeRouterSolicitation:
		b = append(b, "router solicitation"...)
	case layers.ICMPv6TypeRouterAdvertisement:
		b = append(b, "router advertisement"...)
	default:
		if t := c.TypeCode.Type(); t >= 5 && t < 128 || t > 153 { // outside tcpdump's icmp6 type table
			b = append(b, "unknown icmp6 type ("...)
			b = strconv.AppendUint(b, uint64(t), 10)
			b = append(b, ')')
			break
		}
		b = append(b, c.TypeCode.String()...)
	}
	b = append(b, ", length "...)
	return strconv.AppendInt(b, int64(l4len), 10)
}

// pseudoHeader holds what the TCP/UDP checksum covers of the IP header.
type pseudoHeader struct {
	v6       bool
	src, dst [16]byte
}

func ipv4Pseudo(ip *layers.IPv4) pseudoHeader {
	var ph pseudoHeader
	copy(ph.src[:], ip.SrcIP.To4())
	copy(ph.dst[:], ip.DstIP.To4())
	return ph
}

func ipv6Pseudo(ip *layers.IPv6) pseudoHeader {
	ph := pseudoHeader{v6: true}
	copy(ph.src[:], ip.SrcIP.To16())
	copy(ph.dst[:], ip.DstIP.To16())
	return ph
}

func (ph pseudoHeader) sum(proto layers.IPProtocol, length int) uint32 {
	n := 4
	if ph.v6 {
		n = 16
	}
	s := checksumAdd(0, ph.src[:n])
	s = checksumAdd(s, ph.dst[:n])
	return s + uint32(proto) + uint32(length&0xffff) + uint32(length>>16)
}

// checksumAdd adds b to a one's-complement sum; b must start at an even
// offset of the checksummed data unless it is the last piece.
func checksumAdd(sum uint32, b []byte) uint32 {
	for len(b) >= 2 {
		sum += uint32(b[0])<<8 | uint32(b[1])
		b = b[2:]
	}
	if len(b) == 1 {
		sum += uint32(b[0]) << 8
	}
	return sum
}

func fold(sum uint32) uint16 {
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	return uint16(sum)
}

// shouldBe is the checksum the field should have held, as tcpdump's
// in_cksum_shouldbe computes it (RFC 1624).
func shouldBe(field, folded uint16) uint16 {
	// The sum without the field is folded minus field in one's
	// complement; the right field is the complement of that.
	without := uint32(folded) + uint32(^field)
	return ^fold(without)
}

// appendIGMP appends tcpdump's description of the IGMP message msg (the
// whole IP payload), or reports false for types it leaves to the generic
// "ip-proto-2" line.
func (p *Printer) appendIGMP(b []byte, msg []byte) ([]byte, bool) {
	if len(msg) < 8 {
		return b, false
	}
	group := netip.AddrFrom4([4]byte(msg[4:8]))
	switch msg[0] {
	case 0x11:
		b = append(b, "igmp query"...)
		mrc := uint32(msg[1])
		if len(msg) >= 12 {
			b = append(b, " v3"...)
			mrt := mrc
			if mrc >= 128 {
				mrt = (mrc&0x0f | 0x10) << ((mrc&0x70)>>4 + 3)
			}
			if mrc != 100 {
				b = append(b, " [max resp time "...)
				if mrt < 600 {
					b = fmt.Appendf(b, "%.1fs", float64(mrt)*0.1)
				} else {
					b = appendRelTime(b, mrt/10)
				}
				b = append(b, ']')
			}
			if !group.IsUnspecified() {
				b = append(b, " [gaddr "...)
				b = group.AppendTo(b)
				b = append(b, ']')
			}
			if n := binary.BigEndian.Uint16(msg[10:]); n > 0 {
				return b, false // tcpdump lists the sources; not reproduced
			}
			break
		}
		if mrc == 0 {
			b = append(b, " v1"...)
		} else {
			b = append(b, " v2"...)
			if mrc != 100 {
				b = fmt.Appendf(b, " [max resp time %d]", mrc)
			}
		}
		if !group.IsUnspecified() {
			b = append(b, " [gaddr "...)
			b = group.AppendTo(b)
			b = append(b, ']')
		}
		if len(msg) != 8 {
			b = fmt.Appendf(b, " [len %d]", len(msg))
		}
	case 0x12:
		b = append(b, "igmp v1 report "...)
		b = group.AppendTo(b)
		if len(msg) != 8 {
			b = fmt.Appendf(b, " [len %d]", len(msg))
		}
	case 0x16:
		b = append(b, "igmp v2 report "...)
		b = group.AppendTo(b)
	case 0x17:
		b = append(b, "igmp leave "...)
		b = group.AppendTo(b)
	case 0x22:
		b = append(b, "igmp v3 report, "...)
		b = strconv.AppendUint(b, uint64(binary.BigEndian.Uint16(msg[6:])), 10)
		b = append(b, " group record(s)"...)
	default:
		return b, false
	}
	if p.opts.Verbose > 0 && fold(checksumAdd(0, msg)) != 0xffff {
		b = append(b, " bad igmp cksum "...)
		b = strconv.AppendUint(b, uint64(binary.BigEndian.Uint16(msg[2:])), 16)
		b = append(b, '!')
	}
	return b, true
}

// appendRelTime appends a duration in seconds as tcpdump's
// unsigned_relts_print does ("51m12s", "1h", "0s").
func appendRelTime(b []byte, secs uint32) []byte {
	if secs == 0 {
		return append(b, "0s"...)
	}
	units := []struct {
		n    uint32
		name byte
	}{{31536000, 'y'}, {604800, 'w'}, {86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'}}
	for _, u := range units {
		if secs >= u.n {
			b = strconv.AppendUint(b, uint64(secs/u.n), 10)
			b = append(b, u.name)
			secs %= u.n
		}
	}
	return b
}

// ipOptionNames are tcpdump's names of IPv4 options.
var ipOptionNames = map[byte]string{0: "EOL", 1: "NOP", 68: "timestamp", 130: "security",
	7: "RR", 137: "SSRR", 131: "LSRR", 148: "RA", 82: "traceroute"}

// appendIPv4Options appends the options as tcpdump's ip_optprint does.
func appendIPv4Options(b []byte, opts []byte) []byte {
	for i := 0; len(opts) > 0; i++ {
		if i > 0 {
			b = append(b, ',')
		}
		code := opts[0]
		if name, ok := ipOptionNames[code]; ok {
			b = append(b, name...)
		} else {
			b = fmt.Appendf(b, "unknown %d", code)
		}
		if code == 0 {
			return b
		}
		n := 1
		if code != 1 {
			if len(opts) < 2 || opts[1] < 2 {
				if len(opts) >= 2 {
					return fmt.Appendf(b, " [bad length %d]", opts[1])
				}
				return b
			}
			n = int(opts[1])
		}
		if n > len(opts) {
			return fmt.Appendf(b, " [bad length %d]", n)
		}
		switch code {
		case 148: // router alert
			if n < 4 {
				b = fmt.Appendf(b, " [bad length %d]", n)
			} else if v := binary.BigEndian.Uint16(opts[2:]); v != 0 {
				b = fmt.Appendf(b, " value %d", v)
			}
		case 7, 131, 137: // record route, loose and strict source route
			b = appendIPv4Route(b, opts[:n])
		}
		opts = opts[n:]
	}
	return b
}

// appendIPv4Route appends a route option's addresses as tcpdump's
// ip_printroute does, a comma after each one already passed.
func appendIPv4Route(b []byte, opt []byte) []byte {
	n := len(opt)
	if n < 3 {
		return fmt.Appendf(b, " [bad length %d]", n)
	}
	if (n+1)&3 != 0 {
		b = fmt.Appendf(b, " [bad length %d]", n)
	}
	ptr := int(opt[2]) - 1
	if ptr < 3 || (ptr+1)&3 != 0 || ptr > n+1 {
		b = fmt.Appendf(b, " [bad ptr %d]", opt[2])
	}
	for at := 3; at+4 <= n; at += 4 {
		b = append(b, ' ')
		b = netip.AddrFrom4([4]byte(opt[at : at+4])).AppendTo(b)
		if ptr > at {
			b = append(b, ',')
		}
	}
	return b
}

// udpHeader reads the UDP header at the start of data as tcpdump does,
// whatever its length field says.
func udpHeader(data []byte) *layers.UDP {
	u := &layers.UDP{
		SrcPort:  layers.UDPPort(binary.BigEndian.Uint16(data)),
		DstPort:  layers.UDPPort(binary.BigEndian.Uint16(data[2:])),
		Length:   binary.BigEndian.Uint16(data[4:]),
		Checksum: binary.BigEndian.Uint16(data[6:]),
	}
	u.Contents, u.Payload = data[:8], data[8:]
	return u
}
