package stats

import (
	"cmp"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"time"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// Kind is the layer a conversation or endpoint table is keyed by.
type Kind uint8

// Table kinds, named as tshark's -z conv,X and -z endpoints,X.
const (
	Ethernet Kind = iota + 1
	IPv4
	IPv6
	TCP
	UDP
)

var kindNames = [...]string{Ethernet: "eth", IPv4: "ip", IPv6: "ipv6", TCP: "tcp", UDP: "udp"}

// String returns tshark's name for k: eth, ip, ipv6, tcp or udp.
func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "kind-" + strconv.Itoa(int(k))
}

// Title returns tshark's table title for k: Ethernet, IPv4, IPv6, TCP, UDP.
func (k Kind) Title() string {
	return [...]string{Ethernet: "Ethernet", IPv4: "IPv4", IPv6: "IPv6", TCP: "TCP", UDP: "UDP"}[k]
}

// HasPorts reports whether endpoints of kind k carry a port.
func (k Kind) HasPorts() bool { return k == TCP || k == UDP }

// ParseKind parses eth, ip, ipv6, tcp or udp (also ipv4, ether).
func ParseKind(s string) (Kind, error) {
	switch s {
	case "eth", "ether", "ethernet":
		return Ethernet, nil
	case "ip", "ipv4", "ip4":
		return IPv4, nil
	case "ipv6", "ip6":
		return IPv6, nil
	case "tcp":
		return TCP, nil
	case "udp":
		return UDP, nil
	}
	return 0, fmt.Errorf("stats: unknown table %q: want eth, ip, ipv6, tcp or udp", s)
}

// Endpoint is one end of a conversation: a MAC address (Ethernet), an IP
// address, or an IP address and port (TCP, UDP). It is comparable.
type Endpoint struct {
	MAC  [6]byte
	Addr netip.Addr
	Port uint16
	kind Kind
}

// Address returns the address as text: a MAC address or an IP address.
func (e Endpoint) Address() string {
	if e.kind == Ethernet {
		return net.HardwareAddr(e.MAC[:]).String()
	}
	return e.Addr.String()
}

// String returns the address, followed by ":port" for TCP and UDP, as
// tshark writes it (IPv6 addresses without brackets).
func (e Endpoint) String() string {
	if e.kind.HasPorts() {
		return e.Address() + ":" + strconv.Itoa(int(e.Port))
	}
	return e.Address()
}

func (e Endpoint) compare(o Endpoint) int {
	if c := cmp.Compare(string(e.MAC[:]), string(o.MAC[:])); c != 0 {
		return c
	}
	if c := e.Addr.Compare(o.Addr); c != 0 {
		return c
	}
	return cmp.Compare(e.Port, o.Port)
}

// Conversation is one row of a conversation table: traffic between A (the
// source of its first packet) and B.
type Conversation struct {
	A, B Endpoint
	// FramesAB and BytesAB count frames from A to B and their lengths on
	// the wire (tshark's "->" columns); FramesBA and BytesBA the other way
	// ("<-").
	FramesAB, BytesAB uint64
	FramesBA, BytesBA uint64
	// Start is the first packet's time relative to the capture's first
	// packet (tshark's Rel Start); Duration the time from the first packet
	// to the last.
	Start, Duration time.Duration
	// Stream numbers TCP conversations in order of first packet, as
	// tshark's tcp.stream does; 0 for other kinds.
	Stream uint64
}

// Frames returns the frames both ways.
func (c *Conversation) Frames() uint64 { return c.FramesAB + c.FramesBA }

// Bytes returns the bytes both ways.
func (c *Conversation) Bytes() uint64 { return c.BytesAB + c.BytesBA }

// EndpointStats is one row of an endpoint table.
type EndpointStats struct {
	Endpoint
	// TxFrames and TxBytes count what the endpoint sent, RxFrames and
	// RxBytes what it received.
	TxFrames, TxBytes uint64
	RxFrames, RxBytes uint64
	// Start and Duration are as for a Conversation.
	Start, Duration time.Duration
}

// Frames returns the frames sent and received.
func (e *EndpointStats) Frames() uint64 { return e.TxFrames + e.RxFrames }

// Bytes returns the bytes sent and received.
func (e *EndpointStats) Bytes() uint64 { return e.TxBytes + e.RxBytes }

// Order sorts tables.
type Order uint8

// Sort orders: largest first for bytes and packets, earliest first for
// start; ties go to the earlier conversation.
const (
	ByPackets Order = iota
	ByBytes
	ByStart
)

// ParseOrder parses bytes, packets (or frames) and start.
func ParseOrder(s string) (Order, error) {
	switch s {
	case "packets", "frames", "":
		return ByPackets, nil
	case "bytes":
		return ByBytes, nil
	case "start":
		return ByStart, nil
	}
	return 0, fmt.Errorf("stats: unknown sort order %q: want bytes, packets or start", s)
}

