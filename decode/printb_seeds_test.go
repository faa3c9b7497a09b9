package decode_test

import (
	"encoding/binary"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/pcaptool/pcaptool/decode"
	"github.com/pcaptool/pcaptool/internal/testenv"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// linkSeed is a generated packet of one of the link-layer, tunnel, TCP
// option and application printers (print_stp.go, print_gre.go, ...).
type linkSeed struct {
	name string
	lt   linktype.LinkType
	data []byte
}

var (
	seedSrcMAC = []byte{2, 0, 0, 0, 0, 1}
	seedDstMAC = []byte{1, 0x80, 0xc2, 0, 0, 0x0e}
)

// etherFrame returns an Ethernet II frame of EtherType et.
func etherFrame(et uint16, payload []byte) []byte {
	b := append(append(append([]byte{}, seedDstMAC...), seedSrcMAC...), byte(et>>8), byte(et))
	return append(b, payload...)
}

// llcFrame returns an 802.3 frame with an LLC header (and SNAP header when
// oui or pid is set).
func llcFrame(dsap byte, oui uint32, pid uint16, payload []byte) []byte {
	llc := []byte{dsap, dsap, 3}
	if dsap == 0xaa {
		llc = append(llc, byte(oui>>16), byte(oui>>8), byte(oui), byte(pid>>8), byte(pid))
	}
	body := append(llc, payload...)
	b := append(append(append([]byte{}, seedDstMAC...), seedSrcMAC...), byte(len(body)>>8), byte(len(body)))
	return append(b, body...)
}

// tlv16 returns a TLV with 16-bit type and length fields, the length
// counting the header when withHeader.
func tlv16(typ uint16, withHeader bool, v []byte) []byte {
	n := len(v)
	if withHeader {
		n += 4
	}
	return append([]byte{byte(typ >> 8), byte(typ), byte(n >> 8), byte(n)}, v...)
}

// lldpTLV returns an LLDP TLV (7-bit type, 9-bit length).
func lldpTLV(typ int, v []byte) []byte {
	h := uint16(typ)<<9 | uint16(len(v))
	return append([]byte{byte(h >> 8), byte(h)}, v...)
}

func printbSeeds(t testing.TB) []linkSeed {
	be := binary.BigEndian
	bpdu := []byte{0, 0, 0, 0, 0x01, 0x80, 0x00, 0, 0x19, 0x06, 0xea, 0xb8, 0x80, 0, 0, 0, 4,
		0x80, 0x01, 0, 0x19, 0x06, 0xea, 0xb8, 0x81, 0x80, 0x0c, 1, 0, 20, 0, 2, 0, 15, 0}
	rstp := append([]byte{0, 0, 2, 2, 0x3e}, bpdu[5:]...)
	rstp = append(rstp, 0)
	lldp := append(lldpTLV(1, append([]byte{4}, seedSrcMAC...)), lldpTLV(2, []byte("\x05eth0"))...)
	lldp = append(lldp, lldpTLV(3, []byte{0, 120})...)
	lldp = append(lldp, lldpTLV(5, []byte("switch1"))...)
	lldp = append(lldp, lldpTLV(7, []byte{0, 0x14, 0, 0x04})...)
	lldp = append(lldp, lldpTLV(127, []byte{0, 0x80, 0xc2, 1, 0, 10})...)
	lldp = append(lldp, lldpTLV(127, []byte{0, 0x12, 0x0f, 4, 0x05, 0xdc})...)
	lldp = append(lldp, lldpTLV(0, nil)...)
	cdp := []byte{2, 180, 0, 0}
	cdp = append(cdp, tlv16(1, true, []byte("sw1"))...)
	cdp = append(cdp, tlv16(3, true, []byte("Gi0/1"))...)
	cdp = append(cdp, tlv16(4, true, []byte{0, 0, 0, 0x28})...)
	cdp = append(cdp, tlv16(10, true, []byte{0, 1})...)
	actor := []byte{1, 20, 0x80, 0, 0, 0x13, 0xc4, 0x12, 0x0f, 0, 0, 13, 0x80, 0, 0, 22, 0x45, 0, 0, 0}
	partner := append([]byte{2}, actor[1:]...)
	lacp := append([]byte{1, 1}, actor...)
	lacp = append(lacp, partner...)
	lacp = append(lacp, append([]byte{3, 16, 0x80, 0}, make([]byte, 12)...)...)
	lacp = append(lacp, 0, 0)
	udld := []byte{0x21, 0x03, 0x6d, 0x85}
	udld = append(udld, tlv16(1, true, []byte("FOC1031Z7JG"))...)
	udld = append(udld, tlv16(4, true, []byte{7})...)
	udld = append(udld, tlv16(7, true, []byte{0, 0, 0, 1})...)
	aoe := []byte{0x18, 0, 0xff, 0xff, 0xff, 1, 0, 0, 0, 0, 0, 16, 0, 1, 0, 0x10, 0, 3, 'a', 'b', 'c'}

	inner := ipv4Frame(t, layers.IPProtocolUDP, 5000, 5001, []byte("hello"))[14:]
	gre := append([]byte{0x30, 0, 0x08, 0, 0, 0, 0, 0x28, 0, 0, 0, 7}, inner...)
	arp := []byte{0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 10, 0, 0, 1, 0, 0, 0, 0, 0, 0, 10, 0, 0, 2}
	vxlan := append([]byte{8, 0, 0, 0, 0, 0, 100, 0}, etherFrame(0x0806, arp)...)
	geneve := append([]byte{0x02, 0x40, 0x08, 0x00, 0, 0, 10, 0, 0x01, 0x02, 0x80, 0x01, 0xde, 0xad, 0xbe, 0xef}, inner...)
	dhcp := make([]byte, 240)
	dhcp[0], dhcp[1], dhcp[2] = 1, 1, 6
	be.PutUint32(dhcp[4:], 0x3cd0af7e)
	copy(dhcp[28:], seedSrcMAC)
	be.PutUint32(dhcp[236:], 0x63825363)
	dhcp = append(dhcp, 53, 1, 1, 50, 4, 192, 168, 1, 9, 12, 4, 'h', 'o', 's', 't', 55, 4, 1, 3, 6, 15,
		61, 7, 1, 2, 0, 0, 0, 0, 1, 121, 5, 8, 10, 10, 0, 0, 1, 255)
	ntp := make([]byte, 48)
	ntp[0], ntp[1], ntp[2], ntp[3] = 0x23, 2, 6, 0xe9
	be.PutUint32(ntp[12:], 0x0a000001)
	be.PutUint64(ntp[16:], 0xe2d5c6b50000_0000)
	be.PutUint64(ntp[40:], 0xe2d5c6b6_8000_0000)

	frames := []linkSeed{
		{"stp", linktype.Ethernet, llcFrame(0x42, 0, 0, bpdu)},
		{"rstp", linktype.Ethernet, llcFrame(0x42, 0, 0, rstp)},
		{"lldp", linktype.Ethernet, etherFrame(0x88cc, lldp)},
		{"cdp", linktype.Ethernet, llcFrame(0xaa, 0x00000c, 0x2000, cdp)},
		{"udld", linktype.Ethernet, llcFrame(0xaa, 0x00000c, 0x0111, udld)},
		{"lacp", linktype.Ethernet, etherFrame(0x8809, lacp)},
		{"aoe", linktype.Ethernet, etherFrame(0x88a2, aoe)},
		{"gre", linktype.Ethernet, ipv4Frame(t, 47, 0, 0, gre)},
		{"vxlan", linktype.Ethernet, ipv4Frame(t, layers.IPProtocolUDP, 40000, 4789, vxlan)},
		{"geneve", linktype.Ethernet, ipv4Frame(t, layers.IPProtocolUDP, 40000, 6081, geneve)},
		{"dhcp", linktype.Ethernet, ipv4Frame(t, layers.IPProtocolUDP, 68, 67, dhcp)},
		{"ntp", linktype.Ethernet, ipv4Frame(t, layers.IPProtocolUDP, 40000, 123, ntp)},
		{"http", linktype.Ethernet, ipv4Frame(t, layers.IPProtocolTCP, 40000, 80, []byte("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"))},
		{"ssh", linktype.Ethernet, ipv4Frame(t, layers.IPProtocolTCP, 22, 40000, []byte("SSH-2.0-OpenSSH_9.2\r\n"))},
		{"tcp-options", linktype.Ethernet, tcpOptionsFrame(t)},
		{"unknown-ethertype", linktype.Ethernet, etherFrame(0x3030, []byte("0000000000"))},
		{"arcnet-linux", 129, append([]byte{1, 2, 0, 0, 212, 0, 0, 0}, inner...)},
		{"ipoib", 242, append(append(make([]byte, 40), 8, 0, 0, 0), inner...)},
	}
	return frames
}

// tcpOptionsFrame returns a SYN with MSS, SACK-permitted, timestamps,
// window scale, MPTCP MP_CAPABLE and a TFO cookie request.
func tcpOptionsFrame(t testing.TB) []byte {
	eth := &layers.Ethernet{SrcMAC: seedSrcMAC, DstMAC: net.HardwareAddr{2, 0, 0, 0, 0, 2}, EthernetType: layers.EthernetTypeIPv4}
	ip := &layers.IPv4{Version: 4, TTL: 64, Protocol: layers.IPProtocolTCP, SrcIP: net.IP{10, 0, 0, 1}, DstIP: net.IP{10, 0, 0, 2}}
	tcp := &layers.TCP{SrcPort: 40000, DstPort: 8000, Seq: 1000, SYN: true, Window: 65535, Options: []layers.TCPOption{
		{OptionType: layers.TCPOptionKindMSS, OptionLength: 4, OptionData: []byte{5, 0xb4}},
		{OptionType: layers.TCPOptionKindSACKPermitted, OptionLength: 2},
		{OptionType: layers.TCPOptionKindTimestamps, OptionLength: 10, OptionData: []byte{0, 0, 0, 1, 0, 0, 0, 0}},
		{OptionType: layers.TCPOptionKindNop, OptionLength: 1},
		{OptionType: layers.TCPOptionKindWindowScale, OptionLength: 3, OptionData: []byte{7}},
		{OptionType: 30, OptionLength: 12, OptionData: []byte{0x01, 0x81, 1, 2, 3, 4, 5, 6, 7, 8}},
		{OptionType: 34, OptionLength: 2},
	}}
	tcp.SetNetworkLayerForChecksum(ip)
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, eth, ip, tcp); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestPrintbGeneratedMatchTcpdump prints each generated packet at -v 0 and
// 1 and compares every line (continuation lines included) with tcpdump's.
func TestPrintbGeneratedMatchTcpdump(t *testing.T) {
	tcpdump := testenv.RequireTool(t, "tcpdump")
	for _, s := range printbSeeds(t) {
		t.Run(s.name, func(t *testing.T) {
			p := &pkt.Packet{Timestamp: time.Unix(1700000000, 0), Length: len(s.data), Data: s.data}
			name := writePcap(t, pkt.FromSlice([]pkt.Interface{{LinkType: s.lt}}, []*pkt.Packet{p}), s.lt, false)
			notHex := func(l string) bool { return !strings.HasPrefix(l, "\t0x") } // the default printer's dump
			for v, flag := range []string{"-tt", "-v"} {
				want := tcpdumpLines(t, tcpdump, name, flag, notHex)
				if len(want) == 0 || want[0] == "" {
					t.Fatalf("%s: tcpdump printed nothing", flag)
				}
				var got []string
				for _, l := range strings.Split(strings.TrimSuffix(printPcap(t, name, decode.Options{Time: decode.TimeEpoch, Verbose: v}), "\n"), "\n") {
					if notHex(l) {
						got = append(got, l)
					}
				}
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("%s:\n got %s\nwant %s", flag, strings.Join(got, "\n     "), strings.Join(want, "\n     "))
				}
			}
		})
	}
}
