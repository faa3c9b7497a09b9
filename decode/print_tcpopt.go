package decode

import (
	"encoding/binary"
	"net/netip"
	"strconv"
)

// TCP option kinds tcpdump names (its tcp_option_values); the others print
// as unknown-KIND.
var tcpOptionNames = map[byte]string{
	0: "eol", 1: "nop", 2: "mss", 3: "wscale", 4: "sackOK", 5: "sack", 6: "echo",
	7: "echoreply", 8: "TS", 11: "cc", 12: "ccnew", 13: "", 19: "md5", 20: "scps",
	28: "uto", 29: "tcp-ao", 30: "mptcp", 34: "tfo", 254: "exp",
}

// tcpSegmentFlags are the flags of a segment that MPTCP option printing
// depends on.
type tcpSegmentFlags struct{ syn, ack bool }

// appendTCPOptions appends the options area opts of a TCP header as
// tcpdump's tcp_print does, between "options [" and "]". It reports false
// when tcpdump gives up on a malformed option ("[bad opt]"), which ends
// tcpdump's line. rev and base make SACK blocks relative, as the sequence
// numbers are.
func appendTCPOptions(b, opts []byte, flags tcpSegmentFlags, rev bool, base seqBase) ([]byte, bool) {
	b = append(b, ", options ["...)
	printed := 0
	ok := forTCPOptions(opts, func(kind byte, size int, at []byte) (int, bool) {
		if printed > 0 {
			b = append(b, ',')
		}
		printed++
		var n int
		var ok bool
		b, n, ok = appendTCPOption(b, kind, size, at, flags, rev, base)
		return n, ok
	})
	if !ok {
		b = append(b, "[bad opt]"...)
		if printed > 0 {
			b = append(b, ']')
		}
		return b, false
	}
	return append(b, ']'), true
}

// forTCPOptions walks a TCP options area as tcpdump does, calling do with
// each option's kind, its length field (1 for eol and nop) and the options
// from this one's kind byte on. do returns how many bytes after the kind
// and length it read as the option's data, which tcpdump takes for the option's data even where that
// disagrees with the length field, and false for a malformed option.
// forTCPOptions reports false when an option is malformed.
func forTCPOptions(opts []byte, do func(kind byte, size int, at []byte) (int, bool)) bool {
	for len(opts) > 0 {
		kind := opts[0]
		size, skip := 1, 1
		if kind > 1 {
			if len(opts) < 2 {
				return false
			}
			size, skip = int(opts[1]), 2
			if size < 2 || size > len(opts) {
				return false
			}
		}
		n, ok := do(kind, size, opts)
		if !ok {
			return false
		}
		opts = opts[skip+n:]
		if kind == 0 {
			break
		}
	}
	return true
}

