package decode

// sFlow version 5 (UDP port 6343), as tcpdump's sflow_print prints it:
// the datagram header, at -v each flow and counter sample with its records
// (generic, Ethernet, 100BaseVG, VLAN and processor counters; raw packet
// header, Ethernet frame and extended switch flow records).

func init() { registerUDPPorts(688, printSFlow, 6343) }

var sflowSampleTypes = map[uint32]string{1: "flow sample", 2: "counter sample", 3: "expanded flow sample", 4: "expanded counter sample"}

var sflowFlowTypes = map[uint32]string{1: "Raw packet", 2: "Ethernet frame", 3: "IPv4 Data", 4: "IPv6 Data",
	1001: "Extended Switch data", 1002: "Extended Router data", 1003: "Extended Gateway data",
	1004: "Extended User data", 1005: "Extended URL data", 1006: "Extended MPLS data",
	1007: "Extended NAT data", 1008: "Extended MPLS tunnel", 1009: "Extended MPLS VC",
	1010: "Extended MPLS FEC", 1011: "Extended MPLS LVP FEC", 1012: "Extended VLAN Tunnel"}

var sflowCounterTypes = map[uint32]string{1: "Generic counter", 2: "Ethernet counter", 3: "Token ring counter",
	4: "100 BaseVG counter", 5: "Vlan counter", 1001: "Processor counter"}

// sflowInvalid is tcpdump's "goto invalid" in sflow_print.
type sflowInvalid struct{}

func printSFlow(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	o := &out{b: b, v: p.opts.Verbose}
	o.sflow(view(c.data), c.length)
	return o.b, true
}

func (o *out) sflow(d view, length int) {
	defer o.catch("sflow")
	ipVersion := d.u32(4)
	if length < 28 && ipVersion == 1 || length < 40 && ipVersion == 2 {
		o.printf("sFlowv%d [length %d < 28] (invalid)", d.u32(0), length)
		return
	}
	d.need(0, 28)
	if v := d.u32(0); v != 5 {
		o.printf("sFlow version %d packet not supported", v)
		return
	}
	agentIs4 := ipVersion == 1
	agent := func() string {
		if agentIs4 {
			return d.ip4(8).String()
		}
		return d.ip6(8).String()
	}
	family, at := "IPv4", 12
	if !agentIs4 {
		family, at = "IPv6", 24
	}
	if o.v < 1 {
		o.printf("sFlowv5, %s agent %s, agent-id %d, length %d", family, agent(), d.u32(at), length)
		return
	}
	nsamples := d.u32(at + 12)
	o.printf("sFlowv5, %s agent %s, agent-id %d, seqnum %d, uptime %d, samples %d, length %d",
		family, agent(), d.u32(at), d.u32(at+4), d.u32(at+8), nsamples, length)
	at += 16
	tlen := length - at
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(sflowInvalid); !ok {
				panic(r)
			}
			o.str(" (invalid)")
			if !d.has(at, tlen) {
				panic(truncated{})
			}
		}
	}()
	for nsamples > 0 && tlen > 0 {
		typ, l := d.u32(at)&0xfff, int(d.u32(at+4))
		if tlen < 8 {
			panic(sflowInvalid{})
		}
		at, tlen = at+8, tlen-8
		o.str("\n\t")
		o.b = appendTok(o.b, sflowSampleTypes, typ, "Unknown")
		o.printf(" (%d), length %d,", typ, l)
		if typ == 0 || l == 0 {
			return
		}
		if tlen < l {
			panic(sflowInvalid{})
		}
		d.need(at, l)
		switch typ {
		case 1:
			o.sflowFlowSample(d, at, tlen, false)
		case 2:
			o.sflowCounterSample(d, at, tlen, false)
		case 3:
			o.sflowFlowSample(d, at, tlen, true)
		case 4:
			o.sflowCounterSample(d, at, tlen, true)
		default:
			if o.v <= 1 {
				o.unknownData(d, at, "\n\t    ", l)
			}
		}
		at, tlen = at+l, tlen-l
		nsamples--
	}
}

