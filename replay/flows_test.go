package replay

import (
	"context"
	"encoding/binary"
	"net/netip"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// ipFrame builds an Ethernet frame (with the given 802.1Q tags) carrying
// an IP packet from src to dst of protocol proto whose transport header
// starts with the bytes of transport.
func ipFrame(vlans int, src, dst string, proto uint8, transport ...byte) []byte {
	s, d := netip.MustParseAddr(src), netip.MustParseAddr(dst)
	f := make([]byte, 12)
	for range vlans {
		f = append(f, 0x81, 0x00, 0, 7)
	}
	if s.Is4() {
		f = append(f, 0x08, 0x00)
		ip := make([]byte, 20)
		ip[0], ip[9] = 0x45, proto
		binary.BigEndian.PutUint16(ip[2:], uint16(20+len(transport)))
		copy(ip[12:], s.AsSlice())
		copy(ip[16:], d.AsSlice())
		return append(append(f, ip...), transport...)
	}
	f = append(f, 0x86, 0xdd)
	ip := make([]byte, 40)
	ip[0], ip[6] = 0x60, proto
	copy(ip[8:], s.AsSlice())
	copy(ip[24:], d.AsSlice())
	return append(append(f, ip...), transport...)
}

// tcpHeader is a 20-byte TCP header from port sport to dport.
func tcpHeader(sport, dport uint16) []byte {
	h := make([]byte, 20)
	binary.BigEndian.PutUint16(h, sport)
	binary.BigEndian.PutUint16(h[2:], dport)
	h[12] = 5 << 4
	return h
}

func TestFlowCounter(t *testing.T) {
	udp := []byte{0, 53, 0x30, 0x39, 0, 8, 0, 0}
	hopByHop := append([]byte{17, 0, 0, 0, 0, 0, 0, 0}, udp...) // next header UDP, 8 bytes
	fragment := ipFrame(0, "10.0.0.1", "10.0.0.2", 6, make([]byte, 20)...)
	binary.BigEndian.PutUint16(fragment[14+6:], 185) // offset 1480: no TCP header
	arp := append(make([]byte, 12), 0x08, 0x06)
	arp = append(arp, make([]byte, 28)...)
	tests := []struct {
		name                               string
		lt                                 linktype.LinkType
		frames                             [][]byte
		flows, flowPackets, nonFlowPackets uint64
	}{
		{"one TCP flow", linktype.Ethernet, [][]byte{
			ipFrame(0, "10.0.0.1", "10.0.0.2", 6, tcpHeader(1000, 80)...),
			ipFrame(0, "10.0.0.1", "10.0.0.2", 6, tcpHeader(1000, 80)...),
		}, 1, 2, 0},
		{"each direction is a flow", linktype.Ethernet, [][]byte{
			ipFrame(0, "10.0.0.1", "10.0.0.2", 6, tcpHeader(1000, 80)...),
			ipFrame(0, "10.0.0.2", "10.0.0.1", 6, tcpHeader(80, 1000)...),
		}, 2, 2, 0},
		{"ports, protocol and addresses tell flows apart", linktype.Ethernet, [][]byte{
			ipFrame(0, "10.0.0.1", "10.0.0.2", 6, tcpHeader(1000, 80)...),
			ipFrame(0, "10.0.0.1", "10.0.0.2", 6, tcpHeader(1001, 80)...),
			ipFrame(0, "10.0.0.1", "10.0.0.2", 17, tcpHeader(1000, 80)...),
			ipFrame(0, "10.0.0.1", "10.0.0.3", 6, tcpHeader(1000, 80)...),
			ipFrame(0, "::1", "::2", 6, tcpHeader(1000, 80)...),
		}, 5, 5, 0},
		{"ICMP type and code", linktype.Ethernet, [][]byte{
			ipFrame(0, "10.0.0.1", "10.0.0.2", 1, 8, 0, 0, 0),
			ipFrame(0, "10.0.0.1", "10.0.0.2", 1, 8, 0, 0, 0),
			ipFrame(0, "10.0.0.1", "10.0.0.2", 1, 0, 0, 0, 0),
		}, 2, 3, 0},
		{"VLAN tags are skipped", linktype.Ethernet, [][]byte{
			ipFrame(0, "10.0.0.1", "10.0.0.2", 17, udp...),
			ipFrame(2, "10.0.0.1", "10.0.0.2", 17, udp...),
		}, 1, 2, 0},
		{"IPv6 extension headers are skipped", linktype.Ethernet, [][]byte{
			ipFrame(0, "2001:db8::1", "2001:db8::2", 0, hopByHop...),
			ipFrame(0, "2001:db8::1", "2001:db8::2", 17, udp...),
		}, 1, 2, 0},
		{"a later fragment has no ports", linktype.Ethernet, [][]byte{
			fragment,
			ipFrame(0, "10.0.0.1", "10.0.0.2", 6, tcpHeader(0, 0)...),
		}, 1, 2, 0},
		{"ARP is not a flow", linktype.Ethernet, [][]byte{arp, ipFrame(0, "10.0.0.1", "10.0.0.2", 17, udp...)}, 1, 1, 1},
		{"a cut TCP header is neither", linktype.Ethernet, [][]byte{
			ipFrame(0, "10.0.0.1", "10.0.0.2", 6, 0, 1, 0, 2),
			ipFrame(0, "10.0.0.1", "10.0.0.2", 6, 0, 1, 0, 2)[:20],
		}, 0, 0, 0},
		{"raw IP", linktype.Raw, [][]byte{
			ipFrame(0, "10.0.0.1", "10.0.0.2", 17, udp...)[14:],
			ipFrame(0, "::1", "::2", 17, udp...)[14:],
		}, 2, 2, 0},
		{"other link types are not flows", linktype.LinkType(147), [][]byte{
			ipFrame(0, "10.0.0.1", "10.0.0.2", 17, udp...),
		}, 0, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newFlowCounter(tt.lt)
			var st Stats
			for _, f := range tt.frames {
				c.add(f, &st)
			}
			if st.Flows != tt.flows || st.FlowPackets != tt.flowPackets || st.NonFlowPackets != tt.nonFlowPackets {
				t.Errorf("%d flows, %d flow packets, %d non-flow; want %d, %d, %d",
					st.Flows, st.FlowPackets, st.NonFlowPackets, tt.flows, tt.flowPackets, tt.nonFlowPackets)
			}
		})
	}
}

