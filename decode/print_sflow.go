package decode

import (
	"fmt"
	"net/netip"
)

// sFlow version 5 (sflow.org) as tcpdump's sflow_print prints it: agent,
// sequence number, uptime and sample count; at -v every flow and counter
// sample and their records (raw packet headers, switch data, generic and
// Ethernet interface counters; other records in hex).

func init() { registerUDPPorts(760, printSFlow, 6343) }

var (
	sflowSampleFormats = map[uint32]string{1: "flow sample", 2: "counter sample",
		3: "expanded flow sample", 4: "expanded counter sample"}
	sflowCounterTypes = map[uint32]string{1: "Generic counter", 2: "Ethernet counter",
		3: "Token ring counter", 4: "100 BaseVG counter", 5: "Vlan counter", 1001: "Processor counter"}
	sflowFlowTypes = map[uint32]string{1: "Raw packet", 2: "Ethernet frame", 3: "IPv4 frame",
		4: "IPv6 frame", 1001: "Extended Switch data", 1002: "Extended Router data",
		1003: "Extended Gateway data", 1004: "Extended User data", 1005: "Extended URL data",
		1006: "Extended MPLS data", 1007: "Extended NAT data", 1008: "Extended MPLS tunnel",
		1009: "Extended MPLS VC", 1010: "Extended MPLS FEC", 1011: "Extended MPLS LVP FEC",
		1012: "Extended VLAN tunnel"}
	sflowDirections   = map[uint32]string{0: "unknown", 1: "full-duplex", 2: "half-duplex", 3: "in", 4: "out"}
	sflowRawProtocols = map[uint32]string{1: "Ethernet", 2: "Token Bus", 3: "Token Ring", 4: "FDDI",
		5: "Frame Relay", 6: "X.25", 7: "PPP", 8: "SMDS", 9: "AAL5", 10: "AAL5-IP", 11: "IPv4",
		12: "IPv6", 13: "MPLS"}
)

const sflowHeaderLen = 28 // with an IPv4 agent address

func printSFlow(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	d, length := c.data, c.length
	if length < sflowHeaderLen {
		if len(d) < 4 {
			return append(b, " [|sflow]"...), true
		}
		return fmt.Appendf(b, "sFlowv%d [length %d < %d] (invalid)", be.Uint32(d), length, sflowHeaderLen), true
	}
	if len(d) < sflowHeaderLen {
		return append(b, " [|sflow]"...), true
	}
	if v := be.Uint32(d); v != 5 {
		return fmt.Appendf(b, "sFlow version %d packet not supported", v), true
	}
	at, family := 12, "IPv4"
	agent := netip.AddrFrom4([4]byte(d[8:12]))
	if be.Uint32(d[4:]) != 1 {
		if len(d) < sflowHeaderLen+12 {
			return append(b, " [|sflow]"...), true
		}
		at, family = 24, "IPv6"
		agent = netip.AddrFrom16([16]byte(d[8:24]))
	}
	b = fmt.Appendf(b, "sFlowv5, %s agent %s, agent-id %d", family, agent, be.Uint32(d[at:]))
	if p.opts.Verbose == 0 {
		return appendLength(b, length), true
	}
	samples := be.Uint32(d[at+12:])
	b = fmt.Appendf(b, ", seqnum %d, uptime %d, samples %d", be.Uint32(d[at+4:]), be.Uint32(d[at+8:]), samples)
	b = appendLength(b, length)
	d, left := d[at+16:], length-at-16
	for ; samples > 0 && left > 0; samples-- {
		if left < 8 {
			return append(b, " (invalid)"...), true
		}
		if len(d) < 8 {
			return append(b, " [|sflow]"...), true
		}
		format, n := be.Uint32(d)&0xfff, int(be.Uint32(d[4:]))
		d, left = d[8:], left-8
		b = append(b, "\n\t"...)
		b = appendNameOr(b, sflowSampleFormats, format, "Unknown")
		b = fmt.Appendf(b, " (%d), length %d,", format, n)
		if format == 0 || n == 0 {
			return b, true
		}
		if left < n {
			return append(b, " (invalid)"...), true
		}
		if len(d) < n {
			return append(b, " [|sflow]"...), true
		}
		s := d[:left]
		var ok bool
		switch format {
		case 1, 3:
			b, ok = appendSFlowFlowSample(b, s, format == 3)
		case 2, 4:
			b, ok = appendSFlowCounterSample(b, s, format == 4)
		default:
			ok = true
			b = appendHexIndented(b, "\n\t    ", d[:n])
		}
		if !ok {
			return append(b, " (invalid)"...), true
		}
		d, left = d[n:], left-n
	}
	return b, true
}

