package live

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
	"golang.org/x/net/bpf"
)

// AnyDevice is the name of the pseudo-interface that captures on every
// interface at once, as libpcap names it.
const AnyDevice = "any"

// DefaultBufferSize is the kernel buffer used when Config.BufferSize is zero,
// libpcap's default of 2 MiB.
const DefaultBufferSize = 2 << 20

// DefaultTimeout is the batching timeout used when Config.Timeout is zero and
// immediate mode is off; tcpdump uses the same 1 second.
const DefaultTimeout = time.Second

// Sentinel errors.
var (
	// ErrUnsupported is returned on systems without AF_PACKET sockets.
	ErrUnsupported = errors.New("live: live capture is not supported on this operating system")
	// ErrNoSuchInterface reports an interface name that does not exist.
	ErrNoSuchInterface = errors.New("live: no such interface")
	// ErrPermission reports a missing CAP_NET_RAW (or CAP_NET_ADMIN for
	// promiscuous mode).
	ErrPermission = errors.New("live: permission denied (CAP_NET_RAW, and CAP_NET_ADMIN for promiscuous mode, are required)")
	// ErrSnapLen reports a snap length outside 1..262144.
	ErrSnapLen = errors.New("live: snap length out of range")
	// ErrFrameTooLarge reports an injected frame larger than the interface accepts.
	ErrFrameTooLarge = errors.New("live: frame too large for the interface")
	// ErrInjectAny reports an attempt to inject on the "any" pseudo-interface.
	ErrInjectAny = errors.New("live: cannot inject on the \"any\" pseudo-interface")
)

// Interface describes a network interface that can be captured on.
type Interface struct {
	Name string
	// Index is the kernel's interface index; 0 for the "any" pseudo-interface.
	Index int
	// Description is libpcap's description for pseudo-interfaces, "" otherwise.
	Description string
	Flags       net.Flags
	MTU         int
	// HardwareAddr is the link-layer address, nil when the link has none.
	HardwareAddr net.HardwareAddr
	// Addresses are the interface's IP addresses with their prefix lengths.
	Addresses []netip.Prefix
	// HardwareType is the ARPHRD_* value the kernel reports.
	HardwareType uint16
	// LinkType is the link-layer header type a capture on the interface
	// records (see LinkTypeForARPHRD).
	LinkType linktype.LinkType
}

// Up, Running and Loopback report the interface flags.
func (i *Interface) Up() bool       { return i.Flags&net.FlagUp != 0 }
func (i *Interface) Running() bool  { return i.Flags&net.FlagRunning != 0 }
func (i *Interface) Loopback() bool { return i.Flags&net.FlagLoopback != 0 }

// FlagWords returns the words tcpdump -D prints in brackets: Up, Running,
// Loopback, and the connection status Connected or Disconnected for
// interfaces that have one.
func (i *Interface) FlagWords() []string {
	var w []string
	if i.Up() {
		w = append(w, "Up")
	}
	if i.Running() {
		w = append(w, "Running")
	}
	if i.Loopback() {
		w = append(w, "Loopback")
	}
	if !i.Loopback() && i.Name != AnyDevice && i.Up() {
		if i.Running() {
			w = append(w, "Connected")
		} else {
			w = append(w, "Disconnected")
		}
	}
	return w
}

// Direction selects which packets a capture sees, like tcpdump -Q.
type Direction uint8

// Directions.
const (
	DirectionInOut Direction = iota // packets sent and received (the default)
	DirectionIn                     // packets received only
	DirectionOut                    // packets sent only
)

// ParseDirection accepts tcpdump -Q's words: in, out, inout.
func ParseDirection(s string) (Direction, error) {
	switch strings.ToLower(s) {
	case "", "inout":
		return DirectionInOut, nil
	case "in":
		return DirectionIn, nil
	case "out":
		return DirectionOut, nil
	}
	return 0, errors.New("live: direction must be in, out or inout")
}

// Method is how packets are read from the kernel.
type Method uint8

