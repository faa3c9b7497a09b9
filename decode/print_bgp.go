package decode

import (
	"fmt"
	"math"
	"net/netip"
)

// BGP-4 (RFC 4271) over TCP port 179, as tcpdump prints it: ": BGP" after
// the TCP line, and from -v each message of the segment on its own lines
// (Open with its capabilities, Update with its path attributes and
// prefixes, Notification, Keepalive, Route Refresh).

func init() { registerTCPPorts(10, printBGP, 179) }

const bgpHeaderLen = 19

var bgpMessages = map[uint8]string{1: "Open", 2: "Update", 3: "Notification", 4: "Keepalive", 5: "Route Refresh"}

var bgpAttrs = map[uint8]string{
	1: "Origin", 2: "AS Path", 17: "AS4 Path", 3: "Next Hop", 4: "Multi Exit Discriminator",
	5: "Local Preference", 6: "Atomic Aggregate", 7: "Aggregator", 18: "Aggregator4",
	8: "Community", 9: "Originator ID", 10: "Cluster List", 11: "DPA", 12: "Advertisers",
	13: "RCID Path / Cluster ID", 14: "Multi-Protocol Reach NLRI", 15: "Multi-Protocol Unreach NLRI",
	16: "Extended Community", 22: "PMSI Tunnel", 23: "Tunnel Encapsulation", 24: "Traffic Engineering",
	25: "IPv6 Extended Community", 26: "Accumulated IGP Metric", 27: "PE Distinguisher Label",
	28: "Entropy Label", 32: "Large Community", 128: "Attribute Set", 255: "Reserved for development",
}

var bgpCapabilities = map[uint8]string{
	1: "Multiprotocol Extensions", 2: "Route Refresh", 3: "Cooperative Route Filtering",
	4: "Multiple Routes to a Destination", 5: "Extended Next Hop Encoding", 8: "Multiple Labels",
	64: "Graceful Restart", 65: "32-Bit AS Number", 67: "Dynamic Capability", 68: "Multisession BGP",
	69: "Multiple Paths", 70: "Enhanced Route Refresh", 71: "Long-lived Graceful Restart",
	128: "Route Refresh (Cisco)",
}

// addressFamilies are tcpdump's names of IANA address family numbers.
var addressFamilies = map[uint16]string{
	0: "Reserved", 1: "IPv4", 2: "IPv6", 3: "NSAP", 4: "HDLC", 5: "BBN 1822", 6: "802", 7: "E.163",
	8: "E.164", 9: "F.69", 10: "X.121", 11: "Novell IPX", 12: "Appletalk", 13: "Decnet IV",
	14: "Banyan Vines", 15: "E.164 with NSAP subaddress", 196: "Layer-2 VPN", 25: "VPLS",
}

var bgpSAFIs = map[uint8]string{
	0: "Reserved", 1: "Unicast", 2: "Multicast", 3: "Unicast+Multicast", 4: "labeled Unicast",
	64: "Tunnel", 65: "VPLS", 66: "MDT", 70: "EVPN", 128: "labeled VPN Unicast",
	129: "labeled VPN Multicast", 130: "labeled VPN Unicast+Multicast",
	132: "Route Target Routing Information", 5: "Multicast VPN",
}

var bgpNotifyMajor = map[uint8]string{1: "Message Header Error", 2: "OPEN Message Error",
	3: "UPDATE Message Error", 4: "Hold Timer Expired", 5: "Finite State Machine Error", 6: "Cease",
	7: "Capability Message Error"}

var bgpNotifyMinor = map[uint8]map[uint8]string{
	1: {1: "Connection Not Synchronized", 2: "Bad Message Length", 3: "Bad Message Type"},
	2: {1: "Unsupported Version Number", 2: "Bad Peer AS", 3: "Bad BGP Identifier",
		4: "Unsupported Optional Parameter", 5: "Authentication Failure", 6: "Unacceptable Hold Time",
		7: "Capability Message Error"},
	3: {1: "Malformed Attribute List", 2: "Unrecognized Well-known Attribute",
		3: "Missing Well-known Attribute", 4: "Attribute Flags Error", 5: "Attribute Length Error",
		6: "Invalid ORIGIN Attribute", 7: "AS Routing Loop", 8: "Invalid NEXT_HOP Attribute",
		9: "Optional Attribute Error", 10: "Invalid Network Field", 11: "Malformed AS_PATH"},
	5: {0: "Unspecified Error", 1: "In OpenSent State", 2: "In OpenConfirm State", 3: "In Established State"},
	6: {1: "Maximum Number of Prefixes Reached", 2: "Administrative Shutdown", 3: "Peer Unconfigured",
		4: "Administrative Reset", 5: "Connection Rejected", 6: "Other Configuration Change",
		7: "Connection Collision Resolution"},
	7: {1: "Invalid Action Value", 2: "Invalid Capability Length", 3: "Malformed Capability Value",
		4: "Unsupported Capability Code"},
}

