// Package synth generates realistic synthetic traffic — Ethernet frames
// carrying IPv4 and IPv6, TCP and UDP, 60 to 1514 bytes — as a
// pkt.Reader, for samples, tests and benchmarks. The same seed always
// gives the same packets; generating allocates nothing per packet.
package synth

import (
	"encoding/binary"
	"io"
	"math/rand/v2"
	"time"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// Config describes the traffic to generate. Zero fields take the defaults
// noted on each.
type Config struct {
	// Packets to generate; 0 means 1000.
	Packets int
	// Seed for the pseudo-random choices.
	Seed uint64
	// Start is the first timestamp; zero means 2024-01-01T00:00:00Z.
	Start time.Time
	// MeanGap is the mean time between packets; 0 means 20µs.
	MeanGap time.Duration
	// Flows is the number of concurrent conversations; 0 means 512.
	Flows int
	// IPv6Percent of flows use IPv6; 0 means 20 (use -1 for none).
	IPv6Percent int
	// Disorder is the percentage of packets whose timestamp is moved back
	// by up to DisorderWindow, for testing sorting; 0 means in order.
	Disorder int
	// DisorderWindow bounds how far back a disordered packet moves; 0 means
	// 10ms.
	DisorderWindow time.Duration
	// SnapLen truncates captured data (the original length is kept); 0
	// means no truncation.
	SnapLen int
	// Resolution of the interface described; 0 means nanoseconds.
	Resolution pkt.Resolution
	// FrameSize gives every frame this length in bytes (at most 1514;
	// raised to the headers' length when smaller, 54 for TCP over IPv4);
	// 0 draws sizes from a bimodal mix of 60 to 1514 bytes.
	FrameSize int
}

type flow struct {
	v6               bool
	tcp              bool
	srcMAC, dstMAC   [6]byte
	src4, dst4       [4]byte
	src6, dst6       [16]byte
	srcPort, dstPort uint16
	seq              uint32
}

// Generator produces the packets described by a Config.
type Generator struct {
	cfg    Config
	rng    *rand.Rand
	flows  []flow
	ifaces []pkt.Interface
	now    time.Time
	n      int
	buf    [1514]byte
	pkt    pkt.Packet
	ipID   uint16
}

// New returns a generator for cfg.
func New(cfg Config) *Generator {
	if cfg.Packets == 0 {
		cfg.Packets = 1000
	}
	if cfg.Start.IsZero() {
		cfg.Start = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if cfg.MeanGap == 0 {
		cfg.MeanGap = 20 * time.Microsecond
	}
	if cfg.Flows <= 0 {
		cfg.Flows = 512
	}
	if cfg.IPv6Percent == 0 {
		cfg.IPv6Percent = 20
	}
	if cfg.DisorderWindow == 0 {
		cfg.DisorderWindow = 10 * time.Millisecond
	}
	if cfg.Resolution == 0 {
		cfg.Resolution = pkt.Nanosecond
	}
	g := &Generator{
		cfg: cfg,
		rng: rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15)),
		now: cfg.Start,
	}
	snap := uint32(cfg.SnapLen)
	if snap == 0 {
		snap = 262144
	}
	g.ifaces = []pkt.Interface{{
		LinkType:   linktype.Ethernet,
		SnapLen:    snap,
		Resolution: cfg.Resolution,
		FCSLen:     -1,
		Options:    []pkt.Option{{Code: pkt.OptIfName, Value: []byte("synth0")}},
	}}
	wellKnown := []uint16{80, 443, 53, 22, 25, 123, 8080, 3306, 5432, 6379}
	g.flows = make([]flow, cfg.Flows)
	for i := range g.flows {
		f := &g.flows[i]
		f.v6 = g.rng.IntN(100) < cfg.IPv6Percent
		f.tcp = g.rng.IntN(100) < 75
		f.srcMAC = [6]byte{0x02, 0x00, 0x5e, byte(i >> 8), byte(i), 1}
		f.dstMAC = [6]byte{0x02, 0x00, 0x5e, 0, 0, 0xfe}
		f.src4 = [4]byte{10, byte(i >> 8), byte(i), 2}
		f.dst4 = [4]byte{192, 0, 2, byte(g.rng.IntN(254) + 1)}
		f.src6 = [16]byte{0x20, 0x01, 0x0d, 0xb8, 0, 1, 14: byte(i >> 8), 15: byte(i)}
		f.dst6 = [16]byte{0x20, 0x01, 0x0d, 0xb8, 0, 2, 15: byte(g.rng.IntN(254) + 1)}
		f.srcPort = uint16(32768 + g.rng.IntN(28000))
		f.dstPort = wellKnown[g.rng.IntN(len(wellKnown))]
		if !f.tcp && g.rng.IntN(2) == 0 {
			f.dstPort = 53
		}
		f.seq = g.rng.Uint32()
	}
	return g
}

