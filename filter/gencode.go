package filter

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"golang.org/x/net/bpf"

	"github.com/pcaptool/pcaptool/linktype"
)

// Classic BPF opcode fields (linux/filter.h, pcap/bpf.h).
const (
	opLD   = 0x00
	opLDX  = 0x01
	opST   = 0x02
	opSTX  = 0x03
	opALU  = 0x04
	opJMP  = 0x05
	opRET  = 0x06
	opMISC = 0x07

	szW = 0x00
	szH = 0x08
	szB = 0x10

	mIMM = 0x00
	mABS = 0x20
	mIND = 0x40
	mMEM = 0x60
	mLEN = 0x80
	mMSH = 0xa0

	aluADD = 0x00
	aluSUB = 0x10
	aluMUL = 0x20
	aluDIV = 0x30
	aluOR  = 0x40
	aluAND = 0x50
	aluLSH = 0x60
	aluRSH = 0x70
	aluNEG = 0x80
	aluMOD = 0x90
	aluXOR = 0xa0

	jmpJA   = 0x00
	jmpJEQ  = 0x10
	jmpJGT  = 0x20
	jmpJGE  = 0x30
	jmpJSET = 0x40

	srcK = 0x00
	srcX = 0x08

	retK = 0x00
	retA = 0x10

	miscTAX = 0x00
	miscTXA = 0x80

	memWords = 16
)

func stmt(op uint16, k uint32) bpf.RawInstruction { return bpf.RawInstruction{Op: op, K: k} }

// block is a basic block: straight-line statements, then either a
// conditional jump on A (jop, k) to jt or jf, or a return.
type block struct {
	id    int
	stmts []bpf.RawInstruction
	jop   uint16 // opJMP|cond|src
	k     uint32
	jt    *block
	jf    *block
	ret   bool
	retOp uint16 // opRET|retK or opRET|retA
	retK  uint32
}

// exit is an unresolved branch of a block: its true or its false edge.
type exit struct {
	b    *block
	true bool
}

// exits is a set of unresolved branches: a leaf, or the union of two
// sets. Union is O(1) and never copies, so that a chain of thousands of
// "or"s is not quadratic; the sets are never modified once built.
type exits struct {
	leaf bool
	e    exit
	l, r *exits
}

func oneExit(b *block, outcome bool) *exits { return &exits{leaf: true, e: exit{b, outcome}} }

func union(a, b *exits) *exits {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	return &exits{l: a, r: b}
}

// frag is a boolean expression under construction: an entry block and the
// branches still to be resolved when it is true and when it is false.
type frag struct {
	head *block
	t, f *exits
}

func patch(list *exits, target *block) {
	// Iteratively: a long chain makes a deep tree.
	stack := []*exits{list}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch {
		case n == nil:
		case n.leaf && n.e.true:
			n.e.b.jt = target
		case n.leaf:
			n.e.b.jf = target
		default:
			stack = append(stack, n.r, n.l)
		}
	}
}

func and(a, b *frag) *frag {
	patch(a.t, b.head)
	return &frag{head: a.head, t: b.t, f: union(a.f, b.f)}
}

func or(a, b *frag) *frag {
	patch(a.f, b.head)
	return &frag{head: a.head, t: union(a.t, b.t), f: b.f}
}

func not(a *frag) *frag { return &frag{head: a.head, t: a.f, f: a.t} }

// compileError carries a compile-time error up to Compile; it never
// escapes the package.
type compileError struct{ err *SyntaxError }

// offrel says what an offset is relative to, as libpcap's e_offrel.
type offrel int

const (
	orPacket offrel = iota
	orLinkHdr
	orPrevLinkHdr
	orLLC
	orPrevMPLSHdr
	orLinkPl
	orLinkPlNoSNAP
	orLinkType
	orTranIPv4
	orTranIPv6
)

// compiler holds the state of one compilation: the link-layer offsets,
// which "vlan", "mpls" and "pppoes" move for everything after them.
type compiler struct {
	expr     string
	opts     Options
	outer    linktype.LinkType
	linktype linktype.LinkType
	pos      int

	offLinkHdr  uint32
	offPrevLink uint32
	offLinkType uint32
	linkTypeSet bool // false where libpcap has OFFSET_NOT_SET
	offLinkPl   uint32
	offNl       uint32
	offNlNoSNAP uint32
	labelDepth  int
	vlanDepth   int
	// hdrVar and plVar are set when the link-layer header's or payload's
	// offset has a part known only at run time (radio headers, 802.11),
	// held in scratch register hdrReg or plReg (-1 until used).
	hdrVar, plVar bool
	hdrReg, plReg int
	// isLANE is set after "lane": Ethernet frames inside SunATM cells;
	// isGeneve after "geneve".
	isLANE, isGeneve bool
	// ltVar is set when the link-layer type field's offset is in
	// register ltReg (after "geneve").
	ltVar bool
	ltReg int
	// outerHdrReg and outerPlReg keep the registers of the capture's own
	// variable offsets once "geneve" has replaced them; noRejectAll is
	// set by code libpcap does not optimize.
	outerSaved              bool
	outerHdrReg, outerPlReg int
	noRejectAll             bool

	nblocks int
	regUsed [memWords]bool
	curReg  int
}

func (c *compiler) fail(format string, args ...any) {
	panic(compileError{&SyntaxError{Expr: c.expr, Pos: c.pos, Msg: fmt.Sprintf(format, args...)}})
}

// countBlock numbers a new block, failing past MaxBlocks.
func (c *compiler) countBlock() int {
	c.nblocks++
	if c.nblocks > MaxBlocks {
		panic(compileError{&SyntaxError{Expr: c.expr, Pos: c.pos, Err: ErrTooComplex,
			Msg: fmt.Sprintf("expression too complex (more than %d basic blocks of code)", MaxBlocks)}})
	}
	return c.nblocks
}

func (c *compiler) newBlock(stmts []bpf.RawInstruction, jop uint16, k uint32) *frag {
	b := &block{id: c.countBlock(), stmts: stmts, jop: jop, k: k}
	return &frag{head: b, t: oneExit(b, true), f: oneExit(b, false)}
}

func (c *compiler) retBlock(k uint32) *block {
	return &block{id: c.countBlock(), ret: true, retOp: opRET | retK, retK: k}
}

// loadA returns the statements that load size bytes at offset relative
// to rel into A.
func (c *compiler) loadA(rel offrel, off uint32, size uint16) []bpf.RawInstruction {
	abs := func(base uint32) []bpf.RawInstruction {
		return []bpf.RawInstruction{stmt(opLD|mABS|size, base+off)}
	}
	hdr := func(base uint32) []bpf.RawInstruction {
		if c.hdrVar {
			return varLoad(c.hdrRegister(), base+off, size)
		}
		return abs(base)
	}
	pl := func(base uint32) []bpf.RawInstruction {
		if c.plVar {
			return varLoad(c.plRegister(), base+off, size)
		}
		return abs(base)
	}
	switch rel {
	case orPacket:
		return abs(0)
	case orLinkHdr:
		return hdr(c.offLinkHdr)
	case orPrevLinkHdr:
		return hdr(c.offPrevLink)
	case orLLC:
		return pl(c.offLinkPl)
	case orPrevMPLSHdr:
		return pl(c.offLinkPl + c.offNl - 4)
	case orLinkPl:
		return pl(c.offLinkPl + c.offNl)
	case orLinkPlNoSNAP:
		return pl(c.offLinkPl + c.offNlNoSNAP)
	case orLinkType:
		if c.ltVar {
			return varLoad(uint32(c.ltReg), c.offLinkType+off, size)
		}
		return hdr(c.offLinkType)
	case orTranIPv4:
		if c.plVar {
			return append(c.loadXIPHdrLen(), stmt(opLD|mIND|size, c.offLinkPl+c.offNl+off))
		}
		return []bpf.RawInstruction{
			stmt(opLDX|mMSH|szB, c.offLinkPl+c.offNl),
			stmt(opLD|mIND|size, c.offLinkPl+c.offNl+off),
		}
	case orTranIPv6:
		return pl(c.offLinkPl + c.offNl + 40)
	}
	panic("filter: bad offrel")
}

