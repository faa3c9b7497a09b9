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
// program as libpcap does (QoS data frames, radiotap padding; AVS and
// Prism radio headers too), with the type, subtype, dir and wlan address
// primitives and radio[] loads; PPP,
// PPP in HDLC framing, Cisco HDLC, SLIP, ATM (RFC 1483, CLIP, and SunATM
// with vpi, vci, lane, oam and the signalling keywords), Frame Relay,
// ARCnet, Solaris IPNET, the Juniper link types, OpenBSD's pflog (with
// on/ifname, rset, rnr, srnr, reason and action, and protocol tests after
// the variable-length pflog header) and enc; SS7 MTP2 signal units
// (MTP2, MTP2_WITH_PHDR, ERF: fisu, lssu, msu, sio, opc, dpc, sls and the
// high-speed-link h... forms); and the link types whose protocol libpcap
// cannot test either, for which only the link-type independent
// primitives compile (len, link[], arithmetic).
// Then it optimizes: value numbering with constant folding, jump
// threading along edges whose tests are decided by the facts known on
// them, redundant load and dead statement elimination, and merging of
// identical blocks. Programs are golang.org/x/net/bpf instructions; Dump
// prints them as tcpdump -d, -dd and -ddd do.
//
// Host names are resolved at compile time from /etc/hosts and DNS (Go's
// own resolver), "ether host NAME" from /etc/ethers, "net NAME" from
// /etc/networks, port and protocol names from built-in copies of Debian's
// /etc/services and /etc/protocols; Options.NoResolve turns the name
// lookups off.
//
// "protochain" walks IPv6 extension headers and AH headers as libpcap's
// loop does, including its AH step, which takes the AH header's length
// for the next header's offset instead of adding it; libpcap's loop jumps
// backward, which the kernel refuses (and never ends on some crafted
// packets), so pcaptool unrolls it into forward-only BPF that gives up,
// false, after 6 IPv6 headers or 3 IPv4 AH headers. Programs with it are
// about three times as long as libpcap's.
//
// Differences from libpcap, rejected with an error: "gateway" (as libpcap
// built with IPv6 rejects it), and protocol tests on PPI, LTALK, IP over
// Fibre Channel, IEEE 1394 and netANALYZER link types,
// which have no captures in the test corpus yet (len, link[] and
// arithmetic compile). Where libpcap does not optimize a program (802.11
// programs that compute header lengths, protochain) it never reports that
// an expression rejects every packet; pcaptool does not either, but still
// optimizes.
//
// Matcher interprets a program with libpcap's semantics (out-of-range
// loads and division by zero reject the packet) without allocating, and
// StreamFilter applies an expression to a pkt.Reader, compiling it
// for each interface's link type.
package filter