// Interfaces returns the single Ethernet interface.
func (g *Generator) Interfaces() []pkt.Interface { return g.ifaces }

// ReadPacket returns the next packet, valid until the next call.
func (g *Generator) ReadPacket() (*pkt.Packet, error) {
	if g.n >= g.cfg.Packets {
		return nil, io.EOF
	}
	g.n++
	gap := time.Duration(g.rng.ExpFloat64() * float64(g.cfg.MeanGap))
	g.now = g.now.Add(gap)
	ts := g.now
	if g.cfg.Disorder > 0 && g.rng.IntN(100) < g.cfg.Disorder {
		ts = ts.Add(-time.Duration(g.rng.Int64N(int64(g.cfg.DisorderWindow))))
	}
	f := &g.flows[g.rng.IntN(len(g.flows))]
	size := g.frameSize()
	frame := g.build(f, size)
	data := frame
	if g.cfg.SnapLen > 0 && len(data) > g.cfg.SnapLen {
		data = data[:g.cfg.SnapLen]
	}
	g.pkt = pkt.Packet{Timestamp: ts, Length: len(frame), Data: data}
	return &g.pkt, nil
}

// frameSize draws from a bimodal distribution like real traffic: many
// small frames (ACKs, DNS), many full-size ones, some in between.
func (g *Generator) frameSize() int {
	if g.cfg.FrameSize > 0 {
		return min(g.cfg.FrameSize, len(g.buf))
	}
	switch r := g.rng.IntN(100); {
	case r < 40:
		return 60 + g.rng.IntN(40)
	case r < 75:
		return 1400 + g.rng.IntN(115)
	default:
		return 100 + g.rng.IntN(1300)
	}
}

func (g *Generator) build(f *flow, size int) []byte {
	b := g.buf[:]
	be := binary.BigEndian
	copy(b[0:6], f.dstMAC[:])
	copy(b[6:12], f.srcMAC[:])
	l4proto := byte(17)
	l4hdr := 8
	if f.tcp {
		l4proto, l4hdr = 6, 20
	}
	var ipHdr int
	if f.v6 {
		be.PutUint16(b[12:], 0x86dd)
		ipHdr = 40
	} else {
		be.PutUint16(b[12:], 0x0800)
		ipHdr = 20
	}
	minSize := 14 + ipHdr + l4hdr
	if size < minSize {
		size = minSize
	}
	ip := b[14:size]
	payloadLen := size - 14 - ipHdr - l4hdr
	if f.v6 {
		be.PutUint32(ip[0:], 6<<28)
		be.PutUint16(ip[4:], uint16(l4hdr+payloadLen))
		ip[6] = l4proto
		ip[7] = 64
		copy(ip[8:24], f.src6[:])
		copy(ip[24:40], f.dst6[:])
	} else {
		g.ipID++
		ip[0] = 0x45
		ip[1] = 0
		be.PutUint16(ip[2:], uint16(ipHdr+l4hdr+payloadLen))
		be.PutUint16(ip[4:], g.ipID)
		be.PutUint16(ip[6:], 0x4000) // don't fragment
		ip[8] = 64
		ip[9] = l4proto
		be.PutUint16(ip[10:], 0)
		copy(ip[12:16], f.src4[:])
		copy(ip[16:20], f.dst4[:])
		be.PutUint16(ip[10:], checksum(ip[:20], 0))
	}
	l4 := ip[ipHdr:]
	be.PutUint16(l4[0:], f.srcPort)
	be.PutUint16(l4[2:], f.dstPort)
	if f.tcp {
		be.PutUint32(l4[4:], f.seq)
		f.seq += uint32(payloadLen)
		be.PutUint32(l4[8:], 0)
		l4[12] = 5 << 4
		l4[13] = 0x18 // PSH|ACK
		if payloadLen == 0 {
			l4[13] = 0x10
		}
		be.PutUint16(l4[14:], 65535)
		be.PutUint16(l4[16:], 0)
		be.PutUint16(l4[18:], 0)
	} else {
		be.PutUint16(l4[4:], uint16(l4hdr+payloadLen))
		be.PutUint16(l4[6:], 0)
	}
	payload := l4[l4hdr : l4hdr+payloadLen]
	for i := 0; i < len(payload); i += 8 {
		var w [8]byte
		binary.LittleEndian.PutUint64(w[:], g.rng.Uint64())
		copy(payload[i:], w[:])
	}
	return b[:size]
}

// checksum is the Internet checksum of b added to an initial sum.
func checksum(b []byte, sum uint32) uint16 {
	for i := 0; i+1 < len(b); i += 2 {
		sum += uint32(b[i])<<8 | uint32(b[i+1])
	}
	if len(b)%2 == 1 {
		sum += uint32(b[len(b)-1]) << 8
	}
	for sum > 0xffff {
		sum = sum&0xffff + sum>>16
	}
	return ^uint16(sum)
}
