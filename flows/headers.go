package flows

import (
	"github.com/google/gopacket/layers"

	"github.com/pcaptool/pcaptool/decode"
)

// Headers are the headers a Tracker decoded from the packet Add last
// received, for callers (such as package export) that need them as well as
// the conversation, without decoding the packet a second time. A nil
// pointer means the packet has no such header, or the tracker could not
// reach it. Everything is valid until the next call to Add.
type Headers struct {
	// Link layer: at most one of these is set.
	Ethernet  *layers.Ethernet
	LinuxSLL  *layers.LinuxSLL
	LinuxSLL2 *decode.LinuxSLL2
	// IPv4 or IPv6 is the innermost IP header (the one the conversation
	// is keyed on); at most one is set.
	IPv4 *layers.IPv4
	IPv6 *layers.IPv6
	// Protocol is the protocol IP carries after any IPv6 extension
	// headers; meaningful when IPv4 or IPv6 is set.
	Protocol layers.IPProtocol
	// PayloadLength is the length of what follows the IP header (and
	// IPv6 extension headers) as the IP header announces it.
	PayloadLength int
	// Fragment is set for an IPv4 fragment or an IPv6 packet with a
	// Fragment header. TCP and UDP are nil for fragments, whose
	// transport header, if any, belongs to the datagram.
	Fragment bool
	// TCP or UDP is the transport header of an unfragmented packet.
	TCP *layers.TCP
	UDP *layers.UDP
	// Conversation is the conversation the packet counted for (for the
	// last fragment of a datagram, the datagram's), nil when none.
	Conversation *Conversation
}

// Last returns the headers of the packet Add last received.
func (t *Tracker) Last() *Headers { return &t.headers }

// noteHeaders records the link and IP headers decodeNetwork found, before
// defragmentation reuses the decoded-layer list.
func (t *Tracker) noteHeaders() {
	h := &t.headers
	*h = Headers{}
	ipIndex := -1
	for i, lt := range t.decoded {
		switch lt {
		case layers.LayerTypeEthernet:
			if h.LinuxSLL == nil && h.LinuxSLL2 == nil && h.Ethernet == nil {
				h.Ethernet = &t.eth
			}
		case layers.LayerTypeLinuxSLL:
			h.LinuxSLL = &t.sll
		case decode.LayerTypeLinuxSLL2:
			h.LinuxSLL2 = &t.sll2
		case layers.LayerTypeIPv4, layers.LayerTypeIPv6:
			ipIndex = i
		}
		if ipIndex >= 0 {
			break
		}
	}
	// The innermost IP header is the last one decoded.
	for i := len(t.decoded) - 1; i >= 0; i-- {
		switch t.decoded[i] {
		case layers.LayerTypeIPv4:
			ip := &t.ip4
			h.IPv4 = ip
			h.Protocol = ip.Protocol
			h.PayloadLength = int(ip.Length) - int(ip.IHL)*4
			h.Fragment = ip.Flags&layers.IPv4MoreFragments != 0 || ip.FragOffset != 0
			return
		case layers.LayerTypeIPv6:
			h.IPv6 = &t.ip6
			h.Protocol = t.ip6.NextHeader
			for _, ext := range t.decoded[i+1:] {
				switch ext {
				case layers.LayerTypeIPv6HopByHop:
					h.Protocol = t.hop.NextHeader
				case layers.LayerTypeIPv6Destination:
					h.Protocol = t.dst.NextHeader
				}
			}
			h.PayloadLength = int(t.ip6.Length) - t.ip6ExtLen()
			h.Fragment = h.Protocol == layers.IPProtocolIPv6Fragment
			return
		}
	}
}

// noteTransport records the transport header and conversation of an
// unfragmented packet (or the conversation alone for a datagram rebuilt
// from fragments).
func (t *Tracker) noteTransport(transport uint8, c *Conversation) {
	h := &t.headers
	h.Conversation = c
	if h.Fragment {
		return
	}
	switch transport {
	case 6:
		h.TCP = &t.tcp
	case 17:
		h.UDP = &t.udp
	}
}
