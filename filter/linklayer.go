package filter

import (
	"strconv"
	"strings"

	"golang.org/x/net/bpf"

	"github.com/pcaptool/pcaptool/linktype"
)

// Link types by number, for those the linktype package does not name.
const (
	ltARCnet       linktype.LinkType = 7
	ltSLIP         linktype.LinkType = 8
	ltATMRFC1483   linktype.LinkType = 100
	ltSLIPBSDOS    linktype.LinkType = 102
	ltATMCLIP      linktype.LinkType = 106
	ltFrameRelay   linktype.LinkType = 107
	ltARCnetLinux  linktype.LinkType = 129
	ltPPPPPPD      linktype.LinkType = 166
	ltENC          linktype.LinkType = 109
	ltPFLOG        linktype.LinkType = 117
	ltPrism        linktype.LinkType = 119
	ltAVS          linktype.LinkType = 163
	ltMTP2WithPHdr linktype.LinkType = 139
	ltMTP2         linktype.LinkType = 140
	ltERF          linktype.LinkType = 197
	ltIPNet        linktype.LinkType = 226
	ltMatchingMin  linktype.LinkType = 104 // libpcap's DLT_MATCHING_MIN
	ltMatchingMax  linktype.LinkType = 289 // libpcap 1.10's DLT_MATCHING_MAX
	offsetNotSet                     = 0xffffffff
	arcTypeIP                        = 0xd4
	arcTypeIPOld                     = 0xf0
	arcTypeARP                       = 0xd5
	arcTypeARPOld                    = 0xf1
	arcTypeRevARP                    = 0xd6
	arcTypeAtalk                     = 0xdd
	arcTypeInet6                     = 0xc4
	ipnetAFInet                      = 2
	ipnetAFInet6                     = 26
	sunATMProtoLLC                   = 2
	junipersMagic                    = 0x4d474300
)

// juniperPayload is the offset of the network-layer header libpcap 1.10
// assumes for each Juniper link type (off_linkpl + off_nl); it wraps
// below zero for some, as libpcap's does.
var juniperPayload = map[linktype.LinkType]uint32{
	130: 4, 131: 4, 132: ^uint32(1), 133: 12, 134: 4, 135: 8, 136: ^uint32(1), 137: 4, 164: 12,
	167: 32, 168: 6, 178: 32, 179: 4, 180: 4, 181: 4, 183: ^uint32(1), 194: ^uint32(1),
	200: ^uint32(1), 232: ^uint32(1), 233: ^uint32(1), 234: ^uint32(1), 238: ^uint32(1),
}

// protoTestsNotYet are link types libpcap can test protocols on that
// pcaptool compiles only link-type independent primitives for (length,
// raw link[] loads, arithmetic).
var protoTestsNotYet = map[linktype.LinkType]bool{
	114: true, 122: true, 138: true, 165: true, 192: true,
	240: true, 241: true,
}

// isWLAN reports whether lt carries 802.11 frames, possibly after a radio
// header.
func isWLAN(lt linktype.LinkType) bool {
	switch lt {
	case linktype.IEEE80211, linktype.Radiotap, ltAVS, ltPrism:
		return true
	}
	return false
}

