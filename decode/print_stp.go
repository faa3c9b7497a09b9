package decode

import (
	"fmt"
	"strconv"
)

// Spanning tree BPDUs (802.1D STP, 802.1w RSTP, 802.1s MSTP, 802.1aq SPB)
// as tcpdump's stp_print prints them: the protocol, BPDU type, flags and
// bridge at -v 0, timers, root and the MSTP/SPB configuration at -v.

func init() {
	registerLLC(0x42, printSTP)
	registerSNAP(0x00000c, 0x010b, printSTP) // Cisco PVST+
}

var (
	stpVersions  = map[uint8]string{0: "802.1d", 2: "802.1w", 3: "802.1s", 4: "802.1aq"}
	stpBPDUTypes = map[uint8]string{0: "Config", 2: "Rapid STP", 0x80: "Topology Change"}
	stpFlags     = []bitName{{0x01, "Topology change"}, {0x02, "Proposal"}, {0x10, "Learn"},
		{0x20, "Forward"}, {0x40, "Agreement"}, {0x80, "Topology change ACK"}}
	stpPortRoles = map[uint8]string{0: "Unknown", 1: "Alternate", 2: "Root", 3: "Designated"}
)

// Offsets in a BPDU (IEEE 802.1Q-2014 clause 14).
const (
	stpConfigLen    = 35  // a configuration BPDU
	stpRSTPLen      = 36  // a RST BPDU, with the version 1 length
	stpMSTIOffset   = 102 // the first MSTI configuration message
	stpMSTConfigLen = 64  // the MST part version 3 length counts before the MSTIs
	stpSPBMinLen    = 87  // the SPB part after the MSTIs, version 4 length included
)

func printSTP(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	d, length := c.data, c.length
	if length < 4 {
		return append(b, " (invalid)"...), true
	}
	if len(d) < 3 {
		return append(b, " [|stp]"...), true
	}
	if be.Uint16(d) != 0 {
		b = append(b, "unknown STP version, length "...)
		return strconv.AppendInt(b, int64(length), 10), true
	}
	version := d[2]
	b = append(b, "STP "...)
	b = appendTok(b, stpVersions, version, "Unknown STP protocol (0x%02x)")
	if _, ok := stpVersions[version]; !ok {
		return b, true
	}
	if len(d) < 4 {
		return append(b, " [|stp]"...), true
	}
	typ := d[3]
	b = append(b, ", "...)
	b = appendTok(b, stpBPDUTypes, typ, "Unknown BPDU Type (0x%02x)")
	switch {
	case typ == 0:
		if length < stpConfigLen {
			return append(b, " (invalid)"...), true
		}
		return appendSTPConfig(p, b, d, version, length), true
	case typ == 2 && version == 2:
		if length < stpRSTPLen {
			return append(b, " (invalid)"...), true
		}
		return appendSTPConfig(p, b, d, version, length), true
	case typ == 2 && (version == 3 || version == 4):
		if length < stpMSTIOffset || len(d) > stpRSTPLen-1 && d[stpRSTPLen-1] != 0 {
			return append(b, " (invalid)"...), true
		}
		if len(d) < stpMSTIOffset {
			return append(b, " [|stp]"...), true
		}
		mstLen := int(be.Uint16(d[stpRSTPLen:])) + 2
		if length < stpRSTPLen+mstLen {
			return append(b, " (invalid)"...), true
		}
		spbAt := stpRSTPLen + mstLen
		if version == 4 {
			if len(d) < spbAt+2 {
				return append(b, " [|stp]"...), true
			}
			spbLen := int(be.Uint16(d[spbAt:])) + 2
			if length < spbAt+spbLen || spbLen < stpSPBMinLen {
				return append(b, " (invalid)"...), true
			}
		}
		b = appendMSTP(p, b, d, length)
		if version == 4 && p.opts.Verbose > 0 {
			b = appendSPB(b, d, spbAt)
		}
		return b, true
	}
	return b, true
}

// appendBridgeID appends the 8-byte bridge identifier at d[off:] as
// "pppp.aa:bb:cc:dd:ee:ff".
func appendBridgeID(b, d []byte, off int) []byte {
	b = appendHexBytes(b, d[off:off+2])
	b = append(b, '.')
	return appendMAC(b, d[off+2:off+8])
}

// appendSTPTimers appends the four BPDU timers, in 1/256 s.
func appendSTPTimers(b, d []byte) []byte {
	t := func(off int) float32 { return float32(be.Uint16(d[off:])) / 256 }
	return fmt.Appendf(b, "\n\tmessage-age %.2fs, max-age %.2fs, hello-time %.2fs, forwarding-delay %.2fs",
		t(27), t(29), t(31), t(33))
}

