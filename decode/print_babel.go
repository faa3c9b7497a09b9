package decode

import (
	"fmt"
	"net/netip"
)

// Babel (RFC 8966, UDP ports 6696 and 6697), as tcpdump's babel_print
// prints it: the TLV names on one line, at -v each TLV on its own line
// (hello, IHU, router id, next hop, update, requests, HMAC, MAC, PC, ...)
// with sub-TLVs, and the packet trailer after "----".

func init() { registerUDPPorts(648, printBabel, 6696, 6697) }

// babelInvalid and babelTrunc are tcpdump's "goto invalid" and "goto
// trunc" in babel_print_v2_tlvs.
type (
	babelInvalid struct{}
	babelTrunc   struct{}
)

var babelV4Prefix = [16]byte{10: 0xff, 11: 0xff}

func printBabel(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	o := &out{b: b, v: p.opts.Verbose}
	o.babel(view(c.data), c.length)
	return o.b, true
}

func (o *out) babel(d view, length int) {
	defer o.catch("babel")
	o.str("babel")
	if !d.has(0, 4) {
		o.str(" [|babel]")
		return
	}
	if d.u8(0) != 42 {
		o.str(" invalid header")
		return
	}
	o.printf(" %d", d.u8(1))
	if d.u8(1) != 2 {
		o.str(" unknown version")
		return
	}
	defer func() {
		switch r := recover(); r.(type) {
		case nil:
		case babelInvalid:
			o.str(" (invalid)")
		case babelTrunc:
			o.str(" [|babel]")
		default:
			panic(r)
		}
	}()
	if length < 4 {
		panic(babelInvalid{})
	}
	body := int(d.u16(2))
	o.printf(" (%d)", body)
	length -= 4
	if length < body {
		panic(babelInvalid{})
	}
	o.babelTLVs(d, 4, body, length)
	length -= body
	if length != 0 {
		if o.v > 0 {
			o.str("\n\t----")
		} else {
			o.str(" |")
		}
		o.babelTLVs(d, 4+body, length, length)
	}
}

func babelInterval(i uint16) string {
	if i == 0 {
		return "0.0s (bogus)"
	}
	return fmt.Sprintf("%d.%02ds", i/100, i%100)
}

func babelIntervalUpdate(i uint16) string {
	if i == 0xffff {
		return "infinity"
	}
	return babelInterval(i)
}

// babelPrefix decodes a prefix of address encoding ae as tcpdump's
// network_prefix does; ok is false for an encoding error.
func babelPrefix(ae, plen int, omitted int, d view, at int, def *[16]byte, n int) (prefix [16]byte, consumed int, ok bool) {
	var pb int
	switch {
	case plen >= 0:
		pb = (plen + 7) / 8
	case ae == 1:
		pb = 4
	default:
		pb = 16
	}
	if pb > 16 {
		return prefix, 0, false
	}
	switch ae {
	case 0:
	case 1:
		if omitted > 4 || pb > 4 || pb > omitted && n < pb-omitted {
			return prefix, 0, false
		}
		prefix = babelV4Prefix
		if omitted > 0 {
			if def == nil {
				return prefix, 0, false
			}
			copy(prefix[:12+omitted], def[:])
		}
		if pb > omitted {
			copy(prefix[12+omitted:], d.bytes(at, pb-omitted))
			consumed = pb - omitted
		}
	case 2:
		if omitted > 16 || pb > omitted && n < pb-omitted {
			return prefix, 0, false
		}
		if omitted > 0 {
			if def == nil {
				return prefix, 0, false
			}
			copy(prefix[:omitted], def[:])
		}
		if pb > omitted {
			copy(prefix[omitted:], d.bytes(at, pb-omitted))
			consumed = pb - omitted
		}
	case 3:
		if pb > 8 && n < pb-8 {
			return prefix, 0, false
		}
		prefix[0], prefix[1] = 0xfe, 0x80
		if pb > 8 {
			copy(prefix[8:], d.bytes(at, pb-8))
			consumed = pb - 8
		}
	default:
		return prefix, 0, false
	}
	return prefix, consumed, true
}