// initLinkType sets the offsets of the link-layer header, its type field
// and its payload for lt, as libpcap's init_linktype does; it fails for
// link types libpcap cannot compile for.
func (c *compiler) initLinkType(lt linktype.LinkType) {
	c.outer, c.linktype = lt, lt
	c.linkTypeSet = true
	c.hdrReg, c.plReg = -1, -1
	_, juniper := juniperPayload[lt]
	switch {
	case lt == linktype.Ethernet:
		c.offLinkType, c.offLinkPl, c.offNl, c.offNlNoSNAP = 12, 14, 0, 3
	case lt == linktype.Null || lt == linktype.Loop:
		c.offLinkType, c.offLinkPl = 0, 4
	case lt == linktype.Raw || lt == linktype.IPv4 || lt == linktype.IPv6:
		c.linkTypeSet = false
		c.offLinkPl = 0
	case lt == ltSLIP:
		c.linkTypeSet = false
		c.offLinkPl = 16
	case lt == ltSLIPBSDOS:
		c.linkTypeSet = false
		c.offLinkPl = 24
	case lt == linktype.LinuxSLL:
		c.offLinkType, c.offLinkPl = 14, 16
	case lt == linktype.LinuxSLL2:
		c.offLinkType, c.offLinkPl = 0, 20
	case lt == linktype.PPP || lt == linktype.PPPHDLC || lt == linktype.CHDLC || lt == ltPPPPPPD:
		c.offLinkType, c.offLinkPl = 2, 4
	case lt == linktype.PPPoE:
		c.offLinkType, c.offLinkPl = 6, 8
	case lt == ltATMRFC1483 || lt == ltATMCLIP:
		c.offLinkType, c.offLinkPl, c.offNl, c.offNlNoSNAP = 0, 0, 8, 3
	case lt == linktype.SunATM:
		c.offLinkType, c.offLinkPl, c.offNl, c.offNlNoSNAP = 4, 4, 8, 3
	case lt == ltFrameRelay:
		c.linkTypeSet = false
		c.offLinkPl = 0
	case lt == ltARCnet:
		c.offLinkType, c.offLinkPl = 2, 6
	case lt == ltARCnetLinux:
		c.offLinkType, c.offLinkPl = 4, 8
	case lt == ltIPNet:
		c.offLinkType, c.offLinkPl = 1, 24
	case lt == ltENC:
		// OpenBSD's enc(4) header: an address family (in the byte
		// order of the machine that wrote it, as DLT_NULL's), the SPI
		// and flags.
		c.offLinkType, c.offLinkPl = 0, 12
	case lt == ltPFLOG:
		// The pfloghdr's length, rounded up to 4, is the payload's
		// offset: computed into a register at the start of the program
		// when something needs it.
		c.plVar = true
	case isWLAN(lt):
		// The 802.11 header's length depends on the frame, and a radio
		// header's on the packet: both are computed into registers at
		// the start of the program when something needs them.
		c.hdrVar = lt != linktype.IEEE80211
		c.plVar = true
		c.offLinkType, c.offLinkPl, c.offNl, c.offNlNoSNAP = 24, 0, 8, 3
	case juniper:
		c.linkTypeSet = false
		c.offLinkPl = juniperPayload[lt]
	case lt >= ltMatchingMin && lt <= ltMatchingMax && lt.Known():
		// libpcap compiles for these, but knows nothing of their
		// link-layer payload.
		c.linkTypeSet = false
		c.offLinkPl = offsetNotSet
	default:
		c.fail("unknown data link type %d", uint16(lt))
	}
}

// noLinkTypeFiltering is libpcap's error for link types whose protocol
// field it cannot test.
func (c *compiler) noLinkTypeFiltering() {
	c.fail("%s link-layer type filtering not implemented", c.linktype.Description())
}

// llcLinkType tests an 802.2 LLC header for protocol p: a SAP, or the
// protocol of a SNAP header (libpcap's gen_llc_linktype).
func (c *compiler) llcLinkType(p uint32) *frag {
	switch p {
	case llcSAPIP, llcSAPISONS, llcSAPNetBEUI:
		return c.cmp(orLLC, 0, szH, p<<8|p)
	case llcSAPIPX:
		return c.cmp(orLLC, 0, szB, llcSAPIPX)
	case etherTypeAtalk:
		return c.snap(0x080007, etherTypeAtalk)
	}
	if p <= etherMTU {
		return c.cmp(orLLC, 0, szB, p)
	}
	return c.cmp(orLLC, 6, szH, p)
}