func (c *compiler) ncmp(rel offrel, off uint32, size uint16, mask uint32, jtype uint16, reverse bool, v uint32) *frag {
	s := c.loadA(rel, off, size)
	if mask != 0xffffffff {
		s = append(s, stmt(opALU|aluAND|srcK, mask))
	}
	b := c.newBlock(s, opJMP|jtype|srcK, v)
	if reverse && (jtype == jmpJGT || jtype == jmpJGE) {
		b = not(b)
	}
	return b
}

func (c *compiler) cmp(rel offrel, off uint32, size uint16, v uint32) *frag {
	return c.ncmp(rel, off, size, 0xffffffff, jmpJEQ, false, v)
}
func (c *compiler) cmpGT(rel offrel, off uint32, size uint16, v uint32) *frag {
	return c.ncmp(rel, off, size, 0xffffffff, jmpJGT, false, v)
}
func (c *compiler) cmpGE(rel offrel, off uint32, size uint16, v uint32) *frag {
	return c.ncmp(rel, off, size, 0xffffffff, jmpJGE, false, v)
}
func (c *compiler) cmpLT(rel offrel, off uint32, size uint16, v uint32) *frag {
	return c.ncmp(rel, off, size, 0xffffffff, jmpJGE, true, v)
}
func (c *compiler) cmpLE(rel offrel, off uint32, size uint16, v uint32) *frag {
	return c.ncmp(rel, off, size, 0xffffffff, jmpJGT, true, v)
}
func (c *compiler) mcmp(rel offrel, off uint32, size uint16, v, mask uint32) *frag {
	return c.ncmp(rel, off, size, mask, jmpJEQ, false, v)
}

// bcmp compares len(v) bytes at off with v, last word first, as libpcap's
// gen_bcmp.
func (c *compiler) bcmp(rel offrel, off uint32, v []byte) *frag {
	var b *frag
	size := uint32(len(v))
	add := func(t *frag) {
		if b != nil {
			t = and(b, t)
		}
		b = t
	}
	for size >= 4 {
		add(c.cmp(rel, off+size-4, szW, binary.BigEndian.Uint32(v[size-4:])))
		size -= 4
	}
	for size >= 2 {
		add(c.cmp(rel, off+size-2, szH, uint32(binary.BigEndian.Uint16(v[size-2:]))))
		size -= 2
	}
	if size > 0 {
		add(c.cmp(rel, off, szB, uint32(v[0])))
	}
	return b
}

func (c *compiler) uncond(rsense bool) *frag {
	k := uint32(1)
	if rsense {
		k = 0
	}
	return c.newBlock([]bpf.RawInstruction{stmt(opLD|mIMM, k)}, opJMP|jmpJEQ|srcK, 0)
}

func (c *compiler) genTrue() *frag  { return c.uncond(true) }
func (c *compiler) genFalse() *frag { return c.uncond(false) }

func (c *compiler) snap(orgcode, ptype uint32) *frag {
	return c.bcmp(orLLC, 0, []byte{llcSAPSNAP, llcSAPSNAP, 0x03,
		byte(orgcode >> 16), byte(orgcode >> 8), byte(orgcode), byte(ptype >> 8), byte(ptype)})
}

func (c *compiler) etherLinkType(p uint32) *frag {
	switch p {
	case llcSAPISONS, llcSAPIP, llcSAPNetBEUI:
		b0 := not(c.cmpGT(orLinkType, 0, szH, etherMTU))
		b1 := c.cmp(orLLC, 0, szH, p<<8|p)
		return and(b0, b1)
	case llcSAPIPX:
		b0 := c.cmp(orLLC, 0, szB, llcSAPIPX)
		b1 := c.cmp(orLLC, 0, szH, 0xffff)
		b1 = or(b0, b1)
		b0 = c.snap(0, etherTypeIPX)
		b1 = or(b0, b1)
		b0 = not(c.cmpGT(orLinkType, 0, szH, etherMTU))
		b1 = and(b0, b1)
		b0 = c.cmp(orLinkType, 0, szH, etherTypeIPX)
		return or(b0, b1)
	case etherTypeAtalk, etherTypeAARP:
		b0 := not(c.cmpGT(orLinkType, 0, szH, etherMTU))
		var b1 *frag
		if p == etherTypeAtalk {
			b1 = c.snap(0x080007, etherTypeAtalk)
		} else {
			b1 = c.snap(0, etherTypeAARP)
		}
		b1 = and(b0, b1)
		b0 = c.cmp(orLinkType, 0, szH, p)
		return or(b0, b1)
	}
	if p <= etherMTU {
		b0 := not(c.cmpGT(orLinkType, 0, szH, etherMTU))
		b1 := c.cmp(orLinkType, 2, szB, p)
		return and(b0, b1)
	}
	return c.cmp(orLinkType, 0, szH, p)
}

func (c *compiler) sllLinkType(p uint32) *frag {
	switch p {
	case llcSAPISONS, llcSAPIP, llcSAPNetBEUI:
		b0 := c.cmp(orLinkType, 0, szH, sllP8022)
		b1 := c.cmp(orLLC, 0, szH, p<<8|p)
		return and(b0, b1)
	case llcSAPIPX:
		b0 := c.cmp(orLLC, 0, szB, llcSAPIPX)
		b1 := c.snap(0, etherTypeIPX)
		b1 = or(b0, b1)
		b0 = c.cmp(orLinkType, 0, szH, sllP8022)
		b1 = and(b0, b1)
		b0 = c.cmp(orLinkType, 0, szH, sllP8023)
		b1 = or(b0, b1)
		b0 = c.cmp(orLinkType, 0, szH, etherTypeIPX)
		return or(b0, b1)
	case etherTypeAtalk, etherTypeAARP:
		b0 := c.cmp(orLinkType, 0, szH, sllP8022)
		var b1 *frag
		if p == etherTypeAtalk {
			b1 = c.snap(0x080007, etherTypeAtalk)
		} else {
			b1 = c.snap(0, etherTypeAARP)
		}
		b1 = and(b0, b1)
		b0 = c.cmp(orLinkType, 0, szH, p)
		return or(b0, b1)
	}
	if p <= etherMTU {
		b0 := c.cmp(orLinkType, 0, szH, sllP8022)
		b1 := c.cmp(orLinkHdr, c.offLinkPl, szB, p)
		return and(b0, b1)
	}
	return c.cmp(orLinkType, 0, szH, p)
}

// loopbackLinkType tests the 4-byte address family of DLT_NULL (in the
// byte order of the capturing host) or DLT_LOOP (network order).
func (c *compiler) loopbackLinkType(af uint32) *frag {
	if c.linktype == linktype.Null || c.linktype == ltENC {
		var b [4]byte
		c.opts.nullOrder().PutUint32(b[:], af)
		af = binary.BigEndian.Uint32(b[:])
	}
	return c.cmp(orLinkHdr, 0, szW, af)
}

