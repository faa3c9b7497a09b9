package decode

// SCTP (RFC 9260; IP protocol 132) as tcpdump's sctp_print prints it: the
// ports in the addresses, "sctp", the ForCES channel of ForCES ports, then
// each chunk numbered, with the fields of DATA, INIT, INIT ACK and SACK
// chunks; DATA chunks to ForCES ports print their ForCES message.

var sctpChunkNames = map[uint8]string{0: "DATA", 1: "INIT", 2: "INIT ACK", 3: "SACK", 4: "HB REQ", 5: "HB ACK",
	6: "ABORT", 7: "SHUTDOWN", 8: "SHUTDOWN ACK", 9: "OP ERR", 10: "COOKIE ECHO", 11: "COOKIE ACK",
	12: "ECN ECHO", 13: "ECN CWR", 14: "SHUTDOWN COMPLETE", 0x40: "I-DATA", 0x80: "ASCONF ACK",
	0xc0: "FOR CID", 0xc1: "ASCONF", 0xc2: "FORWARD TSN"}

// sctpPPIDs names payload protocol identifiers (IANA registry).
var sctpPPIDs = map[uint32]string{1: "IUA", 2: "M2UA", 3: "M3UA", 4: "SUA", 5: "M2PA", 6: "V5.2",
	7: "H.248", 8: "BICC", 9: "TALI", 10: "DUA", 11: "ASAP", 12: "ENRP", 13: "H.323", 14: "Q.IPC",
	15: "SIMCO", 16: "DDP Segment", 17: "DDP Stream", 18: "S1AP"}

// sctpForCESChannel names the ForCES channel of a port (RFC 5811).
func sctpForCESChannel(port uint16) string {
	switch port {
	case 6700, 6704:
		return "HP"
	case 6701, 6705:
		return "MP"
	case 6702, 6706:
		return "LP"
	}
	return ""
}

func printSCTP(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	o := &out{b: b, v: p.opts.Verbose}
	o.sctp(view(c.data), c)
	return o.b, true
}

func (o *out) sctp(d view, c *printContext) {
	defer o.catch("sctp")
	d.need(0, 12)
	o.str("sctp")
	forces := sctpForCESChannel(c.sport)
	if forces == "" {
		forces = sctpForCESChannel(c.dport)
	}
	if forces != "" {
		o.printf("[ForCES %s]", forces)
	}
	at, n := 12, min(c.length, len(d))-12
	for i := 1; n > 0; i++ {
		if n < 4 {
			o.str("[|sctp]")
			return
		}
		typ, clen := d.u8(at), int(d.u16(at+2))
		switch {
		case o.v >= 2:
			o.printf("\n\t%d) ", i)
		case i == 1:
			o.printf(" (%d) ", i)
		default:
			o.printf(", (%d) ", i)
		}
		o.str("[")
		o.b = appendTok(o.b, sctpChunkNames, typ, "Unknown chunk type: 0x%x")
		o.str("] ")
		if clen < 4 {
			o.printf("(chunk length %d < %d)", clen, 4)
			return
		}
		if clen > n {
			o.printf("(chunk length %d > %d)", clen, n)
			return
		}
		o.sctpChunk(d, at, typ, clen, forces != "")
		pad := (4 - clen%4) % 4
		at, n = at+clen+pad, n-clen-pad
	}
}

// sctpChunk prints the fields of the chunk of clen bytes at at.
func (o *out) sctpChunk(d view, at int, typ uint8, clen int, forces bool) {
	switch typ {
	case 0: // DATA
		if clen < 16 {
			o.str("[|sctp]")
			return
		}
		flags := d.u8(at + 1)
		for _, f := range []struct {
			bit  uint8
			name string
		}{{4, "(U)"}, {2, "(B)"}, {1, "(E)"}} {
			if flags&f.bit != 0 {
				o.str(f.name)
			}
		}
		if flags&7 != 0 {
			o.str(" ")
		}
		o.printf("[TSN: %d] [SID: %d] [SSEQ %d] [PPID ", d.u32(at+4), d.u16(at+8), d.u16(at+10))
		o.b = appendTok(o.b, sctpPPIDs, d.u32(at+12), "0x%x")
		o.str("] ")
		if forces {
			o.forces(d, at+16, clen-16)
		}
	case 1, 2: // INIT, INIT ACK
		if clen < 20 {
			o.str("[|sctp]")
			return
		}
		o.printf("[init tag: %d] [rwnd: %d] [OS: %d] [MIS: %d] [init TSN: %d] ",
			d.u32(at+4), d.u32(at+8), d.u16(at+12), d.u16(at+14), d.u32(at+16))
	case 3: // SACK
		if clen < 16 {
			o.str("[|sctp]")
			return
		}
		gaps, dups := int(d.u16(at+12)), int(d.u16(at+14))
		o.printf("[cum ack %d] [a_rwnd %d] [#gap acks %d] [#dup tsns %d] ", d.u32(at+4), d.u32(at+8), gaps, dups)
		p := at + 16
		for i := 1; i <= gaps && p+4 <= at+clen; i, p = i+1, p+4 {
			o.printf("\n\t\t[gap ack block #%d: start = %d, end = %d] ", i, d.u16(p), d.u16(p+2))
		}
		for i := 1; i <= dups && p+4 <= at+clen; i, p = i+1, p+4 {
			o.printf("\n\t\t[dup TSN #%d: %d] ", i, d.u32(p))
		}
	}
}

var forcesMessageTypes = map[uint8]string{1: "Association Setup", 0x11: "Association Response",
	2: "Association TearDown", 3: "Config", 0x13: "Config Response", 4: "Query", 0x14: "Query Response",
	5: "Event Notification", 6: "Packet Redirect", 0x0f: "HeartBeat"}

// forcesIDType names the kind of a ForCES identifier from its top bits.
var forcesIDType = [4]string{"FE", "CE", "FE", "AllMulticast"}

// forces prints the ForCES message (RFC 5810) of n bytes at at.
func (o *out) forces(d view, at, n int) {
	if n < 24 {
		o.str("[|forces]")
		return
	}
	typ := d.u8(at + 1)
	o.str("\n\tForCES ")
	o.b = appendTok(o.b, forcesMessageTypes, typ, "Unknown (%d)")
	o.str(" ")
	if o.v == 0 {
		return
	}
	src, dst := d.u32(at+4), d.u32(at+8)
	o.printf("\n\tForCES Version %d len %dB flags 0x%08x ", d.u8(at)>>4, int(d.u16(at+2))*4, d.u32(at+20))
	o.printf("\n\tSrcID 0x%x(%s) DstID 0x%x(%s) Correlator 0x%x", src, forcesIDType[src>>30], dst, forcesIDType[dst>>30], d.u64(at+12))
}
