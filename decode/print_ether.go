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

// appendByEtherType appends tcpdump's line for the network protocols it
// recognises by EtherType and this package prints from the raw bytes after
// the link layers (rather than from gopacket's layers), reporting false for
// the others. rest is the original length after the link-layer header.
func (p *Printer) appendByEtherType(b []byte, link []gopacket.Layer, rest int) ([]byte, bool) {
	if len(link) == 0 {
		return b, false
	}
	et, ok := linkEtherType(link)
	if !ok {
		return b, false
	}
	payload := link[len(link)-1].LayerPayload()
	switch et {
	case layers.EthernetTypeARP, 0x8035:
		out, ok := p.appendARPPacket(b, payload, rest)
		if !ok {
			out = p.appendDefault(out, payload)
		}
		return out, true
	}
	return b, false
}

// appendDefault appends what tcpdump's default printer adds for a payload
// it does not dissect: a hex dump, unless the options ask for a dump of
// the whole packet anyway.
func (p *Printer) appendDefault(b, payload []byte) []byte {
	if p.opts.Hex != HexNone {
		return b
	}
	return AppendHex(b, payload)
}

// appendUnknownEtherType appends tcpdump's line for an Ethernet frame whose
// EtherType it does not know: the addresses, the type and the frame's
// length, then a hex dump of the payload.
func (p *Printer) appendUnknownEtherType(b []byte, eth *layers.Ethernet, et layers.EthernetType, payload []byte, wireLen int) []byte {
	b = append(b, eth.SrcMAC.String()...)
	b = append(b, " > "...)
	b = append(b, eth.DstMAC.String()...)
	b = append(b, ", ethertype "...)
	b = append(b, etherTypeName(et, "Unknown")...)
	b = append(b, " (0x"...)
	b = appendHex16(b, uint16(et))
	b = append(b, "), length "...)
	b = strconv.AppendInt(b, int64(wireLen), 10)
	b = append(b, ": "...)
	return p.appendDefault(b, payload)
}
