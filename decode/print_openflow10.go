package decode

// OpenFlow 1.0 message bodies at -v (features reply, flow mod, packet in
// and out, errors, statistics requests and replies) in tcpdump's layout.
// Field names and constants follow the OpenFlow 1.0.0 specification.

// ofBitmap appends " (NAME, ...)" for the named bits set in v and
// " (bogus)" when bits outside valid are set, as tcpdump prints flag words.
func (o *out) ofBitmap(names []bitName, v, valid uint32) {
	if v&valid != 0 {
		o.str(" (")
		o.b = appendBitNames(o.b, names, v&valid, ", ", "")
		o.str(")")
	}
	if v&^valid != 0 {
		o.str(" (bogus)")
	}
}

var (
	of10Capabilities = []bitName{{1, "FLOW_STATS"}, {2, "TABLE_STATS"}, {4, "PORT_STATS"}, {8, "STP"},
		{0x20, "IP_REASM"}, {0x40, "QUEUE_STATS"}, {0x80, "ARP_MATCH_IP"}}
	of10ActionNames = map[uint16]string{0: "OUTPUT", 1: "SET_VLAN_VID", 2: "SET_VLAN_PCP", 3: "STRIP_VLAN",
		4: "SET_DL_SRC", 5: "SET_DL_DST", 6: "SET_NW_SRC", 7: "SET_NW_DST", 8: "SET_NW_TOS",
		9: "SET_TP_SRC", 10: "SET_TP_DST", 11: "ENQUEUE", 0xffff: "VENDOR"}
	of10ActionBits  = ofEnumBits(of10ActionNames, 12)
	of10FlowModCmds = map[uint16]string{0: "ADD", 1: "MODIFY", 2: "MODIFY_STRICT", 3: "DELETE", 4: "DELETE_STRICT"}
	of10FlowModFlag = []bitName{{1, "SEND_FLOW_REM"}, {2, "CHECK_OVERLAP"}, {4, "EMERG"}}
	of10Wildcards   = []bitName{{1, "IN_PORT"}, {2, "DL_VLAN"}, {4, "DL_SRC"}, {8, "DL_DST"}, {0x10, "DL_TYPE"},
		{0x20, "NW_PROTO"}, {0x40, "TP_SRC"}, {0x80, "TP_DST"}, {1 << 20, "DL_VLAN_PCP"}, {1 << 21, "NW_TOS"}}
	of10PortConfig = []bitName{{1, "PORT_DOWN"}, {2, "NO_STP"}, {4, "NO_RECV"}, {8, "NO_RECV_STP"},
		{0x10, "NO_FLOOD"}, {0x20, "NO_FWD"}, {0x40, "NO_PACKET_IN"}}
	of10PortFeatures = []bitName{{1, "10MB_HD"}, {2, "10MB_FD"}, {4, "100MB_HD"}, {8, "100MB_FD"},
		{0x10, "1GB_HD"}, {0x20, "1GB_FD"}, {0x40, "10GB_FD"}, {0x80, "COPPER"}, {0x100, "FIBER"},
		{0x200, "AUTONEG"}, {0x400, "PAUSE"}, {0x800, "PAUSE_ASYM"}}
	of10StatsTypes = map[uint16]string{0: "DESC", 1: "FLOW", 2: "AGGREGATE", 3: "TABLE", 4: "PORT",
		5: "QUEUE", 0xffff: "VENDOR"}
	of10StatsReplyFlags = []bitName{{1, "MORE"}}
	of10TableIDs        = map[uint8]string{0xfe: "EMERG", 0xff: "ALL"}
	of10QueueIDs        = map[uint32]string{0xffffffff: "ALL"}
	of10BufferIDs       = map[uint32]string{0xffffffff: "NONE"}
	of10PacketInReasons = map[uint8]string{0: "NO_MATCH", 1: "ACTION"}
	of10ErrorTypes      = map[uint16]string{0: "HELLO_FAILED", 1: "BAD_REQUEST", 2: "BAD_ACTION",
		3: "FLOW_MOD_FAILED", 4: "PORT_MOD_FAILED", 5: "QUEUE_OP_FAILED"}
	of10ErrorCodes = map[uint16]map[uint16]string{
		0: {0: "INCOMPATIBLE", 1: "EPERM"},
		1: {0: "BAD_VERSION", 1: "BAD_TYPE", 2: "BAD_STAT", 3: "BAD_VENDOR", 4: "BAD_SUBTYPE", 5: "EPERM",
			6: "BAD_LEN", 7: "BUFFER_EMPTY", 8: "BUFFER_UNKNOWN"},
		2: {0: "BAD_TYPE", 1: "BAD_LEN", 2: "BAD_VENDOR", 3: "BAD_VENDOR_TYPE", 4: "BAD_OUT_PORT",
			5: "BAD_ARGUMENT", 6: "EPERM", 7: "TOO_MANY", 8: "BAD_QUEUE"},
		3: {0: "ALL_TABLES_FULL", 1: "OVERLAP", 2: "EPERM", 3: "BAD_EMERG_TIMEOUT", 4: "BAD_COMMAND",
			5: "UNSUPPORTED"},
		4: {0: "BAD_PORT", 1: "BAD_HW_ADDR"},
		5: {0: "BAD_PORT", 1: "BAD_QUEUE", 2: "EPERM"},
	}
	ofVendors = map[uint32]string{0x00002320: "Nicira Networks", 0x005c16c7: "Big Switch Networks"}
)

