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
// Compile generates code as libpcap's gencode does for the link types
// EN10MB, LINUX_SLL, LINUX_SLL2, RAW, IPV4, IPV6, NULL and LOOP (IPv4 port
// tests only on first fragments, IPv6 fragment headers for "ip6 proto",
// VLAN, MPLS and PPPoE offsets that move for what follows), then
// optimizes: value numbering with constant folding, jump threading along
// edges whose tests are decided by the facts known on them, redundant
// load and dead statement elimination, and merging of identical blocks.
// Programs are golang.org/x/net/bpf instructions; Dump prints them as
// tcpdump -d, -dd and -ddd do.
//
// Differences from libpcap: host and network names are not resolved
// (numeric addresses only; port, protocol and service names are, from
// built-in copies of Debian's /etc/services and /etc/protocols);
// "gateway", "protochain", "geneve", DECnet addresses and the 802.11, ATM,
// SS7 and pflog primitives are rejected with an error.
//
// Matcher interprets a program with libpcap's semantics (out-of-range
// loads and division by zero reject the packet) without allocating, and
// StreamFilter applies an expression to a pkt.Reader, compiling it
// for each interface's link type.
package filter
