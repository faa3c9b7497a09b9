package decode

// IS-IS TLVs of Shortest Path Bridging (IEEE 802.1aq, RFC 6329): the
// multi-topology-aware port capability TLV (143) with its MCID and digest
// sub-TLVs, and the multi-topology capability TLV (144) with its SPB
// instance sub-TLV, as tcpdump -v prints them.

// mtPortCapability prints TLV 143; false means tcpdump stops the PDU.
func (g *isisPrinter) mtPortCapability(t, n int) bool {
	d := g.d
	if n < 2 {
		return true
	}
	w := d.u16(t)
	g.printf("\n\t       RES: %d, MTID(s): %d", w>>12, w&0xfff)
	t, n = t+2, n-2
	for n >= 2 {
		st, sl := d.u8(t), int(d.u8(t+1))
		t, n = t+2, n-2
		if !g.spbSubTLV("\n\t       ", spbPortSubTLVs, st, sl, n) {
			return true
		}
		switch st {
		case 4:
			if sl < 102 {
				break
			}
			g.spbMCID(t, "MCID")
			g.spbMCID(t+51, "AUX-MCID")
		case 5:
			if sl < 33 {
				break
			}
			f := d.u8(t)
			g.printf("\n\t        RES: %d V: %d A: %d D: %d", f>>4, f>>3&1, f>>2&1, f&3)
			g.str("\n\t         Digest: ")
			for i := 0; i < 8; i++ {
				g.printf("%08x ", d.u32(t+1+4*i))
				if i == 3 {
					g.str("\n\t                 ")
				}
			}
		case 6:
			for i := 0; i+4 <= sl; i += 4 {
				g.printf("\n\t         ECT: %08x", d.u32(t+i))
				if i+6 <= sl {
					w := d.u16(t + i + 4)
					g.printf(" BVID: %d, U:%01x M:%01x ", w>>4, w>>3&1, w>>2&1)
				}
				i += 2
			}
		}
		d.need(t, sl)
		t, n = t+sl, n-sl
	}
	return true
}

// spbMCID prints one 51-byte MST configuration identifier.
func (g *isisPrinter) spbMCID(t int, name string) {
	d := g.d
	g.printf("\n\t         %s: ID: %d, Name: ", name, d.u8(t))
	g.out.printJNP(d, t+1, 32)
	g.printf("\n\t              Lvl: %d, Digest: ", d.u16(t+33))
	for i := 0; i < 16; i++ {
		g.printf("%02x ", d.u8(t+35+i))
	}
}

// mtCapability prints TLV 144; false means tcpdump stops the PDU.
func (g *isisPrinter) mtCapability(t, n int) bool {
	d := g.d
	if n < 2 {
		return true
	}
	w := d.u16(t)
	g.printf("\n\t      O: %d, RES: %d, MTID(s): %d", w>>15, w>>12&7, w&0xfff)
	t, n = t+2, n-2
	for n >= 2 {
		st, sl := d.u8(t), int(d.u8(t+1))
		t, n = t+2, n-2
		if !g.spbSubTLV("\n\t      ", spbCapSubTLVs, st, sl, n) {
			return true
		}
		switch st {
		case 1:
			if sl < 19 {
				break
			}
			g.printf("\n\t        CIST Root-ID: %08x %08x, Path Cost: %08x, Prio: %d",
				d.u32(t), d.u32(t+4), d.u32(t+8), d.u16(t+12))
			v := d.u32(t + 14)
			trees := int(d.u8(t + 18))
			g.printf("\n\t        RES: %d, V: %d, SPSource-ID: %d, No of Trees: %d", v>>21, v>>20&1, v&0xfffff, trees)
			for i, at := 0, t+19; i < trees && at+8 <= t+sl; i, at = i+1, at+8 {
				f := d.u8(at)
				vids := d.u24(at + 5)
				g.printf("\n\t        U:%d, M:%d, A:%d, RES:%d", f>>7, f>>6&1, f>>5&1, f&0x1f)
				g.printf("\n\t        ECT: %08x", d.u32(at+1))
				g.printf("\n\t        BVID: %d, SPVID: %d", vids>>12, vids&0xfff)
			}
		}
		d.need(t, sl)
		t, n = t+sl, n-sl
	}
	return true
}

var (
	spbPortSubTLVs = map[uint8]string{4: "SPB MCID", 5: "SPB Digest", 6: "SPB BVID"}
	spbCapSubTLVs  = map[uint8]string{1: "SPB Instance", 2: "SPBM Service Identifier and Unicast Address"}
)

// spbSubTLV prints a sub-TLV's name and length; false when it overruns the
// n bytes left in its TLV, where tcpdump stops the TLV.
func (g *isisPrinter) spbSubTLV(ident string, names map[uint8]string, st uint8, sl, n int) bool {
	g.str(ident)
	g.b = appendTok(g.b, names, st, "unknown")
	g.printf(" subTLV #%d, length: %d", st, sl)
	if sl > n {
		g.str(" (> containing TLV length)")
		return false
	}
	return true
}
