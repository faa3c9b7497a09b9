package decode

import (
	"fmt"
	"strconv"
)

// LLDP (IEEE 802.1AB) as tcpdump's lldp_print prints it: the length and
// system name at -v 0; at -v every TLV, with the IEEE 802.1 (VLANs, DCB:
// ETS, PFC, application priority, congestion notification, EVB, CDCP),
// IEEE 802.3 (MAC/PHY, power, aggregation, frame size) and IANA (MUD URL)
// organisation-specific ones decoded, others in hex.

func init() { registerEtherType(0x88cc, printLLDP) }

var (
	lldpTLVNames = map[uint16]string{0: "End", 1: "Chassis ID", 2: "Port ID", 3: "Time to Live",
		4: "Port Description", 5: "System Name", 6: "System Description", 7: "System Capabilities",
		8: "Management Address", 127: "Organization specific"}
	lldpChassisSubtypes = map[uint8]string{1: "Chassis component", 2: "Interface alias",
		3: "Port component", 4: "MAC address", 5: "Network address", 6: "Interface name", 7: "Local"}
	lldpPortSubtypes = map[uint8]string{1: "Interface alias", 2: "Port component", 3: "MAC address",
		4: "Network Address", 5: "Interface Name", 6: "Agent circuit ID", 7: "Local"}
	lldpCapabilities = []bitName{{0x01, "Other"}, {0x02, "Repeater"}, {0x04, "Bridge"},
		{0x08, "WLAN AP"}, {0x10, "Router"}, {0x20, "Telephone"}, {0x40, "Docsis"}, {0x80, "Station Only"}}
	lldpOUIs = map[uint32]string{0x000000: "Ethernet", 0x00000c: "Cisco", 0x0000f8: "Cisco bridged",
		0x0080c2: "Ethernet bridged", 0x00e02b: "Extreme", 0x00120f: "IEEE 802.3 Private",
		0x0012bb: "TIA", 0x00005e: "IANA", 0x001b21: "DCBX", 0x00a0de: "Yamaha", 0x009069: "Juniper"}
	lldpAFNames = map[uint8]string{0: "Reserved", 1: "IPv4", 2: "IPv6", 3: "NSAP", 4: "HDLC",
		5: "BBN 1822", 6: "802", 7: "E.163", 8: "E.164 (ATM)", 9: "F.69 (Telex)", 10: "X.121 (X.25)",
		11: "IPX", 12: "Appletalk", 13: "Decnet IV", 14: "Banyan Vines", 15: "E.164 with NSAP subaddress"}
	lldpIfNumbering = map[uint8]string{1: "Unknown", 2: "Interface Index", 3: "System Port Number"}

	lldp8021Subtypes = map[uint8]string{1: "Port VLAN Id", 2: "Port and Protocol VLAN ID",
		3: "VLAN name", 4: "Protocol Identity", 5: "VID Usage Digest", 6: "Management VID",
		7: "Link aggregation", 8: "Congestion Notification", 9: "ETS Configuration",
		10: "ETS Recommendation", 11: "Priority Flow Control Configuration",
		12: "Application Priority", 13: "EVB", 14: "CDCP"}
	lldpPPVIDFlags   = []bitName{{0x02, "supported"}, {0x04, "enabled"}}
	lldpAggregation  = []bitName{{0x01, "supported"}, {0x02, "enabled"}}
	lldpEVBModes     = map[uint8]string{0: "Not Supported", 1: "EVB Bridge", 2: "EVB Station", 3: "Reserved for future Standardization"}
	lldp8023Subtypes = map[uint8]string{1: "MAC/PHY configuration/status", 2: "Power via MDI",
		3: "Link aggregation", 4: "Max frame size"}
	lldpAutoneg = []bitName{{0x01, "supported"}, {0x02, "enabled"}}
	lldpPMD     = []bitName{{0x4000, "10BASE-T hdx"}, {0x2000, "10BASE-T fdx"}, {0x1000, "100BASE-T4"},
		{0x0800, "100BASE-TX hdx"}, {0x0400, "100BASE-TX fdx"}, {0x0200, "100BASE-T2 hdx"},
		{0x0100, "100BASE-T2 fdx"}, {0x0080, "Pause for fdx links"}, {0x0040, "Asym PAUSE for fdx"},
		{0x0020, "Sym PAUSE for fdx"}, {0x0010, "Asym and Sym PAUSE for fdx"},
		{0x0008, "1000BASE-{X LX SX CX} hdx"}, {0x0004, "1000BASE-{X LX SX CX} fdx"},
		{0x0002, "1000BASE-T hdx"}, {0x0001, "1000BASE-T fdx"}}
	lldpMAUTypes = map[uint16]string{1: "AUI", 2: "10BASE_5", 3: "FOIRL", 4: "10BASE2", 5: "10BASET",
		6: "10BASEFP", 7: "10BASEFB", 8: "10BASEFL", 9: "10BROAD36", 10: "10BASET hdx", 11: "10BASET fdx",
		12: "10BASEFL hdx", 13: "10BASEFL fdx", 14: "100BASET4", 15: "100BASETX hdx", 16: "100BASETX fdx",
		17: "100BASEFX hdx", 18: "100BASEFX fdx", 19: "100BASET2 hdx", 20: "100BASET2 fdx",
		21: "1000BASEX hdx", 22: "1000BASEX fdx", 23: "1000BASELX hdx", 24: "1000BASELX fdx",
		25: "1000BASESX hdx", 26: "1000BASESX fdx", 27: "1000BASECX hdx", 28: "1000BASECX fdx",
		29: "1000BASET hdx", 30: "1000BASET fdx", 31: "10GBASEX", 32: "10GBASELX4", 33: "10GBASER",
		34: "10GBASEER", 35: "10GBASELR", 36: "10GBASESR", 37: "10GBASEW", 38: "10GBASEEW",
		39: "10GBASELW", 40: "10GBASESW"}
	lldpMDI           = []bitName{{0x01, "PSE"}, {0x02, "supported"}, {0x04, "enabled"}, {0x08, "pair selection"}}
	lldpMDIPowerPairs = map[uint8]string{1: "signal", 2: "spare"}
	lldpMDIPowerClass = map[uint8]string{1: "class0", 2: "class1", 3: "class2", 4: "class3", 5: "class4"}
)

