package decode_test

// Corpus files the routing and control protocol printers (print_arp.go,
// print_bgp.go, ...) print exactly as tcpdump does at -v 0 and 1.
func init() {
	conformanceSample = append(conformanceSample,
		"arp-oobr.pcap",
		"arp-too-long-tha.pcap",
	)
}