// ofEnumBits turns the first n values of an enumeration into the bitmap
// that advertises them (bit i for value i).
func ofEnumBits(names map[uint16]string, n int) []bitName {
	bits := make([]bitName, 0, n)
	for i := 0; i < n; i++ {
		bits = append(bits, bitName{1 << i, names[uint16(i)]})
	}
	return bits
}

func bitsMask(names []bitName) uint32 {
	var m uint32
	for _, bn := range names {
		m |= bn.bit
	}
	return m
}

// ofDataPrint prints n trailing octets of a message as tcpdump does.
func (o *out) ofDataPrint(d view, at, n int, pfx string) {
	if n <= 0 {
		return
	}
	o.printf("%sdata (%d octets)", pfx, n)
	d.need(at, n)
}

const ofVendorBSN = 0x005c16c7

var bsnSubtypes = map[uint32]string{0: "SET_IP_MASK", 1: "GET_IP_MASK_REQUEST", 2: "GET_IP_MASK_REPLY",
	3: "SET_MIRRORING", 4: "GET_MIRRORING_REQUEST", 5: "GET_MIRRORING_REPLY", 6: "SHELL_COMMAND",
	7: "SHELL_OUTPUT", 8: "SHELL_STATUS"}

// ofBSNMessage prints the body of a Big Switch Networks vendor message.
func (o *out) ofBSNMessage(d view, at, n int) {
	if n < 4 {
		o.str(" (invalid)")
		d.need(at, n)
		return
	}
	sub := d.u32(at)
	o.str("\n\t subtype ")
	o.b = appendTok(o.b, bsnSubtypes, sub, "unknown (0x%08x)")
	at, n = at+4, n-4
	switch {
	case (sub == 0 || sub == 2) && n == 8:
		o.printf(", index %d, mask %s", d.u8(at), d.ip4(at+4))
	case sub == 1 && n == 8:
		o.printf(", index %d", d.u8(at))
	case sub >= 3 && sub <= 5 && n == 4:
		o.str(", report_mirror_ports ")
		o.str(map[bool]string{true: "ON", false: "OFF"}[d.u8(at) != 0])
	case sub == 6 && n >= 4:
		o.printf(", service %d, data '", d.u32(at))
		o.b = appendPrintable(o.b, d[at+4:at+4+d.avail(at+4, n-4)])
		d.need(at+4, n-4)
		o.str("'")
	case sub == 7:
		o.str(", data '")
		o.b = appendPrintable(o.b, d[at:at+d.avail(at, n)])
		d.need(at, n)
		o.str("'")
	case sub == 8 && n == 4:
		o.printf(", status 0x%08x", d.u32(at))
	default:
		o.str(" (invalid)")
		d.need(at, n)
	}
}

func (o *out) of10Port(v uint16) { o.b = appendTok(o.b, of10Ports, v, "%d") }

