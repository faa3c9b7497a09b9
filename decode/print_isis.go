package decode

import (
	"math"
	"net/netip"
)

// IS-IS (ISO 10589, RFC 1195) over 802.2 LLC (SAP 0xfe), as tcpdump's
// isis_print prints it: PDU type and ids, at -v the PDU header and its
// TLVs (area addresses, protocols, interface addresses, neighbours, IS and
// IP reachability in the old, extended and multi-topology forms, LSP
// entries, hostname, restart signalling, point-to-point adjacency, ...).
// TLVs without a decoder here are dumped in hex as tcpdump dumps those it
// does not know; SPB and router-capability sub-TLVs are among them.

func init() { registerLLC(0xfe, printOSI) }

var isisPDUs = map[uint8]string{15: "L1 Lan IIH", 16: "L2 Lan IIH", 17: "p2p IIH", 18: "L1 LSP",
	20: "L2 LSP", 24: "L1 CSNP", 25: "L2 CSNP", 26: "L1 PSNP", 27: "L2 PSNP"}

var isisTLVs = map[uint8]string{1: "Area address(es)", 2: "IS Reachability", 3: "ES Neighbor(s)",
	4: "Partition DIS", 5: "Prefix Neighbors", 6: "IS Neighbor(s)", 7: "Instance Identifier",
	8: "Padding", 9: "LSP entries", 10: "Authentication", 12: "Checksum",
	13: "Purge Originator Identifier", 14: "LSP Buffersize", 22: "Extended IS Reachability",
	24: "IS Alias ID", 42: "DECnet Phase IV", 66: "Lucent Proprietary", 128: "IPv4 Internal Reachability",
	129: "Protocols supported", 130: "IPv4 External Reachability", 131: "Inter-Domain Information Type",
	132: "IPv4 Interface address(es)", 133: "IPv4 authentication (deprecated)",
	134: "Traffic Engineering Router ID", 135: "Extended IPv4 Reachability", 138: "Shared Risk Link Group",
	143: "Multi-Topology-Aware Port Capability", 144: "Multi-Topology Capability",
	176: "Nortel Proprietary", 177: "Nortel Proprietary", 137: "Hostname", 211: "Restart Signaling",
	222: "Multi Topology IS Reachability", 229: "Multi Topology", 232: "IPv6 Interface address(es)",
	235: "Multi-Topology IPv4 Reachability", 236: "IPv6 reachability", 237: "Multi-Topology IP6 Reachability",
	240: "Point-to-point Adjacency State", 241: "Hello PDU Sequence Number", 242: "IS-IS Router Capability",
	250: "Vendor Private"}

// nlpidNames are tcpdump's names of ISO network layer protocol ids.
var nlpidNames = map[uint8]string{0x00: "NULL", 0x08: "Q.933", 0x09: "LMI", 0x80: "SNAP", 0x81: "CLNP",
	0x82: "ES-IS", 0x83: "IS-IS", 0x84: "CONS", 0x85: "IDRP", 0xc1: "ISIS_SPB", 0xb1: "FRF.15",
	0xcc: "IPv4", 0xcf: "PPP", 0x8a: "X25 ES-IS", 0x8e: "IPv6"}

var isisExtISSubTLVs = map[uint8]string{3: "Administrative groups", 4: "Link Local/Remote Identifier",
	5: "Link Remote Identifier", 6: "IPv4 interface address", 8: "IPv4 neighbor address",
	9: "Maximum link bandwidth", 10: "Reservable link bandwidth", 11: "Unreserved bandwidth",
	18: "Traffic Engineering Metric", 19: "Link Attribute", 20: "Link Protection Type",
	21: "Interface Switching Capability", 12: "Bandwidth Constraints (old)", 22: "Bandwidth Constraints",
	32: "LAN Adjacency Segment Identifier", 29: "SPB Metric", 250: "Reserved for cisco specific extensions",
	251: "Reserved for cisco specific extensions", 252: "Reserved for cisco specific extensions",
	253: "Reserved for cisco specific extensions", 254: "Reserved for cisco specific extensions",
	255: "Reserved for future expansion"}

var isisMTs = map[uint16]string{0: "IPv4 unicast", 1: "In-Band Management", 2: "IPv6 unicast",
	3: "Multicast", 4095: "Development, Experimental or Proprietary"}

// isisPrinter prints one IS-IS PDU.
type isisPrinter struct {
	out
	d view
}

// isisTrunc is tcpdump's "goto trunc" in isis_print: " [|isis]" and the
// PDU is over.
type isisTrunc struct{}

