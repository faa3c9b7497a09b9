//go:build linux

package live

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	"github.com/google/gopacket/layers"
	"github.com/mdlayher/packet"
	"github.com/pcaptool/pcaptool/filter"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
	"golang.org/x/sys/unix"
)

const ethPAll = 0x0003 // ETH_P_ALL

// Interfaces lists the interfaces a capture can be opened on, "any" among
// them, in the order tcpdump -D prints them: interfaces that are up and
// running first, "any" before the loopback ones, interfaces that are down
// last.
func Interfaces() ([]Interface, error) {
	ifis, err := net.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("live: listing interfaces: %w", err)
	}
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("live: listing interfaces: %w", os.NewSyscallError("socket", err))
	}
	defer unix.Close(fd)
	out := make([]Interface, 0, len(ifis)+1)
	for _, ifi := range ifis {
		out = append(out, describe(fd, &ifi))
	}
	out = append(out, anyInterface())
	rank := func(i *Interface) int {
		r := 0
		if !i.Up() {
			r += 8
		}
		if !i.Running() {
			r += 4
		}
		if i.Name == AnyDevice {
			r++
		}
		if i.Loopback() {
			r += 2
		}
		return r
	}
	slices.SortStableFunc(out, func(a, b Interface) int { return rank(&a) - rank(&b) })
	return out, nil
}

// InterfaceByName describes one interface; "any" describes the pseudo-interface.
func InterfaceByName(name string) (*Interface, error) {
	if name == AnyDevice {
		i := anyInterface()
		return &i, nil
	}
	ifi, err := net.InterfaceByName(name)
	if err != nil {
		return nil, fmt.Errorf("%w: %s", ErrNoSuchInterface, name)
	}
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, os.NewSyscallError("socket", err)
	}
	defer unix.Close(fd)
	i := describe(fd, ifi)
	return &i, nil
}

func anyInterface() Interface {
	return Interface{
		Name:        AnyDevice,
		Description: anyDescription,
		Flags:       net.FlagUp | net.FlagRunning,
		LinkType:    linktype.LinuxSLL2,
	}
}

// describe fills an Interface from net's view plus the hardware type, which
// only the SIOCGIFHWADDR ioctl reports.
func describe(fd int, ifi *net.Interface) Interface {
	i := Interface{
		Name:         ifi.Name,
		Index:        ifi.Index,
		Flags:        ifi.Flags,
		MTU:          ifi.MTU,
		HardwareAddr: ifi.HardwareAddr,
	}
	if ifr, err := unix.NewIfreq(ifi.Name); err == nil {
		if err := unix.IoctlIfreq(fd, unix.SIOCGIFHWADDR, ifr); err == nil {
			// struct sockaddr's sa_family holds the ARPHRD_* type.
			i.HardwareType = ifr.Uint16()
		}
	}
	i.LinkType, _ = LinkTypeForARPHRD(i.HardwareType)
	if addrs, err := ifi.Addrs(); err == nil {
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok {
				ip, ok := netip.AddrFromSlice(n.IP)
				if !ok {
					continue
				}
				ones, _ := n.Mask.Size()
				i.Addresses = append(i.Addresses, netip.PrefixFrom(ip.Unmap(), ones))
			}
		}
	}
	return i
}

