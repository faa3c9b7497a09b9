package decode

import "fmt"

// IEEE 802.3 slow protocols (LACP, Marker; EtherType 0x8809) and Cisco's
// UDLD (over SNAP 00000c/0111), as tcpdump's slow_print and udld_print
// print them.

func init() {
	registerEtherType(0x8809, printSlow)
	registerSNAP(0x00000c, 0x0111, printUDLD)
}

var (
	slowSubtypes = map[uint8]string{1: "LACP", 2: "MARKER", 3: "OAM"}
	slowTLVNames = map[uint16]string{0x100: "Terminator", 0x101: "Actor Information",
		0x102: "Partner Information", 0x103: "Collector Information", 0x200: "Terminator",
		0x201: "Marker Information"}
	lacpStateFlags = []bitName{{0x01, "Activity"}, {0x02, "Timeout"}, {0x04, "Aggregation"},
		{0x08, "Synchronization"}, {0x10, "Collecting"}, {0x20, "Distributing"},
		{0x40, "Default"}, {0x80, "Expired"}}
)

func printSlow(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	d, length := c.data, c.length
	verbose := p.opts.Verbose > 0
	tooShort := func(b []byte) []byte {
		if verbose {
			return append(b, "\n\t\t packet is too short"...)
		}
		return append(b, " (packet is too short)"...)
	}
	if length < 1 {
		return tooShort(b), true
	}
	if len(d) < 1 {
		return append(b, " [|slow]"...), true
	}
	sub := d[0]
	if sub == 1 || sub == 2 {
		if length < 2 {
			return tooShort(b), true
		}
		if len(d) < 2 {
			return append(b, " [|slow]"...), true
		}
		if d[1] != 1 {
			return fmt.Appendf(b, "%s version %d packet not supported", slowSubtypes[sub], d[1]), true
		}
		b = fmt.Appendf(b, "%sv%d, length %d", slowSubtypes[sub], d[1], length)
	} else {
		b = appendTok(b, slowSubtypes, sub, "unknown (%d)")
		b = appendLength(b, length)
		if sub != 3 {
			return appendHexIdent(b, "\n\t", d[:min(len(d), length)]), true
		}
	}
	if !verbose || sub == 3 {
		return b, true
	}
	tlvs, left := d[2:], length-2
	for left > 0 {
		if left < 2 {
			return append(b, "\n\t\t packet is too short"...), true
		}
		if len(tlvs) < 2 {
			return append(b, " [|slow]"...), true
		}
		typ, n := tlvs[0], int(tlvs[1])
		key := uint16(sub)<<8 | uint16(typ)
		b = append(b, "\n\t"...)
		b = appendNameOr(b, slowTLVNames, key, "Unknown")
		b = fmt.Appendf(b, " TLV (0x%02x), length %d", typ, n)
		if typ == 0 {
			return b, true
		}
		if n < 2 {
			return append(b, "\n\t    ERROR: illegal length - should be >= 2"...), true
		}
		if left < n {
			return append(b, "\n\t\t packet is too short"...), true
		}
		if len(tlvs) < n {
			return append(b, " [|slow]"...), true
		}
		v := tlvs[2:n]
		want := map[uint16]int{0x101: 18, 0x102: 18, 0x103: 14, 0x201: 14}[key]
		switch {
		case want > 0 && len(v) != want:
			b = fmt.Appendf(b, "\n\t    ERROR: illegal length - should be %d", want+2)
		case key == 0x101 || key == 0x102:
			b = append(b, "\n\t  System "...)
			b = appendMAC(b, v[2:8])
			b = fmt.Appendf(b, ", System Priority %d, Key %d, Port %d, Port Priority %d\n\t  State Flags [",
				be.Uint16(v), be.Uint16(v[8:]), be.Uint16(v[12:]), be.Uint16(v[10:]))
			b = appendBitNames(b, lacpStateFlags, uint32(v[14]), ", ", "none")
			b = append(b, ']')
		case key == 0x103:
			b = fmt.Appendf(b, "\n\t  Max Delay %d", be.Uint16(v))
		case key == 0x201:
			b = append(b, "\n\t  Request System "...)
			b = appendMAC(b, v[2:8])
			b = fmt.Appendf(b, ", Request Port %d, Request Transaction ID 0x%08x", be.Uint16(v), be.Uint32(v[8:]))
		default:
			if p.opts.Verbose <= 1 {
				b = appendHexIdent(b, "\n\t  ", v)
			}
		}
		if p.opts.Verbose > 1 {
			b = appendHexIdent(b, "\n\t  ", v)
		}
		tlvs, left = tlvs[n:], left-n
	}
	return b, true
}

var (
	udldCodes    = map[uint8]string{0: "Reserved", 1: "Probe message", 2: "Echo message", 3: "Flush message"}
	udldFlags    = []bitName{{0x01, "RT"}, {0x02, "RSY"}}
	udldTLVNames = map[uint16]string{1: "Device-ID TLV", 2: "Port-ID TLV", 3: "Echo TLV",
		4: "Message Interval TLV", 5: "Timeout Interval TLV", 6: "Device Name TLV",
		7: "Sequence Number TLV"}
)

func printUDLD(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	d, length := c.data, c.length
	if length < 4 {
		return append(b, " (invalid)"...), true
	}
	if len(d) < 2 {
		return append(b, " [|udld]"...), true
	}
	code := d[0] & 0x1f
	b = fmt.Appendf(b, "UDLDv%d, Code ", d[0]>>5)
	b = appendNameOr(b, udldCodes, code, "Reserved")
	b = fmt.Appendf(b, " (%x), Flags [", code)
	b = appendBitNames(b, udldFlags, uint32(d[1]), ", ", "none")
	b = fmt.Appendf(b, "] (0x%02x), length %d", d[1], length)
	if p.opts.Verbose == 0 {
		if len(d) < length {
			return append(b, " [|udld]"...), true
		}
		return b, true
	}
	if len(d) < 4 {
		return append(b, " [|udld]"...), true
	}
	b = fmt.Appendf(b, "\n\tChecksum 0x%04x (unverified)", be.Uint16(d[2:]))
	tlvs, left := d[4:], length-4
	for left > 0 {
		if left < 4 {
			return append(b, " (invalid)"...), true
		}
		if len(tlvs) < 4 {
			return append(b, " [|udld]"...), true
		}
		typ, n := be.Uint16(tlvs), int(be.Uint16(tlvs[2:]))
		tlvs, left = tlvs[4:], left-4
		b = append(b, "\n\t"...)
		b = appendNameOr(b, udldTLVNames, typ, "Unknown")
		b = fmt.Appendf(b, " (0x%04x) TLV, length %d", typ, n)
		if n <= 4 || n-4 > left {
			return append(b, " (invalid)"...), true
		}
		n -= 4
		if len(tlvs) < n {
			return append(b, " [|udld]"...), true
		}
		v := tlvs[:n]
		switch typ {
		case 1, 2, 6:
			b = append(b, ", "...)
			b = appendZeroPadded(b, v)
		case 3:
			b = append(b, ", "...)
			b = appendPrintable(b, v)
		case 4, 5:
			if n != 1 {
				return append(b, " (invalid)"...), true
			}
			b = fmt.Appendf(b, ", %ds", v[0])
		case 7:
			if n != 4 {
				return append(b, " (invalid)"...), true
			}
			b = fmt.Appendf(b, ", %d", be.Uint32(v))
		}
		tlvs, left = tlvs[n:], left-n
	}
	return b, true
}
