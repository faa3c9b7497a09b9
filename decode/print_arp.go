package decode

import (
	"encoding/binary"
	"net/netip"
	"strconv"

	"github.com/google/gopacket/layers"
)

// ARP hardware types and operations tcpdump names (its arphrd_values and
// arpop_values).
var (
	arpHardwareNames = map[uint16]string{1: "Ethernet", 6: "TokenRing", 7: "ArcNet",
		15: "FrameRelay", 19: "ATM (RFC 2225)", 23: "Strip", 24: "IEEE 1394"}
	arpOpNames = map[uint16]string{1: "Request", 2: "Reply", 3: "Reverse Request",
		4: "Reverse Reply", 8: "Inverse Request", 9: "Inverse Reply", 10: "NACK Reply"}
)

// appendARPPacket appends tcpdump's arp_print line for the (R)ARP message
// msg, the captured bytes after the link-layer header; length is its
// original length. The second result is false when tcpdump would go on
// with a hex dump of msg (an operation it does not know).
func (p *Printer) appendARPPacket(b, msg []byte, length int) ([]byte, bool) {
	if len(msg) < 8 {
		return append(b, " [|arp]"...), true
	}
	be := binary.BigEndian
	hrd, pro, op := be.Uint16(msg), layers.EthernetType(be.Uint16(msg[2:])), be.Uint16(msg[6:])
	hln, pln := int(msg[4]), int(msg[5])
	if hrd == 19 && atmARPTruncated(msg) {
		return append(b, " [|arp]"...), true
	}
	if len(msg) < 8+2*hln+2*pln {
		return append(b, " [|arp]"...), true
	}
	sha, spa := msg[8:8+hln], msg[8+hln:8+hln+pln]
	tha, tpa := msg[8+hln+pln:8+2*hln+pln], msg[8+2*hln+pln:8+2*hln+2*pln]
	b = append(b, "ARP, "...)
	ipv4 := (pro == layers.EthernetTypeIPv4 || pro == 0x1000) && pln == 4
	if !ipv4 || hln == 0 || p.opts.Verbose > 0 {
		if n, ok := arpHardwareNames[hrd]; ok {
			b = append(b, n...)
		} else {
			b = append(b, "Unknown Hardware ("...)
			b = strconv.AppendUint(b, uint64(hrd), 10)
			b = append(b, ')')
		}
		b = append(b, " (len "...)
		b = strconv.AppendInt(b, int64(hln), 10)
		b = append(b, "), "...)
		if n, ok := etherTypeNames[pro]; ok {
			b = append(b, n...)
		} else {
			b = append(b, "Unknown Protocol (0x"...)
			b = appendHex16(b, uint16(pro))
			b = append(b, ')')
		}
		b = append(b, " (len "...)
		b = strconv.AppendInt(b, int64(pln), 10)
		b = append(b, ')')
		if p.opts.Verbose == 0 {
			return appendLength(b, length), true
		}
		b = append(b, ", "...)
	}
	if n, ok := arpOpNames[op]; ok {
		b = append(b, n...)
	} else {
		b = append(b, "Unknown ("...)
		b = strconv.AppendUint(b, uint64(op), 10)
		b = append(b, ')')
	}
	b = append(b, ' ')
	protoAddr := func(b, a []byte) []byte {
		switch {
		case pro != layers.EthernetTypeIPv4 && pro != 0x1000:
			return append(b, "<wrong proto type>"...)
		case pln != 4:
			return append(b, "<wrong len>"...)
		}
		return netip.AddrFrom4([4]byte(a)).AppendTo(b)
	}
	switch op {
	case 1:
		b = append(b, "who-has "...)
		b = protoAddr(b, tpa)
		if !allZero(tha) {
			b = append(b, " ("...)
			b = appendLinkAddr(b, tha)
			b = append(b, ')')
		}
		b = append(b, " tell "...)
		b = protoAddr(b, spa)
	case 2:
		b = protoAddr(b, spa)
		b = append(b, " is-at "...)
		b = appendLinkAddr(b, sha)
	case 3, 8:
		b = append(b, "who-is "...)
		b = appendLinkAddr(b, tha)
		b = append(b, " tell "...)
		b = appendLinkAddr(b, sha)
	case 4:
		b = appendLinkAddr(b, tha)
		b = append(b, " at "...)
		b = protoAddr(b, tpa)
	case 9:
		b = appendLinkAddr(b, sha)
		b = append(b, " at "...)
		b = protoAddr(b, spa)
	default:
		return b, false
	}
	return appendLength(b, length), true
}

func appendLength(b []byte, length int) []byte {
	b = append(b, ", length "...)
	return strconv.AppendInt(b, int64(length), 10)
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

// appendLinkAddr appends a link-layer address as tcpdump's
// linkaddr_string does: colon-separated hex bytes, "<empty>" when empty.
func appendLinkAddr(b, a []byte) []byte {
	if len(a) == 0 {
		return append(b, "<empty>"...)
	}
	for i, c := range a {
		if i > 0 {
			b = append(b, ':')
		}
		b = append(b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
	}
	return b
}

// atmARPTruncated reports whether an ATM ARP (RFC 2225) message, whose
// header differs from the others', is cut short of its target protocol
// address, where tcpdump's atmarp_print gives up.
func atmARPTruncated(msg []byte) bool {
	if len(msg) < 12 {
		return true
	}
	sha, ssa, spa := int(msg[4]&0x3f), int(msg[5]&0x3f), int(msg[8])
	tha, tsa, tpa := int(msg[9]&0x3f), int(msg[10]&0x3f), int(msg[11])
	return len(msg) < 12+sha+ssa+spa+tha+tsa+tpa
}
