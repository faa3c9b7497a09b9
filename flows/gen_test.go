package flows_test

import (
	"math/rand/v2"
	"net"
	"os"
	"sort"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pkt"
)

// frame is one generated packet before sorting by time.
type frame struct {
	ts   time.Time
	data []byte
}

// sessionGen builds TCP sessions (handshake, data both ways, FIN or RST)
// and UDP exchanges with gopacket's serialization, with reordering,
// retransmissions and losses.
type sessionGen struct {
	rng    *rand.Rand
	frames []frame
	// want holds the bytes each TCP direction's receiver gets, keyed by
	// "src:port>dst:port", for the sessions without loss.
	want  map[string][]byte
	lossy map[string]bool
}

func newSessionGen(seed uint64) *sessionGen {
	return &sessionGen{rng: rand.New(rand.NewPCG(seed, 7)), want: map[string][]byte{}, lossy: map[string]bool{}}
}

func (g *sessionGen) serialize(ts time.Time, v6 bool, src, dst net.IP, l4 gopacket.SerializableLayer, payload []byte, netLayer *layers.IPv4) {
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
	var ip gopacket.NetworkLayer
	if v6 {
		eth.EthernetType = layers.EthernetTypeIPv6
		ip6 := &layers.IPv6{Version: 6, HopLimit: 64, SrcIP: src, DstIP: dst}
		switch l4.(type) {
		case *layers.TCP:
			ip6.NextHeader = layers.IPProtocolTCP
		default:
			ip6.NextHeader = layers.IPProtocolUDP
		}
		ip = ip6
	} else {
		ip4 := netLayer
		if ip4 == nil {
			ip4 = &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Flags: layers.IPv4DontFragment, Id: uint16(g.rng.IntN(65536)), SrcIP: src, DstIP: dst}
		}
		switch l4.(type) {
		case *layers.TCP:
			ip4.Protocol = layers.IPProtocolTCP
		default:
			ip4.Protocol = layers.IPProtocolUDP
		}
		ip = ip4
	}
	switch l := l4.(type) {
	case *layers.TCP:
		l.SetNetworkLayerForChecksum(ip)
	case *layers.UDP:
		l.SetNetworkLayerForChecksum(ip)
	}
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, eth, ip.(gopacket.SerializableLayer), l4, gopacket.Payload(payload)); err != nil {
		panic(err)
	}
	g.frames = append(g.frames, frame{ts, append([]byte(nil), buf.Bytes()...)})
}

type endpoint struct {
	ip   net.IP
	port uint16
}

