package filter

import "github.com/pcaptool/pcaptool/linktype"

// SunATM pseudo-header fields and ATM constants (libpcap's atmuni31.h and
// sunatmpos.h).
const (
	sunATMOffVPI     = 1
	sunATMOffVCI     = 2
	sunATMOffProto   = 0
	sunATMOffPayload = 4
	sunATMProtoLANE  = 1

	atmMsgTypePos      = 5 // message type in a Q.2931 signalling message
	atmCallProceed     = 0x02
	atmConnect         = 0x07
	atmConnectAck      = 0x0f
	atmSetup           = 0x05
	atmRelease         = 0x4d
	atmReleaseComplete = 0x5a
)

// requireATM fails unless the link type is SunATM, the only raw ATM link
// type in libpcap.
func (c *compiler) requireATM(what string) {
	if c.outer != linktype.SunATM {
		c.fail("'%s' supported only on raw ATM", what)
	}
}

// atmField compares the VPI or VCI of the SunATM pseudo-header with v.
func (c *compiler) atmField(name string, rel relOp, v uint32) *frag {
	c.requireATM(name)
	off, size := uint32(sunATMOffVPI), uint16(szB)
	if name == "vci" {
		off, size = sunATMOffVCI, szH
	}
	jtype, reverse := relJump(rel)
	return c.ncmp(orLinkHdr, off, size, 0xffffffff, jtype, reverse, v)
}

// atmCircuit tests for VPI 0 and the given VCI, a well-known circuit.
func (c *compiler) atmCircuit(vci uint32) *frag {
	b0 := c.cmp(orLinkHdr, sunATMOffVPI, szB, 0)
	b1 := c.cmp(orLinkHdr, sunATMOffVCI, szH, vci)
	return and(b0, b1)
}

// atmMsgTypes ORs tests of the signalling message type.
func (c *compiler) atmMsgTypes(types ...uint32) *frag {
	var b *frag
	for _, t := range types {
		tmp := c.cmp(orLinkHdr, sunATMOffPayload+atmMsgTypePos, szB, t)
		if b != nil {
			tmp = or(b, tmp)
		}
		b = tmp
	}
	return b
}

// atmCircuits are the keywords of well-known circuits (VPI 0) and their
// VCI.
var atmCircuits = map[string]uint32{"metac": 1, "bcc": 2, "oamf4sc": 3, "oamf4ec": 4, "sc": 5, "ilmic": 16}

// atmAbbrev compiles the ATM keywords (libpcap's gen_atmtype_abbrev and
// gen_atmmulti_abbrev).
func (c *compiler) atmAbbrev(name string) *frag {
	c.requireATM(name)
	if vci, ok := atmCircuits[name]; ok {
		return c.atmCircuit(vci)
	}
	switch name {
	case "oam", "oamf4":
		b0 := c.cmp(orLinkHdr, sunATMOffVCI, szH, 3)
		b1 := or(b0, c.cmp(orLinkHdr, sunATMOffVCI, szH, 4))
		return and(c.cmp(orLinkHdr, sunATMOffVPI, szB, 0), b1)
	case "connectmsg":
		b0 := c.atmCircuit(5)
		b1 := c.atmMsgTypes(atmCallProceed, atmConnect, atmConnectAck, atmSetup, atmRelease, atmReleaseComplete)
		return and(b0, b1)
	case "metaconnect":
		b0 := c.atmCircuit(1)
		b1 := c.atmMsgTypes(atmCallProceed, atmConnect, atmRelease, atmReleaseComplete)
		return and(b0, b1)
	case "lane":
		b := c.mcmp(orLinkHdr, sunATMOffProto, szB, sunATMProtoLANE, 0x0f)
		// What follows is LAN Emulation: an Ethernet frame after a
		// 2-byte LE header.
		c.linktype = linktype.Ethernet
		c.isLANE = true
		c.offLinkHdr = sunATMOffPayload + 2
		c.offLinkType = c.offLinkHdr + 12
		c.offLinkPl = c.offLinkHdr + 14
		c.offNl, c.offNlNoSNAP = 0, 3
		return b
	}
	c.fail("unknown ATM keyword '%s'", name)
	return nil
}