// of10Body prints the body of n bytes at at of the OpenFlow 1.0 message
// types decoded here; it reports false for the others.
func (o *out) of10Body(d view, at, n int, typ uint8) bool {
	switch typ {
	case 1: // ERROR
		o.ofError(d, at, n, of10ErrorTypes, of10ErrorCodes)
	case 4: // VENDOR
		vendor := d.u32(at)
		o.printf(", vendor 0x%08x (", vendor)
		o.b = appendTok(o.b, ofVendors, vendor, "unknown")
		o.str(")")
		if vendor == ofVendorBSN {
			o.ofBSNMessage(d, at+4, n-4)
		} else {
			o.ofDataPrint(d, at+4, n-4, "\n\t ")
		}
	case 6: // FEATURES_REPLY
		o.printf("\n\t dpid 0x%016x, n_buffers %d, n_tables %d", d.u64(at), d.u32(at+8), d.u8(at+12))
		caps, acts := d.u32(at+16), d.u32(at+20)
		o.printf("\n\t capabilities 0x%08x", caps)
		o.ofBitmap(of10Capabilities, caps, bitsMask(of10Capabilities))
		o.printf("\n\t actions 0x%08x", acts)
		o.ofBitmap(of10ActionBits, acts, 1<<12-1)
		o.of10PhyPorts(d, at+24, n-24)
	case 10: // PACKET_IN
		o.str("\n\t buffer_id ")
		o.b = appendTok(o.b, of10BufferIDs, d.u32(at), "0x%08x")
		o.printf(", total_len %d, in_port ", d.u16(at+4))
		o.of10Port(d.u16(at + 6))
		o.str(", reason ")
		o.b = appendTok(o.b, of10PacketInReasons, d.u8(at+8), "invalid (0x%02x)")
		o.ofDataPrint(d, at+10, n-10, "\n\t ")
	case 13: // PACKET_OUT
		alen := int(d.u16(at + 6))
		o.printf("\n\t buffer_id 0x%08x, in_port ", d.u32(at))
		o.of10Port(d.u16(at + 4))
		if alen > n-8 {
			o.str(" (bogus)")
			d.need(at+8, n-8)
			return true
		}
		o.of10Actions(d, at+8, alen, "\n\t ")
		o.ofDataPrint(d, at+8+alen, n-8-alen, "\n\t ")
	case 12: // PORT_STATUS
		o.str("\n\t reason ")
		o.b = appendTok(o.b, map[uint8]string{0: "ADD", 1: "DELETE", 2: "MODIFY"}, d.u8(at), "invalid (0x%02x)")
		o.of10PhyPorts(d, at+8, n-8)
	case 20: // QUEUE_GET_CONFIG_REQUEST
		o.str("\n\t port ")
		o.of10Port(d.u16(at))
		d.need(at, n)
	case 21: // QUEUE_GET_CONFIG_REPLY
		o.str("\n\t port ")
		o.of10Port(d.u16(at))
		o.of10Queues(d, at+8, n-8)
	case 14: // FLOW_MOD
		o.of10FlowMod(d, at, n)
	case 16: // STATS_REQUEST
		o.of10StatsRequest(d, at, n)
	case 17: // STATS_REPLY
		o.of10StatsReply(d, at, n)
	default:
		return false
	}
	return true
}

func (o *out) of10FlowMod(d view, at, n int) {
	o.of10Match(d, at, "\n\t ")
	at += 40
	cmd := d.u16(at + 8)
	o.printf("\n\t cookie 0x%016x, command ", d.u64(at))
	o.b = appendTok(o.b, of10FlowModCmds, cmd, "invalid (0x%04x)")
	if v := d.u16(at + 10); v != 0 {
		o.printf(", idle_timeout %d", v)
	}
	if v := d.u16(at + 12); v != 0 {
		o.printf(", hard_timeout %d", v)
	}
	if v := d.u16(at + 14); v != 0 {
		o.printf(", priority %d", v)
	}
	if cmd <= 2 {
		o.str(", buffer_id ")
		o.b = appendTok(o.b, of10BufferIDs, d.u32(at+16), "0x%08x")
	}
	if cmd == 3 || cmd == 4 {
		o.str(", out_port ")
		o.of10Port(d.u16(at + 20))
	}
	flags := d.u16(at + 22)
	o.printf(", flags 0x%04x", flags)
	o.ofBitmap(of10FlowModFlag, uint32(flags), 7)
	o.of10Actions(d, at+24, n-64, "\n\t ")
}