func etherTypeToPPP(p uint32) uint32 {
	switch p {
	case etherTypeIP:
		return pppIP
	case etherTypeIPv6:
		return pppIPv6
	case etherTypeDN:
		return pppDECnet
	case etherTypeAtalk:
		return pppApple
	case etherTypeNS:
		return pppNS
	case llcSAPISONS:
		return pppOSI
	case llcSAP8021D:
		return pppBRPDU
	case llcSAPIPX:
		return pppIPX
	}
	return p
}

// linkType tests that the packet carries protocol p: an Ethernet type
// above 1500, an LLC SAP at or below.
func (c *compiler) linkType(p uint32) *frag {
	if c.labelDepth > 0 {
		return c.mplsLinkType(p)
	}
	switch c.linktype {
	case linktype.Ethernet:
		if c.isGeneve {
			// Geneve gives a protocol type whether or not an
			// Ethernet header follows.
			return c.etherLinkType(p)
		}
		return c.laneData(c.etherLinkType(p))
	case linktype.LinuxSLL:
		return c.sllLinkType(p)
	case linktype.Raw:
		switch p {
		case etherTypeIP:
			return c.mcmp(orLinkHdr, 0, szB, 0x40, 0xf0)
		case etherTypeIPv6:
			return c.mcmp(orLinkHdr, 0, szB, 0x60, 0xf0)
		}
		return c.genFalse()
	case linktype.IPv4:
		if p == etherTypeIP {
			return c.genTrue()
		}
		return c.genFalse()
	case linktype.IPv6:
		if p == etherTypeIPv6 {
			return c.genTrue()
		}
		return c.genFalse()
	case linktype.PPP:
		return c.cmp(orLinkType, 0, szH, etherTypeToPPP(p))
	case linktype.Null, linktype.Loop, ltENC:
		switch p {
		case etherTypeIP:
			return c.loopbackLinkType(2)
		case etherTypeIPv6:
			if c.opts.Live {
				return c.loopbackLinkType(10)
			}
			// A capture file may come from any OS; test each one's
			// AF_INET6 (BSD, FreeBSD, Darwin).
			b0 := c.loopbackLinkType(24)
			b1 := c.loopbackLinkType(28)
			b1 = or(b0, b1)
			b0 = c.loopbackLinkType(30)
			return or(b0, b1)
		}
		return c.genFalse()
	}
	if f, ok := c.otherLinkType(p); ok {
		return f
	}
	// LINUX_SLL2 and any other type with a 16-bit protocol field.
	return c.cmp(orLinkType, 0, szH, p)
}

func (c *compiler) mplsLinkType(p uint32) *frag {
	switch p {
	case etherTypeIP:
		b0 := c.mcmp(orLinkPl, ^uint32(1), szB, 0x01, 0x01)
		b1 := c.mcmp(orLinkPl, 0, szB, 0x40, 0xf0)
		return and(b0, b1)
	case etherTypeIPv6:
		b0 := c.mcmp(orLinkPl, ^uint32(1), szB, 0x01, 0x01)
		b1 := c.mcmp(orLinkPl, 0, szB, 0x60, 0xf0)
		return and(b0, b1)
	}
	c.fail("unsupported protocol over mpls")
	return nil
}

func (c *compiler) llcInternal() *frag {
	switch {
	case c.linktype == linktype.Ethernet:
		b0 := not(c.cmpGT(orLinkType, 0, szH, etherMTU))
		b1 := not(c.cmp(orLLC, 0, szH, 0xffff))
		return and(b0, b1)
	case isWLAN(c.linktype):
		return c.wlanDataFrame()
	case c.linktype == ltATMRFC1483:
		return c.genTrue()
	case c.linktype == linktype.SunATM:
		return c.mcmp(orLinkHdr, 0, szB, sunATMProtoLLC, 0x0f)
	}
	c.fail("'llc' not supported for %s", c.linktype.Description())
	return nil
}

func (c *compiler) llcNamed(name string) *frag {
	b0 := c.llcInternal()
	var b1 *frag
	switch strings.ToLower(name) {
	case "":
		return b0
	case "i":
		s := c.loadA(orLLC, 2, szB)
		b1 = not(c.newBlock(s, opJMP|jmpJSET|srcK, 0x01))
	case "s":
		b1 = c.mcmp(orLLC, 2, szB, 0x01, 0x03)
	case "u":
		b1 = c.mcmp(orLLC, 2, szB, 0x03, 0x03)
	default:
		sSub := map[string]uint32{"rr": 0x01, "rnr": 0x05, "rej": 0x09}
		uSub := map[string]uint32{"ui": 0x03, "ua": 0x63, "disc": 0x43, "dm": 0x0f, "sabme": 0x6f,
			"test": 0xe3, "xid": 0xaf, "frmr": 0x87}
		if v, ok := sSub[strings.ToLower(name)]; ok {
			b1 = c.mcmp(orLLC, 2, szB, v, 0x0f)
		} else if v, ok := uSub[strings.ToLower(name)]; ok {
			b1 = c.mcmp(orLLC, 2, szB, v, 0xef)
		} else {
			c.fail("unknown LLC type name %q", name)
		}
	}
	return and(b0, b1)
}

func (c *compiler) hostop(addr, mask uint32, dir dirQual, proto uint32, srcOff, dstOff uint32) *frag {
	at := func(off uint32) func() *frag {
		return func() *frag {
			b0 := c.linkType(proto)
			b1 := c.mcmp(orLinkPl, off, szW, addr, mask)
			return and(b0, b1)
		}
	}
	return c.byDirection(dir, at(srcOff), at(dstOff), notForAddresses)
}

// notForAddresses is libpcap's message for a direction qualifier that only
// 802.11 addresses take.
const notForAddresses = "'%s' is not a valid qualifier for addresses other than 802.11 MAC addresses"

// byDirection compiles a test of the source, the destination or both, as
// the direction qualifier asks ("src and dst" and "src or dst" compile the
// source test first, as libpcap does); other qualifiers fail with the
// message invalid, which takes the qualifier.
func (c *compiler) byDirection(dir dirQual, src, dst func() *frag, invalid string) *frag {
	switch dir {
	case dirSrc:
		return src()
	case dirDst:
		return dst()
	case dirAnd:
		b0 := src()
		return and(b0, dst())
	case dirDefault, dirOr:
		b0 := src()
		return or(b0, dst())
	}
	c.fail(invalid, dir)
	return nil
}

func (c *compiler) hostop6(addr, mask [16]byte, dir dirQual, proto uint32, srcOff, dstOff uint32) *frag {
	at := func(off uint32) func() *frag {
		return func() *frag {
			w := func(b [16]byte, i int) uint32 { return binary.BigEndian.Uint32(b[4*i:]) }
			b1 := c.mcmp(orLinkPl, off+12, szW, w(addr, 3), w(mask, 3))
			b0 := c.mcmp(orLinkPl, off+8, szW, w(addr, 2), w(mask, 2))
			b1 = and(b0, b1)
			b0 = c.mcmp(orLinkPl, off+4, szW, w(addr, 1), w(mask, 1))
			b1 = and(b0, b1)
			b0 = c.mcmp(orLinkPl, off, szW, w(addr, 0), w(mask, 0))
			b1 = and(b0, b1)
			b0 = c.linkType(etherTypeIPv6)
			return and(b0, b1)
		}
	}
	return c.byDirection(dir, at(srcOff), at(dstOff), notForAddresses)
}

