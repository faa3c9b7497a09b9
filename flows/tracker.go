package flows

import (
	"encoding/binary"
	"net/netip"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/ip4defrag"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/reassembly"

	"github.com/pcaptool/pcaptool/decode"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// Config tunes a Tracker. Zero fields take the defaults noted.
type Config struct {
	// IdleTimeout ends a conversation that saw no packet for this long
	// in capture time; 0 means 5 minutes.
	IdleTimeout time.Duration
	// ClosedTimeout ends a TCP conversation this long after it closed
	// (FIN both ways, or RST), leaving time for the last ACKs and
	// retransmitted FINs; 0 means 10 seconds.
	ClosedTimeout time.Duration
	// LossTimeout is how long reassembly waits for a missing TCP segment
	// before skipping it and delivering the data after it; 0 means 10
	// seconds.
	LossTimeout time.Duration
	// FragmentTimeout drops incomplete IPv4 datagrams; 0 means 30 seconds.
	FragmentTimeout time.Duration
	// OnEnd receives each conversation once, when it ends or at Flush.
	// The tracker forgets it afterwards.
	OnEnd func(*Conversation)
	// Streams, when set, receives the reassembled bytes of every TCP
	// conversation.
	Streams StreamHandler
	// MaxBufferedPages bounds the memory reassembly uses for out-of-order
	// data (pages of 1900 bytes); 0 means 65536 in total and 4096 per
	// connection.
	MaxBufferedPages int
}

// StreamHandler receives reassembled TCP data.
type StreamHandler interface {
	// StreamData receives the next bytes of conversation c in direction
	// d, in sequence order, each byte once. skipped is the number of bytes
	// lost before data (0 when contiguous). data is valid only during
	// the call.
	StreamData(c *Conversation, d Dir, data []byte, skipped int)
	// StreamEnd is called once per TCP conversation when reassembly has
	// delivered all its data.
	StreamEnd(c *Conversation)
}

// Counters summarise what a Tracker saw.
type Counters struct {
	Packets       uint64 // packets added
	TCP, UDP      uint64 // packets counted in TCP and UDP conversations
	OtherIP       uint64 // IP packets of other protocols (ICMP, ...)
	NonIP         uint64 // packets without an IPv4 or IPv6 header
	Fragments     uint64 // IPv4 fragments seen
	Defragmented  uint64 // IPv4 datagrams rebuilt from fragments
	BadFragments  uint64 // fragments defragmentation rejected
	Conversations uint64 // conversations started
}

// Tracker follows TCP and UDP conversations in a stream of packets, after
// IPv4 defragmentation, and reassembles TCP streams. It holds state only
// for open conversations and incomplete datagrams: ended conversations go
// to Config.OnEnd and are forgotten. It is not safe for concurrent use.
type Tracker struct {
	cfg   Config
	convs map[key]*Conversation
	idle  convList // open conversations, least recently seen first
	done  convList // closed TCP conversations, earliest closed first
	now   time.Time
	last  time.Time // last maintenance
	count Counters
	ids   map[bool]uint64 // next conversation ID, for TCP (false) and UDP (true)

	parsers map[gopacket.LayerType]*gopacket.DecodingLayerParser // by first layer
	decoded []gopacket.LayerType
	eth     layers.Ethernet
	dot1q   layers.Dot1Q
	sll     layers.LinuxSLL
	sll2    decode.LinuxSLL2
	loop    layers.Loopback
	ip4     layers.IPv4
	ip6     layers.IPv6
	hop     ipv6HopByHop
	dst     ipv6Destination
	tcp     layers.TCP
	udp     layers.UDP
	payload gopacket.Payload

	defrag    *ip4defrag.IPv4Defragmenter
	frags     map[fragKey]*fragCount
	l4parsers map[gopacket.LayerType]*gopacket.DecodingLayerParser // for defragmented payloads

	// Frames of the datagram just defragmented, counted for its
	// conversation instead of the last fragment alone.
	pendingPackets, pendingBytes uint64

	assembler *reassembly.Assembler
	ctx       assemblyContext

	headers Headers // of the packet Add last received
}

type fragKey struct {
	src, dst [4]byte
	id       uint16
	proto    layers.IPProtocol
}

type fragCount struct {
	packets, bytes uint64
	first          time.Time
}

// New returns a Tracker for cfg.
func New(cfg Config) *Tracker {
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = 5 * time.Minute
	}
	if cfg.ClosedTimeout <= 0 {
		cfg.ClosedTimeout = 10 * time.Second
	}
	if cfg.LossTimeout <= 0 {
		cfg.LossTimeout = 10 * time.Second
	}
	if cfg.FragmentTimeout <= 0 {
		cfg.FragmentTimeout = 30 * time.Second
	}
	t := &Tracker{
		cfg:    cfg,
		convs:  make(map[key]*Conversation),
		ids:    make(map[bool]uint64),
		defrag: ip4defrag.NewIPv4Defragmenter(),
		frags:  make(map[fragKey]*fragCount),
	}
	t.parsers = make(map[gopacket.LayerType]*gopacket.DecodingLayerParser)
	t.l4parsers = make(map[gopacket.LayerType]*gopacket.DecodingLayerParser)
	t.decoded = make([]gopacket.LayerType, 0, 16)
	pool := reassembly.NewStreamPool(&streamFactory{t: t})
	t.assembler = reassembly.NewAssembler(pool)
	total, per := 65536, 4096
	if cfg.MaxBufferedPages > 0 {
		total, per = cfg.MaxBufferedPages, max(cfg.MaxBufferedPages/16, 16)
	}
	t.assembler.MaxBufferedPagesTotal = total
	t.assembler.MaxBufferedPagesPerConnection = per
	return t
}

