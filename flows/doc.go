// Package flows follows TCP and UDP conversations through a stream of
// packets: 5-tuple, packets and bytes each way (frame lengths, as tshark's
// conversation tables count them), start and duration, and for TCP the
// handshake, FINs, resets, retransmissions, out-of-order segments and bytes
// lost before capture.
//
// IPv4 fragments are reassembled first (gopacket's ip4defrag); every
// fragment counts for the conversation of its datagram. TCP streams are
// reassembled with gopacket's reassembly package, each conversation its own
// stream, so a conversation that reuses the ports of a closed one starts
// afresh; a StreamHandler (such as Exporter, which writes each direction
// to a file) receives the bytes in order.
//
// Memory is bounded by the open conversations: a Tracker reports each
// conversation to Config.OnEnd once it has been closed for ClosedTimeout or
// idle for IdleTimeout of capture time, and forgets it. Reassembly buffers
// at most Config.MaxBufferedPages pages of out-of-order data.
//
// Conversation IDs count from 0 per protocol in order of first packet, as
// tshark's tcp.stream and udp.stream do, so that
// tshark -z follow,tcp,raw,ID shows the same stream.
package flows