func (c *compiler) ehostop(eaddr []byte, dir dirQual) *frag {
	return c.byDirection(dir,
		func() *frag { return c.bcmp(orLinkHdr, 6, eaddr) },
		func() *frag { return c.bcmp(orLinkHdr, 0, eaddr) },
		"'%s' is only supported on 802.11 with 802.11 headers")
}

// protoModifierName is how libpcap's error messages name a qualifier.
func protoModifierName(p protoQual) string { return "'" + p.String() + "'" }

func (c *compiler) host(addr, mask uint32, proto protoQual, dir dirQual, typ addrQual) *frag {
	typestr := "host"
	if typ == addrNet {
		typestr = "net"
	}
	switch proto {
	case protoDefault:
		b0 := c.host(addr, mask, protoIP, dir, typ)
		if c.labelDepth == 0 {
			b1 := c.host(addr, mask, protoARP, dir, typ)
			b1 = or(b0, b1)
			b0 = c.host(addr, mask, protoRARP, dir, typ)
			b0 = or(b1, b0)
		}
		return b0
	case protoLink:
		c.fail("link-layer modifier applied to %s", typestr)
	case protoIP:
		return c.hostop(addr, mask, dir, etherTypeIP, 12, 16)
	case protoRARP:
		return c.hostop(addr, mask, dir, etherTypeRevARP, 14, 24)
	case protoARP:
		return c.hostop(addr, mask, dir, etherTypeARP, 14, 24)
	case protoIPv6:
		c.fail("'ip6' modifier applied to ip host")
	case protoAtalk, protoLAT, protoSCA, protoMOPRC, protoMOPDL, protoAARP, protoISO, protoIPX:
		c.fail("%s host filtering not implemented", strings.ToUpper(proto.String()))
	case protoDecnet:
		return c.decnetHost(addr, dir)
	}
	c.fail("%s modifier applied to %s", protoModifierName(proto), typestr)
	return nil
}

func (c *compiler) host6(addr, mask [16]byte, proto protoQual, dir dirQual, typ addrQual) *frag {
	typestr := "host"
	if typ == addrNet {
		typestr = "net"
	}
	switch proto {
	case protoDefault, protoIPv6:
		return c.hostop6(addr, mask, dir, etherTypeIPv6, 8, 24)
	case protoLink:
		c.fail("link-layer modifier applied to ip6 %s", typestr)
	}
	c.fail("%s modifier applied to ip6 %s", protoModifierName(proto), typestr)
	return nil
}

func (c *compiler) ipFrag() *frag {
	s := c.loadA(orLinkPl, 6, szH)
	return not(c.newBlock(s, opJMP|jmpJSET|srcK, 0x1fff))
}

func (c *compiler) portAtom(off uint32, v uint32) *frag  { return c.cmp(orTranIPv4, off, szH, v) }
func (c *compiler) portAtom6(off uint32, v uint32) *frag { return c.cmp(orTranIPv6, off, szH, v) }

func (c *compiler) dirPair(dir dirQual, what string, atom func(off uint32) *frag) *frag {
	return c.byDirection(dir,
		func() *frag { return atom(0) },
		func() *frag { return atom(2) },
		"'%s' is not a valid qualifier for "+strings.ReplaceAll(what, "%", "%%"))
}

func (c *compiler) portOp(port, proto uint32, dir dirQual) *frag {
	tmp := c.cmp(orLinkPl, 9, szB, proto)
	b0 := and(tmp, c.ipFrag())
	b1 := c.dirPair(dir, "ports", func(off uint32) *frag { return c.portAtom(off, port) })
	return and(b0, b1)
}

func (c *compiler) port(port uint32, ipProto int, dir dirQual) *frag {
	b0 := c.linkType(etherTypeIP)
	var b1 *frag
	if ipProto == protoUndef {
		tmp := c.portOp(port, ipProtoTCP, dir)
		b1 = or(tmp, c.portOp(port, ipProtoUDP, dir))
		b1 = or(c.portOp(port, ipProtoSCTP, dir), b1)
	} else {
		b1 = c.portOp(port, uint32(ipProto), dir)
	}
	return and(b0, b1)
}

func (c *compiler) portOp6(port, proto uint32, dir dirQual) *frag {
	b0 := c.cmp(orLinkPl, 6, szB, proto)
	b1 := c.dirPair(dir, "ports", func(off uint32) *frag { return c.portAtom6(off, port) })
	return and(b0, b1)
}

func (c *compiler) port6(port uint32, ipProto int, dir dirQual) *frag {
	b0 := c.linkType(etherTypeIPv6)
	var b1 *frag
	if ipProto == protoUndef {
		tmp := c.portOp6(port, ipProtoTCP, dir)
		b1 = or(tmp, c.portOp6(port, ipProtoUDP, dir))
		b1 = or(c.portOp6(port, ipProtoSCTP, dir), b1)
	} else {
		b1 = c.portOp6(port, uint32(ipProto), dir)
	}
	return and(b0, b1)
}

func (c *compiler) portRangeAtom(rel offrel, off, v1, v2 uint32) *frag {
	if v1 > v2 {
		v1, v2 = v2, v1
	}
	b1 := c.cmpGE(rel, off, szH, v1)
	b2 := c.cmpLE(rel, off, szH, v2)
	return and(b1, b2)
}

func (c *compiler) portRangeOp(p1, p2, proto uint32, dir dirQual) *frag {
	tmp := c.cmp(orLinkPl, 9, szB, proto)
	b0 := and(tmp, c.ipFrag())
	b1 := c.dirPair(dir, "port ranges", func(off uint32) *frag { return c.portRangeAtom(orTranIPv4, off, p1, p2) })
	return and(b0, b1)
}

func (c *compiler) portRange(p1, p2 uint32, ipProto int, dir dirQual) *frag {
	b0 := c.linkType(etherTypeIP)
	var b1 *frag
	if ipProto == protoUndef {
		tmp := c.portRangeOp(p1, p2, ipProtoTCP, dir)
		b1 = or(tmp, c.portRangeOp(p1, p2, ipProtoUDP, dir))
		b1 = or(c.portRangeOp(p1, p2, ipProtoSCTP, dir), b1)
	} else {
		b1 = c.portRangeOp(p1, p2, uint32(ipProto), dir)
	}
	return and(b0, b1)
}

func (c *compiler) portRangeOp6(p1, p2, proto uint32, dir dirQual) *frag {
	b0 := c.cmp(orLinkPl, 6, szB, proto)
	b1 := c.dirPair(dir, "port ranges", func(off uint32) *frag { return c.portRangeAtom(orTranIPv6, off, p1, p2) })
	return and(b0, b1)
}

func (c *compiler) portRange6(p1, p2 uint32, ipProto int, dir dirQual) *frag {
	b0 := c.linkType(etherTypeIPv6)
	var b1 *frag
	if ipProto == protoUndef {
		tmp := c.portRangeOp6(p1, p2, ipProtoTCP, dir)
		b1 = or(tmp, c.portRangeOp6(p1, p2, ipProtoUDP, dir))
		b1 = or(c.portRangeOp6(p1, p2, ipProtoSCTP, dir), b1)
	} else {
		b1 = c.portRangeOp6(p1, p2, uint32(ipProto), dir)
	}
	return and(b0, b1)
}