var bgpExtCommunities = map[uint16]string{
	0x0002: "target", 0x0102: "target", 0x0202: "target", 0x0003: "origin", 0x0103: "origin",
	0x0203: "origin", 0x4004: "link-BW", 0x0005: "ospf-domain", 0x0105: "ospf-domain",
	0x0205: "ospf-domain", 0x8005: "ospf-domain", 0x0306: "ospf-route-type", 0x8000: "ospf-route-type",
	0x030c: "encapsulation", 0x0107: "ospf-router-id", 0x8001: "ospf-router-id", 0x800a: "layer2-info",
	0x8800: "eigrp-general-route (flag, tag)", 0x8801: "eigrp-route-metric (AS, delay)",
	0x8802: "eigrp-route-metric (reliability, nexthop, bandwidth)", 0x8803: "eigrp-route-metric (load, MTU)",
	0x8804: "eigrp-external-route (remote-AS, remote-ID)",
	0x8805: "eigrp-external-route (remote-proto, remote-metric)", 0x0009: "source-AS",
	0x010b: "vrf-route-import", 0x000a: "l2vpn-id", 0xf10a: "l2vpn-id",
}

var bgpTunnelTypes = map[uint16]string{1: "L2TPv3 over IP", 2: "GRE", 3: "Transmit Tunnel", 4: "IPsec",
	5: "IP in IP with IPsec", 6: "MPLS in IP with IPsec", 7: "IP in IP", 8: "VXLAN", 9: "NVGRE",
	10: "MPLS", 11: "MPLS in GRE", 12: "VXLAN GPE", 13: "MPLS in UDP", 14: "IPv6", 15: "SR TE",
	16: "Bare", 17: "SR"}

var bgpOSPFRouteTypes = map[uint8]string{1: "Router", 2: "Network", 3: "Summary", 5: "External",
	7: "NSSA External", 129: "MPLS-VPN Sham"}

var bgpPMSITunnels = map[uint8]string{1: "RSVP-TE P2MP LSP", 2: "LDP P2MP LSP", 3: "PIM-SSM Tree",
	4: "PIM-SM Tree", 5: "PIM-Bidir Tree", 6: "Ingress Replication", 7: "LDP MP2MP LSP"}

var bgpL2Encaps = map[uint8]string{}

// bgpPrinter prints the BGP messages of one TCP segment.
type bgpPrinter struct {
	out
	d view
}

// bgpTrunc reports a local truncation: tcpdump prints " [|bgp]" and goes on
// with the enclosing message.
type bgpTrunc struct{}

func printBGP(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	g := &bgpPrinter{out: out{b: append(b, ": BGP"...), v: p.opts.Verbose}, d: view(c.data)}
	if g.v < 1 {
		return g.b, true
	}
	g.segment()
	return g.b, true
}

// segment finds the messages in the segment by their marker.
func (g *bgpPrinter) segment() {
	defer g.catch("bgp")
	d := g.d
	start := 0
	for p := 0; p < len(d); {
		if d[p] != 0xff {
			p++
			continue
		}
		if !d.has(p, 16) {
			break
		}
		marker := true
		for _, x := range d[p : p+16] {
			marker = marker && x == 0xff
		}
		if !marker {
			p++
			continue
		}
		if !d.has(p, bgpHeaderLen) {
			g.b = appendTrunc(g.b, "bgp")
			return
		}
		if start != p {
			g.b = appendTrunc(g.b, "bgp")
		}
		hlen := int(d.u16(p + 16))
		if hlen < bgpHeaderLen {
			g.printf("\nmessage length %d < %d (invalid)", hlen, bgpHeaderLen)
			break
		}
		if !d.has(p, hlen) {
			g.str("\n[|BGP ")
			g.b = appendTok(g.b, bgpMessages, d.u8(p+18), "Unknown Message Type")
			g.str("]")
			break
		}
		if !g.message(p, hlen) {
			return
		}
		p += hlen
		start = p
	}
}

// message prints the message at off of length n (all captured).
func (g *bgpPrinter) message(off, n int) (ok bool) {
	typ := g.d.u8(off + 18)
	g.str("\n\t")
	g.b = appendTok(g.b, bgpMessages, typ, "Unknown")
	g.printf(" Message (%d), length: %d", typ, n)
	defer func() {
		if r := recover(); r != nil {
			if _, local := r.(bgpTrunc); !local {
				panic(r)
			}
			g.b = appendTrunc(g.b, "bgp")
			ok = true
		}
	}()
	switch typ {
	case 1:
		g.open(off, n)
	case 2:
		g.update(off, n)
	case 3:
		g.notification(off, n)
	case 4:
	case 5:
		if n >= 23 {
			afi, safi := g.d.u16(off+19), g.d.u8(off+22)
			g.str("\n\t  AFI ")
			g.afiSAFI(afi, safi, "Unknown", "Unknown", ", SAFI ")
			if g.v > 1 {
				g.unknownData(g.d, off, "\n\t  ", n)
			}
		}
	default:
		g.printf("\n\t  no Message %d decoder", typ)
		g.unknownData(g.d, off, "\n\t  ", n)
	}
	return true
}

// afiSAFI appends "NAME (afi)<sep>NAME (safi)".
func (g *bgpPrinter) afiSAFI(afi uint16, safi uint8, unknownAFI, unknownSAFI, sep string) {
	g.b = appendTok(g.b, addressFamilies, afi, unknownAFI)
	g.printf(" (%d)%s", afi, sep)
	g.b = appendTok(g.b, bgpSAFIs, safi, unknownSAFI)
	g.printf(" (%d)", safi)
}

