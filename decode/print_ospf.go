package decode

// OSPF version 2 (RFC 2328, IP protocol 89), as tcpdump's ospf_print
// prints it: type and length, at -v the router and area, authentication,
// and each packet type's contents (hello, database description, LS
// request, LS update with every LSA's body, LS acknowledgement) and the
// link-local signalling block. Traffic-engineering and grace LSAs are
// dumped in hex where tcpdump decodes their TLVs.

func init() { registerIPProto(89, "OSPF", printOSPF) }

var ospfTypes = map[uint8]string{1: "Hello", 2: "Database Description", 3: "LS-Request", 4: "LS-Update", 5: "LS-Ack"}

var ospfOptions = []bitName{{0x01, "MultiTopology"}, {0x02, "External"}, {0x04, "Multicast"}, {0x08, "NSSA"},
	{0x10, "LLS"}, {0x20, "Demand Circuit"}, {0x40, "Opaque"}, {0x80, "Up/Down"}}

var ospfLSATypes = map[uint32]string{1: "Router", 2: "Network", 3: "Summary", 4: "ASBR Summary", 5: "External",
	6: "Multicast Group", 7: "NSSA", 9: "Link Local Opaque", 10: "Area Local Opaque", 11: "Domain Wide Opaque"}

var ospfOpaqueTypes = map[uint8]string{1: "Traffic Engineering", 3: "Graceful restart", 4: "Router Information"}

var ospfTopologies = map[uint32]string{0: "default", 1: "multicast", 2: "management"}

// ospfPrinter prints one OSPFv2 packet.
type ospfPrinter struct {
	out
	d view
}

func printOSPF(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	g := &ospfPrinter{out: out{b: b, v: p.opts.Verbose}, d: view(c.data)}
	if c.v6() {
		g.print6(c.length)
	} else {
		g.print(c.length)
	}
	return g.b, true
}

func (g *ospfPrinter) print(length int) {
	defer g.catch("ospf2")
	d := g.d
	if d.u16(14) == 2 { // the MD5 trailer is not part of the packet
		length -= 16
		g.d = d[:max(0, len(d)-16)]
		d = g.d
	}
	typ := d.u8(1)
	g.printf("OSPFv%d, ", d.u8(0))
	g.b = appendTok(g.b, ospfTypes, typ, "unknown LS-type %d")
	g.printf(", length %d", length)
	if _, ok := ospfTypes[typ]; !ok || g.v == 0 {
		return
	}
	olen := int(d.u16(2))
	if length != olen {
		g.printf(" [len %d]", olen)
	}
	end := min(length, olen)
	g.printf("\n\tRouter-ID %s", d.ip4(4))
	if d.u32(8) != 0 {
		g.printf(", Area %s", d.ip4(8))
	} else {
		g.str(", Backbone Area")
	}
	d.need(16, 8)
	auth := d.u16(14)
	g.str(", Authentication Type: ")
	g.b = appendTok(g.b, map[uint16]string{0: "none", 1: "simple", 2: "MD5"}, auth, "unknown")
	g.printf(" (%d)", auth)
	switch auth {
	case 0:
	case 1:
		g.str("\n\tSimple text password: ")
		g.printJNP(d, 16, 8)
	case 2:
		g.printf("\n\tKey-ID: %d, Auth-Length: %d, Crypto Sequence Number: 0x%08x", d.u8(18), d.u8(19), d.u32(20))
	default:
		return
	}
	if v := d.u8(0); v != 2 {
		g.printf(" ospf [version %d]", v)
		return
	}
	if !g.v2(typ, end) {
		panic(truncated{})
	}
	if length > olen {
		g.lls(typ, length)
	}
}

