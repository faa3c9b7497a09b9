package decode

import "fmt"

// ARP as tcpdump's arp_print prints it: operation and addresses, at -v
// (or for anything but Ethernet/IPv4) the hardware and protocol types and
// address lengths first, a hex dump for unknown operations, "[|arp]" when
// the addresses are cut off.

func init() { registerEtherType(0x0806, printARP) }

var arpOps = map[uint16]string{1: "Request", 2: "Reply", 3: "Reverse Request", 4: "Reverse Reply",
	8: "Inverse Request", 9: "Inverse Reply", 10: "NACK Reply"}

var arpHardware = map[uint16]string{1: "Ethernet", 6: "TokenRing", 7: "ArcNet", 15: "FrameRelay",
	23: "Strip", 24: "IEEE 1394", 19: "ATM", 32: "InfiniBand"}

// etherTypeNames are tcpdump's names of EtherTypes (ethertype_values).
var etherTypeNames = map[uint16]string{
	0x0800: "IPv4", 0x8847: "MPLS unicast", 0x8848: "MPLS multicast", 0x86dd: "IPv6",
	0x8100: "802.1Q", 0x9100: "802.1Q-9100", 0x88a8: "802.1Q-QinQ", 0x9200: "802.1Q-9200",
	0x88e5: "802.1AE MACsec", 0x0200: "PUP", 0x0806: "ARP", 0x8035: "Reverse ARP",
	0x0600: "NS", 0x0500: "Sprite", 0x1000: "Trail", 0x6001: "MOP DL", 0x6002: "MOP RC",
	0x6003: "DN", 0x6004: "LAT", 0x6007: "SCA", 0x6558: "TEB", 0x8038: "Lanbridge",
	0x803c: "DEC DNS", 0x803e: "DEC DTS", 0x805b: "VEXP", 0x805c: "VPROD", 0x809b: "Appletalk",
	0x80f3: "Appletalk ARP", 0x8137: "IPX", 0x880b: "PPP", 0x8808: "MPCP", 0x8809: "Slow Protocols",
	0x8863: "PPPoE D", 0x8864: "PPPoE S", 0x888e: "EAPOL", 0x8899: "Realtek protocols",
	0x886f: "MS NLB heartbeat", 0x8870: "Jumbo", 0x894f: "NSH", 0x9000: "Loopback", 0xfefe: "OSI",
	0x00fe: "GRE-OSI", 0xabcd: "CFM (old)", 0x8902: "CFM", 0x893a: "IEEE1905.1", 0x88cc: "LLDP",
	0x88ca: "TIPC", 0x0707: "GeoNet (old)", 0x8947: "GeoNet", 0x1111: "CALM FAST", 0x88a2: "AoE",
	0x88f7: "PTP", 0xd28b: "Arista Vendor Specific Protocol",
}

func printARP(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	d := c.data
	if len(d) < 8 {
		return append(b, " [|arp]"...), true
	}
	hrd, pro, op := be.Uint16(d), be.Uint16(d[2:]), be.Uint16(d[6:])
	hln, pln := int(d[4]), int(d[5])
	if hrd == 19 { // ATM ARP has another layout
		return printATMARP(p, b, c)
	}
	sha, spa := 8, 8+hln
	tha, tpa := spa+pln, spa+pln+hln
	if len(d) < tpa+pln {
		return append(b, " [|arp]"...), true
	}
	b = append(b, "ARP, "...)
	verbose := p.opts.Verbose > 0
	ip := pro == 0x0800 || pro == 0x1000
	if !ip || pln != 4 || hln == 0 || verbose {
		b = appendTok(b, arpHardware, hrd, "Unknown Hardware (%d)")
		b = append(b, " (len "...)
		b = appendUint(b, hln)
		b = append(b, "), "...)
		b = appendTok(b, etherTypeNames, pro, "Unknown Protocol (0x%04x)")
		b = append(b, " (len "...)
		b = appendUint(b, pln)
		b = append(b, ')')
		if !verbose {
			return appendLength(b, c.length), true
		}
		b = append(b, ", "...)
	}
	b = appendTok(b, arpOps, op, "Unknown (%d)")
	b = append(b, ' ')
	protoAddr := func(b []byte, off int) []byte {
		switch {
		case !ip:
			return append(b, "<wrong proto type>"...)
		case pln != 4:
			return append(b, "<wrong len>"...)
		}
		return appendIPv4At(b, d, off)
	}
	switch op {
	case 1:
		b = append(b, "who-has "...)
		b = protoAddr(b, tpa)
		for _, x := range d[tha : tha+hln] {
			if x != 0 {
				b = append(b, " ("...)
				b = appendMAC(b, d[tha:tha+hln])
				b = append(b, ')')
				break
			}
		}
		b = append(b, " tell "...)
		b = protoAddr(b, spa)
	case 2:
		b = protoAddr(b, spa)
		b = append(b, " is-at "...)
		b = appendMAC(b, d[sha:sha+hln])
	case 3, 8:
		b = append(b, "who-is "...)
		b = appendMAC(b, d[tha:tha+hln])
		b = append(b, " tell "...)
		b = appendMAC(b, d[sha:sha+hln])
	case 4:
		b = appendMAC(b, d[tha:tha+hln])
		b = append(b, " at "...)
		b = protoAddr(b, tpa)
	case 9:
		b = appendMAC(b, d[sha:sha+hln])
		b = append(b, " at "...)
		b = protoAddr(b, spa)
	default:
		return appendDefault(b, d), true
	}
	return appendLength(b, c.length), true
}