// Handle is an open live capture: a pkt.Reader, a gopacket packet source
// (ReadPacketData, ZeroCopyReadPacketData) and an injector
// (WritePacketData). ReadPacket and WritePacketData must be called from one
// goroutine at a time; Break, Stats, SetBPF, SetFilter and SetReadDeadline
// may be called from any goroutine.
type Handle struct {
	conn    *packet.Conn
	rc      syscall.RawConn
	device  string
	ifIndex int
	loIndex int
	hatype  uint16
	lt      linktype.LinkType
	cooked  bool
	// cookedLen is the length of the cooked header put in front of each
	// packet (0 unless cooked); vlanOff is where a stripped VLAN tag goes
	// back (vlanOffset).
	cookedLen int
	vlanOff   int
	snaplen   int
	mtu       int // sizes the frames of a frame ring
	cfg       Config
	method    Method
	bufSize   int // the kernel buffer in effect, see BufferSize

	pkt      pkt.Packet
	flags    [4]byte
	opts     [1]pkt.Option
	broken   atomic.Bool
	closed   atomic.Bool
	readErr  error
	mu       sync.Mutex // serialises ReadPacket against Close's unmapping
	statsMu  sync.Mutex
	stats    Stats
	ifdrop0  uint64
	ifdropOK bool

	// recvmsg path
	buf    []byte
	oob    []byte
	iov    unix.Iovec
	msg    unix.Msghdr
	from   unix.RawSockaddrLinklayer
	n      int
	oobn   int
	recvFn func(fd uintptr) bool

	// ring paths: one of them is set
	blocks *blockRing
	frames *frameRing
	copyFn func(fd uintptr) bool // reads a packet too large for its frame

	// scratch holds a packet copied out of a ring whose frame has no room
	// in front for the headers that capture puts back.
	scratch []byte

	// beforeWait, when set, runs on the reading goroutine whenever a read
	// is about to wait for packets (a packet-buffered Session flushes).
	beforeWait func() error

	// filter is the user-space side of the filter, nil when the kernel
	// does all the filtering.
	filter  atomic.Pointer[userFilter]
	ifacesP atomic.Pointer[[]pkt.Interface] // replaced by SetBPF
}