func (o *out) sflowCounterSample(d view, at, n int, expanded bool) {
	size := 12
	if expanded {
		size = 16
	}
	if n < size {
		panic(sflowInvalid{})
	}
	var records uint32
	if expanded {
		records = d.u32(at + 12)
		o.printf(" seqnum %d, type %d, idx %d, records %d", d.u32(at), d.u32(at+4), d.u32(at+8), records)
	} else {
		records = d.u32(at + 8)
		o.printf(" seqnum %d, type %d, idx %d, records %d", d.u32(at), d.u8(at+4), d.u24(at+5), records)
	}
	o.sflowRecords(d, at+size, n-size, records, 20, ", ", sflowCounterTypes, o.sflowCounter)
}

func (o *out) sflowCounter(d view, typ uint32, at, n, l int) {
	need := func(size int) {
		if n < size {
			panic(sflowInvalid{})
		}
	}
	switch typ {
	case 1:
		need(88)
		dir := d.u32(at + 16)
		o.printf("\n\t      ifindex %d, iftype %d, ifspeed %d, ifdirection %d (", d.u32(at), d.u32(at+4), d.u64(at+8), dir)
		o.b = appendTok(o.b, map[uint32]string{0: "unknown", 1: "full-duplex", 2: "half-duplex", 3: "in", 4: "out"}, dir, "Unknown")
		st := d.u32(at + 20)
		o.printf(")\n\t      ifstatus %d, adminstatus: %s, operstatus: %s", st, upDown(st&1 != 0), upDown(st>>1&1 != 0))
		o.printf("\n\t      In octets %d, unicast pkts %d, multicast pkts %d, broadcast pkts %d, discards %d",
			d.u64(at+24), d.u32(at+32), d.u32(at+36), d.u32(at+40), d.u32(at+44))
		o.printf("\n\t      In errors %d, unknown protos %d", d.u32(at+48), d.u32(at+52))
		o.printf("\n\t      Out octets %d, unicast pkts %d, multicast pkts %d, broadcast pkts %d, discards %d",
			d.u64(at+56), d.u32(at+64), d.u32(at+68), d.u32(at+72), d.u32(at+76))
		o.printf("\n\t      Out errors %d, promisc mode %d", d.u32(at+80), d.u32(at+84))
	case 2:
		need(52)
		o.printf("\n\t      align errors %d, fcs errors %d, single collision %d, multiple collision %d, test error %d",
			d.u32(at), d.u32(at+4), d.u32(at+8), d.u32(at+12), d.u32(at+16))
		o.printf("\n\t      deferred %d, late collision %d, excessive collision %d, mac trans error %d",
			d.u32(at+20), d.u32(at+24), d.u32(at+28), d.u32(at+32))
		o.printf("\n\t      carrier error %d, frames too long %d, mac receive errors %d, symbol errors %d",
			d.u32(at+36), d.u32(at+40), d.u32(at+44), d.u32(at+48))
	case 3:
	case 4:
		need(80)
		o.printf("\n\t      in high prio frames %d, in high prio octets %d", d.u32(at), d.u64(at+4))
		o.printf("\n\t      in norm prio frames %d, in norm prio octets %d", d.u32(at+12), d.u64(at+16))
		o.printf("\n\t      in ipm errors %d, oversized %d, in data errors %d, null addressed frames %d",
			d.u32(at+24), d.u32(at+28), d.u32(at+32), d.u32(at+36))
		o.printf("\n\t      out high prio frames %d, out high prio octets %d, trans into frames %d",
			d.u32(at+40), d.u64(at+44), d.u32(at+52))
		o.printf("\n\t      in hc high prio octets %d, in hc norm prio octets %d, out hc high prio octets %d",
			d.u64(at+56), d.u64(at+64), d.u64(at+72))
	case 5:
		need(28)
		o.printf("\n\t      vlan_id %d, octets %d, unicast_pkt %d, multicast_pkt %d, broadcast_pkt %d, discards %d",
			d.u32(at), d.u64(at+4), d.u32(at+12), d.u32(at+16), d.u32(at+20), d.u32(at+24))
	case 1001:
		need(28)
		o.printf("\n\t      5sec %d, 1min %d, 5min %d, total_mem %d, total_mem %d",
			d.u32(at), d.u32(at+4), d.u32(at+8), d.u64(at+12), d.u64(at+20))
	default:
		if o.v <= 1 {
			o.unknownData(d, at, "\n\t\t", l)
		}
	}
}