// convKey finds a conversation whatever the direction of a packet.
type convKey struct {
	lo, hi Endpoint
	gen    uint32 // TCP: bumped when a new SYN reuses the endpoints
}

type convState struct {
	conv    Conversation
	index   int       // in order of first packet
	last    time.Time // the latest packet
	first   time.Time
	baseSeq [2]uint32 // TCP: first sequence number seen each way (A->B, B->A)
	seqSet  [2]bool
	gen     uint32
}

type epState struct {
	ep          EndpointStats
	index       int
	first, last time.Time
}

type fragKey struct {
	src, dst netip.Addr
	id       uint32
	proto    uint8
}

// maxPendingFragments bounds the fragmented datagrams waiting for their
// last fragment.
const maxPendingFragments = 4096

// Tables computes a conversation table and an endpoint table of one kind in
// one pass. Memory grows with the number of conversations.
type Tables struct {
	kind    Kind
	f       frame
	first   time.Time
	started bool
	convs   map[convKey]*convState
	gens    map[convKey]uint32 // current generation of a TCP endpoint pair
	eps     map[Endpoint]*epState
	nconv   int
	nstream uint64
	frags   map[fragKey][2]uint16 // ports from a first fragment
}

// NewTables returns empty tables of kind k.
func NewTables(k Kind) *Tables {
	return &Tables{kind: k, convs: map[convKey]*convState{}, gens: map[convKey]uint32{},
		eps: map[Endpoint]*epState{}, frags: map[fragKey][2]uint16{}}
}

// Kind returns the tables' kind.
func (t *Tables) Kind() Kind { return t.kind }

// Add counts p, captured on a link of type lt. It never fails; the error
// is there to make Tables a Collector.
func (t *Tables) Add(p *pkt.Packet, lt linktype.LinkType) error {
	if !t.started {
		t.started, t.first = true, p.Timestamp
	}
	dissect(&t.f, p.Data, lt)
	f := &t.f
	length := uint64(p.Length)
	switch t.kind {
	case Ethernet:
		if f.hasEth {
			t.count(Endpoint{MAC: f.ethSrc, kind: Ethernet}, Endpoint{MAC: f.ethDst, kind: Ethernet}, length, p.Timestamp, nil)
		}
	case IPv4, IPv6:
		for _, h := range f.ips[:f.nIP] {
			if h.src.Is4() == (t.kind == IPv4) {
				t.count(Endpoint{Addr: h.src, kind: t.kind}, Endpoint{Addr: h.dst, kind: t.kind}, length, p.Timestamp, nil)
			}
		}
	case TCP, UDP:
		want := uint8(ipProtoTCP)
		if t.kind == UDP {
			want = ipProtoUDP
		}
		src, dst, ok := t.ports(f, want)
		if ok {
			t.count(Endpoint{Addr: src.Addr(), Port: src.Port(), kind: t.kind}, Endpoint{Addr: dst.Addr(), Port: dst.Port(), kind: t.kind}, length, p.Timestamp, &f.tr)
		}
	}
	return nil
}

// ports returns the transport endpoints of f for protocol want. A
// fragmented datagram counts once, on its last fragment, with the ports
// its first fragment carried.
func (t *Tables) ports(f *frame, want uint8) (src, dst netip.AddrPort, ok bool) {
	if !f.frag.is {
		return f.tr.src, f.tr.dst, f.tr.proto == want
	}
	if f.frag.proto != want {
		return src, dst, false
	}
	k := fragKey{f.frag.src, f.frag.dst, f.frag.id, f.frag.proto}
	if f.frag.first {
		if f.tr.proto == want {
			if len(t.frags) >= maxPendingFragments {
				clear(t.frags)
			}
			t.frags[k] = [2]uint16{f.tr.src.Port(), f.tr.dst.Port()}
		}
		return src, dst, false
	}
	if !f.frag.last {
		return src, dst, false
	}
	pp, found := t.frags[k]
	if !found {
		return src, dst, false
	}
	delete(t.frags, k)
	f.tr = transport{}
	return netip.AddrPortFrom(k.src, pp[0]), netip.AddrPortFrom(k.dst, pp[1]), true
}

func (t *Tables) count(src, dst Endpoint, length uint64, ts time.Time, tr *transport) {
	k := convKey{lo: src, hi: dst}
	ab := true
	if src.compare(dst) > 0 {
		k.lo, k.hi = dst, src
	}
	if t.kind == TCP {
		k.gen = t.gens[k]
	}
	c := t.convs[k]
	if c != nil && tr != nil && t.kind == TCP {
		c = t.tcpReuse(c, k, src, tr)
		k.gen = c.gen
		if c.conv.A != src {
			ab = false
		}
	} else if c != nil && c.conv.A != src {
		ab = false
	}
	if c == nil {
		c = &convState{conv: Conversation{A: src, B: dst}, index: t.nconv, first: ts, last: ts, gen: k.gen}
		if t.kind == TCP {
			c.conv.Stream = t.nstream
			t.nstream++
		}
		t.nconv++
		t.convs[k] = c
	}
	if t.kind == TCP && tr != nil && tr.proto == ipProtoTCP {
		d := 0
		if !ab {
			d = 1
		}
		if !c.seqSet[d] {
			c.seqSet[d], c.baseSeq[d] = true, tr.seq
		}
	}
	if ab {
		c.conv.FramesAB++
		c.conv.BytesAB += length
	} else {
		c.conv.FramesBA++
		c.conv.BytesBA += length
	}
	c.first, c.last = earliest(c.first, ts), latest(c.last, ts)
	t.endpoint(src, length, ts, true)
	t.endpoint(dst, length, ts, false)
}

