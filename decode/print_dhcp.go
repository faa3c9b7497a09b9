package decode

import (
	"bytes"
	"fmt"
	"strconv"
)

// BOOTP and DHCP (RFC 951, 2131, 2132 and later option RFCs) as tcpdump's
// bootp_print prints them: operation, client hardware address and length
// at -v 0; at -v the header's interesting fields and every option, each
// in the format tcpdump's option table gives it.

func init() { registerUDPPorts(590, printBOOTP, 67, 68) }

// dhcpOptions are tcpdump's option names, each prefixed by its format:
// 'i' IPv4 addresses, 'l' 32-bit unsigned, 'L' 32-bit signed, 's' 16-bit,
// 'b' bytes in decimal, 'x' bytes in hex, 'B' booleans, 'a' text,
// 'p' address pairs, '$' options printed specially, ' ' none.
var dhcpOptions = map[uint8]string{
	0: " PAD", 1: "iSubnet-Mask", 2: "LTime-Zone", 3: "iDefault-Gateway", 4: "iTime-Server",
	5: "iIEN-Name-Server", 6: "iDomain-Name-Server", 7: "iLOG", 8: "iCS", 9: "iLPR-Server",
	10: "iIM", 11: "iRL", 12: "aHostname", 13: "sBS", 255: " END", 14: "aDP", 15: "aDomain-Name",
	16: "iSS", 17: "aRP", 18: "aEP", 19: "BIPF", 20: "BSRT", 21: "pPF", 22: "sRSZ", 23: "bTTL",
	24: "lMTU-Timeout", 25: "sMTU-Table", 26: "sMTU", 27: "BLSN", 28: "iBR", 29: "BMD", 30: "BMS",
	31: "BRouter-Discovery", 32: "iRSA", 33: "pStatic-Route", 34: "BUT", 35: "lAT", 36: "BIE",
	37: "bTT", 38: "lKI", 39: "BKG", 40: "aYD", 41: "iYS", 42: "iNTP", 43: "bVendor-Option",
	44: "iNetbios-Name-Server", 45: "iWDD", 46: "$Netbios-Node", 47: "aNetbios-Scope", 48: "iXFS",
	49: "iXDM", 50: "iRequested-IP", 51: "lLease-Time", 52: "$OO", 53: " DHCP-Message",
	54: "iServer-ID", 55: "bParameter-Request", 56: "aMSG", 57: "sMSZ", 58: "lRN", 59: "lRB",
	60: "aVendor-Class", 61: "$Client-ID", 64: "aN+D", 65: "iN+S", 66: "aTFTP", 67: "aBF",
	68: "iMH", 69: "iSMTP", 70: "iPOP3", 71: "iNNTP", 72: "iWWW", 73: "iFG", 74: "iIRC",
	75: "iSTS", 76: "iSTDA", 77: "$User-Class", 78: "bSLP-DA", 79: "bSLP-SCOPE", 80: "aSLP-NA",
	81: "$FQDN", 82: "$Agent-Information", 83: "bARMT", 85: "iNDS-Servers", 86: "aNDS-Tree-Name",
	87: "aNDS-Context", 88: "aTZSTR", 89: "bFQDNS", 90: "bAUTH", 91: "LLast-Transaction-Time",
	92: "iAssociated-IP", 93: "sARCH", 94: "bNDI", 95: "aLDAP", 97: "bGUID", 98: "aUAP",
	100: "aPOSIX-TZ", 101: "aTZ-Name", 110: "bIPX", 112: "iNI", 113: "aNITAG", 114: "aURL",
	116: "BNOAUTO", 117: "sNSSEARCH", 118: "iSUBNET", 121: "$Classless-Static-Route",
	122: "bCCC", 126: "bEXTREQ", 127: "bEXTOPT", 150: "iTFTP-Server-Address",
	161: "aMUD-URL", 249: "$Classless-Static-Route-Microsoft",
}

var (
	dhcpMessageTypes = map[uint8]string{1: "Discover", 2: "Offer", 3: "Request", 4: "Decline",
		5: "ACK", 6: "NACK", 7: "Release", 8: "Inform", 9: "ForceRenew", 10: "LeaseQuery",
		11: "LeaseUnassigned", 12: "LeaseUnknown", 13: "LeaseActive"}
	dhcpNetbiosNodes  = map[uint8]string{1: "b-node", 2: "p-node", 4: "m-node", 8: "h-node"}
	dhcpOverloads     = map[uint8]string{1: "File", 2: "SNAME", 3: "File+SNAME"}
	dhcpAgentSubopts  = map[uint8]string{1: "Circuit-ID", 2: "Remote-ID", 6: "Subscriber-ID"}
	dhcpHardwareTypes = map[uint8]string{1: "ether", 6: "ieee802", 7: "arcnet", 15: "frelay",
		17: "strip", 18: "ieee1394"}
	dhcpFQDNFlags = []bitName{{0x08, "N"}, {0x04, "E"}, {0x02, "O"}, {0x01, "S"}}
)

