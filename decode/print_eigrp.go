package decode

import "net/netip"

// EIGRP (RFC 7868, IP protocol 88), as tcpdump's eigrp_print prints it:
// the opcode, at -v the common header and each TLV (parameters, software
// version, IPv4 and AppleTalk routes).

func init() { registerIPProto(88, "EIGRP", printEIGRP) }

var eigrpOpcodes = map[uint8]string{1: "Update", 3: "Query", 4: "Reply", 5: "Hello", 6: "IPX SAP", 7: "Probe"}

var eigrpTLVs = map[uint16]string{0x0001: "General Parameters", 0x0002: "Authentication",
	0x0003: "Sequence", 0x0004: "Software Version", 0x0005: "Next Multicast Sequence",
	0x0102: "IP Internal routes", 0x0103: "IP External routes", 0x0202: "AppleTalk Internal routes",
	0x0203: "AppleTalk External routes", 0x0204: "AppleTalk Cable setup", 0x0302: "IPX Internal routes",
	0x0303: "IPX External routes"}

var eigrpExtProtocols = map[uint8]string{1: "IGRP", 2: "EIGRP", 3: "Static", 4: "RIP", 5: "Hello",
	6: "OSPF", 7: "IS-IS", 8: "EGP", 9: "BGP", 10: "IDRP", 11: "Connected"}

// eigrpTLVMin is the size of each TLV's fixed part after its header.
var eigrpTLVMin = map[uint16]int{0x0001: 8, 0x0004: 4, 0x0102: 22, 0x0103: 42, 0x0204: 8, 0x0202: 24, 0x0203: 40}

func printEIGRP(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	o := &out{b: b, v: p.opts.Verbose}
	o.eigrp(view(c.data), c.length)
	return o.b, true
}

func (o *out) eigrp(d view, length int) {
	defer o.catch("eigrp")
	if !d.has(0, 20) {
		o.str(" [|eigrp]")
		return
	}
	op := d.u8(1)
	if o.v < 1 {
		o.str("EIGRP ")
		o.b = appendTok(o.b, eigrpOpcodes, op, "unknown (%d)")
		o.printf(", length: %d", length)
		return
	}
	if length < 20 {
		o.str("EIGRP ")
		o.b = appendTok(o.b, eigrpOpcodes, op, "unknown (%d)")
		o.printf(", length: %d (too short, < 20)", length)
		return
	}
	tlen := length - 20
	o.printf("\n\tEIGRP v%d, opcode: ", d.u8(0))
	o.b = appendTok(o.b, eigrpOpcodes, op, "unknown, type: %d")
	o.printf(" (%d), chksum: 0x%04x, Flags: [", op, d.u16(2))
	o.b = appendBitNames(o.b, []bitName{{1, "Init"}, {2, "Conditionally Received"}, {4, "Restart"}, {8, "End-of-Table"}}, d.u32(4), ", ", "none")
	o.printf("]\n\tseq: 0x%08x, ack: 0x%08x, VRID: %d, AS: %d, length: %d", d.u32(8), d.u32(12), d.u16(16), d.u16(18), tlen)
	at := 20
	for tlen > 0 {
		if !d.has(at, 4) {
			o.str(" [|eigrp]")
			return
		}
		typ, l := d.u16(at), int(d.u16(at+2))
		if l < 4 || l > tlen {
			o.unknownData(d, at+4, "\n\t    ", tlen)
			return
		}
		o.str("\n\t  ")
		o.b = appendTok(o.b, eigrpTLVs, typ, "Unknown")
		o.printf(" TLV (0x%04x), length: %d", typ, l)
		if !d.has(at, l) {
			o.str(" [|eigrp]")
			return
		}
		o.eigrpTLV(d, typ, at+4, l-4)
		if o.v > 1 {
			o.unknownData(d, at+4, "\n\t    ", l-4)
		}
		at, tlen = at+l, tlen-l
	}
}

func (o *out) eigrpTLV(d view, typ uint16, t, n int) {
	if min, ok := eigrpTLVMin[typ]; ok && n < min {
		o.printf(" (too short, < %d)", 4+min)
		return
	}
	metrics := func(t int) {
		o.printf("\n\t      delay %d ms, bandwidth %d Kbps, mtu %d, hop %d, reliability %d, load %d",
			d.u32(t)/100, d.u32(t+4), d.u24(t+8), d.u8(t+11), d.u8(t+12), d.u8(t+13))
	}
	prefix := func(nexthop, plenAt int) bool {
		bits := int(d.u8(plenAt))
		if bits > 32 {
			o.printf("\n\t    illegal prefix length %d", bits)
			return false
		}
		var a [4]byte
		copy(a[:], d.bytes(plenAt+1, (bits+7)/8))
		o.printf("\n\t    IPv4 prefix: %15s/%d, nexthop: ", netip.AddrFrom4(a).String(), bits)
		if d.u32(nexthop) == 0 {
			o.str("self")
		} else {
			o.b = d.ip4(nexthop).AppendTo(o.b)
		}
		return true
	}
	atNexthop := func(t int) {
		if d.u32(t) == 0 {
			o.str("self")
		} else {
			o.printf("%d.%d", d.u16(t), d.u16(t+2))
		}
	}
	switch typ {
	case 0x0001:
		o.printf("\n\t    holdtime: %ds, k1 %d, k2 %d, k3 %d, k4 %d, k5 %d", d.u16(t+6), d.u8(t), d.u8(t+1), d.u8(t+2), d.u8(t+3), d.u8(t+4))
	case 0x0004:
		o.printf("\n\t    IOS version: %d.%d, EIGRP version %d.%d", d.u8(t), d.u8(t+1), d.u8(t+2), d.u8(t+3))
	case 0x0102:
		if prefix(t, t+20) {
			metrics(t + 4)
		}
	case 0x0103:
		if prefix(t, t+40) {
			o.printf("\n\t      origin-router %s, origin-as %d, origin-proto ", d.ip4(t+4), d.u32(t+8))
			o.b = appendTok(o.b, eigrpExtProtocols, d.u8(t+22), "unknown")
			o.printf(", flags [0x%02x], tag 0x%08x, metric %d", d.u8(t+23), d.u32(t+12), d.u32(t+16))
			metrics(t + 24)
		}
	case 0x0204:
		o.printf("\n\t    Cable-range: %d-%d, Router-ID %d", d.u16(t), d.u16(t+2), d.u32(t+4))
	case 0x0202:
		o.printf("\n\t     Cable-Range: %d-%d, nexthop: ", d.u16(t+20), d.u16(t+22))
		atNexthop(t)
		metrics(t + 4)
	case 0x0203:
		o.printf("\n\t     Cable-Range: %d-%d, nexthop: ", d.u16(t+36), d.u16(t+38))
		atNexthop(t)
		o.printf("\n\t      origin-router %d, origin-as %d, origin-proto ", d.u32(t+4), d.u32(t+8))
		o.b = appendTok(o.b, eigrpExtProtocols, d.u8(t+16), "unknown")
		o.printf(", flags [0x%02x], tag 0x%08x, metric %d", d.u8(t+17), d.u32(t+12), d.u16(t+18))
		metrics(t + 20)
	default:
		if o.v <= 1 {
			o.unknownData(d, t, "\n\t    ", n)
		}
	}
}
