//go:build linux

package live

import (
	"fmt"
	"net"
	"os"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"github.com/mdlayher/packet"
	"github.com/pcaptool/pcaptool/linktype"
	"golang.org/x/sys/unix"
)

// Injector sends frames on one interface without capturing.
type Injector struct {
	conn *packet.Conn
	rc   syscall.RawConn
	name string
	mtu  int
	hdr  int // link-layer header length the kernel allows on top of the MTU
	lt   linktype.LinkType

	// sendmmsg state, reused from batch to batch.
	msgs  []mmsghdr
	iovs  []unix.Iovec
	batch [][]byte
	first int
	sent  int
	serr  unix.Errno
	sendF func(fd uintptr) bool

	stats injectCounters
}

// mmsghdr is struct mmsghdr of sendmmsg(2); Go pads it as C does.
type mmsghdr struct {
	hdr unix.Msghdr
	len uint32
}

type injectCounters struct {
	truncated, enobufs, eagain atomic.Uint64
}

// OpenInjector opens a socket that sends raw frames (link-layer header
// included) on the named interface and receives nothing.
func OpenInjector(name string) (*Injector, error) {
	if name == AnyDevice {
		return nil, ErrInjectAny
	}
	ifi, err := InterfaceByName(name)
	if err != nil {
		return nil, err
	}
	lt, cooked := LinkTypeForARPHRD(ifi.HardwareType)
	if cooked {
		return nil, fmt.Errorf("live: %s: %w", name, errCookedInject)
	}
	// Protocol 0: the socket is bound for sending but receives no packets.
	conn, err := packet.Listen(&net.Interface{Index: ifi.Index, Name: name}, packet.Raw, 0, nil)
	if err != nil {
		return nil, openError(name, err)
	}
	rc, err := conn.SyscallConn()
	if err != nil {
		conn.Close()
		return nil, openError(name, err)
	}
	i := &Injector{conn: conn, rc: rc, name: name, mtu: ifi.MTU, lt: lt, hdr: linkHeaderLen(lt)}
	i.sendF = i.sendOnce
	// Room for a batch of 64 (a replay's default), written once so that
	// no first send page-faults on it.
	i.msgs, i.iovs = make([]mmsghdr, 64), make([]unix.Iovec, 64)
	for k := range i.msgs {
		i.msgs[k].len, i.iovs[k].Len = 1, 1
	}
	return i, nil
}

// linkHeaderLen is the link-layer header the kernel accepts on top of the
// MTU for a raw packet socket (dev->hard_header_len).
func linkHeaderLen(lt linktype.LinkType) int {
	switch lt {
	case linktype.Ethernet:
		return 14
	}
	return 0
}

// LinkType returns the link-layer header type frames must carry.
func (i *Injector) LinkType() linktype.LinkType { return i.lt }

// MTU returns the interface MTU.
func (i *Injector) MTU() int { return i.mtu }

// Name returns the interface name.
func (i *Injector) Name() string { return i.name }

// MaxFrame returns the largest frame, link-layer header included, the
// kernel sends on the interface: the MTU plus the link-layer header, plus
// four bytes for a frame that carries an 802.1Q tag (as the kernel's
// dev_validate_header allows).
func (i *Injector) MaxFrame(frame []byte) int {
	n := i.mtu + i.hdr
	if i.lt == linktype.Ethernet && len(frame) >= 14 && frame[12] == 0x81 && frame[13] == 0x00 {
		n += vlanTagLen
	}
	return n
}

// Stats returns the counters since OpenInjector.
func (i *Injector) Stats() InjectStats {
	return InjectStats{
		Truncated:      i.stats.truncated.Load(),
		RetriedENOBUFS: i.stats.enobufs.Load(),
		RetriedEAGAIN:  i.stats.eagain.Load(),
	}
}

// WritePacketData sends one frame.
func (i *Injector) WritePacketData(frame []byte) error { return send(i.rc, frame) }

// WriteBatch sends frames in order with as few sendmmsg(2) calls as the
// kernel allows, waiting when the socket buffer or the device queue is full.
// It returns how many frames were sent. When frame n cannot be sent it
// returns n and an error (wrapping ErrFrameTooLarge for a frame larger than
// the interface takes); the caller may skip that frame and go on with the
// rest. WriteBatch keeps no reference to frames after it returns.
func (i *Injector) WriteBatch(frames [][]byte) (int, error) {
	if len(frames) > len(i.msgs) {
		i.msgs = make([]mmsghdr, len(frames))
		i.iovs = make([]unix.Iovec, len(frames))
	}
	for k, f := range frames {
		iov := &i.iovs[k]
		if len(f) > 0 {
			iov.Base = &f[0]
		} else {
			iov.Base = nil
		}
		iov.SetLen(len(f))
		m := &i.msgs[k]
		m.hdr = unix.Msghdr{Iov: iov}
		m.hdr.SetIovlen(1)
		m.len = 0
	}
	done := 0
	var err error
	for done < len(frames) {
		i.batch, i.first = frames[done:], done
		i.sent, i.serr = 0, 0
		if werr := i.rc.Write(i.sendF); werr != nil {
			err = werr
			break
		}
		for k := done; k < done+i.sent; k++ {
			if int(i.msgs[k].len) < len(frames[k]) {
				i.stats.truncated.Add(1)
			}
		}
		done += i.sent
		switch i.serr {
		case 0:
		case unix.ENOBUFS:
			// The device queue is full: give it time to drain, as
			// tcpreplay does, and try again.
			i.stats.enobufs.Add(1)
			time.Sleep(50 * time.Microsecond)
		case unix.EMSGSIZE:
			err = fmt.Errorf("%w (%d bytes, MTU %d)", ErrFrameTooLarge, len(frames[done]), i.mtu)
		default:
			err = os.NewSyscallError("sendmmsg", i.serr)
		}
		if err != nil {
			break
		}
	}
	clear(i.iovs[:len(frames)]) // drop the references to the caller's frames
	i.batch = nil
	return done, err
}

// sendOnce is the syscall.RawConn write callback: one sendmmsg of the
// frames from i.first on. It reports false (wait for room) on EAGAIN.
//
// The socket is non-blocking, so the call is a raw one: it does not tell
// the Go scheduler it may block, which would let the scheduler's monitor
// hand the sender's P to another thread, and wake one, when a send takes
// longer than its 20 µs tick (a replay's timing suffers from both).
func (i *Injector) sendOnce(fd uintptr) bool {
	for {
		n, _, errno := unix.RawSyscall6(unix.SYS_SENDMMSG, fd, uintptr(unsafe.Pointer(&i.msgs[i.first])), uintptr(len(i.batch)), 0, 0, 0)
		switch errno {
		case 0:
			i.sent = int(n)
		case unix.EINTR:
			continue
		case unix.EAGAIN:
			i.stats.eagain.Add(1)
			return false
		default:
			i.serr = errno
		}
		return true
	}
}

// Close closes the socket.
func (i *Injector) Close() error { return i.conn.Close() }