func appendSFlowFlowSample(b, s []byte, expanded bool) ([]byte, bool) {
	u := func(off int) uint32 { return be.Uint32(s[off:]) }
	var n uint32
	if expanded {
		if len(s) < 44 {
			return b, false
		}
		n = u(40)
		b = fmt.Appendf(b, " seqnum %d, type %d, idx %d, rate %d, pool %d, drops %d, records %d",
			u(0), u(4), u(8), u(12), u(16), u(20), n)
		s = s[44:]
	} else {
		if len(s) < 32 {
			return b, false
		}
		n = u(28)
		b = fmt.Appendf(b, " seqnum %d, type %d, idx %d, rate %d, pool %d, drops %d, input %d output %d records %d",
			u(0), u(4)>>24, u(4)&0xffffff, u(8), u(12), u(16), u(20), u(24), n)
		s = s[32:]
	}
	for ; n > 0; n-- {
		if len(s) < 8 {
			return b, false
		}
		enterprise, typ, rl := be.Uint32(s)>>12, be.Uint32(s)&0xfff, int(be.Uint32(s[4:]))
		s = s[8:]
		b = fmt.Appendf(b, "\n\t    enterprise %d ", enterprise)
		if enterprise == 0 {
			b = appendNameOr(b, sflowFlowTypes, typ, "Unknown")
		} else {
			b = append(b, "Unknown"...)
		}
		b = fmt.Appendf(b, " (%d) length %d", typ, rl)
		if len(s) < rl {
			return b, false
		}
		r := s[:rl]
		if enterprise == 0 {
			switch typ {
			case 1:
				if len(r) < 16 {
					return b, false
				}
				proto := be.Uint32(r)
				b = append(b, "\n\t      protocol "...)
				b = appendNameOr(b, sflowRawProtocols, proto, "Unknown")
				b = fmt.Appendf(b, " (%d), length %d, stripped bytes %d, header_size %d",
					proto, be.Uint32(r[4:]), be.Uint32(r[8:]), be.Uint32(r[12:]))
			case 1001:
				if len(r) < 16 {
					return b, false
				}
				b = fmt.Appendf(b, "\n\t      src vlan %d, src pri %d, dst vlan %d, dst pri %d",
					be.Uint32(r), be.Uint32(r[4:]), be.Uint32(r[8:]), be.Uint32(r[12:]))
			case 2, 3, 4, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012:
			default:
				b = appendHexIndented(b, "\n\t      ", r)
			}
		}
		s = s[rl:]
	}
	return b, true
}

func appendSFlowCounterSample(b, s []byte, expanded bool) ([]byte, bool) {
	var n uint32
	if expanded {
		if len(s) < 16 {
			return b, false
		}
		n = be.Uint32(s[12:])
		b = fmt.Appendf(b, " seqnum %d, type %d, idx %d, records %d", be.Uint32(s), be.Uint32(s[4:]), be.Uint32(s[8:]), n)
		s = s[16:]
	} else {
		if len(s) < 12 {
			return b, false
		}
		n = be.Uint32(s[8:])
		ts := be.Uint32(s[4:])
		b = fmt.Appendf(b, " seqnum %d, type %d, idx %d, records %d", be.Uint32(s), ts>>24, ts&0xffffff, n)
		s = s[12:]
	}
	for ; n > 0; n-- {
		if len(s) < 8 {
			return b, false
		}
		enterprise, typ, rl := be.Uint32(s)>>20, be.Uint32(s)&0xfff, int(be.Uint32(s[4:]))
		s = s[8:]
		b = fmt.Appendf(b, "\n\t    enterprise %d, ", enterprise)
		if enterprise == 0 {
			b = appendNameOr(b, sflowCounterTypes, typ, "Unknown")
		} else {
			b = append(b, "Unknown"...)
		}
		b = fmt.Appendf(b, " (%d) length %d", typ, rl)
		if len(s) < rl {
			return b, false
		}
		if enterprise == 0 {
			var ok bool
			if b, ok = appendSFlowCounters(b, typ, s, rl); !ok {
				return b, false
			}
		}
		s = s[rl:]
	}
	return b, true
}

// appendSFlowCounters appends a counter record of type typ; s holds the
// rest of the sample from the record on.
func appendSFlowCounters(b []byte, typ uint32, s []byte, rl int) ([]byte, bool) {
	u := func(off int) uint32 { return be.Uint32(s[off:]) }
	u64 := func(off int) uint64 { return be.Uint64(s[off:]) }
	switch typ {
	case 1:
		if len(s) < 88 {
			return b, false
		}
		b = fmt.Appendf(b, "\n\t      ifindex %d, iftype %d, ifspeed %d, ifdirection %d (", u(0), u(4), u64(8), u(16))
		b = appendNameOr(b, sflowDirections, u(16), "Unknown")
		status := u(20)
		up := func(x uint32) string {
			if x&1 != 0 {
				return "up"
			}
			return "down"
		}
		b = fmt.Appendf(b, ")\n\t      ifstatus %d, adminstatus: %s, operstatus: %s", status, up(status), up(status>>1))
		b = fmt.Appendf(b, "\n\t      In octets %d, unicast pkts %d, multicast pkts %d, broadcast pkts %d, discards %d",
			u64(24), u(32), u(36), u(40), u(44))
		b = fmt.Appendf(b, "\n\t      In errors %d, unknown protos %d", u(48), u(52))
		b = fmt.Appendf(b, "\n\t      Out octets %d, unicast pkts %d, multicast pkts %d, broadcast pkts %d, discards %d",
			u64(56), u(64), u(68), u(72), u(76))
		b = fmt.Appendf(b, "\n\t      Out errors %d, promisc mode %d", u(80), u(84))
	case 2:
		if len(s) < 52 {
			return b, false
		}
		b = fmt.Appendf(b, "\n\t      align errors %d, fcs errors %d, single collision %d, multiple collision %d, test error %d",
			u(0), u(4), u(8), u(12), u(16))
		b = fmt.Appendf(b, "\n\t      deferred %d, late collision %d, excessive collision %d, mac trans error %d",
			u(20), u(24), u(28), u(32))
		b = fmt.Appendf(b, "\n\t      carrier error %d, frames too long %d, mac receive errors %d, symbol errors %d",
			u(36), u(40), u(44), u(48))
	case 5:
		if len(s) < 28 {
			return b, false
		}
		b = fmt.Appendf(b, "\n\t      vlan_id %d, octets %d, unicast_pkt %d, multicast_pkt %d, broadcast_pkt %d, discards %d",
			u(0), u64(4), u(12), u(16), u(20), u(24))
	default:
		b = appendHexIndented(b, "\n\t\t", s[:rl])
	}
	return b, true
}