func (g *bgpPrinter) trunc() { panic(bgpTrunc{}) }

func (g *bgpPrinter) open(off, n int) {
	d := g.d
	if !d.has(off, 29) || n < 29 {
		g.trunc()
	}
	g.printf("\n\t  Version %d, my AS %d, Holdtime %ds, ID %s", d.u8(off+19), d.u16(off+20), d.u16(off+22), d.ip4(off+24))
	optlen := int(d.u8(off + 28))
	g.printf("\n\t  Optional parameters, length: %d", optlen)
	opt, length := off+29, n-29
	for i := 0; i < optlen; {
		if !d.has(opt+i, 2) || length < 2+i {
			g.trunc()
		}
		typ, l := d.u8(opt+i), int(d.u8(opt+i+1))
		if 2+i+l > optlen {
			g.printf("\n\t     Option %d, length: %d, goes past the end of the options", typ, l)
			break
		}
		g.str("\n\t    Option ")
		g.b = appendTok(g.b, map[uint8]string{1: "Authentication Information", 2: "Capabilities Advertisement"}, typ, "Unknown")
		g.printf(" (%d), length: %d", typ, l)
		if typ == 2 {
			g.capabilities(opt+2+i, l)
		} else {
			g.printf("\n\t      no decoder for option %d", typ)
		}
		i += 2 + l
	}
}

func (g *bgpPrinter) capabilities(off, n int) {
	d := g.d
	for i := 0; i < n; {
		at := off + i
		if !d.has(at, 2) {
			g.trunc()
		}
		typ, l := d.u8(at), int(d.u8(at+1))
		g.str("\n\t      ")
		g.b = appendTok(g.b, bgpCapabilities, typ, "Unknown")
		g.printf(" (%d), length: %d", typ, l)
		if !d.has(at+2, l) {
			g.trunc()
		}
		switch typ {
		case 1:
			if l < 4 {
				g.str(" (too short, < 4)")
				return
			}
			g.str("\n\t\tAFI ")
			g.afiSAFI(d.u16(at+2), d.u8(at+5), "Unknown", "Unknown", ", SAFI ")
		case 8:
			for o, left := at+2, l; left >= 4; o, left = o+4, left-4 {
				g.str("\n\t\tAFI ")
				g.afiSAFI(d.u16(o), d.u8(o+2), "Unknown", "Unknown", ", SAFI ")
				g.printf(", Count: %d", d.u8(o+3))
			}
		case 64:
			if l < 2 {
				g.str(" (too short, < 2)")
				return
			}
			flags := "none"
			if d.u8(at+2)&0x80 != 0 {
				flags = "R"
			}
			g.printf("\n\t\tRestart Flags: [%s], Restart Time %ds", flags, d.u16(at+2)&0xfff)
			for o, left := at+4, l-2; left >= 4; o, left = o+4, left-4 {
				g.str("\n\t\t  AFI ")
				g.afiSAFI(d.u16(o), d.u8(o+2), "Unknown", "Unknown", ", SAFI ")
				g.str(", Forwarding state preserved: ")
				if d.u8(o+3)&0x80 != 0 {
					g.str("yes")
				} else {
					g.str("no")
				}
			}
		case 2, 71, 128:
		case 65:
			if l < 4 {
				g.str(" (too short, < 4)")
				return
			}
			g.printf("\n\t\t 4 Byte AS %d", d.u32(at+2))
		case 69:
			if l == 0 {
				g.str(" (bogus)")
				break
			}
			for o, left := at+2, l; left != 0; o, left = o+4, left-4 {
				if left < 4 {
					g.str(" (invalid)")
					break
				}
				g.str("\n\t\tAFI ")
				g.afiSAFI(d.u16(o), d.u8(o+2), "Unknown", "Unknown", ", SAFI ")
				g.str(", Send/Receive: ")
				g.b = appendTok(g.b, map[uint8]string{1: "Receive", 2: "Send", 3: "Both"}, d.u8(o+3), "Bogus (0x%02x)")
			}
		default:
			g.printf("\n\t\tno decoder for Capability %d", typ)
			if g.v <= 1 {
				g.unknownData(d, at+2, "\n\t\t", l)
			}
		}
		if g.v > 1 && l != 0 {
			g.unknownData(d, at+2, "\n\t\t", l)
		}
		i += 2 + l
	}
}

func (g *bgpPrinter) update(off, length int) {
	d := g.d
	if !d.has(off, bgpHeaderLen) || length < bgpHeaderLen {
		g.trunc()
	}
	p := off + bgpHeaderLen
	length -= bgpHeaderLen
	if !d.has(p, 2) || length < 2 {
		g.trunc()
	}
	withdrawn := int(d.u16(p))
	p += 2
	length -= 2
	if !d.has(p, withdrawn) || length < withdrawn {
		g.trunc()
	}
	if withdrawn > 1 {
		g.str("\n\t  Withdrawn routes:")
		p, withdrawn, length = g.prefixes4(p, withdrawn, length, true)
	} else {
		p += withdrawn
		length -= withdrawn
	}
	if !d.has(p, 2) || length < 2 {
		g.trunc()
	}
	attrLen := int(d.u16(p))
	p += 2
	length -= 2
	if withdrawn == 0 && attrLen == 0 && length == 0 {
		g.str("\n\t  End-of-Rib Marker (empty NLRI)")
		return
	}
	if attrLen > 0 {
		if length < attrLen {
			g.trunc()
		}
		p, length = g.attributes(p, attrLen, length)
	}
	if length > 0 {
		g.str("\n\t  Updated routes:")
		g.prefixes4(p, length, length, false)
	}
}