// otherLinkType is linkType for the link types added beyond libpcap's
// Ethernet-like ones; ok is false for a link type it does not handle.
func (c *compiler) otherLinkType(p uint32) (f *frag, ok bool) {
	_, juniper := juniperPayload[c.linktype]
	switch {
	case c.linktype == linktype.PPP || c.linktype == linktype.PPPHDLC || c.linktype == linktype.PPPoE ||
		c.linktype == ltPPPPPPD:
		return c.cmp(orLinkType, 0, szH, etherTypeToPPP(p)), true
	case c.linktype == linktype.CHDLC:
		if p == llcSAPISONS {
			p = llcSAPISONS<<8 | llcSAPISONS
		}
		return c.cmp(orLinkType, 0, szH, p), true
	case c.linktype == ltSLIP || c.linktype == ltSLIPBSDOS:
		switch p {
		case etherTypeIP:
			return c.mcmp(orLinkHdr, 0, szB, 0x40, 0xf0), true
		case etherTypeIPv6:
			return c.mcmp(orLinkHdr, 0, szB, 0x60, 0xf0), true
		}
		return c.genFalse(), true
	case c.linktype == ltATMRFC1483 || c.linktype == ltATMCLIP:
		return c.llcLinkType(p), true
	case c.linktype == linktype.SunATM:
		b0 := c.mcmp(orLinkHdr, 0, szB, sunATMProtoLLC, 0x0f)
		return and(b0, c.llcLinkType(p)), true
	case isWLAN(c.linktype):
		b0 := c.wlanDataFrame()
		return and(b0, c.llcLinkType(p)), true
	case c.linktype == ltFrameRelay:
		switch p {
		case etherTypeIP:
			return c.cmp(orLinkHdr, 2, szH, 0x0300|0xcc), true
		case etherTypeIPv6:
			return c.cmp(orLinkHdr, 2, szH, 0x0300|0x8e), true
		case llcSAPISONS:
			b0 := c.cmp(orLinkHdr, 2, szH, 0x0300|isoCLNP)
			b1 := c.cmp(orLinkHdr, 2, szH, 0x0300|isoESIS)
			b2 := c.cmp(orLinkHdr, 2, szH, 0x0300|isoISIS)
			return or(or(b0, b1), b2), true
		}
		return c.genFalse(), true
	case c.linktype == ltARCnet || c.linktype == ltARCnetLinux:
		pair := func(a, b uint32) *frag {
			b0 := c.cmp(orLinkType, 0, szB, a)
			return or(b0, c.cmp(orLinkType, 0, szB, b))
		}
		switch p {
		case etherTypeIPv6:
			return c.cmp(orLinkType, 0, szB, arcTypeInet6), true
		case etherTypeIP:
			return pair(arcTypeIP, arcTypeIPOld), true
		case etherTypeARP:
			return pair(arcTypeARP, arcTypeARPOld), true
		case etherTypeRevARP:
			return c.cmp(orLinkType, 0, szB, arcTypeRevARP), true
		case etherTypeAtalk:
			return c.cmp(orLinkType, 0, szB, arcTypeAtalk), true
		}
		return c.genFalse(), true
	case c.linktype == ltIPNet:
		switch p {
		case etherTypeIP:
			return c.cmp(orLinkType, 0, szB, ipnetAFInet), true
		case etherTypeIPv6:
			return c.cmp(orLinkType, 0, szB, ipnetAFInet6), true
		}
		return c.genFalse(), true
	case c.linktype == ltPFLOG:
		// pfloghdr's address family; AF_INET6 as on Linux, as libpcap
		// compiled there.
		switch p {
		case etherTypeIP:
			return c.cmp(orLinkHdr, 1, szB, 2), true
		case etherTypeIPv6:
			return c.cmp(orLinkHdr, 1, szB, 10), true
		}
		return c.genFalse(), true
	case juniper:
		// libpcap only checks the Juniper magic: the payload may be in
		// any of several encapsulations.
		return c.mcmp(orLinkHdr, 0, szW, junipersMagic, 0xffffff00), true
	case c.linktype == linktype.LinuxSLL2:
		return nil, false
	case protoTestsNotYet[c.linktype]:
		c.fail("protocol tests on %s are not implemented by pcaptool", c.linktype.Description())
	case c.linktype >= ltMatchingMin && c.linktype <= ltMatchingMax:
		c.noLinkTypeFiltering()
	}
	return nil, false
}

// plRegister returns the scratch register that holds the variable part
// of the link-layer payload's offset, allocating it on first use.
func (c *compiler) plRegister() uint32 {
	if c.plReg < 0 {
		c.plReg = int(c.allocReg())
	}
	return uint32(c.plReg)
}

