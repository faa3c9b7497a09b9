package decode

import "fmt"

// Solaris ipnet (LINKTYPE_IPNET) as tcpdump's ipnet_print prints it
// without -e: the 24-byte ipnet header (version, address family, hook
// type, packet length, interface and zone numbers) is skipped and the IPv4
// or IPv6 packet it carries prints.

const ipnetHeaderLen = 24

func init() { linkPrinters[226] = printIPNet }

func printIPNet(p *Printer, b, data []byte, length int) ([]byte, int) {
	if length < ipnetHeaderLen || len(data) < ipnetHeaderLen {
		return append(b, " [|ipnet]"...), len(data)
	}
	switch family := data[1]; family {
	case 2, 26: // IPH_AF_INET, IPH_AF_INET6
		return p.appendIPPacket(b, data[ipnetHeaderLen:], length-ipnetHeaderLen), ipnetHeaderLen
	default:
		return fmt.Appendf(b, "ipnet (unknown family %d), length %d", family, length), ipnetHeaderLen
	}
}
