//go:build linux

package live

import (
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// blockRing is a TPACKET_V3 receive ring: blockNr blocks of blockSize bytes
// shared with the kernel. The kernel fills a block with packets and hands it
// over (block_status |= TP_STATUS_USER) when it is full or when the retire
// timeout expires; the reader gives it back by storing TP_STATUS_KERNEL.
type blockRing struct {
	mem       []byte
	blockSize int
	blockNr   int
	cur       int  // block being read
	held      bool // cur belongs to us
	left      int  // packets of cur not read yet
	off       int  // offset in cur of the next packet
	waitFn    func(fd uintptr) bool
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

// setRingVersion chooses the tpacket header version of the socket's ring.
func setRingVersion(s, version int) error {
	if err := unix.SetsockoptInt(s, unix.SOL_PACKET, unix.PACKET_VERSION, version); err != nil {
		return os.NewSyscallError("setsockopt PACKET_VERSION", err)
	}
	// Room in front of each frame to put back a VLAN tag, as libpcap asks.
	if err := unix.SetsockoptInt(s, unix.SOL_PACKET, unix.PACKET_RESERVE, ringReserve); err != nil {
		return os.NewSyscallError("setsockopt PACKET_RESERVE", err)
	}
	return nil
}

// setupBlockRing switches the socket to TPACKET_V3 and maps its ring.
func (h *Handle) setupBlockRing(s int) error {
	if err := setRingVersion(s, unix.TPACKET_V3); err != nil {
		return err
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
	r := &blockRing{mem: mem, blockSize: blockSize, blockNr: blockNr}
	r.waitFn = func(uintptr) bool { return r.ready() }
	h.blocks = r
	h.bufSize = blockSize * blockNr
	return nil
}

func (r *blockRing) status(block int) *uint32 {
	return (*uint32)(unsafe.Pointer(&r.mem[block*r.blockSize+blockStatusOff]))
}

func (r *blockRing) ready() bool {
	return atomic.LoadUint32(r.status(r.cur))&unix.TP_STATUS_USER != 0
}

func (r *blockRing) u32(off int) uint32 {
	return *(*uint32)(unsafe.Pointer(&r.mem[off]))
}

// unmapRing releases the memory a ring shares with the kernel.
func unmapRing(mem *[]byte) {
	if *mem != nil {
		_ = unix.Munmap(*mem)
		*mem = nil
	}
}

// waitRing waits until ready reports a frame or block handed over to
// user space, running beforeWait first: the reader has caught up with
// the kernel.
func (h *Handle) waitRing(ready func(fd uintptr) bool) error {
	if h.beforeWait != nil {
		if err := h.beforeWait(); err != nil {
			return err
		}
	}
	return h.rc.Read(ready)
}

var errRingCorrupt = errors.New("live: ring holds an inconsistent packet header")

// readBlockRing returns the next packet from the ring, waiting for the kernel to
// hand over a block when none is pending. It reports false for a packet the
// direction rules reject.
func (h *Handle) readBlockRing() (bool, error) {
	r := h.blocks
	for r.left == 0 {
		if r.held {
			atomic.StoreUint32(r.status(r.cur), unix.TP_STATUS_KERNEL)
			r.held = false
			r.cur = (r.cur + 1) % r.blockNr
		}
		if !r.ready() {
			if err := h.waitRing(r.waitFn); err != nil {
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
	m := frameMeta{
		sec:     int64(hdr.Sec),
		nsec:    int64(hdr.Nsec),
		wireLen: int(hdr.Len),
		sll:     (*unix.RawSockaddrLinklayer)(unsafe.Pointer(&r.mem[p+tpacket3HdrLen])),
	}
	m.setVLAN(hdr.Status, uint16(hdr.Hv1.Vlan_tci), hdr.Hv1.Vlan_tpid)
	return h.deliver(r.mem[p:base+r.blockSize], mac, mac-tpacket3HdrLen-sockaddrLLLen, got, &m), nil
}