// printATMARP prints RFC 2225 ATM ARP, whose hardware addresses are an ATM
// number and subaddress with type-and-length bytes.
func printATMARP(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	d := c.data
	if len(d) < 12 {
		return append(b, " [|arp]"...), true
	}
	pro, op := be.Uint16(d[2:]), be.Uint16(d[6:])
	shl, ssl, spl := int(d[4]&0x3f), int(d[5]&0x3f), int(d[8])
	thl, tsl, tpl := int(d[9]&0x3f), int(d[10]&0x3f), int(d[11])
	sha := 12
	ssa := sha + shl
	spa := ssa + ssl
	tha := spa + spl
	tsa := tha + thl
	tpa := tsa + tsl
	if len(d) < tpa+tpl {
		return append(b, " [|arp]"...), true
	}
	b = append(b, "ARP, "...)
	verbose := p.opts.Verbose > 0
	ip := pro == 0x0800 || pro == 0x1000
	if !ip || spl != 4 || tpl != 4 || verbose {
		b = appendTok(b, arpHardware, 19, "")
		b = append(b, ", "...)
		b = appendTok(b, etherTypeNames, pro, "Unknown Protocol (0x%04x)")
		b = fmt.Appendf(b, " (len %d/%d)", spl, tpl)
		if !verbose {
			return appendLength(b, c.length), true
		}
		b = append(b, ", "...)
	}
	b = appendTok(b, arpOps, op, "Unknown (%d)")
	b = append(b, ' ')
	protoAddr := func(b []byte, off, n int, short string) []byte {
		switch {
		case !ip:
			return append(b, "<wrong proto type>"...)
		case n != 4:
			return append(b, short...)
		}
		return appendIPv4At(b, d, off)
	}
	atmAddr := func(b []byte, ha, hl, sa, sl int) []byte {
		if hl == 0 {
			return append(b, "<No address>"...)
		}
		b = appendMAC(b, d[ha:ha+hl])
		if sl != 0 {
			b = append(b, ',')
			b = appendMAC(b, d[sa:sa+sl])
		}
		return b
	}
	switch op {
	case 1:
		b = append(b, "who-has "...)
		b = protoAddr(b, tpa, tpl, "<wrong tplen>")
		if thl != 0 {
			b = append(b, " ("...)
			b = atmAddr(b, tha, thl, tsa, tsl)
			b = append(b, ')')
		}
		b = append(b, " tell "...)
		b = protoAddr(b, spa, spl, "<wrong splen>")
	case 2:
		b = protoAddr(b, spa, spl, "<wrong splen>")
		b = append(b, " is-at "...)
		b = atmAddr(b, sha, shl, ssa, ssl)
	case 8:
		b = append(b, "who-is "...)
		b = atmAddr(b, tha, thl, tsa, tsl)
		b = append(b, " tell "...)
		b = atmAddr(b, sha, shl, ssa, ssl)
	case 9:
		b = atmAddr(b, sha, shl, ssa, ssl)
		b = append(b, "at "...)
		b = protoAddr(b, spa, spl, "<wrong splen>")
	case 10:
		b = append(b, "for "...)
		b = protoAddr(b, spa, spl, "<wrong splen>")
	default:
		return appendDefault(b, d), true
	}
	return appendLength(b, c.length), true
}