// hdrRegister is plRegister for the link-layer header's offset.
func (c *compiler) hdrRegister() uint32 {
	if c.hdrReg < 0 {
		c.hdrReg = int(c.allocReg())
	}
	return uint32(c.hdrReg)
}

// varLoad loads size bytes at the offset held in register reg plus k.
func varLoad(reg, k uint32, size uint16) []bpf.RawInstruction {
	return []bpf.RawInstruction{stmt(opLDX|mMEM, reg), stmt(opLD|mIND|size, k)}
}

// loadXIPHdrLen leaves in X the offset of an IPv4 packet's transport
// header minus the network-layer offset, for a variable link-layer
// payload offset (libpcap's gen_loadx_iphdrlen).
func (c *compiler) loadXIPHdrLen() []bpf.RawInstruction {
	nl := c.offLinkPl + c.offNl
	return []bpf.RawInstruction{
		stmt(opLDX|mMEM, c.plRegister()),
		stmt(opLD|mIND|szB, nl),
		stmt(opALU|aluAND|srcK, 0x0f),
		stmt(opALU|aluLSH|srcK, 2),
		stmt(opALU|aluADD|srcX, 0),
		stmt(opMISC|miscTAX, 0),
	}
}

// jumpBlock is a block that runs stmts and continues at next.
func (c *compiler) jumpBlock(stmts []bpf.RawInstruction, next *block) *block {
	return &block{id: c.countBlock(), stmts: stmts, jop: opJMP | jmpJEQ | srcK, jt: next, jf: next}
}

// testBlock is a block that runs stmts, then jumps on A.
func (c *compiler) testBlock(stmts []bpf.RawInstruction, jop uint16, k uint32, jt, jf *block) *block {
	return &block{id: c.countBlock(), stmts: stmts, jop: jop, k: k, jt: jt, jf: jf}
}

// prologue prepends to entry the code that computes the variable offsets
// the program uses: the radio header's length, then the 802.11 header's
// (24 bytes, 2 more for QoS data frames, rounded up to 4 when radiotap
// says the frame is padded), as libpcap's insert_compute_vloffsets.
func (c *compiler) prologue(entry *block) *block {
	head := c.prologueBody(entry)
	if c.outer != ltPrism || c.hdrReg < 0 {
		return head
	}
	// Prism: the radio header's length goes into A before head stores it.
	avs := c.jumpBlock([]bpf.RawInstruction{stmt(opLD|mABS|szW, 4)}, head)
	prism := c.jumpBlock([]bpf.RawInstruction{stmt(opLD|mIMM, 144)}, head)
	return c.testBlock([]bpf.RawInstruction{stmt(opLD|mABS|szW, 0), stmt(opALU|aluAND|srcK, 0xfffff000)},
		opJMP|jmpJEQ|srcK, 0x80211000, avs, prism)
}

