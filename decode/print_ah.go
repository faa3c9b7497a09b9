package decode

import "strconv"

// IPsec AH (RFC 4302, IP protocol 51), as tcpdump's ah_print prints it:
// "AH(spi=...,seq=...,icv=...): " and then the protocol it protects.

func init() { registerIPProto(51, "AH", printAH) }

func printAH(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	d := view(c.data)
	if len(d) < 1 {
		return append(b, " [|ah]"...), true
	}
	o := &out{b: b, v: p.opts.Verbose}
	next, n, ok := o.ah(d)
	if !ok {
		return o.b, true
	}
	inner := &printContext{data: c.data[min(n, len(c.data)):], length: c.length - n, src: c.src, dst: c.dst, ttl: c.ttl}
	if f := ipProtoPrinters[next]; f != nil {
		if out, ok := p.printRegistered(o.b, f, inner); ok {
			return out, true
		}
	}
	o.str(" ip-proto-")
	o.b = strconv.AppendUint(o.b, uint64(next), 10)
	o.b = append(o.b, ' ')
	o.b = strconv.AppendInt(o.b, int64(inner.length), 10)
	return o.b, true
}

// ah prints the AH header and returns the next protocol and the header's
// length; false when the capture ends inside it.
func (o *out) ah(d view) (next uint8, n int, ok bool) {
	defer o.catch("ah")
	next = d.u8(0)
	l := d.u8(1)
	n = (int(l) + 2) * 4
	o.str("AH(")
	if o.v > 0 {
		o.printf("length=%d(%d-bytes),", l, n)
	}
	if r := d.u16(2); r != 0 {
		o.printf("reserved=0x%x[MustBeZero],", r)
	}
	o.printf("spi=0x%08x,", d.u32(4))
	o.printf("seq=0x%x,", d.u32(8))
	o.str("icv=0x")
	for i := 12; i < n; i++ {
		o.printf("%02x", d.u8(i))
	}
	o.str("): ")
	return next, n, true
}