func printLLDP(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	d := c.data
	verbose := p.opts.Verbose > 0
	b = append(b, "LLDP, length "...)
	b = strconv.AppendInt(b, int64(c.length), 10)
	for left := c.length; left >= 2; {
		if len(d) < 2 {
			return append(b, " [|lldp]"...), true
		}
		typ, n := be.Uint16(d)>>9, int(be.Uint16(d)&0x1ff)
		d, left = d[2:], left-2
		if verbose {
			b = append(b, "\n\t"...)
			b = appendNameOr(b, lldpTLVNames, typ, "Unknown")
			b = fmt.Appendf(b, " TLV (%d), length %d", typ, n)
		}
		if typ == 0 || n == 0 {
			break
		}
		if len(d) < n || left < n {
			return append(b, " [|lldp]"...), true
		}
		v := d[:n]
		hexdump := false
		ok := true
		switch typ {
		case 1, 2:
			if verbose {
				b, hexdump, ok = appendLLDPID(b, v, typ)
			}
		case 3:
			if verbose {
				if ok = n >= 2; ok {
					b = fmt.Appendf(b, ": TTL %ds", be.Uint16(v))
				}
			}
		case 4, 5:
			if verbose || typ == 5 {
				b = append(b, ": "...)
				b = appendNulStopped(b, v)
			}
		case 6:
			if verbose {
				b = append(b, "\n\t  "...)
				b = appendNulStopped(b, v)
			}
		case 7:
			if verbose {
				if ok = n >= 4; ok {
					sys, ena := be.Uint16(v), be.Uint16(v[2:])
					b = append(b, "\n\t  System  Capabilities ["...)
					b = appendBitNames(b, lldpCapabilities, uint32(sys), ", ", "none")
					b = fmt.Appendf(b, "] (0x%04x)\n\t  Enabled Capabilities [", sys)
					b = appendBitNames(b, lldpCapabilities, uint32(ena), ", ", "none")
					b = fmt.Appendf(b, "] (0x%04x)", ena)
				}
			}
		case 8:
			if verbose {
				b, ok = appendLLDPManagement(b, v)
			}
		case 127:
			if verbose {
				if ok = n >= 3; ok {
					oui := uint32(v[0])<<16 | uint32(v[1])<<8 | uint32(v[2])
					b = append(b, ": OUI "...)
					b = appendNameOr(b, lldpOUIs, oui, "Unknown")
					b = fmt.Appendf(b, " (0x%06x)", oui)
					switch oui {
					case 0x0080c2:
						b, hexdump = appendLLDP8021(b, v)
					case 0x00120f:
						b, hexdump = appendLLDP8023(b, v)
					case 0x00005e:
						b, hexdump = appendLLDPIANA(b, v)
					default:
						hexdump = true
					}
				}
			}
		default:
			hexdump = true
		}
		if !ok {
			return append(b, " [|lldp]"...), true
		}
		if p.opts.Verbose > 1 || verbose && hexdump {
			b = appendHexIdent(b, "\n\t  ", v)
		}
		d, left = d[n:], left-n
	}
	return b, true
}