// tcpSession generates one session starting at t0. Impairments apply to
// data segments: reorder swaps two consecutive segments (sent 1 ms apart),
// retransmit resends a segment 300 ms later, lose drops one.
func (g *sessionGen) tcpSession(t0 time.Time, v6 bool, a, b endpoint, reorder, retransmit, lose, rst bool) {
	isnA, isnB := g.rng.Uint32(), g.rng.Uint32()
	ts := t0
	step := func(d time.Duration) time.Time { ts = ts.Add(d); return ts }
	send := func(at time.Time, from, to endpoint, seq, ack uint32, flags string, payload []byte) {
		tcp := &layers.TCP{SrcPort: layers.TCPPort(from.port), DstPort: layers.TCPPort(to.port), Seq: seq, Ack: ack, Window: 64240}
		for _, f := range flags {
			switch f {
			case 'S':
				tcp.SYN = true
			case 'A':
				tcp.ACK = true
			case 'F':
				tcp.FIN = true
			case 'R':
				tcp.RST = true
			case 'P':
				tcp.PSH = true
			}
		}
		if tcp.SYN {
			tcp.Options = []layers.TCPOption{{OptionType: layers.TCPOptionKindMSS, OptionLength: 4, OptionData: []byte{5, 0xb4}}}
		}
		g.serialize(at, v6, from.ip, to.ip, tcp, payload, nil)
	}
	key := func(from, to endpoint) string {
		return net.JoinHostPort(from.ip.String(), itoa(from.port)) + ">" + net.JoinHostPort(to.ip.String(), itoa(to.port))
	}
	send(step(0), a, b, isnA, 0, "S", nil)
	send(step(10*time.Millisecond), b, a, isnB, isnA+1, "SA", nil)
	send(step(10*time.Millisecond), a, b, isnA+1, isnB+1, "A", nil)
	seqA, seqB := isnA+1, isnB+1
	// Request from A, response from B in several segments.
	for _, dir := range []int{0, 1} {
		from, to := a, b
		seq, ack := &seqA, &seqB
		if dir == 1 {
			from, to = b, a
			seq, ack = &seqB, &seqA
		}
		n := 1 + g.rng.IntN(3)
		if dir == 1 {
			n = 4 + g.rng.IntN(6)
		}
		type seg struct {
			seq  uint32
			data []byte
		}
		var segs []seg
		var all []byte
		for range n {
			data := make([]byte, 1+g.rng.IntN(1400))
			for i := range data {
				data[i] = byte(g.rng.IntN(256))
			}
			segs = append(segs, seg{*seq, data})
			all = append(all, data...)
			*seq += uint32(len(data))
		}
		order := make([]int, len(segs))
		for i := range order {
			order[i] = i
		}
		impaired := dir == 1 && len(segs) >= 3
		if impaired && reorder {
			order[1], order[2] = order[2], order[1]
		}
		lost := -1
		if impaired && lose {
			lost = len(segs) - 2
			g.lossy[key(from, to)] = true
		}
		step(20 * time.Millisecond)
		for _, i := range order {
			if i == lost {
				continue
			}
			send(step(time.Millisecond), from, to, segs[i].seq, *ack, "PA", segs[i].data)
		}
		if impaired && retransmit {
			i := 0
			send(step(300*time.Millisecond), from, to, segs[i].seq, *ack, "PA", segs[i].data)
		}
		send(step(10*time.Millisecond), to, from, *ack, *seq, "A", nil)
		g.want[key(from, to)] = all
	}
	if rst {
		send(step(10*time.Millisecond), a, b, seqA, seqB, "RA", nil)
		return
	}
	send(step(10*time.Millisecond), a, b, seqA, seqB, "FA", nil)
	send(step(10*time.Millisecond), b, a, seqB, seqA+1, "FA", nil)
	send(step(10*time.Millisecond), a, b, seqA+1, seqB+1, "A", nil)
}

// udpExchange sends n datagrams each way; when fragment is set the first
// datagram from A is 3000 bytes in three IPv4 fragments.
func (g *sessionGen) udpExchange(t0 time.Time, a, b endpoint, n int, fragment bool) {
	ts := t0
	for i := range n {
		for dir := range 2 {
			from, to := a, b
			if dir == 1 {
				from, to = b, a
			}
			size := 20 + g.rng.IntN(500)
			if fragment && i == 0 && dir == 0 {
				g.fragmentedUDP(ts, from, to, 3000)
			} else {
				payload := make([]byte, size)
				udp := &layers.UDP{SrcPort: layers.UDPPort(from.port), DstPort: layers.UDPPort(to.port)}
				g.serialize(ts, from.ip.To4() == nil, from.ip, to.ip, udp, payload, nil)
			}
			ts = ts.Add(5 * time.Millisecond)
		}
	}
}