// tcpReuse returns the conversation a TCP segment belongs to: a SYN
// without ACK whose sequence number differs from the one its side started
// with begins a new conversation on the same endpoints, as tshark starts a
// new tcp.stream.
func (t *Tables) tcpReuse(c *convState, k convKey, src Endpoint, tr *transport) *convState {
	if tr.flags&(tcpSYN|tcpACK) != tcpSYN {
		return c
	}
	d := 0
	if c.conv.A != src {
		d = 1
	}
	if !c.seqSet[d] || c.baseSeq[d] == tr.seq {
		return c
	}
	base := convKey{lo: k.lo, hi: k.hi}
	gen := t.gens[base] + 1
	t.gens[base] = gen
	nk := base
	nk.gen = gen
	n := &convState{conv: Conversation{A: src, B: otherEnd(c, src), Stream: t.nstream}, index: t.nconv, gen: gen}
	t.nstream++
	t.nconv++
	t.convs[nk] = n
	return n
}

func otherEnd(c *convState, e Endpoint) Endpoint {
	if c.conv.A == e {
		return c.conv.B
	}
	return c.conv.A
}

func earliest(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}

func latest(a, b time.Time) time.Time {
	if a.IsZero() || b.After(a) {
		return b
	}
	return a
}

func (t *Tables) endpoint(e Endpoint, length uint64, ts time.Time, tx bool) {
	s := t.eps[e]
	if s == nil {
		s = &epState{ep: EndpointStats{Endpoint: e}, index: len(t.eps), first: ts, last: ts}
		t.eps[e] = s
	}
	if tx {
		s.ep.TxFrames++
		s.ep.TxBytes += length
	} else {
		s.ep.RxFrames++
		s.ep.RxBytes += length
	}
	s.first, s.last = earliest(s.first, ts), latest(s.last, ts)
}

// Conversations returns the conversation table sorted by order; top > 0
// keeps the first top rows.
func (t *Tables) Conversations(order Order, top int) []Conversation {
	for _, c := range t.convs {
		c.conv.Start = c.first.Sub(t.first)
		c.conv.Duration = c.last.Sub(c.first)
	}
	return sortedRows(t.convs, order, top, func(c *convState) (*Conversation, int) { return &c.conv, c.index })
}

// Endpoints returns the endpoint table sorted by order; top > 0 keeps the
// first top rows.
func (t *Tables) Endpoints(order Order, top int) []EndpointStats {
	for _, e := range t.eps {
		e.ep.Start = e.first.Sub(t.first)
		e.ep.Duration = e.last.Sub(e.first)
	}
	return sortedRows(t.eps, order, top, func(e *epState) (*EndpointStats, int) { return &e.ep, e.index })
}

// row is what sorting needs of a conversation or an endpoint.
type row interface {
	Frames() uint64
	Bytes() uint64
	start() time.Duration
}

func (c *Conversation) start() time.Duration  { return c.Start }
func (e *EndpointStats) start() time.Duration { return e.Start }

// sortedRows returns copies of the rows of m in order, the first top of
// them when top > 0; ties go to the row seen first (its index).
func sortedRows[K comparable, S any, R any, PR interface {
	*R
	row
}](m map[K]S, order Order, top int, get func(S) (PR, int)) []R {
	states := make([]S, 0, len(m))
	for _, s := range m {
		states = append(states, s)
	}
	slices.SortFunc(states, func(a, b S) int {
		ra, ia := get(a)
		rb, ib := get(b)
		var c int
		switch order {
		case ByPackets:
			c = cmp.Or(cmp.Compare(rb.Frames(), ra.Frames()), cmp.Compare(rb.Bytes(), ra.Bytes()))
		case ByBytes:
			c = cmp.Or(cmp.Compare(rb.Bytes(), ra.Bytes()), cmp.Compare(rb.Frames(), ra.Frames()))
		case ByStart:
			c = cmp.Compare(ra.start(), rb.start())
		}
		return cmp.Or(c, cmp.Compare(ia, ib))
	})
	if top > 0 && len(states) > top {
		states = states[:top]
	}
	out := make([]R, len(states))
	for i, s := range states {
		r, _ := get(s)
		out[i] = *r
	}
	return out
}