func babelFormatPrefix(p [16]byte, plen int) string {
	if plen >= 96 && [12]byte(p[:12]) == [12]byte(babelV4Prefix[:12]) {
		return fmt.Sprintf("%s/%d", netip.AddrFrom4([4]byte(p[12:])), plen-96)
	}
	return fmt.Sprintf("%s/%d", netip.AddrFrom16(p), plen)
}

func babelFormatAddress(p [16]byte) string {
	if [12]byte(p[:12]) == [12]byte(babelV4Prefix[:12]) {
		return netip.AddrFrom4([4]byte(p[12:])).String()
	}
	return netip.AddrFrom16(p).String()
}

func babelID(d view, at int) string {
	x := d.bytes(at, 8)
	return fmt.Sprintf("%02x:%02x:%02x:%02x:%02x:%02x:%02x:%02x", x[0], x[1], x[2], x[3], x[4], x[5], x[6], x[7])
}

// babelNames are the one-word names -v 0 prints for each TLV.
var babelNames = map[uint8]string{1: " padN", 2: " ack-req", 3: " ack", 4: " hello", 5: " ihu", 6: " router-id",
	7: " nh", 8: " update", 9: " route-request", 10: " seqno-request", 11: " tspc", 12: " hmac",
	13: " ss-update", 14: " ss-request", 15: " ss-mh-request", 16: " mac", 17: " pc",
	18: " challenge_request", 19: " challenge_reply"}

// babelTLVs prints the TLVs of n bytes from start; remaining bounds them
// too (tcpdump's ICHECK).
func (o *out) babelTLVs(d view, start, n, remaining int) {
	v4, v6 := babelV4Prefix, [16]byte{}
	check := func(i, l int) {
		if i+l > n || i+l > remaining {
			panic(babelInvalid{})
		}
	}
	for i := 0; i < n; {
		m := start + i
		check(i, 1)
		typ := d.u8(m)
		if typ == 0 {
			if o.v > 0 {
				o.str("\n\tPad 1")
			} else {
				o.str(" pad1")
			}
			i++
			continue
		}
		check(i, 2)
		if !d.has(m, 2) {
			panic(babelTrunc{})
		}
		l := int(d.u8(m + 1))
		check(i, 2+l)
		if !d.has(m, 2+l) {
			panic(babelTrunc{})
		}
		if o.v == 0 {
			name, ok := babelNames[typ]
			if !ok {
				name = " unknown"
			}
			o.str(name)
			if typ == 8 {
				if l < 10 {
					panic(babelInvalid{})
				}
				o.str(babelUpdateFlags(d.u8(m + 3)))
			}
		} else {
			o.babelTLV(d, typ, m, l, &v4, &v6)
		}
		i += l + 2
	}
}

func babelUpdateFlags(f uint8) string {
	s := ""
	if f&0x80 != 0 {
		s += "/prefix"
	}
	if f&0x40 != 0 {
		s += "/id"
	}
	if f&0x3f != 0 {
		s += "/unknown"
	}
	return s
}