// Open starts a capture on the named interface, or on every interface
// when name is "any". A nil cfg means the zero Config.
func Open(name string, cfg *Config) (*Handle, error) {
	var c Config
	if cfg != nil {
		c = *cfg
	}
	if c.SnapLen == 0 {
		c.SnapLen = pkt.DefaultSnapLen
	}
	if c.SnapLen < 0 || c.SnapLen > pkt.DefaultSnapLen {
		return nil, fmt.Errorf("%w: %d (want 1..%d)", ErrSnapLen, c.SnapLen, pkt.DefaultSnapLen)
	}
	if c.BufferSize <= 0 {
		c.BufferSize = DefaultBufferSize
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if len(c.Filter) > 0 {
		if err := filter.Validate(c.Filter); err != nil {
			return nil, err
		}
	}
	h := &Handle{device: name, cfg: c, snaplen: c.SnapLen, method: c.Method}
	if h.method == MethodAuto {
		h.method = MethodRing
		if c.Immediate {
			h.method = MethodFrameRing
		}
	}
	ifi, err := InterfaceByName(name)
	if err != nil {
		return nil, err
	}
	if name == AnyDevice {
		h.cooked, h.lt = true, linktype.LinuxSLL2
	} else {
		h.ifIndex, h.hatype, h.mtu = ifi.Index, ifi.HardwareType, ifi.MTU
		h.lt, h.cooked = LinkTypeForARPHRD(ifi.HardwareType)
	}
	h.vlanOff = vlanOffset(h.lt)
	switch {
	case h.cooked && h.lt == linktype.LinuxSLL2:
		h.cookedLen = SLL2HeaderLen
	case h.cooked && h.lt == linktype.LinuxSLL:
		h.cookedLen = SLLHeaderLen
	}
	// A cooked capture must keep at least its header and one byte.
	if h.cooked && h.snaplen < SLL2HeaderLen+1 {
		h.snaplen = SLL2HeaderLen + 1
	}
	typ := packet.Raw
	if h.cooked {
		typ = packet.Datagram
	}
	proto := int(c.Protocol)
	if proto == 0 {
		proto = ethPAll
	}
	kernelFilter, uf, err := h.filters(c.Filter)
	if err != nil {
		return nil, err
	}
	h.filter.Store(uf)
	conn, err := packet.Listen(&net.Interface{Index: h.ifIndex, Name: name}, typ, proto, &packet.Config{Filter: kernelFilter})
	if err != nil {
		return nil, openError(name, err)
	}
	h.conn = conn
	if h.rc, err = conn.SyscallConn(); err != nil {
		conn.Close()
		return nil, openError(name, err)
	}
	if err := h.setup(); err != nil {
		h.Close()
		return nil, openError(name, err)
	}
	h.ifacesP.Store(&[]pkt.Interface{interfaceDescription(ifi, h.lt, h.snaplen, c.FilterText)})
	h.opts[0] = pkt.Option{Code: pkt.OptEPBFlags, Value: h.flags[:]}
	h.readIfDrops(true)
	return h, nil
}

func openError(name string, err error) error {
	if errors.Is(err, unix.EPERM) || errors.Is(err, unix.EACCES) {
		return fmt.Errorf("live: %s: %w", name, ErrPermission)
	}
	if errors.Is(err, unix.ENODEV) || errors.Is(err, unix.ENXIO) {
		return fmt.Errorf("%w: %s", ErrNoSuchInterface, name)
	}
	return fmt.Errorf("live: %s: %w", name, err)
}

// setup configures the bound socket: promiscuous mode, auxiliary data,
// timestamps, and the ring or the receive buffer.
func (h *Handle) setup() error {
	if h.device != AnyDevice && !h.cfg.NoPromiscuous {
		if err := h.conn.SetPromiscuous(true); err != nil {
			return err
		}
	}
	var serr error
	err := h.rc.Control(func(fd uintptr) {
		s := int(fd)
		h.loIndex = -1
		if ifr, err := unix.NewIfreq("lo"); err == nil {
			if err := unix.IoctlIfreq(s, unix.SIOCGIFINDEX, ifr); err == nil {
				h.loIndex = int(ifr.Uint32())
			}
		}
		if err := unix.SetsockoptInt(s, unix.SOL_PACKET, unix.PACKET_AUXDATA, 1); err != nil && err != unix.ENOPROTOOPT {
			serr = os.NewSyscallError("setsockopt PACKET_AUXDATA", err)
			return
		}
		switch h.method {
		case MethodRing:
			serr = h.setupBlockRing(s)
			return
		case MethodFrameRing:
			serr = h.setupFrameRing(s, h.mtu)
			return
		}
		if err := unix.SetsockoptInt(s, unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1); err != nil {
			serr = os.NewSyscallError("setsockopt SO_TIMESTAMPNS", err)
			return
		}
		if serr = setReceiveBuffer(s, h.cfg.BufferSize); serr != nil {
			return
		}
		// Linux doubles the value asked for to allow for its own
		// bookkeeping and reports the doubled size.
		if got, err := unix.GetsockoptInt(s, unix.SOL_SOCKET, unix.SO_RCVBUF); err == nil {
			h.bufSize = got / 2
		}
	})
	if err != nil {
		return err
	}
	if serr != nil {
		return serr
	}
	if h.method == MethodRecvmsg {
		h.setupRecvmsg()
	}
	return nil
}

// setReceiveBuffer sets the socket's receive buffer. SO_RCVBUFFORCE passes
// the rmem_max limit with CAP_NET_ADMIN; without it SO_RCVBUF gives what the
// limit allows.
func setReceiveBuffer(s, size int) error {
	if err := unix.SetsockoptInt(s, unix.SOL_SOCKET, unix.SO_RCVBUFFORCE, size); err != nil {
		if err := unix.SetsockoptInt(s, unix.SOL_SOCKET, unix.SO_RCVBUF, size); err != nil {
			return os.NewSyscallError("setsockopt SO_RCVBUF", err)
		}
	}
	return nil
}

// headroom is room before the frame for a cooked header and a VLAN tag.
const headroom = SLL2HeaderLen + vlanTagLen

func (h *Handle) setupRecvmsg() {
	h.buf = make([]byte, headroom+h.snaplen)
	h.oob = make([]byte, 128)
	h.iov.Base = &h.buf[headroom]
	h.iov.SetLen(h.snaplen)
	h.msg.Name = (*byte)(unsafe.Pointer(&h.from))
	h.msg.Iov = &h.iov
	h.msg.SetIovlen(1)
	h.msg.Control = &h.oob[0]
	h.recvFn = h.recvOnce
}

// recvOnce is the syscall.RawConn read callback: one non-blocking recvmsg.
func (h *Handle) recvOnce(fd uintptr) bool {
	h.msg.Namelen = uint32(unsafe.Sizeof(h.from))
	h.msg.SetControllen(len(h.oob))
	h.msg.Flags = 0
	n, _, errno := unix.Syscall(unix.SYS_RECVMSG, fd, uintptr(unsafe.Pointer(&h.msg)), unix.MSG_TRUNC|unix.MSG_DONTWAIT)
	if errno == unix.EAGAIN && h.beforeWait != nil {
		if err := h.beforeWait(); err != nil {
			h.readErr = err
			return true
		}
	}
	if errno == unix.EAGAIN || errno == unix.EINTR {
		return false
	}
	if errno != 0 {
		h.readErr = os.NewSyscallError("recvmsg", errno)
		return true
	}
	h.readErr = nil
	h.n = int(n)
	h.oobn = int(h.msg.Controllen)
	return true
}

// LinkType returns the link-layer header type of the captured packets in
// gopacket's representation, as every packet source of this module does;
// Interfaces()[0].LinkType holds it in full (gopacket's type stops at 255).
func (h *Handle) LinkType() layers.LinkType {
	lt, _ := h.lt.Layers()
	return lt
}

// BufferSize returns the kernel buffer in effect, in bytes: the ring's size,
// or the socket receive buffer for MethodRecvmsg. It can be smaller than
// Config.BufferSize: the kernel halves a ring it has no memory for, and
// without CAP_NET_ADMIN (in the initial user namespace, which containers
// lack) a socket buffer is capped by net.core.rmem_max.
func (h *Handle) BufferSize() int { return h.bufSize }

// SnapLen returns the snap length in effect.
func (h *Handle) SnapLen() int { return h.snaplen }

// Method returns how packets are read.
func (h *Handle) Method() Method { return h.method }

// Interfaces implements pkt.Reader: one interface, the one captured on.
func (h *Handle) Interfaces() []pkt.Interface { return *h.ifacesP.Load() }

// SetReadDeadline makes ReadPacket return an error wrapping
// os.ErrDeadlineExceeded when no packet arrives before t; the zero time
// removes the deadline.
func (h *Handle) SetReadDeadline(t time.Time) error {
	if h.broken.Load() {
		return nil
	}
	return h.conn.SetReadDeadline(t)
}

// Break makes a blocked or future ReadPacket return io.EOF, like
// pcap_breakloop. It is safe to call from another goroutine (a signal
// handler, say) while ReadPacket runs, and leaves the data of the last
// packet valid, unlike Close.
func (h *Handle) Break() {
	h.broken.Store(true)
	_ = h.conn.SetReadDeadline(time.Unix(1, 0))
}

// ReadPacket waits for the next packet and returns it. The packet and its
// Data are valid until the next call or Close. After Break or Close it
// returns io.EOF.
func (h *Handle) ReadPacket() (*pkt.Packet, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for {
		if h.broken.Load() || h.closed.Load() {
			return nil, io.EOF
		}
		var ok bool
		var err error
		switch {
		case h.frames != nil:
			ok, err = h.readFrameRing()
		case h.blocks != nil:
			ok, err = h.readBlockRing()
		default:
			ok, err = h.readRecvmsg()
		}
		if err != nil {
			if h.broken.Load() || h.closed.Load() || errors.Is(err, net.ErrClosed) {
				return nil, io.EOF
			}
			return nil, err
		}
		if ok && h.userFiltered() {
			return &h.pkt, nil
		}
	}
}

// wantDirection applies the loopback rule and the Direction setting, as
// libpcap's linux_check_direction does.
func (h *Handle) wantDirection(ifIndex int, t pkt.PacketType, hatype uint16) bool {
	if t == pkt.PacketOutgoing {
		// Loopback (and CAN) frames are seen again as incoming.
		if ifIndex == h.loIndex {
			return false
		}
		if hatype == arphrdCAN && h.cfg.Direction != DirectionOut {
			return false
		}
		return h.cfg.Direction != DirectionIn
	}
	return h.cfg.Direction != DirectionOut
}

func (h *Handle) readRecvmsg() (bool, error) {
	if err := h.rc.Read(h.recvFn); err != nil {
		return false, err
	}
	if h.readErr != nil {
		return false, h.readErr
	}
	from := &h.from
	if !h.wantDirection(int(from.Ifindex), pkt.PacketType(from.Pkttype), from.Hatype) {
		return false, nil
	}
	m := frameMeta{wireLen: h.n, sll: from} // MSG_TRUNC: n is the frame's real length
	got := min(h.n, h.snaplen)
	oob := h.oob[:h.oobn]
	for len(oob) >= unix.SizeofCmsghdr {
		cm := (*unix.Cmsghdr)(unsafe.Pointer(&oob[0]))
		l := int(cm.Len)
		if l < unix.SizeofCmsghdr || l > len(oob) {
			break
		}
		data := oob[unix.SizeofCmsghdr:l]
		switch {
		case cm.Level == unix.SOL_SOCKET && cm.Type == unix.SCM_TIMESTAMPNS && len(data) >= int(unsafe.Sizeof(unix.Timespec{})):
			tsp := (*unix.Timespec)(unsafe.Pointer(&data[0]))
			m.sec, m.nsec = int64(tsp.Sec), int64(tsp.Nsec)
		case cm.Level == unix.SOL_PACKET && cm.Type == unix.PACKET_AUXDATA && len(data) >= int(unsafe.Sizeof(unix.TpacketAuxdata{})):
			aux := (*unix.TpacketAuxdata)(unsafe.Pointer(&data[0]))
			m.wireLen = int(aux.Len)
			got = min(got, int(aux.Snaplen))
			m.setVLAN(aux.Status, aux.Vlan_tci, aux.Vlan_tpid)
		}
		next := cmsgAlign(l)
		if next >= len(oob) {
			break
		}
		oob = oob[next:]
	}
	if m.sec == 0 && m.nsec == 0 {
		now := time.Now()
		m.sec, m.nsec = now.Unix(), int64(now.Nanosecond())
	}
	return h.deliver(h.buf, headroom, headroom, got, &m), nil
}

func (h *Handle) fill(ts time.Time, wireLen int, data []byte, info packetInfo) {
	flags := info.Type.EPBFlags()
	h.flags[0], h.flags[1], h.flags[2], h.flags[3] = byte(flags), byte(flags>>8), byte(flags>>16), byte(flags>>24)
	h.pkt = pkt.Packet{
		Timestamp: ts,
		Length:    max(wireLen, len(data)),
		Data:      data,
		Options:   h.opts[:],
		Link: pkt.LinkInfo{
			Valid:    true,
			IfIndex:  int32(info.IfIndex),
			Protocol: info.Protocol,
			Type:     info.Type,
		},
	}
}

func cmsgAlign(n int) int {
	const a = int(unsafe.Sizeof(uintptr(0)))
	return (n + a - 1) &^ (a - 1)
}

func ntohs(v uint16) uint16 {
	b := (*[2]byte)(unsafe.Pointer(&v))
	return uint16(b[0])<<8 | uint16(b[1])
}

// Stats returns the counters since Open. Like libpcap's, Received and
// Dropped include packets still waiting in the kernel buffer.
func (h *Handle) Stats() (Stats, error) {
	h.statsMu.Lock()
	defer h.statsMu.Unlock()
	if h.closed.Load() {
		return h.stats, nil
	}
	if err := h.pollStats(); err != nil {
		return h.stats, err
	}
	return h.stats, nil
}

// pollStats adds the kernel counters, which reading resets, to h.stats.
func (h *Handle) pollStats() error {
	ks, err := h.conn.Stats()
	if err != nil {
		return fmt.Errorf("live: %s: statistics: %w", h.device, err)
	}
	h.stats.Received += uint64(ks.Packets)
	h.stats.Dropped += uint64(ks.Drops)
	h.stats.Freezes += uint64(ks.FreezeQueueCount)
	h.readIfDrops(false)
	return nil
}

// readIfDrops records the interface's own drop counters, as libpcap reads
// them from sysfs. The index check skips a sysfs that belongs to another
// network namespace than the socket's.
func (h *Handle) readIfDrops(first bool) {
	if h.device == AnyDevice {
		return
	}
	dir := "/sys/class/net/" + h.device
	idx, err := readSysfsUint(dir + "/ifindex")
	if err != nil || int(idx) != h.ifIndex {
		return
	}
	missed, err1 := readSysfsUint(dir + "/statistics/rx_missed_errors")
	fifo, err2 := readSysfsUint(dir + "/statistics/rx_fifo_errors")
	if err1 != nil || err2 != nil {
		return
	}
	total := missed + fifo
	if first {
		h.ifdrop0, h.ifdropOK = total, true
		return
	}
	if h.ifdropOK && total >= h.ifdrop0 {
		h.stats.InterfaceDropped = total - h.ifdrop0
	}
}

func readSysfsUint(path string) (uint64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	return strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
}

// WritePacketData injects one frame, link-layer header included, on the
// captured interface, as pcap_inject does. Cooked captures ("any", and
// interfaces without a usable link-layer header) cannot inject.
func (h *Handle) WritePacketData(frame []byte) error {
	if h.cooked {
		return fmt.Errorf("live: %s: %w", h.device, errCookedInject)
	}
	return send(h.rc, frame)
}

var errCookedInject = errors.New("sending packets isn't supported in cooked mode")

// send writes a frame with write(2), waiting for room in the socket buffer.
func send(rc syscall.RawConn, frame []byte) error {
	var werr error
	err := rc.Write(func(fd uintptr) bool {
		_, werr = unix.Write(int(fd), frame)
		return werr != unix.EAGAIN
	})
	if err != nil {
		return err
	}
	if werr == unix.EMSGSIZE {
		return fmt.Errorf("%w (%d bytes)", ErrFrameTooLarge, len(frame))
	}
	if werr != nil {
		return os.NewSyscallError("write", werr)
	}
	return nil
}

// Close stops the capture and releases the socket and the ring. The data
// of the last packet becomes invalid; to stop a ReadPacket running in
// another goroutine use Break, then Close from the reading goroutine.
func (h *Handle) Close() error {
	if h.closed.Swap(true) {
		return nil
	}
	h.statsMu.Lock()
	_ = h.pollStats()
	h.statsMu.Unlock()
	err := h.conn.Close()
	h.mu.Lock()
	if h.blocks != nil {
		unmapRing(&h.blocks.mem)
	}
	if h.frames != nil {
		unmapRing(&h.frames.mem)
	}
	h.mu.Unlock()
	return err
}

// OSDescription names the running system as pcapng's shb_os records it:
// the kernel name and release ("Linux 6.1.0").
func OSDescription() string {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return "Linux"
	}
	return unix.ByteSliceToString(u.Sysname[:]) + " " + unix.ByteSliceToString(u.Release[:])
}

// drainTime is how long a stopping Session keeps reading: a ring retires a
// block at the latest two batching timeouts after it filled, so stopping at
// once would lose the last packets. recvmsg has nothing to wait for.
func (h *Handle) drainTime() time.Duration {
	switch h.method {
	case MethodRecvmsg:
		return 0
	case MethodFrameRing:
		return frameRingDrain
	}
	tov := h.cfg.Timeout
	if h.cfg.Immediate {
		tov = time.Millisecond
	}
	return 2*tov + 50*time.Millisecond
}