func upDown(up bool) string {
	if up {
		return "up"
	}
	return "down"
}

func (o *out) sflowFlowSample(d view, at, n int, expanded bool) {
	var records uint32
	if expanded {
		if n < 44 {
			panic(sflowInvalid{})
		}
		records = d.u32(at + 40)
		o.printf(" seqnum %d, type %d, idx %d, rate %d, pool %d, drops %d, records %d",
			d.u32(at), d.u32(at+4), d.u32(at+8), d.u32(at+12), d.u32(at+16), d.u32(at+20), records)
		at, n = at+44, n-44
	} else {
		if n < 32 {
			panic(sflowInvalid{})
		}
		records = d.u32(at + 28)
		o.printf(" seqnum %d, type %d, idx %d, rate %d, pool %d, drops %d, input %d output %d records %d",
			d.u32(at), d.u8(at+4), d.u24(at+5), d.u32(at+8), d.u32(at+12), d.u32(at+16), d.u32(at+20), d.u32(at+24), records)
		at, n = at+32, n-32
	}
	o.sflowRecords(d, at, n, records, 12, " ", sflowFlowTypes, o.sflowFlow)
}

// sflowFlow prints the body of one flow record of length l at at (n bytes
// left in the sample).
func (o *out) sflowFlow(d view, typ uint32, at, n, l int) {
	switch typ {
	case 1:
		if n < 16 {
			panic(sflowInvalid{})
		}
		proto := d.u32(at)
		o.str("\n\t      protocol ")
		o.b = appendTok(o.b, map[uint32]string{1: "Ethernet", 11: "IPv4", 12: "IPv6"}, proto, "Unknown")
		o.printf(" (%d), length %d, stripped bytes %d, header_size %d", proto, d.u32(at+4), d.u32(at+8), d.u32(at+12))
	case 1001:
		if n < 16 {
			panic(sflowInvalid{})
		}
		o.printf("\n\t      src vlan %d, src pri %d, dst vlan %d, dst pri %d", d.u32(at), d.u32(at+4), d.u32(at+8), d.u32(at+12))
	case 2:
		if n < 24 {
			panic(sflowInvalid{})
		}
		o.printf("\n\t      frame len %d, type %d", d.u32(at), d.u32(at+20))
	case 3, 4, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012:
	default:
		if o.v <= 1 {
			o.unknownData(d, at, "\n\t\t", l)
		}
	}
}

// sflowRecords walks the records of a counter or flow sample: each one's
// enterprise, type name from types, length, and its body through body when
// the enterprise is 0. tcpdump reads the enterprise with a different shift
// (shift) and separator (sep) in the two kinds of sample; both are kept.
func (o *out) sflowRecords(d view, at, n int, records uint32, shift uint, sep string, types map[uint32]string,
	body func(d view, typ uint32, at, n, l int)) {
	for ; records > 0; records-- {
		if n < 8 {
			panic(sflowInvalid{})
		}
		format, l := d.u32(at), int(d.u32(at+4))
		typ, enterprise := format&0xfff, format>>shift
		o.printf("\n\t    enterprise %d%s", enterprise, sep)
		if enterprise == 0 {
			o.b = appendTok(o.b, types, typ, "Unknown")
		} else {
			o.str("Unknown")
		}
		o.printf(" (%d) length %d", typ, l)
		at, n = at+8, n-8
		if n < l {
			panic(sflowInvalid{})
		}
		if enterprise == 0 {
			body(d, typ, at, n, l)
		}
		at, n = at+l, n-l
	}
}
