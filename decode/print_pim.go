package decode

import "net/netip"

// PIM version 2 (RFC 7761, IP protocol 103), as tcpdump's pim_print
// prints it: type and length, at -v the checksum check and each message's
// contents (hello options, join/prune groups and sources, register with
// the encapsulated packet's line, bootstrap, assert, candidate RP, ...).

func init() { registerIPProto(103, "PIM", printPIM) }

var pimV2Types = map[uint8]string{0: "Hello", 1: "Register", 2: "Register Stop", 3: "Join / Prune",
	4: "Bootstrap", 5: "Assert", 6: "Graft", 7: "Graft Acknowledgement", 8: "Candidate RP Advertisement",
	9: "Prune Refresh", 10: "DF Election", 11: "ECMP Redirect"}

var pimHelloOptions = map[uint16]string{1: "Hold Time", 2: "LAN Prune Delay", 18: "DR Priority (Old)",
	19: "DR Priority", 20: "Generation ID", 21: "State Refresh Capability", 22: "Bi-Directional Capability",
	24: "Address List", 65001: "Address List (Old)"}

// pimPrinter prints one PIM message.
type pimPrinter struct {
	out
	p       *Printer
	c       *printContext
	d       view
	addrLen int // RFC 2117 fixed address length, 0 for encoded addresses
}

// pimTrunc is tcpdump's "goto trunc" in pimv2_print.
type pimTrunc struct{}

func printPIM(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	g := &pimPrinter{out: out{b: b, v: p.opts.Verbose}, p: p, c: c, d: view(c.data)}
	g.print()
	return g.b, true
}

func (g *pimPrinter) print() {
	defer g.catch("pim")
	tv := g.d.u8(0)
	ver, typ := tv>>4, tv&15
	if ver != 2 {
		g.printf("PIMv%d, length %d", ver, g.c.length)
		return
	}
	if g.v == 0 {
		g.str("PIMv2, ")
		g.b = appendTok(g.b, pimV2Types, typ, "Unknown Type")
		g.printf(", length %d", g.c.length)
		return
	}
	g.printf("PIMv2, length %d\n\t", g.c.length)
	g.b = appendTok(g.b, pimV2Types, typ, "Unknown Type")
	g.v2(typ)
}

func (g *pimPrinter) v2(typ uint8) {
	defer g.catch("pimv2")
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(pimTrunc); !ok {
				panic(r)
			}
			g.b = appendTrunc(g.b, "pimv2")
		}
	}()
	d, n := g.d, g.c.length
	if n < 2 {
		g.printf("[length %d < 2] (invalid)", n)
		return
	}
	g.addrLen = int(d.u8(1) & 15)
	if g.addrLen != 0 {
		g.str(", RFC2117-encoding")
	}
	if n < 4 {
		g.printf("[length %d < 4] (invalid)", n)
		return
	}
	sum := d.u16(2)
	g.printf(", cksum 0x%04x ", sum)
	switch {
	case sum == 0:
		g.str("(unverified)")
	default:
		status := g.checksum(n)
		if typ == 1 {
			if status = g.checksum(8); status == "(incorrect)" {
				status = g.checksum(n)
			}
		}
		g.str(status)
	}
	at, left := 4, n-4
	switch typ {
	case 0:
		g.hello(at, left)
	case 1:
		g.register(at, left)
	case 2:
		g.str(" group=")
		at, left = g.addr(at, left, pimGroup)
		g.str(" source=")
		g.addr(at, left, pimUnicast)
	case 3, 6, 7:
		g.joinPrune(typ, at, left)
	case 4:
		g.bootstrap(at, left)
	case 5:
		g.str(" group=")
		at, left = g.addr(at, left, pimGroup)
		g.str(" src=")
		at, left = g.addr(at, left, pimUnicast)
		if left < 8 || !d.has(at, 8) {
			g.trunc()
		}
		if d.u8(at)&0x80 != 0 {
			g.str(" RPT")
		}
		g.printf(" pref=%d metric=%d", d.u32(at)&0x7fffffff, d.u32(at+4))
	case 8:
		g.candidateRP(at, left)
	case 9:
		g.str(" src=")
		at, left = g.addr(at, left, pimUnicast)
		g.str(" grp=")
		at, left = g.addr(at, left, pimGroup)
		g.str(" forwarder=")
		at, left = g.addr(at, left, pimUnicast)
		if left < 2 {
			g.trunc()
		}
		g.str(" TUNR ")
		g.b = appendRelTime(g.b, uint32(d.u16(at)))
	case 10:
		g.dfElection(at, left)
	default:
		g.printf(" [type %d]", typ)
	}
}

func (g *pimPrinter) trunc() { panic(pimTrunc{}) }

// checksum checks the first n bytes' checksum as tcpdump does (over IPv6
// with the pseudo header).
func (g *pimPrinter) checksum(n int) string {
	if !g.d.has(0, n) {
		return "(unverified)"
	}
	var sum uint32
	if g.c.v6() {
		ph := pseudoHeader{v6: true, src: g.c.src.As16(), dst: g.c.dst.As16()}
		sum = ph.sum(103, n)
	}
	sum = checksumAdd(sum, g.d[:n])
	if fold(sum) == 0xffff {
		return "(correct)"
	}
	return "(incorrect)"
}