func (c *compiler) protoAbbrev(p protoQual) *frag {
	switch p {
	case protoSCTP:
		return c.proto(ipProtoSCTP, protoDefault, dirDefault)
	case protoTCP:
		return c.proto(ipProtoTCP, protoDefault, dirDefault)
	case protoUDP:
		return c.proto(ipProtoUDP, protoDefault, dirDefault)
	case protoICMP:
		return c.proto(1, protoIP, dirDefault)
	case protoIGMP:
		return c.proto(2, protoIP, dirDefault)
	case protoIGRP:
		return c.proto(9, protoIP, dirDefault)
	case protoPIM:
		return c.proto(103, protoDefault, dirDefault)
	case protoVRRP, protoCARP:
		return c.proto(112, protoIP, dirDefault)
	case protoIP:
		return c.linkType(etherTypeIP)
	case protoARP:
		return c.linkType(etherTypeARP)
	case protoRARP:
		return c.linkType(etherTypeRevARP)
	case protoLink:
		c.fail("link layer applied in wrong context")
	case protoAtalk:
		return c.linkType(etherTypeAtalk)
	case protoAARP:
		return c.linkType(etherTypeAARP)
	case protoDecnet:
		return c.linkType(etherTypeDN)
	case protoSCA:
		return c.linkType(etherTypeSCA)
	case protoLAT:
		return c.linkType(etherTypeLAT)
	case protoMOPDL:
		return c.linkType(etherTypeMOPDL)
	case protoMOPRC:
		return c.linkType(etherTypeMOPRC)
	case protoIPv6:
		return c.linkType(etherTypeIPv6)
	case protoICMPv6:
		return c.proto(ipProtoICMP6, protoIPv6, dirDefault)
	case protoAH:
		return c.proto(51, protoDefault, dirDefault)
	case protoESP:
		return c.proto(50, protoDefault, dirDefault)
	case protoISO:
		return c.linkType(llcSAPISONS)
	case protoESIS:
		return c.proto(isoESIS, protoISO, dirDefault)
	case protoISIS:
		return c.proto(isoISIS, protoISO, dirDefault)
	case protoISISL1:
		return c.isisAny(isisL1LANIIH, isisPTPIIH, isisL1LSP, isisL1CSNP, isisL1PSNP)
	case protoISISL2:
		return c.isisAny(isisL2LANIIH, isisPTPIIH, isisL2LSP, isisL2CSNP, isisL2PSNP)
	case protoISISIIH:
		return c.isisAny(isisL1LANIIH, isisL2LANIIH, isisPTPIIH)
	case protoISISLSP:
		return c.isisAny(isisL1LSP, isisL2LSP)
	case protoISISSNP:
		return c.isisAny(isisL1CSNP, isisL2CSNP, isisL1PSNP, isisL2PSNP)
	case protoISISCSNP:
		return c.isisAny(isisL1CSNP, isisL2CSNP)
	case protoISISPSNP:
		return c.isisAny(isisL1PSNP, isisL2PSNP)
	case protoCLNP:
		return c.proto(isoCLNP, protoISO, dirDefault)
	case protoSTP:
		return c.linkType(llcSAP8021D)
	case protoIPX:
		return c.linkType(llcSAPIPX)
	case protoNetBEUI:
		return c.linkType(llcSAPNetBEUI)
	case protoRadio:
		c.fail("'radio' is not a valid protocol type")
	}
	c.fail("unknown protocol qualifier")
	return nil
}

// isisAny ORs IS-IS PDU types in libpcap's order: the first two, then
// each further one in front.
func (c *compiler) isisAny(types ...uint32) *frag {
	b0 := c.proto(types[0], protoISIS, dirDefault)
	b1 := c.proto(types[1], protoISIS, dirDefault)
	b1 = or(b0, b1)
	for _, t := range types[2:] {
		b0 = c.proto(t, protoISIS, dirDefault)
		b1 = or(b0, b1)
	}
	return b1
}

func (c *compiler) proto(v uint32, proto protoQual, dir dirQual) *frag {
	if dir != dirDefault {
		c.fail("direction applied to 'proto'")
	}
	switch proto {
	case protoDefault:
		b0 := c.proto(v, protoIP, dir)
		b1 := c.proto(v, protoIPv6, dir)
		return or(b0, b1)
	case protoLink:
		return c.linkType(v)
	case protoIP:
		b0 := c.linkType(etherTypeIP)
		b1 := c.cmp(orLinkPl, 9, szB, v)
		return and(b0, b1)
	case protoIPv6:
		b0 := c.linkType(etherTypeIPv6)
		b2 := c.cmp(orLinkPl, 6, szB, ipProtoFrag)
		b1 := c.cmp(orLinkPl, 40, szB, v)
		b1 = and(b2, b1)
		b2 = c.cmp(orLinkPl, 6, szB, v)
		b1 = or(b2, b1)
		return and(b0, b1)
	case protoISO:
		b0 := c.linkType(llcSAPISONS)
		off := uint32(0)
		if c.linktype == linktype.CHDLC {
			off = 1 // OSI in Cisco HDLC follows a pad byte (libpcap's gen_proto)
		}
		b1 := c.cmp(orLinkPlNoSNAP, off, szB, v)
		return and(b0, b1)
	case protoISIS:
		b0 := c.proto(isoISIS, protoISO, dirDefault)
		b1 := c.cmp(orLinkPlNoSNAP, 4, szB, v)
		return and(b0, b1)
	case protoARP:
		c.fail("arp does not encapsulate another protocol")
	case protoRARP:
		c.fail("rarp does not encapsulate another protocol")
	case protoAtalk:
		c.fail("AppleTalk encapsulation is not specifiable")
	case protoDecnet:
		c.fail("DECNET encapsulation is not specifiable")
	case protoLAT, protoSCA, protoMOPRC, protoMOPDL:
		c.fail("%s does not encapsulate another protocol", strings.ToUpper(proto.String()))
	case protoCLNP:
		c.fail("'clnp proto' is not supported")
	}
	c.fail("'%s proto' is bogus", proto)
	return nil
}

// atoin parses a dotted, possibly partial IPv4 address exactly as
// libpcap's __pcap_atoin, returning the number of bits given or -1.
func atoin(s string) (uint32, int) {
	var addr uint32
	n := 0
	i := 0
	for {
		var v uint32
		for i < len(s) && s[i] != '.' {
			if v > 25 {
				return 0, -1
			}
			v = v*10 + uint32(s[i]) - '0'
			i++
		}
		if v > 255 {
			return 0, -1
		}
		addr = addr<<8 | v&0xff
		n += 8
		if i >= len(s) {
			return addr, n
		}
		i++
	}
}

func (c *compiler) ncode(s string, hasS bool, v uint32, q qualifier) *frag {
	vlen := 32
	if hasS && q.Proto == protoDecnet {
		var ok bool
		if v, ok = atodn(s); !ok {
			c.fail("malformed decnet address '%s'", s)
		}
	} else if hasS {
		v, vlen = atoin(s)
		if vlen < 0 {
			c.fail("invalid IPv4 address '%s'", s)
		}
	}
	switch q.Addr {
	case addrDefault, addrHost, addrNet:
		if q.Proto == protoDecnet {
			return c.decnetHost(v, q.Dir)
		}
		if q.Proto == protoLink {
			c.fail("illegal link layer address")
		}
		mask := uint32(0xffffffff)
		if !hasS && q.Addr == addrNet {
			for v != 0 && v&0xff000000 == 0 {
				v <<= 8
				mask <<= 8
			}
		} else {
			v = shl(v, 32-vlen)
			mask = shl(mask, 32-vlen)
		}
		return c.host(v, mask, q.Proto, q.Dir, q.Addr)
	case addrPort, addrPortrange:
		var ipProto int
		switch q.Proto {
		case protoUDP:
			ipProto = ipProtoUDP
		case protoTCP:
			ipProto = ipProtoTCP
		case protoSCTP:
			ipProto = ipProtoSCTP
		case protoDefault:
			ipProto = protoUndef
		default:
			c.fail("illegal qualifier of '%s'", q.Addr)
		}
		if v > 65535 {
			c.fail("illegal port number %d > 65535", v)
		}
		if q.Addr == addrPort {
			b := c.port(v, ipProto, q.Dir)
			return or(c.port6(v, ipProto, q.Dir), b)
		}
		b := c.portRange(v, v, ipProto, q.Dir)
		return or(c.portRange6(v, v, ipProto, q.Dir), b)
	case addrGateway:
		c.fail("'gateway' requires a name")
	case addrProto:
		return c.proto(v, q.Proto, q.Dir)
	case addrProtochain:
		return c.protochain(v, q.Proto)
	}
	c.fail("syntax error in filter expression")
	return nil
}