// Counters returns what the tracker has seen so far.
func (t *Tracker) Counters() Counters { return t.count }

// Open returns the number of conversations currently held.
func (t *Tracker) Open() int { return len(t.convs) }

// firstLayer is the layer a DecodingLayerParser starts at for link type lt,
// or 0 when the parser has no decoder for it.
func firstLayer(lt linktype.LinkType, data []byte) gopacket.LayerType {
	switch lt {
	case linktype.Ethernet:
		return layers.LayerTypeEthernet
	case linktype.LinuxSLL:
		return layers.LayerTypeLinuxSLL
	case linktype.LinuxSLL2:
		return decode.LayerTypeLinuxSLL2
	case linktype.Null, linktype.Loop:
		return layers.LayerTypeLoopback
	case linktype.IPv4:
		return layers.LayerTypeIPv4
	case linktype.IPv6:
		return layers.LayerTypeIPv6
	case linktype.Raw, 12, 14:
		if len(data) > 0 && data[0]>>4 == 6 {
			return layers.LayerTypeIPv6
		}
		return layers.LayerTypeIPv4
	}
	return 0
}

// Add processes one packet of link type lt. Packets must come in capture
// order for timeouts to be exact; late packets are accepted.
func (t *Tracker) Add(p *pkt.Packet, lt linktype.LinkType) {
	t.count.Packets++
	if p.Timestamp.After(t.now) {
		t.now = p.Timestamp
	}
	if t.now.Sub(t.last) >= time.Second {
		t.maintain()
	}
	netLayer, ok := t.decodeNetwork(p.Data, lt)
	t.noteHeaders()
	if !ok {
		t.count.NonIP++
		return
	}
	var src, dst netip.Addr
	var transport gopacket.LayerType
	var l4len int
	switch netLayer {
	case layers.LayerTypeIPv4:
		ip := &t.ip4
		src = netip.AddrFrom4([4]byte(ip.SrcIP.To4()))
		dst = netip.AddrFrom4([4]byte(ip.DstIP.To4()))
		if ip.Flags&layers.IPv4MoreFragments != 0 || ip.FragOffset != 0 {
			var done bool
			transport, l4len, done = t.defragment(p)
			if !done {
				return
			}
		} else {
			transport = t.transport()
			l4len = int(ip.Length) - int(ip.IHL)*4
		}
	case layers.LayerTypeIPv6:
		src = netip.AddrFrom16([16]byte(t.ip6.SrcIP.To16()))
		dst = netip.AddrFrom16([16]byte(t.ip6.DstIP.To16()))
		transport = t.transport()
		l4len = int(t.ip6.Length) - t.ip6ExtLen()
	}
	switch transport {
	case layers.LayerTypeTCP:
		t.count.TCP++
		t.noteTransport(6, t.addTCP(p, src, dst, l4len-int(t.tcp.DataOffset)*4))
	case layers.LayerTypeUDP:
		t.count.UDP++
		c, d := t.lookup(UDP, netip.AddrPortFrom(src, uint16(t.udp.SrcPort)), netip.AddrPortFrom(dst, uint16(t.udp.DstPort)), p.Timestamp, false)
		t.count1(c, d, p, int(t.udp.Length)-8)
		t.noteTransport(17, c)
	default:
		t.count.OtherIP++
	}
}

