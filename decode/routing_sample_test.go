package decode_test

// Corpus files the routing and control protocol printers (print_arp.go,
// print_bgp.go, ...) print exactly as tcpdump does at -v 0 and 1.
func init() {
	conformanceSample = append(conformanceSample,
		"arp-oobr.pcap",
		"arp-too-long-tha.pcap",
		"bfd-raw-auth-md5.pcap",
		"bfd-raw-auth-sha1.pcap",
		"bfd-raw-auth-simple.pcap",
		"bfd-multihop.pcap",
		"bgp-4byte-asn.pcap",
		"bgp-addpath.pcap",
		"bgp-evpn.pcap",
		"bgp-large-community.pcap",
		"bgp-lu-multiple-labels.pcap",
		"bgp-shutdown-msg-variations.pcap",
		"bgp_mp_reach_nlri-oobr.pcap",
		"bgp_vpn_attrset.pcap",
		"mpbgp-linklocal-nexthop.pcap",
		"EIGRP_adjacency.pcap",
		"EIGRP_goodbye.pcap",
		"EIGRP_subnet_down.pcap",
		"PIM-DM_pruning.pcap",
		"PIM_register_register-stop.pcap",
		"PIMv2_bootstrap.pcap",
		"PIMv2_hellos.pcap",
		"pimv2-oobr-1.pcap",
		"pimv2-oobr-2.pcap",
	)
}
