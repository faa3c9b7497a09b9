package decode

// VRRP (RFC 3768 v2, RFC 5798 v3; IP protocol 112) and Cisco HSRP v0 (UDP
// port 1985), as tcpdump's vrrp_print and hsrp_print print them.

func init() {
	registerIPProto(112, "VRRP", printVRRP)
	registerUDPPorts(666, printHSRP, 1985)
}

func printVRRP(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	o := &out{b: b, v: p.opts.Verbose}
	o.vrrp(view(c.data), c)
	return o.b, true
}

func (o *out) vrrp(d view, c *printContext) {
	defer o.catch("vrrp")
	o.str("VRRP")
	version, typ := d.u8(0)>>4, d.u8(0)&15
	o.printf("v%d, ", version)
	o.b = appendTok(o.b, map[uint8]string{1: "Advertisement"}, typ, "unknown type (%d)")
	if c.ttl != 255 {
		o.printf(", (ttl %d)", c.ttl)
	}
	if version < 2 || version > 3 || typ != 1 {
		return
	}
	o.printf(", vrid %d, prio %d", d.u8(1), d.u8(2))
	auth := uint8(0)
	if version == 2 {
		auth = d.u8(4)
		o.str(", authtype ")
		o.b = appendTok(o.b, map[uint8]string{0: "none", 1: "simple", 2: "ah"}, auth, "(null)")
		o.printf(", intvl %ds, length %d", d.u8(5), c.length)
	} else {
		o.printf(", intvl %dcs, length %d", uint16(d.u8(4)&15)<<8|uint16(d.u8(5)), c.length)
	}
	if o.v == 0 {
		return
	}
	naddrs := int(d.u8(3))
	if d.has(0, c.length) {
		var sum uint32
		if version == 3 {
			ph := pseudoHeader{v6: c.v6()}
			if c.v6() {
				ph.src, ph.dst = c.src.As16(), c.dst.As16()
			} else {
				s4, d4 := c.src.As4(), c.dst.As4()
				copy(ph.src[:], s4[:])
				copy(ph.dst[:], d4[:])
			}
			sum = ph.sum(112, c.length)
		}
		if fold(checksumAdd(sum, d[:c.length])) != 0xffff {
			o.printf(", (bad vrrp cksum %x)", d.u16(6))
		}
	}
	o.str(", addrs")
	if naddrs > 1 {
		o.printf("(%d)", naddrs)
	}
	o.str(":")
	sep := " "
	at := 8
	for i := 0; i < naddrs; i++ {
		if c.v6() {
			o.printf("%s%s", sep, d.ip6(at))
			at += 16
		} else {
			o.printf("%s%s", sep, d.ip4(at))
			at += 4
		}
		sep = ","
	}
	if version == 2 && auth == 1 {
		o.str(" auth \"")
		o.printJNP(d, at, 8)
		o.str("\"")
	}
}

var hsrpStates = map[uint8]string{0: "initial", 1: "learn", 2: "listen", 4: "speak", 8: "standby", 16: "active"}

func printHSRP(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	o := &out{b: b, v: p.opts.Verbose}
	o.hsrp(view(c.data), c.length)
	return o.b, true
}

func (o *out) hsrp(d view, length int) {
	defer o.catch("hsrp")
	version := d.u8(0)
	o.printf("HSRPv%d", version)
	if version != 0 {
		return
	}
	o.str("-")
	o.b = appendTok(o.b, map[uint8]string{0: "hello", 1: "coup", 2: "resign"}, d.u8(1), "unknown (%d)")
	o.printf(" %d: state=", length)
	o.b = appendTok(o.b, hsrpStates, d.u8(2), "Unknown (%d)")
	o.printf(" group=%d ", d.u8(6))
	if r := d.u8(7); r != 0 {
		o.printf("[reserved=%d!] ", r)
	}
	o.printf("addr=%s", d.ip4(16))
	if o.v == 0 {
		return
	}
	o.str(" hellotime=")
	o.b = appendRelTime(o.b, uint32(d.u8(3)))
	o.str(" holdtime=")
	o.b = appendRelTime(o.b, uint32(d.u8(4)))
	o.printf(" priority=%d auth=\"", d.u8(5))
	o.printJNP(d, 8, 8)
	o.str("\"")
}
