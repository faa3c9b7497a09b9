package decode

import "github.com/google/gopacket/layers"

// IP over InfiniBand (LINKTYPE_IPOIB, RFC 4391 with Linux's 44-byte
// pseudo-header) as tcpdump's ipoib_print prints it without -e: the
// carried packet by its EtherType.

const ipoibHeaderLen = 44

func init() { linkPrinters[242] = printIPoIB }

func printIPoIB(p *Printer, b, data []byte, length int) ([]byte, int) {
	if len(data) < ipoibHeaderLen {
		return append(b, " [|ipoib]"...), len(data)
	}
	return p.appendEtherTypePayload(b, be.Uint16(data[40:]), data[ipoibHeaderLen:], length-ipoibHeaderLen), ipoibHeaderLen
}

// appendEtherTypePayload appends a payload identified by EtherType et
// inside a link layer gopacket does not decode: IPv4, IPv6 and Ethernet
// through gopacket, the rest through the registered printers, a hex dump
// otherwise.
func (p *Printer) appendEtherTypePayload(b []byte, et uint16, d []byte, length int) []byte {
	switch et {
	case 0x0800:
		return p.appendEncapsulated(b, d, layers.LayerTypeIPv4, length)
	case 0x86dd:
		return p.appendEncapsulated(b, d, layers.LayerTypeIPv6, length)
	}
	if out, ok := p.printRegistered(b, etherPrinters[et], &printContext{data: d, length: length}); ok {
		return out
	}
	if p.opts.Hex != HexNone {
		return b
	}
	return appendDefault(b, d)
}
