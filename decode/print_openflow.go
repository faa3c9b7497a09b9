package decode

// OpenFlow (TCP ports 6633 and 6653), as tcpdump's openflow_print prints
// it: ": OpenFlow" and, even at -v 0, one line per message with version,
// type, length and xid, and the length checks of each type. At -v the
// bodies of hello, echo and switch-configuration messages print as
// tcpdump's do, and OpenFlow 1.0 flow-removed messages with their match;
// OpenFlow 1.0 errors, features replies, packet in/out, flow mods and
// statistics print from print_openflow10.go; the other bodies tcpdump
// decodes (port status and mod, queue configuration, vendor messages,
// OpenFlow 1.3 beyond configuration and echo) are not dissected here.

func init() { registerTCPPorts(765, printOpenFlow, 6633, 6653) }

// ofMsgType describes one message type: its name, the length its body must
// have (fixed) or at least have, and how tcpdump prints the body at -v.
type ofMsgType struct {
	name    string
	fixed   bool // the body length must equal size; otherwise be at least size
	check   bool // false: no length requirement (tcpdump's REQ_NONE)
	size    int
	decoder ofDecoder
}

type ofDecoder int

const (
	ofNone          ofDecoder = iota // header only
	ofData                           // "data (N octets)"
	ofConfig10                       // flags and miss_send_len
	ofConfig13                       // flags and miss_send_len with names
	ofFlowRemoved10                  // match, cookie, reason, durations, counters
	ofUnsupported                    // tcpdump decodes it; this printer does not
)

func ofMin(name string, size int, dec ofDecoder) ofMsgType {
	return ofMsgType{name: name, check: true, size: size, decoder: dec}
}

func ofFix(name string, size int, dec ofDecoder) ofMsgType {
	return ofMsgType{name: name, check: true, fixed: true, size: size, decoder: dec}
}

var of10Types = []ofMsgType{
	ofMin("HELLO", 0, ofData), ofMin("ERROR", 4, ofUnsupported), ofMin("ECHO_REQUEST", 0, ofData),
	ofMin("ECHO_REPLY", 0, ofData), ofMin("VENDOR", 4, ofUnsupported), ofFix("FEATURES_REQUEST", 0, ofNone),
	ofMin("FEATURES_REPLY", 24, ofUnsupported), ofFix("GET_CONFIG_REQUEST", 0, ofNone),
	ofFix("GET_CONFIG_REPLY", 4, ofConfig10), ofFix("SET_CONFIG", 4, ofConfig10),
	ofMin("PACKET_IN", 10, ofUnsupported), ofFix("FLOW_REMOVED", 80, ofFlowRemoved10),
	ofFix("PORT_STATUS", 56, ofUnsupported), ofMin("PACKET_OUT", 8, ofUnsupported),
	ofMin("FLOW_MOD", 64, ofUnsupported), ofFix("PORT_MOD", 24, ofUnsupported),
	ofMin("STATS_REQUEST", 4, ofUnsupported), ofMin("STATS_REPLY", 4, ofUnsupported),
	ofFix("BARRIER_REQUEST", 0, ofNone), ofFix("BARRIER_REPLY", 0, ofNone),
	ofFix("QUEUE_GET_CONFIG_REQUEST", 4, ofUnsupported), ofMin("QUEUE_GET_CONFIG_REPLY", 8, ofUnsupported),
}

var of13Types = []ofMsgType{
	ofMin("HELLO", 0, ofUnsupported), ofMin("ERROR", 4, ofUnsupported), ofMin("ECHO_REQUEST", 0, ofData),
	ofMin("ECHO_REPLY", 0, ofData), ofMin("EXPERIMENTER", 8, ofUnsupported), ofFix("FEATURES_REQUEST", 0, ofNone),
	ofFix("FEATURES_REPLY", 24, ofUnsupported), ofFix("GET_CONFIG_REQUEST", 0, ofNone),
	ofFix("GET_CONFIG_REPLY", 4, ofConfig13), ofFix("SET_CONFIG", 4, ofConfig13),
	{name: "PACKET_IN"}, {name: "FLOW_REMOVED"}, ofFix("PORT_STATUS", 72, ofUnsupported),
	{name: "PACKET_OUT"}, {name: "FLOW_MOD"}, {name: "GROUP_MOD"}, ofFix("PORT_MOD", 32, ofUnsupported),
	ofFix("TABLE_MOD", 8, ofUnsupported), {name: "MULTIPART_REQUEST"}, {name: "MULTIPART_REPLY"},
	ofFix("BARRIER_REQUEST", 0, ofNone), ofFix("BARRIER_REPLY", 0, ofNone),
	ofFix("QUEUE_GET_CONFIG_REQUEST", 8, ofUnsupported), {name: "QUEUE_GET_CONFIG_REPLY"},
	ofFix("ROLE_REQUEST", 16, ofUnsupported), ofFix("ROLE_REPLY", 16, ofUnsupported),
	ofFix("GET_ASYNC_REQUEST", 0, ofNone), ofFix("GET_ASYNC_REPLY", 24, ofUnsupported),
	ofFix("SET_ASYNC", 24, ofUnsupported), {name: "METER_MOD"},
}