// of10Actions prints the action list of n bytes at at; it reports false
// (after " (invalid)") when a length is wrong.
func (o *out) of10Actions(d view, at, n int, pfx string) bool {
	for n > 0 {
		if n < 8 {
			o.str(" (invalid)")
			d.need(at, n)
			return false
		}
		typ, alen := d.u16(at), int(d.u16(at+2))
		o.printf("%saction type ", pfx)
		o.b = appendTok(o.b, of10ActionNames, typ, "invalid (0x%04x)")
		o.printf(", len %d", alen)
		want := 8
		switch typ {
		case 4, 5, 11: // SET_DL_SRC, SET_DL_DST, ENQUEUE
			want = 16
		}
		if typ == 0xffff && alen >= 8 && alen%8 == 0 && alen <= n {
			want = alen
		}
		if alen != want || alen > n {
			o.str(" (invalid)")
			d.need(at, n)
			return false
		}
		o.of10Action(d, at+4, typ, alen-4, pfx)
		at, n = at+alen, n-alen
	}
	return true
}

// of10Action prints the fields after type and length (n bytes at at).
func (o *out) of10Action(d view, at int, typ uint16, n int, pfx string) {
	switch typ {
	case 0: // OUTPUT
		port := d.u16(at)
		o.str(", port ")
		o.of10Port(port)
		if port == 0xfffd {
			o.printf(", max_len %d", d.u16(at+2))
		}
	case 1:
		o.printf(", vlan_vid %d", d.u16(at))
	case 2:
		o.printf(", vlan_pcp %d", d.u8(at))
	case 4, 5:
		o.str(", dl_addr ")
		o.b = appendMAC(o.b, d.bytes(at, 6))
	case 6, 7:
		o.printf(", nw_addr %s", d.ip4(at))
	case 8:
		o.printf(", nw_tos 0x%02x", d.u8(at))
	case 9, 10:
		o.printf(", tp_port %d", d.u16(at))
	case 11: // ENQUEUE
		o.str(", port ")
		o.of10Port(d.u16(at))
		o.str(", queue_id ")
		o.b = appendTok(o.b, of10QueueIDs, d.u32(at+8), "%d")
	case 0xffff:
		vendor := d.u32(at)
		o.printf(", vendor 0x%08x", vendor)
		o.str(" (")
		o.b = appendTok(o.b, ofVendors, vendor, "unknown")
		o.str(")")
		if vendor == ofVendorBSN && n-4 == 16 && d.u32(at+4) == 1 {
			o.ofBSNMirror(d, at+8, pfx+" ")
			return
		}
		o.ofDataPrint(d, at+4, n-4, pfx)
	}
	d.need(at, n)
}

// of10PhyPorts prints the port descriptions (48 bytes each) of a features
// reply.
func (o *out) of10PhyPorts(d view, at, n int) {
	if n%48 != 0 {
		o.str(" (bogus)")
		d.need(at, n)
		return
	}
	for ; n > 0; at, n = at+48, n-48 {
		o.str("\n\t  port_no ")
		o.of10Port(d.u16(at))
		o.str(", hw_addr ")
		o.b = appendMAC(o.b, d.bytes(at+2, 6))
		o.str(", name '")
		o.printJNP(d, at+8, 16)
		o.str("'")
		if o.v < 2 {
			d.need(at, 48)
			continue
		}
		cfg, state := d.u32(at+24), d.u32(at+28)
		o.printf("\n\t   config 0x%08x", cfg)
		o.ofBitmap(of10PortConfig, cfg, bitsMask(of10PortConfig))
		o.printf("\n\t   state 0x%08x (", state)
		o.str([]string{"STP_LISTEN", "STP_LEARN", "STP_FORWARD", "STP_BLOCK"}[state>>8&3])
		if state&1 != 0 {
			o.str(", LINK_DOWN")
		}
		o.str(")")
		if state&^0x301 != 0 {
			o.str(" (bogus)")
		}
		for i, name := range []string{"curr", "advertised", "supported", "peer"} {
			f := d.u32(at + 32 + 4*i)
			o.printf("\n\t   %s 0x%08x", name, f)
			o.ofBitmap(of10PortFeatures, f, 0xfff)
		}
	}
}