// prefixes4 prints the IPv4 prefixes of n bytes at p (withdrawn routes or
// NLRI), with path ids when they look like add-path ones. It returns where
// it stopped and what is left of n and length.
func (g *bgpPrinter) prefixes4(p, n, length int, withdrawn bool) (int, int, int) {
	addPath := g.checkAddPath(p, n, 32)
	for n != 0 {
		var pathID uint32
		if addPath {
			if withdrawn && n < 4 {
				return p + n, n, length - n
			}
			if !withdrawn && (!g.d.has(p, 4) || length < 4) {
				g.trunc()
			}
			pathID = g.d.u32(p)
			p, n, length = p+4, n-4, length-4
		}
		adv, text := g.prefix(p, n, 4)
		switch adv {
		case -1:
			g.str("\n\t    (illegal prefix length)")
			return p, n, length
		case -2:
			g.trunc()
		}
		g.str("\n\t    ")
		g.str(text)
		if addPath {
			g.printf("   Path Id: %d", pathID)
		}
		p, n, length = p+adv, n-adv, length-adv
	}
	return p, n, length
}

// prefix decodes a prefix of an address family of size bytes (4 or 16):
// its length in bytes, or -1 for an illegal prefix length, -2 when itemlen
// is too short.
func (g *bgpPrinter) prefix(p, itemlen, size int) (int, string) {
	if itemlen < 1 {
		return -2, ""
	}
	plen := int(g.d.u8(p))
	if plen > size*8 {
		return -1, ""
	}
	nb := (plen + 7) / 8
	if itemlen-1 < nb {
		return -2, ""
	}
	return 1 + nb, prefixString(g.d.bytes(p+1, nb), plen, size)
}

// prefixString formats the first plen bits of addr as "address/plen".
func prefixString(addr []byte, plen, size int) string {
	var a [16]byte
	copy(a[:], addr)
	if plen%8 != 0 {
		a[len(addr)-1] &= byte(uint(0xff00) >> (plen % 8))
	}
	var ip netip.Addr
	if size == 4 {
		ip = netip.AddrFrom4([4]byte(a[:4]))
	} else {
		ip = netip.AddrFrom16(a)
	}
	return ip.String() + "/" + itoa(plen)
}

func itoa(n int) string { return string(appendUint(nil, n)) }

// checkAddPath reports whether the n bytes of prefixes at p make sense
// only with add-path ids (tcpdump's check_add_path).
func (g *bgpPrinter) checkAddPath(p, n, maxLen int) bool {
	d := g.d
	if n < 5 {
		return false
	}
	off := 0
	for off < n {
		off += 4
		if !d.has(p+off, 1) {
			break
		}
		pl := int(d[p+off])
		if pl > maxLen {
			return false
		}
		off += 1 + (pl+7)/8
	}
	if off > n {
		return false
	}
	for off = 0; off < n; {
		if !d.has(p+off, 1) {
			break
		}
		pl := int(d[p+off])
		if pl < 1 || pl > maxLen {
			return true
		}
		off += 1 + (pl+7)/8
	}
	return off > n
}

// attributes prints the path attributes of n bytes at p.
func (g *bgpPrinter) attributes(p, n, length int) (int, int) {
	d := g.d
	for n > 0 {
		if !d.has(p, 2) || length < 2 {
			g.trunc()
		}
		if n < 2 {
			g.str("\n\t  [path attrs too short]")
			return p + n, length - n
		}
		flags, typ := d.u8(p), d.u8(p+1)
		p, n, length = p+2, n-2, length-2
		lenlen := 1
		if flags&0x10 != 0 {
			lenlen = 2
		}
		if !d.has(p, lenlen) || length < lenlen {
			g.trunc()
		}
		if n < lenlen {
			g.str("\n\t  [path attrs too short]")
			return p + n, length - n
		}
		alen := int(d.u8(p))
		if lenlen == 2 {
			alen = int(d.u16(p))
		}
		p, n, length = p+lenlen, n-lenlen, length-lenlen
		g.str("\n\t  ")
		g.b = appendTok(g.b, bgpAttrs, typ, "Unknown Attribute")
		g.printf(" (%d), length: %d", typ, alen)
		if flags != 0 {
			g.appendAttrFlags(flags)
			g.str(": ")
		}
		if n < alen {
			g.str(" [path attrs too short]")
			return p + n, length - n
		}
		if length < alen {
			g.trunc()
		}
		if !g.attribute(typ, p, alen, 0) {
			g.trunc()
		}
		p, n, length = p+alen, n-alen, length-alen
	}
	return p, length
}

func (g *bgpPrinter) appendAttrFlags(flags uint8) {
	g.str(", Flags [")
	for _, f := range []struct {
		bit  uint8
		name string
	}{{0x80, "O"}, {0x40, "T"}, {0x20, "P"}, {0x10, "E"}} {
		if flags&f.bit != 0 {
			g.str(f.name)
		}
	}
	if flags&0xf != 0 {
		g.printf("+%x", flags&0xf)
	}
	g.str("]")
}

