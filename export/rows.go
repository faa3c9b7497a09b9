package export

import (
	"encoding/binary"
	"net"
	"net/netip"

	"github.com/pcaptool/pcaptool/flows"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// maxVLANs bounds the VLAN tags recorded per packet.
const maxVLANs = 8

// packetStore holds the values a PacketRow's pointers point to, so that
// filling a row allocates nothing.
type packetStore struct {
	ethSrc, ethDst, ipSrc, ipDst                         string
	etherType, ipVersion, ipProto, ttl                   int32
	srcPort, dstPort, tcpFlags, tcpWindow, payloadLength int32
	tcpSeq, tcpAck, flowID                               int64
	frag                                                 bool
	vlan                                                 [maxVLANs]int32
	data                                                 []byte
}

type flowStore struct {
	counters                       [2][6]int64
	syn, synack, handshake, closed bool
}

// interner returns one string per distinct key, so that addresses seen
// again (most are) cost no allocation. It forgets everything when full.
type interner[K comparable] struct {
	m map[K]string
}

const internLimit = 1 << 16

func (in *interner[K]) get(k K, format func(K) string) string {
	if s, ok := in.m[k]; ok {
		return s
	}
	if in.m == nil || len(in.m) >= internLimit {
		in.m = make(map[K]string, 1024)
	}
	s := format(k)
	in.m[k] = s
	return s
}

func formatMAC(k [6]byte) string         { return net.HardwareAddr(k[:]).String() }
func formatAddr(a netip.Addr) string     { return a.String() }
func addr4(ip net.IP) (netip.Addr, bool) { a, ok := netip.AddrFromSlice(ip); return a.Unmap(), ok }

// packetFiller turns a packet and the headers the flows tracker decoded
// into a PacketRow.
type packetFiller struct {
	macs  interner[[6]byte]
	addrs interner[netip.Addr]
}

// fill sets every field of r (which may hold a previous packet).
func (f *packetFiller) fill(r *PacketRow, file string, number int64, p *pkt.Packet, lt linktype.LinkType, h *flows.Headers) {
	data := r.store.data // keep the --with-data buffer
	*r = PacketRow{
		File:        file,
		Number:      number,
		Timestamp:   p.Timestamp.UnixNano(),
		TimestampNS: p.Timestamp.UnixNano(),
		Interface:   int32(p.Interface),
		LinkType:    int32(lt),
		CapLen:      int32(len(p.Data)),
		Len:         int32(p.Length),
	}
	r.store.data = data
	s := &r.store
	f.fillLink(r, p.Data, h)
	f.fillIP(r, h)
	if h.Conversation != nil {
		s.flowID = int64(h.Conversation.ID)
		r.FlowID = &s.flowID
	}
}

func (f *packetFiller) fillLink(r *PacketRow, data []byte, h *flows.Headers) {
	s := &r.store
	switch {
	case h.Ethernet != nil && len(data) >= 14:
		s.ethSrc = f.macs.get([6]byte(data[6:12]), formatMAC)
		s.ethDst = f.macs.get([6]byte(data[0:6]), formatMAC)
		r.EthSrc, r.EthDst = &s.ethSrc, &s.ethDst
		typ, off, n := binary.BigEndian.Uint16(data[12:]), 14, 0
		for (typ == 0x8100 || typ == 0x88a8 || typ == 0x9100) && len(data) >= off+4 && n < maxVLANs {
			s.vlan[n] = int32(binary.BigEndian.Uint16(data[off:]) & 0x0fff)
			typ = binary.BigEndian.Uint16(data[off+2:])
			off += 4
			n++
		}
		if n > 0 {
			r.VLAN = s.vlan[:n]
		}
		if typ >= 0x0600 { // below: an 802.3 length, not a type
			s.etherType = int32(typ)
			r.EtherType = &s.etherType
		}
	case h.LinuxSLL != nil:
		s.etherType = int32(h.LinuxSLL.EthernetType)
		r.EtherType = &s.etherType
	case h.LinuxSLL2 != nil:
		s.etherType = int32(h.LinuxSLL2.ProtocolType)
		r.EtherType = &s.etherType
	}
}

func (f *packetFiller) fillIP(r *PacketRow, h *flows.Headers) {
	s := &r.store
	var src, dst netip.Addr
	switch {
	case h.IPv4 != nil:
		s.ipVersion, s.ttl = 4, int32(h.IPv4.TTL)
		src, _ = addr4(h.IPv4.SrcIP)
		dst, _ = addr4(h.IPv4.DstIP)
	case h.IPv6 != nil:
		s.ipVersion, s.ttl = 6, int32(h.IPv6.HopLimit)
		src, _ = netip.AddrFromSlice(h.IPv6.SrcIP)
		dst, _ = netip.AddrFromSlice(h.IPv6.DstIP)
	default:
		return
	}
	s.ipSrc = f.addrs.get(src, formatAddr)
	s.ipDst = f.addrs.get(dst, formatAddr)
	s.ipProto = int32(h.Protocol)
	s.frag = h.Fragment
	r.IPVersion, r.TTL, r.IPSrc, r.IPDst, r.IPProto, r.Frag = &s.ipVersion, &s.ttl, &s.ipSrc, &s.ipDst, &s.ipProto, &s.frag
	payload := h.PayloadLength
	switch {
	case h.TCP != nil:
		t := h.TCP
		s.srcPort, s.dstPort = int32(t.SrcPort), int32(t.DstPort)
		if len(t.Contents) >= 14 {
			s.tcpFlags = int32(t.Contents[12]&0x0f)<<8 | int32(t.Contents[13])
		}
		s.tcpSeq, s.tcpAck, s.tcpWindow = int64(t.Seq), int64(t.Ack), int32(t.Window)
		r.SrcPort, r.DstPort, r.TCPFlags, r.TCPSeq, r.TCPAck, r.TCPWindow = &s.srcPort, &s.dstPort, &s.tcpFlags, &s.tcpSeq, &s.tcpAck, &s.tcpWindow
		payload -= int(t.DataOffset) * 4
	case h.UDP != nil:
		s.srcPort, s.dstPort = int32(h.UDP.SrcPort), int32(h.UDP.DstPort)
		r.SrcPort, r.DstPort = &s.srcPort, &s.dstPort
		payload = int(h.UDP.Length) - 8
	}
	if payload >= 0 {
		s.payloadLength = int32(payload)
		r.PayloadLen = &s.payloadLength
	}
}

// fillFlow sets every field of r from conversation c of file.
func fillFlow(r *FlowRow, file string, c *flows.Conversation, addrs *interner[netip.Addr]) {
	*r = FlowRow{
		File:      file,
		FlowID:    int64(c.ID),
		Proto:     c.Proto.String(),
		IPProto:   int32(c.Proto),
		AIP:       addrs.get(c.A.Addr(), formatAddr),
		APort:     int32(c.A.Port()),
		BIP:       addrs.get(c.B.Addr(), formatAddr),
		BPort:     int32(c.B.Port()),
		Start:     c.Start.UnixNano(),
		End:       c.End.UnixNano(),
		Duration:  c.Duration().Seconds(),
		EndReason: c.Reason.String(),
	}
	a, b := &c.Dir[flows.AtoB], &c.Dir[flows.BtoA]
	r.AToBPackets, r.AToBBytes, r.AToBPayloadBytes = int64(a.Packets), int64(a.Bytes), int64(a.PayloadBytes)
	r.BToAPackets, r.BToABytes, r.BToAPayloadBytes = int64(b.Packets), int64(b.Bytes), int64(b.PayloadBytes)
	if c.Proto != flows.TCP {
		return
	}
	s := &r.store
	for d, st := range []*flows.Stats{a, b} {
		s.counters[d] = [6]int64{int64(st.StreamBytes), int64(st.MissingBytes), int64(st.Retransmissions), int64(st.OutOfOrder), int64(st.FINs), int64(st.RSTs)}
	}
	ca, cb := &s.counters[0], &s.counters[1]
	r.AToBStreamBytes, r.AToBMissingBytes, r.AToBRetransmissions, r.AToBOutOfOrder, r.AToBFINs, r.AToBRSTs = &ca[0], &ca[1], &ca[2], &ca[3], &ca[4], &ca[5]
	r.BToAStreamBytes, r.BToAMissingBytes, r.BToARetransmissions, r.BToAOutOfOrder, r.BToAFINs, r.BToARSTs = &cb[0], &cb[1], &cb[2], &cb[3], &cb[4], &cb[5]
	s.syn, s.synack, s.handshake, s.closed = c.TCP.SYN, c.TCP.SYNACK, c.TCP.Handshake, c.TCP.Closed
	r.SYN, r.SYNACK, r.Handshake, r.Closed = &s.syn, &s.synack, &s.handshake, &s.closed
}
