//go:build linux

package live

import (
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
	"golang.org/x/sys/unix"
)

// ring is a TPACKET_V3 receive ring: blockNr blocks of blockSize bytes
// shared with the kernel. The kernel fills a block with packets and hands it
// over (block_status |= TP_STATUS_USER) when it is full or when the retire
// timeout expires; the reader gives it back by storing TP_STATUS_KERNEL.
type ring struct {
	mem       []byte
	blockSize int
	blockNr   int
	cur       int  // block being read
	held      bool // cur belongs to us
	left      int  // packets of cur not read yet
	off       int  // offset in cur of the next packet
	waitFn    func(fd uintptr) bool
	scratch   []byte // for frames whose header does not fit in place
}

// Layout of the structures in linux/if_packet.h.
const (
	blockStatusOff   = 8  // tpacket_block_desc.hdr.bh1.block_status
	blockNumPktsOff  = 12 // .num_pkts
	blockFirstPktOff = 16 // .offset_to_first_pkt
	tpacket3HdrLen   = 48 // TPACKET_ALIGN(sizeof(struct tpacket3_hdr))
	sockaddrLLLen    = 20 // sizeof(struct sockaddr_ll)
	ringReserve      = vlanTagLen
)

// setupRing switches the socket to TPACKET_V3 and maps its ring.
func (h *Handle) setupRing(s int) error {
	if err := unix.SetsockoptInt(s, unix.SOL_PACKET, unix.PACKET_VERSION, unix.TPACKET_V3); err != nil {
		return os.NewSyscallError("setsockopt PACKET_VERSION", err)
	}
	// Room in front of each frame to put back a VLAN tag, as libpcap asks.
	if err := unix.SetsockoptInt(s, unix.SOL_PACKET, unix.PACKET_RESERVE, ringReserve); err != nil {
		return os.NewSyscallError("setsockopt PACKET_RESERVE", err)
	}
	page := os.Getpagesize()
	// A block must hold the largest frame plus its headers.
	need := h.snaplen + tpacket3HdrLen + sockaddrLLLen + 64
	blockSize := page
	for blockSize < need && blockSize < 1<<22 {
		blockSize <<= 1
	}
	blockNr := max((h.cfg.BufferSize+blockSize-1)/blockSize, 2) // at least the size asked for
	tov := h.cfg.Timeout
	if h.cfg.Immediate {
		tov = time.Millisecond
	}
	tovMS := max(uint32(tov/time.Millisecond), 1)
	var req unix.TpacketReq3
	for {
		req = unix.TpacketReq3{
			Block_size:     uint32(blockSize),
			Block_nr:       uint32(blockNr),
			Frame_size:     uint32(blockSize),
			Frame_nr:       uint32(blockNr),
			Retire_blk_tov: tovMS,
		}
		err := unix.SetsockoptTpacketReq3(s, unix.SOL_PACKET, unix.PACKET_RX_RING, &req)
		if err == nil {
			break
		}
		if err == unix.ENOMEM && blockNr > 2 {
			blockNr /= 2
			continue
		}
		return os.NewSyscallError("setsockopt PACKET_RX_RING", err)
	}
	mem, err := unix.Mmap(s, 0, blockSize*blockNr, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		return os.NewSyscallError("mmap", err)
	}
	r := &ring{mem: mem, blockSize: blockSize, blockNr: blockNr}
	r.waitFn = func(uintptr) bool { return r.ready() }
	h.ring = r
	h.bufSize = blockSize * blockNr
	return nil
}

func (r *ring) status(block int) *uint32 {
	return (*uint32)(unsafe.Pointer(&r.mem[block*r.blockSize+blockStatusOff]))
}

func (r *ring) ready() bool {
	return atomic.LoadUint32(r.status(r.cur))&unix.TP_STATUS_USER != 0
}

func (r *ring) u32(off int) uint32 {
	return *(*uint32)(unsafe.Pointer(&r.mem[off]))
}

func (r *ring) unmap() {
	if r.mem != nil {
		_ = unix.Munmap(r.mem)
		r.mem = nil
	}
}

var errRingCorrupt = errors.New("live: ring block holds an inconsistent packet header")