// appendLLDPID appends a chassis ID (typ 1) or port ID (typ 2) TLV's value.
func appendLLDPID(b, v []byte, typ uint16) ([]byte, bool, bool) {
	if len(v) < 2 {
		return b, false, false
	}
	sub := v[0]
	names, mac, addr := lldpChassisSubtypes, uint8(4), uint8(5)
	if typ == 2 {
		names, mac, addr = lldpPortSubtypes, 3, 4
	}
	b = append(b, "\n\t  Subtype "...)
	b = appendNameOr(b, names, sub, "Unknown")
	b = fmt.Appendf(b, " (%d): ", sub)
	switch {
	case sub == mac:
		if len(v) < 7 {
			return b, false, false
		}
		b = appendMAC(b, v[1:7])
	case sub == addr:
		var ok bool
		if b, ok = appendLLDPNetworkAddr(b, v[1:]); !ok {
			return b, false, false
		}
	case sub >= 1 && sub <= 7:
		b = appendNulStopped(b, v[1:])
	default:
		return b, true, true
	}
	return b, false, true
}

// appendLLDPNetworkAddr appends an address-family-prefixed address.
func appendLLDPNetworkAddr(b, v []byte) ([]byte, bool) {
	if len(v) < 1 {
		return b, false
	}
	af := v[0]
	need := map[uint8]int{1: 4, 2: 16, 6: 6}[af]
	if need > 0 && len(v)-1 < need {
		return b, false
	}
	b = append(b, "AFI "...)
	b = appendNameOr(b, lldpAFNames, af, "Unknown")
	b = fmt.Appendf(b, " (%d)", af)
	switch af {
	case 1:
		b = append(b, ": "...)
		return appendIPv4At(b, v, 1), true
	case 2:
		b = append(b, ": "...)
		return appendIPv6At(b, v, 1), true
	case 6:
		b = append(b, ": "...)
		return appendMAC(b, v[1:7]), true
	}
	return append(b, ", no AF printer !"...), true
}

func appendLLDPManagement(b, v []byte) ([]byte, bool) {
	if len(v) < 1 {
		return b, false
	}
	alen := int(v[0])
	if len(v)-1 < alen {
		return b, false
	}
	b = fmt.Appendf(b, "\n\t  Management Address length %d, ", alen)
	var ok bool
	if b, ok = appendLLDPNetworkAddr(b, v[1:1+alen]); !ok {
		return b, false
	}
	v = v[1+alen:]
	if len(v) < 5 {
		return b, false
	}
	b = append(b, "\n\t  "...)
	b = appendNameOr(b, lldpIfNumbering, v[0], "Unknown")
	b = fmt.Appendf(b, " Interface Numbering (%d): %d", v[0], be.Uint32(v[1:]))
	v = v[5:]
	if len(v) > 0 {
		oidLen := int(v[0])
		if len(v) < 1+oidLen {
			return b, false
		}
		if oidLen > 0 {
			b = fmt.Appendf(b, "\n\t  OID length %d", oidLen)
		}
	}
	return b, true
}

