package decode

import "github.com/google/gopacket/layers"

// appendICMPv4Quoted appends, at -v, the datagram an ICMP error message
// quotes (destination unreachable, source quench, redirect, time exceeded,
// parameter problem) on the next lines, and the RFC 4884 multi-part
// extension that may follow it, as tcpdump's icmp_print does. n is the
// ICMP message's length on the wire.
func (p *Printer) appendICMPv4Quoted(b []byte, c *layers.ICMPv4, n int) []byte {
	if p.opts.Verbose == 0 {
		return b
	}
	typ := c.TypeCode.Type()
	switch typ {
	case 3, 4, 5, 11, 12:
	default:
		return b
	}
	inner := c.Payload
	if len(inner) < 20 || inner[0]>>4 != 4 {
		return b
	}
	b = append(b, "\n\t"...)
	b = p.appendIPPacket(b, inner, int(be.Uint16(inner[2:])))
	if typ == 4 || typ == 5 {
		return b
	}
	o := &out{b: b, v: p.opts.Verbose}
	o.icmpExtension(view(inner), c.Id&0xff != 0, n-8)
	return o.b
}

// icmpExtensionStart is where the extension starts after the ICMP header:
// the original datagram is padded to 128 bytes (RFC 4884).
const icmpExtensionStart = 128

var icmpExtensionClasses = map[uint8]string{1: "MPLS Stack Entry", 2: "Interface Identification"}

// icmpExtension prints the multi-part extension in d (the bytes after the
// ICMP header; n on the wire) when the length field says one is there
// (lengthSet) or, when it is not set, unless the whole extension was
// captured and its checksum fails.
func (o *out) icmpExtension(d view, lengthSet bool, n int) {
	defer o.catch("icmp")
	hlen := n - icmpExtensionStart
	if hlen <= 0 || !d.has(icmpExtensionStart, 4) {
		return
	}
	at := icmpExtensionStart
	whole := d.has(at, hlen)
	if !lengthSet && whole && fold(checksumAdd(0, d[at:at+hlen])) != 0xffff {
		return
	}
	version := d.u8(at) >> 4
	o.printf("\n\tICMP Multi-Part extension v%d", version)
	if version != 2 {
		o.str(" packet not supported")
		return
	}
	if whole {
		state := "incorrect"
		if fold(checksumAdd(0, d[at:at+hlen])) == 0xffff {
			state = "correct"
		}
		o.printf(", checksum 0x%04x (%s), length %d", d.u16(at+2), state, hlen)
	}
	at, hlen = at+4, hlen-4
	for hlen > 4 {
		olen, class, ctype := int(d.u16(at)), d.u8(at+2), d.u8(at+3)
		o.str("\n\t  ")
		o.b = appendTok(o.b, icmpExtensionClasses, class, "unknown")
		o.printf(" Object (%d), Class-Type: %d, length %d", class, ctype, olen)
		if olen < 4 || olen > hlen {
			return
		}
		if class == 1 && ctype == 1 {
			for i := at + 4; i+4 <= at+olen; i += 4 {
				e := d.u32(i)
				o.printf("\n\t    label %d, tc %d", e>>12, e>>9&7)
				if e&0x100 != 0 {
					o.str(", [S]")
				}
				o.printf(", ttl %d", e&0xff)
			}
		} else {
			o.hexPrint(d, at+4, "\n\t    ", olen-4)
		}
		at, hlen = at+olen, hlen-olen
	}
}