// readRing returns the next packet from the ring, waiting for the kernel to
// hand over a block when none is pending. It reports false for a packet the
// direction rules reject.
func (h *Handle) readRing() (bool, error) {
	r := h.ring
	for r.left == 0 {
		if r.held {
			atomic.StoreUint32(r.status(r.cur), unix.TP_STATUS_KERNEL)
			r.held = false
			r.cur = (r.cur + 1) % r.blockNr
		}
		if !r.ready() {
			if h.beforeWait != nil {
				if err := h.beforeWait(); err != nil {
					return false, err
				}
			}
			if err := h.rc.Read(r.waitFn); err != nil {
				return false, err
			}
		}
		base := r.cur * r.blockSize
		r.held = true
		r.left = int(r.u32(base + blockNumPktsOff))
		r.off = int(r.u32(base + blockFirstPktOff))
	}
	base := r.cur * r.blockSize
	pktOff := r.off
	p := base + pktOff
	if r.off < 0 || r.off+tpacket3HdrLen+sockaddrLLLen > r.blockSize {
		r.left = 0
		return false, fmt.Errorf("%w: block %d offset %d", errRingCorrupt, r.cur, r.off)
	}
	hdr := (*unix.Tpacket3Hdr)(unsafe.Pointer(&r.mem[p]))
	sll := (*unix.RawSockaddrLinklayer)(unsafe.Pointer(&r.mem[p+tpacket3HdrLen]))
	r.left--
	if hdr.Next_offset == 0 {
		r.left = 0
	} else {
		r.off += int(hdr.Next_offset)
	}
	mac := int(hdr.Mac)
	got := int(hdr.Snaplen)
	if mac < tpacket3HdrLen+sockaddrLLLen || pktOff+mac+got > r.blockSize {
		r.left = 0
		return false, fmt.Errorf("%w: block %d frame at %d+%d, %d bytes", errRingCorrupt, r.cur, pktOff, mac, got)
	}
	pkttype := pkt.PacketType(sll.Pkttype)
	ifIndex := int(sll.Ifindex)
	if !h.wantDirection(ifIndex, pkttype, sll.Hatype) {
		return false, nil
	}
	wireLen := int(hdr.Len)
	vlanValid := hdr.Hv1.Vlan_tci != 0 || hdr.Status&unix.TP_STATUS_VLAN_VALID != 0
	tci := uint16(hdr.Hv1.Vlan_tci)
	tpid := uint16(etherTypeVLAN)
	if hdr.Hv1.Vlan_tpid != 0 || hdr.Status&unix.TP_STATUS_VLAN_TPID_VALID != 0 {
		tpid = hdr.Hv1.Vlan_tpid
	}
	proto := ntohs(sll.Protocol)
	addr := sll.Addr[:min(int(sll.Halen), sllAddrLen)]

	// Headers are built in the free space between the sockaddr_ll and the
	// frame, as libpcap does; a frame without that room is copied out.
	hdrLen := 0
	switch {
	case h.cooked && h.lt == linktype.LinuxSLL2:
		hdrLen = SLL2HeaderLen
	case h.cooked && h.lt == linktype.LinuxSLL:
		hdrLen = SLLHeaderLen
	}
	off := vlanOffset(h.lt)
	insert := vlanValid && off >= 0 && got+hdrLen >= off
	room := hdrLen
	if insert {
		room += vlanTagLen
	}
	var buf []byte // buf[room:] is the frame
	if mac-room >= tpacket3HdrLen+sockaddrLLLen {
		buf = r.mem[p+mac-room : p+mac+got]
	} else {
		if cap(r.scratch) < room+got {
			r.scratch = make([]byte, room+got)
		}
		buf = r.scratch[:room+got]
		copy(buf[room:], r.mem[p+mac:p+mac+got])
	}
	start := room - hdrLen
	switch hdrLen {
	case SLL2HeaderLen:
		putSLL2(buf[start:], proto, ifIndex, sll.Hatype, pkttype, addr)
	case SLLHeaderLen:
		putSLL(buf[start:], proto, sll.Hatype, pkttype, addr)
	}
	got += hdrLen
	wireLen += hdrLen
	data := buf[start : start+got]
	if insert {
		data = insertVLAN(buf[start-vlanTagLen:], got, off, tpid, tci)
		wireLen += vlanTagLen
	}
	if len(data) > h.snaplen {
		data = data[:h.snaplen]
	}
	ts := time.Unix(int64(hdr.Sec), int64(hdr.Nsec))
	h.fill(ts, wireLen, data, packetInfo{IfIndex: ifIndex, Type: pkttype, Protocol: proto, HardwareType: sll.Hatype, VLANTCI: tci, VLAN: vlanValid})
	return true, nil
}