func (o *out) of10StatsRequest(d view, at, n int) {
	typ, flags := d.u16(at), d.u16(at+2)
	o.str("\n\t type ")
	o.b = appendTok(o.b, of10StatsTypes, typ, "invalid (0x%04x)")
	o.printf(", flags 0x%04x", flags)
	o.ofBitmap(nil, uint32(flags), 0)
	at, n = at+4, n-4
	switch typ {
	case 0, 3: // DESC, TABLE
		o.of10Len(d, at, n, 0)
	case 1, 2: // FLOW, AGGREGATE
		if o.of10Len(d, at, n, 44) {
			o.of10Match(d, at, "\n\t ")
			o.str("\n\t table_id ")
			o.b = appendTok(o.b, of10TableIDs, d.u8(at+40), "%d")
			o.str(", out_port ")
			o.of10Port(d.u16(at + 42))
		}
	case 4: // PORT
		if o.of10Len(d, at, n, 8) {
			o.str("\n\t port_no ")
			o.of10Port(d.u16(at))
		}
	case 5: // QUEUE
		if o.of10Len(d, at, n, 8) {
			o.str("\n\t port_no ")
			o.of10Port(d.u16(at))
			o.str(", queue_id ")
			o.b = appendTok(o.b, of10QueueIDs, d.u32(at+4), "%d")
		}
	default:
		d.need(at, n)
	}
}

// of10Len checks that a fixed statistics body is n == want bytes.
func (o *out) of10Len(d view, at, n, want int) bool {
	d.need(at, n)
	if n != want {
		o.str(" (bogus)")
		return false
	}
	return true
}

func (o *out) of10StatsReply(d view, at, n int) {
	typ, flags := d.u16(at), d.u16(at+2)
	o.str("\n\t type ")
	o.b = appendTok(o.b, of10StatsTypes, typ, "invalid (0x%04x)")
	o.printf(", flags 0x%04x", flags)
	o.ofBitmap(of10StatsReplyFlags, uint32(flags), 1)
	at, n = at+4, n-4
	switch typ {
	case 0: // DESC
		if o.of10Len(d, at, n, 1056) {
			for _, f := range []struct {
				name     string
				off, len int
			}{{"mfr_desc", 0, 256}, {"hw_desc", 256, 256}, {"sw_desc", 512, 256}, {"serial_num", 768, 32}, {"dp_desc", 800, 256}} {
				o.printf("\n\t  %s '", f.name)
				o.printJNP(d, at+f.off, f.len)
				o.str("'")
			}
		}
	case 1: // FLOW
		o.of10FlowStats(d, at, n)
	case 2: // AGGREGATE
		if o.of10Len(d, at, n, 24) {
			o.printf("\n\t packet_count %d, byte_count %d, flow_count %d", d.u64(at), d.u64(at+8), d.u32(at+16))
		}
	case 3: // TABLE
		o.of10Records(d, at, n, 64, o.of10TableStats)
	case 4: // PORT
		o.of10Records(d, at, n, 104, o.of10PortStats)
	case 5: // QUEUE
		o.of10Records(d, at, n, 32, func(d view, at int) {
			o.str("\n\t  port_no ")
			o.of10Port(d.u16(at))
			o.printf(", queue_id %d, tx_bytes %d, tx_packets %d, tx_errors %d",
				d.u32(at+4), d.u64(at+8), d.u64(at+16), d.u64(at+24))
		})
	default:
		d.need(at, n)
	}
}

// of10Records prints n bytes of fixed-size records with each.
func (o *out) of10Records(d view, at, n, size int, each func(d view, at int)) {
	if n%size != 0 {
		o.str(" (bogus)")
		d.need(at, n)
		return
	}
	for ; n > 0; at, n = at+size, n-size {
		each(d, at)
		d.need(at, size)
	}
}

func (o *out) of10TableStats(d view, at int) {
	o.str("\n\t table_id ")
	o.b = appendTok(o.b, of10TableIDs, d.u8(at), "%d")
	o.str(", name '")
	o.printJNP(d, at+4, 32)
	w := d.u32(at + 36)
	o.printf("'\n\t  wildcards 0x%08x", w)
	o.ofBitmap(of10Wildcards, w, 1<<22-1)
	o.printf("\n\t  max_entries %d, active_count %d, lookup_count %d, matched_count %d",
		d.u32(at+40), d.u32(at+44), d.u64(at+48), d.u64(at+56))
}

func (o *out) of10PortStats(d view, at int) {
	o.str("\n\t  port_no ")
	o.of10Port(d.u16(at))
	if o.v < 2 {
		return
	}
	for i, name := range []string{"rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_dropped",
		"tx_dropped", "rx_errors", "tx_errors", "rx_frame_err", "rx_over_err", "rx_crc_err", "collisions"} {
		o.printf(", %s %d", name, d.u64(at+8+8*i))
	}
}