// decodeNetwork decodes data down to the innermost IP header it can reach
// and reports which one that is (ip4 or ip6 hold it).
func (t *Tracker) decodeNetwork(data []byte, lt linktype.LinkType) (gopacket.LayerType, bool) {
	t.decoded = t.decoded[:0]
	lt, data, ok := unwrapLink(lt, data)
	if !ok {
		return 0, false
	}
	first := firstLayer(lt, data)
	if first == 0 {
		// A link type the fast parser lacks: let gopacket find the IP
		// header, then parse from there.
		gp := decode.NewPacket(data, lt)
		nl := gp.NetworkLayer()
		if nl == nil {
			return 0, false
		}
		c := nl.LayerContents()
		if len(c) == 0 || cap(c) > cap(data) {
			return 0, false
		}
		off := cap(data) - cap(c)
		if off < 0 || off > len(data) {
			return 0, false
		}
		data, first = data[off:], nl.LayerType()
		if first != layers.LayerTypeIPv4 && first != layers.LayerTypeIPv6 {
			return 0, false
		}
	}
	t.decoded = t.decoded[:0]
	parser := t.parsers[first]
	if parser == nil {
		parser = gopacket.NewDecodingLayerParser(first,
			&t.eth, &t.dot1q, &t.sll, &t.sll2, &t.loop, &t.ip4, &t.ip6, &t.hop, &t.dst, &t.tcp, &t.udp, &t.payload)
		parser.IgnoreUnsupported = true
		t.parsers[first] = parser
	}
	_ = parser.DecodeLayers(data, &t.decoded)
	var netLayer gopacket.LayerType
	for _, lt := range t.decoded {
		if lt == layers.LayerTypeIPv4 || lt == layers.LayerTypeIPv6 {
			netLayer = lt
		}
	}
	return netLayer, netLayer != 0
}

// unwrapLink strips the link headers gopacket lacks a decoder for, in
// front of an IP header, and returns the IP link type and what follows.
func unwrapLink(lt linktype.LinkType, data []byte) (linktype.LinkType, []byte, bool) {
	switch lt {
	case linktype.CHDLC:
		// Cisco HDLC: address, control, then an EtherType.
		if len(data) < 4 {
			return lt, data, false
		}
		switch layers.EthernetType(binary.BigEndian.Uint16(data[2:])) {
		case layers.EthernetTypeIPv4:
			return linktype.IPv4, data[4:], true
		case layers.EthernetTypeIPv6:
			return linktype.IPv6, data[4:], true
		}
		return lt, data, false
	case 226: // LINKTYPE_IPNET
		// Solaris ipnet: a 24-byte header whose second byte is the
		// address family (2 AF_INET, 26 AF_INET6).
		if len(data) < 24 {
			return lt, data, false
		}
		switch data[1] {
		case 2:
			return linktype.IPv4, data[24:], true
		case 26:
			return linktype.IPv6, data[24:], true
		}
		return lt, data, false
	}
	return lt, data, true
}

// transport returns the transport layer decoded right after the innermost
// IP header (and IPv6 extension headers), or 0.
func (t *Tracker) transport() gopacket.LayerType {
	n := len(t.decoded)
	for i := n - 1; i >= 0; i-- {
		switch t.decoded[i] {
		case layers.LayerTypeTCP, layers.LayerTypeUDP:
			return t.decoded[i]
		case layers.LayerTypeIPv4, layers.LayerTypeIPv6:
			return 0
		}
	}
	return 0
}

func (t *Tracker) ip6ExtLen() int {
	n := 0
	for _, lt := range t.decoded {
		switch lt {
		case layers.LayerTypeIPv6HopByHop:
			n += len(t.hop.Contents)
		case layers.LayerTypeIPv6Destination:
			n += len(t.dst.Contents)
		}
	}
	return n
}

// ipv6HopByHop and ipv6Destination complete gopacket's extension header
// layers into DecodingLayers, so that TCP and UDP after them are reached.
type ipv6HopByHop struct{ layers.IPv6HopByHop }

func (h *ipv6HopByHop) CanDecode() gopacket.LayerClass { return layers.LayerTypeIPv6HopByHop }

func (h *ipv6HopByHop) NextLayerType() gopacket.LayerType { return h.NextHeader.LayerType() }

type ipv6Destination struct{ layers.IPv6Destination }

func (h *ipv6Destination) CanDecode() gopacket.LayerClass { return layers.LayerTypeIPv6Destination }

func (h *ipv6Destination) NextLayerType() gopacket.LayerType { return h.NextHeader.LayerType() }