// attribute prints the value of a path attribute; false means tcpdump's
// "goto trunc" (the caller prints [|bgp]).
func (g *bgpPrinter) attribute(typ uint8, p, n, level int) bool {
	d := g.d
	switch typ {
	case 1:
		if n != 1 {
			g.str("invalid len")
		} else {
			g.b = appendTok(g.b, map[uint8]string{0: "IGP", 1: "EGP", 2: "Incomplete"}, d.u8(p), "Unknown Origin Typecode")
		}
	case 2, 17:
		if !g.asPath(typ, p, n) {
			return false
		}
	case 3, 9:
		if n != 4 {
			g.str("invalid len")
		} else {
			g.b = d.ip4(p).AppendTo(g.b)
		}
	case 4, 5:
		if n != 4 {
			g.str("invalid len")
		} else {
			g.b = appendUint(g.b, d.u32(p))
		}
	case 6:
		if n != 0 {
			g.str("invalid len")
		}
	case 7, 18:
		switch {
		case n == 6 && typ == 7:
			g.printf(" AS #%d, origin %s", d.u16(p), d.ip4(p+2))
		case n == 8:
			g.printf(" AS #%d, origin %s", d.u32(p), d.ip4(p+4))
		default:
			g.str("invalid len")
		}
	case 8:
		if n%4 != 0 {
			g.str("invalid len")
			break
		}
		for t := 0; t < n; t += 4 {
			switch c := d.u32(p + t); c {
			case 0xffffff01:
				g.str(" NO_EXPORT")
			case 0xffffff02:
				g.str(" NO_ADVERTISE")
			case 0xffffff03:
				g.str(" NO_EXPORT_SUBCONFED")
			default:
				g.printf("%d:%d", c>>16, c&0xffff)
				if n-t > 4 {
					g.str(", ")
				}
			}
		}
	case 10:
		if n%4 != 0 {
			g.str("invalid len")
			break
		}
		for t := 0; t < n; t += 4 {
			g.b = d.ip4(p + t).AppendTo(g.b)
			if n-t > 4 {
				g.str(", ")
			}
		}
	case 14, 15:
		return g.mpNLRI(typ, p, n)
	case 16:
		if n%8 != 0 {
			g.str("invalid len")
			break
		}
		for t := 0; t < n; t += 8 {
			ec := d.u16(p + t)
			g.str("\n\t    ")
			g.b = appendTok(g.b, bgpExtCommunities, ec, "unknown extd community typecode")
			g.printf(" (0x%04x), Flags [", ec)
			g.b = appendBitNames(g.b, []bitName{{0x8000, "vendor-specific"}, {0x4000, "non-transitive"}}, uint32(ec), ", ", "none")
			g.str("]")
			d.need(p+t, 8)
			g.str(": ")
			g.extCommunity(p + t)
		}
	case 22:
		return g.pmsiTunnel(p, n)
	case 26:
		for t := 0; n-t >= 3; {
			tt, tl := d.u8(p+t), int(d.u16(p+t+1))
			t += 3
			g.str("\n\t    ")
			g.b = appendTok(g.b, map[uint8]string{1: "AIGP"}, tt, "Unknown")
			g.printf(" TLV (%d), length %d", tt, tl)
			if tl < 3 || n-t < tl-3 {
				return false
			}
			tl -= 3
			if tt == 1 {
				if tl < 8 {
					return false
				}
				g.printf(", metric %d", d.u64(p+t))
			} else if g.v <= 1 {
				g.unknownData(d, p+t, "\n\t      ", tl)
			}
			t += tl
		}
	case 128:
		return g.attrSet(p, n, level)
	case 32:
		if n == 0 || n%12 != 0 {
			g.str("invalid len")
			break
		}
		g.str("\n\t    ")
		for t := 0; t < n; t += 12 {
			g.printf("%d:%d:%d", d.u32(p+t), d.u32(p+t+4), d.u32(p+t+8))
			if n-t > 12 {
				g.str(", ")
			}
		}
	default:
		if !d.has(p, n) {
			return false
		}
		g.printf("\n\t    no Attribute %d decoder", typ)
		if g.v <= 1 {
			g.unknownData(d, p, "\n\t    ", n)
		}
	}
	if g.v > 1 && n > 0 {
		if !d.has(p, n) {
			return false
		}
		g.unknownData(d, p, "\n\t    ", n)
	}
	return true
}

// asPath prints an AS_PATH or AS4_PATH: segments of 2- or 4-byte AS
// numbers, the size guessed as tcpdump guesses it.
func (g *bgpPrinter) asPath(typ uint8, p, n int) bool {
	d := g.d
	if n%2 != 0 {
		g.str("invalid len")
		return true
	}
	if n == 0 {
		g.str("empty")
		return true
	}
	size := 4
	if typ == 2 {
		t := p
		for t < p+n {
			if s := d.u8(t); s < 1 || s > 4 {
				break
			}
			t += 2 + int(d.u8(t+1))*2
		}
		if t == p+n {
			size = 2
		}
	}
	open := map[uint8]string{2: "", 1: "{ ", 3: "( ", 4: "({ "}
	closing := map[uint8]string{2: "", 1: "}", 3: ")", 4: "})"}
	for t := p; t < p+n; {
		seg := d.u8(t)
		g.b = appendTok(g.b, open, seg, "?")
		count := int(d.u8(t+1)) * size
		for i := 0; i < count; i += size {
			if !d.has(t+2+i, size) {
				return false
			}
			if size == 2 {
				g.b = appendUint(g.b, d.u16(t+2+i))
			} else {
				g.b = appendUint(g.b, d.u32(t+2+i))
			}
			g.str(" ")
		}
		g.b = appendTok(g.b, closing, seg, "?")
		t += 2 + count
	}
	return true
}