func printOSI(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	d := view(c.data)
	if len(d) == 0 || d[0] != 0x83 {
		return b, false // CLNP and ES-IS are not dissected here
	}
	g := &isisPrinter{out: out{b: b, v: p.opts.Verbose}, d: d}
	if !g.pdu(c.length) {
		g.unknownData(d, 0, "\n\t", c.length)
	}
	return g.b, true
}

// isisID formats an n-byte system, node (7) or LSP (8) id.
func (g *isisPrinter) id(at, n int) string {
	d := g.d
	var b []byte
	for i := 1; i <= min(6, n); i++ {
		b = fmtHex2(b, d.u8(at+i-1))
		if i == 2 || i == 4 {
			b = append(b, '.')
		}
	}
	if n >= 7 {
		b = append(b, '.')
		b = fmtHex2(b, d.u8(at+6))
	}
	if n == 8 {
		b = append(b, '-')
		b = fmtHex2(b, d.u8(at+7))
	}
	return string(b)
}

func fmtHex2(b []byte, x uint8) []byte {
	const digits = "0123456789abcdef"
	return append(b, digits[x>>4], digits[x&15])
}

// nsap formats an ISO NSAP address as tcpdump's isonsap_string does.
func nsap(a []byte) string {
	if len(a) < 1 || len(a) > 20 {
		return "isonsap_string: illegal length"
	}
	var b []byte
	for i, x := range a {
		b = fmtHex2(b, x)
		if i&1 == 0 && i+1 < len(a) {
			b = append(b, '.')
		}
	}
	return string(b)
}

// pdu prints the PDU; false means tcpdump's isis_print returned 0 (the
// caller dumps it).
func (g *isisPrinter) pdu(length int) (ok bool) {
	defer g.catch("isis")
	defer func() {
		if r := recover(); r != nil {
			if _, local := r.(isisTrunc); !local {
				panic(r)
			}
			g.b = appendTrunc(g.b, "isis")
			ok = true
		}
	}()
	d := g.d
	if !d.has(0, 8) || length < 8 {
		g.trunc()
	}
	g.str("IS-IS")
	version, idLen, pduVersion, fixedLen := d.u8(2), d.u8(3), d.u8(5), int(d.u8(1))
	if version != 1 {
		g.printf("version %d packet not supported", version)
		return false
	}
	if idLen != 6 && idLen != 0 {
		g.printf("system ID length of %d is not supported", idLen)
		return false
	}
	if pduVersion != 1 {
		g.printf("version %d packet not supported", pduVersion)
		return false
	}
	if length < fixedLen {
		g.printf("fixed header length %d > packet length %d", fixedLen, length)
		return false
	}
	if fixedLen < 8 {
		g.printf("fixed header length %d < minimum header size %d", fixedLen, 8)
		return false
	}
	maxArea := d.u8(7)
	area := int(maxArea)
	switch maxArea {
	case 0:
		area = 3
	case 255:
		g.str("bad packet -- 255 areas")
		return false
	}
	typ := d.u8(4)
	if g.v == 0 {
		g.str(", ")
		g.b = appendTok(g.b, isisPDUs, typ, "unknown PDU-Type %d")
	} else {
		g.printf(", length %d\n\t", length)
		g.b = appendTok(g.b, isisPDUs, typ, "unknown, type %d")
		g.printf(", hlen: %d, v: %d, pdu-v: %d, sys-id-len: %d (%d), max-area: %d (%d)", fixedLen, version, pduVersion, 6, idLen, area, maxArea)
		if g.v > 1 {
			g.unknownData(d, 0, "\n\t", 8)
		}
	}
	at, left, length, ok := g.header(typ, fixedLen, length)
	if !ok || at < 0 {
		return ok
	}
	g.tlvs(at, left, length)
	return true
}

func (g *isisPrinter) trunc() { panic(isisTrunc{}) }

