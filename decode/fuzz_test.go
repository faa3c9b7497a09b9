package decode_test

import (
	"io"
	"net"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/pcaptool/pcaptool/decode"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

// FuzzDecode prints arbitrary bytes as a packet of an arbitrary link type
// in every output style (tcpdump lines at each verbosity, hex dumps, JSON)
// and adds it to a protocol hierarchy: none of it may panic, and each
// packet must give one line that starts with its timestamp (-v adds
// indented continuation lines, hex dumps tab-indented ones).
func FuzzDecode(f *testing.F) {
	src := synth.New(synth.Config{Packets: 60, Seed: 5, IPv6Percent: 30})
	for i := 0; ; i++ {
		p, err := src.ReadPacket()
		if err != nil {
			break
		}
		lt := linktype.Ethernet
		if i%4 == 3 {
			lt = linktype.LinuxSLL2
		}
		f.Add(uint16(lt), uint16(0), p.Data)
	}
	for _, m := range dnsSeeds(f) {
		f.Add(uint16(linktype.Ethernet), uint16(0), m)
	}
	for _, m := range routingSeeds(f) {
		f.Add(uint16(linktype.Ethernet), uint16(0), m)
	}
	for _, s := range printbSeeds(f) {
		f.Add(uint16(s.lt), uint16(0), s.data)
		f.Add(uint16(s.lt), uint16(40), s.data[:len(s.data)*2/3]) // cut short of what it claims
	}
	f.Add(uint16(linktype.IPv4), uint16(3), []byte{0x45, 0, 0, 20, 0, 1, 0x20, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2})
	f.Add(uint16(linktype.LinuxSLL), uint16(0), make([]byte, 16))
	opts := []decode.Options{
		{Time: decode.TimeEpoch},
		{Time: decode.TimeEpoch, Verbose: 1, Nano: true},
		{Time: decode.TimeDate, Verbose: 2, Hex: decode.HexASCII, HexLink: true, AbsoluteSeq: true},
		{Hex: decode.Hex},
		{JSON: true},
	}
	f.Fuzz(func(t *testing.T, lt uint16, extra uint16, data []byte) {
		pkt := &pkt.Packet{
			Timestamp: time.Unix(1700000000, int64(extra)*1000),
			Length:    len(data) + int(extra), // snapped captures claim more than they hold
			Data:      data,
		}
		for _, o := range opts {
			var out lineCounter
			p := decode.NewPrinter(&out, o)
			for range 2 { // twice: the second line uses the state of the first
				if err := p.Print(pkt, linktype.LinkType(lt)); err != nil {
					t.Fatal(err)
				}
			}
			if err := p.Flush(); err != nil {
				t.Fatal(err)
			}
			if out.heads != 2 || !out.ended {
				t.Fatalf("%+v: %d unindented lines for 2 packets:\n%s", o, out.heads, out.text)
			}
		}
		h := decode.NewHierarchy()
		h.Add(pkt, linktype.LinkType(lt))
		if err := h.WriteText(io.Discard); err != nil {
			t.Fatal(err)
		}
		_ = h.AppendJSON(nil)
	})
}

// lineCounter counts the lines written to it that start with a digit (a
// timestamp) or "{", and whether the text ends with a newline.
type lineCounter struct {
	heads int
	ended bool
	text  []byte
	line  []byte
}

func (c *lineCounter) Write(b []byte) (int, error) {
	for _, x := range b {
		c.line = append(c.line, x)
		if x == '\n' {
			c.countLine()
		}
		c.ended = x == '\n'
		if len(c.text) < 4096 {
			c.text = append(c.text, x)
		}
	}
	return len(b), nil
}

// countLine counts the line just ended if it starts with a timestamp
// (epoch, time of day or date) or JSON's "{": tcpdump starts a few
// continuation lines at the margin (BGP's "[|BGP Update]", VXLAN's inner
// frame, which may start with a MAC address).
func (c *lineCounter) countLine() {
	l := c.line
	c.line = c.line[:0]
	switch {
	case len(l) > 0 && l[0] == '{':
		c.heads++
	case len(l) > 10 && l[0] >= '0' && l[0] <= '9' && (l[10] == '.' || l[8] == '.' || l[4] == '-'):
		c.heads++
	}
}

// dnsSeeds returns Ethernet frames carrying a DNS query and a response with
// compressed names and several record types.
func dnsSeeds(f testing.TB) [][]byte {
	name := []byte("www.example.com")
	q := layers.DNSQuestion{Name: name, Type: layers.DNSTypeA, Class: layers.DNSClassIN}
	msgs := []*layers.DNS{
		{ID: 4660, RD: true, QDCount: 1, Questions: []layers.DNSQuestion{q}},
		{ID: 4660, QR: true, AA: true, RD: true, RA: true, Questions: []layers.DNSQuestion{q}, Answers: []layers.DNSResourceRecord{
			{Name: name, Type: layers.DNSTypeCNAME, Class: layers.DNSClassIN, TTL: 60, CNAME: []byte("web.example.com")},
			{Name: []byte("web.example.com"), Type: layers.DNSTypeA, Class: layers.DNSClassIN, TTL: 60, IP: net.IP{192, 0, 2, 1}},
			{Name: []byte("web.example.com"), Type: layers.DNSTypeAAAA, Class: layers.DNSClassIN, TTL: 60, IP: net.ParseIP("2001:db8::1")},
			{Name: []byte("example.com"), Type: layers.DNSTypeMX, Class: layers.DNSClassIN, TTL: 60, MX: layers.DNSMX{Preference: 10, Name: []byte("mail.example.com")}},
			{Name: []byte("example.com"), Type: layers.DNSTypeTXT, Class: layers.DNSClassIN, TTL: 60, TXTs: [][]byte{[]byte("v=spf1 -all"), []byte("x")}},
			{Name: []byte("_sip._udp.example.com"), Type: layers.DNSTypeSRV, Class: layers.DNSClassIN, TTL: 60, SRV: layers.DNSSRV{Priority: 10, Weight: 20, Port: 5060, Name: []byte("sip.example.com")}},
			{Name: []byte("example.com"), Type: layers.DNSTypeNS, Class: layers.DNSClassIN, TTL: 60, NS: []byte("ns1.example.com")},
			{Name: []byte("1.2.0.192.in-addr.arpa"), Type: layers.DNSTypePTR, Class: layers.DNSClassIN, TTL: 60, PTR: []byte("web.example.com")},
			{Name: []byte("example.com"), Type: layers.DNSTypeSOA, Class: layers.DNSClassIN, TTL: 60, SOA: layers.DNSSOA{MName: []byte("ns1.example.com"), RName: []byte("admin.example.com"), Serial: 2024010101, Refresh: 7200, Retry: 3600, Expire: 1209600, Minimum: 300}},
		}},
		{ID: 7, QR: true, RD: true, ResponseCode: layers.DNSResponseCodeNXDomain, Questions: []layers.DNSQuestion{{Name: []byte("nope.example.com"), Type: layers.DNSTypeAAAA, Class: layers.DNSClassIN}}},
	}
	var frames [][]byte
	for _, m := range msgs {
		eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
		ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolUDP, SrcIP: net.IP{10, 0, 0, 1}, DstIP: net.IP{10, 0, 0, 2}}
		udp := &layers.UDP{SrcPort: 40000, DstPort: 53}
		if m.QR {
			udp.SrcPort, udp.DstPort = 53, 40000
			ip.SrcIP, ip.DstIP = ip.DstIP, ip.SrcIP
		}
		udp.SetNetworkLayerForChecksum(ip)
		buf := gopacket.NewSerializeBuffer()
		if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, ip, udp, m); err != nil {
			f.Fatal(err)
		}
		frames = append(frames, buf.Bytes())
	}
	return frames
}
