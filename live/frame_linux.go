//go:build linux

package live

import (
	"time"

	"github.com/pcaptool/pcaptool/pkt"
	"golang.org/x/sys/unix"
)

// frameMeta is what the kernel says about a packet besides its bytes, the
// same whichever way it was read: from a ring frame's header and
// sockaddr_ll (TPACKET_V2, TPACKET_V3), or from recvmsg's source address
// and auxiliary data.
type frameMeta struct {
	// sec and nsec are the kernel's timestamp (a time.Time built by
	// the caller would cost a store-forwarding stall per packet).
	sec, nsec int64
	wireLen   int // the packet's length on the wire, link-layer header included for SOCK_RAW
	sll       *unix.RawSockaddrLinklayer
	// vlanValid says the driver stripped a tag (TCI vlanTCI, TPID
	// vlanTPID) that the capture puts back.
	vlanValid bool
	vlanTCI   uint16
	vlanTPID  uint16
}

// setVLAN records the stripped tag as a tpacket header or tpacket_auxdata
// reports it: a zero TCI is valid only with TP_STATUS_VLAN_VALID, and a
// zero TPID means 802.1Q unless TP_STATUS_VLAN_TPID_VALID says otherwise.
func (m *frameMeta) setVLAN(status uint32, tci, tpid uint16) {
	m.vlanValid = tci != 0 || status&unix.TP_STATUS_VLAN_VALID != 0
	m.vlanTCI, m.vlanTPID = tci, etherTypeVLAN
	if tpid != 0 || status&unix.TP_STATUS_VLAN_TPID_VALID != 0 {
		m.vlanTPID = tpid
	}
}

// deliver makes h.pkt of the got packet bytes at buf[at:], applying the
// direction rules first (it reports false for a packet they reject). The
// cooked (LINUX_SLL, LINUX_SLL2) header and a VLAN tag the driver stripped
// are written in front of the packet, in the free bytes before at when
// there are enough of them (a ring frame's gap after its sockaddr_ll, the
// headroom of the recvmsg buffer), as libpcap does; otherwise the packet
// is copied out to h.scratch. Nothing is allocated once h.scratch is large
// enough.
func (h *Handle) deliver(buf []byte, at, free, got int, m *frameMeta) bool {
	sll := m.sll
	pkttype := pkt.PacketType(sll.Pkttype)
	ifIndex := int(sll.Ifindex)
	if !h.wantDirection(ifIndex, pkttype, sll.Hatype) {
		return false
	}
	proto := ntohs(sll.Protocol)
	addr := sll.Addr[:min(int(sll.Halen), sllAddrLen)]
	hdrLen, off := h.cookedLen, h.vlanOff
	insert := m.vlanValid && off >= 0 && got+hdrLen >= off
	room := hdrLen
	if insert {
		room += vlanTagLen
	}
	if free < room {
		if cap(h.scratch) < room+got {
			h.scratch = make([]byte, room+got)
		}
		copy(h.scratch[room:room+got], buf[at:at+got])
		buf, at = h.scratch[:room+got], room
	}
	// buf[start:] is the packet with its cooked header.
	start := at - hdrLen
	switch hdrLen {
	case SLL2HeaderLen:
		putSLL2(buf[start:], proto, ifIndex, sll.Hatype, pkttype, addr)
	case SLLHeaderLen:
		putSLL(buf[start:], proto, sll.Hatype, pkttype, addr)
	}
	got += hdrLen
	wireLen := m.wireLen + hdrLen
	data := buf[start : start+got]
	if insert {
		data = insertVLAN(buf[start-vlanTagLen:], got, off, m.vlanTPID, m.vlanTCI)
		wireLen += vlanTagLen
	}
	if len(data) > h.snaplen {
		data = data[:h.snaplen]
	}
	h.fill(time.Unix(m.sec, m.nsec), wireLen, data, packetInfo{IfIndex: ifIndex, Type: pkttype, Protocol: proto, HardwareType: sll.Hatype, VLANTCI: m.vlanTCI, VLAN: m.vlanValid})
	return true
}
