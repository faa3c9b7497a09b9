package filter

import (
	"encoding/binary"
	"io"
	"testing"
	"time"

	"golang.org/x/net/bpf"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// benchPackets builds Ethernet/IPv4/TCP and UDP packets with varying
// ports, a quarter of them to port 80.
func benchPackets(n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		p := make([]byte, 74)
		binary.BigEndian.PutUint16(p[12:], 0x0800)
		ip := p[14:]
		ip[0] = 0x45
		binary.BigEndian.PutUint16(ip[2:], 60)
		ip[8] = 64
		ip[9] = 6
		if i%3 == 0 {
			ip[9] = 17
		}
		binary.BigEndian.PutUint32(ip[12:], 0x0a000001)
		binary.BigEndian.PutUint32(ip[16:], 0x0a000002)
		binary.BigEndian.PutUint16(ip[20:], uint16(1024+i))
		port := uint16(443)
		if i%4 == 0 {
			port = 80
		}
		binary.BigEndian.PutUint16(ip[22:], port)
		out[i] = p
	}
	return out
}

const benchExpr = "tcp port 80 and (ip[6:2] & 0x1fff = 0) and not host 192.168.0.1"

func BenchmarkMatch(b *testing.B) {
	benchMatchers(b, benchExpr, false)
}

// benchMatchers measures the program of expr on the Ethernet bench packets
// through our Matcher ("pcaptool"), x/net/bpf's VM and, when asked, the
// instruction-at-a-time interpreter the Matcher replaced.
func benchMatchers(b *testing.B, expr string, withInterpreter bool) {
	prog, err := Compile(expr, linktype.Ethernet, pkt.DefaultSnapLen)
	if err != nil {
		b.Fatal(err)
	}
	pkts := benchPackets(1024)
	b.Run("pcaptool", func(b *testing.B) {
		m, err := NewMatcher(prog)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			p := pkts[i&1023]
			m.Match(p, len(p))
		}
	})
	if withInterpreter {
		raw, _ := bpf.Assemble(prog)
		b.Run("interpreter", func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				p := pkts[i&1023]
				interpret(raw, p, len(p))
			}
		})
	}
	b.Run("x-net-bpf-vm", func(b *testing.B) {
		vm, err := bpf.NewVM(prog)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			p := pkts[i&1023]
			if _, err := vm.Run(p); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// sliceReader is an in-memory pkt.Reader.
type sliceReader struct {
	pkts   [][]byte
	i      int
	p      pkt.Packet
	ifaces []pkt.Interface
}

func (r *sliceReader) ReadPacket() (*pkt.Packet, error) {
	if r.i >= len(r.pkts) {
		return nil, io.EOF
	}
	d := r.pkts[r.i]
	r.i++
	r.p = pkt.Packet{Timestamp: time.Unix(int64(r.i), 0), Length: len(d), Data: d}
	return &r.p, nil
}

func (r *sliceReader) Interfaces() []pkt.Interface { return r.ifaces }

// BenchmarkFilter runs StreamFilter over a generated stream; ns/op is
// per packet read.
func BenchmarkFilter(b *testing.B) {
	pkts := benchPackets(4096)
	src := &sliceReader{pkts: pkts, ifaces: []pkt.Interface{{LinkType: linktype.Ethernet}}}
	f, err := NewStreamFilter(src, "tcp port 80")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if src.i >= len(src.pkts) {
			src.i = 0
		}
		before := f.Read()
		if _, err := f.ReadPacket(); err == io.EOF {
			src.i = 0
		} else if err != nil {
			b.Fatal(err)
		}
		_ = before
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(f.Read()), "ns/packet")
}

func TestMatcherAllocs(t *testing.T) {
	prog, err := Compile(benchExpr, linktype.Ethernet, pkt.DefaultSnapLen)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := NewMatcher(prog)
	p := benchPackets(1)[0]
	if n := testing.AllocsPerRun(100, func() { m.Match(p, len(p)) }); n != 0 {
		t.Errorf("Match allocates %v times per packet", n)
	}
}

// TestMatcherAgreesWithVM checks our interpreter against x/net/bpf's VM.
func TestMatcherAgreesWithVM(t *testing.T) {
	pkts := benchPackets(64)
	for _, e := range []string{benchExpr, "udp", "ip[0] & 0xf != 5", "len > 60", "tcp[tcp[0]&7] = 0", "ip[1] / ip[9] = 0"} {
		prog, err := Compile(e, linktype.Ethernet, pkt.DefaultSnapLen)
		if err != nil {
			t.Fatal(err)
		}
		m, _ := NewMatcher(prog)
		vm, err := bpf.NewVM(prog)
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range pkts {
			for _, cut := range []int{len(p), 30, 14} {
				got := m.Run(p[:cut], cut)
				want, err := vm.Run(p[:cut])
				if err != nil {
					t.Fatal(err)
				}
				if int(got) != want {
					t.Errorf("%q packet %d cut %d: matcher %d, vm %d", e, i, cut, got, want)
				}
			}
		}
	}
}