func appendSTPConfig(p *Printer, b, d []byte, version uint8, length int) []byte {
	if len(d) < 5 {
		return append(b, " [|stp]"...)
	}
	flags := d[4]
	b = append(b, ", Flags ["...)
	b = appendBitNames(b, stpFlags, uint32(flags), ", ", "none")
	b = append(b, ']')
	if len(d) < 27 {
		return append(b, " [|stp]"...)
	}
	b = append(b, ", bridge-id "...)
	b = appendBridgeID(b, d, 17)
	b = append(b, '.')
	b = appendHexBytes(b, d[25:27])
	b = append(b, ", length "...)
	b = strconv.AppendInt(b, int64(length), 10)
	if p.opts.Verbose == 0 {
		return b
	}
	if len(d) < stpConfigLen {
		return append(b, " [|stp]"...)
	}
	b = appendSTPTimers(b, d)
	b = append(b, "\n\troot-id "...)
	b = appendBridgeID(b, d, 5)
	b = append(b, ", root-pathcost "...)
	b = strconv.AppendUint(b, uint64(be.Uint32(d[13:])), 10)
	if version == 2 {
		b = append(b, ", port-role "...)
		b = append(b, stpPortRoles[flags>>2&3]...)
	}
	return b
}

func appendMSTP(p *Printer, b, d []byte, length int) []byte {
	flags := d[4]
	b = append(b, ", CIST Flags ["...)
	b = appendBitNames(b, stpFlags, uint32(flags), ", ", "none")
	b = append(b, "], length "...)
	b = strconv.AppendInt(b, int64(length), 10)
	if p.opts.Verbose == 0 {
		return b
	}
	b = append(b, "\n\tport-role "...)
	b = append(b, stpPortRoles[flags>>2&3]...)
	b = append(b, ", CIST root-id "...)
	b = appendBridgeID(b, d, 5)
	b = append(b, ", CIST ext-pathcost "...)
	b = strconv.AppendUint(b, uint64(be.Uint32(d[13:])), 10)
	b = append(b, "\n\tCIST regional-root-id "...)
	b = appendBridgeID(b, d, 17)
	b = append(b, ", CIST port-id "...)
	b = appendHexBytes(b, d[25:27])
	b = append(b, ',')
	b = appendSTPTimers(b, d)
	v3len := int(be.Uint16(d[36:]))
	b = append(b, "\n\tv3len "...)
	b = strconv.AppendInt(b, int64(v3len), 10)
	b = append(b, ", MCID Name "...)
	b = appendZeroPadded(b, d[39:71])
	b = append(b, ", rev "...)
	b = strconv.AppendUint(b, uint64(be.Uint16(d[71:])), 10)
	b = append(b, ",\n\t\tdigest "...)
	b = appendHexBytes(b, d[73:89])
	b = append(b, ", CIST int-root-pathcost "...)
	b = strconv.AppendUint(b, uint64(be.Uint32(d[89:])), 10)
	b = append(b, ",\n\tCIST bridge-id "...)
	b = appendBridgeID(b, d, 93)
	b = append(b, ", CIST remaining-hops "...)
	b = strconv.AppendUint(b, uint64(d[101]), 10)
	for n, off := v3len-stpMSTConfigLen, stpMSTIOffset; n >= 16; n, off = n-16, off+16 {
		if len(d) < off+16 {
			return append(b, " [|stp]"...)
		}
		m := d[off:]
		b = append(b, "\n\tMSTI "...)
		b = strconv.AppendUint(b, uint64(be.Uint16(m[1:])&0xfff), 10)
		b = append(b, ", Flags ["...)
		b = appendBitNames(b, stpFlags, uint32(m[0]), ", ", "none")
		b = append(b, "], port-role "...)
		b = append(b, stpPortRoles[m[0]>>2&3]...)
		b = append(b, "\n\t\tMSTI regional-root-id "...)
		b = appendBridgeID(b, m, 1)
		b = append(b, ", pathcost "...)
		b = strconv.AppendUint(b, uint64(be.Uint32(m[9:])), 10)
		b = fmt.Appendf(b, "\n\t\tMSTI bridge-prio %d, port-prio %d, hops %d", m[13]>>4, m[14]>>4, m[15])
	}
	return b
}

// appendSPB appends the SPB part of an 802.1aq BPDU, starting at off.
func appendSPB(b, d []byte, off int) []byte {
	if len(d) < off+stpSPBMinLen {
		return append(b, " [|stp]"...)
	}
	s := d[off:]
	b = append(b, "\n\tv4len "...)
	b = strconv.AppendUint(b, uint64(be.Uint16(s)), 10)
	b = append(b, ", AUXMCID Name "...)
	b = appendZeroPadded(b, s[3:35])
	b = append(b, ", Rev "...)
	b = strconv.AppendUint(b, uint64(be.Uint16(s[35:])), 10)
	b = append(b, ",\n\t\tdigest "...)
	b = appendHexBytes(b, s[37:53])
	a := s[53]
	b = fmt.Appendf(b, "\n\tAgreement num %d, Discarded Agreement num %d, Agreement valid-flag %d,"+
		"\n\tRestricted role-flag: %d, Format id %d cap %d, Convention id %d cap %d,"+
		"\n\tEdge count %d, Agreement digest ",
		a>>6, a>>4&3, a>>3&1, a>>2&1, s[55]>>4, s[55], s[56]>>4, s[56], be.Uint16(s[57:]))
	return appendHexBytes(b, s[67:87])
}

// appendZeroPadded appends a NUL-padded string field as tcpdump's
// nd_printjzp does: up to the first NUL, unprintable bytes escaped.
func appendZeroPadded(b, s []byte) []byte {
	for i, c := range s {
		if c == 0 {
			s = s[:i]
			break
		}
	}
	return appendPrintable(b, s)
}
