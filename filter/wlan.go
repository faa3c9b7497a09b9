package filter

import "strings"

// IEEE 802.11 frame control fields (libpcap's ieee80211.h).
const (
	wlanTypeMask    = 0x0c
	wlanSubtypeMask = 0xf0
	wlanTypeMgt     = 0x00
	wlanTypeCtl     = 0x04
	wlanTypeData    = 0x08
	wlanSubtypeCTS  = 0xc0
	wlanSubtypeACK  = 0xd0
	wlanDirMask     = 0x03
	wlanDirDSToDS   = 0x03
)

// wlanTypes are the 802.11 frame type names "type NAME" accepts.
var wlanTypes = map[string]uint32{"mgt": wlanTypeMgt, "ctl": wlanTypeCtl, "data": wlanTypeData}

// wlanSubtypes are the subtype names of each frame type, as "type T
// subtype NAME" and "subtype NAME" accept them.
var wlanSubtypes = []struct {
	typ   uint32
	names map[string]uint32
}{
	{wlanTypeMgt, map[string]uint32{"assocreq": 0x00, "assoc-req": 0x00, "assocresp": 0x10, "assoc-resp": 0x10,
		"reassocreq": 0x20, "reassoc-req": 0x20, "reassocresp": 0x30, "reassoc-resp": 0x30,
		"probereq": 0x40, "probe-req": 0x40, "proberesp": 0x50, "probe-resp": 0x50, "beacon": 0x80,
		"atim": 0x90, "disassoc": 0xa0, "disassociation": 0xa0, "auth": 0xb0, "authentication": 0xb0,
		"deauth": 0xc0, "deauthentication": 0xc0}},
	{wlanTypeCtl, map[string]uint32{"ps-poll": 0xa0, "rts": 0xb0, "cts": 0xc0, "ack": 0xd0,
		"cf-end": 0xe0, "cf-end-ack": 0xf0}},
	{wlanTypeData, map[string]uint32{"data": 0x00, "data-cf-ack": 0x10, "data-cf-poll": 0x20,
		"data-cf-ack-poll": 0x30, "null": 0x40, "cf-ack": 0x50, "cf-poll": 0x60, "cf-ack-poll": 0x70,
		"qos-data": 0x80, "qos-data-cf-ack": 0x90, "qos-data-cf-poll": 0xa0, "qos-data-cf-ack-poll": 0xb0,
		"qos": 0xc0, "qos-cf-poll": 0xe0, "qos-cf-ack-poll": 0xf0}},
}

// wlanDirections are the names "dir NAME" accepts.
var wlanDirections = map[string]uint32{"nods": 0, "tods": 1, "fromds": 2, "dstods": 3}

// lookupWLANSubtype finds a subtype name among those of frame type typ,
// or of any type when anyType is set, returning type|subtype.
func lookupWLANSubtype(name string, typ uint32, anyType bool) (uint32, bool) {
	name = strings.ToLower(name)
	for _, t := range wlanSubtypes {
		if !anyType && t.typ != typ {
			continue
		}
		if v, ok := t.names[name]; ok {
			return t.typ | v, true
		}
	}
	return 0, false
}

// requireWLAN fails unless the link type has 802.11 headers that the
// type, subtype and direction tests can read.
func (c *compiler) requireWLAN() {
	if !isWLAN(c.linktype) {
		c.fail("802.11 link-layer types supported only on 802.11")
	}
}

// wlanFrameType tests the frame control's first byte under mask.
func (c *compiler) wlanFrameType(v, mask uint32) *frag {
	c.requireWLAN()
	return c.mcmp(orLinkHdr, 0, szB, v, mask)
}

// wlanDirection tests the frame control's To DS and From DS bits.
func (c *compiler) wlanDirection(v uint32) *frag {
	c.requireWLAN()
	return c.mcmp(orLinkHdr, 1, szB, v, wlanDirMask)
}

// wlanJSET tests bits of the 802.11 header's byte off.
func (c *compiler) wlanJSET(off, bits uint32) *frag {
	return c.newBlock(c.loadA(orLinkHdr, off, szB), opJMP|jmpJSET|srcK, bits)
}