// Methods.
const (
	// MethodAuto picks MethodRing, or MethodFrameRing in immediate mode.
	MethodAuto Method = iota
	// MethodRing reads a TPACKET_V3 ring shared with the kernel: packets
	// are handed over in blocks, which is cheaper per packet but delays
	// delivery until a block fills or the batching timeout retires it
	// (1 ms in immediate mode). Every timeout retires a block however
	// few packets it holds, so at low rates a ring of a few large blocks
	// (a block holds a packet of the snap length) holds only a few
	// milliseconds of traffic for a reader that stalls.
	MethodRing
	// MethodRecvmsg reads one packet per recvmsg(2): every packet is
	// delivered at once, at the cost of a system call and a copy each,
	// so under a flood it drops most packets (bench/capture-flood.sh).
	MethodRecvmsg
	// MethodFrameRing reads a TPACKET_V2 ring of fixed-size frames, as
	// libpcap's immediate mode does: the kernel hands each packet over
	// as soon as it is in its frame, and the reader makes no system call
	// while packets keep coming. A frame holds a packet of the
	// interface's MTU (1500 bytes for "any"); larger ones, which receive
	// offloads make, are read whole from the socket buffer.
	MethodFrameRing
)

// ParseMethod accepts the words Method.String returns: auto (or ""), ring,
// frame-ring and recvmsg.
func ParseMethod(s string) (Method, error) {
	switch strings.ToLower(s) {
	case "", "auto":
		return MethodAuto, nil
	case "ring":
		return MethodRing, nil
	case "recvmsg":
		return MethodRecvmsg, nil
	case "frame-ring":
		return MethodFrameRing, nil
	}
	return 0, errors.New("live: method must be ring, frame-ring, recvmsg or auto")
}

func (m Method) String() string {
	switch m {
	case MethodRing:
		return "ring"
	case MethodRecvmsg:
		return "recvmsg"
	case MethodFrameRing:
		return "frame-ring"
	}
	return "auto"
}

// Config holds the options of a capture. The zero value captures whole
// packets in promiscuous mode with a 2 MiB buffer and a 1 s batching timeout.
type Config struct {
	// SnapLen is the largest number of bytes kept per packet, including
	// the link-layer header; 0 means pkt.DefaultSnapLen.
	SnapLen int
	// NoPromiscuous leaves the interface out of promiscuous mode (tcpdump -p).
	NoPromiscuous bool
	// Filter is a classic BPF program attached in the kernel before the
	// socket is bound, so that no packet escapes it. Its return values
	// truncate packets as tcpdump's do.
	Filter []bpf.RawInstruction
	// FilterText is the expression Filter was compiled from; it is only
	// recorded (pcapng if_filter).
	FilterText string
	// Direction selects incoming, outgoing or both.
	Direction Direction
	// BufferSize is the kernel buffer in bytes: the ring size (rounded up
	// to whole blocks), or SO_RCVBUF for MethodRecvmsg. A frame ring
	// (MethodFrameRing) also gets a socket buffer of this size for the
	// packets too large for a frame. 0 means
	// DefaultBufferSize. Handle.BufferSize tells what the kernel granted.
	BufferSize int
	// Immediate delivers every packet as soon as it arrives.
	Immediate bool
	// Timeout is how long the ring may hold packets before handing them
	// over; 0 means DefaultTimeout. Ignored in immediate mode.
	Timeout time.Duration
	// Method chooses how packets are read; the zero value picks.
	Method Method
	// Protocol is the EtherType to capture (ETH_P_*); 0 means all.
	Protocol uint16
}

// packetInfo is what the kernel said about a packet; ReadPacket passes the
// interface index, protocol and type on in pkt.Packet.Link.
type packetInfo struct {
	// IfIndex is the kernel index of the interface the packet crossed.
	IfIndex int
	Type    pkt.PacketType
	// Protocol is the EtherType (sll_protocol), host byte order.
	Protocol uint16
	// HardwareType is the ARPHRD_* type of the interface.
	HardwareType uint16
	// VLANTCI is the tag the driver stripped and the capture put back;
	// valid when VLAN is true.
	VLANTCI uint16
	VLAN    bool
}

// Stats are the capture counters, as libpcap's struct pcap_stat.
type Stats struct {
	// Received counts packets that passed the filter, including those
	// later dropped for lack of buffer space (ps_recv).
	Received uint64
	// Dropped counts packets that passed the filter but found no room in
	// the buffer (ps_drop).
	Dropped uint64
	// InterfaceDropped counts packets the interface dropped since the
	// capture started: rx_missed_errors + rx_fifo_errors (ps_ifdrop).
	InterfaceDropped uint64
	// Freezes counts how often the TPACKET_V3 ring was full.
	Freezes uint64
}