// prologueBody is the prologue once the radio header's length is in A
// for Prism headers.
func (c *compiler) prologueBody(entry *block) *block {
	if c.outerSaved {
		c.hdrReg, c.plReg = c.outerHdrReg, c.outerPlReg
	}
	var prefix []bpf.RawInstruction
	if c.outer == ltPFLOG && c.plReg >= 0 {
		prefix = []bpf.RawInstruction{stmt(opLD|mABS|szB, 0), stmt(opALU|aluADD|srcK, 3),
			stmt(opALU|aluAND|srcK, 0xfffffffc), stmt(opST, uint32(c.plReg))}
	}
	if c.outer == ltAVS && c.hdrReg >= 0 || c.outer == ltPrism && c.hdrReg >= 0 {
		// AVS: a big-endian 32-bit length at 4. Prism: the same when the
		// header is an AVS one after all (its message code says so),
		// else 144 bytes; the length is loaded by prismLength's blocks.
		prefix = []bpf.RawInstruction{stmt(opST, uint32(c.hdrReg)), stmt(opMISC|miscTAX, 0)}
		if c.outer == ltAVS {
			prefix = append([]bpf.RawInstruction{stmt(opLD|mABS|szW, 4)}, prefix...)
		}
	}
	if c.outer == linktype.Radiotap && c.hdrReg >= 0 {
		// The radiotap header's length is a little-endian 16-bit field at 2.
		prefix = []bpf.RawInstruction{
			stmt(opLD|mABS|szB, 3), stmt(opALU|aluLSH|srcK, 8), stmt(opMISC|miscTAX, 0),
			stmt(opLD|mABS|szB, 2), stmt(opALU|aluOR|srcX, 0), stmt(opST, uint32(c.hdrReg)),
			stmt(opMISC|miscTAX, 0),
		}
	}
	if c.plReg < 0 || !isWLAN(c.outer) {
		if prefix == nil {
			return entry
		}
		return c.jumpBlock(prefix, entry)
	}
	pl := uint32(c.plReg)
	if prefix == nil {
		prefix = []bpf.RawInstruction{stmt(opLDX|mIMM, 0)}
	}
	next := entry
	padCheck := next
	if c.outer == linktype.Radiotap {
		roundUp := c.jumpBlock([]bpf.RawInstruction{stmt(opLD|mMEM, pl), stmt(opALU|aluADD|srcK, 3),
			stmt(opALU|aluAND|srcK, 0xfffffffc), stmt(opST, pl)}, next)
		// The flags field follows the 8-byte TSFT field when that is present.
		tsftPad := c.testBlock([]bpf.RawInstruction{stmt(opLD|mABS|szB, 16)}, opJMP|jmpJSET|srcK, 0x20, roundUp, next)
		noTSFTPad := c.testBlock([]bpf.RawInstruction{stmt(opLD|mABS|szB, 8)}, opJMP|jmpJSET|srcK, 0x20, roundUp, next)
		tsft := c.testBlock(nil, opJMP|jmpJSET|srcK, 0x01000000, tsftPad, noTSFTPad)
		// Further presence words (bit 31) are not parsed: no padding then.
		ext := c.testBlock(nil, opJMP|jmpJSET|srcK, 0x80, next, tsft)
		padCheck = c.testBlock([]bpf.RawInstruction{stmt(opLD|mABS|szW, 4)}, opJMP|jmpJSET|srcK, 0x02000000, ext, next)
	}
	qosAdd := c.jumpBlock([]bpf.RawInstruction{stmt(opLD|mMEM, pl), stmt(opALU|aluADD|srcK, 2), stmt(opST, pl)}, padCheck)
	qos := c.testBlock(nil, opJMP|jmpJSET|srcK, 0x80, qosAdd, padCheck)
	reserved := c.testBlock(nil, opJMP|jmpJSET|srcK, 0x04, next, qos)
	s := append(prefix, stmt(opMISC|miscTXA, 0), stmt(opALU|aluADD|srcK, 24), stmt(opST, pl),
		stmt(opLD|mIND|szB, 0))
	return c.testBlock(s, opJMP|jmpJSET|srcK, 0x08, reserved, next)
}

// arcnetHost tests the one-byte ARCnet source (offset 0) or destination
// (offset 1) address, as libpcap's gen_ahostop.
func (c *compiler) arcnetHost(a uint32, dir dirQual) *frag {
	return c.byDirection(dir,
		func() *frag { return c.cmp(orLinkHdr, 0, szB, a) },
		func() *frag { return c.cmp(orLinkHdr, 1, szB, a) },
		notForAddresses)
}

// arcnetAddress compiles "[link] [dir] [host] $XX" on ARCnet.
func (c *compiler) arcnetAddress(s string, q qualifier) *frag {
	if (q.Addr != addrHost && q.Addr != addrDefault) || q.Proto != protoLink {
		c.fail("ARCnet address used in non-arc expression")
	}
	if c.linktype != ltARCnet && c.linktype != ltARCnetLinux {
		c.fail("ARCnet address used in non-arc expression")
	}
	// libpcap 1.10 converts "$XX" with its MAC address parser, which
	// takes the '$' for a digit worth -19: the address byte tested is
	// (-19 << 4 | first digit) & 0xff. Mirror it so that verdicts agree.
	digits := strings.TrimPrefix(s, "$")
	d, err := strconv.ParseUint(digits[:1], 16, 8)
	if err != nil {
		c.fail("malformed ARCnet address '%s'", s)
	}
	return c.arcnetHost(uint32(uint8(int32(-19)<<4|int32(d))), q.Dir)
}