// babelTLV prints one TLV at -v.
func (o *out) babelTLV(d view, typ uint8, m, l int, v4, v6 *[16]byte) {
	invalid := func(short bool) {
		if short {
			panic(babelInvalid{})
		}
	}
	def := func(ae uint8) *[16]byte {
		if ae == 1 {
			return v4
		}
		return v6
	}
	switch typ {
	case 1:
		o.printf("\n\tPad %d", l+2)
	case 2:
		o.str("\n\tAcknowledgment Request ")
		invalid(l < 6)
		o.printf("%04x %s", d.u16(m+4), babelInterval(d.u16(m+6)))
	case 3:
		o.str("\n\tAcknowledgment ")
		invalid(l < 2)
		o.printf("%04x", d.u16(m+2))
	case 4:
		o.str("\n\tHello ")
		invalid(l < 6)
		if d.u16(m+2)&0x8000 != 0 {
			o.str("(Unicast) ")
		}
		o.printf("seqno %d ", d.u16(m+4))
		if iv := d.u16(m + 6); iv != 0 {
			o.printf("interval %s", babelInterval(iv))
		} else {
			o.str("unscheduled")
		}
		if l > 6 {
			o.babelSubTLVs(d, m+8, m+2+l, typ)
		}
	case 5:
		o.str("\n\tIHU ")
		invalid(l < 6)
		ae := d.u8(m + 2)
		addr, rc, ok := babelPrefix(int(ae), -1, 0, d, m+8, nil, l-6)
		if !ok {
			o.str(" [|babel]")
			return
		}
		who := "any"
		if ae != 0 {
			who = babelFormatAddress(addr)
		}
		o.printf("%s rxcost %d interval %s", who, d.u16(m+4), babelInterval(d.u16(m+6)))
		if rc < l-6 {
			o.babelSubTLVs(d, m+8+rc, m+2+l, typ)
		}
	case 6:
		o.str("\n\tRouter Id")
		invalid(l < 10)
		o.printf(" %s", babelID(d, m+4))
	case 7:
		o.str("\n\tNext Hop")
		invalid(l < 2)
		ae := d.u8(m + 2)
		nh, _, ok := babelPrefix(int(ae), -1, 0, d, m+4, nil, l-2)
		invalid(!ok)
		if ae == 0 {
			o.str(" invalid AE 0")
		} else {
			o.printf(" %s", babelFormatAddress(nh))
		}
	case 8:
		o.str("\n\tUpdate")
		invalid(l < 10)
		ae, flags := d.u8(m+2), d.u8(m+3)
		plen := int(d.u8(m + 4))
		if ae == 1 {
			plen += 96
		}
		prefix, rc, ok := babelPrefix(int(ae), int(d.u8(m+4)), int(d.u8(m+5)), d, m+12, def(ae), l-10)
		invalid(!ok)
		what := "any"
		if ae != 0 {
			what = babelFormatPrefix(prefix, plen)
		}
		o.printf("%s %s metric %d seqno %d interval %s", babelUpdateFlags(flags), what, d.u16(m+10), d.u16(m+8), babelIntervalUpdate(d.u16(m+6)))
		if flags&0x80 != 0 {
			*def(ae) = prefix
		}
		if rc < l-10 {
			o.babelSubTLVs(d, m+12+rc, m+2+l, typ)
		}
	case 9:
		o.str("\n\tRoute Request ")
		invalid(l < 2)
		ae := d.u8(m + 2)
		plen := int(d.u8(m + 3))
		prefix, _, ok := babelPrefix(int(ae), plen, 0, d, m+4, nil, l-2)
		invalid(!ok)
		if ae == 1 {
			plen += 96
		}
		if ae == 0 {
			o.str("for any")
		} else {
			o.printf("for %s", babelFormatPrefix(prefix, plen))
		}
	case 10:
		o.str("\n\tSeqno Request ")
		invalid(l < 14)
		ae := d.u8(m + 2)
		plen := int(d.u8(m + 3))
		prefix, _, ok := babelPrefix(int(ae), plen, 0, d, m+16, nil, l-14)
		invalid(!ok)
		if ae == 1 {
			plen += 96
		}
		what := "invalid AE 0"
		if ae != 0 {
			what = babelFormatPrefix(prefix, plen)
		}
		o.printf("(%d hops) for %s seqno %d id %s", d.u8(m+6), what, d.u16(m+4), babelID(d, m+8))
	case 11:
		o.str("\n\tTS/PC ")
		invalid(l < 6)
		o.printf("timestamp %d packetcounter %d", d.u32(m+4), d.u16(m+2))
	case 12:
		o.str("\n\tHMAC ")
		invalid(l < 18)
		o.printf("key-id %d digest-%d ", d.u16(m+2), l-2)
		o.printf("%X", d.bytes(m+4, l-2))
	case 16:
		o.printf("\n\tMAC len %d", l)
	case 17:
		o.str("\n\tPC")
		invalid(l < 4)
		o.printf(" value %d index len %d", d.u32(m+2), l-4)
	case 18, 19:
		if typ == 18 {
			o.str("\n\tChallenge Request")
		} else {
			o.str("\n\tChallenge Reply")
		}
		invalid(l > 192)
		o.printf(" len %d", l)
	default:
		if typ >= 13 && typ <= 15 {
			o.babelSourceSpecific(d, typ, m, l, v4, v6)
			return
		}
		o.printf("\n\tUnknown message type %d", typ)
	}
}