func (g *sessionGen) fragmentedUDP(ts time.Time, from, to endpoint, size int) {
	payload := make([]byte, size)
	for i := range payload {
		payload[i] = byte(i)
	}
	udp := &layers.UDP{SrcPort: layers.UDPPort(from.port), DstPort: layers.UDPPort(to.port)}
	ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: from.ip, DstIP: to.ip}
	udp.SetNetworkLayerForChecksum(ip)
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, udp, gopacket.Payload(payload)); err != nil {
		panic(err)
	}
	datagram := buf.Bytes()
	id := uint16(g.rng.IntN(65536))
	const chunk = 1480
	for off := 0; off < len(datagram); off += chunk {
		end := min(off+chunk, len(datagram))
		frag := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Id: id, Protocol: layers.IPProtocolUDP, SrcIP: from.ip, DstIP: to.ip, FragOffset: uint16(off / 8)}
		if end < len(datagram) {
			frag.Flags = layers.IPv4MoreFragments
		}
		eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
		out := gopacket.NewSerializeBuffer()
		if err := gopacket.SerializeLayers(out, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, frag, gopacket.Payload(datagram[off:end])); err != nil {
			panic(err)
		}
		g.frames = append(g.frames, frame{ts, append([]byte(nil), out.Bytes()...)})
	}
}

func itoa(p uint16) string {
	return string(appendUint(nil, uint64(p)))
}

func appendUint(b []byte, v uint64) []byte {
	if v >= 10 {
		b = appendUint(b, v/10)
	}
	return append(b, byte('0'+v%10))
}

// write sorts the frames by time and writes them to a pcap file.
func (g *sessionGen) write(t testing.TB) string {
	t.Helper()
	sort.SliceStable(g.frames, func(i, j int) bool { return g.frames[i].ts.Before(g.frames[j].ts) })
	name := t.TempDir() + "/sessions.pcap"
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	w, err := pcap.NewWriter(f, pcap.FileHeader{SnapLen: 65535, LinkType: linktype.Ethernet, Resolution: pkt.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	for _, fr := range g.frames {
		if err := w.WritePacket(&pkt.Packet{Timestamp: fr.ts, Length: len(fr.data), Data: fr.data}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return name
}

// standardSessions generates n TCP sessions over IPv4 and IPv6 with every
// combination of impairments, and a few UDP exchanges with fragmentation.
func standardSessions(seed uint64, n int) *sessionGen {
	g := newSessionGen(seed)
	t0 := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	for i := range n {
		v6 := i%4 == 3
		var a, b endpoint
		if v6 {
			a = endpoint{net.ParseIP("2001:db8::1").To16(), uint16(40000 + i)}
			b = endpoint{net.ParseIP("2001:db8::2").To16(), 33000 + uint16(i%7)}
		} else {
			a = endpoint{net.IPv4(10, 0, byte(i>>8), byte(i)).To4(), uint16(40000 + i)}
			b = endpoint{net.IPv4(192, 0, 2, byte(1+i%200)).To4(), 33000 + uint16(i%7)}
		}
		g.tcpSession(t0.Add(time.Duration(i)*37*time.Millisecond), v6, a, b,
			i%2 == 1, i%3 == 1, i%5 == 2, i%6 == 5)
	}
	for i := range 4 {
		a := endpoint{net.IPv4(10, 9, 0, byte(i+1)).To4(), uint16(50000 + i)}
		b := endpoint{net.IPv4(198, 51, 100, 7).To4(), 34567}
		g.udpExchange(t0.Add(time.Duration(i)*50*time.Millisecond), a, b, 3, i%2 == 0)
	}
	return g
}

// pcapReader adapts a pcap file to pkt.Reader for the tests.
type pcapReader struct {
	r   *pcap.Reader
	f   *os.File
	pkt pkt.Packet
	ifc []pkt.Interface
}

func openPcap(t testing.TB, name string) *pcapReader {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	r, err := pcap.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	return &pcapReader{r: r, f: f, ifc: []pkt.Interface{{LinkType: r.Header().LinkType}}}
}

func (p *pcapReader) ReadPacket() (*pkt.Packet, error) {
	rec, err := p.r.ReadPacket()
	if err != nil {
		return nil, err
	}
	p.pkt = pkt.Packet{Timestamp: rec.Timestamp, Length: rec.Length, Data: rec.Data}
	return &p.pkt, nil
}

func (p *pcapReader) Interfaces() []pkt.Interface { return p.ifc }