// appendTCPOption appends one option of the given kind and length field;
// at holds the options from this one's kind byte on. It returns how many
// bytes after the kind and length are the option's data for tcpdump, and
// false where tcpdump finds the option malformed.
func appendTCPOption(b []byte, kind byte, size int, at []byte, flags tcpSegmentFlags, rev bool, base seqBase) ([]byte, int, bool) {
	be := binary.BigEndian
	if name, ok := tcpOptionNames[kind]; ok {
		b = append(b, name...)
	} else {
		b = append(b, "unknown-"...)
		b = strconv.AppendUint(b, uint64(kind), 10)
	}
	if kind <= 1 {
		return b, 0, true
	}
	area := at[2:]
	datalen := size - 2
	fixed := func(n int) bool {
		datalen = n
		return n <= len(area)
	}
	d := area[:datalen]
	switch kind {
	case 2:
		if !fixed(2) {
			return b, 0, false
		}
		b = append(b, ' ')
		b = strconv.AppendUint(b, uint64(be.Uint16(area)), 10)
	case 3:
		if !fixed(1) {
			return b, 0, false
		}
		b = append(b, ' ')
		b = strconv.AppendUint(b, uint64(area[0]), 10)
	case 4:
		datalen = 0
	case 5:
		if len(d)%8 != 0 {
			b = append(b, " invalid sack"...)
			break
		}
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(len(d)/8), 10)
		b = append(b, ' ')
		for i := 0; i+8 <= len(d); i += 8 {
			s, e := be.Uint32(d[i:]), be.Uint32(d[i+4:])
			if rev {
				s, e = s-base.lo, e-base.lo
			} else {
				s, e = s-base.hi, e-base.hi
			}
			b = append(b, '{')
			b = strconv.AppendUint(b, uint64(s), 10)
			b = append(b, ':')
			b = strconv.AppendUint(b, uint64(e), 10)
			b = append(b, '}')
		}
	case 6, 7, 11, 12, 13:
		if !fixed(4) {
			return b, 0, false
		}
		b = append(b, ' ')
		b = strconv.AppendUint(b, uint64(be.Uint32(area)), 10)
	case 8:
		if !fixed(8) {
			return b, 0, false
		}
		b = append(b, " val "...)
		b = strconv.AppendUint(b, uint64(be.Uint32(area)), 10)
		b = append(b, " ecr "...)
		b = strconv.AppendUint(b, uint64(be.Uint32(area[4:])), 10)
	case 19:
		// tcpdump cannot verify the signature without the -M secret.
		if !fixed(16) {
			return b, 0, false
		}
		b = append(b, " shared secret not supplied with -M, can't check - "...)
		b = appendHexBytes(b, area[:16])
	case 20:
		if !fixed(2) {
			return b, 0, false
		}
		b = append(b, " cap "...)
		b = appendHexBytes(b, area[:1])
		b = append(b, " id "...)
		b = strconv.AppendUint(b, uint64(area[1]), 10)
	case 28:
		if !fixed(2) {
			return b, 0, false
		}
		v := uint64(be.Uint16(area))
		b = append(b, " 0x"...)
		b = strconv.AppendUint(b, v, 16)
		if v&1 != 0 {
			v = v >> 1 * 60
		} else {
			v >>= 1
		}
		b = append(b, ' ')
		b = strconv.AppendUint(b, v, 10)
	case 29:
		if len(d) < 2 {
			b = append(b, " (invalid)"...)
			break
		}
		b = append(b, " keyid "...)
		b = strconv.AppendUint(b, uint64(d[0]), 10)
		b = append(b, " rnextkeyid "...)
		b = strconv.AppendUint(b, uint64(d[1]), 10)
		if len(d) > 2 {
			b = append(b, " mac 0x"...)
			b = appendHexBytes(b, d[2:])
		}
	case 30:
		var ok bool
		if b, ok = appendMPTCPOption(b, at[:size], flags); !ok {
			return b, 0, false
		}
	case 34:
		b = append(b, ' ')
		b = appendTFO(b, d)
	case 254:
		if len(d) < 2 {
			return b, 0, false
		}
		b = append(b, '-')
		if magic := be.Uint16(d); magic == 0xf989 {
			b = append(b, "tfo"...)
			b = appendTFO(b, d[2:])
		} else {
			b = appendHex16(b, magic)
		}
	default:
		if len(d) > 0 {
			b = append(b, " 0x"...)
			b = appendHexBytes(b, d)
		}
	}
	if datalen+2 != size {
		b = append(b, "[len "...)
		b = strconv.AppendInt(b, int64(size), 10)
		b = append(b, ']')
	}
	return b, datalen, true
}

// appendTFO appends a TCP Fast Open cookie or cookie request.
func appendTFO(b, cookie []byte) []byte {
	switch {
	case len(cookie) == 0:
		return append(b, " cookiereq"...)
	case len(cookie)%2 != 0 || len(cookie) < 4 || len(cookie) > 16:
		return append(b, " (invalid)"...)
	}
	b = append(b, " cookie "...)
	return appendHexBytes(b, cookie)
}