// v2 prints the body; false means truncation.
func (g *ospfPrinter) v2(typ uint8, end int) bool {
	d := g.d
	switch typ {
	case 1:
		g.str("\n\tOptions [")
		g.b = appendBitNames(g.b, ospfOptions, uint32(d.u8(30)), ", ", "none")
		g.printf("]\n\t  Hello Timer %ds, Dead Timer %ds, Mask %s, Priority %d", d.u16(28), d.u32(32), d.ip4(24), d.u8(31))
		if d.u32(36) != 0 {
			g.printf("\n\t  Designated Router %s", d.ip4(36))
		}
		if d.u32(40) != 0 {
			g.printf(", Backup Designated Router %s", d.ip4(40))
		}
		if 44 < end {
			g.str("\n\t  Neighbor List:")
		}
		for at := 44; at < end; at += 4 {
			g.printf("\n\t    %s", d.ip4(at))
		}
	case 2:
		g.str("\n\tOptions [")
		g.b = appendBitNames(g.b, ospfOptions, uint32(d.u8(26)), ", ", "none")
		g.str("], DD Flags [")
		g.b = appendBitNames(g.b, []bitName{{4, "Init"}, {2, "More"}, {1, "Master"}, {8, "OOBResync"}}, uint32(d.u8(27)), ", ", "none")
		g.str("]")
		if mtu := d.u16(24); mtu != 0 {
			g.printf(", MTU: %d", mtu)
		}
		g.printf(", Sequence: 0x%08x", d.u32(28))
		for at := 32; at < end && g.lsaHeader(at) != -1; at += 20 {
		}
	case 3:
		for at := 24; at < end; at += 12 {
			if !d.has(at, 12) {
				return false
			}
			lt := d.u32(at)
			g.printf("\n\t  Advertising Router: %s, ", d.ip4(at+8))
			g.b = appendTok(g.b, ospfLSATypes, lt, "unknown")
			g.printf(" LSA (%d)", lt)
			if lt >= 9 && lt <= 11 {
				ot := d.u8(at + 4)
				g.str(", Opaque-Type: ")
				g.b = appendTok(g.b, ospfOpaqueTypes, ot, "unknown")
				g.printf(" LSA (%d), Opaque-ID: %d", ot, d.u24(at+5))
			} else {
				g.printf(", LSA-ID: %s", d.ip4(at+4))
			}
		}
	case 4:
		count := d.u32(24)
		g.printf(", %d LSA", count)
		if count != 1 {
			g.str("s")
		}
		at := 28
		for i := uint32(1); i <= count; i++ {
			g.printf("\n\t  LSA #%d", i)
			next := g.lsa(at)
			if next < 0 {
				return false
			}
			at = next
		}
	case 5:
		for at := 24; g.lsaHeader(at) != -1; at += 20 {
		}
	}
	return true
}

// lsaHeader prints the LSA header at at and returns the LSA's length, -1
// when it is shorter than a header.
func (g *ospfPrinter) lsaHeader(at int) int {
	d := g.d
	l := int(d.u16(at + 18))
	if l < 20 {
		g.printf("\n\t    Bogus length %d < header (20)", l)
		return -1
	}
	g.printf("\n\t  Advertising Router %s, seq 0x%08x, age %ds, length %d", d.ip4(at+8), d.u32(at+12), d.u16(at), l-20)
	lt := uint32(d.u8(at + 3))
	if lt >= 9 && lt <= 11 {
		ot := d.u8(at + 4)
		g.str("\n\t    ")
		g.b = appendTok(g.b, ospfLSATypes, lt, "unknown")
		g.printf(" LSA (%d), Opaque-Type ", lt)
		g.b = appendTok(g.b, ospfOpaqueTypes, ot, "unknown")
		g.printf(" LSA (%d), Opaque-ID %d", ot, d.u24(at+5))
	} else {
		g.str("\n\t    ")
		g.b = appendTok(g.b, ospfLSATypes, lt, "unknown")
		g.printf(" LSA (%d), LSA-ID: %s", lt, d.ip4(at+4))
	}
	g.str("\n\t    Options: [")
	g.b = appendBitNames(g.b, ospfOptions, uint32(d.u8(at+2)), ", ", "none")
	g.str("]")
	return l
}

