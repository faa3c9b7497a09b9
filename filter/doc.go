// Package filter compiles pcap-filter expressions (the tcpdump filter
// language, pcap-filter(7)) into classic BPF programs without libpcap or
// cgo, and runs them.
//
// Parse builds a tree from an expression, following libpcap 1.10's
// grammar: its scanner's tokens, "and" and "or" with equal precedence
// from left to right, qualifier inheritance ("host a or b",
// "tcp port 80 or 443") and its quirks ('%' and '^' take everything to
// their right). Errors are *SyntaxError values carrying the offset.
//
// Compile generates code as libpcap's gencode does for every link type
// libpcap 1.10 compiles for: Ethernet, Linux cooked v1 and v2, raw IP,
// NULL and LOOP (IPv4 port tests only on first fragments, IPv6 fragment
// headers for "ip6 proto", VLAN, MPLS and PPPoE offsets that move for
// what follows); 802.11 with or without a radiotap header, whose header
// lengths are computed into scratch registers at the start of the
// program as libpcap does (QoS data frames, radiotap padding), with the
// type, subtype, dir and wlan address primitives and radio[] loads; PPP,
// PPP in HDLC framing, Cisco HDLC, SLIP, ATM (RFC 1483, CLIP, and SunATM
// with vpi, vci, lane, oam and the signalling keywords), Frame Relay,
// ARCnet, Solaris IPNET and the Juniper link types; and the link types
// whose protocol libpcap cannot test either, for which only the
// link-type independent primitives compile (len, link[], arithmetic).
// Then it optimizes: value numbering with constant folding, jump
// threading along edges whose tests are decided by the facts known on
// them, redundant load and dead statement elimination, and merging of
// identical blocks. Programs are golang.org/x/net/bpf instructions; Dump
// prints them as tcpdump -d, -dd and -ddd do.
//
// Host names are resolved at compile time from /etc/hosts and DNS (Go's
// own resolver), "ether host NAME" from /etc/ethers, port and protocol
// names from built-in copies of Debian's /etc/services and
// /etc/protocols; Options.NoResolve turns host name lookups off.
//
// Differences from libpcap, all rejected with an error: "gateway",
// "protochain", "geneve", network names ("net NAME"), the SS7 (MTP2,
// MTP3) and pflog primitives, and protocol tests on PRISM, AVS, PPI,
// PFLOG, ENC, LTALK, IP over Fibre Channel, IEEE 1394 and netANALYZER
// link types, which have no captures in the test corpus yet. Where
// libpcap does not optimize a program (802.11 programs that compute
// header lengths) it never reports that an expression rejects every
// packet; pcaptool does not either, but still optimizes.
//
// Matcher interprets a program with libpcap's semantics (out-of-range
// loads and division by zero reject the packet) without allocating, and
// StreamFilter applies an expression to a pkt.Reader, compiling it
// for each interface's link type.
package filter
