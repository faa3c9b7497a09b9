package synth

import (
	"bytes"
	"io"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

func TestDeterministicAndDecodable(t *testing.T) {
	a, b := New(Config{Packets: 2000, Seed: 7}), New(Config{Packets: 2000, Seed: 7})
	var v4, v6, tcp, udp int
	prev := int64(0)
	for i := 0; ; i++ {
		p, err := a.ReadPacket()
		q, err2 := b.ReadPacket()
		if err == io.EOF {
			if err2 != io.EOF || i != 2000 {
				t.Fatalf("generators disagree on length: %d %v %v", i, err, err2)
			}
			break
		}
		if err != nil || err2 != nil || !bytes.Equal(p.Data, q.Data) || !p.Timestamp.Equal(q.Timestamp) {
			t.Fatalf("packet %d differs between runs with one seed", i)
		}
		if len(p.Data) < 60 || len(p.Data) > 1514 {
			t.Fatalf("packet %d has %d bytes", i, len(p.Data))
		}
		if ts := p.Timestamp.UnixNano(); ts < prev {
			t.Fatalf("packet %d goes back in time without Disorder", i)
		} else {
			prev = ts
		}
		pkt := gopacket.NewPacket(p.Data, layers.LayerTypeEthernet, gopacket.Default)
		// Payloads are random bytes, so only the headers we build must
		// decode; an application layer (DNS on port 53) may not.
		if pkt.TransportLayer() == nil {
			t.Fatalf("packet %d: no transport layer: %v", i, pkt.ErrorLayer())
		}
		if ip := pkt.Layer(layers.LayerTypeIPv4); ip != nil {
			v4++
			ip4 := ip.(*layers.IPv4)
			if int(ip4.Length)+14 != len(p.Data) {
				t.Fatalf("packet %d: IPv4 total length %d for a %d-byte frame", i, ip4.Length, len(p.Data))
			}
		}
		if pkt.Layer(layers.LayerTypeIPv6) != nil {
			v6++
		}
		if pkt.Layer(layers.LayerTypeTCP) != nil {
			tcp++
		}
		if pkt.Layer(layers.LayerTypeUDP) != nil {
			udp++
		}
	}
	if v4 == 0 || v6 == 0 || tcp == 0 || udp == 0 || v4+v6 != 2000 {
		t.Fatalf("mix: %d IPv4, %d IPv6, %d TCP, %d UDP", v4, v6, tcp, udp)
	}
}

func TestDisorderAndSnaplen(t *testing.T) {
	g := New(Config{Packets: 5000, Seed: 1, Disorder: 10, SnapLen: 100})
	backwards := 0
	var prev int64
	for {
		p, err := g.ReadPacket()
		if err != nil {
			break
		}
		if len(p.Data) > 100 || p.Length < len(p.Data) {
			t.Fatalf("snaplen not applied: caplen %d len %d", len(p.Data), p.Length)
		}
		if ts := p.Timestamp.UnixNano(); ts < prev {
			backwards++
		}
		prev = p.Timestamp.UnixNano()
	}
	if backwards < 100 {
		t.Fatalf("only %d packets out of order with Disorder 10%%", backwards)
	}
}

func TestNoAllocations(t *testing.T) {
	g := New(Config{Packets: 1 << 30})
	if n := testing.AllocsPerRun(1000, func() { g.ReadPacket() }); n != 0 {
		t.Fatalf("%.1f allocations per packet", n)
	}
}