// lsa prints the LSA at at and returns where the next starts, -1 on
// truncation or a bogus length.
func (g *ospfPrinter) lsa(at int) int {
	d := g.d
	l := g.lsaHeader(at)
	if l < 0 {
		return -1
	}
	end := at + l
	body := at + 20
	switch d.u8(at + 3) {
	case 1:
		g.str("\n\t    Router LSA Options: [")
		g.b = appendBitNames(g.b, []bitName{{1, "ABR"}, {2, "ASBR"}, {4, "Virtual"}, {8, "Wildcard"}, {0x10, "Nt"}, {0x80, "Host"}}, uint32(d.u8(body)), ", ", "none")
		g.str("]")
		count := int(d.u16(body + 2))
		if !d.has(body+4, 12) {
			return -1
		}
		link := body + 4
		for i := count; i != 0; i-- {
			if !d.has(link, 12) {
				return -1
			}
			id, data := d.ip4(link), d.ip4(link+4)
			switch lt := d.u8(link + 8); lt {
			case 4:
				g.printf("\n\t      Virtual Link: Neighbor Router-ID: %s, Interface Address: %s", id, data)
			case 1:
				g.printf("\n\t      Neighbor Router-ID: %s, Interface Address: %s", id, data)
			case 2:
				g.printf("\n\t      Neighbor Network-ID: %s, Interface Address: %s", id, data)
			case 3:
				g.printf("\n\t      Stub Network: %s, Mask: %s", id, data)
			default:
				g.printf("\n\t      Unknown Router Link Type (%d)", lt)
				return end
			}
			tos := int(d.u8(link + 9))
			for k := 0; k <= tos; k++ {
				e := link + 8 + 4*k
				topo := uint32(0)
				if k > 0 {
					topo = uint32(d.u8(e))
				}
				g.str("\n\t\ttopology ")
				g.b = appendTok(g.b, ospfTopologies, topo, "Unknown")
				g.printf(" (%d), metric %d", topo, d.u16(e+2))
			}
			link += 12 + 4*tos
		}
	case 2:
		g.printf("\n\t    Mask %s\n\t    Connected Routers:", d.ip4(body))
		for a := body + 4; a < end; a += 4 {
			g.printf("\n\t      %s", d.ip4(a))
		}
	case 3, 4:
		if d.u8(at+3) == 3 {
			if !d.has(body, 4) {
				return -1
			}
			g.printf("\n\t    Mask %s", d.ip4(body))
		}
		if !d.has(body+4, 4) {
			return -1
		}
		for a := body + 4; a < end; a += 4 {
			ul := d.u32(a)
			topo := ul & 0x7f000000 >> 24
			g.str("\n\t\ttopology ")
			g.b = appendTok(g.b, ospfTopologies, topo, "Unknown")
			g.printf(" (%d) metric %d", topo, ul&0xffffff)
		}
	case 5, 7:
		if !d.has(body, 4) {
			return -1
		}
		g.printf("\n\t    Mask %s", d.ip4(body))
		if !d.has(body+4, 4) {
			return -1
		}
		for a := body + 4; a < end; a += 12 {
			ul := d.u32(a)
			topo := ul & 0x7f000000 >> 24
			kind := 1
			if ul&0x80000000 != 0 {
				kind = 2
			}
			g.str("\n\t\ttopology ")
			g.b = appendTok(g.b, ospfTopologies, topo, "Unknown")
			g.printf(" (%d), type %d, metric", topo, kind)
			if ul&0xffffff == 0xffffff {
				g.str(" infinite")
			} else {
				g.printf(" %d", ul&0xffffff)
			}
			if d.u32(a+4) != 0 {
				g.printf(", forward %s", d.ip4(a+4))
			}
			if d.u32(a+8) != 0 {
				g.printf(", tag %s", d.ip4(a+8))
			}
		}
	case 6:
		for a := body; a < end; a += 8 {
			switch vt := d.u32(a); vt {
			case 1:
				g.printf("\n\t    Router Router-ID %s", d.ip4(a+4))
			case 2:
				g.printf("\n\t    Network Designated Router %s", d.ip4(a+4))
			default:
				g.printf("\n\t    unknown VertexType (%d)", vt)
			}
		}
	case 9, 10, 11:
		if !g.opaque(at, body, l-20, end) {
			return end
		}
	}
	if g.v > 1 {
		g.unknownData(d, body, "\n\t    ", l-20)
	}
	return end
}

