package filter

import "github.com/pcaptool/pcaptool/linktype"

// Link types with SS7 MTP2 signal units, and where their fields are
// (libpcap's off_li and friends: the length indicator, the service
// information octet, then the routing label with the originating and
// destination point codes and the signalling link selection). The
// high-speed-link ("h...") forms of the fields are 3 bytes further, their
// length indicator 2 bytes further.
var mtp2LengthIndicator = map[linktype.LinkType]uint32{
	ltMTP2: 2, ltMTP2WithPHdr: 6, ltERF: 22,
}

// relJump is libpcap's pair of jump type and "reverse" flag for a
// comparison with a constant: only the ordered comparisons are inverted,
// so that "!=" compiles as "=" in libpcap 1.10 (for ATM and SS7 fields),
// and here.
func relJump(rel relOp) (jtype uint16, reverse bool) {
	jtype = map[relOp]uint16{relGT: jmpJGT, relGE: jmpJGE, relEQ: jmpJEQ, relLE: jmpJGT, relLT: jmpJGE, relNE: jmpJEQ}[rel]
	return jtype, rel == relLE || rel == relLT
}

// mtp2Abbrev compiles fisu, lssu (lsu), msu and their high-speed-link
// forms: a test of the signal unit's length indicator (libpcap's
// gen_mtp2type_abbrev).
func (c *compiler) mtp2Abbrev(name string) *frag {
	li, ok := mtp2LengthIndicator[c.linktype]
	high := name[0] == 'h'
	if !ok {
		if high {
			c.fail("'%s' supported only on MTP2_HSL", name)
		}
		if name == "lsu" {
			name = "lssu"
		}
		c.fail("'%s' supported only on MTP2", name)
	}
	off, size, mask, lssuMax := li, uint16(szB), uint32(0x3f), uint32(2)
	if high {
		off, size, mask, lssuMax = li+2, szH, 0xff80, 0x0100
	}
	switch name {
	case "fisu", "hfisu":
		return c.ncmp(orPacket, off, size, mask, jmpJEQ, false, 0)
	case "lssu", "lsu", "hlssu":
		b0 := c.ncmp(orPacket, off, size, mask, jmpJGT, true, lssuMax)
		b1 := c.ncmp(orPacket, off, size, mask, jmpJGT, false, 0)
		return and(b1, b0)
	}
	return c.ncmp(orPacket, off, size, mask, jmpJGT, false, lssuMax) // msu, hmsu
}

// mtp3Field compares an MTP3 field of an MTP2 signal unit with v: sio,
// opc, dpc, sls or their high-speed-link forms (libpcap's
// gen_mtp3field_code). Point codes and the link selection are stored in
// the routing label's bit order, so v is rearranged to match.
func (c *compiler) mtp3Field(name string, rel relOp, v uint32) *frag {
	field := name
	extra := uint32(0)
	if name[0] == 'h' {
		field, extra = name[1:], 3
	}
	li, ok := mtp2LengthIndicator[c.linktype]
	if !ok {
		c.fail("'%s' supported only on SS7", field)
	}
	jtype, reverse := relJump(rel)
	switch field {
	case "sio":
		if v > 255 {
			c.fail("sio value %d too big; max value = 255", v)
		}
		return c.ncmp(orPacket, li+1+extra, szB, 0xffffffff, jtype, reverse, v)
	case "opc":
		if v > 16383 {
			c.fail("opc value %d too big; max value = 16383", v)
		}
		v = (v&0x3c00)>>10 + (v&0x03fc)<<6 + (v&0x0003)<<22
		return c.ncmp(orPacket, li+2+extra, szW, 0x00c0ff0f, jtype, reverse, v)
	case "dpc":
		if v > 16383 {
			c.fail("dpc value %d too big; max value = 16383", v)
		}
		v = (v&0x00ff)<<24 + (v&0x3f00)<<8
		return c.ncmp(orPacket, li+2+extra, szW, 0xff3f0000, jtype, reverse, v)
	}
	if v > 15 { // sls
		c.fail("sls value %d too big; max value = 15", v)
	}
	return c.ncmp(orPacket, li+5+extra, szB, 0xf0, jtype, reverse, v<<4)
}
