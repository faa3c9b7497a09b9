package decode_test

import (
	"encoding/binary"
	"net"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// routingSeeds returns Ethernet frames carrying one message of each routing
// and control protocol print dissects (BGP, OSPF, PIM, EIGRP, VRRP, BFD,
// HSRP, sFlow, AH, Babel, IS-IS, ARP), for the fuzz target and the generated-packet
// oracle test.
func routingSeeds(t testing.TB) [][]byte {
	be := binary.BigEndian
	bgpOpen := append(bytesOf(16, 0xff), 0, 29+8, 1, 4, 0xfd, 0xe8, 0, 180, 10, 0, 0, 1, 8, 2, 6, 1, 4, 0, 1, 0, 1)
	bgpUpdate := append(bytesOf(16, 0xff), 0, 0, 2, 0, 0, 0, 20,
		0x40, 1, 1, 0, // origin IGP
		0x40, 2, 6, 2, 2, 0xfd, 0xe8, 0xfd, 0xe9, // AS path
		0x40, 3, 4, 10, 0, 0, 1, // next hop
		24, 192, 0, 2) // NLRI
	be.PutUint16(bgpUpdate[16:], uint16(len(bgpUpdate)))
	ospfHello := []byte{2, 1, 0, 48, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		255, 255, 255, 0, 0, 10, 2, 1, 0, 0, 0, 40, 10, 0, 0, 1, 0, 0, 0, 0, 10, 0, 0, 2}
	pimHello := []byte{0x20, 0, 0, 0, 0, 1, 0, 2, 0, 105, 0, 20, 0, 4, 0x12, 0x34, 0x56, 0x78}
	eigrpHello := []byte{2, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		0, 1, 0, 12, 1, 0, 1, 0, 0, 0, 0, 15}
	vrrp := []byte{0x21, 1, 100, 1, 0, 1, 0, 0, 10, 0, 0, 254}
	bfd := []byte{0x20, 0xc0, 3, 24, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0x0f, 0x42, 0x40, 0, 0x0f, 0x42, 0x40, 0, 0, 0, 0}
	hsrp := []byte{0, 0, 16, 3, 10, 100, 1, 0, 'c', 'i', 's', 'c', 'o', 0, 0, 0, 10, 0, 0, 1}
	sflow := []byte{0, 0, 0, 5, 0, 0, 0, 1, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 9, 0, 0, 0, 1,
		0, 0, 0, 2, 0, 0, 0, 20, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 0}
	ah := append([]byte{89, 4, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}, bytesOf(12, 0xab)...)
	ah = append(ah, ospfHello...)
	frames := [][]byte{
		ipv4Frame(t, layers.IPProtocolTCP, 179, 40000, bgpOpen),
		ipv4Frame(t, layers.IPProtocolTCP, 40000, 179, bgpUpdate),
		ipv4Frame(t, 89, 0, 0, ospfHello),
		ipv4Frame(t, 103, 0, 0, pimHello),
		ipv4Frame(t, 88, 0, 0, eigrpHello),
		ipv4Frame(t, 112, 0, 0, vrrp),
		ipv4Frame(t, layers.IPProtocolUDP, 49153, 3784, bfd),
		ipv4Frame(t, layers.IPProtocolUDP, 1985, 1985, hsrp),
		ipv4Frame(t, layers.IPProtocolUDP, 40000, 6343, sflow),
		ipv4Frame(t, 51, 0, 0, ah),
		ipv4Frame(t, layers.IPProtocolUDP, 6696, 6696, []byte{42, 2, 0, 8, 4, 6, 0, 0, 0, 1, 1, 0x90}),
	}
	// IS-IS point-to-point hello over 802.2 LLC.
	isis := []byte{0xfe, 0xfe, 0x03, 0x83, 20, 1, 0, 17, 1, 0, 0,
		3, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0, 30, 0, 0, 0,
		129, 1, 0xcc, 1, 4, 3, 0x49, 0, 1, 132, 4, 10, 0, 0, 1}
	be.PutUint16(isis[3+17:], uint16(len(isis)-3))
	eth := make([]byte, 14, 14+len(isis))
	copy(eth, []byte{1, 0x80, 0xc2, 0, 0, 0x14, 2, 0, 0, 0, 0, 1})
	be.PutUint16(eth[12:], uint16(len(isis)))
	frames = append(frames, append(eth, isis...))
	// ARP request.
	arp := []byte{1, 0x80, 0xc2, 0, 0, 0, 2, 0, 0, 0, 0, 1, 8, 6, 0, 1, 8, 0, 6, 4, 0, 1,
		2, 0, 0, 0, 0, 1, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2}
	return append(frames, arp)
}

func bytesOf(n int, b byte) []byte {
	s := make([]byte, n)
	for i := range s {
		s[i] = b
	}
	return s
}

// ipv4Frame builds Ethernet/IPv4 carrying payload as protocol proto; for
// TCP and UDP the ports are set and payload follows the transport header.
func ipv4Frame(t testing.TB, proto layers.IPProtocol, sport, dport uint16, payload []byte) []byte {
	eth := &layers.Ethernet{SrcMAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, TTL: 255, Protocol: proto, SrcIP: net.IP{10, 0, 0, 1}, DstIP: net.IP{224, 0, 0, 5}}
	ls := []gopacket.SerializableLayer{eth, ip}
	switch proto {
	case layers.IPProtocolTCP:
		tcp := &layers.TCP{SrcPort: layers.TCPPort(sport), DstPort: layers.TCPPort(dport), Seq: 1, Ack: 1, ACK: true, PSH: true, Window: 1024}
		tcp.SetNetworkLayerForChecksum(ip)
		ls = append(ls, tcp)
	case layers.IPProtocolUDP:
		udp := &layers.UDP{SrcPort: layers.UDPPort(sport), DstPort: layers.UDPPort(dport)}
		udp.SetNetworkLayerForChecksum(ip)
		ls = append(ls, udp)
	}
	ls = append(ls, gopacket.Payload(payload))
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