// tcpFrames returns an opener of n TCP frames spread over flows flows.
func tcpFrames(n, flows int) Opener {
	var pkts []*pkt.Packet
	t0 := time.Unix(1700000000, 0)
	for i := range n {
		f := ipFrame(0, "10.0.0.1", "10.0.0.2", 6, tcpHeader(uint16(1000+i%flows), 80)...)
		pkts = append(pkts, &pkt.Packet{Timestamp: t0.Add(time.Duration(i) * time.Microsecond), Data: f, Length: len(f)})
	}
	ifs := []pkt.Interface{{LinkType: linktype.Ethernet, SnapLen: 65535}}
	return func() (pkt.Reader, error) { return pkt.FromSlice(ifs, pkts), nil }
}

func TestReplayerCountsFlows(t *testing.T) {
	r := &Replayer{Sender: &countSender{}, Config: Config{TopSpeed: true, Loops: 3}}
	st, err := r.Run(context.Background(), tcpFrames(100, 7))
	if err != nil {
		t.Fatal(err)
	}
	// A flow seen again on a later pass is the same flow.
	if st.Flows != 7 || st.FlowPackets != 300 || st.NonFlowPackets != 0 {
		t.Errorf("%d flows, %d flow packets, %d non-flow; want 7, 300, 0", st.Flows, st.FlowPackets, st.NonFlowPackets)
	}
}
