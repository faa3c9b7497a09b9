package decode

// BFD (RFC 5880/5881/5883, UDP ports 3784, 4784, 6784 and echo 3785), as
// tcpdump's bfd_print prints it: version, state and flags, at -v the timers,
// discriminators and authentication section.

func init() { registerUDPPorts(683, printBFD, 3784, 4784, 6784, 3785) }

var bfdDiagnostics = map[uint8]string{0: "No Diagnostic", 1: "Control Detection Time Expired",
	2: "Echo Function Failed", 3: "Neighbor Signaled Session Down", 4: "Forwarding Plane Reset",
	5: "Path Down", 6: "Concatenated Path Down", 7: "Administratively Down",
	8: "Reverse Concatenated Path Down"}

var bfdPorts = map[uint16]string{3784: "Control", 4784: "Multihop", 6784: "Lag"}

var bfdStates = map[uint8]string{0: "AdminDown", 1: "Down", 2: "Init", 3: "Up"}

var bfdV0Flags = []bitName{{0x80, "I Hear You"}, {0x40, "Demand"}, {0x20, "Poll"}, {0x10, "Final"},
	{0x08, "Control Plane Independent"}, {0x04, "Authentication Present"}, {0x02, "Reserved"}, {0x01, "Reserved"}}

var bfdV1Flags = []bitName{{0x20, "Poll"}, {0x10, "Final"}, {0x08, "Control Plane Independent"},
	{0x04, "Authentication Present"}, {0x02, "Demand"}, {0x01, "Multipoint"}}

var bfdAuthTypes = map[uint8]string{1: "Simple Password", 2: "Keyed MD5", 3: "Meticulous Keyed MD5",
	4: "Keyed SHA1", 5: "Meticulous Keyed SHA1"}

func printBFD(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	port := c.dport
	switch port {
	case 3784, 4784, 6784, 3785:
	default:
		return b, false // tcpdump looks at the destination port only
	}
	o := &out{b: b, v: p.opts.Verbose}
	o.bfd(view(c.data), c.length, port)
	return o.b, true
}

func (o *out) bfd(d view, length int, port uint16) {
	defer o.catch("bfd")
	if port == 3785 {
		o.printf("BFD, Echo, length: %d", length)
		if o.v >= 1 {
			o.unknownData(d, 0, "\n\t", length)
		}
		return
	}
	if !d.has(0, 24) {
		o.str(" [|bfd]")
		return
	}
	vd, flags := d.u8(0), d.u8(1)
	version, diag := vd>>5, vd&0x1f
	switch version {
	case 0, 1:
		if o.v < 1 {
			if version == 0 {
				o.str("BFDv0, Control, Flags: [")
				o.b = appendBitNames(o.b, bfdV0Flags, uint32(flags), ", ", "none")
				o.printf("], length: %d", length)
				return
			}
			o.str("BFDv1, ")
			o.b = appendTok(o.b, bfdPorts, port, "unknown (%d)")
			o.str(", State ")
			o.b = appendTok(o.b, bfdStates, flags>>6, "unknown (%d)")
			o.str(", Flags: [")
			o.b = appendBitNames(o.b, bfdV1Flags, uint32(flags&0x3f), ", ", "none")
			o.printf("], length: %d", length)
			return
		}
		if version == 0 {
			o.printf("BFDv0, length: %d\n\tControl, Flags: [", length)
			o.b = appendBitNames(o.b, bfdV0Flags, uint32(flags), ", ", "none")
		} else {
			o.printf("BFDv1, length: %d\n\t", length)
			o.b = appendTok(o.b, bfdPorts, port, "unknown (%d)")
			o.str(", State ")
			o.b = appendTok(o.b, bfdStates, flags>>6, "unknown (%d)")
			o.str(", Flags: [")
			o.b = appendBitNames(o.b, bfdV1Flags, uint32(flags&0x3f), ", ", "none")
		}
		o.str("], Diagnostic: ")
		o.b = appendTok(o.b, bfdDiagnostics, diag, "unknown")
		o.printf(" (0x%02x)", diag)
		mult, minTx := uint32(d.u8(2)), d.u32(12)
		o.printf("\n\tDetection Timer Multiplier: %d (%d ms Detection time), BFD Length: %d", mult, mult*minTx/1000, d.u8(3))
		o.printf("\n\tMy Discriminator: 0x%08x, Your Discriminator: 0x%08x", d.u32(4), d.u32(8))
		o.printf("\n\t  Desired min Tx Interval:    %4d ms", minTx/1000)
		o.printf("\n\t  Required min Rx Interval:   %4d ms", d.u32(16)/1000)
		o.printf("\n\t  Required min Echo Interval: %4d ms", d.u32(20)/1000)
		if flags&0x04 != 0 {
			o.bfdAuth(d)
		}
	default:
		o.printf("BFDv%d, Control, length: %d", version, length)
		if o.v >= 1 {
			o.unknownData(d, 0, "\n\t", length)
		}
	}
}

// bfdAuth prints the authentication section after the 24-byte header.
func (o *out) bfdAuth(d view) {
	typ, l := d.u8(24), int(d.u8(25))
	d.need(24, 4)
	o.str("\n\tAuthentication: ")
	o.b = appendTok(o.b, bfdAuthTypes, typ, "Unknown")
	o.printf(" (%d), length: %d", typ, l)
	o.printf("\n\t  Auth Key ID: %d", d.u8(26))
	hash := func(name string, fieldLen, hashLen int) {
		if l != fieldLen {
			o.printf("[invalid length %d]", l)
			return
		}
		o.printf(", Sequence Number: 0x%08x", d.u32(28))
		if !d.has(32, hashLen) {
			o.str(" [|bfd]")
			return
		}
		o.printf("\n\t  %s: %x", name, d.bytes(32, hashLen))
	}
	switch typ {
	case 1:
		if l < 4 || l > 19 {
			o.printf("[invalid length %d]", l)
			return
		}
		o.str(", Password: ")
		a := d.avail(27, l-3)
		o.b = appendPrintable(o.b, d[27:27+a])
		if a < l-3 {
			panic(truncated{})
		}
	case 2, 3:
		hash("Digest", 24, 16)
	case 4, 5:
		hash("Hash", 28, 20)
	}
}
