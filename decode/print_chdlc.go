package decode

import "fmt"

// Cisco HDLC (LINKTYPE_C_HDLC) as tcpdump's chdlc_print prints it without
// -e: the carried IPv4, IPv6, MPLS or OSI packet, SLARP (address
// request/reply, keepalives with the link's uptime), "unknown CHDLC
// protocol" otherwise.

const chdlcHeaderLen = 4

func init() { linkPrinters[104] = printCHDLC }

func printCHDLC(p *Printer, b, data []byte, length int) ([]byte, int) {
	if length < chdlcHeaderLen || len(data) < chdlcHeaderLen {
		return append(b, " [|chdlc]"...), len(data)
	}
	proto := be.Uint16(data[2:])
	d, n := data[chdlcHeaderLen:], length-chdlcHeaderLen
	switch proto {
	case 0x8035:
		return p.appendSLARP(b, d, n), chdlcHeaderLen
	case 0xfefe:
		if n < 2 || len(d) < 2 {
			return append(b, " [|chdlc]"...), chdlcHeaderLen
		}
		if d[1] == 0x81 || d[1] == 0x82 || d[1] == 0x83 { // a pad byte before the NLPID
			d, n = d[1:], n-1
		}
		if out, ok := p.printRegistered(b, llcPrinters[0xfe], &printContext{data: d, length: n}); ok {
			return out, chdlcHeaderLen
		}
		b = fmt.Appendf(b, "OSI NLPID 0x%02x unknown, length: %d", d[0], n)
		if n > 1 {
			b = appendHexIdent(b, "\n\t", d[:min(len(d), n)])
		}
		return b, chdlcHeaderLen
	case 0x0800, 0x86dd, 0x8847, 0x8848:
		if out, ok := p.etherTypePayload(b, proto, d, n); ok {
			return out, chdlcHeaderLen
		}
	default:
		return fmt.Appendf(b, "unknown CHDLC protocol (0x%04x)", proto), chdlcHeaderLen
	}
	return p.appendEtherTypePayload(b, proto, d, n), chdlcHeaderLen
}

// appendSLARP appends a Cisco SLARP message.
func (p *Printer) appendSLARP(b, d []byte, n int) []byte {
	b = fmt.Appendf(b, "SLARP (length: %d), ", n)
	if n < 14 || len(d) < 14 {
		return append(b, " [|chdlc_slarp]"...)
	}
	switch code := be.Uint32(d); code {
	case 0:
		b = append(b, "request"...)
	case 1:
		b = append(b, "reply "...)
		b = appendIPv4At(b, d, 4)
		b = append(b, '/')
		b = appendIPv4At(b, d, 8)
	case 2:
		b = fmt.Appendf(b, "keepalive: mineseen=0x%08x, yourseen=0x%08x, reliability=0x%04x",
			be.Uint32(d[4:]), be.Uint32(d[8:]), be.Uint16(d[12:]))
		if n >= 18 {
			if len(d) < 18 {
				return append(b, " [|chdlc_slarp]"...)
			}
			sec := be.Uint32(d[14:]) / 1000
			mins := sec / 60
			sec -= mins * 60
			hrs := mins / 60
			mins -= hrs * 60
			days := hrs / 24
			hrs -= days * 24
			b = fmt.Appendf(b, ", link uptime=%dd%dh%dm%ds", days, hrs, mins, sec)
		}
	default:
		b = fmt.Appendf(b, "0x%02x unknown", code)
		if p.opts.Verbose <= 1 {
			b = appendHexIdent(b, "\n\t", d[4:min(len(d), n)])
		}
	}
	if n > 18 && p.opts.Verbose > 0 {
		b = fmt.Appendf(b, ", (trailing junk: %d bytes)", n-18)
	}
	return b
}
