package decode

import "fmt"

// Frame Relay (LINKTYPE_FRELAY) as tcpdump's fr_print prints it without
// -e: the Q.922 address, then either a Cisco-style EtherType (the carried
// IPv4 or IPv6 packet) or, after the UI control byte (" UI xx!" when the
// control byte is something else) and an optional pad, the RFC 2427 NLPID
// of an IPv4, IPv6 or OSI (CLNP, ES-IS, IS-IS) packet.

func init() { linkPrinters[107] = printFrameRelay }

// q922AddressLen returns the length of the Q.922 address at the start of
// d (2 to 4 bytes, ended by the byte whose EA bit is set), 0 when invalid.
func q922AddressLen(d []byte) int {
	if len(d) < 2 || d[0]&1 != 0 {
		return 0
	}
	for i := 1; i < 4 && i < len(d); i++ {
		if d[i]&1 != 0 {
			return i + 1
		}
	}
	return 0
}

func printFrameRelay(p *Printer, b, data []byte, length int) ([]byte, int) {
	if len(data) < 2 {
		return append(b, " [|fr]"...), len(data)
	}
	alen := q922AddressLen(data)
	if alen == 0 {
		if len(data) < 4 && data[0]&1 == 0 {
			return append(b, " [|fr]"...), len(data)
		}
		return append(b, "Q.922, invalid address"...), len(data)
	}
	if len(data) < alen+2 {
		return append(b, " [|fr]"...), len(data)
	}
	if data[alen] != 0x03 && data[alen+1] != 0x03 && (data[alen] != 0 || data[alen+1] != 0x03) {
		// Cisco encapsulation: an EtherType follows the address.
		if proto := be.Uint16(data[alen:]); proto == 0x0800 || proto == 0x86dd {
			hl := alen + 2
			return p.appendEtherTypePayload(b, proto, data[hl:], length-hl), hl
		}
	}
	at := alen
	if data[at] != 0x03 {
		b = fmt.Appendf(b, "UI %02x! ", data[at])
	}
	at++
	if at < len(data) && data[at] == 0 { // pad before the NLPID
		at++
	}
	if at >= len(data) {
		return append(b, " [|fr]"...), len(data)
	}
	nlpid := data[at]
	switch nlpid {
	case 0xcc, 0x8e:
		proto := uint16(0x0800)
		if nlpid == 0x8e {
			proto = 0x86dd
		}
		return p.appendEtherTypePayload(b, proto, data[at+1:], length-at-1), at + 1
	case 0x81, 0x82, 0x83:
		if out, ok := p.printRegistered(b, llcPrinters[0xfe], &printContext{data: data[at:], length: length - at}); ok {
			return out, at
		}
	}
	b = fmt.Appendf(b, "Q.922, hdr-len %d, DLCI %d, Flags [", alen, q922DLCI(data[:alen]))
	b = appendBitNames(b, []bitName{{1, "C!"}, {2, "DE"}, {4, "BECN"}, {8, "FECN"}}, q922Flags(data), ", ", "none")
	b = fmt.Appendf(b, "], NLPID unknown (0x%02x), length %d: ", nlpid, length)
	return b, at + 1
}

// q922DLCI extracts the data link connection identifier of an address.
func q922DLCI(a []byte) uint32 {
	dlci := uint32(a[0]&0xfc)<<2 | uint32(a[1]&0xf0)>>4
	for _, c := range a[2:] {
		dlci = dlci<<7 | uint32(c>>1)
	}
	if len(a) > 2 {
		dlci >>= 1 // the last byte carries six bits and the D/C flag
	}
	return dlci
}

// q922Flags returns the C/R, DE, BECN and FECN bits as bits 0 to 3.
func q922Flags(a []byte) uint32 {
	var f uint32
	if a[0]&2 != 0 {
		f |= 1
	}
	if a[1]&2 != 0 {
		f |= 2
	}
	if a[1]&4 != 0 {
		f |= 4
	}
	if a[1]&8 != 0 {
		f |= 8
	}
	return f
}
