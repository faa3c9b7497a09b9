//go:build linux

package live

import (
	"fmt"
	"os"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// frameRing is a TPACKET_V2 receive ring: frameNr frames of frameSize
// bytes, perBlock of them in each block of blockSize bytes. The kernel
// hands every packet over as soon as it has copied it into a frame
// (tp_status |= TP_STATUS_USER) and wakes the reader; the reader gives the
// frame back by storing TP_STATUS_KERNEL. This is libpcap's immediate
// mode: no block to fill or to time out, so no packet waits for others,
// and no system call while packets keep coming.
type frameRing struct {
	mem       []byte
	frameSize int
	perBlock  int
	blockSize int
	frameNr   int
	cur       int  // frame being read
	held      bool // cur belongs to us
	waitFn    func(fd uintptr) bool
}

const (
	tpacket2HdrLen = 32 // TPACKET_ALIGN(sizeof(struct tpacket2_hdr))
	// frameHeadroom bounds where the kernel puts a packet in a frame:
	// after the header and sockaddr_ll, 16 bytes aligned, plus the
	// reserve, less the link-layer header (tpacket_rcv's macoff; it is
	// largest for link-layer headers of 16 bytes or less).
	frameHeadroom = (tpacket2HdrLen+sockaddrLLLen+16+15)&^15 + ringReserve
	// linkOverhead is what a frame holds besides the MTU: an Ethernet
	// header with two VLAN tags and a frame check sequence is 26 bytes.
	linkOverhead = 32
	// defaultFrameMTU sizes the frames of a capture on "any", whose
	// interfaces' MTUs may differ: Ethernet's.
	defaultFrameMTU = 1500
	// frameRingDrain is how long a stopping Session keeps reading a
	// frame ring: enough for the frames it holds, and for a scheduler
	// that runs the reader late.
	frameRingDrain = 20 * time.Millisecond
)

// frameGeometry sizes a TPACKET_V2 ring of at least bufferSize bytes whose
// frames hold packets of up to room bytes. A block is a power-of-two
// number of pages holding whole frames: of the smallest that holds one
// frame and the next three sizes, the one that wastes the smallest share
// (an Ethernet ring gets 5 frames in 8 KiB rather than 2 in 4 KiB, a
// quarter more frames), and the frames share each block evenly.
func frameGeometry(room, bufferSize, page int) (frameSize, perBlock, blockSize, frameNr int) {
	frameSize = (frameHeadroom + room + 15) &^ 15
	smallest := page
	for smallest < frameSize {
		smallest <<= 1
	}
	blockSize = smallest
	for b := smallest << 1; b <= smallest<<3; b <<= 1 {
		if b%frameSize*blockSize < blockSize%frameSize*b {
			blockSize = b
		}
	}
	perBlock = blockSize / frameSize
	frameSize = blockSize / perBlock &^ 15
	blockNr := max((bufferSize+blockSize-1)/blockSize, 1)
	return frameSize, perBlock, blockSize, blockNr * perBlock
}

// setupFrameRing switches the socket to TPACKET_V2 and maps its ring.
//
// libpcap sizes the frames from the snap length, capped for Ethernet by
// the MTU, or by 64 KiB when the interface aggregates packets (GRO, TSO),
// which leaves room for only a few dozen frames in a ring of a few MiB.
// Here a frame holds an MTU-sized packet whatever the offloads, and the
// larger packets aggregation makes are queued whole on the socket
// (PACKET_COPY_THRESH) besides their truncated frame, marked
// TP_STATUS_COPY, and read from there: the ring keeps its thousands of
// frames and no packet is cut short of the snap length as long as the
// socket buffer, as large as the ring, has room for it.
func (h *Handle) setupFrameRing(s int, mtu int) error {
	if err := setRingVersion(s, unix.TPACKET_V2); err != nil {
		return err
	}
	if err := unix.SetsockoptInt(s, unix.SOL_PACKET, unix.PACKET_COPY_THRESH, 1); err != nil {
		return os.NewSyscallError("setsockopt PACKET_COPY_THRESH", err)
	}
	if err := setReceiveBuffer(s, h.cfg.BufferSize); err != nil {
		return err
	}
	if mtu <= 0 {
		mtu = defaultFrameMTU
	}
	frameSize, perBlock, blockSize, frameNr := frameGeometry(min(h.snaplen, mtu+linkOverhead), h.cfg.BufferSize, os.Getpagesize())
	for {
		req := unix.TpacketReq{
			Block_size: uint32(blockSize),
			Block_nr:   uint32(frameNr / perBlock),
			Frame_size: uint32(frameSize),
			Frame_nr:   uint32(frameNr),
		}
		err := unix.SetsockoptTpacketReq(s, unix.SOL_PACKET, unix.PACKET_RX_RING, &req)
		if err == nil {
			break
		}
		if err == unix.ENOMEM && frameNr > 2*perBlock {
			frameNr = frameNr / perBlock / 2 * perBlock
			continue
		}
		return os.NewSyscallError("setsockopt PACKET_RX_RING", err)
	}
	size := frameNr / perBlock * blockSize
	mem, err := unix.Mmap(s, 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED)
	if err != nil {
		return os.NewSyscallError("mmap", err)
	}
	r := &frameRing{mem: mem, frameSize: frameSize, perBlock: perBlock, blockSize: blockSize, frameNr: frameNr}
	r.waitFn = func(uintptr) bool { return r.ready() }
	h.frames = r
	h.bufSize = size
	h.copyFn = h.recvQueued
	return nil
}

// frame returns where frame i starts in the ring.
func (r *frameRing) frame(i int) int {
	return i/r.perBlock*r.blockSize + i%r.perBlock*r.frameSize
}

func (r *frameRing) status() *uint32 {
	return (*uint32)(unsafe.Pointer(&r.mem[r.frame(r.cur)]))
}

func (r *frameRing) ready() bool {
	return atomic.LoadUint32(r.status())&unix.TP_STATUS_USER != 0
}

// readFrameRing returns the next packet from the ring, waiting for the
// kernel to hand one over when none is pending. It reports false for a
// packet the direction rules reject.
func (h *Handle) readFrameRing() (bool, error) {
	r := h.frames
	if r.held {
		atomic.StoreUint32(r.status(), unix.TP_STATUS_KERNEL)
		r.held = false
		r.cur++
		if r.cur == r.frameNr {
			r.cur = 0
		}
	}
	if !r.ready() {
		if err := h.waitRing(r.waitFn); err != nil {
			return false, err
		}
	}
	r.held = true
	p := r.frame(r.cur)
	frame := r.mem[p : p+r.frameSize]
	hdr := (*unix.Tpacket2Hdr)(unsafe.Pointer(&frame[0]))
	mac, got := int(hdr.Mac), int(hdr.Snaplen)
	if mac < tpacket2HdrLen+sockaddrLLLen || mac+got > r.frameSize {
		return false, fmt.Errorf("%w: frame %d: packet at %d, %d bytes", errRingCorrupt, r.cur, mac, got)
	}
	m := frameMeta{
		sec:     int64(hdr.Sec),
		nsec:    int64(hdr.Nsec),
		wireLen: int(hdr.Len),
		sll:     (*unix.RawSockaddrLinklayer)(unsafe.Pointer(&frame[tpacket2HdrLen])),
	}
	m.setVLAN(hdr.Status, hdr.Vlan_tci, hdr.Vlan_tpid)
	if hdr.Status&unix.TP_STATUS_COPY != 0 {
		// The whole packet waits on the socket; the frame holds its start.
		if n, ok := h.readQueued(); ok {
			return h.deliver(h.buf, headroom, headroom, min(n, h.snaplen), &m), nil
		}
	}
	return h.deliver(frame, mac, mac-tpacket2HdrLen-sockaddrLLLen, got, &m), nil
}

// readQueued reads the packet the kernel queued on the socket for a frame
// marked TP_STATUS_COPY and returns its length. It reports false when
// there is none, which the kernel's bookkeeping rules out.
func (h *Handle) readQueued() (int, bool) {
	if h.buf == nil {
		h.setupRecvmsg()
	}
	if err := h.rc.Read(h.copyFn); err != nil || h.readErr != nil {
		h.readErr = nil
		return 0, false
	}
	return h.n, true
}

// recvQueued is the syscall.RawConn read callback of readQueued: one
// recvmsg that never waits.
func (h *Handle) recvQueued(fd uintptr) bool {
	h.msg.Namelen = uint32(unsafe.Sizeof(h.from))
	h.msg.SetControllen(len(h.oob))
	h.msg.Flags = 0
	n, _, errno := unix.Syscall(unix.SYS_RECVMSG, fd, uintptr(unsafe.Pointer(&h.msg)), unix.MSG_TRUNC|unix.MSG_DONTWAIT)
	h.readErr, h.n = nil, int(n)
	if errno != 0 {
		h.readErr = errno
	}
	return true
}