// InjectStats counts what the sends of an Injector ran into, as tcpreplay's
// "Statistics for network device" lines do.
type InjectStats struct {
	// Truncated counts frames the kernel sent shorter than given.
	Truncated uint64
	// RetriedENOBUFS counts sends retried because the device queue was full.
	RetriedENOBUFS uint64
	// RetriedEAGAIN counts waits for room in the socket's send buffer.
	RetriedEAGAIN uint64
}

// SLL header sizes and the cooked-mode link-layer address length.
const (
	SLLHeaderLen  = 16
	SLL2HeaderLen = 20
	sllAddrLen    = 8
	vlanTagLen    = 4
	ethAddrsLen   = 12
	etherTypeVLAN = 0x8100
)

// putSLL2 writes a LINUX_SLL2 header into b[:20].
func putSLL2(b []byte, protocol uint16, ifIndex int, hatype uint16, pkttype pkt.PacketType, addr []byte) {
	binary.BigEndian.PutUint16(b[0:], protocol)
	b[2], b[3] = 0, 0
	binary.BigEndian.PutUint32(b[4:], uint32(ifIndex))
	binary.BigEndian.PutUint16(b[8:], hatype)
	b[10] = byte(pkttype)
	n := min(len(addr), sllAddrLen)
	b[11] = byte(n)
	copy(b[12:20], addr[:n])
	clear(b[12+n : 20])
}

// putSLL writes a LINUX_SLL (v1) header into b[:16].
func putSLL(b []byte, protocol uint16, hatype uint16, pkttype pkt.PacketType, addr []byte) {
	binary.BigEndian.PutUint16(b[0:], uint16(pkttype))
	binary.BigEndian.PutUint16(b[2:], hatype)
	n := min(len(addr), sllAddrLen)
	binary.BigEndian.PutUint16(b[4:], uint16(n))
	copy(b[6:14], addr[:n])
	clear(b[6+n : 14])
	binary.BigEndian.PutUint16(b[14:], protocol)
}

// vlanOffset is where libpcap inserts a VLAN tag the driver stripped: before
// the type field. -1 means tags are not re-inserted for this link type.
func vlanOffset(lt linktype.LinkType) int {
	switch lt {
	case linktype.Ethernet:
		return ethAddrsLen
	case linktype.LinuxSLL:
		return SLLHeaderLen - 2
	}
	return -1
}

// insertVLAN puts a 4-byte tag at off in the frame that starts at buf[4:]
// and is n bytes long, moving the first off bytes back by four, and returns
// the frame, now starting at buf[0:]. The caller reserved buf[0:4].
func insertVLAN(buf []byte, n, off int, tpid, tci uint16) []byte {
	copy(buf[0:off], buf[vlanTagLen:vlanTagLen+off])
	binary.BigEndian.PutUint16(buf[off:], tpid)
	binary.BigEndian.PutUint16(buf[off+2:], tci)
	return buf[:n+vlanTagLen]
}

// interfaceDescription builds the pkt.Interface a capture reports, with
// the options pcapng's if_name, if_description, if_MACaddr, if_filter and
// if_os carry (if_tsresol comes from Resolution).
func interfaceDescription(ifi *Interface, lt linktype.LinkType, snaplen int, filter string) pkt.Interface {
	ifc := pkt.Interface{
		LinkType:   lt,
		SnapLen:    uint32(snaplen),
		Resolution: pkt.Nanosecond,
		FCSLen:     -1,
	}
	add := func(code pkt.OptionCode, v []byte) {
		ifc.Options = append(ifc.Options, pkt.Option{Code: code, Value: v})
	}
	add(pkt.OptIfName, []byte(ifi.Name))
	description := ifi.Description
	if description == "" {
		description = fmt.Sprintf("%s, index %d, MTU %d", lt.Description(), ifi.Index, ifi.MTU)
	}
	add(pkt.OptIfDescription, []byte(description))
	if len(ifi.HardwareAddr) == 6 {
		add(pkt.OptIfMACAddr, slices.Clone(ifi.HardwareAddr))
	}
	if filter != "" {
		// if_filter: first byte 0 = libpcap filter string.
		add(pkt.OptIfFilter, append([]byte{0}, filter...))
	}
	add(pkt.OptIfOS, []byte(OSDescription()))
	return ifc
}

// anyDescription is libpcap's description of the "any" pseudo-interface.
const anyDescription = "Pseudo-device that captures on all interfaces"
