package decode_test

import (
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/internal/testenv"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// Corpus files the routing and control protocol printers (print_arp.go,
// print_bgp.go, ...) print exactly as tcpdump does at -v 0 and 1.
func init() {
	conformanceSample = append(conformanceSample,
		"arp-oobr.pcap",
		"arp-too-long-tha.pcap",
		"babel_rfc6126bis.pcap",
		"babel_rtt.pcap",
		"bfd-raw-auth-md5.pcap",
		"bfd-raw-auth-sha1.pcap",
		"bfd-raw-auth-simple.pcap",
		"bfd-multihop.pcap",
		"bgp-4byte-asn.pcap",
		"bgp-bgp_capabilities_print-oobr-1.pcap",
		"bgp-addpath.pcap",
		"bgp-evpn.pcap",
		"bgp-large-community.pcap",
		"bgp-lu-multiple-labels.pcap",
		"bgp-shutdown-msg-variations.pcap",
		"bgp_mp_reach_nlri-oobr.pcap",
		"bgp_vpn_attrset.pcap",
		"mpbgp-linklocal-nexthop.pcap",
		"EIGRP_adjacency.pcap",
		"HSRP_coup.pcap",
		"HSRP_failover.pcap",
		"ISIS_level1_adjacency.pcap",
		"ISIS_level2_adjacency.pcap",
		"ISIS_external_lsp.pcap",
		"isis-areaaddr-oobr-1.pcap",
		"isis_cap_tlv.pcap",
		"EIGRP_goodbye.pcap",
		"EIGRP_subnet_down.pcap",
		"OSPFv2_Capture_FINAL.pcapng",
		"OSPFv3_broadcast_adjacency.pcap",
		"OSPFv3_with_AH.pcap",
		"ospf3_auth.pcapng",
		"PIM-DM_pruning.pcap",
		"rip_error_hexdump.pcap",
		"ripv1v2.pcap",
		"ripv2_auth.pcap",
		"ptp_ethernet.pcap",
		"ptp_management.pcap",
		"ptp_v2_1.pcap",
		"sflow_multiple_counter_30_pdus.pcap",
		"sflow-print-v6.pcap",
		"vrrp.pcap",
		"PIM_register_register-stop.pcap",
		"PIMv2_bootstrap.pcap",
		"PIMv2_hellos.pcap",
		"pimv2-oobr-1.pcap",
		"pimv2-oobr-2.pcap",
	)
}

// TestPrintRoutingSeedsMatchTcpdump prints generated packets of each
// routing and control protocol (routingSeeds) and checks that every line,
// at -v 0 and 1, is tcpdump's.
func TestPrintRoutingSeedsMatchTcpdump(t *testing.T) {
	tcpdump := testenv.RequireTool(t, "tcpdump")
	var pkts []*pkt.Packet
	for i, frame := range routingSeeds(t) {
		pkts = append(pkts, &pkt.Packet{Timestamp: time.Unix(1700000000, int64(i)*1000), Length: len(frame), Data: frame})
	}
	name := writePcap(t, pkt.FromSlice([]pkt.Interface{{LinkType: linktype.Ethernet}}, pkts), linktype.Ethernet, false)
	for v := range 2 {
		c := compareFile(tcpdump, name, v)
		if c.err != nil {
			t.Fatal(c.err)
		}
		total, same := c.lines(func(key, want, got string) {
			t.Errorf("-v%d [%s]\n  tcpdump: %s\n  print:   %s", v, key, want, got)
		})
		if total == 0 || total != same {
			t.Errorf("-v%d: %d of %d lines identical", v, same, total)
		}
	}
}