// babelSourceSpecific prints the source-specific update and requests
// (draft-boutier-babel-source-specific).
func (o *out) babelSourceSpecific(d view, typ uint8, m, l int, v4, v6 *[16]byte) {
	invalid := func(bad bool) {
		if bad {
			panic(babelInvalid{})
		}
	}
	ae := d.u8(m + 2)
	add := 0
	if ae == 1 {
		add = 96
	}
	two := func(parsed, plen, omitted, splen int, def *[16]byte) (p, sp [16]byte, end int) {
		p, rc, ok := babelPrefix(int(ae), plen, omitted, d, m+2+parsed, def, l-parsed)
		invalid(!ok)
		parsed += rc
		sp, rc, ok = babelPrefix(int(ae), splen, 0, d, m+2+parsed, nil, l-parsed)
		invalid(!ok)
		return p, sp, parsed + rc
	}
	switch typ {
	case 13:
		o.str("\n\tSS-Update")
		invalid(l < 10)
		splen, plen, omitted := int(d.u8(m+3)), int(d.u8(m+4)), int(d.u8(m+5))
		iv, seqno, metric := d.u16(m+6), d.u16(m+8), d.u16(m+10)
		def := v6
		if ae == 1 {
			def = v4
		}
		p, sp, parsed := two(10, plen, omitted, splen, def)
		o.printf(" %s from", babelFormatPrefix(p, plen+add))
		o.printf(" %s metric %d seqno %d interval %s", babelFormatPrefix(sp, splen+add), metric, seqno, babelIntervalUpdate(iv))
		if parsed < l {
			o.babelSubTLVs(d, m+2+parsed, m+2+l, typ)
		}
	case 14:
		o.str("\n\tSS-Request ")
		invalid(l < 3)
		plen, splen := int(d.u8(m+3)), int(d.u8(m+4))
		p, sp, _ := two(3, plen, 0, splen, nil)
		if ae == 0 {
			o.str("for any")
		} else {
			o.printf("for (%s, %s)", babelFormatPrefix(p, plen+add), babelFormatPrefix(sp, splen+add))
		}
	case 15:
		o.str("\n\tSS-MH-Request ")
		invalid(l < 14)
		plen, seqno, hops, splen := int(d.u8(m+3)), d.u16(m+4), d.u8(m+6), int(d.u8(m+7))
		p, sp, _ := two(14, plen, 0, splen, nil)
		o.printf("(%d hops) for (%s, ", hops, babelFormatPrefix(p, plen+add))
		o.printf("%s) seqno %d id %s", babelFormatPrefix(sp, splen+add), seqno, babelID(d, m+8))
	}
}

// babelSubTLVs prints the sub-TLVs between at and end.
func (o *out) babelSubTLVs(d view, at, end int, tlv uint8) {
	for at < end {
		st := d.u8(at)
		at++
		if st == 0 {
			o.str(" sub-pad1")
			continue
		}
		if st&0x80 != 0 {
			o.str(" (M)")
		}
		if at == end {
			o.str(" (invalid)")
			return
		}
		sl := int(d.u8(at))
		at++
		if at+sl > end {
			o.str(" (invalid)")
			return
		}
		switch st {
		case 1:
			o.str(" sub-padn")
		case 2:
			o.str(" sub-diversity")
			if sl == 0 {
				o.str(" empty")
				break
			}
			sep := " "
			for k := 0; k < sl; k++ {
				o.str(sep)
				o.b = appendTok(o.b, map[uint8]string{0: "reserved", 255: "all"}, d.u8(at+k), "%d")
				sep = "-"
			}
			if tlv != 8 && tlv != 13 {
				o.str(" (bogus)")
			}
		case 3:
			o.str(" sub-timestamp")
			ts := func(x uint32) string { return fmt.Sprintf("%d.%06ds", x/1000000, x%1000000) }
			switch tlv {
			case 4:
				if sl < 4 {
					o.str(" (invalid)")
					return
				}
				o.printf(" %s", ts(d.u32(at)))
			case 5:
				if sl < 8 {
					o.str(" (invalid)")
					return
				}
				o.printf(" %s|%s", ts(d.u32(at)), ts(d.u32(at+4)))
			default:
				o.str(" (bogus)")
			}
		default:
			o.printf(" sub-unknown-0x%02x", st)
		}
		at += sl
	}
}
