// Package decode turns captured packets into text through gopacket: one
// line per packet in the format of tcpdump -n (Printer), hex and ASCII
// dumps like tcpdump -x and -X (AppendHex, AppendHexASCII), one JSON object
// per packet (AppendJSON), and protocol hierarchy statistics like
// tshark -z io,phs (Hierarchy).
//
// gopacket's layers.LinkType is a uint8 and cannot name link types above
// 255; LinkDecoder maps pcaptool's linktype.LinkType to a gopacket decoder,
// adding LINUX_SLL2 (276, the LinuxSLL2 layer defined here) and the raw
// IPv4/IPv6 link types (228, 229). Packets of other link types print as
// their length and a hex dump.
//
// # Text lines
//
// Lines follow tcpdump 4.99 with -n: "IP src.port > dst.port: Flags [S.],
// seq 1:101, ack 1, win 502, options [mss 1460,...], length 100", sequence
// numbers relative to the first seen in a conversation as tcpdump prints
// them (Options.AbsoluteSeq is -S), "UDP, length N", ICMP and ICMPv6 echo
// and neighbour discovery, ARP. Application protocols are not dissected:
// where tcpdump goes on (": HTTP", DNS queries), the line stops at the
// transport layer. Options.Verbose adds tcpdump -v's IP header fields and
// TCP/UDP checksum verification.
//
// # Protocol printers
//
// Beyond the transport layer, protocols print as tcpdump 4.99 prints them
// at -v 0 and 1 (and mostly -vv), each from its own print_*.go file
// registered by IP protocol, port, EtherType or LLC SAP (dispatch.go):
// routing and control protocols BGP, OSPFv2/v3, IS-IS, PIM, EIGRP, VRRP,
// HSRP, BFD, sFlow, IPsec AH and ARP among them. Damaged messages print
// tcpdump's "[|proto]" and "(invalid)" marks. scripts/print-conformance.sh
// measures the share of tcpdump's lines print reproduces over its test
// corpus.
//
// # JSON
//
// AppendJSON writes
//
//	{"frame":1,"time":"2024-01-01T00:00:00.000001Z","time_epoch":1704067200.000001000,
//	 "interface":0,"link_type":"EN10MB","length":60,"captured_length":60,
//	 "comments":["..."],"layers":[{"type":"ethernet",...},...]}
//
// with these layer objects (other layers give {"type":<snake_case gopacket
// name>,"length":N}, decoding errors {"type":"decode_failure","error":...}):
//
//	ethernet   src_mac dst_mac ether_type
//	vlan       vlan_id priority ether_type
//	linux_sll  packet_type arphrd_type address ether_type
//	linux_sll2 packet_type arphrd_type interface_index address ether_type
//	loopback   family
//	arp        operation sender_mac sender_ip target_mac target_ip
//	ipv4       src dst tos total_length id dont_fragment more_fragments
//	           fragment_offset ttl protocol checksum
//	ipv6       src dst traffic_class flow_label payload_length next_header hop_limit
//	tcp        src_port dst_port seq ack flags header_length window checksum
//	           urgent options payload_length
//	udp        src_port dst_port length checksum payload_length
//	icmp       icmp_type icmp_code description id seq
//	icmpv6     icmp_type icmp_code description
//	dns        id response opcode rcode questions[{name qtype}]
//	           answers[{name rtype ttl address|cname}]
//	payload    length
//	dissection protocol text (what the protocol printer writes at -v:
//	           BGP messages, OSPF LSAs, IS-IS TLVs, ..., as tcpdump's text)
//
// TCP flags use tcpdump's letters ("S.", "P.", "F.", "R"); time_epoch has
// nine decimals, more than a float64 keeps: use time for exact values.
package decode
