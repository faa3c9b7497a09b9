package decode

import (
	"bytes"
	"fmt"
)

// CDP (Cisco Discovery Protocol, over SNAP 00000c/2000) as tcpdump's
// cdp_print prints it: version, TTL and device ID at -v 0; at -v every TLV
// (addresses, port, capabilities, version string, platform, prefixes, VTP
// domain, native VLAN, duplex, power, MTU, trust, system name, location).

func init() { registerSNAP(0x00000c, 0x2000, printCDP) }

var (
	cdpTLVNames = map[uint16]string{1: "Device-ID", 2: "Address", 3: "Port-ID", 4: "Capability",
		5: "Version String", 6: "Platform", 7: "Prefixes", 8: "Protocol-Hello option",
		9: "VTP Management Domain", 10: "Native VLAN ID", 11: "Duplex",
		14: "ATA-186 VoIP VLAN request", 15: "ATA-186 VoIP VLAN assignment",
		16: "power consumption", 17: "MTU", 18: "AVVID trust bitmap",
		19: "AVVID untrusted ports CoS", 20: "sysName", 21: "sysObjectID",
		22: "Management Addresses", 23: "Physical Location"}
	cdpCapabilities = []bitName{{0x01, "Router"}, {0x02, "Transparent Bridge"},
		{0x04, "Source Route Bridge"}, {0x08, "L2 Switch"}, {0x10, "L3 capable"},
		{0x20, "IGMP snooping"}, {0x40, "L1 capable"}}
)