// header prints the PDU-specific header; it returns where the TLVs start
// and how many bytes they span and the PDU length TLVs are checked
// against, or at < 0 when the line is complete.
func (g *isisPrinter) header(typ uint8, fixedLen, length int) (at, left, clamped int, ok bool) {
	d := g.d
	sizes := map[uint8]int{15: 19, 16: 19, 17: 12, 18: 19, 20: 19, 24: 25, 25: 25, 26: 9, 27: 9}
	size, known := sizes[typ]
	if !known {
		if g.v == 0 {
			g.printf(", length %d", length)
			return -1, 0, 0, true
		}
		g.unknownData(d, 8, "\n\t  ", length)
		return -1, 0, 0, false
	}
	if fixedLen != 8+size {
		if typ == 26 || typ == 27 {
			g.printf("- bogus fixed header length %d should be %d", fixedLen, 8+size)
		} else if typ == 18 || typ == 20 {
			g.printf(", bogus fixed header length %d should be %d", fixedLen, size)
		} else {
			g.printf(", bogus fixed header length %d should be %d", fixedLen, 8+size)
		}
		return -1, 0, 0, false
	}
	if !d.has(8, size) || length < 8+size {
		g.trunc()
	}
	h := 8
	pduLen := int(d.u16(h + 9))
	switch typ {
	case 18, 20, 24, 25, 26, 27:
		pduLen = int(d.u16(h))
	}
	if g.v == 0 {
		switch typ {
		case 15, 16:
			g.printf(", src-id %s, lan-id %s, prio %d", g.id(h+1, 6), g.id(h+12, 7), d.u8(h+11))
		case 17:
			g.printf(", src-id %s", g.id(h+1, 6))
		case 18, 20:
			g.printf(", lsp-id %s, seq 0x%08x, lifetime %5ds", g.id(h+4, 8), d.u32(h+12), d.u16(h+2))
		default:
			g.printf(", src-id %s", g.id(h+2, 7))
		}
		g.printf(", length %d", length)
		return -1, 0, 0, true
	}
	if length > pduLen {
		length = pduLen
	}
	circuit := map[uint8]string{1: "Level 1 only", 2: "Level 2 only", 3: "Level 1, Level 2"}
	switch typ {
	case 15, 16:
		g.printf("\n\t  source-id: %s,  holding time: %ds, Flags: [", g.id(h+1, 6), d.u16(h+7))
		g.b = appendTok(g.b, circuit, d.u8(h), "unknown circuit type 0x%02x")
		g.printf("]\n\t  lan-id:    %s, Priority: %d, PDU length: %d", g.id(h+12, 7), d.u8(h+11)&0x7f, pduLen)
	case 17:
		g.printf("\n\t  source-id: %s, holding time: %ds, Flags: [", g.id(h+1, 6), d.u16(h+7))
		g.b = appendTok(g.b, circuit, d.u8(h), "unknown circuit type 0x%02x")
		g.printf("]\n\t  circuit-id: 0x%02x, PDU length: %d", d.u8(h+11), pduLen)
	case 18, 20:
		sum := d.u16(h + 16)
		g.printf("\n\t  lsp-id: %s, seq: 0x%08x, lifetime: %5ds\n\t  chksum: 0x%04x", g.id(h+4, 8), d.u32(h+12), d.u16(h+2), sum)
		g.osiChecksum(h+4, sum, 12, length-12)
		tb := d.u8(h + 18)
		g.printf(", PDU length: %d, Flags: [ ", pduLen)
		if tb&4 != 0 {
			g.str("Overload bit set, ")
		}
		if tb&0x78 != 0 {
			for _, f := range []struct {
				bit  uint8
				name string
			}{{8, "default "}, {0x10, "delay "}, {0x20, "expense "}, {0x40, "error "}} {
				if tb&f.bit != 0 {
					g.str(f.name)
				}
			}
			g.str("ATT bit set, ")
		}
		if tb&0x80 != 0 {
			g.str("P bit set, ")
		}
		g.b = appendTok(g.b, map[uint8]string{0: "Unused 0x0 (invalid)", 1: "L1 IS", 2: "Unused 0x2 (invalid)", 3: "L2 IS"}, tb&3, "Unknown(0x%x)")
		g.str(" ]")
	case 24, 25:
		g.printf("\n\t  source-id:    %s, PDU length: %d", g.id(h+2, 7), pduLen)
		g.printf("\n\t  start lsp-id: %s", g.id(h+9, 8))
		g.printf("\n\t  end lsp-id:   %s", g.id(h+17, 8))
	case 26, 27:
		g.printf("\n\t  source-id:    %s, PDU length: %d", g.id(h+2, 7), pduLen)
	}
	if g.v > 1 {
		g.unknownData(d, 8, "\n\t  ", size)
	}
	if length < 8+size {
		g.printf(" [packet length %d < %d] (invalid)", length, 8+size)
		return -1, 0, 0, true
	}
	return 8 + size, length - 8 - size, length, true
}

