package decode

// PTP, IEEE 1588 (EtherType 0x88f7, UDP ports 319 and 320), as tcpdump's
// ptp_print prints it: version 2 header fields and the timestamps,
// announce, signalling and management fields of each message type.

func init() {
	registerEtherType(0x88f7, printPTP)
	registerUDPPorts(719, printPTP, 319, 320)
}

var ptpMessages = map[uint8]string{0: "sync msg", 1: "delay req msg", 2: "peer delay req msg",
	3: "peer delay resp msg", 8: "follow up msg", 9: "delay resp msg", 0xa: "pdelay resp fup msg",
	0xb: "announce msg", 0xc: "signalling msg", 0xd: "management msg"}

var ptpControls = map[uint8]string{0: "Sync", 1: "Delay_Req", 2: "Follow_Up", 3: "Delay_Resp", 4: "Management", 5: "Other"}

var ptpFlags = []bitName{{0x1, "l1 61"}, {0x2, "l1 59"}, {0x4, "utc reasonable"}, {0x8, "timescale"},
	{0x10, "time tracable"}, {0x20, "frequency tracable"}, {0x100, "alternate master"}, {0x200, "two step"},
	{0x400, "unicast"}, {0x1000, "profile specific 1"}, {0x2000, "profile specific 2"},
	{0x4000, "security mask"}, {0x18c0, "unknown"}}

func printPTP(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	o := &out{b: b, v: p.opts.Verbose}
	o.ptp(view(c.data), c.length)
	return o.b, true
}

func (o *out) ptp(d view, length int) {
	defer o.catch("ptp")
	if length < 34 {
		o.printf(" [length %d < 34] (invalid)", length)
		return
	}
	vers := d.u16(0) & 0xff
	o.printf("PTPv%d", vers)
	switch vers {
	case 1:
		o.str(" (not implemented)")
		return
	case 2:
	default:
		return
	}
	first := d.u8(0)
	compat := "no"
	if first&0x10 != 0 {
		compat = "yes"
	}
	typ := first & 0x0f
	o.printf(", v1 compat : %s, msg type : ", compat)
	o.b = appendTok(o.b, ptpMessages, typ, "Reserved")
	o.printf(", length : %d", d.u16(2))
	o.printf(", domain : %d", d.u16(4)>>8)
	o.printf(", reserved1 : %d", d.u16(4)&0xff)
	o.str(", Flags [")
	o.b = appendBitNames(o.b, ptpFlags, uint32(d.u16(6)), ", ", "none")
	o.printf("], NS correction : %d", uint64(d.u16(8))<<32|uint64(d.u32(10)))
	o.printf(", sub NS correction : %d", d.u16(14))
	o.printf(", reserved2 : %d", d.u32(16))
	o.printf(", clock identity : 0x%x", d.u64(20))
	o.printf(", port id : %d", d.u16(28))
	o.printf(", seq id : %d", d.u16(30))
	ctl := d.u8(32)
	o.printf(", control : %d (", ctl)
	o.b = appendTok(o.b, ptpControls, ctl, "Reserved")
	o.printf("), log message interval : %d", d.u16(32)&0xff)
	const body = 34
	switch typ {
	case 0, 1:
		o.ptpTimestamp(d, body, "originTimeStamp")
	case 2:
		o.ptpTimestampIdentity(d, body, "preciseOriginTimeStamp")
	case 3, 9:
		o.ptpTimestampIdentity(d, body, "receiveTimeStamp")
	case 8:
		o.ptpTimestamp(d, body, "preciseOriginTimeStamp")
	case 0xa:
		o.ptpTimestampIdentity(d, body, "preciseOriginTimeStamp")
	case 0xb:
		o.ptpAnnounce(d, body)
	case 0xc:
		o.printf(", port identity : 0x%x", d.u64(body))
		o.printf(", port id : %d", d.u16(body+8))
	case 0xd:
		o.printf(", port identity : 0x%x", d.u64(body))
		o.printf(", port id : %d", d.u16(body+8))
		// tcpdump reads these four fields all from the body's first byte.
		for _, f := range []struct {
			name string
			hex  bool
		}{{"start boundary hops ", false}, {"boundary hops ", false}, {"flags ", true}, {"reserved ", true}} {
			x := d.u8(body)
			if f.hex {
				o.printf(", , %s 0x%x", f.name, x)
			} else {
				o.printf(", , %s %d", f.name, x)
			}
		}
	}
}

func (o *out) ptpTimestamp(d view, at int, name string) {
	o.printf(", %s :", name)
	o.printf(" %d seconds,", uint64(d.u16(at))<<32|uint64(d.u32(at+2)))
	o.printf(" %d nanoseconds", d.u32(at+6))
}

func (o *out) ptpTimestampIdentity(d view, at int, name string) {
	o.ptpTimestamp(d, at, name)
	o.printf(", port identity : 0x%x", d.u64(at+10))
	o.printf(", port id : %d", d.u16(at+18))
}

func (o *out) ptpAnnounce(d view, at int) {
	o.str(", originTimeStamp :")
	o.printf(" %d seconds", uint64(d.u16(at))<<32|uint64(d.u32(at+2)))
	o.printf(" %d nanoseconds", d.u32(at+6))
	o.printf(", origin cur utc :%d", d.u16(at+10))
	o.printf(", rsvd : %d", d.u8(at+12))
	o.printf(", gm priority_1 : %d", d.u8(at+13))
	o.printf(", gm clock class : %d", d.u8(at+14))
	o.printf(", gm clock accuracy : %d", d.u8(at+15))
	o.printf(", gm clock variance : %d", d.u16(at+16))
	o.printf(", gm priority_2 : %d", d.u8(at+18))
	o.printf(", gm clock id : 0x%x", d.u64(at+19))
	o.printf(", steps removed : %d", d.u16(at+27))
	o.printf(", time source : 0x%x", d.u8(at+29))
}
