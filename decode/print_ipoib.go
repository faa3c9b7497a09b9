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
// inside a link layer gopacket does not decode, a hex dump when no printer
// knows et.
func (p *Printer) appendEtherTypePayload(b []byte, et uint16, d []byte, length int) []byte {
	if out, ok := p.etherTypePayload(b, et, d, length); ok {
		return out
	}
	if p.opts.Hex != HexNone {
		return b
	}
	return appendDefault(b, d)
}

// etherTypePayload appends a payload identified by EtherType et: IPv4,
// IPv6 and Ethernet (transparent bridging) through gopacket, the rest
// through the registered printers; false when none prints it.
func (p *Printer) etherTypePayload(b []byte, et uint16, d []byte, length int) ([]byte, bool) {
	switch et {
	case 0x0800:
		return p.appendEncapsulated(b, d, layers.LayerTypeIPv4, length), true
	case 0x86dd:
		return p.appendEncapsulated(b, d, layers.LayerTypeIPv6, length), true
	case 0x6558:
		return p.appendEncapsulated(b, d, layers.LayerTypeEthernet, length), true
	}
	return p.printRegistered(b, etherPrinters[et], &printContext{data: d, length: length})
}
