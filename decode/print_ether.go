package decode

import (
	"strconv"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// linkEtherType returns the EtherType the innermost of the link layers
// announces, and false when none does.
func linkEtherType(link []gopacket.Layer) (layers.EthernetType, bool) {
	var et layers.EthernetType
	found := false
	for _, l := range link {
		switch l := l.(type) {
		case *layers.Ethernet:
			et, found = l.EthernetType, l.EthernetType >= 0x600
		case *layers.Dot1Q:
			et, found = l.Type, l.Type >= 0x600
		case *layers.LinuxSLL:
			et, found = l.EthernetType, true
		case *LinuxSLL2:
			et, found = l.ProtocolType, true
		}
	}
	return et, found
}

// appendUnknownEtherType appends tcpdump's line for an Ethernet frame whose
// EtherType it does not know: the addresses, the type and the frame's
// length, then a hex dump of the payload.
func (p *Printer) appendUnknownEtherType(b []byte, eth *layers.Ethernet, et layers.EthernetType, payload []byte, wireLen int) []byte {
	b = append(b, eth.SrcMAC.String()...)
	b = append(b, " > "...)
	b = append(b, eth.DstMAC.String()...)
	b = append(b, ", ethertype "...)
	if name, ok := etherTypeNames[uint16(et)]; ok {
		b = append(b, name...)
	} else {
		b = append(b, "Unknown"...)
	}
	b = append(b, " (0x"...)
	b = appendHex16(b, uint16(et))
	b = append(b, "), length "...)
	b = strconv.AppendInt(b, int64(wireLen), 10)
	b = append(b, ": "...)
	if p.opts.Hex != HexNone {
		return b // the dump the options ask for shows the payload
	}
	return appendDefault(b, payload)
}

// link8023 returns the length field of an 802.3 frame whose last link-layer
// header is link's (Ethernet or an 802.1Q tag whose type field is a
// length), which tcpdump takes for the frame's length rather than its
// padded size, and the LLC header that follows, which gopacket leaves
// undecoded after an 802.1Q tag.
func link8023(link []gopacket.Layer, next gopacket.Layer) (int, gopacket.Layer, bool) {
	if len(link) == 0 {
		return 0, nil, false
	}
	switch l := link[len(link)-1].(type) {
	case *layers.Ethernet:
		if l.Length > 0 {
			return int(l.Length), next, true
		}
	case *layers.Dot1Q:
		if l.Type < 0x600 {
			llc := &layers.LLC{}
			if llc.DecodeFromBytes(l.Payload[:min(len(l.Payload), int(l.Type))], gopacket.NilDecodeFeedback) != nil {
				return 0, nil, false
			}
			return int(l.Type), llc, true
		}
	}
	return 0, nil, false
}

// appendNameOr appends names[v], or def when v has no name (tcpdump's
// tok2str with a constant default).
func appendNameOr[K comparable](b []byte, names map[K]string, v K, def string) []byte {
	if n, ok := names[v]; ok {
		return append(b, n...)
	}
	return append(b, def...)
}

func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