var ofVersions = map[uint8]string{1: "1.0", 2: "1.1", 3: "1.2", 4: "1.3", 5: "1.4", 6: "1.5"}

var ofFragConfig = map[uint16]string{0: "FRAG_NORMAL", 1: "FRAG_DROP", 2: "FRAG_REASM"}

func printOpenFlow(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	o := &out{b: append(b, ": OpenFlow"...), v: p.opts.Verbose}
	o.openflow(view(c.data), c.length)
	return o.b, true
}

func (o *out) openflow(d view, n int) {
	defer o.catch("openflow")
	for at := 0; n > 0; {
		version := d.u8(at)
		at, n = at+1, n-1
		o.str("\n\tversion ")
		o.b = appendTok(o.b, ofVersions, version, "unknown (0x%02x)")
		if n < 1 {
			o.ofPartial(d, at, n)
			return
		}
		typ := d.u8(at)
		at, n = at+1, n-1
		var mt *ofMsgType
		switch {
		case version == 1 && int(typ) < len(of10Types):
			mt = &of10Types[typ]
		case version == 4 && int(typ) < len(of13Types):
			mt = &of13Types[typ]
		}
		if mt != nil {
			o.printf(", type %s", mt.name)
		} else {
			o.printf(", type unknown (0x%02x)", typ)
		}
		if n < 2 {
			o.ofPartial(d, at, n)
			return
		}
		length := int(d.u16(at))
		at, n = at+2, n-2
		o.printf(", length %d", length)
		if length < 8 {
			o.str(" (too short!)")
		}
		if n < 4 {
			o.ofPartial(d, at, n)
			return
		}
		o.printf(", xid 0x%08x", d.u32(at))
		at, n = at+4, n-4
		if length < 8 {
			o.str(" (invalid)")
			d.need(at, n)
			return
		}
		o.ofBody(d, at, length-8, mt, version, typ)
		if length-8 > n {
			break
		}
		at, n = at+length-8, n-(length-8)
	}
}

func (o *out) ofPartial(d view, at, n int) {
	o.str(" (end of TCP payload)")
	d.need(at, n)
}

// ofBody prints a message body of n bytes at at.
func (o *out) ofBody(d view, at, n int, mt *ofMsgType, version, typ uint8) {
	if mt == nil {
		d.need(at, n)
		return
	}
	if mt.check && (mt.fixed && n != mt.size || !mt.fixed && n < mt.size) {
		o.str(" (invalid)")
		d.need(at, n)
		return
	}
	if o.v == 0 || mt.decoder == ofNone {
		d.need(at, n)
		return
	}
	if mt.decoder == ofUnsupported {
		if !(version == 1 && o.of10Body(d, at, n, typ) || version == 4 && o.of13Body(d, at, n, typ)) {
			d.need(at, n)
		}
		return
	}
	switch mt.decoder {
	case ofData:
		if n == 0 {
			return
		}
		o.printf("\n\t data (%d octets)", n)
		if o.v >= 2 {
			o.b = appendHexASCIIIdent(o.b, "\n\t  ", d[at:at+d.avail(at, n)])
		}
		d.need(at, n)
	case ofFlowRemoved10:
		o.of10Match(d, at, "\n\t ")
		at += 40
		o.printf("\n\t cookie 0x%016x", d.u64(at))
		if pr := d.u16(at + 8); pr != 0 {
			o.printf(", priority %d", pr)
		}
		o.str(", reason ")
		o.b = appendTok(o.b, map[uint8]string{0: "IDLE_TIMEOUT", 1: "HARD_TIMEOUT", 2: "DELETE"}, d.u8(at+10), "unknown (0x%02x)")
		o.printf(", duration_sec %d, duration_nsec %d", d.u32(at+12), d.u32(at+16))
		if it := d.u16(at + 20); it != 0 {
			o.printf(", idle_timeout %d", it)
		}
		o.printf(", packet_count %d, byte_count %d", d.u64(at+24), d.u64(at+32))
	case ofConfig10, ofConfig13:
		o.str("\n\t flags ")
		o.b = appendTok(o.b, ofFragConfig, d.u16(at), "invalid (0x%04x)")
		o.str(", miss_send_len ")
		if mt.decoder == ofConfig13 {
			o.b = appendTok(o.b, map[uint16]string{0xffe5: "MAX", 0xffff: "NO_BUFFER"}, d.u16(at+2), "%d")
		} else {
			o.b = appendUint(o.b, d.u16(at+2))
		}
	}
}