// of10FlowStats prints the variable-length flow statistics records.
func (o *out) of10FlowStats(d view, at, n int) {
	for n > 0 {
		if n < 88 {
			o.str(" (invalid)")
			d.need(at, n)
			return
		}
		rlen := int(d.u16(at))
		o.printf("\n\t length %d", rlen)
		if rlen < 88 || rlen > n {
			o.str(" (invalid)")
			d.need(at, n)
			return
		}
		o.str(", table_id ")
		o.b = appendTok(o.b, of10TableIDs, d.u8(at+2), "%d")
		o.of10Match(d, at+4, "\n\t  ")
		o.printf("\n\t  duration_sec %d", d.u32(at+44))
		o.printf(", duration_nsec %d", d.u32(at+48))
		o.printf(", priority %d", d.u16(at+52))
		o.printf(", idle_timeout %d", d.u16(at+54))
		o.printf(", hard_timeout %d", d.u16(at+56))
		o.printf(", cookie 0x%016x", d.u64(at+64))
		o.printf(", packet_count %d", d.u64(at+72))
		o.printf(", byte_count %d", d.u64(at+80))
		if !o.of10Actions(d, at+88, rlen-88, "\n\t  ") {
			o.str(" (invalid)")
			return
		}
		at, n = at+rlen, n-rlen
	}
}

// of10Queues prints the queue descriptions of a queue configuration reply.
func (o *out) of10Queues(d view, at, n int) {
	for n > 0 {
		if n < 8 {
			o.str(" (invalid)")
			d.need(at, n)
			return
		}
		qlen := int(d.u16(at + 4))
		o.printf("\n\t  queue_id %d, len %d", d.u32(at), qlen)
		if qlen < 8 || qlen > n {
			o.str(" (invalid)")
			d.need(at, n)
			return
		}
		if o.v >= 2 {
			o.of10QueueProps(d, at+8, qlen-8)
		}
		d.need(at, qlen)
		at, n = at+qlen, n-qlen
	}
}

// of10QueueProps prints a queue's properties (shown at -vv).
func (o *out) of10QueueProps(d view, at, n int) {
	for n > 0 {
		if n < 8 {
			o.str(" (invalid)")
			return
		}
		prop, plen := d.u16(at), int(d.u16(at+2))
		o.str("\n\t   property ")
		o.b = appendTok(o.b, map[uint16]string{0: "NONE", 1: "MIN_RATE"}, prop, "invalid (0x%04x)")
		o.printf(", len %d", plen)
		if plen < 8 || plen > n {
			o.str(" (invalid)")
			return
		}
		if prop == 1 && plen == 16 {
			o.printf(", rate %d", d.u16(at+8))
		}
		at, n = at+plen, n-plen
	}
}

// ofBSNMirror prints the body of a Big Switch Networks mirror action.
func (o *out) ofBSNMirror(d view, at int, pfx string) {
	o.printf("%ssubtype MIRROR, dest_port %d, vlan_tag ", pfx, d.u32(at))
	switch tag := d.u32(at + 4); {
	case tag == 0:
		o.str("none")
	case tag>>16 == 0x8100:
		o.printf("802.1Q (vlan %d, p %d", tag&0xfff, tag>>13&7)
		if tag&0x1000 != 0 {
			o.str(", DEI")
		}
		o.str(")")
	default:
		o.printf("unknown (0x%08x)", tag)
	}
	o.str(", copy_stage ")
	o.b = appendTok(o.b, map[uint8]string{0: "INGRESS", 1: "EGRESS"}, d.u8(at+8), "unknown (%d)")
	d.need(at, 12)
}

// ofError prints an error message's type, code and the data it quotes.
func (o *out) ofError(d view, at, n int, types map[uint16]string, codes map[uint16]map[uint16]string) {
	et, code := d.u16(at), d.u16(at+2)
	o.str("\n\t type ")
	o.b = appendTok(o.b, types, et, "invalid (0x%04x)")
	o.str(", code ")
	o.b = appendTok(o.b, codes[et], code, "invalid (0x%04x)")
	o.ofDataPrint(d, at+4, n-4, "\n\t ")
}
