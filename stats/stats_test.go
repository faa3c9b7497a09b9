package stats

import (
	"encoding/binary"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

var t0 = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// packets is a pkt.Reader over packets held in memory.
type packets struct {
	ps []pkt.Packet
	i  int
	lt linktype.LinkType
}

func (r *packets) Interfaces() []pkt.Interface {
	return []pkt.Interface{{LinkType: r.lt, SnapLen: 65535}}
}

func (r *packets) ReadPacket() (*pkt.Packet, error) {
	if r.i >= len(r.ps) {
		return nil, io.EOF
	}
	r.i++
	return &r.ps[r.i-1], nil
}

// udpFrame is an Ethernet/IPv4/UDP frame from 10.0.0.s:sport to 10.0.0.d:dport.
func udpFrame(s, d byte, sport, dport uint16) []byte {
	b := make([]byte, 14+20+8+4)
	copy(b[0:6], []byte{2, 0, 0, 0, 0, d})
	copy(b[6:12], []byte{2, 0, 0, 0, 0, s})
	binary.BigEndian.PutUint16(b[12:], etherTypeIPv4)
	ip := b[14:]
	ip[0] = 0x45
	binary.BigEndian.PutUint16(ip[2:], uint16(len(ip)))
	ip[9] = ipProtoUDP
	copy(ip[12:16], []byte{10, 0, 0, s})
	copy(ip[16:20], []byte{10, 0, 0, d})
	binary.BigEndian.PutUint16(ip[20:], sport)
	binary.BigEndian.PutUint16(ip[22:], dport)
	return b
}

func at(secs ...float64) *packets {
	r := &packets{lt: linktype.Ethernet}
	for _, s := range secs {
		r.ps = append(r.ps, pkt.Packet{Timestamp: t0.Add(time.Duration(s * 1e9)), Data: udpFrame(1, 2, 1000, 53), Length: 46})
	}
	return r
}

func ioRows(t *testing.T, r pkt.Reader, iv time.Duration) string {
	t.Helper()
	s, err := NewIO(IOOptions{Interval: iv})
	if err != nil {
		t.Fatal(err)
	}
	if err := Run(r, s); err != nil {
		t.Fatal(err)
	}
	out := ""
	s.Intervals(func(in *Interval) bool {
		out += fmt.Sprintf("[%v,%v]%d ", in.Start.Seconds(), in.End.Seconds(), in.Cells[0].Frames)
		return true
	})
	return out
}

func TestIOIntervals(t *testing.T) {
	for _, tc := range []struct {
		name  string
		times []float64
		iv    time.Duration
		want  string
	}{
		{"partial last row ends at the duration", []float64{0, 0.5, 2.7}, time.Second, "[0,1]2 [1,2]0 [2,2.7]1 "},
		{"packet on the last boundary gets its own row", []float64{0, 2}, time.Second, "[0,1]1 [1,2]0 [2,2]1 "},
		{"times round to the microsecond half up", []float64{0, 1.9999996}, time.Second, "[0,1]1 [1,2]0 [2,2]1 "},
		{"just past a boundary", []float64{0, 2.0000005}, time.Second, "[0,1]1 [1,2]0 [2,2.000001]1 "},
		{"out of order packets in their own interval", []float64{0, 0.4, 1.2, 0.3, 3.5}, time.Second, "[0,1]3 [1,2]1 [2,3]0 [3,3.5]1 "},
		{"before the first packet", []float64{1, 0.5, 2.5}, time.Second, "[-1,0]1 [0,1]1 [1,1.5]1 "},
		{"single packet", []float64{7}, time.Second, "[0,0]1 "},
		{"microsecond intervals", []float64{0, 0.000001, 0.000003}, time.Microsecond, "[0,1e-06]1 [1e-06,2e-06]1 [2e-06,3e-06]0 [3e-06,3e-06]1 "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ioRows(t, at(tc.times...), tc.iv); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
	if got := ioRows(t, at(), time.Second); got != "" {
		t.Errorf("empty capture: %s", got)
	}
}

func TestIOMaxIntervals(t *testing.T) {
	var times []float64
	for i := range 3000 {
		times = append(times, float64(i)*0.01) // 30 s, 100 packets/s
	}
	times = append(times, 12.0001, -0.5)
	s, err := NewIO(IOOptions{Interval: time.Microsecond, MaxIntervals: 100})
	if err != nil {
		t.Fatal(err)
	}
	if err := Run(at(times...), s); err != nil {
		t.Fatal(err)
	}
	if iv := s.Options().Interval; iv != time.Second {
		t.Fatalf("interval grew to %v, want 1s", iv)
	}
	want, err := NewIO(IOOptions{Interval: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := Run(at(times...), want); err != nil {
		t.Fatal(err)
	}
	var got, exp []Cell
	s.Intervals(func(iv *Interval) bool { got = append(got, iv.Cells[0]); return true })
	want.Intervals(func(iv *Interval) bool { exp = append(exp, iv.Cells[0]); return true })
	if fmt.Sprint(got) != fmt.Sprint(exp) {
		t.Errorf("coarsened rows\n%v\nwant\n%v", got, exp)
	}
}

func TestIOFiltersAndLengths(t *testing.T) {
	r := at(0, 0.1, 0.2)
	r.ps[1].Data = udpFrame(3, 4, 5, 6)
	r.ps[1].Length = 100
	s, err := NewIO(IOOptions{Interval: time.Second, Filters: []string{"udp port 53", "host 10.0.0.3", "tcp"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := Run(r, s); err != nil {
		t.Fatal(err)
	}
	tot := s.Totals()
	want := []Cell{{2, 92, 46, 46}, {1, 100, 100, 100}, {}}
	for i := range want {
		if tot[i] != want[i] {
			t.Errorf("column %d: %+v, want %+v", i, tot[i], want[i])
		}
	}
	if _, err := NewIO(IOOptions{Interval: time.Second, Filters: []string{"udp and"}}); err == nil {
		t.Error("bad filter accepted")
	}
	for _, iv := range []time.Duration{0, -time.Second, 1500 * time.Nanosecond} {
		if _, err := NewIO(IOOptions{Interval: iv}); err == nil {
			t.Errorf("interval %v accepted", iv)
		}
	}
}

// fragment returns an IPv4 fragment of a UDP datagram (id 7).
func udpFragment(first, last bool) []byte {
	b := udpFrame(1, 2, 4000, 53)
	ip := b[14:]
	binary.BigEndian.PutUint16(ip[4:], 7)
	var fl uint16
	if !last {
		fl |= 0x2000
	}
	if !first {
		fl |= 3 // offset 24 bytes
	}
	binary.BigEndian.PutUint16(ip[6:], fl)
	return b
}

func TestTables(t *testing.T) {
	r := at(0, 0.5, 1, 1.5, 2)
	r.ps[1].Data = udpFrame(2, 1, 53, 1000) // the answer
	r.ps[2].Data = udpFragment(true, false)
	r.ps[3].Data = udpFragment(false, true)
	r.ps[4].Data = udpFragment(false, true) // a last fragment without its first
	tabs := map[Kind]*Tables{}
	var cs []Collector
	for _, k := range []Kind{Ethernet, IPv4, UDP, TCP, IPv6} {
		tabs[k] = NewTables(k)
		cs = append(cs, tabs[k])
	}
	if err := Run(r, cs...); err != nil {
		t.Fatal(err)
	}
	udp := tabs[UDP].Conversations(ByPackets, 0)
	if len(udp) != 2 {
		t.Fatalf("udp conversations: %+v", udp)
	}
	if c := udp[0]; c.A.String() != "10.0.0.1:1000" || c.B.String() != "10.0.0.2:53" || c.FramesAB != 1 || c.FramesBA != 1 || c.Duration != 500*time.Millisecond {
		t.Errorf("first udp conversation: %+v", c)
	}
	if c := udp[1]; c.A.String() != "10.0.0.1:4000" || c.Frames() != 1 || c.Start != 1500*time.Millisecond {
		t.Errorf("fragmented datagram: %+v", c)
	}
	ip := tabs[IPv4].Conversations(ByBytes, 0)
	if len(ip) != 1 || ip[0].Frames() != 5 || ip[0].Bytes() != 5*46 {
		t.Errorf("ip conversations: %+v", ip)
	}
	eth := tabs[Ethernet].Endpoints(ByStart, 1)
	if len(eth) != 1 || eth[0].Address() != "02:00:00:00:00:01" || eth[0].TxFrames != 4 || eth[0].RxFrames != 1 {
		t.Errorf("eth endpoints: %+v", eth)
	}
	if n := len(tabs[TCP].Conversations(ByPackets, 0)) + len(tabs[IPv6].Endpoints(ByPackets, 0)); n != 0 {
		t.Errorf("%d tcp/ipv6 rows", n)
	}
}

func TestParse(t *testing.T) {
	for _, s := range []string{"eth", "ip", "ipv6", "tcp", "udp"} {
		k, err := ParseKind(s)
		if err != nil || k.String() != s {
			t.Errorf("%s: %v %v", s, k, err)
		}
	}
	if _, err := ParseKind("ipx"); err == nil {
		t.Error("ipx accepted")
	}
	if _, err := ParseOrder("size"); err == nil {
		t.Error("size accepted")
	}
}

func TestNoAllocationsPerPacket(t *testing.T) {
	ps := generated(synth.Config{Packets: 20000, Seed: 1, Flows: 32})
	s, _ := NewIO(IOOptions{Interval: time.Second, Filters: []string{"tcp", "udp"}})
	tabs := NewTables(TCP)
	var sizes Sizes
	for i := range ps {
		s.Add(&ps[i], linktype.Ethernet)
		tabs.Add(&ps[i], linktype.Ethernet)
		sizes.Add(&ps[i], linktype.Ethernet)
	}
	i := 0
	allocs := testing.AllocsPerRun(1000, func() {
		p := &ps[i%len(ps)]
		s.Add(p, linktype.Ethernet)
		tabs.Add(p, linktype.Ethernet)
		sizes.Add(p, linktype.Ethernet)
		i++
	})
	if allocs > 0 {
		t.Errorf("%.2f allocations per packet", allocs)
	}
}

func BenchmarkIO(b *testing.B) {
	benchCollect(b, func() Collector {
		s, _ := NewIO(IOOptions{Interval: time.Millisecond, Filters: []string{"tcp", "udp"}})
		return s
	})
}

func BenchmarkTablesTCP(b *testing.B) { benchCollect(b, func() Collector { return NewTables(TCP) }) }

func benchCollect(b *testing.B, mk func() Collector) {
	ps := generated(synth.Config{Packets: 100000, Seed: 1})
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		c := mk()
		for i := range ps {
			c.Add(&ps[i], linktype.Ethernet)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(ps)), "ns/packet")
}

// generated returns copies of the packets cfg describes.
func generated(cfg synth.Config) []pkt.Packet {
	g := synth.New(cfg)
	var ps []pkt.Packet
	for {
		p, err := g.ReadPacket()
		if err != nil {
			return ps
		}
		q := *p
		q.Data = append([]byte(nil), p.Data...)
		ps = append(ps, q)
	}
}