var of10Ports = map[uint16]string{0xff00: "MAX", 0xfff8: "IN_PORT", 0xfff9: "TABLE", 0xfffa: "NORMAL",
	0xfffb: "FLOOD", 0xfffc: "ALL", 0xfffd: "CONTROLLER", 0xfffe: "LOCAL", 0xffff: "NONE"}

// of10Match prints an OpenFlow 1.0 match: the fields its wildcards leave.
func (o *out) of10Match(d view, at int, pfx string) {
	w := d.u32(at)
	if w&^(1<<22-1) != 0 {
		o.printf("%swildcards 0x%08x (bogus)", pfx, w)
	}
	if w&1 == 0 {
		o.printf("%smatch in_port ", pfx)
		o.b = appendTok(o.b, of10Ports, d.u16(at+4), "%d")
	}
	if w&4 == 0 {
		o.printf("%smatch dl_src ", pfx)
		o.b = appendMAC(o.b, d.bytes(at+6, 6))
	}
	if w&8 == 0 {
		o.printf("%smatch dl_dst ", pfx)
		o.b = appendMAC(o.b, d.bytes(at+12, 6))
	}
	if w&2 == 0 {
		vid := d.u16(at + 18)
		switch {
		case vid == 0xffff:
			o.printf("%smatch dl_vlan NONE", pfx)
		case vid > 0 && vid < 0xfff:
			o.printf("%smatch dl_vlan %d", pfx, vid)
		default:
			o.printf("%smatch dl_vlan %d (bogus)", pfx, vid)
		}
	}
	if w&(1<<20) == 0 {
		pcp := d.u8(at + 20)
		bogus := ""
		if pcp > 7 {
			bogus = " (bogus)"
		}
		o.printf("%smatch dl_vlan_pcp %d%s", pfx, pcp, bogus)
	}
	dlType := d.u16(at + 22)
	if w&0x10 == 0 {
		o.printf("%smatch dl_type 0x%04x", pfx, dlType)
	}
	if w&(1<<21) == 0 {
		o.printf("%smatch nw_tos 0x%02x", pfx, d.u8(at+24))
	}
	proto := d.u8(at + 25)
	if w&0x20 == 0 {
		name := "nw_proto"
		if w&0x10 == 0 && dlType == 0x0806 {
			name = "arp_opcode"
		}
		o.printf("%smatch %s %d", pfx, name, proto)
	}
	if bits := w >> 8 & 63; bits < 32 {
		o.printf("%smatch nw_src %s/%d", pfx, d.ip4(at+28), 32-bits)
	}
	if bits := w >> 14 & 63; bits < 32 {
		o.printf("%smatch nw_dst %s/%d", pfx, d.ip4(at+32), 32-bits)
	}
	icmp := w&0x10 == 0 && dlType == 0x0800 && w&0x20 == 0 && proto == 1
	if w&0x40 == 0 {
		name := "tp_src"
		if icmp {
			name = "icmp_type"
		}
		o.printf("%smatch %s %d", pfx, name, d.u16(at+36))
	}
	if w&0x80 == 0 {
		name := "tp_dst"
		if icmp {
			name = "icmp_code"
		}
		o.printf("%smatch %s %d", pfx, name, d.u16(at+38))
	} else {
		d.need(at+38, 2)
	}
}
