package decode_test

// Corpus files the OpenFlow, IS-IS and SCTP printers (print_openflow*.go,
// print_isis.go, print_sctp.go) print exactly as tcpdump does at -v 0 and 1.
func init() {
	conformanceSample = append(conformanceSample,
		"of10_s4810.pcap",
		"of10_p3295.pcap",
		"of10_inv_OFPST_FLOW.pcap",
		"of10_pf5240.pcap",
		"of10_7050sx_bsn.pcap",
		"of10_7050sx_bsn-oobr.pcap",
		"of10_7050q.pcapng",
	)
}

func init() {
	conformanceSample = append(conformanceSample, "spb.pcap", "isis-extd-ipreach-oobr.pcap")
}

func init() {
	conformanceSample = append(conformanceSample, "forces1.pcap", "forces3.pcap", "isup.pcap")
}

func init() {
	conformanceSample = append(conformanceSample, "OSPFv3_NBMA_adjacencies.pcap", "isis_sysid_asan.pcap", "e1000g.pcap",
		"icmp-rfc5837.pcap", "icmp-cksum-oobr-1.pcap")
}