// BOOTP header offsets.
const (
	bootpChaddr = 28
	bootpSname  = 44
	bootpFile   = 108
	bootpVend   = 236
)

func printBOOTP(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	d := c.data
	b = append(b, "BOOTP/DHCP, "...)
	if len(d) < 1 {
		return append(b, " [|bootp]"...), true
	}
	op := d[0]
	switch op {
	case 1:
		b = append(b, "Request"...)
	case 2:
		b = append(b, "Reply"...)
	default:
		b = fmt.Appendf(b, "unknown (0x%02x)", op)
	}
	if len(d) < 3 {
		return append(b, " [|bootp]"...), true
	}
	htype, hlen := d[1], d[2]
	ether := htype == 1 && hlen == 6
	if ether && op == 1 {
		if len(d) < bootpChaddr+6 {
			return append(b, " [|bootp]"...), true
		}
		b = append(b, " from "...)
		b = appendMAC(b, d[bootpChaddr:bootpChaddr+6])
	}
	b = appendLength(b, c.length)
	if p.opts.Verbose == 0 {
		return b, true
	}
	if len(d) < bootpChaddr {
		return append(b, " [|bootp]"...), true
	}
	if htype != 1 {
		b = fmt.Appendf(b, ", htype %d", htype)
	}
	if htype != 1 || hlen != 6 {
		b = fmt.Appendf(b, ", hlen %d", hlen)
	}
	if d[3] != 0 {
		b = fmt.Appendf(b, ", hops %d", d[3])
	}
	if xid := be.Uint32(d[4:]); xid != 0 {
		b = fmt.Appendf(b, ", xid 0x%x", xid)
	}
	if secs := be.Uint16(d[8:]); secs != 0 {
		b = fmt.Appendf(b, ", secs %d", secs)
	}
	flags := be.Uint16(d[10:])
	b = append(b, ", Flags ["...)
	b = appendBitNames(b, []bitName{{0x8000, "Broadcast"}}, uint32(flags), ", ", "none")
	b = append(b, ']')
	if p.opts.Verbose > 1 {
		b = fmt.Appendf(b, " (0x%04x)", flags)
	}
	for i, name := range []string{"Client-IP", "Your-IP", "Server-IP", "Gateway-IP"} {
		if a := d[12+4*i : 16+4*i]; !allZero(a) {
			b = append(b, "\n\t  "...)
			b = append(b, name...)
			b = append(b, ' ')
			b = appendIPv4At(b, a, 0)
		}
	}
	if ether {
		if len(d) < bootpChaddr+6 {
			return append(b, " [|bootp]"...), true
		}
		b = append(b, "\n\t  Client-Ethernet-Address "...)
		b = appendMAC(b, d[bootpChaddr:bootpChaddr+6])
	}
	for _, f := range []struct {
		name    string
		off, at int
	}{{"sname", bootpSname, 64}, {"file", bootpFile, 128}} {
		if len(d) < f.off+1 {
			return append(b, " [|bootp]"...), true
		}
		if d[f.off] == 0 {
			continue
		}
		b = append(b, "\n\t  "...)
		b = append(b, f.name...)
		b = append(b, " \""...)
		field := d[f.off:min(len(d), f.off+f.at)]
		if i := bytes.IndexByte(field, 0); i >= 0 {
			b = appendPrintable(b, field[:i])
		} else {
			b = appendPrintable(b, field)
			return append(b, "\" [|bootp]"...), true
		}
		b = append(b, '"')
	}
	if len(d) < bootpVend+4 {
		return append(b, " [|bootp]"...), true
	}
	switch cookie := be.Uint32(d[bootpVend:]); cookie {
	case 0x63825363:
		return appendDHCPOptions(p, b, d[bootpVend:]), true
	case 0x434d5500: // CMU
		return append(b, "\n\t  Vendor-#0x434d5500"...), true
	default:
		if cookie != 0 {
			b = fmt.Appendf(b, "\n\t  Vend-#0x%x", cookie)
		}
	}
	return b, true
}

