package decode_test

// Corpus files the link-layer, TCP option, tunnel and application printers
// (print_stp.go, print_tcpopt.go, ...) print exactly as tcpdump does at -v 0
// and 1.
func init() {
	conformanceSample = append(conformanceSample,
		"802.1D_spanning_tree.pcap",
		"802.1w_rapid_STP.pcap",
		"MSTP_Intra-Region_BPDUs.pcap",
		"spb_bpduv4.pcap",
		"stp-heapoverflow-2.pcap",
		"stp-heapoverflow-4.pcap",
		"stp-v4-length-sigsegv.pcap",
		"mptcp-aa-echo.pcap",
		"mptcp-aa-v1.pcap",
		"mptcp-fclose.pcap",
		"mptcp-tcprst.pcap",
		"mptcp-v1.pcap",
		"scps_invalid.pcap",
		"tfo-5c1fa7f9ae91.pcap",
		"evb.pcap",
		"hoobr_safeputs.pcap",
		"lldp-app-priority.pcap",
		"lldp-infinite-loop-1.pcap",
		"lldp-infinite-loop-2.pcap",
		"lldp_8021_linkagg.pcap",
		"lldp_8023_mtu-oobr.pcap",
		"lldp_asan.pcap",
		"lldp_mgmt_addr_tlv_asan.pcap",
		"lldp_mudurl.pcap",
		"erspan-type-i-1.pcap",
		"erspan-type-ii-3.pcap",
		"erspan-type-iii-ft-7.pcap",
		"gre-heapoverflow-2.pcap",
		"nhrp.pcapng",
		"wccp_redirect_gre.pcap",
	)
}