func appendHexBytes(b, d []byte) []byte {
	for _, c := range d {
		b = append(b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
	}
	return b
}

// mptcpSubtypes are tcpdump 4.99's names of MPTCP option subtypes.
var mptcpSubtypes = [...]string{"capable", "join", "dss", "add-addr", "rem-addr", "prio", "fail", "fast-close"}

// appendMPTCPOption appends an MPTCP option (RFC 6824, RFC 8684) as
// tcpdump's mptcp_print does, opt holding kind, length and data. It
// reports false where tcpdump finds the option malformed.
func appendMPTCPOption(b, opt []byte, flags tcpSegmentFlags) ([]byte, bool) {
	n := len(opt)
	if n < 3 {
		return b, false
	}
	be := binary.BigEndian
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(n), 10)
	sub := int(opt[2] >> 4)
	if sub >= len(mptcpSubtypes) {
		return append(b, " unknown"...), true
	}
	b = append(b, ' ')
	b = append(b, mptcpSubtypes[sub]...)
	hex64 := func(b []byte, v uint64) []byte {
		b = append(b, "0x"...)
		return strconv.AppendUint(b, v, 16)
	}
	switch sub {
	case 0: // MP_CAPABLE
		if !((n == 12 || n == 4) && flags.syn) && !((n == 20 || n == 22 || n == 24) && flags.ack && !flags.syn) {
			return b, false
		}
		version := opt[2] & 15
		if version > 1 {
			b = append(b, " Unknown Version ("...)
			b = strconv.AppendUint(b, uint64(version), 10)
			return append(b, ')'), true
		}
		b = append(b, " v"...)
		b = strconv.AppendUint(b, uint64(version), 10)
		if opt[3]&0x80 != 0 {
			b = append(b, " csum"...)
		}
		if n == 12 || n >= 20 {
			b = append(b, " {"...)
			b = hex64(b, be.Uint64(opt[4:]))
			if n >= 20 {
				b = append(b, ',')
				b = hex64(b, be.Uint64(opt[12:]))
			}
			b = append(b, '}')
		}
	case 1: // MP_JOIN
		if n != 12 && n != 16 && n != 24 {
			return b, false
		}
		if n != 24 {
			if opt[2]&1 != 0 {
				b = append(b, " backup"...)
			}
			b = append(b, " id "...)
			b = strconv.AppendUint(b, uint64(opt[3]), 10)
		}
		switch n {
		case 12:
			b = append(b, " token 0x"...)
			b = strconv.AppendUint(b, uint64(be.Uint32(opt[4:])), 16)
			b = append(b, " nonce 0x"...)
			b = strconv.AppendUint(b, uint64(be.Uint32(opt[8:])), 16)
		case 16:
			b = append(b, " hmac "...)
			b = hex64(b, be.Uint64(opt[4:]))
			b = append(b, " nonce 0x"...)
			b = strconv.AppendUint(b, uint64(be.Uint32(opt[12:])), 16)
		case 24:
			b = append(b, " hmac 0x"...)
			b = appendHexBytes(b, opt[4:24])
		}
	case 2:
		return appendMPTCPDSS(b, opt, flags)
	case 3: // ADD_ADDR
		switch n {
		case 8, 10, 16, 18, 20, 22, 28, 30:
		default:
			return b, false
		}
		b = append(b, ' ')
		switch opt[2] & 15 {
		case 6:
			b = append(b, "v0-ip6"...)
		case 4:
			b = append(b, "v0-ip4"...)
		case 1:
			b = append(b, "v1-echo"...)
		case 0:
			b = append(b, "v1"...)
		default:
			b = append(b, "[bad version/echo]"...)
		}
		b = append(b, " id "...)
		b = strconv.AppendUint(b, uint64(opt[3]), 10)
		alen := 4
		if n >= 20 {
			alen = 16
		}
		b = append(b, ' ')
		addr, _ := netip.AddrFromSlice(opt[4 : 4+alen])
		b = addr.AppendTo(b)
		rest := opt[4+alen:]
		if len(rest) == 2 || len(rest) == 10 {
			b = append(b, ':')
			b = strconv.AppendUint(b, uint64(be.Uint16(rest)), 10)
			rest = rest[2:]
		}
		if len(rest) == 8 {
			b = append(b, " hmac "...)
			b = hex64(b, be.Uint64(rest))
		}
	case 4: // REMOVE_ADDR
		if n < 4 {
			return b, false
		}
		b = append(b, " id"...)
		for _, id := range opt[3:] {
			b = append(b, ' ')
			b = strconv.AppendUint(b, uint64(id), 10)
		}
	case 5: // MP_PRIO
		if n != 3 && n != 4 {
			return b, false
		}
		if opt[2]&1 != 0 {
			b = append(b, " backup"...)
		} else {
			b = append(b, " non-backup"...)
		}
		if n == 4 {
			b = append(b, " id "...)
			b = strconv.AppendUint(b, uint64(opt[3]), 10)
		}
	case 6, 7: // MP_FAIL, MP_FASTCLOSE
		if n != 12 {
			return b, false
		}
		if sub == 6 {
			b = append(b, " seq "...)
			b = strconv.AppendUint(b, be.Uint64(opt[4:]), 10)
		} else {
			b = append(b, " key "...)
			b = hex64(b, be.Uint64(opt[4:]))
		}
	}
	return b, true
}