func shl(v uint32, n int) uint32 {
	if n >= 32 {
		return 0
	}
	return v << uint(n)
}

func (c *compiler) mcode(s1, s2 string, masklen uint32, q qualifier) *frag {
	n, nlen := atoin(s1)
	if nlen < 0 {
		c.fail("invalid IPv4 address '%s'", s1)
	}
	n = shl(n, 32-nlen)
	var m uint32
	if s2 != "" {
		mv, mlen := atoin(s2)
		if mlen < 0 {
			c.fail("invalid IPv4 address '%s'", s2)
		}
		m = shl(mv, 32-mlen)
		if n&^m != 0 {
			c.fail("non-network bits set in \"%s mask %s\"", s1, s2)
		}
	} else {
		if masklen > 32 {
			c.fail("mask length must be <= 32")
		}
		if masklen != 0 {
			m = 0xffffffff << (32 - masklen)
		}
		if n&^m != 0 {
			c.fail("non-network bits set in \"%s/%d\"", s1, masklen)
		}
	}
	if q.Addr != addrNet {
		c.fail("Mask syntax for networks only")
	}
	return c.host(n, m, q.Proto, q.Dir, q.Addr)
}

func (c *compiler) mcode6(s string, masklen uint32, q qualifier) *frag {
	a, err := netip.ParseAddr(s)
	if err != nil || !a.Is6() {
		c.fail("invalid ip6 address %s", s)
	}
	if masklen > 128 {
		c.fail("mask length must be <= 128")
	}
	var mask [16]byte
	for i := uint32(0); i < masklen/8; i++ {
		mask[i] = 0xff
	}
	if masklen%8 != 0 {
		mask[masklen/8] = byte(0xff << (8 - masklen%8))
	}
	addr := a.As16()
	for i := range addr {
		if addr[i]&^mask[i] != 0 {
			c.fail("non-network bits set in \"%s/%d\"", s, masklen)
		}
	}
	switch q.Addr {
	case addrDefault, addrHost:
		if masklen != 128 {
			c.fail("Mask syntax for networks only")
		}
		fallthrough
	case addrNet:
		return c.host6(addr, mask, q.Proto, q.Dir, q.Addr)
	}
	c.fail("invalid qualifier against IPv6 address")
	return nil
}

// parseMAC converts the scanner's MAC forms (xx:xx:..., xx-xx-...,
// xx.xx..., xxxx.xxxx.xxxx, xxxxxxxxxxxx) into six bytes.
func parseMAC(s string) []byte {
	var out []byte
	var digits []byte
	flush := func() {
		if len(digits) == 0 {
			return
		}
		for len(digits) > 0 {
			n := 2
			if len(digits)%2 == 1 {
				n = 1
			}
			v, _ := strconv.ParseUint(string(digits[:n]), 16, 8)
			out = append(out, byte(v))
			digits = digits[n:]
		}
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ':', '-', '.':
			if len(digits) == 1 || len(digits) == 2 {
				v, _ := strconv.ParseUint(string(digits), 16, 8)
				out = append(out, byte(v))
				digits = nil
			} else {
				flush()
			}
		default:
			digits = append(digits, s[i])
		}
	}
	if len(digits) == 1 || len(digits) == 2 {
		v, _ := strconv.ParseUint(string(digits), 16, 8)
		out = append(out, byte(v))
	} else {
		flush()
	}
	return out
}

func (c *compiler) ecode(s string, q qualifier) *frag {
	if (q.Addr == addrHost || q.Addr == addrDefault) && q.Proto == protoLink {
		e := parseMAC(s)
		if len(e) != 6 {
			c.fail("bogus ethernet address %s", s)
		}
		return c.linkHost(e, q.Dir, "ethernet addresses supported only on ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel")
	}
	c.fail("ethernet address used in non-ether expression")
	return nil
}

// laneData adds to a test of the link-layer header the check that there
// is one where encapsulation may leave none: a LAN Emulation cell must
// not be an LE control frame (which starts with 0xff00), and a Geneve
// payload must start with an Ethernet header (its header and payload
// offsets differ). Elsewhere it returns b.
func (c *compiler) laneData(b *frag) *frag {
	var b0 *frag
	switch {
	case c.isGeneve:
		s := []bpf.RawInstruction{stmt(opLD|mMEM, uint32(c.hdrReg)), stmt(opLDX|mMEM, uint32(c.plReg))}
		b0 = not(c.newBlock(s, opJMP|jmpJEQ|srcX, 0))
	case c.isLANE:
		b0 = not(c.cmp(orPacket, sunATMOffPayload, szH, 0xff00))
	default:
		return b
	}
	return and(b0, b)
}

// linkHost tests a MAC address on the link layer; msg is the error for
// link types without MAC addresses.
func (c *compiler) linkHost(e []byte, dir dirQual, msg string) *frag {
	switch {
	case isWLAN(c.linktype):
		return c.wlanHost(e, dir)
	case c.linktype == linktype.Ethernet:
		return c.laneData(c.ehostop(e, dir))
	}
	if strings.HasPrefix(msg, "ethernet/") {
		c.fail("only %s supports link-level host name", msg)
	}
	c.fail("%s", msg)
	return nil
}

// lookupPort resolves a service name as pcap_nametoport: the TCP port if
// the name has one, else the UDP port; the protocol is left undefined
// when both exist with the same number.
func lookupPort(name string) (port, proto int, ok bool) {
	s, found := services[name]
	if !found {
		return 0, 0, false
	}
	switch {
	case s.tcp >= 0 && s.udp >= 0:
		if s.tcp == s.udp {
			return s.tcp, protoUndef, true
		}
		return s.tcp, ipProtoTCP, true
	case s.tcp >= 0:
		return s.tcp, ipProtoTCP, true
	case s.udp >= 0:
		return s.udp, ipProtoUDP, true
	}
	return 0, 0, false
}

// scanfDashInts mimics sscanf(name, "%d-%d"): two optionally signed
// decimal integers separated by '-', trailing text ignored.
func scanfDashInts(s string) (int, int, bool) {
	num := func(s string) (int, string, bool) {
		s = strings.TrimLeft(s, " \t\n")
		i := 0
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i {
			return 0, s, false
		}
		v, err := strconv.ParseInt(s[:j], 10, 64)
		if err != nil {
			return 0, s, false
		}
		return int(int32(v)), s[j:], true
	}
	a, rest, ok := num(s)
	if !ok || !strings.HasPrefix(rest, "-") {
		return 0, 0, false
	}
	b, _, ok := num(rest[1:])
	if !ok {
		return 0, 0, false
	}
	return a, b, true
}