// appendDHCPOptions appends the RFC 1048 vendor extensions (DHCP options)
// in v, which starts at the magic cookie.
func appendDHCPOptions(p *Printer, b, v []byte) []byte {
	b = fmt.Appendf(b, "\n\t  Vendor-rfc1048 Extensions\n\t    Magic Cookie 0x%08x", be.Uint32(v))
	v = v[4:]
	verbose := p.opts.Verbose
	for len(v) > 0 {
		tag := v[0]
		v = v[1:]
		if tag == 0 && verbose < 3 {
			continue
		}
		if tag == 255 && verbose < 3 {
			return b
		}
		name, ok := dhcpOptions[tag]
		if !ok {
			name = "?Unknown"
		}
		format := name[0]
		name = name[1:]
		n := 0
		if tag != 0 && tag != 255 {
			if len(v) < 1 {
				return append(b, " [|bootp]"...)
			}
			n = int(v[0])
			v = v[1:]
		}
		b = fmt.Appendf(b, "\n\t    %s (%d), length %d", name, tag, n)
		if n > 0 {
			b = append(b, ": "...)
		}
		if len(v) < n {
			return append(b, " [|bootp]"...)
		}
		o := v[:n]
		v = v[n:]
		var rest int
		b, rest = appendDHCPOption(b, tag, format, o)
		if rest > 0 {
			b = fmt.Appendf(b, "\n\t  trailing data length %d", rest)
		}
	}
	return b
}

// appendDHCPOption appends the value o of option tag in the given format
// and returns how many of its bytes it left unprinted.
func appendDHCPOption(b []byte, tag, format byte, o []byte) ([]byte, int) {
	n := len(o)
	switch {
	case tag == 53 && n == 1:
		return appendTok(b, dhcpMessageTypes, o[0], "Unknown (%d)"), 0
	case tag == 55:
		for i, t := range o {
			if i%4 == 0 {
				b = append(b, "\n\t      "...)
			} else {
				b = append(b, ", "...)
			}
			name, ok := dhcpOptions[t]
			if !ok {
				name = "?Unknown"
			}
			b = fmt.Appendf(b, "%s (%d)", name[1:], t)
		}
		return b, 0
	}
	if format == '?' {
		switch {
		case n&1 != 0:
			format = 'b'
		case n&2 != 0:
			format = 's'
		default:
			format = 'l'
		}
	}
	sep := func(i int, s string) {
		if i > 0 {
			b = append(b, s...)
		}
	}
	switch format {
	case 'a':
		b = append(b, '"')
		b = appendPrintable(b, o)
		return append(b, '"'), 0
	case 'i', 'l', 'L':
		i := 0
		for ; len(o) >= 4; o, i = o[4:], i+1 {
			sep(i, ",")
			switch format {
			case 'i':
				b = appendIPv4At(b, o, 0)
			case 'L':
				b = strconv.AppendInt(b, int64(int32(be.Uint32(o))), 10)
			default:
				b = strconv.AppendUint(b, uint64(be.Uint32(o)), 10)
			}
		}
		return b, len(o)
	case 'p':
		i := 0
		for ; len(o) >= 8; o, i = o[8:], i+1 {
			sep(i, ",")
			b = append(b, '(')
			b = appendIPv4At(b, o, 0)
			b = append(b, ':')
			b = appendIPv4At(b, o, 4)
			b = append(b, ')')
		}
		return b, len(o)
	case 's':
		i := 0
		for ; len(o) >= 2; o, i = o[2:], i+1 {
			sep(i, ",")
			b = strconv.AppendUint(b, uint64(be.Uint16(o)), 10)
		}
		return b, len(o)
	case 'B':
		for i, x := range o {
			sep(i, ",")
			switch x {
			case 0:
				b = append(b, 'N')
			case 1:
				b = append(b, 'Y')
			default:
				b = fmt.Appendf(b, "%d?", x)
			}
		}
		return b, 0
	case '$':
		return appendDHCPSpecial(b, tag, o)
	}
	for i, x := range o {
		if format == 'x' {
			sep(i, ":")
			b = fmt.Appendf(b, "%02x", x)
		} else {
			sep(i, ".")
			b = strconv.AppendUint(b, uint64(x), 10)
		}
	}
	return b, 0
}