// appendLLDP8021 appends an IEEE 802.1 organisation-specific TLV (v starts
// at the OUI) and reports whether tcpdump adds a hex dump.
func appendLLDP8021(b, v []byte) ([]byte, bool) {
	n := len(v)
	if n < 4 {
		return b, false
	}
	sub := v[3]
	b = append(b, "\n\t  "...)
	b = appendNameOr(b, lldp8021Subtypes, sub, "unknown")
	b = fmt.Appendf(b, " Subtype (%d)", sub)
	bits := func(b []byte, x byte) []byte {
		b = append(b, "\n\t     Priority : 0  1  2  3  4  5  6  7\n\t     Value    : "...)
		for i := 0; i < 8; i++ {
			b = fmt.Appendf(b, "%-2d ", x>>i&1)
		}
		return b
	}
	switch sub {
	case 1:
		if n >= 6 {
			b = fmt.Appendf(b, "\n\t    port vlan id (PVID): %d", be.Uint16(v[4:]))
		}
	case 2:
		if n >= 7 {
			b = fmt.Appendf(b, "\n\t    port and protocol vlan id (PPVID): %d, flags [", be.Uint16(v[5:]))
			b = appendBitNames(b, lldpPPVIDFlags, uint32(v[4]), ", ", "none")
			b = fmt.Appendf(b, "] (0x%02x)", v[4])
		}
	case 3:
		if n < 6 {
			break
		}
		b = fmt.Appendf(b, "\n\t    vlan id (VID): %d", be.Uint16(v[4:]))
		if n < 7 || n < 7+int(v[6]) {
			break
		}
		b = append(b, "\n\t    vlan name: "...)
		b = appendNulStopped(b, v[7:7+int(v[6])])
	case 4:
		if n < 5 || n < 5+int(v[4]) {
			break
		}
		b = append(b, "\n\t    protocol identity: "...)
		b = appendNulStopped(b, v[5:5+int(v[4])])
	case 7:
		if n >= 9 {
			b = appendLLDPAggregation(b, v)
		}
	case 8:
		if n >= 6 {
			b = append(b, "\n\t    Pre-Priority CNPV Indicator"...)
			b = bits(b, v[4])
			b = append(b, "\n\t    Pre-Priority Ready Indicator"...)
			b = bits(b, v[5])
		}
	case 9, 10:
		if n < 25 {
			break
		}
		x := v[4]
		if sub == 9 {
			b = fmt.Appendf(b, "\n\t    Willing:%d, CBS:%d, RES:%d, Max TCs:%d", x>>7, x>>6&2, x>>3&7, x&7)
		} else {
			b = fmt.Appendf(b, "\n\t    RES: %d", x)
		}
		t := v[5:9]
		b = fmt.Appendf(b, "\n\t    Priority Assignment Table\n\t     Priority : 0   1   2   3   4   5   6   7"+
			"\n\t     Value    : %-3d %-3d %-3d %-3d %-3d %-3d %-3d %-3d",
			t[0]>>4, t[0]&15, t[1]>>4, t[1]&15, t[2]>>4, t[2]&15, t[3]>>4, t[3]&15)
		t = v[9:17]
		b = fmt.Appendf(b, "\n\t    TC Bandwidth Table\n\t     TC%%   : 0   1   2   3   4   5   6   7"+
			"\n\t     Value : %-3d %-3d %-3d %-3d %-3d %-3d %-3d %-3d", t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7])
		t = v[17:25]
		b = fmt.Appendf(b, "\n\t    TSA Assignment Table\n\t     Traffic Class: 0   1   2   3   4   5   6   7"+
			"\n\t     Value        : %-3d %-3d %-3d %-3d %-3d %-3d %-3d %-3d", t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7])
	case 11:
		if n >= 6 {
			x := v[4]
			b = fmt.Appendf(b, "\n\t    Willing: %d, MBC: %d, RES: %d, PFC cap:%d ", x>>7, x>>6&1, x>>4&3, x&15)
			b = append(b, "\n\t    PFC Enable"...)
			b = bits(b, v[5])
		}
	case 12:
		if n < 5 {
			break
		}
		b = fmt.Appendf(b, "\n\t    RES: %d", v[4])
		if n == 5 || (n-5)%3 != 0 {
			break
		}
		b = append(b, "\n\t    Application Priority Table"...)
		for i := 5; i+3 <= n; i += 3 {
			x := v[i]
			b = fmt.Appendf(b, "\n\t      Priority: %d, RES: %d, Sel: %d, Protocol ID: %d", x>>5, x>>3&3, x&7, be.Uint16(v[i+1:]))
		}
	case 13:
		if n < 9 {
			break
		}
		x := v[4]
		b = fmt.Appendf(b, "\n\t    EVB Bridge Status\n\t      RES: %d, BGID: %d, RRCAP: %d, RRCTR: %d", x>>3, x>>2&1, x>>1&1, x&1)
		x = v[5]
		b = fmt.Appendf(b, "\n\t    EVB Station Status\n\t      RES: %d, SGID: %d, RRREQ: %d,RRSTAT: %d", x>>4, x>>3&1, x>>2&1, x&3)
		b = fmt.Appendf(b, "\n\t    R: %d, RTE: %d, EVB Mode: ", v[6]>>5, v[6]&0x1f)
		x = v[7]
		b = appendNameOr(b, lldpEVBModes, x>>6, "unknown")
		b = fmt.Appendf(b, " [%d]\n\t    ROL: %d, RWD: %d, ", x>>6, x>>5&1, x&0x1f)
		x = v[8]
		b = fmt.Appendf(b, "RES: %d, ROL: %d, RKA: %d", x>>6, x>>5&1, x&0x1f)
	case 14:
		if n < 8 {
			break
		}
		x := v[4]
		b = fmt.Appendf(b, "\n\t    Role: %d, RES: %d, Scomp: %d ChnCap: %d", x>>7, x>>4&7, x>>3&1, be.Uint16(v[6:])&0xfff)
		if (n-8)%3 != 0 {
			break
		}
		for i := 8; i+3 <= n; i += 3 {
			t := uint32(v[i])<<16 | uint32(v[i+1])<<8 | uint32(v[i+2])
			b = fmt.Appendf(b, "\n\t    SCID: %d, SVID: %d", t>>12, t&0xfff)
		}
	default:
		return b, true
	}
	return b, false
}