func (c *compiler) checkPortProto(proto protoQual, realProto *int, what, name string) {
	names := map[int]string{ipProtoTCP: "tcp", ipProtoUDP: "udp", ipProtoSCTP: "sctp"}
	want := map[protoQual]int{protoUDP: ipProtoUDP, protoTCP: ipProtoTCP, protoSCTP: ipProtoSCTP}
	w, ok := want[proto]
	if !ok {
		return
	}
	if *realProto != protoUndef && *realProto != w {
		c.fail("%s '%s' is %s", what, name, names[*realProto])
	}
	*realProto = w
}

func (c *compiler) scode(name string, q qualifier) *frag {
	switch q.Addr {
	case addrNet:
		// As libpcap's gen_scode: the number's leading zero bytes are
		// shifted out and masked off; a network whose first byte is set
		// ("169.254.0.0") is compared as a whole address.
		addr, mask := c.lookupNetwork(name), uint32(0xffffffff)
		for addr != 0 && addr&0xff000000 == 0 {
			addr <<= 8
			mask <<= 8
		}
		return c.host(addr, mask, q.Proto, q.Dir, q.Addr)
	case addrDefault, addrHost:
		if q.Proto == protoLink {
			return c.linkHost(c.lookupEther(name), q.Dir, "ethernet/FDDI/token ring/802.11/ATM LANE/Fibre Channel")
		}
		return c.hostByName(name, q)
	case addrPort:
		if q.Proto != protoDefault && q.Proto != protoUDP && q.Proto != protoTCP && q.Proto != protoSCTP {
			c.fail("illegal qualifier of 'port'")
		}
		port, realProto, ok := lookupPort(name)
		if !ok {
			c.fail("unknown port '%s'", name)
		}
		c.checkPortProto(q.Proto, &realProto, "port", name)
		b := c.port(uint32(port), realProto, q.Dir)
		return or(c.port6(uint32(port), realProto, q.Dir), b)
	case addrPortrange:
		if q.Proto != protoDefault && q.Proto != protoUDP && q.Proto != protoTCP && q.Proto != protoSCTP {
			c.fail("illegal qualifier of 'portrange'")
		}
		p1, p2, ok := scanfDashInts(name)
		realProto := protoUndef
		if !ok {
			i := strings.IndexByte(name, '-')
			if i < 0 {
				c.fail("unknown port in range '%s'", name)
			}
			var pr1, pr2 int
			var ok1, ok2 bool
			p1, pr1, ok1 = lookupPort(name[:i])
			p2, pr2, ok2 = lookupPort(name[i+1:])
			if !ok1 || !ok2 {
				c.fail("unknown port in range '%s'", name)
			}
			realProto = pr2
			if pr1 != pr2 {
				realProto = protoUndef
			}
		}
		c.checkPortProto(q.Proto, &realProto, "port in range", name)
		for _, p := range []int{p1, p2} {
			if p < 0 {
				c.fail("illegal port number %d < 0", p)
			}
			if p > 65535 {
				c.fail("illegal port number %d > 65535", p)
			}
		}
		b := c.portRange(uint32(p1), uint32(p2), realProto, q.Dir)
		return or(c.portRange6(uint32(p1), uint32(p2), realProto, q.Dir), b)
	case addrGateway:
		// libpcap built with IPv6 support, as every distribution's
		// is, rejects "gateway" too.
		c.fail("'gateway' not supported in this configuration (as in libpcap with IPv6 support)")
	case addrProto:
		v := c.lookupProto(name, q.Proto)
		return c.proto(v, q.Proto, q.Dir)
	case addrProtochain:
		return c.protochain(c.lookupProto(name, q.Proto), q.Proto)
	}
	c.fail("syntax error in filter expression")
	return nil
}

func (c *compiler) lookupProto(name string, proto protoQual) uint32 {
	switch proto {
	case protoDefault, protoIP, protoIPv6:
		if v, ok := ipProtoNames[name]; ok {
			return v
		}
		c.fail("unknown ip proto '%s'", name)
	case protoLink:
		if v, ok := etherProtoNames[name]; ok {
			return v
		}
		if v, ok := llcNames[name]; ok {
			return v
		}
		c.fail("unknown ether proto '%s'", name)
	case protoISO:
		switch name {
		case "esis":
			return isoESIS
		case "isis":
			return isoISIS
		case "clnp":
			return isoCLNP
		}
		c.fail("unknown osi proto '%s'", name)
	}
	c.fail("unknown protocol: %s", name)
	return 0
}