type pimAddrType int

const (
	pimUnicast pimAddrType = iota
	pimGroup
	pimSource
)

// addr prints an encoded address at at, returning where the next field
// starts and what is left; a bad or short address is a truncation.
func (g *pimPrinter) addr(at, left int, t pimAddrType) (int, int) {
	n := g.addrOK(at, left, t)
	if n < 0 {
		g.trunc()
	}
	return at + n, left - n
}

func (g *pimPrinter) addrOK(at, left int, t pimAddrType) int {
	d := g.d
	size, hdr := g.addrLen, 0
	if size == 0 {
		if left < 2 {
			return -1
		}
		switch d.u8(at) {
		case 1:
			size = 4
		case 2:
			size = 16
		default:
			return -1
		}
		if d.u8(at+1) != 0 {
			return -1
		}
		hdr = 2
	} else if size != 4 && size != 16 {
		return -1
	}
	at, left = at+hdr, left-hdr
	ip := func(off int) netip.Addr {
		if size == 4 {
			return d.ip4(off)
		}
		return d.ip6(off)
	}
	if t == pimUnicast {
		if left < size || !d.has(at, size) {
			return -1
		}
		g.b = ip(at).AppendTo(g.b)
		return hdr + size
	}
	if left < size+2 || !d.has(at, size+2) {
		return -1
	}
	g.b = ip(at + 2).AppendTo(g.b)
	if ml := int(d.u8(at + 1)); ml != size*8 {
		g.printf("/%d", ml)
	}
	if f := d.u8(at); f != 0 {
		if t == pimGroup {
			g.printf("(0x%02x)", f)
		} else {
			g.str("(")
			for _, x := range []struct {
				bit  uint8
				name string
			}{{4, "S"}, {2, "W"}, {1, "R"}} {
				if f&x.bit != 0 {
					g.str(x.name)
				}
			}
			if f&0xf8 != 0 {
				g.printf("+0x%02x", f&0xf8)
			}
			g.str(")")
		}
	}
	return hdr + 2 + size
}

func (g *pimPrinter) hello(at, left int) {
	d := g.d
	for left > 0 {
		if left < 4 {
			g.trunc()
		}
		typ, l := d.u16(at), int(d.u16(at+2))
		g.str("\n\t  ")
		g.b = appendTok(g.b, pimHelloOptions, typ, "Unknown")
		g.printf(" Option (%d), length %d, Value: ", typ, l)
		at, left = at+4, left-4
		if left < l || !d.has(at, l) {
			g.trunc()
		}
		invalid := func(want int) bool {
			if l != want {
				g.printf("[option length %d != %d] (invalid)", l, want)
				return true
			}
			return false
		}
		switch typ {
		case 1:
			if invalid(2) {
				return
			}
			g.b = appendRelTime(g.b, uint32(d.u16(at)))
		case 2:
			if invalid(4) {
				return
			}
			delay := d.u16(at)
			g.printf("\n\t    T-bit=%d, LAN delay %dms, Override interval %dms", delay>>15, delay&0x7fff, d.u16(at+2))
		case 18, 19:
			switch l {
			case 0:
				g.str("Bi-Directional Capability (Old)")
			case 4:
				g.b = appendUint(g.b, d.u32(at))
			default:
				invalid(4)
				return
			}
		case 20:
			if invalid(4) {
				return
			}
			g.printf("0x%08x", d.u32(at))
		case 21:
			if invalid(4) {
				return
			}
			g.printf("v%d", d.u8(at))
			if iv := d.u8(at + 1); iv != 0 {
				g.str(", interval ")
				g.b = appendRelTime(g.b, uint32(iv))
			}
			if r := d.u16(at + 2); r != 0 {
				g.printf(" ?0x%04x?", r)
			}
		case 22:
		case 24, 65001:
			if g.v > 1 {
				for ptr, plen := at, left; ptr < at+l; {
					g.str("\n\t    ")
					ptr, plen = g.addr(ptr, plen, pimUnicast)
				}
			}
		default:
			if g.v <= 1 {
				g.unknownData(d, at, "\n\t    ", l)
			}
		}
		if g.v > 1 {
			g.unknownData(d, at, "\n\t    ", l)
		}
		at, left = at+l, left-l
	}
}

// register prints the flags and the encapsulated packet's line.
func (g *pimPrinter) register(at, left int) {
	d := g.d
	if left < 4 || !d.has(at, 4) {
		g.trunc()
	}
	flags := d.u32(at)
	g.str(", Flags [ ")
	g.b = appendTok(g.b, map[uint32]string{0x80000000: "Border", 0x40000000: "Null"}, flags, "none")
	g.str(" ]\n\t")
	at, left = at+4, left-4
	if left == 0 {
		g.trunc()
	}
	switch d.u8(at) >> 4 {
	case 0:
		g.printf("IP-Null-header %s > %s", d.ip4(at+12), d.ip4(at+16))
	case 4, 6:
		g.b = g.p.appendIPPacket(g.b, d[at:], left)
	default:
		g.printf("IP ver %d", d.u8(at)>>4)
	}
}

