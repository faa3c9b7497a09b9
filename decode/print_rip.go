package decode

// RIP versions 1 and 2 (RFC 1058, RFC 2453; UDP port 520), as tcpdump's
// rip_print prints it: version, command and length, at -v each route entry
// and the authentication entries.

func init() { registerUDPPorts(605, printRIP, 520) }

var ripCommands = map[uint8]string{1: "Request", 2: "Response", 3: "Trace on", 4: "Trace off", 5: "Poll", 6: "Poll Entry"}

// bsdAddressFamilies are tcpdump's names of BSD AF_ numbers.
var bsdAddressFamilies = map[uint16]string{2: "IPv4", 6: "NS", 7: "ISO", 16: "Appletalk", 23: "IPX", 24: "IPv6", 28: "IPv6", 30: "IPv6"}

func printRIP(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	o := &out{b: b, v: p.opts.Verbose}
	o.rip(view(c.data), c.length)
	return o.b, true
}

func (o *out) rip(d view, length int) {
	defer o.catch("rip")
	avail := min(len(d), length)
	if avail < 4 {
		o.str(" [|rip]")
		return
	}
	left := avail - 4
	vers := d.u8(1)
	if o.v >= 1 {
		o.str("\n\t")
	}
	o.printf("RIPv%d", vers)
	if vers == 0 {
		o.unknownData(d, 0, "\n\t", length)
		return
	}
	cmd := d.u8(0)
	o.str(", ")
	o.b = appendTok(o.b, ripCommands, cmd, "unknown command (%d)")
	o.printf(", length: %d", length)
	if o.v < 1 {
		return
	}
	switch cmd {
	case 1, 2:
		if vers != 1 && vers != 2 {
			o.str(", unknown version")
			break
		}
		o.printf(", routes: %d", length/20)
		if vers == 2 {
			o.str(" or less")
		}
		for at := 4; left != 0; {
			n := o.ripEntry(d, vers, at, left)
			if n == 0 {
				o.str(" [|rip]")
				break
			}
			if left < n {
				o.printf(" [remaining entries length %d < %d] (invalid)", left, n)
				break
			}
			at, left = at+n, left-n
		}
	case 4, 5, 6:
	default:
		if o.v <= 1 {
			o.unknownData(d, 0, "\n\t", length)
		}
	}
	if o.v > 1 {
		o.unknownData(d, 0, "\n\t", length)
	}
}

// ripEntry prints the route entry at at and returns its length, 0 when it
// is cut short.
func (o *out) ripEntry(d view, vers uint8, at, left int) int {
	if vers == 1 {
		if left < 20 || !d.has(at, 20) {
			return 0
		}
		fam := d.u16(at)
		switch {
		case fam != 2 && fam != 0:
			o.str("\n\t AFI ")
			o.b = appendTok(o.b, bsdAddressFamilies, fam, "Unknown (%d)")
			o.str(", ")
			o.unknownData(d, at+4, "\n\t  ", 16)
		case d.u16(at+2) != 0 || d.u32(at+8) != 0 || d.u32(at+12) != 0:
			o.unknownData(d, at, "\n\t  ", 20)
		case fam == 0:
			o.printf("\n\t  AFI 0, %s, metric: %d", d.ip4(at+4), d.u32(at+16))
		default:
			o.printf("\n\t  %s, metric: %d", d.ip4(at+4), d.u32(at+16))
		}
		return 20
	}
	if left < 4 || !d.has(at, 4) {
		return 0
	}
	fam := d.u16(at)
	switch {
	case fam == 0xffff:
		auth := d.u16(at + 2)
		at, left = at+4, left-4
		switch auth {
		case 2:
			o.str("\n\t  Simple Text Authentication data: ")
			o.printJNP(d, at, 16)
		case 3:
			if !d.has(at, 16) || left < 16 {
				return 0
			}
			o.printf("\n\t  Auth header: Packet Len %d, Key-ID %d, Auth Data Len %d, SeqNo %d, MBZ %d, MBZ %d",
				d.u16(at), d.u8(at+2), d.u8(at+3), d.u32(at+4), d.u32(at+8), d.u32(at+12))
		case 1:
			o.str("\n\t  Auth trailer:")
			o.unknownData(d, at, "\n\t  ", left)
			return 4 + left
		default:
			o.printf("\n\t  Unknown (%d) Authentication data:", auth)
			o.unknownData(d, at, "\n\t  ", left)
			return 4 + left
		}
	case fam != 2 && fam != 0:
		o.str("\n\t  AFI ")
		o.b = appendTok(o.b, bsdAddressFamilies, fam, "Unknown (%d)")
		o.unknownData(d, at+4, "\n\t  ", 16)
	default:
		if !d.has(at, 20) || left < 20 {
			return 0
		}
		o.str("\n\t  AFI ")
		o.b = appendTok(o.b, bsdAddressFamilies, fam, "%d")
		o.printf(", %15s/%-2d, tag 0x%04x, metric: %d, next-hop: ", d.ip4(at+4), maskLength(d.u32(at+8)), d.u16(at+2), d.u32(at+16))
		if d.u32(at+12) != 0 {
			o.b = d.ip4(at + 12).AppendTo(o.b)
		} else {
			o.str("self")
		}
	}
	return 20
}