// osiChecksum appends tcpdump's verdict on the Fletcher checksum of n
// bytes from at, whose field is off bytes in.
func (g *isisPrinter) osiChecksum(at int, sum uint16, off, n int) {
	d := g.d
	if sum == 0 || off < 0 || !d.has(at+off, 2) || off > n || !d.has(at, n) {
		g.str(" (unverified)")
		return
	}
	if calc := osiChecksum(d[at:at+n], off); calc != sum {
		g.printf(" (incorrect should be 0x%04x)", calc)
		return
	}
	g.str(" (correct)")
}

// osiChecksum computes the ISO 8473 Fletcher checksum the field at off of
// data should hold.
func osiChecksum(data []byte, off int) uint16 {
	var c0, c1 int
	for i, x := range data {
		if i != off && i != off+1 {
			c0 += int(x)
		}
		c1 += c0
	}
	c0 %= 255
	c1 %= 255
	mul := (len(data) - off) * c0
	x := mul - c0 - c1
	y := c1 - mul - 1
	if y >= 0 {
		y++
	}
	if x < 0 {
		x--
	}
	x %= 255
	y %= 255
	if x == 0 {
		x = 255
	}
	if y == 0 {
		y = 255
	}
	return uint16((x&0xff)<<8 | y&0xff)
}

// tlvs prints the TLVs of left bytes from at.
func (g *isisPrinter) tlvs(at, left, length int) {
	d := g.d
	for left > 0 {
		if !d.has(at, 2) || left < 2 {
			g.trunc()
		}
		typ, l := d.u8(at), int(d.u8(at+1))
		at, left = at+2, left-2
		g.str("\n\t    ")
		g.b = appendTok(g.b, isisTLVs, typ, "unknown")
		g.printf(" TLV #%d, length: %d", typ, l)
		if left < l {
			g.trunc()
		}
		if !g.tlv(typ, at, l, length) {
			return
		}
		if g.v > 1 {
			g.unknownData(d, at, "\n\t      ", l)
		}
		at, left = at+l, left-l
	}
}

// fixedEntries prints the size-byte entries of a TLV value at t, n bytes
// long, with each: a partial last entry ends the value unprinted, as in
// tcpdump, and an entry not captured truncates the PDU.
func (g *isisPrinter) fixedEntries(t, n, size int, each func(t int)) {
	for ; n >= size; t, n = t+size, n-size {
		if !g.d.has(t, size) {
			g.trunc()
		}
		each(t)
	}
}

// variableEntries prints the entries of a TLV value at t, n bytes long,
// with each, which returns an entry's length (0 when it is not captured,
// which truncates the PDU); an entry longer than what is left ends the
// value with tcpdump's "(invalid)" note.
func (g *isisPrinter) variableEntries(t, n int, each func(t, n int) int) {
	for n != 0 {
		l := each(t, n)
		if l == 0 {
			g.trunc()
		}
		if n < l {
			g.printf(" [remaining tlv length %d < %d] (invalid)", n, l)
			return
		}
		t, n = t+l, n-l
	}
}