func (g *pimPrinter) joinPrune(typ uint8, at, left int) {
	d := g.d
	if typ != 7 {
		g.str(", upstream-neighbor: ")
		at, left = g.addr(at, left, pimUnicast)
	}
	if left < 4 || !d.has(at, 4) {
		g.trunc()
	}
	ngroup, hold := int(d.u8(at+1)), d.u16(at+2)
	g.printf("\n\t  %d group(s)", ngroup)
	if typ != 7 {
		g.str(", holdtime: ")
		if hold == 0xffff {
			g.str("infinite")
		} else {
			g.b = appendRelTime(g.b, uint32(hold))
		}
	}
	at, left = at+4, left-4
	for i := 0; i < ngroup; i++ {
		g.printf("\n\t    group #%d: ", i+1)
		at, left = g.addr(at, left, pimGroup)
		if left < 4 || !d.has(at, 4) {
			g.trunc()
		}
		njoin, nprune := int(d.u16(at)), int(d.u16(at+2))
		g.printf(", joined sources: %d, pruned sources: %d", njoin, nprune)
		at, left = at+4, left-4
		for j := 0; j < njoin; j++ {
			g.printf("\n\t      joined source #%d: ", j+1)
			at, left = g.addr(at, left, pimSource)
		}
		for j := 0; j < nprune; j++ {
			g.printf("\n\t      pruned source #%d: ", j+1)
			at, left = g.addr(at, left, pimSource)
		}
	}
}

func (g *pimPrinter) bootstrap(at, left int) {
	d := g.d
	if left < 2 {
		g.trunc()
	}
	g.printf(" tag=%x", d.u16(at))
	at, left = at+2, left-2
	if left < 1 {
		g.trunc()
	}
	g.printf(" hashmlen=%d", d.u8(at))
	if left < 2 || !d.has(at+2, 1) {
		g.trunc()
	}
	g.printf(" BSRprio=%d", d.u8(at+1))
	at, left = at+2, left-2
	g.str(" BSR=")
	at, left = g.addr(at, left, pimUnicast)
	for i := 0; left > 0; i++ {
		g.printf(" (group%d: ", i)
		at, left = g.addr(at, left, pimGroup)
		if left < 1 {
			g.trunc()
		}
		g.printf(" RPcnt=%d", d.u8(at))
		if left < 2 {
			g.trunc()
		}
		frp := int(d.u8(at + 1))
		g.printf(" FRPcnt=%d", frp)
		if left < 4 {
			g.trunc()
		}
		at, left = at+4, left-4
		for j := 0; j < frp && left > 0; j++ {
			g.printf(" RP%d=", j)
			at, left = g.addr(at, left, pimUnicast)
			if left < 2 {
				g.trunc()
			}
			g.str(",holdtime=")
			g.b = appendRelTime(g.b, uint32(d.u16(at)))
			if left < 3 {
				g.trunc()
			}
			g.printf(",prio=%d", d.u8(at+2))
			if left < 4 {
				g.trunc()
			}
			at, left = at+4, left-4
		}
		g.str(")")
	}
}

func (g *pimPrinter) candidateRP(at, left int) {
	d := g.d
	if left < 1 {
		g.trunc()
	}
	cnt := int(d.u8(at))
	g.printf(" prefix-cnt=%d", cnt)
	if left < 2 {
		g.trunc()
	}
	g.printf(" prio=%d", d.u8(at+1))
	if left < 4 {
		g.trunc()
	}
	g.str(" holdtime=")
	g.b = appendRelTime(g.b, uint32(d.u16(at+2)))
	at, left = at+4, left-4
	g.str(" RP=")
	at, left = g.addr(at, left, pimUnicast)
	for i := 0; i < cnt && left > 0; i++ {
		g.printf(" Group%d=", i)
		at, left = g.addr(at, left, pimGroup)
	}
}

func (g *pimPrinter) dfElection(at, left int) {
	d := g.d
	sub := d.u8(1) >> 4
	g.str("\n\t  ")
	g.b = appendTok(g.b, map[uint8]string{1: "Offer", 2: "Winner", 3: "Backoff", 4: "Pass"}, sub, "Unknown")
	g.str(", rpa=")
	at, left = g.addr(at, left, pimUnicast)
	g.printf(" sender pref=%d", d.u32(at))
	g.printf(" sender metric=%d", d.u32(at+4))
	at, left = at+8, left-8
	if sub != 3 && sub != 4 {
		return
	}
	word := "new winner"
	if sub == 3 {
		word = "offer"
	}
	g.printf("\n\t  %s addr=", word)
	at, _ = g.addr(at, left, pimUnicast)
	g.printf(" %s pref=%d", word, d.u32(at))
	g.printf(" %s metric=%d", word, d.u32(at+4))
	if sub == 3 {
		g.printf(" interval %dms", d.u16(at+8))
	}
}
