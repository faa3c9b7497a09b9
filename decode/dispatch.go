package decode

import (
	"net/netip"
	"strconv"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// Protocol printers.
//
// Each protocol tcpdump dissects beyond the network and transport headers
// has its printer in a file of its own (print_ospf.go, print_bgp.go, ...),
// registered from that file's init function in one of the tables below,
// keyed as tcpdump dispatches: by IP protocol number, by TCP or UDP port,
// by EtherType, by LLC SAP or SNAP OUI and protocol id. summary.go looks
// the tables up where tcpdump would call the printer, and falls back to
// its generic text ("ip-proto-89 44", "UDP, length 20", "ethertype 0x88cc")
// when nothing is registered or the printer declines.

// printContext is what a protocol printer knows of its message and of the
// packet around it.
type printContext struct {
	// data holds the message's captured bytes, from its first byte; it may
	// be shorter than length when the capture was cut (snap length).
	data []byte
	// length is the message's length on the wire as the enclosing header
	// gives it (IP payload length, UDP length - 8, TCP segment payload, the
	// frame's remaining length).
	length int
	// src and dst are the IP addresses when the message travels over IP.
	src, dst netip.Addr
	// sport and dport are the TCP or UDP ports.
	sport, dport uint16
	// ttl is the IPv4 TTL or IPv6 hop limit.
	ttl uint8
}

// v6 reports whether the message travels over IPv6.
func (c *printContext) v6() bool { return c.src.Is6() && !c.src.Is4In6() }

// protoPrinter appends tcpdump's text for the message in c to b. It returns
// false, with b unchanged, to leave the message to the generic text.
//
// Printers of IP protocols append after "src > dst: ", those of UDP ports
// after "src.sport > dst.dport: " (and tcpdump -v's checksum note), those
// of TCP ports after "..., length N" (so they start with ": " as tcpdump's
// do), those of EtherTypes and LLC SAPs at the start of the line. At -v a
// printer may add continuation lines ("\n\t..."); it must not end the line.
// It must never read past c.data: where the data stops short it appends
// tcpdump's "[|proto]" (appendTrunc).
type protoPrinter func(p *Printer, b []byte, c *printContext) ([]byte, bool)

// portPrinter is a printer for a TCP or UDP port, with its rank in
// tcpdump's order of tests: when both ports have a printer, the lower rank
// wins, as the earlier test in tcpdump's udp_print or tcp_print does. By
// convention the rank is the line of that test in tcpdump 4.99.3's
// print-udp.c or print-tcp.c (RIP 605, BFD 683, PTP 719, ...).
type portPrinter struct {
	rank  int
	print protoPrinter
}

var (
	ipProtoPrinters = map[uint8]protoPrinter{}
	udpPortPrinters = map[uint16]portPrinter{}
	tcpPortPrinters = map[uint16]portPrinter{}
	etherPrinters   = map[uint16]protoPrinter{}
	llcPrinters     = map[uint8]protoPrinter{}  // by DSAP
	snapPrinters    = map[uint32]protoPrinter{} // by OUI<<16 | protocol id
)

// registerIPProto registers the printer of IP protocol proto; name is
// tcpdump's name of the protocol in -v's "proto NAME (N)".
func registerIPProto(proto uint8, name string, f protoPrinter) {
	ipProtoPrinters[proto] = f
	if name != "" {
		ipProtoNames[layers.IPProtocol(proto)] = name
	}
}

// registerUDPPorts registers f for messages from or to any of ports.
func registerUDPPorts(rank int, f protoPrinter, ports ...uint16) {
	for _, pt := range ports {
		udpPortPrinters[pt] = portPrinter{rank, f}
	}
}

// registerTCPPorts registers f for TCP payloads from or to any of ports.
func registerTCPPorts(rank int, f protoPrinter, ports ...uint16) {
	for _, pt := range ports {
		tcpPortPrinters[pt] = portPrinter{rank, f}
	}
}

// registerEtherType registers f for frames of EtherType et.
func registerEtherType(et uint16, f protoPrinter) { etherPrinters[et] = f }

// registerLLC registers f for 802.2 LLC frames to DSAP sap; c.data starts
// after the LLC header.
func registerLLC(sap uint8, f protoPrinter) { llcPrinters[sap] = f }

// registerSNAP registers f for SNAP frames of OUI oui and protocol id pid;
// c.data starts after the SNAP header.
func registerSNAP(oui uint32, pid uint16, f protoPrinter) { snapPrinters[oui<<16|uint32(pid)] = f }

// portLookup returns the printer of the lower-ranked of the two ports.
func portLookup(table map[uint16]portPrinter, sport, dport uint16) (protoPrinter, bool) {
	s, sok := table[sport]
	d, dok := table[dport]
	switch {
	case sok && (!dok || s.rank <= d.rank):
		return s.print, true
	case dok:
		return d.print, true
	}
	return nil, false
}

// printRegistered runs f on c when f is set, reporting whether it printed.
func (p *Printer) printRegistered(b []byte, f protoPrinter, c *printContext) ([]byte, bool) {
	if f == nil {
		return b, false
	}
	n := len(b)
	out, ok := f(p, b, c)
	if !ok {
		return b[:n], false
	}
	p.dissected = [2]int{n, len(out)}
	return out, true
}

// appendTrunc appends tcpdump's mark of a message cut short: " [|proto]".
func appendTrunc(b []byte, proto string) []byte {
	b = append(b, " [|"...)
	b = append(b, proto...)
	return append(b, ']')
}

// appendLength appends ", length N".
func appendLength(b []byte, n int) []byte {
	b = append(b, ", length "...)
	return strconv.AppendInt(b, int64(n), 10)
}

// appendLinkPayload looks up the printer of what follows the link-layer
// headers link (by the last one's EtherType) or of the LLC frame llc (by
// SNAP OUI and protocol id, else by DSAP). rest is the frame's length after
// the link-layer headers.
func (p *Printer) appendLinkPayload(b []byte, link []gopacket.Layer, next gopacket.Layer, rest int) ([]byte, bool) {
	if n, llc, ok := link8023(link, next); ok {
		rest, next = n, llc
	}
	if llc, ok := next.(*layers.LLC); ok {
		c := &printContext{data: llc.Payload, length: rest - len(llc.Contents)}
		if llc.DSAP == 0xaa && llc.SSAP == 0xaa && len(llc.Payload) >= 5 {
			d := llc.Payload
			oui := uint32(d[0])<<16 | uint32(d[1])<<8 | uint32(d[2])
			if f := snapPrinters[oui<<16|uint32(d[3])<<8|uint32(d[4])]; f != nil {
				c.data, c.length = d[5:], c.length-5
				return p.printRegistered(b, f, c)
			}
		}
		return p.printRegistered(b, llcPrinters[llc.DSAP], c)
	}
	if len(link) == 0 {
		return b, false
	}
	var et layers.EthernetType
	switch l := link[len(link)-1].(type) {
	case *layers.Ethernet:
		et = l.EthernetType
	case *layers.Dot1Q:
		et = l.Type
	case *layers.LinuxSLL:
		et = l.EthernetType
	case *LinuxSLL2:
		et = l.ProtocolType
	default:
		return b, false
	}
	f := etherPrinters[uint16(et)]
	if f == nil {
		return b, false
	}
	return p.printRegistered(b, f, &printContext{data: link[len(link)-1].LayerPayload(), length: rest})
}

// appendIPPacket appends the line of the IPv4 or IPv6 packet in data (by
// its version), length bytes long on the wire, as tcpdump's ip_print and
// ip6_print do for a packet inside another protocol (PIM register, GRE,
// ...).
func (p *Printer) appendIPPacket(b []byte, data []byte, length int) []byte {
	first := layers.LayerTypeIPv4
	if len(data) > 0 && data[0]>>4 == 6 {
		first = layers.LayerTypeIPv6
	}
	saved := p.ttl
	defer func() { p.ttl = saved }()
	ls := gopacket.NewPacket(data, first, gopacket.NoCopy).Layers()
	if len(ls) > 0 {
		switch l := ls[0].(type) {
		case *layers.IPv4:
			return p.appendIPv4(b, l, ls[1:], length)
		case *layers.IPv6:
			return p.appendIPv6(b, l, ls[1:])
		}
	}
	if first == layers.LayerTypeIPv6 {
		return append(b, "IP6 [|ip6]"...)
	}
	return append(b, "IP [|ip]"...)
}