// tlv prints one TLV's value; false means the PDU print is over.
func (g *isisPrinter) tlv(typ uint8, t, n, length int) bool {
	d := g.d
	switch typ {
	case 1:
		for n != 0 {
			alen := int(d.u8(t))
			t, n = t+1, n-1
			if n < alen {
				return true
			}
			g.printf("\n\t      Area address (length: %d): %s", alen, nsap(d.bytes(t, alen)))
			t, n = t+alen, n-alen
		}
	case 2:
		if n < 1 {
			return true
		}
		g.str("\n\t      ")
		g.b = appendTok(g.b, map[uint8]string{0: "IsNotVirtual", 1: "IsVirtual"}, d.u8(t), "bogus virtual flag 0x%02x")
		g.fixedEntries(t+1, n-1, 11, func(t int) {
			g.printf("\n\t      IS Neighbor: %s", g.id(t+4, 7))
			g.metricBlock(t)
		})
	case 3:
		g.fixedEntries(t, n, 10, func(t int) {
			g.printf("\n\t      ES Neighbor: %s", g.id(t+4, 6))
			g.metricBlock(t)
		})
	case 4:
		g.fixedEntries(t, n, 6, func(t int) { g.printf("\n\t      %s", g.id(t, 6)) })
	case 6:
		g.fixedEntries(t, n, 6, func(t int) { g.printf("\n\t      SNPA: %s", g.id(t, 6)) })
	case 7:
		if n < 4 {
			return true
		}
		vals := (n - 2) / 2
		colon := ""
		if vals > 0 {
			colon = ":"
		}
		g.printf("\n\t      Instance ID: %d, ITIDs(%d)%s ", d.u16(t), vals, colon)
		for i := 0; i < vals; i++ {
			g.b = appendUint(g.b, d.u16(t+2+2*i))
			if i < vals-1 {
				g.str(", ")
			}
		}
	case 8:
	case 9:
		for n != 0 {
			if n < 16 {
				return true
			}
			d.need(t+7, 1)
			g.printf("\n\t      lsp-id: %s, seq: 0x%08x, lifetime: %5ds, chksum: 0x%04x", g.id(t+2, 8), d.u32(t+10), d.u16(t), d.u16(t+14))
			t, n = t+16, n-16
		}
	case 10:
		return g.auth(t, n)
	case 12:
		if n < 2 {
			return true
		}
		sum := d.u16(t)
		g.printf("\n\t      checksum: 0x%04x ", sum)
		g.osiChecksum(0, sum, t, length)
	case 13:
		if n < 1 {
			return true
		}
		ids := d.u8(t)
		t, n = t+1, n-1
		if ids == 0 {
			g.str(" No system IDs supplied")
			break
		}
		if n < 6 {
			return true
		}
		d.need(t, 6)
		g.printf("\n\t      Purge Originator System-ID: %s", g.id(t, 6))
		if ids > 1 && n >= 12 {
			d.need(t+6, 7)
			g.printf("\n\t      Received from System-ID: %s", g.id(t+6, 6))
		}
	case 14:
		if n >= 2 {
			g.printf("\n\t      LSP Buffersize: %d", d.u16(t))
		}
	case 22, 24, 222:
		if typ == 222 {
			if !g.mtid(t, n) {
				g.trunc()
			}
			t, n = t+2, n-2
		}
		g.variableEntries(t, n, func(t, n int) int { return g.extISReach(t, typ, n) })
	case 128, 130:
		return g.ipReach(t, n)
	case 129:
		g.str("\n\t      NLPID(s): ")
		for ; n != 0; t, n = t+1, n-1 {
			x := d.u8(t)
			g.b = appendTok(g.b, nlpidNames, x, "unknown")
			g.printf(" (0x%02x)", x)
			if n > 1 {
				g.str(", ")
			}
		}
	case 132:
		for ; n != 0; t, n = t+4, n-4 {
			if n < 4 {
				return true
			}
			g.printf("\n\t      IPv4 interface address: %s", d.ip4(t))
		}
	case 134:
		if n >= 4 {
			g.printf("\n\t      Traffic Engineering Router ID: %s", d.ip4(t))
		}
	case 135, 235, 236, 237:
		if typ == 235 || typ == 237 {
			if !g.mtid(t, n) {
				g.trunc()
			}
			t, n = t+2, n-2
		}
		v6 := typ == 236 || typ == 237
		g.variableEntries(t, n, func(t, _ int) int { return g.extIPReach(t, v6) })
	case 137:
		g.str("\n\t      Hostname: ")
		g.printJNP(d, t, n)
	case 211:
		if n < 1 {
			return true
		}
		g.str("\n\t      Flags [")
		g.b = appendBitNames(g.b, []bitName{{1, "Restart Request"}, {2, "Restart Acknowledgement"}, {4, "Suppress adjacency advertisement"}}, uint32(d.u8(t)), ", ", "none")
		g.str("]")
		t, n = t+1, n-1
		if n < 2 {
			return true
		}
		g.printf(", Remaining holding time %ds", d.u16(t))
		t, n = t+2, n-2
		if n == 6 {
			g.printf(", for %s", g.id(t, 6))
		}
	case 229:
		for n != 0 {
			if n == 1 {
				g.str("\n\t      invalid MT-ID")
				break
			}
			if !g.mtid(t, n) {
				g.trunc()
			}
			t, n = t+2, n-2
		}
	case 232:
		for ; n != 0; t, n = t+16, n-16 {
			if n < 16 {
				return true
			}
			g.printf("\n\t      IPv6 interface address: %s", d.ip6(t))
		}
	case 143:
		return g.mtPortCapability(t, n)
	case 144:
		return g.mtCapability(t, n)
	case 240:
		g.ptpAdjacency(t, n)
	case 242:
		if n < 5 {
			g.printf(" [object length %d < 5] (invalid)", n)
			break
		}
		g.printf("\n\t      Router-ID %s, Flags [", d.ip4(t))
		g.b = appendBitNames(g.b, []bitName{{1, "S bit"}, {2, "D bit"}}, uint32(d.u8(t+4)), ", ", "none")
		g.str("]")
		g.routerCapabilities(t+5, n-5)
	case 241:
		if n >= 4 {
			g.printf("\n\t      Sequence number: %d", d.u32(t))
		}
	default:
		if g.v <= 1 {
			g.unknownData(d, t, "\n\t\t", n)
		}
	}
	return true
}