func printCDP(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	d, length := c.data, c.length
	verbose := p.opts.Verbose > 0
	if len(d) < 4 {
		return append(b, " [|cdp]"...), true
	}
	b = fmt.Appendf(b, "CDPv%d, ttl: %ds", d[0], d[1])
	if verbose {
		b = fmt.Appendf(b, ", checksum: 0x%04x (unverified), length %d", be.Uint16(d[2:]), length)
	}
	for at := 4; at < length; {
		if len(d) < at+4 {
			return append(b, " [|cdp]"...), true
		}
		typ, n := be.Uint16(d[at:]), int(be.Uint16(d[at+2:]))
		name := appendNameOr(nil, cdpTLVNames, typ, "unknown field type")
		if n < 4 {
			if verbose {
				b = fmt.Appendf(b, "\n\t%s (0x%02x), TLV length: %d byte%s (too short)", name, typ, n, plural(n))
			} else {
				b = fmt.Appendf(b, ", %s TLV length %d too short", name, n)
			}
			break
		}
		at += 4
		n -= 4
		if len(d) < at+n {
			return append(b, " [|cdp]"...), true
		}
		v := d[at : at+n]
		at += n
		if !verbose && typ != 1 {
			// tcpdump 4.99 dumps what it does not decode at -v 0 too.
			b = appendHexIdent(b, "\n\t  ", v)
			continue
		}
		if verbose {
			b = fmt.Appendf(b, "\n\t%s (0x%02x), value length: %d byte%s: ", name, typ, n, plural(n))
		}
		var ok bool
		if b, ok = appendCDPValue(b, typ, v, verbose); !ok {
			return append(b, " [|cdp]"...), true
		}
	}
	if !verbose {
		b = appendLength(b, length)
	}
	return b, true
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// appendCDPValue appends the value v of a TLV of type typ, reporting false
// where tcpdump finds it cut short.
func appendCDPValue(b []byte, typ uint16, v []byte, verbose bool) ([]byte, bool) {
	quoted := func(s []byte) []byte {
		b = append(b, '\'')
		b = appendPrintable(b, s)
		return append(b, '\'')
	}
	n := len(v)
	switch typ {
	case 1:
		if !verbose {
			b = append(b, ", Device-ID "...)
		}
		return quoted(v), true
	case 3, 6, 9, 20:
		return quoted(v), true
	case 2, 22:
		return appendCDPAddresses(b, v)
	case 4:
		if n < 4 {
			return b, false
		}
		caps := be.Uint32(v)
		b = fmt.Appendf(b, "(0x%08x): ", caps)
		return appendBitNames(b, cdpCapabilities, caps, ", ", "none"), true
	case 5:
		b = append(b, "\n\t  "...)
		for _, line := range bytes.SplitAfter(v, []byte{'\n'}) {
			if l := len(line); l > 0 && line[l-1] == '\n' {
				b = appendPrintable(b, line[:l-1])
				b = append(b, "\n\t  "...)
				continue
			}
			b = appendPrintable(b, line)
		}
		return b, true
	case 7:
		if n%5 != 0 {
			return b, false
		}
		for i := 0; i < n; i += 5 {
			b = appendIPv4At(b, v, i)
			b = fmt.Appendf(b, "/%d ", v[i+4])
		}
		return b, true
	case 8:
		return b, true
	case 10:
		if n < 2 {
			return b, false
		}
		return fmt.Appendf(b, "%d", be.Uint16(v)), true
	case 11:
		if n < 1 {
			return b, false
		}
		if v[0] != 0 {
			return append(b, "full"...), true
		}
		return append(b, "half"...), true
	case 14:
		if n < 3 {
			return b, false
		}
		return fmt.Appendf(b, "app %d, vlan %d", v[0], be.Uint16(v[1:])), true
	case 16:
		if n < 2 {
			return b, false
		}
		var x uint64
		for _, c := range v {
			x = x<<8 | uint64(c)
		}
		return fmt.Appendf(b, "%1.2fW", float64(x)/1000), true
	case 17:
		if n < 4 {
			return b, false
		}
		return fmt.Appendf(b, "%d bytes", be.Uint32(v)), true
	case 18, 19:
		if n < 1 {
			return b, false
		}
		return fmt.Appendf(b, "0x%02x", v[0]), true
	case 23:
		if n < 1 {
			return b, false
		}
		b = fmt.Appendf(b, "0x%02x", v[0])
		if n > 1 {
			b = append(b, '/')
			b = appendPrintable(b, v[1:])
		}
		return b, true
	}
	return appendHexIdent(b, "\n\t  ", v), true
}

// appendCDPAddresses appends an address list TLV: IPv4 and IPv6 addresses
// by name, others as their protocol and address bytes.
func appendCDPAddresses(b, v []byte) ([]byte, bool) {
	if len(v) < 4 {
		return b, false
	}
	num := be.Uint32(v)
	p := 4
	ipv6SNAP := []byte{0xaa, 0xaa, 0x03, 0, 0, 0, 0x86, 0xdd}
	for p < len(v) && num != 0 {
		if p+2 > len(v) {
			return b, false
		}
		pt, pl := v[p], int(v[p+1])
		p += 2
		if p+pl+2 > len(v) {
			return b, false
		}
		al := int(be.Uint16(v[p+pl:]))
		switch {
		case pt == 1 && pl == 1 && v[p] == 0xcc && al == 4:
			p += 3
			if p+4 > len(v) {
				return b, false
			}
			b = fmt.Appendf(b, "IPv4 (%d) ", num)
			b = appendIPv4At(b, v, p)
			p += 4
		case pt == 2 && pl == 8 && bytes.Equal(v[p:p+8], ipv6SNAP) && al == 16:
			p += 10
			if p+16 > len(v) {
				return b, false
			}
			b = fmt.Appendf(b, "IPv6 (%d) ", num)
			b = appendIPv6At(b, v, p)
			p += 16
		default:
			b = fmt.Appendf(b, "pt=0x%02x, pl=%d, pb=", pt, pl)
			for _, c := range v[p : p+pl] {
				b = fmt.Appendf(b, " %02x", c)
			}
			p += pl + 2
			b = fmt.Appendf(b, ", al=%d, a=", al)
			if p+al > len(v) {
				return b, false
			}
			for _, c := range v[p : p+al] {
				b = fmt.Appendf(b, " %02x", c)
			}
			p += al
		}
		num--
		if num != 0 {
			b = append(b, ' ')
		}
	}
	return b, true
}