func (c *compiler) broadcast(proto protoQual) *frag {
	switch proto {
	case protoDefault, protoLink:
		if c.linktype == linktype.Ethernet {
			return c.laneData(c.ehostop([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, dirDst))
		}
		if isWLAN(c.linktype) {
			return c.wlanHost([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, dirDst)
		}
		if c.linktype == ltARCnet || c.linktype == ltARCnetLinux {
			return c.arcnetHost(0, dirDst)
		}
		c.fail("not a broadcast link")
	case protoIP:
		// tcpdump passes a netmask of 0 when reading files, so every
		// host bit is tested.
		hostmask := ^c.opts.Netmask
		b0 := c.linkType(etherTypeIP)
		b1 := c.mcmp(orLinkPl, 16, szW, 0, hostmask)
		b2 := c.mcmp(orLinkPl, 16, szW, hostmask, hostmask)
		b2 = or(b1, b2)
		return and(b0, b2)
	}
	c.fail("only link-layer/IP broadcast filters supported")
	return nil
}

func (c *compiler) multicast(proto protoQual) *frag {
	switch proto {
	case protoDefault, protoLink:
		if c.linktype == linktype.Ethernet {
			s := c.loadA(orLinkHdr, 0, szB)
			return c.laneData(c.newBlock(s, opJMP|jmpJSET|srcK, 1))
		}
		if isWLAN(c.linktype) {
			return c.wlanMulticast()
		}
		if c.linktype == ltARCnet || c.linktype == ltARCnetLinux {
			// Every ARCnet multicast goes to the broadcast address.
			return c.arcnetHost(0, dirDst)
		}
	case protoIP:
		b0 := c.linkType(etherTypeIP)
		b1 := c.cmpGE(orLinkPl, 16, szB, 224)
		return and(b0, b1)
	case protoIPv6:
		b0 := c.linkType(etherTypeIPv6)
		b1 := c.cmp(orLinkPl, 24, szB, 255)
		return and(b0, b1)
	}
	c.fail("link-layer multicast filters supported only on ethernet/FDDI/token ring/ARCNET/802.11/ATM LANE/Fibre Channel")
	return nil
}

func (c *compiler) vlan(num uint32, has bool) *frag {
	if c.labelDepth > 0 {
		c.fail("no VLAN match after MPLS")
	}
	if c.linktype != linktype.Ethernet && !isWLAN(c.linktype) {
		c.fail("no VLAN support for %s", c.linktype.Description())
	}
	b0 := c.linkType(etherType8021Q)
	b1 := c.linkType(etherType8021AD)
	b1 = or(b0, b1)
	b0 = b1
	b1 = c.linkType(etherType8021QinQ)
	b0 = or(b0, b1)
	if has {
		if num > 0x0fff {
			c.fail("VLAN tag %d greater than maximum %d", num, 0x0fff)
		}
		b1 = c.mcmp(orLinkPl, 0, szH, num, 0x0fff)
		b0 = and(b0, b1)
	}
	c.offLinkPl += 4
	c.offLinkType += 4
	c.vlanDepth++
	return b0
}

func (c *compiler) mpls(label uint32, has bool) *frag {
	var b0 *frag
	if c.labelDepth > 0 {
		b0 = c.mcmp(orPrevMPLSHdr, 2, szB, 0, 0x01)
	} else {
		switch c.linktype {
		case linktype.Ethernet, linktype.CHDLC:
			b0 = c.linkType(etherTypeMPLS)
		case linktype.PPP:
			b0 = c.cmp(orLinkType, 0, szH, pppMPLSUnicast)
		default:
			c.fail("no MPLS support for %s", c.linktype.Description())
		}
	}
	if has {
		if label > 0xfffff {
			c.fail("MPLS label %d greater than maximum %d", label, 0xfffff)
		}
		b1 := c.mcmp(orLinkPl, 0, szW, label<<12, 0xfffff000)
		b0 = and(b0, b1)
	}
	c.offNlNoSNAP += 4
	c.offNl += 4
	c.labelDepth++
	return b0
}

func (c *compiler) pppoes(sess uint32, has bool) *frag {
	b0 := c.linkType(etherTypePPPoES)
	if has {
		if sess > 0xffff {
			c.fail("PPPoE session number %d greater than maximum %d", sess, 0xffff)
		}
		b1 := c.mcmp(orLinkPl, 0, szW, sess, 0x0000ffff)
		b0 = and(b0, b1)
	}
	// What follows is a PPP frame 6 bytes past the PPPoE header.
	c.offPrevLink = c.offLinkHdr
	c.linktype = linktype.PPP
	c.offLinkHdr = c.offLinkPl + c.offNl + 6
	c.offLinkType = c.offLinkHdr
	c.linkTypeSet = true
	c.offLinkPl = c.offLinkHdr + 2
	c.offNl = 0
	c.offNlNoSNAP = 0
	return b0
}

func (c *compiler) inbound(out bool) *frag {
	var b *frag
	switch c.linktype {
	case linktype.LinuxSLL:
		b = c.cmp(orLinkHdr, 0, szH, sllOutgoing)
	case linktype.LinuxSLL2:
		b = c.cmp(orLinkHdr, 10, szB, sllOutgoing)
	case ltSLIP:
		// The pseudo-header's first byte is 0 for received packets.
		b = c.cmp(orLinkHdr, 0, szB, 0)
		out = !out
	case ltPPPPPPD:
		// libpcap tests for the value asked (0 in, 1 out), so neither
		// direction is "not the other"; the same for IPNET and pflog.
		return c.cmp(orLinkHdr, 0, szB, map[bool]uint32{false: 0, true: 1}[out])
	case ltIPNet:
		return c.cmp(orLinkHdr, 2, szH, map[bool]uint32{false: 2, true: 1}[out])
	case ltPFLOG:
		return c.cmp(orLinkHdr, pflogOffDir, szB, map[bool]uint32{false: 1, true: 2}[out]) // PF_IN, PF_OUT
	default:
		if _, juniper := juniperPayload[c.linktype]; juniper {
			// The direction flag follows the 3-byte magic.
			v := uint32(1)
			if out {
				v = 0
			}
			return c.mcmp(orLinkHdr, 3, szB, v, 0x01)
		}
		c.fail("inbound/outbound not supported on %s when reading savefiles", c.linktype.Description())
	}
	if !out {
		b = not(b)
	}
	return b
}

func (c *compiler) ifindex(idx uint32) *frag {
	if c.linktype != linktype.LinuxSLL2 {
		c.fail("ifindex not supported on %s when reading savefiles", c.linktype.Description())
	}
	return c.cmp(orLinkHdr, 4, szW, idx)
}

func (c *compiler) byteop(op byte, idx, val uint32) *frag {
	switch op {
	case '=':
		return c.cmp(orLinkHdr, idx, szB, val)
	case '<':
		return c.cmpLT(orLinkHdr, idx, szB, val)
	case '>':
		return c.cmpGT(orLinkHdr, idx, szB, val)
	}
	// As in libpcap 1.10, "byte N & M" and "byte N | M" operate on
	// whatever A holds, without loading byte N.
	alu := uint16(aluAND)
	if op == '|' {
		alu = aluOR
	}
	return not(c.newBlock([]bpf.RawInstruction{stmt(opALU|alu|srcK, val)}, opJMP|jmpJEQ|srcK, 0))
}

func (c *compiler) lenCmp(jtype uint16, n uint32) *frag {
	return c.newBlock([]bpf.RawInstruction{stmt(opLD|mLEN|szW, 0)}, opJMP|jtype|srcK, n)
}

// gen compiles a node.
func (c *compiler) gen(n Node) *frag {
	c.pos = n.Pos()
	switch n := n.(type) {
	case *binaryNode:
		x := c.gen(n.X)
		y := c.gen(n.Y)
		if n.Op == opAnd {
			return and(x, y)
		}
		return or(x, y)
	case *notNode:
		return not(c.gen(n.X))
	case *protoAbbrevNode:
		return c.protoAbbrev(n.Proto)
	case *primitiveNode:
		return c.primitive(n)
	case *specialNode:
		return c.special(n)
	case *relationNode:
		return c.relation(n)
	}
	c.fail("unknown node %T", n)
	return nil
}

func (c *compiler) primitive(n *primitiveNode) *frag {
	q := n.Qual
	switch n.Kind {
	case valueName:
		return c.scode(n.Value, q)
	case valueNum:
		return c.ncode("", false, n.Num, q)
	case valueIPv4:
		switch {
		case n.HasMaskLen:
			return c.mcode(n.Value, "", n.MaskLen, q)
		case n.Mask != "":
			return c.mcode(n.Value, n.Mask, 0, q)
		}
		return c.ncode(n.Value, true, 0, q)
	case valueIPv6:
		ml := uint32(128)
		if n.HasMaskLen {
			ml = n.MaskLen
		}
		return c.mcode6(n.Value, ml, q)
	case valueMAC:
		return c.ecode(n.Value, q)
	case valueARCnet:
		return c.arcnetAddress(n.Value, q)
	}
	c.fail("unknown identifier")
	return nil
}

func (c *compiler) special(n *specialNode) *frag {
	switch n.Kind {
	case specialBroadcast:
		return c.broadcast(n.Proto)
	case specialMulticast:
		return c.multicast(n.Proto)
	case specialLess:
		return not(c.lenCmp(jmpJGT, n.Num))
	case specialGreater:
		return c.lenCmp(jmpJGE, n.Num)
	case specialByte:
		return c.byteop(n.ByteOp, n.Num, n.Value)
	case specialInbound:
		return c.inbound(false)
	case specialOutbound:
		return c.inbound(true)
	case specialIfindex:
		return c.ifindex(n.Num)
	case specialVLAN:
		return c.vlan(n.Num, n.HasNum)
	case specialMPLS:
		return c.mpls(n.Num, n.HasNum)
	case specialPPPoED:
		return c.linkType(etherTypePPPoED)
	case specialPPPoES:
		return c.pppoes(n.Num, n.HasNum)
	case specialLLC:
		return c.llcNamed(n.Name)
	case specialWLANType:
		return c.wlanFrameType(n.Num, n.Value)
	case specialWLANDir:
		return c.wlanDirection(n.Num)
	case specialLinkAbbrev:
		if mtp2Abbrevs[n.Name] {
			return c.mtp2Abbrev(n.Name)
		}
		return c.atmAbbrev(n.Name)
	case specialPflog:
		return c.pflog(n)
	case specialGeneve:
		return c.geneve(n.Num, n.HasNum)
	case specialLinkField:
		if n.Name == "vpi" || n.Name == "vci" {
			return c.atmField(n.Name, n.Rel, n.Num)
		}
		return c.mtp3Field(n.Name, n.Rel, n.Num)
	}
	c.fail("unknown primitive")
	return nil
}