// rd formats the RFC 4364 route distinguisher at p.
func (g *bgpPrinter) rd(p int) string {
	d := g.d
	var b []byte
	switch d.u16(p) {
	case 0:
		a := d.bytes(p+4, 4)
		b = fmt.Appendf(b, "%d:%d (= %d.%d.%d.%d)", d.u16(p+2), d.u32(p+4), a[0], a[1], a[2], a[3])
	case 1:
		a := d.bytes(p+2, 4)
		b = fmt.Appendf(b, "%d.%d.%d.%d:%d", a[0], a[1], a[2], a[3], d.u16(p+6))
	case 2:
		a := d.bytes(p+2, 4)
		b = fmt.Appendf(b, "%d:%d (%d.%d.%d.%d:%d)", d.u32(p+2), d.u16(p+6), a[0], a[1], a[2], a[3], d.u16(p+6))
	default:
		b = append(b, "unknown RD format"...)
	}
	return string(b)
}

func (g *bgpPrinter) extCommunity(p int) {
	d := g.d
	switch d.u16(p) {
	case 0x0002, 0x0003, 0x000a:
		g.printf("%d:%d (= %s)", d.u16(p+2), d.u32(p+4), d.ip4(p+4))
	case 0x0102, 0x0103, 0xf10a, 0x010b:
		g.printf("%s:%d", d.ip4(p+2), d.u16(p+6))
	case 0x0202, 0x0203:
		g.printf("%d:%d", d.u32(p+2), d.u16(p+6))
	case 0x4004:
		bw := math.Float32frombits(d.u32(p + 4))
		g.printf("bandwidth: %.3f Mbps", bw*8/1000000)
	case 0x0005, 0x0105, 0x0205, 0x8005, 0x0107, 0x8001:
		g.b = d.ip4(p + 2).AppendTo(g.b)
	case 0x0306, 0x8000:
		area, rt, opts := d.ip4(p+2), d.u8(p+6), d.u8(p+7)
		g.printf("area:%s, router-type:", area)
		g.b = appendTok(g.b, bgpOSPFRouteTypes, rt, "unknown (0x%02x)")
		g.str(", metric-type:")
		if opts&1 != 0 {
			g.str("E2")
		}
		if rt == 5 || rt == 7 {
			g.str("E1")
		}
	case 0x800a:
		enc, fl, mtu := d.u8(p+2), d.u8(p+3), d.u16(p+4)
		g.b = appendTok(g.b, bgpL2Encaps, enc, "unknown encaps")
		g.printf(" Control Flags [0x%02x]:MTU %d", fl, mtu)
	case 0x0009:
		g.printf("AS %d", d.u16(p+2))
	case 0x030c:
		g.str("Tunnel type: ")
		g.b = appendTok(g.b, bgpTunnelTypes, d.u16(p+6), "unknown encaps")
	default:
		x := d.bytes(p+2, 6)
		g.printf("%02x%02x%02x%02x%02x%02x", x[0], x[1], x[2], x[3], x[4], x[5])
	}
}

func (g *bgpPrinter) pmsiTunnel(p, n int) bool {
	d := g.d
	if !d.has(p, 5) || n < 5 {
		return false
	}
	flags, typ := d.u8(p), d.u8(p+1)
	g.str("\n\t    Tunnel-type ")
	g.b = appendTok(g.b, bgpPMSITunnels, typ, "Unknown")
	g.printf(" (%d), Flags [", typ)
	g.b = appendBitNames(g.b, []bitName{{1, "Leaf Information required"}}, uint32(flags), ", ", "none")
	g.printf("], MPLS Label %d", d.u24(p+2)>>4)
	p, n = p+5, n-5
	switch typ {
	case 4, 5:
		g.printf("\n\t      Sender %s, P-Group %s", d.ip4(p), d.ip4(p+4))
	case 3:
		g.printf("\n\t      Root-Node %s, P-Group %s", d.ip4(p), d.ip4(p+4))
	case 6:
		g.printf("\n\t      Tunnel-Endpoint %s", d.ip4(p))
	case 2, 7:
		g.printf("\n\t      Root-Node %s, LSP-ID 0x%08x", d.ip4(p), d.u32(p+4))
	case 1:
		g.printf("\n\t      Extended-Tunnel-ID %s, P2MP-ID 0x%08x", d.ip4(p), d.u32(p+4))
	default:
		if g.v <= 1 {
			g.unknownData(d, p, "\n\t      ", n)
		}
	}
	return true
}

