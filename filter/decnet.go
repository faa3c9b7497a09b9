package filter

import (
	"encoding/binary"
	"fmt"
)

// atodn parses a DECnet address "area.node" as libpcap's __pcap_atodn:
// area in the top 6 bits, node in the low 10, extra text ignored.
func atodn(s string) (uint32, bool) {
	var area, node int
	if n, _ := fmt.Sscanf(s, "%d.%d", &area, &node); n != 2 {
		return 0, false
	}
	return uint32(area<<10)&0xfc00 | uint32(node)&0x3ff, true
}

// hostShort is libpcap's ntohs as the machine compiling the filter
// applies it to DECnet header constants: a byte swap on little-endian
// hosts. tcpdump's DECnet tests depend on the host in this way; pcaptool
// keeps the behaviour so that programs and verdicts match tcpdump's on
// the same machine.
func hostShort(v uint16) uint32 {
	var b [2]byte
	binary.BigEndian.PutUint16(b[:], v)
	return uint32(hostOrder().Uint16(b[:]))
}

// decnetHost tests a DECnet routing header's source or destination
// address, in its four layouts (long or short header, with or without a
// pad byte), as libpcap's gen_dnhostop.
func (c *compiler) decnetHost(addr uint32, dir dirQual) *frag {
	// The address's offset after the flags byte in long and short
	// headers: source 15 and 3, destination 7 and 1.
	return c.byDirection(dir,
		func() *frag { return c.decnetAt(addr, 15, 3) },
		func() *frag { return c.decnetAt(addr, 7, 1) },
		notForAddresses)
}

// decnetAt tests the address at offLong in a long header, offShort in a
// short one.
func (c *compiler) decnetAt(addr, offLong, offShort uint32) *frag {
	a := hostShort(uint16(addr))
	b0 := c.linkType(etherTypeDN)
	// Long header with a pad byte.
	tmp := c.mcmp(orLinkPl, 2, szH, hostShort(0x0681), hostShort(0x07ff))
	b1 := and(tmp, c.cmp(orLinkPl, 2+1+offLong, szH, a))
	// Long header without padding.
	tmp = c.mcmp(orLinkPl, 2, szB, 0x06, 0x07)
	b2 := and(tmp, c.cmp(orLinkPl, 2+offLong, szH, a))
	b1 = or(b2, b1)
	// Short header with a pad byte.
	tmp = c.mcmp(orLinkPl, 2, szH, hostShort(0x0281), hostShort(0x07ff))
	b2 = and(tmp, c.cmp(orLinkPl, 2+1+offShort, szH, a))
	b1 = or(b2, b1)
	// Short header without padding.
	tmp = c.mcmp(orLinkPl, 2, szB, 0x02, 0x07)
	b2 = and(tmp, c.cmp(orLinkPl, 2+offShort, szH, a))
	b1 = or(b2, b1)
	return and(b0, b1)
}
