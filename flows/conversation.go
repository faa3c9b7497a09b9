package flows

import (
	"net/netip"
	"strconv"
	"time"
)

// Protocol is the IP protocol number of a conversation: TCP (6) or UDP (17).
type Protocol uint8

// Transport protocols tracked as conversations.
const (
	TCP Protocol = 6
	UDP Protocol = 17
)

// String returns "tcp" or "udp".
func (p Protocol) String() string {
	switch p {
	case TCP:
		return "tcp"
	case UDP:
		return "udp"
	}
	return "ip-proto-" + strconv.Itoa(int(p))
}

// Dir is a direction within a conversation.
type Dir uint8

// Directions: A is the source of the conversation's first packet.
const (
	AtoB Dir = 0
	BtoA Dir = 1
)

// String returns "a_to_b" or "b_to_a".
func (d Dir) String() string {
	if d == AtoB {
		return "a_to_b"
	}
	return "b_to_a"
}

// EndReason says why a conversation was reported.
type EndReason uint8

// Reasons a conversation ends.
const (
	// EndOpen: the capture ended (Flush) with the conversation still open.
	EndOpen EndReason = iota
	// EndIdle: no packet for Config.IdleTimeout of capture time.
	EndIdle
	// EndFIN: both sides sent FIN, and Config.ClosedTimeout passed.
	EndFIN
	// EndRST: a side sent RST, and Config.ClosedTimeout passed.
	EndRST
	// EndReused: a new SYN reused the addresses and ports of a closed
	// conversation, which starts a new one.
	EndReused
)

// String returns "open", "idle", "fin", "rst" or "reused".
func (r EndReason) String() string {
	return [...]string{"open", "idle", "fin", "rst", "reused"}[r]
}

// Stats are the counters of one direction of a conversation.
type Stats struct {
	// Packets and Bytes count frames and their original (wire) lengths,
	// as tshark's conversation tables do. Every fragment of a
	// defragmented datagram counts.
	Packets uint64
	Bytes   uint64
	// PayloadBytes is the transport payload (TCP segment data, UDP
	// datagram data) the IP headers announce, after defragmentation.
	PayloadBytes uint64
	// StreamBytes is the TCP data reassembly delivered in order, each
	// byte once; MissingBytes what it had to skip because no packet
	// carried it.
	StreamBytes  uint64
	MissingBytes uint64
	// Retransmissions counts TCP segments (with data, SYN or FIN) all of
	// whose sequence space was seen before; OutOfOrder counts segments
	// that arrive below the highest sequence number seen but carry
	// sequence space not seen before.
	Retransmissions uint64
	OutOfOrder      uint64
	// FINs and RSTs count TCP segments with those flags.
	FINs uint64
	RSTs uint64
}

// TCPState is what a conversation's TCP flags showed.
type TCPState struct {
	SYN       bool // A sent SYN
	SYNACK    bool // B answered SYN+ACK
	Handshake bool // A acknowledged the SYN+ACK: the three-way handshake completed
	Closed    bool // both sides sent FIN, or one sent RST
}

// Conversation is one TCP or UDP conversation: packets between two
// endpoints (address and port), in both directions.
type Conversation struct {
	// ID numbers the conversations of each protocol from 0 in order of
	// their first packet, as tshark's tcp.stream and udp.stream do.
	ID    uint64
	Proto Protocol
	// A is the source of the first packet, B its destination.
	A, B netip.AddrPort
	// Start and End are the timestamps of the first and last packets.
	Start, End time.Time
	// Dir holds the counters of each direction, indexed by AtoB and BtoA.
	Dir [2]Stats
	TCP TCPState
	// Reason is set when the conversation is reported.
	Reason EndReason

	// Bookkeeping.
	key        key
	prev, next *Conversation // in the tracker's idle or closed list
	closedList bool
	lastSeen   time.Time
	closedAt   time.Time
	seq        [2]seqTrack
	synackSeq  uint32
}

// Duration returns End - Start.
func (c *Conversation) Duration() time.Duration { return c.End.Sub(c.Start) }

// Packets returns the packets of both directions.
func (c *Conversation) Packets() uint64 { return c.Dir[0].Packets + c.Dir[1].Packets }

// Bytes returns the bytes of both directions.
func (c *Conversation) Bytes() uint64 { return c.Dir[0].Bytes + c.Dir[1].Bytes }

// Endpoint returns the sender of direction d.
func (c *Conversation) Endpoint(d Dir) netip.AddrPort {
	if d == AtoB {
		return c.A
	}
	return c.B
}

// key identifies a conversation whatever the direction of a packet: the
// endpoints in a fixed order.
type key struct {
	proto  Protocol
	lo, hi netip.AddrPort
}

func makeKey(proto Protocol, src, dst netip.AddrPort) (key, Dir) {
	if src.Compare(dst) <= 0 {
		return key{proto, src, dst}, AtoB
	}
	return key{proto, dst, src}, BtoA
}

// seqTrack follows the sequence space one direction of a TCP conversation
// has covered, to tell retransmissions from out-of-order segments. Ranges
// are offsets from the first sequence number seen, so wrap-around is not a
// problem for any stream shorter than 2 GiB per direction.
type seqTrack struct {
	started bool
	base    uint32
	high    int64 // end of the highest range
	ranges  [maxRanges]seqRange
	n       int
}

type seqRange struct{ start, end int64 }

const maxRanges = 8

// segment records the sequence space [seq, seq+n) and classifies it.
func (s *seqTrack) segment(seq uint32, n int) (retransmission, outOfOrder bool) {
	if !s.started {
		s.started = true
		s.base = seq
	}
	start := int64(int32(seq - s.base))
	end := start + int64(n)
	if n > 0 && start < s.high {
		if s.covered(start, end) {
			retransmission = true
		} else {
			outOfOrder = true
		}
	}
	s.add(start, end)
	if end > s.high {
		s.high = end
	}
	return retransmission, outOfOrder
}

func (s *seqTrack) covered(start, end int64) bool {
	for _, r := range s.ranges[:s.n] {
		if r.start <= start && end <= r.end {
			return true
		}
	}
	return false
}

// add merges [start, end) into the sorted, disjoint ranges; when there are
// too many, the two closest are merged, which can only make later segments
// in the gap look like retransmissions.
func (s *seqTrack) add(start, end int64) {
	if start >= end {
		return
	}
	rs := s.ranges[:s.n]
	i := 0
	for i < len(rs) && rs[i].end < start {
		i++
	}
	j := i
	for j < len(rs) && rs[j].start <= end {
		start = min(start, rs[j].start)
		end = max(end, rs[j].end)
		j++
	}
	// Replace rs[i:j] by the merged range.
	var out [maxRanges + 1]seqRange
	m := copy(out[:], rs[:i])
	out[m] = seqRange{start, end}
	m++
	m += copy(out[m:], rs[j:])
	if m > maxRanges {
		best := 0
		for k := 1; k+1 < m; k++ {
			if out[k+1].start-out[k].end < out[best+1].start-out[best].end {
				best = k
			}
		}
		out[best].end = out[best+1].end
		copy(out[best+1:], out[best+2:m])
		m--
	}
	s.n = copy(s.ranges[:], out[:m])
}