// wlanDataFrame is true for 802.11 data frames (type 2; reserved type 3
// excluded).
func (c *compiler) wlanDataFrame() *frag {
	b0 := c.wlanJSET(0, 0x08)
	b1 := not(c.wlanJSET(0, 0x04))
	return and(b1, b0)
}

// wlanByDS picks the address at one offset or another by a DS bit of the
// frame control: atom(set) when bit is set, atom(clear) when not.
func (c *compiler) wlanByDS(bit, set, clear uint32, atom func(off uint32) *frag) *frag {
	b1 := c.wlanJSET(1, bit)
	b0 := and(b1, atom(set))
	b2 := not(c.wlanJSET(1, bit))
	b1 = and(b2, atom(clear))
	return or(b1, b0)
}

// wlanMgtOrData combines the test on data frames with the same test at
// offset mgtOff for management frames, excluding control frames.
func (c *compiler) wlanMgtOrData(data *frag, mgtOff uint32, atom func(off uint32) *frag) *frag {
	b0 := and(c.wlanJSET(0, 0x08), data)
	b2 := not(c.wlanJSET(0, 0x08))
	b1 := and(b2, atom(mgtOff))
	b0 = or(b1, b0)
	return and(not(c.wlanJSET(0, 0x04)), b0)
}

// wlanSrc tests the source address, wherever the frame's kind puts it.
func (c *compiler) wlanSrc(atom func(off uint32) *frag) *frag {
	fromDS := c.wlanByDS(0x01, 24, 16, atom)
	b0 := and(c.wlanJSET(1, 0x02), fromDS)
	b2 := not(c.wlanJSET(1, 0x02))
	b1 := and(b2, atom(10))
	b0 = or(b1, b0)
	return c.wlanMgtOrData(b0, 10, atom)
}

// wlanDst tests the destination address.
func (c *compiler) wlanDst(atom func(off uint32) *frag) *frag {
	return c.wlanMgtOrData(c.wlanByDS(0x01, 16, 4, atom), 4, atom)
}

// wlanNotCTSOrACK is true for frames that carry a second address: all
// but control frames that are CTS or ACK.
func (c *compiler) wlanNotCTSOrACK() *frag {
	b0 := not(c.mcmp(orLinkHdr, 0, szB, wlanTypeCtl, wlanTypeMask))
	b1 := not(c.mcmp(orLinkHdr, 0, szB, wlanSubtypeCTS, wlanSubtypeMask))
	b2 := not(c.mcmp(orLinkHdr, 0, szB, wlanSubtypeACK, wlanSubtypeMask))
	b2 = and(b1, b2)
	return or(b0, b2)
}

// wlanHost tests an 802.11 MAC address in the place dir names (libpcap's
// gen_wlanhostop).
func (c *compiler) wlanHost(e []byte, dir dirQual) *frag {
	atom := func(off uint32) *frag { return c.bcmp(orLinkHdr, off, e) }
	switch dir {
	case dirSrc, dirDst, dirAnd, dirDefault, dirOr:
		return c.byDirection(dir,
			func() *frag { return c.wlanSrc(atom) },
			func() *frag { return c.wlanDst(atom) }, "")
	case dirAddr1:
		return atom(4)
	case dirAddr2:
		return and(c.wlanNotCTSOrACK(), atom(10))
	case dirAddr3:
		b0 := not(c.mcmp(orLinkHdr, 0, szB, wlanTypeCtl, wlanTypeMask))
		return and(b0, atom(16))
	case dirAddr4:
		b0 := c.mcmp(orLinkHdr, 1, szB, wlanDirDSToDS, wlanDirMask)
		return and(b0, atom(24))
	case dirRA:
		return and(c.wlanJSET(0, 0x08), atom(4))
	case dirTA:
		b := and(c.wlanJSET(0, 0x08), c.wlanNotCTSOrACK())
		return and(b, atom(10))
	}
	c.fail("'%s' is not a valid qualifier for 802.11 addresses", dir)
	return nil
}

// wlanMulticast tests the group bit of the destination address.
func (c *compiler) wlanMulticast() *frag {
	return c.wlanDst(func(off uint32) *frag { return c.wlanJSET(off, 0x01) })
}