// metricBlock prints the four metrics of the old-style TLVs at at.
func (g *isisPrinter) metricBlock(at int) {
	d := g.d
	ie := func(x uint8) string {
		if x&0x40 != 0 {
			return "External"
		}
		return "Internal"
	}
	def := d.u8(at)
	g.printf(", Default Metric: %d, %s", def&0x3f, ie(def))
	for i, name := range []string{"Delay", "Expense", "Error"} {
		if m := d.u8(at + 1 + i); m&0x80 == 0 {
			g.printf("\n\t\t  %s Metric: %d, %s", name, m&0x3f, ie(m))
		}
	}
}

// ipReach prints the old-style IPv4 reachability TLVs (128, 130).
func (g *isisPrinter) ipReach(t, n int) bool {
	d := g.d
	const ident = "\n\t      "
	for n > 0 {
		if n < 12 {
			g.printf("short IPv4 Reachability (%d vs %d)", n, 12)
			return false
		}
		if !d.has(t, 12) {
			return false
		}
		prefix, mask := d.ip4(t+4), d.u32(t+8)
		plen := maskLength(mask)
		if plen < 0 {
			g.printf("%sIPv4 prefix: %s mask %s", ident, prefix, d.ip4(t+8))
		} else {
			g.printf("%sIPv4 prefix: %15s/%d", ident, prefix, plen)
		}
		def := d.u8(t)
		dist := "up"
		if def&0x80 != 0 {
			dist = "down"
		}
		ie := func(x uint8) string {
			if x&0x40 != 0 {
				return "External"
			}
			return "Internal"
		}
		g.printf(", Distribution: %s, Metric: %d, %s", dist, def&0x3f, ie(def))
		for i, name := range []string{"Delay", "Expense", "Error"} {
			if m := d.u8(t + 1 + i); m&0x80 == 0 {
				g.printf("%s  %s Metric: %d, %s", ident, name, m&0x3f, ie(m))
			}
		}
		t, n = t+12, n-12
	}
	return true
}

// maskLength returns the prefix length of a contiguous netmask, -1 for
// others.
func maskLength(m uint32) int {
	n := 0
	for m&0x80000000 != 0 {
		m <<= 1
		n++
	}
	if m != 0 {
		return -1
	}
	return n
}

// mtid prints a multi-topology id; false when fewer than 2 bytes remain.
func (g *isisPrinter) mtid(t, n int) bool {
	if n < 2 {
		return false
	}
	v := g.d.u16(t)
	g.str("\n\t      ")
	g.b = appendTok(g.b, isisMTs, v&0xfff, "Reserved for IETF Consensus")
	g.printf(" Topology (0x%03x), Flags: [", v&0xfff)
	g.b = appendBitNames(g.b, []bitName{{0x4000, "ATT bit set"}, {0x8000, "Overload bit set"}}, uint32(v&0xf000), ", ", "none")
	g.str("]")
	return true
}

// extISReach prints one extended IS reachability entry; 0 means
// truncation.
func (g *isisPrinter) extISReach(t int, typ uint8, remaining int) int {
	d := g.d
	ident := "\n\t      "
	if !d.has(t, 7) {
		g.trunc()
	}
	if remaining < 7 {
		return 0
	}
	g.printf("%sIS Neighbor: %s", ident, g.id(t, 7))
	t, remaining = t+7, remaining-7
	done := 7
	if typ != 24 {
		if !d.has(t, 3) {
			g.trunc()
		}
		if remaining < 3 {
			return 0
		}
		g.printf(", Metric: %d", d.u24(t))
		t, remaining, done = t+3, remaining-3, done+3
	}
	if !d.has(t, 1) {
		g.trunc()
	}
	if remaining < 1 {
		return 0
	}
	sum := int(d.u8(t))
	t, remaining, done = t+1, remaining-1, done+1
	if sum == 0 {
		g.str(", no sub-TLVs present")
		return done
	}
	g.printf(", sub-TLVs present (%d)", sum)
	ident += "  "
	for sum != 0 {
		if !d.has(t, 2) {
			g.trunc()
		}
		if remaining < 2 {
			g.printf("%sRemaining data in TLV shorter than a subTLV header", ident)
			return done + remaining
		}
		if sum < 2 {
			g.printf("%sRemaining data in subTLVs shorter than a subTLV header", ident)
			return done + sum
		}
		st, sl := d.u8(t), int(d.u8(t+1))
		t, remaining, sum, done = t+2, remaining-2, sum-2, done+2
		g.printf("%s", ident)
		g.b = appendTok(g.b, isisExtISSubTLVs, st, "unknown")
		g.printf(" subTLV #%d, length: %d", st, sl)
		if sum < sl {
			g.str(" (remaining data in subTLVs shorter than the current subTLV)")
			return done + sum
		}
		if remaining < sl {
			g.str(" (> remaining tlv length)")
			return done + remaining
		}
		if !d.has(t, sl) {
			g.trunc()
		}
		g.extISSubTLV(st, t, sl, ident)
		t, remaining, sum, done = t+sl, remaining-sl, sum-sl, done+sl
	}
	return done
}