func (g *bgpPrinter) attrSet(p, n, level int) bool {
	d := g.d
	if !d.has(p, 4) || n < 4 {
		return false
	}
	g.printf("\n\t    Origin AS: %d", d.u32(p))
	p, n = p+4, n-4
	for n > 0 {
		if !d.has(p, 2) {
			return false
		}
		if n < 2 {
			g.str(" [path attr too short]")
			return true
		}
		flags, typ := d.u8(p), d.u8(p+1)
		p, n = p+2, n-2
		lenlen := 1
		if flags&0x10 != 0 {
			lenlen = 2
		}
		if !d.has(p, lenlen) {
			return false
		}
		if n < lenlen {
			g.str(" [path attr too short]")
			return true
		}
		alen := int(d.u8(p))
		if lenlen == 2 {
			alen = int(d.u16(p))
		}
		p, n = p+lenlen, n-lenlen
		g.str("\n\t      ")
		g.b = appendTok(g.b, bgpAttrs, typ, "Unknown Attribute")
		g.printf(" (%d), length: %d", typ, alen)
		if flags != 0 {
			g.appendAttrFlags(flags)
		}
		g.str(": ")
		if n < alen {
			g.str(" [path attr too short]")
			return true
		}
		if level == 10 {
			g.str("(too many nested levels, not recursing)")
		} else if !g.attribute(typ, p, alen, level+1) {
			return false
		}
		p, n = p+alen, n-alen
	}
	return true
}

// mpNLRI prints MP_REACH_NLRI (14) and MP_UNREACH_NLRI (15).
func (g *bgpPrinter) mpNLRI(typ uint8, p, n int) bool {
	d := g.d
	if typ == 15 && !d.has(p, 3) || typ == 14 && (!d.has(p, 3) || n < 3) {
		return false
	}
	af, safi := d.u16(p), d.u8(p+2)
	g.str("\n\t    AFI: ")
	g.b = appendTok(g.b, addressFamilies, af, "Unknown AFI")
	g.printf(" (%d), ", af)
	if safi > 128 {
		g.str("vendor specific ")
	}
	g.str("SAFI: ")
	g.b = appendTok(g.b, bgpSAFIs, safi, "Unknown SAFI")
	g.printf(" (%d)", safi)
	switch af {
	case 1, 2, 3:
		switch safi {
		case 1, 2, 3, 4, 128, 129, 130:
		case 132, 5, 66:
			if af == 3 {
				return g.noAFIDecoder(af, safi, p, n)
			}
		default:
			return g.noAFIDecoder(af, safi, p, n)
		}
	case 196:
		if safi < 128 || safi > 130 {
			return g.noAFIDecoder(af, safi, p, n)
		}
	case 25:
		if safi != 65 {
			return g.noAFIDecoder(af, safi, p, n)
		}
	default:
		return g.noAFIDecoder(af, safi, p, n)
	}
	end := p + n
	t := p + 3
	if typ == 14 {
		var ok bool
		if t, ok = g.nextHops(af, safi, t, n-3); !ok {
			return t == -1 // -1: tcpdump's "goto done", the attribute is over
		}
	} else if n == 3 {
		g.str("\n\t      End-of-Rib Marker (empty NLRI)")
	}
	addPath4 := g.checkAddPath(t, n-(t-p), 32)
	addPath6 := g.checkAddPath(t, n-(t-p), 128)
	for t < end {
		adv := g.nlri(af, safi, t, n, addPath4, addPath6)
		if adv == -2 {
			return false
		}
		if adv < 0 {
			break
		}
		t += adv
	}
	return true
}

func (g *bgpPrinter) noAFIDecoder(af uint16, safi uint8, p, n int) bool {
	if !g.d.has(p, n) {
		return false
	}
	g.printf("\n\t    no AFI %d / SAFI %d decoder", af, safi)
	if g.v <= 1 {
		g.unknownData(g.d, p, "\n\t    ", n)
	}
	return true
}

// nextHops prints the next hops and SNPAs of MP_REACH_NLRI from t (tlen
// bytes left in the attribute) and returns where the NLRI start; false with
// -1 when the attribute ends there, with another offset on truncation.
func (g *bgpPrinter) nextHops(af uint16, safi uint8, t, tlen int) (int, bool) {
	d := g.d
	if !d.has(t, 1) || tlen < 1 {
		return 0, false
	}
	nhlen := int(d.u8(t))
	t, tlen = t+1, tlen-1
	if nhlen > 0 {
		if tlen < nhlen {
			return 0, false
		}
		g.str("\n\t    nexthop: ")
		for left, nnh := nhlen, 0; left != 0; nnh++ {
			if nnh > 0 {
				g.str(", ")
			}
			size, rd := 0, false
			switch af {
			case 1:
				size = 4
				rd = safi >= 128 && safi <= 130
			case 2:
				size = 16
				rd = safi >= 128 && safi <= 130
			case 25, 196:
				size = 4
			default: // NSAP
				g.str("NSAP next hops not decoded")
				t, tlen, left = t+left, tlen-left, 0
				continue
			}
			need := size
			if rd {
				need += 8
			}
			if left < need {
				g.str("invalid len")
				t, tlen, left = t+left, tlen-left, 0
				continue
			}
			if rd {
				rdText := g.rd(t)
				g.str("RD: ")
				g.str(rdText)
				g.str(", ")
				t, tlen, left = t+8, tlen-8, left-8
			}
			if size == 4 {
				g.b = d.ip4(t).AppendTo(g.b)
			} else {
				g.b = d.ip6(t).AppendTo(g.b)
			}
			t, tlen, left = t+size, tlen-size, left-size
		}
	}
	g.printf(", nh-length: %d", nhlen)
	if tlen < 1 {
		return 0, false
	}
	snpa := int(d.u8(t))
	t, tlen = t+1, tlen-1
	if snpa == 0 {
		g.str(", no SNPA")
		return t, true
	}
	g.printf("\n\t    %d SNPA", snpa)
	for ; snpa > 0; snpa-- {
		if tlen < 1 {
			return 0, false
		}
		l := int(d.u8(t))
		g.printf("\n\t      %d bytes", l)
		t, tlen = t+1, tlen-1
		if tlen < l || !d.has(t, l) {
			return 0, false
		}
		t, tlen = t+l, tlen-l
	}
	return t, true
}