// appendDHCPSpecial appends the options tcpdump prints with code of their
// own.
func appendDHCPSpecial(b []byte, tag byte, o []byte) ([]byte, int) {
	n := len(o)
	switch tag {
	case 46, 52:
		if n < 1 {
			return append(b, "[ERROR: length < 1 bytes]"...), 0
		}
		names := dhcpNetbiosNodes
		if tag == 52 {
			names = dhcpOverloads
		}
		return appendNameOr(b, names, o[0], "(null)"), n - 1
	case 81:
		if n < 3 {
			return append(b, "[ERROR: length < 3 bytes]"...), 0
		}
		if o[0]&0xf0 != 0 {
			b = fmt.Appendf(b, "[ERROR: MBZ nibble 0x%x != 0] ", o[0]>>4)
		}
		if o[0]&0x0f != 0 {
			b = append(b, '[')
			b = appendBitNames(b, dhcpFQDNFlags, uint32(o[0]), "", "")
			b = append(b, "] "...)
		}
		if o[1] != 0 || o[2] != 0 {
			b = fmt.Appendf(b, "%d/%d ", o[1], o[2])
		}
		b = append(b, '"')
		b = appendPrintable(b, o[3:])
		return append(b, '"'), 0
	case 61:
		if n < 1 {
			return append(b, "[ERROR: length < 1 bytes]"...), 0
		}
		if o[0] == 0 {
			b = append(b, '"')
			b = appendPrintable(b, o[1:])
			return append(b, '"'), 0
		}
		if name, ok := dhcpHardwareTypes[o[0]]; ok {
			b = append(b, name...)
		} else {
			b = fmt.Appendf(b, "hardware-type %d,", o[0])
		}
		b = append(b, ' ')
		for i, x := range o[1:] {
			if i > 0 {
				b = append(b, ':')
			}
			b = fmt.Appendf(b, "%02x", x)
		}
		return b, 0
	case 82:
		for len(o) >= 2 {
			sub, sl := o[0], int(o[1])
			o = o[2:]
			b = append(b, "\n\t      "...)
			b = appendNameOr(b, dhcpAgentSubopts, sub, "Unknown")
			b = fmt.Appendf(b, " SubOption %d, length %d: ", sub, sl)
			if sl > len(o) {
				b = b[:len(b)-2]
				return append(b, ": length goes past end of option"...), 0
			}
			switch sub {
			case 1, 2, 6:
				b = appendPrintable(b, o[:sl])
			default:
				b = appendHexIdent(b, "\n\t\t", o[:sl])
			}
			o = o[sl:]
		}
		return b, len(o)
	case 121, 249:
		if n < 5 {
			return append(b, "[ERROR: length < 5 bytes]"...), 0
		}
		for len(o) > 0 {
			width := int(o[0])
			o = o[1:]
			if width > 32 {
				return fmt.Appendf(b, "[ERROR: Mask width (%d) > 32]", width), 0
			}
			sig := (width + 7) / 8
			if len(o) < sig+4 {
				return fmt.Appendf(b, "[ERROR: Remaining length (%d) < %d bytes]", len(o), sig+4), 0
			}
			b = append(b, '(')
			if width == 0 {
				b = append(b, "default"...)
			} else {
				for i := 0; i < 4; i++ {
					if i > 0 {
						b = append(b, '.')
					}
					if i < sig {
						b = strconv.AppendUint(b, uint64(o[i]), 10)
					} else {
						b = append(b, '0')
					}
				}
				b = fmt.Appendf(b, "/%d", width)
			}
			b = append(b, ':')
			b = appendIPv4At(b, o, sig)
			b = append(b, ')')
			o = o[sig+4:]
			if len(o) > 0 {
				b = append(b, ',')
			}
		}
		return b, 0
	case 77:
		if n < 2 {
			return append(b, "[ERROR: length < 2 bytes]"...), 0
		}
		for i := 1; len(o) > 0; i++ {
			sl := int(o[0])
			o = o[1:]
			b = fmt.Appendf(b, "\n\t      instance#%d: ", i)
			if sl == 0 {
				return append(b, "[ERROR: suboption length must be non-zero]"...), 0
			}
			if len(o) < sl {
				return append(b, "[ERROR: invalid option]"...), 0
			}
			b = append(b, '"')
			b = appendPrintable(b, o[:sl])
			b = fmt.Appendf(b, "\", length %d", sl)
			o = o[sl:]
		}
		return b, 0
	}
	return fmt.Appendf(b, "[unknown special tag %d, size %d]", tag, n), 0
}