func (g *isisPrinter) extISSubTLV(st uint8, t, sl int, ident string) {
	d := g.d
	mbps := func(at int) float32 { return math.Float32frombits(d.u32(at)) * 8 / 1000000 }
	switch st {
	case 3, 4, 5:
		if sl >= 4 {
			g.printf(", 0x%08x", d.u32(t))
			if sl == 8 {
				g.printf(", 0x%08x", d.u32(t+4))
			}
		}
	case 6, 8:
		if sl >= 4 {
			g.printf(", %s", d.ip4(t))
		}
	case 9, 10:
		if sl >= 4 {
			g.printf(", %.3f Mbps", mbps(t))
		}
	case 11:
		if sl >= 32 {
			for c := 0; c < 8; c++ {
				g.printf("%s  TE-Class %d: %.3f Mbps", ident, c, mbps(t+4*c))
			}
		}
	case 18:
		if sl >= 3 {
			g.printf(", %d", d.u24(t))
		}
	case 29: // SPB metric (RFC 6329)
		if sl >= 6 {
			g.printf(", LM: %d, P: %d, P-ID: %d", d.u24(t), d.u8(t+3), d.u16(t+4))
		}
	case 32:
		if sl < 8 {
			break
		}
		f := d.u8(t)
		g.printf("%s  Flags: [", ident)
		g.b = appendBitNames(g.b, []bitName{{0x80, "Address family IPv6"}, {0x40, "Backup"}, {0x20, "Value"},
			{0x10, "Local significance"}, {0x08, "Set of adjacencies"}, {0x04, "Persistent"}}, uint32(f), ", ", "none")
		g.printf("]%s  Weight: %d", ident, d.u8(t+1))
		if sl-2 >= 6 {
			d.need(t+2, 6)
			g.printf("%s  Neighbor System-ID: %s", ident, g.id(t+2, 6))
		}
		switch v, l := f&0x20 != 0, f&0x10 != 0; {
		case v && l:
			g.printf("%s  Label: %d", ident, d.u24(t+8))
		case !v && !l:
			g.printf("%s  Index: %d", ident, d.u32(t+8))
		default:
			g.str(" (invalid)")
		}
	default:
		g.unknownData(d, t, "\n\t\t    ", sl)
	}
}

// extIPReach prints one extended IPv4 or IPv6 reachability entry and
// returns its length; 0 means tcpdump gave up on the TLV.
func (g *isisPrinter) extIPReach(t int, v6 bool) int {
	d := g.d
	ident := "\n\t      "
	metric := d.u32(t)
	done := 4
	t += 4
	status := d.u8(t)
	var bits int
	if !v6 {
		bits = int(status & 0x3f)
		if bits > 32 {
			g.printf("%sIPv4 prefix: bad bit length %d", ident, bits)
			return 0
		}
		t, done = t+1, done+1
	} else {
		bits = int(d.u8(t + 1))
		if bits > 128 {
			g.printf("%sIPv6 prefix: bad bit length %d", ident, bits)
			return 0
		}
		t, done = t+2, done+2
	}
	nb := (bits + 7) / 8
	var a [16]byte
	copy(a[:], d.bytes(t, nb))
	t, done = t+nb, done+nb
	if !v6 {
		g.printf("%sIPv4 prefix: %15s/%d", ident, netip.AddrFrom4([4]byte(a[:4])), bits)
	} else {
		g.printf("%sIPv6 prefix: %s/%d", ident, netip.AddrFrom16(a), bits)
	}
	dist := "up"
	if status&0x80 != 0 {
		dist = "down"
	}
	g.printf(", Distribution: %s, Metric: %d", dist, metric)
	sub := !v6 && status&0x40 != 0 || v6 && status&0x20 != 0
	if !v6 && sub {
		g.str(", sub-TLVs present")
	} else if v6 {
		ie := "Internal"
		if status&0x40 != 0 {
			ie = "External"
		}
		g.printf(", %s", ie)
		if sub {
			g.str(", sub-TLVs present")
		}
	}
	if !sub {
		return done
	}
	sublen := int(d.u8(t))
	t++
	done += sublen + 1
	g.printf(" (%d)", sublen)
	for sublen > 0 {
		st, sl := d.u8(t), int(d.u8(t+1))
		t += 2
		g.printf("%s  ", ident)
		g.b = appendTok(g.b, map[uint8]string{1: "32-Bit Administrative tag", 2: "64-Bit Administrative tag", 3: "Prefix SID", 117: "Management Prefix Color"}, st, "unknown")
		g.printf(" subTLV #%d, length: %d", st, sl)
		d.need(t, sl)
		switch st {
		case 1, 117:
			for o := 0; sl-o >= 4; o += 4 {
				g.printf(", 0x%08x (=%d)", d.u32(t+o), d.u32(t+o))
			}
		case 2:
			for o := 0; sl-o >= 8; o += 8 {
				g.printf(", 0x%08x%08x", d.u32(t+o), d.u32(t+o+4))
			}
		default:
			g.unknownData(d, t, "\n\t\t    ", sl)
		}
		t += sl
		sublen -= sl + 2
	}
	return done
}

