package decode

// OSPFv3 (RFC 5340, IP protocol 89 over IPv6), as tcpdump's ospf6_print
// prints it at -v 0 and 1: type and length, router, area and instance,
// hello and database description fields, the LLS and authentication
// trailers. (tcpdump lists LSAs only from -vv; this printer does not.)

var ospf6Options = []bitName{{0x01, "V6"}, {0x02, "External"}, {0x04, "Deprecated"}, {0x08, "NSSA"},
	{0x10, "Router"}, {0x20, "Demand Circuit"}, {0x100, "AFs Support"}, {0x200, "LLS"}, {0x400, "Authentication Trailer"}}

func (g *ospfPrinter) print6(length int) {
	defer g.catch("ospf3")
	d := g.d
	typ := d.u8(1)
	g.printf("OSPFv%d, ", d.u8(0))
	g.b = appendTok(g.b, ospfTypes, typ, "unknown packet type (%d)")
	g.printf(", length %d", length)
	if _, ok := ospfTypes[typ]; !ok || g.v == 0 {
		return
	}
	datalen := int(d.u16(2))
	if datalen > length {
		g.printf(" [len %d]", datalen)
		return
	}
	g.printf("\n\tRouter-ID %s", d.ip4(4))
	if d.u32(8) != 0 {
		g.printf(", Area %s", d.ip4(8))
	} else {
		g.str(", Backbone Area")
	}
	if id := d.u8(14); id != 0 {
		g.printf(", Instance %d", id)
	}
	if d.u8(0) != 3 {
		return
	}
	lls := false
	switch typ {
	case 1:
		opts := d.u32(20)
		lls = opts&0x200 != 0
		g.str("\n\tOptions [")
		g.b = appendBitNames(g.b, ospf6Options, opts, ", ", "none")
		g.printf("]\n\t  Hello Timer %ds, Dead Timer %ds, Interface-ID %s, Priority %d", d.u16(24), d.u16(26), d.ip4(16), d.u8(20))
		if d.u32(28) != 0 {
			g.printf("\n\t  Designated Router %s", d.ip4(28))
		}
		if d.u32(32) != 0 {
			g.printf(", Backup Designated Router %s", d.ip4(32))
		}
	case 2:
		opts := d.u32(16)
		lls = opts&0x200 != 0
		g.str("\n\tOptions [")
		g.b = appendBitNames(g.b, ospf6Options, opts, ", ", "none")
		g.str("], DD Flags [")
		g.b = appendBitNames(g.b, []bitName{{4, "Init"}, {2, "More"}, {1, "Master"}, {0x10, "IPv6 MTU"}}, uint32(d.u8(23)), ", ", "none")
		g.printf("], MTU %d, DD-Sequence 0x%08x", d.u16(20), d.u32(24))
	}
	if !g.trailer6(datalen, length-datalen, lls) {
		g.str(" [|ospf3]")
	}
}

// trailer6 prints the LLS block (when the options announce it) and the
// authentication trailer after the packet; false means truncation.
func (g *ospfPrinter) trailer6(at, n int, lls bool) bool {
	d := g.d
	if lls && n > 0 {
		if n < 4 {
			return false
		}
		g.printf("\n\tLLS Checksum 0x%04x", d.u16(at))
		l := int(d.u16(at + 2))
		g.printf(", Data Length %d", l)
		if l < 4 || l > n || !d.has(at+4, l-4) {
			return false
		}
		at, n = at+l, n-l
	}
	if n == 0 {
		return true
	}
	if n < 16 {
		return false
	}
	g.str("\n\tAuthentication Type ")
	g.b = appendTok(g.b, map[uint16]string{1: "HMAC"}, d.u16(at), "unknown (0x%04x)")
	l := int(d.u16(at + 2))
	g.printf(", Length %d", l)
	if l < 16 || l > n {
		return false
	}
	g.printf(", SAID %d, CSN 0x%08x:%08x", d.u16(at+6), d.u32(at+8), d.u32(at+12))
	if !d.has(at+16, l-16) {
		return false
	}
	if g.v > 1 {
		g.unknownData(d, at+16, "\n\tAuthentication Data ", l-16)
	}
	return true
}
