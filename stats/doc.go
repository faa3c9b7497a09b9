// Package stats computes the statistics tshark's -z option prints: I/O
// statistics per interval (-z io,stat), conversation tables (-z conv,X) and
// endpoint tables (-z endpoints,X) for Ethernet, IPv4, IPv6, TCP and UDP,
// and the distribution of frame lengths. Each is a Collector fed one packet
// at a time (Run reads a whole stream), in one pass, without allocating per
// packet once its row exists: memory grows with the intervals that hold
// packets and with the conversations, never with the packets. Filters are
// pcap-filter expressions compiled by package filter, once per link type.
//
// Tables write themselves as aligned text, JSON or CSV; package plot draws
// them.
//
// # Definitions, and agreement with tshark
//
// The oracle tests compare every row and number with tshark 4.0 on
// generated traffic and on a sample of the tcpdump corpus (all of it with
// PCAPTOOL_STATS_CORPUS=all). The definitions are tshark's:
//
//   - Times are relative to the first packet in file order. io,stat rounds
//     them to the microsecond, half up, and a packet at relative time r
//     falls in interval floor(r/interval). tshark prints duration/interval
//     rows, one more when the duration (the latest relative time, rounded
//     to the microsecond) is not a whole number of intervals; the last row
//     ends at the duration.
//   - Bytes are frame lengths on the wire (frame.len), also for truncated
//     captures. MIN, MAX and AVG are those of frame.len in the column's
//     frames; AVG is rounded down and empty intervals show 0, as tshark's
//     AVG(frame.len) does.
//   - A conversation's A is the source of its first packet; "A→B" counts
//     the frames A sent (tshark's "->" columns), "B→A" the others ("<-").
//     Rel Start is the first packet's relative time (9 decimals in text),
//     Duration the time to its last packet (4 decimals). Endpoints count
//     what they sent (Tx) and received (Rx).
//   - ip and ipv6 count every IP header of a frame, so a tunnelled packet
//     (IP in IP, 6in4, 4in6) counts for its outer and inner addresses, as
//     tshark's taps do; eth counts the outer Ethernet header (VLAN tags
//     skipped); tcp and udp count the transport header after the IPv6
//     extension headers.
//   - TCP conversations are tshark's tcp.stream: a SYN without ACK whose
//     sequence number differs from the first one its side sent starts a new
//     conversation on the same addresses and ports.
//   - An IP datagram in fragments counts for tcp and udp once, on the frame
//     that completes it (the last fragment, with the ports of the first),
//     as tshark's reassembly does; a fragment whose bytes were not all
//     captured is not reassembled by tshark, so a first fragment then
//     counts as a whole datagram. ip and ipv6 count every fragment.
//
// Where we differ on purpose:
//
//   - tshark's io,stat drops a packet that falls exactly on the end of its
//     last row (a capture lasting exactly n intervals loses its last
//     packet); we add one row for it.
//   - tshark's io,stat counts a packet earlier than the latest interval
//     seen (captures out of time order) in that latest interval; we count
//     it in its own interval, and packets earlier than the first packet in
//     intervals before 0 (negative starts). Time-ordered captures get the
//     same rows either way.
//   - tshark 4.0 lists no IPv6 conversation for packets whose only payload
//     is a Mobility header (next header 135); we count them.
//   - tshark's conversation tables print bytes rounded to kB, MB, ...; we
//     print exact byte counts (its endpoint tables are exact too).
//   - Link types: we read Ethernet, raw IP (101, 228, 229), BSD loopback
//     (0, 108), Linux cooked captures (113, 276), Cisco HDLC, PPP, Frame
//     Relay and PKTAP; frames of other link types (ARCnet, Juniper, 802.15.4,
//     ...) count in io,stat but in no conversation table. IP in IP, GRE and
//     PIM Register tunnels are followed; tunnels over UDP (VXLAN, Geneve)
//     and Cisco ISL are not: their inner headers count in no table.
package stats
