package decode

import (
	"fmt"

	"github.com/google/gopacket"
)

// GRE (RFC 2784, 2890; version 1 as PPTP uses it, RFC 2637) as tcpdump's
// gre_print prints it: flags at -v, checksum, offset, key, sequence and
// acknowledgement numbers, source routes, then the packet it carries (IPv4,
// IPv6, Ethernet, and what other printers register: MPLS, OSI) on the same
// line, or on the next at -v.

func init() { registerIPProto(47, "GRE", printGRE) }

var greFlags = []bitName{{0x8000, "checksum present"}, {0x4000, "routing present"},
	{0x2000, "key present"}, {0x1000, "sequence# present"}, {0x0800, "source routing present"},
	{0x0080, "ack present"}}

func printGRE(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	d, length := c.data, c.length
	b = append(b, "GRE"...)
	if len(d) < 2 || length < 2 {
		return append(b, " [|gre]"...), true
	}
	flags := be.Uint16(d)
	version := flags & 7
	b = fmt.Appendf(b, "v%d", version)
	if version > 1 {
		return append(b, " ERROR: unknown-version"...), true
	}
	if p.opts.Verbose > 0 {
		b = append(b, ", Flags ["...)
		b = appendBitNames(b, greFlags, uint32(flags), ", ", "none")
		b = append(b, ']')
	}
	at := 4
	trunc := func(n int) bool { return len(d) < at+n }
	if trunc(0) {
		return append(b, " [|gre]"...), true
	}
	proto := be.Uint16(d[2:])
	if version == 1 {
		return p.appendGREv1(b, d, flags, proto, length), true
	}
	if flags&0xc000 != 0 {
		if trunc(4) {
			return append(b, " [|gre]"...), true
		}
		if p.opts.Verbose > 0 {
			b = fmt.Appendf(b, ", sum 0x%x", be.Uint16(d[at:]))
		}
		b = fmt.Appendf(b, ", off 0x%x", be.Uint16(d[at+2:]))
		at += 4
	}
	if flags&0x2000 != 0 {
		if trunc(4) {
			return append(b, " [|gre]"...), true
		}
		b = fmt.Appendf(b, ", key=0x%x", be.Uint32(d[at:]))
		at += 4
	}
	if flags&0x1000 != 0 {
		if trunc(4) {
			return append(b, " [|gre]"...), true
		}
		b = fmt.Appendf(b, ", seq %d", be.Uint32(d[at:]))
		at += 4
	}
	if flags&0x4000 != 0 {
		for {
			if trunc(4) {
				return append(b, " [|gre]"...), true
			}
			af, sreLen := be.Uint16(d[at:]), int(d[at+3])
			at += 4
			if af == 0 && sreLen == 0 {
				break
			}
			switch af {
			case 0x0800:
				b = append(b, ", (rtaf=ip)"...)
			case 0xfffe:
				b = append(b, ", (rtaf=asn)"...)
			default:
				b = fmt.Appendf(b, ", (rtaf=0x%x)", af)
			}
			at += sreLen
		}
	}
	b = appendLength(b, length)
	if p.opts.Verbose > 0 {
		b = append(b, "\n\t"...)
	} else {
		b = append(b, ": "...)
	}
	return p.appendGREPayload(b, proto, d[min(at, len(d)):], length-at), true
}

// appendGREv1 appends the rest of an enhanced (PPTP) GRE header and its PPP
// payload.
func (p *Printer) appendGREv1(b, d []byte, flags, proto uint16, length int) []byte {
	at := 4
	for _, f := range []struct {
		bit  uint16
		text string
	}{{0x2000, ", call %d"}, {0x1000, ", seq %d"}, {0x0080, ", ack %d"}} {
		if flags&f.bit == 0 {
			continue
		}
		if len(d) < at+4 {
			return append(b, " [|gre]"...)
		}
		v := be.Uint32(d[at:])
		if f.bit == 0x2000 {
			v &= 0xffff
		}
		b = fmt.Appendf(b, f.text, v)
		at += 4
	}
	if flags&0x1000 == 0 {
		b = append(b, ", no-payload"...)
	}
	b = appendLength(b, length)
	if flags&0x1000 == 0 {
		return b
	}
	if p.opts.Verbose > 0 {
		b = append(b, "\n\t"...)
	} else {
		b = append(b, ": "...)
	}
	if f := etherPrinters[proto]; proto == 0x880b && f != nil {
		if out, ok := p.printRegistered(b, f, &printContext{data: d[min(at, len(d)):], length: length - at}); ok {
			return out
		}
	}
	return fmt.Appendf(b, "gre-proto-0x%x", proto)
}

// appendGREPayload appends the packet a GRE header carries, for the
// protocols tcpdump's gre_print dissects.
func (p *Printer) appendGREPayload(b []byte, proto uint16, data []byte, length int) []byte {
	switch proto {
	case 0x00fe: // OSI network layer, as after an LLC header
		if out, ok := p.printRegistered(b, llcPrinters[0xfe], &printContext{data: data, length: length}); ok {
			return out
		}
	case 0x0800, 0x86dd, 0x6558, 0x8847, 0x8137, 0x809b, 0x894f: // IP, IPv6, Ethernet, MPLS, IPX, AppleTalk, NSH
		if out, ok := p.etherTypePayload(b, proto, data, length); ok {
			return out
		}
	}
	return fmt.Appendf(b, "gre-proto-0x%x", proto)
}

// appendEncapsulated appends the line of a packet carried inside another
// (GRE, VXLAN, Geneve, ...), decoded from its first layer first; length is
// its length on the wire.
func (p *Printer) appendEncapsulated(b, data []byte, first gopacket.Decoder, length int) []byte {
	saved := p.ttl
	gp := gopacket.NewPacket(data, first, gopacket.DecodeOptions{NoCopy: true})
	b, _ = p.AppendSummary(b, gp, length)
	p.ttl = saved
	return b
}
