// Package live captures packets from network interfaces and injects frames
// into them without cgo and without libpcap.
//
// On Linux it uses AF_PACKET sockets (through github.com/mdlayher/packet for
// the socket itself, the kernel BPF filter, promiscuous mode and the kernel
// counters) and reads them the way libpcap does: through a TPACKET_V3 ring
// mapped into the process, which hands packets over in blocks (the default,
// and the cheapest per packet); through a TPACKET_V2 ring, which hands each
// packet over as soon as it arrives (immediate mode); or, on request, with
// one recvmsg(2) per packet carrying SO_TIMESTAMPNS and PACKET_AUXDATA
// control messages. Whichever way, the same code builds the packet, and
// every packet gets the kernel's nanosecond timestamp, its original length
// (even when a snap length or the filter cut it short), its direction, the
// index of the interface it crossed and, when the driver stripped it, its
// VLAN tag put back into the frame. On other systems every function returns
// [ErrUnsupported].
//
// A [Handle] is a [pkt.Reader]: ReadPacket returns a *pkt.Packet whose
// Data is valid until the next call. Its Length is the original length,
// its Link the kernel's interface index, protocol and packet type
// (direction), and an epb_flags option carries the direction and reception
// type the way pcapng stores them, so a capture can be stored by any
// pkt.Writer:
//
//	h, err := live.Open("eth0", &live.Config{SnapLen: 262144})
//	...
//	defer h.Close()
//	for p, err := range pkt.All(h) { ... }
//
// A Handle is also a gopacket PacketDataSource and ZeroCopyPacketDataSource
// (ReadPacketData, ZeroCopyReadPacketData), for gopacket.NewPacketSource.
// Its kernel filter is set at Open (Config.Filter, compiled by package
// filter or read by filter.ParseDump) so that no packet escapes it, and can be
// replaced later with SetBPF.
//
// Capturing on the pseudo-interface "any" gives LINUX_SLL2 packets whose
// cooked header carries the index of the real interface, as libpcap does.
// Other interfaces are captured with their own link-layer header, the
// ARPHRD_* hardware type mapped to a LINKTYPE_* value as libpcap maps it
// ([LinkTypeForARPHRD]); types libpcap does not know are captured in
// cooked mode (LINUX_SLL).
//
// # Capturing to files
//
// A [Session] does what tcpdump -w does: it writes the packets of a Handle
// to pcap or pcapng files described by an [Output] — tcpdump's rotation by
// size (-C), by time with [Strftime] names (-G) and its file count (-W) —
// or to any pkt.Writer, flushing every second or after every packet,
// until its context is cancelled or a packet count is reached:
//
//	h, err := live.Open("eth0", nil)
//	...
//	defer h.Close()
//	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
//	defer stop()
//	s := &live.Session{Handle: h, Output: live.Output{
//		Name:      "ring.pcapng",
//		FileSize:  100_000_000, // a new file past 100 MB ...
//		FileCount: 10,          // ... in a ring of ten: ring.pcapng0 .. ring.pcapng9
//	}}
//	err = s.Run(ctx)
//
// The pcapng files record the interface's name, description, address,
// filter, timestamp resolution and operating system, and end with an
// Interface Statistics Block of the kernel's counters. A cancelled session
// first drains what the kernel holds, so that the files end with the last
// packet that reached the capture.
//
// # Privileges
//
// Opening a capture needs CAP_NET_RAW; promiscuous mode also needs
// CAP_NET_ADMIN on some kernels. Root is not required: a binary given
// those capabilities with
//
//	setcap cap_net_raw,cap_net_admin+ep ./pcaptool
//
// can capture as an ordinary user. Listing interfaces needs no privilege.
//
// # Closing and timeouts
//
// Break, called from another goroutine, makes a blocked ReadPacket return
// io.EOF: a capture ended by a signal looks like the end of a file to
// pkt.Copy. SetReadDeadline bounds one ReadPacket so a caller can flush its
// output periodically while no packets arrive; Session does both for its
// caller.
package live
