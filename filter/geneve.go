package filter

import (
	"golang.org/x/net/bpf"

	"github.com/pcaptool/pcaptool/linktype"
)

const (
	genevePort     = 6081
	etherTypeTEB   = 0x6558 // Transparent Ethernet Bridging
	genevePrefixIn = 8      // UDP header before the Geneve header
)

// geneveCheck tests for a UDP packet to the Geneve port carrying a
// version 0 Geneve header, and the VNI when one is given.
func (c *compiler) geneveCheck(v6 bool, vni uint32, hasVNI bool) *frag {
	rel := orTranIPv4
	var b0 *frag
	if v6 {
		rel = orTranIPv6
		b0 = c.port6(genevePort, ipProtoUDP, dirDst)
	} else {
		b0 = c.port(genevePort, ipProtoUDP, dirDst)
	}
	b1 := c.mcmp(rel, 8, szB, 0, 0xc0)
	b0 = and(b0, b1)
	if hasVNI {
		if vni > 0xffffff {
			c.fail("Geneve VNI %d greater than maximum %d", vni, 0xffffff)
		}
		b1 = c.mcmp(rel, 12, szW, vni<<8, 0xffffff00)
		b0 = and(b0, b1)
	}
	return b0
}

// geneve compiles "geneve [VNI]": the Geneve check over IPv4 or IPv6,
// then code run when it holds that computes where the encapsulated frame
// starts (after the Geneve options, and after an inner Ethernet header
// when the Geneve protocol is Transparent Ethernet Bridging). Everything
// after it tests the inner frame, as libpcap's gen_geneve arranges.
func (c *compiler) geneve(vni uint32, hasVNI bool) *frag {
	// IPv4: A gets the IPv4 header's length (plus a variable link-layer
	// offset); the block's test compares A with itself and always holds.
	b4 := c.geneveCheck(false, vni, hasVNI)
	var s []bpf.RawInstruction
	if c.plVar {
		s = c.loadXIPHdrLen()
	} else {
		s = []bpf.RawInstruction{stmt(opLDX|mMSH|szB, c.offLinkPl+c.offNl)}
	}
	s = append(s, stmt(opMISC|miscTXA, 0))
	b4 = and(b4, c.newBlock(s, opJMP|jmpJEQ|srcX, 0))
	// IPv6: its fixed 40 bytes.
	b6 := c.geneveCheck(true, vni, hasVNI)
	if c.plVar {
		s = []bpf.RawInstruction{stmt(opLDX|mMEM, c.plRegister()), stmt(opLD|mIMM, 40), stmt(opALU|aluADD|srcX, 0)}
	} else {
		s = []bpf.RawInstruction{stmt(opLD|mIMM, 40)}
	}
	s = append(s, stmt(opMISC|miscTAX, 0))
	b6 = and(b6, c.newBlock(s, opJMP|jmpJEQ|srcX, 0))
	b0 := or(b4, b6)

	if !c.outerSaved {
		c.outerSaved, c.outerHdrReg, c.outerPlReg = true, c.hdrReg, c.plReg
	}
	lt, hdr, pl := c.allocReg(), c.allocReg(), c.allocReg()
	// A: offset of the Geneve header; its protocol type is 2 bytes in,
	// its length (options in 4-byte words, 6 bits) in the first byte.
	s = []bpf.RawInstruction{
		stmt(opALU|aluADD|srcK, c.offLinkPl+c.offNl+genevePrefixIn), stmt(opMISC|miscTAX, 0),
		stmt(opALU|aluADD|srcK, 2), stmt(opST, lt),
		stmt(opLD|mIND|szB, 0), stmt(opALU|aluAND|srcK, 0x3f), stmt(opALU|aluMUL|srcK, 4),
		stmt(opALU|aluADD|srcK, 8), stmt(opALU|aluADD|srcX, 0), stmt(opST, hdr),
		stmt(opLD|mIND|szH, 2), stmt(opLDX|mMEM, hdr),
	}
	// The payload starts at X: after the Geneve header, or after the
	// inner Ethernet header, whose type field then replaces Geneve's.
	storePl := c.newBlock([]bpf.RawInstruction{stmt(opSTX, pl), stmt(opLD|mIMM, 0)}, opJMP|jmpJEQ|srcK, 0)
	ether := c.jumpBlock([]bpf.RawInstruction{stmt(opMISC|miscTXA, 0), stmt(opALU|aluADD|srcK, 12),
		stmt(opST, lt), stmt(opALU|aluADD|srcK, 2), stmt(opMISC|miscTAX, 0)}, storePl.head)
	offsets := c.testBlock(s, opJMP|jmpJEQ|srcK, etherTypeTEB, ether, storePl.head)
	b1 := &frag{head: offsets, t: storePl.t, f: storePl.f}

	c.linktype = linktype.Ethernet
	c.hdrVar, c.plVar, c.ltVar = true, true, true
	c.hdrReg, c.plReg, c.ltReg = int(hdr), int(pl), int(lt)
	c.offLinkHdr, c.offLinkType, c.offLinkPl, c.offNl = 0, 0, 0, 0
	c.noRejectAll = true
	c.isGeneve = true
	return and(b0, b1)
}
