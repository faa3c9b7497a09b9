package decode

import (
	"fmt"

	"github.com/google/gopacket/layers"
)

// VXLAN (RFC 7348, UDP 4789) and Geneve (RFC 8926, UDP 6081) as tcpdump's
// vxlan_print and geneve_print print them: the tunnel header, then the
// frame or packet it carries (VXLAN's on a line of its own, as tcpdump
// does; Geneve's after ": ", or on the next line at -v).

func init() {
	registerUDPPorts(640, printVXLAN, 4789)
	registerUDPPorts(630, printGeneve, 6081)
}

func printVXLAN(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	d := c.data
	b = append(b, "VXLAN"...)
	if c.length < 8 {
		return append(b, " (invalid)"...), true
	}
	if len(d) < 8 {
		return append(b, " [|vxlan]"...), true
	}
	i := "."
	if d[0]&0x08 != 0 {
		i = "I"
	}
	b = fmt.Appendf(b, ", flags [%s] (0x%02x), vni %d\n", i, d[0], uint32(d[4])<<16|uint32(d[5])<<8|uint32(d[6]))
	return p.appendEncapsulated(b, d[8:], layers.LayerTypeEthernet, c.length-8), true
}

var geneveFlags = []bitName{{0x80, "O"}, {0x40, "C"}}

func printGeneve(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	d, length := c.data, c.length
	b = append(b, "Geneve"...)
	if length < 8 {
		return fmt.Appendf(b, " [length %d < 8] (invalid)", length), true
	}
	if len(d) < 8 {
		return append(b, " [|geneve]"...), true
	}
	if v := d[0] >> 6; v != 0 {
		return fmt.Appendf(b, " ERROR: unknown-version %d", v), true
	}
	b = append(b, ", Flags ["...)
	b = appendBitNames(b, geneveFlags, uint32(d[1]), "", "none")
	b = fmt.Appendf(b, "], vni 0x%x", uint32(d[4])<<16|uint32(d[5])<<8|uint32(d[6]))
	if d[7] != 0 {
		b = fmt.Appendf(b, ", rsvd 0x%x", d[7])
	}
	proto := be.Uint16(d[2:])
	optLen := int(d[0]&0x3f) * 4
	left := length - 8
	if left < optLen {
		return fmt.Appendf(b, " truncated-geneve - %d bytes missing", optLen-left), true
	}
	if len(d) < 8+optLen {
		return append(b, " [|geneve]"...), true
	}
	if optLen > 0 {
		b = append(b, ", options ["...)
		if p.opts.Verbose > 0 {
			b = appendGeneveOptions(b, d[8:8+optLen], p.opts.Verbose)
		} else {
			b = fmt.Appendf(b, "%d bytes", optLen)
		}
		b = append(b, ']')
	}
	if p.opts.Verbose > 0 {
		b = append(b, "\n\t"...)
	} else {
		b = append(b, ": "...)
	}
	if out, ok := p.etherTypePayload(b, proto, d[8+optLen:], left-optLen); ok {
		return out, true
	}
	return fmt.Appendf(b, "geneve-proto-0x%x", proto), true
}

// appendGeneveOptions appends the option headers (and at -vv their data).
func appendGeneveOptions(b, opts []byte, verbose int) []byte {
	for i := 0; len(opts) > 0; i++ {
		if i > 0 {
			b = append(b, ", "...)
		}
		if len(opts) < 4 {
			return append(b, " [|geneve]"...)
		}
		class, typ, n := be.Uint16(opts), opts[2], 4+int(opts[3]&0x1f)*4
		crit := ""
		if typ&0x80 != 0 {
			crit = "(C)"
		}
		b = fmt.Appendf(b, "class %s (0x%x) type 0x%x%s len %d", geneveClassName(class), class, typ, crit, n)
		if n > len(opts) {
			return append(b, " [bad length]"...)
		}
		if verbose > 1 && n > 4 {
			b = append(b, " data"...)
			for j := 4; j+4 <= n; j += 4 {
				b = fmt.Appendf(b, " %08x", be.Uint32(opts[j:]))
			}
		}
		opts = opts[n:]
	}
	return b
}

func geneveClassName(class uint16) string {
	switch class {
	case 0x0100:
		return "Linux"
	case 0x0101:
		return "Open vSwitch"
	case 0x0102:
		return "Open Virtual Networking (OVN)"
	case 0x0103:
		return "In-band Network Telemetry (INT)"
	case 0x0104:
		return "VMware"
	}
	switch {
	case class <= 0xff:
		return "Standard"
	case class >= 0xfff0:
		return "Experimental"
	}
	return "Unknown"
}