// nlri prints one NLRI entry at t; it returns its length, -1 to stop, -2
// for truncation. n is the attribute's whole length, which tcpdump passes
// as the entry's available length.
func (g *bgpPrinter) nlri(af uint16, safi uint8, t, n int, addPath4, addPath6 bool) int {
	d := g.d
	size := 4
	addPath := addPath4
	if af == 2 {
		size, addPath = 16, addPath6
	}
	switch {
	case (af == 1 || af == 2) && safi >= 1 && safi <= 3:
		var pathID uint32
		if addPath {
			pathID = d.u32(t)
			t += 4
		}
		adv, text := g.prefix(t, n, size)
		switch adv {
		case -1:
			g.str("\n\t    (illegal prefix length)")
		case -2:
		default:
			g.str("\n\t      ")
			g.str(text)
		}
		if addPath {
			g.printf("   Path Id: %d", pathID)
			adv += 4
		}
		return adv
	case (af == 1 || af == 2) && safi == 4:
		if !d.has(t, 4) {
			return -2
		}
		if n < 4 {
			return -3
		}
		plen := int(d.u8(t))
		if plen < 24 || plen-24 > size*8 {
			g.str("\n\t    (illegal prefix length)")
			return -1
		}
		plen -= 24
		nb := (plen + 7) / 8
		if af == 1 && n-4 < nb {
			return -3
		}
		text := prefixString(d.bytes(t+4, nb), plen, size)
		g.printf("\n\t      %s, label:%d %s", text, d.u24(t+1)>>4, bottomOfStack(d.u8(t+3)))
		return 4 + nb
	case (af == 1 || af == 2) && safi >= 128 && safi <= 130:
		plen := int(d.u8(t))
		if plen < 88 || plen-88 > size*8 {
			g.str("\n\t    (illegal prefix length)")
			return -1
		}
		plen -= 88
		nb := (plen + 7) / 8
		addr := d.bytes(t+12, nb)
		rd := g.rd(t + 4)
		text := prefixString(addr, plen, size)
		g.printf("\n\t      RD: %s, %s, label:%d %s", rd, text, d.u24(t+1)>>4, bottomOfStack(d.u8(t+3)))
		return 12 + nb
	}
	g.printf("\n\t    ERROR: no AFI %d / SAFI %d decoder", af, safi)
	return -4
}

func bottomOfStack(b uint8) string {
	if b&1 == 0 {
		return "(BOGUS: Bottom of Stack NOT set!)"
	}
	return "(bottom)"
}

// notification prints the error code and subcode, and for a cease the
// maximum prefixes or the shutdown communication.
func (g *bgpPrinter) notification(off, n int) {
	d := g.d
	if !d.has(off, 21) {
		g.trunc()
	}
	if n < 21 {
		return
	}
	major, minor := d.u8(off+19), d.u8(off+20)
	g.str(", ")
	g.b = appendTok(g.b, bgpNotifyMajor, major, "Unknown Error")
	g.printf(" (%d)", major)
	if names, ok := bgpNotifyMinor[major]; ok {
		if major == 5 || major == 7 {
			g.str(" subcode ")
		} else {
			g.str(", subcode ")
		}
		g.b = appendTok(g.b, names, minor, "Unknown")
		g.printf(" (%d)", minor)
	}
	if major != 6 {
		return
	}
	t := off + 21
	if minor == 1 && n >= 21+7 {
		g.str(", AFI ")
		g.afiSAFI(d.u16(t), d.u8(t+2), "Unknown", "Unknown", ", SAFI ")
		g.printf(", Max Prefixes: %d", d.u32(t+3))
	}
	if (minor == 2 || minor == 4) && n >= 22 {
		l := int(d.u8(t))
		rest := 0
		switch {
		case l > n-22:
			g.str(", invalid Shutdown Communication length")
		case l == 0:
			g.str(", empty Shutdown Communication")
			rest = 1
		default:
			g.printf(", Shutdown Communication (length: %d): \"", l)
			g.b = appendPrintable(g.b, d.bytes(t+1, l))
			g.str("\"")
			rest = l + 1
		}
		if left := n - 21 - rest; left > 0 {
			g.printf(", Data: (length: %d)", left)
			g.hexPrint(d, t+rest, "\n\t\t", left)
		}
	}
}