// appendMPTCPDSS appends a Data Sequence Signal option.
func appendMPTCPDSS(b, opt []byte, flags tcpSegmentFlags) ([]byte, bool) {
	if len(opt) < 4 || flags.syn {
		return b, false
	}
	be := binary.BigEndian
	f := opt[3]
	if f&0x10 != 0 {
		b = append(b, " fin"...)
	}
	d := opt[4:]
	// number appends a 4- or 8-byte number as wide says.
	number := func(b []byte, wide bool) ([]byte, bool) {
		if wide {
			if len(d) < 8 {
				return b, false
			}
			b = strconv.AppendUint(b, be.Uint64(d), 10)
			d = d[8:]
			return b, true
		}
		if len(d) < 4 {
			return b, false
		}
		b = strconv.AppendUint(b, uint64(be.Uint32(d)), 10)
		d = d[4:]
		return b, true
	}
	var ok bool
	if f&0x01 != 0 {
		b = append(b, " ack "...)
		if b, ok = number(b, f&0x02 != 0); !ok {
			return b, false
		}
	}
	if f&0x04 != 0 {
		b = append(b, " seq "...)
		if b, ok = number(b, f&0x08 != 0); !ok {
			return b, false
		}
		b = append(b, " subseq "...)
		if b, ok = number(b, false); !ok {
			return b, false
		}
		if len(d) < 2 {
			return b, false
		}
		b = append(b, " len "...)
		b = strconv.AppendUint(b, uint64(be.Uint16(d)), 10)
		d = d[2:]
		if len(d) >= 2 {
			b = append(b, " csum 0x"...)
			b = strconv.AppendUint(b, uint64(be.Uint16(d)), 16)
			d = d[2:]
		}
	}
	return b, len(d) == 0
}

// appendTCPResetData appends the data of a RST segment as tcpdump -v does
// (RFC 1122 suggests a reason text there): up to 30 bytes, "+" when there
// are more, "!RST" when the capture holds less than the segment.
func appendTCPResetData(b, data []byte, length int) []byte {
	if len(data) >= length {
		b = append(b, " [RST"...)
	} else {
		b = append(b, " [!RST"...)
	}
	if length > 30 {
		length = 30
		b = append(b, '+')
	}
	b = append(b, ' ')
	b = appendPrintable(b, data[:min(length, len(data))])
	return append(b, ']')
}