func appendLLDPAggregation(b, v []byte) []byte {
	b = append(b, "\n\t    aggregation status ["...)
	b = appendBitNames(b, lldpAggregation, uint32(v[4]), ", ", "none")
	return fmt.Appendf(b, "], aggregation port ID %d", be.Uint32(v[5:]))
}

// appendLLDP8023 appends an IEEE 802.3 organisation-specific TLV.
func appendLLDP8023(b, v []byte) ([]byte, bool) {
	n := len(v)
	if n < 4 {
		return b, false
	}
	sub := v[3]
	b = append(b, "\n\t  "...)
	b = appendNameOr(b, lldp8023Subtypes, sub, "unknown")
	b = fmt.Appendf(b, " Subtype (%d)", sub)
	switch sub {
	case 1:
		if n < 9 {
			break
		}
		b = append(b, "\n\t    autonegotiation ["...)
		b = appendBitNames(b, lldpAutoneg, uint32(v[4]), ", ", "none")
		pmd, mau := be.Uint16(v[5:]), be.Uint16(v[7:])
		b = fmt.Appendf(b, "] (0x%02x)\n\t    PMD autoneg capability [", v[4])
		b = appendBitNames(b, lldpPMD, uint32(pmd), ", ", "unknown")
		b = fmt.Appendf(b, "] (0x%04x)\n\t    MAU type ", pmd)
		b = appendNameOr(b, lldpMAUTypes, mau, "unknown")
		b = fmt.Appendf(b, " (0x%04x)", mau)
	case 2:
		if n < 7 {
			break
		}
		b = append(b, "\n\t    MDI power support ["...)
		b = appendBitNames(b, lldpMDI, uint32(v[4]), ", ", "none")
		b = append(b, "], power pair "...)
		b = appendNameOr(b, lldpMDIPowerPairs, v[5], "unknown")
		b = append(b, ", power class "...)
		b = appendNameOr(b, lldpMDIPowerClass, v[6], "unknown")
	case 3:
		if n >= 9 {
			b = appendLLDPAggregation(b, v)
		}
	case 4:
		if n >= 6 {
			b = fmt.Appendf(b, "\n\t    MTU size %d", be.Uint16(v[4:]))
		}
	default:
		return b, true
	}
	return b, false
}

// appendLLDPIANA appends an IANA organisation-specific TLV (MUD URL).
func appendLLDPIANA(b, v []byte) ([]byte, bool) {
	if len(v) < 8 {
		return b, false
	}
	sub := v[3]
	if sub != 1 {
		b = fmt.Appendf(b, "\n\t  unknown Subtype (%d)", sub)
		return b, true
	}
	b = append(b, "\n\t  MUD-URL Subtype (1)\n\t  MUD-URL="...)
	return appendNulStopped(b, v[4:]), false
}

// appendNulStopped appends a counted string as tcpdump's nd_printjnp does:
// up to the first NUL, unprintable bytes escaped.
func appendNulStopped(b, s []byte) []byte { return appendZeroPadded(b, s) }