// opaque prints an opaque LSA's body; false ends the LSA early.
func (g *ospfPrinter) opaque(at, body, n, end int) bool {
	d := g.d
	if d.u8(at+4) != 4 { // router information; the other opaque types are dumped
		if g.v <= 1 {
			g.unknownData(d, body, "\n\t    ", n)
		}
		return true
	}
	t := body
	for n != 0 {
		if !d.has(t, 4) {
			panic(truncated{})
		}
		if n < 4 {
			g.printf("\n\t    Remaining LS length %d < 4", n)
			return false
		}
		typ, l := d.u16(t), int(d.u16(t+2))
		t, n = t+4, n-4
		g.str("\n\t    ")
		g.b = appendTok(g.b, map[uint16]string{1: "Router Capabilities"}, typ, "unknown")
		g.printf(" TLV (%d), length: %d, value: ", typ, l)
		if l > n {
			g.printf("\n\t    Bogus length %d > remaining LS length %d", l, n)
			return false
		}
		d.need(t, l)
		if typ == 1 {
			if l != 4 {
				g.printf("\n\t    Bogus length %d != 4", l)
				return false
			}
			g.str("Capabilities: ")
			g.b = appendBitNames(g.b, []bitName{{1, "Reserved"}, {2, "Reserved"}, {4, "Reserved"}, {8, "Reserved"},
				{16, "graceful restart capable"}, {32, "graceful restart helper"}, {64, "Stub router support"},
				{128, "Traffic engineering"}, {256, "p2p over LAN"}, {512, "path computation server"}}, d.u32(t), ", ", "Unknown")
		} else if g.v <= 1 {
			g.unknownData(d, t, "\n\t      ", l)
		}
		t, n = t+l, n-l
	}
	return true
}

// lls prints the link-local signalling block after the packet.
func (g *ospfPrinter) lls(typ uint8, length int) {
	d := g.d
	opts := 0
	switch typ {
	case 1:
		opts = 30
	case 2:
		opts = 26
	default:
		return
	}
	if d.u8(opts)&0x10 == 0 {
		return
	}
	l2 := int(d.u16(2))
	p := l2
	if d.u16(14) == 2 {
		p += int(d.u8(19))
		l2 += int(d.u8(19))
	}
	if l2 >= length {
		g.str("\n\t[LLS truncated]")
		return
	}
	g.printf("\n\t  LLS: checksum: 0x%04x", d.u16(p))
	g.printf(", length: %d", d.u16(p+2))
	for p += 4; p < length; {
		t := d.u16(p)
		g.str("\n\t    ")
		g.b = appendTok(g.b, map[uint16]string{1: "Extended Options", 2: "MD5 Authentication"}, t, "Unknown TLV")
		l := int(d.u16(p + 2))
		g.printf(" (%d), length: %d", t, l)
		p += 4
		switch t {
		case 1:
			if l != 4 {
				g.str(" [should be 4]")
				l = 4
			}
			f := d.u32(p)
			g.printf("\n\t      Options: 0x%08x [", f)
			g.b = appendBitNames(g.b, []bitName{{1, "LSDB resync"}, {2, "Restart"}}, f, ", ", "?")
			g.str("]")
		case 2:
			if l != 20 {
				g.str(" [should be 20]")
				l = 20
			}
			g.printf("\n\t      Sequence number: 0x%08x", d.u32(p))
		}
		p += l
	}
}