func (g *isisPrinter) ptpAdjacency(t, n int) {
	d := g.d
	if n >= 1 {
		st := d.u8(t)
		g.str("\n\t      Adjacency State: ")
		g.b = appendTok(g.b, map[uint8]string{0: "Up", 1: "Initializing", 2: "Down"}, st, "unknown")
		g.printf(" (%d)", st)
		n--
	}
	if n > 4 {
		g.printf("\n\t      Extended Local circuit-ID: 0x%08x", d.u32(t+1))
		n -= 4
	}
	if n >= 6 {
		d.need(t+5, 6)
		g.printf("\n\t      Neighbor System-ID: %s", g.id(t+5, 6))
		n -= 6
	}
	if n >= 4 {
		g.printf("\n\t      Neighbor Extended Local circuit-ID: 0x%08x", d.u32(t+11))
	}
}

func (g *isisPrinter) auth(t, n int) bool {
	d := g.d
	if n < 1 {
		return true
	}
	typ := d.u8(t)
	t, n = t+1, n-1
	g.str("\n\t      ")
	g.b = appendTok(g.b, map[uint8]string{1: "simple text password", 3: "Generic Crypto key-id", 54: "HMAC-MD5 password", 255: "Routing Domain private password"}, typ, "unknown Authentication type 0x%02x")
	g.str(": ")
	switch typ {
	case 1:
		g.printJNP(d, t, n)
	case 3:
		if n < 2 {
			return true
		}
		g.printf("%d, password: %x", d.u16(t), d.bytes(t+2, n-2))
	default:
		g.unknownData(d, t, "\n\t\t  ", n)
	}
	return true
}

// routerCapabilities prints the sub-TLVs of a router capability TLV.
func (g *isisPrinter) routerCapabilities(t, n int) {
	d := g.d
	for n >= 2 {
		st, sl := d.u8(t), int(d.u8(t+1))
		t, n = t+2, n-2
		g.str("\n\t\t")
		g.b = appendTok(g.b, map[uint8]string{2: "SR-Capabilities"}, st, "unknown")
		g.printf(" subTLV #%d, length: %d", st, sl)
		if sl > n {
			return
		}
		if !d.has(t, sl) {
			return
		}
		if st != 2 {
			g.unknownData(d, t, "\n\t\t", sl)
			t, n = t+sl, n-sl
			continue
		}
		f := d.u8(t)
		g.str(", Flags [")
		g.b = appendBitNames(g.b, []bitName{{0x80, "ipv4"}, {0x40, "ipv6"}}, uint32(f), ", ", "None")
		g.printf("], Range %d", d.u24(t+1))
		for p, left := t+4, sl-4; left >= 5; {
			typ, l := d.u8(p), int(d.u8(p+1))
			p, left = p+2, left-2
			if l > left {
				break
			}
			switch {
			case typ == 1 && l == 3:
				g.printf(", SID value %d", d.u24(p))
			case typ == 1 && l == 4:
				g.printf(", SID value %d", d.u32(p))
			case typ == 1:
				g.printf(", Unknown SID length%d", l)
			default:
				g.unknownData(d, p, "\n\t\t  ", l)
			}
			p, left = p+l, left-l
		}
		t, n = t+sl, n-sl
	}
}
