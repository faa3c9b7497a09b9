package decode

import "github.com/pcaptool/pcaptool/linktype"

// ARCNET link layers (LINKTYPE_ARCNET_BSD with RFC 1051 and RFC 1201
// headers, LINKTYPE_ARCNET_LINUX) as tcpdump's arcnet_if_print and
// arcnet_linux_if_print print them without -e: nothing of the link header,
// the carried IPv4, IPv6 or ARP packet, nothing for the middle fragments
// of an RFC 1201 packet.

// linkPrinter appends the line of a packet of a link type gopacket does not
// decode, given the packet's captured bytes and original length, and
// returns the line and the length of the link-layer header.
type linkPrinter func(p *Printer, b, data []byte, length int) ([]byte, int)

// linkPrinters are the link types printed by this package's own code.
var linkPrinters = map[linktype.LinkType]linkPrinter{}

func init() {
	linkPrinters[7] = printARCNET
	linkPrinters[129] = printARCNETLinux
}

// ARCNET protocol types (RFC 1201 and the older RFC 1051 ones).
const (
	arcTypeIPOld    = 240
	arcTypeARPOld   = 241
	arcTypeDiagnose = 0x80
	arcTypeIP       = 212
	arcTypeARP      = 213
	arcTypeRARP     = 214
	arcTypeIPv6     = 0xc4
)

func printARCNET(p *Printer, b, data []byte, length int) ([]byte, int) {
	if len(data) < 3 {
		return append(b, " [|arcnet]"...), len(data)
	}
	typ := data[2]
	hdr := 3
	fragment := false
	switch typ {
	case arcTypeIPOld, arcTypeARPOld, arcTypeDiagnose:
	default:
		if len(data) < 6 {
			return append(b, " phds [|arcnet]"...), len(data)
		}
		flag := data[3]
		hdr = 6
		if flag == 0xff {
			if len(data) < 10 {
				return append(b, " [|arcnet]"...), len(data)
			}
			flag, hdr = data[7], 10
		}
		fragment = flag != 0 && flag&1 == 0
	}
	if fragment {
		return b, hdr
	}
	return p.appendARCNETPayload(b, typ, data[hdr:], length-hdr), hdr
}

func printARCNETLinux(p *Printer, b, data []byte, length int) ([]byte, int) {
	if len(data) < 5 {
		return append(b, " [|arcnet]"...), len(data)
	}
	typ := data[4]
	hdr := 8
	switch typ {
	case arcTypeIPOld, arcTypeARPOld, arcTypeDiagnose:
		hdr = 5
	default:
		if len(data) < 8 {
			return append(b, " [|arcnet]"...), len(data)
		}
	}
	return p.appendARCNETPayload(b, typ, data[hdr:], length-hdr), hdr
}

func (p *Printer) appendARCNETPayload(b []byte, typ byte, d []byte, length int) []byte {
	switch typ {
	case arcTypeIP, arcTypeIPOld:
		return p.appendEtherTypePayload(b, 0x0800, d, length)
	case arcTypeIPv6:
		return p.appendEtherTypePayload(b, 0x86dd, d, length)
	case arcTypeARP, arcTypeARPOld, arcTypeRARP:
		return p.appendEtherTypePayload(b, 0x0806, d, length)
	}
	if p.opts.Hex != HexNone {
		return b
	}
	return appendDefault(b, d)
}
