package replay

import (
	"encoding/binary"

	"github.com/pcaptool/pcaptool/linktype"
)

// flowKey is a flow as tcpreplay counts them: one direction of an IP
// protocol between two addresses, with the ports of TCP and UDP or the
// type and code of ICMP (zero for other protocols). IPv4 addresses are
// kept in the first four bytes.
type flowKey struct {
	src, dst [16]byte
	sport    uint16
	dport    uint16
	proto    uint8
	ipv6     bool
	_        [2]byte
}

// flowCounter counts the flows of the frames sent. Its table holds one
// entry per flow: a packet of a flow already seen allocates nothing, and
// the table grows (allocates) only past flowTableSize flows.
type flowCounter struct {
	lt   linktype.LinkType
	seen map[flowKey]struct{}
}

// flowTableSize is the number of flows the table holds before it first
// grows.
const flowTableSize = 4096

func newFlowCounter(lt linktype.LinkType) *flowCounter {
	seen := make(map[flowKey]struct{}, flowTableSize)
	// Fill and empty the table once so that its memory is touched now,
	// not page by page as flows appear while the replay's clock runs.
	for i := range flowTableSize {
		seen[flowKey{sport: uint16(i)}] = struct{}{}
	}
	clear(seen)
	return &flowCounter{lt: lt, seen: seen}
}

// add counts frame in st: a new flow, a packet of a flow, or a packet
// that is not IP (non-flow). A frame too short for its headers counts in
// neither, as tcpreplay's invalid packets.
func (c *flowCounter) add(frame []byte, st *Stats) {
	k, ok, ip := c.key(frame)
	if !ip {
		st.NonFlowPackets++
		return
	}
	if !ok {
		return
	}
	st.FlowPackets++
	if _, seen := c.seen[k]; !seen {
		c.seen[k] = struct{}{}
		st.Flows++
	}
}

// key extracts the flow of frame; ip is false for a frame that is not IP
// and ok false for one too short for the headers its flow needs.
func (c *flowCounter) key(frame []byte) (k flowKey, ok, ip bool) {
	var network []byte
	switch c.lt {
	case linktype.Ethernet:
		if len(frame) < 14 {
			return k, false, false
		}
		etherType, rest := binary.BigEndian.Uint16(frame[12:]), frame[14:]
		for (etherType == 0x8100 || etherType == 0x88a8) && len(rest) >= 4 { // 802.1Q, 802.1ad tags
			etherType, rest = binary.BigEndian.Uint16(rest[2:]), rest[4:]
		}
		if etherType != 0x0800 && etherType != 0x86dd {
			return k, false, false
		}
		network = rest
	case linktype.Raw, linktype.IPv4, linktype.IPv6:
		network = frame
	default:
		return k, false, false
	}
	if len(network) == 0 {
		return k, false, false
	}
	switch network[0] >> 4 {
	case 4:
		return ipv4Key(network)
	case 6:
		return ipv6Key(network)
	}
	return k, false, false
}

func ipv4Key(b []byte) (k flowKey, ok, ip bool) {
	if len(b) < 20 || int(b[0]&0x0f)*4 < 20 {
		return k, false, true
	}
	k.proto = b[9]
	copy(k.src[:4], b[12:16])
	copy(k.dst[:4], b[16:20])
	if binary.BigEndian.Uint16(b[6:])&0x1fff != 0 {
		// A fragment after the first carries no transport header.
		return k, true, true
	}
	return k, transportPorts(&k, b[int(b[0]&0x0f)*4:]), true
}

func ipv6Key(b []byte) (k flowKey, ok, ip bool) {
	if len(b) < 40 {
		return k, false, true
	}
	k.ipv6 = true
	copy(k.src[:], b[8:24])
	copy(k.dst[:], b[24:40])
	next, rest := b[6], b[40:]
	for next == 0 || next == 43 || next == 60 { // hop-by-hop, routing, destination options
		if len(rest) < 8 || len(rest) < (int(rest[1])+1)*8 {
			return k, false, true
		}
		next, rest = rest[0], rest[(int(rest[1])+1)*8:]
	}
	k.proto = next
	return k, transportPorts(&k, rest), true
}

// transportPorts sets the ports of a TCP or UDP header, or the type and
// code of an ICMP one, from the start of b; false when b is too short.
func transportPorts(k *flowKey, b []byte) bool {
	// The whole fixed header must be there, as tcpreplay requires.
	switch k.proto {
	case 6, 17: // TCP, UDP
		if k.proto == 6 && len(b) < 20 || len(b) < 8 {
			return false
		}
		k.sport, k.dport = binary.BigEndian.Uint16(b), binary.BigEndian.Uint16(b[2:])
	case 1, 58: // ICMP, ICMPv6
		if len(b) < 4 {
			return false
		}
		k.sport, k.dport = uint16(b[0]), uint16(b[1])
	}
	return true
}
