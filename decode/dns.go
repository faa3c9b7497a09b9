package decode

import (
	"encoding/binary"
	"net/netip"
	"strconv"
)

// DNS messages on UDP port 53 are printed as tcpdump 4.99 prints them at
// verbosity 0 and 1 ("22836+ [1au] A? www.tcpdump.org. (56)", "22836*-
// 2/2/5 A 192.139.46.66, A 198.199.88.104 (224)"). Only messages that parse
// completely are: anything unusual (a truncated capture, compression loops,
// extended label types, unprintable names, record types whose rendering is
// not reproduced here) keeps the plain "UDP, length N", which is what the
// line starts with in tcpdump too.

// dnsOps are tcpdump's opcode suffixes.
var dnsOps = [16]string{"", " inv_q", " stat", " op3", " notify", " update", " op6", " op7",
	" op8", " updateA", " updateD", " updateDA", " updateM", " updateMA", " zoneInit", " zoneRef"}

// dnsRcodes are tcpdump's names for the (extended) response codes this
// printer reproduces; others are left to the fallback.
var dnsRcodes = map[int]string{0: "", 1: " FormErr", 2: " ServFail", 3: " NXDomain", 4: " NotImp",
	5: " Refused", 6: " YXDomain", 11: " Resp11", 12: " Resp12", 13: " Resp13", 14: " Resp14",
	15: " Resp15", 16: " BadVers", 23: " BadCookie"}

// dnsTypes are tcpdump's names of the record types printed here.
var dnsTypes = map[uint16]string{1: "A", 2: "NS", 3: "MD", 4: "MF", 5: "CNAME", 6: "SOA", 7: "MB",
	8: "MG", 9: "MR", 10: "NULL", 11: "WKS", 12: "PTR", 13: "HINFO", 14: "MINFO", 15: "MX",
	16: "TXT", 17: "RP", 18: "AFSDB", 19: "X25", 20: "ISDN", 21: "RT", 22: "NSAP", 23: "NSAP_PTR",
	24: "SIG", 25: "KEY", 26: "PX", 27: "GPOS", 28: "AAAA", 29: "LOC", 30: "NXT", 31: "EID",
	32: "NIMLOC", 33: "SRV", 34: "ATMA", 35: "NAPTR", 36: "KX", 37: "CERT", 39: "DNAME",
	43: "DS", 44: "SSHFP", 45: "IPSECKEY", 46: "RRSIG", 47: "NSEC", 48: "DNSKEY",
	99: "SPF", 100: "UINFO", 101: "UID", 102: "GID", 103: "UNSPEC", 249: "TKEY",
	251: "IXFR", 252: "AXFR", 253: "MAILB", 254: "MAILA", 255: "ANY", 256: "URI"}

// dnsClasses are tcpdump's names of the classes other than IN.
var dnsClasses = map[uint16]string{3: "CHAOS", 4: "HS", 255: "ANY"}

const (
	dnsTypeOPT = 41
	dnsClassIN = 1
)

// ports tcpdump dissects before DNS: a line with one of them on either
// side is not printed as DNS.
func dnsPortsOK(sport, dport uint16) bool {
	if sport != 53 && dport != 53 {
		return false
	}
	for _, p := range []uint16{37, 69, 67, 68, 520, 654} {
		if sport == p || dport == p {
			return false
		}
	}
	return true
}

// dnsMessage walks one DNS message.
type dnsMessage struct {
	msg []byte
}

// name reads the domain name at off and returns its text (with the final
// dot, "." for the root) and the offset after it in the record.
func (m dnsMessage) name(off int, text []byte) ([]byte, int, bool) {
	end := -1
	jumps := 0
	start := len(text)
	for {
		if off >= len(m.msg) {
			return nil, 0, false
		}
		l := int(m.msg[off])
		switch {
		case l == 0:
			if end < 0 {
				end = off + 1
			}
			if len(text) == start {
				text = append(text, '.')
			}
			return text, end, true
		case l&0xc0 == 0xc0:
			if off+1 >= len(m.msg) {
				return nil, 0, false
			}
			if end < 0 {
				end = off + 2
			}
			if jumps++; jumps > 64 {
				return nil, 0, false
			}
			off = int(binary.BigEndian.Uint16(m.msg[off:]) & 0x3fff)
		case l&0xc0 != 0:
			return nil, 0, false // extended label types
		default:
			if off+1+l > len(m.msg) {
				return nil, 0, false
			}
			for _, c := range m.msg[off+1 : off+1+l] {
				if c <= ' ' || c >= 0x7f || c == '.' || c == '\\' {
					return nil, 0, false
				}
			}
			text = append(text, m.msg[off+1:off+1+l]...)
			text = append(text, '.')
			off += 1 + l
		}
	}
}

// rr is one resource record's fixed fields.
type rr struct {
	nameOff    int
	typ, class uint16
	ttl        uint32
	rdata      int // offset of the data
	rdlen      int
}

// record parses the resource record at off.
func (m dnsMessage) record(off int) (rr, int, bool) {
	_, after, ok := m.name(off, nil)
	if !ok || after+10 > len(m.msg) {
		return rr{}, 0, false
	}
	r := rr{
		nameOff: off,
		typ:     binary.BigEndian.Uint16(m.msg[after:]),
		class:   binary.BigEndian.Uint16(m.msg[after+2:]),
		ttl:     binary.BigEndian.Uint32(m.msg[after+4:]),
		rdata:   after + 10,
		rdlen:   int(binary.BigEndian.Uint16(m.msg[after+8:])),
	}
	if r.rdata+r.rdlen > len(m.msg) {
		return rr{}, 0, false
	}
	return r, r.rdata + r.rdlen, true
}

// appendDNS appends tcpdump's rendering of the DNS message msg, whose UDP
// payload length is length, or reports false to leave the line as it is.
func (p *Printer) appendDNS(b []byte, msg []byte, length int) ([]byte, bool) {
	if p.opts.Verbose > 1 || len(msg) < 12 || len(msg) != length {
		return b, false
	}
	m := dnsMessage{msg: msg}
	id := binary.BigEndian.Uint16(msg)
	flags := binary.BigEndian.Uint16(msg[2:])
	qd := int(binary.BigEndian.Uint16(msg[4:]))
	an := int(binary.BigEndian.Uint16(msg[6:]))
	ns := int(binary.BigEndian.Uint16(msg[8:]))
	ar := int(binary.BigEndian.Uint16(msg[10:]))
	response := flags&0x8000 != 0
	opcode := int(flags>>11) & 15

	// Parse everything first: questions, then every record.
	off := 12
	questions := make([][2]int, 0, min(qd, 8)) // offsets of the name and of the type
	for range qd {
		_, after, ok := m.name(off, nil)
		if !ok || after+4 > len(msg) {
			return b, false
		}
		questions = append(questions, [2]int{off, after})
		off = after + 4
	}
	answers := make([]rr, 0, min(an, 16))
	extRcode := 0
	for i := range an + ns + ar {
		r, after, ok := m.record(off)
		if !ok {
			return b, false
		}
		if i < an {
			answers = append(answers, r)
		} else if i >= an+ns && r.typ == dnsTypeOPT {
			extRcode = int(r.ttl>>24) << 4
		}
		off = after
	}

	var ok bool
	if response {
		rcode, known := dnsRcodes[extRcode|int(flags&15)]
		if !known {
			return b, false
		}
		b = strconv.AppendUint(b, uint64(id), 10)
		b = append(b, dnsOps[opcode]...)
		b = append(b, rcode...)
		if flags&0x0400 != 0 {
			b = append(b, '*')
		}
		if flags&0x0080 == 0 {
			b = append(b, '-')
		}
		if flags&0x0200 != 0 {
			b = append(b, '|')
		}
		if flags&0x0020 != 0 {
			b = append(b, '$')
		}
		if qd != 1 {
			b = appendCount(b, qd, "q")
		}
		b = append(b, ' ')
		b = strconv.AppendUint(b, uint64(an), 10)
		b = append(b, '/')
		b = strconv.AppendUint(b, uint64(ns), 10)
		b = append(b, '/')
		b = strconv.AppendUint(b, uint64(ar), 10)
		for i, r := range answers {
			if i > 0 {
				b = append(b, ',')
			}
			if b, ok = p.appendRR(b, m, r); !ok {
				return b, false
			}
		}
	} else {
		b = strconv.AppendUint(b, uint64(id), 10)
		b = append(b, dnsOps[opcode]...)
		if flags&0x0100 != 0 {
			b = append(b, '+')
		}
		if flags&0x0010 != 0 {
			b = append(b, '%')
		}
		if flags&0x6cf != 0 {
			b = append(b, " [b2&3=0x"...)
			b = strconv.AppendUint(b, uint64(flags), 16)
			b = append(b, ']')
		}
		if opcode == 1 {
			if qd != 0 {
				b = appendCount(b, qd, "q")
			}
			if an != 1 {
				b = appendCount(b, an, "a")
			}
		} else {
			if an != 0 {
				b = appendCount(b, an, "a")
			}
			if qd != 1 {
				b = appendCount(b, qd, "q")
			}
		}
		if ns != 0 {
			b = appendCount(b, ns, "n")
		}
		if ar != 0 {
			b = appendCount(b, ar, "au")
		}
		for _, q := range questions {
			typ := binary.BigEndian.Uint16(msg[q[1]:])
			class := binary.BigEndian.Uint16(msg[q[1]+2:])
			name, known := dnsTypes[typ]
			if !known {
				return b, false
			}
			b = append(b, ' ')
			b = append(b, name...)
			if class != dnsClassIN {
				b = appendClass(b, class)
			}
			b = append(b, "? "...)
			b, _, _ = m.name(q[0], b)
		}
	}
	b = append(b, " ("...)
	b = strconv.AppendUint(b, uint64(length), 10)
	return append(b, ')'), true
}

func appendCount(b []byte, n int, what string) []byte {
	b = append(b, " ["...)
	b = strconv.AppendUint(b, uint64(n), 10)
	b = append(b, what...)
	return append(b, ']')
}

func appendClass(b []byte, class uint16) []byte {
	b = append(b, ' ')
	if name, ok := dnsClasses[class]; ok {
		return append(b, name...)
	}
	b = append(b, "(Class "...)
	b = strconv.AppendUint(b, uint64(class), 10)
	return append(b, ')')
}

// appendRR appends one answer as tcpdump's ns_rprint does at verbosity 0
// and 1.
func (p *Printer) appendRR(b []byte, m dnsMessage, r rr) ([]byte, bool) {
	if p.opts.Verbose > 0 {
		b = append(b, ' ')
		var ok bool
		if b, _, ok = m.name(r.nameOff, b); !ok {
			return b, false
		}
	}
	name, known := dnsTypes[r.typ]
	if !known {
		return b, false
	}
	if r.class != dnsClassIN {
		b = appendClass(b, r.class)
	}
	b = append(b, ' ')
	b = append(b, name...)
	data := m.msg[r.rdata : r.rdata+r.rdlen]
	var ok bool
	switch r.typ {
	case 1: // A
		if len(data) != 4 {
			return b, false
		}
		b = append(b, ' ')
		b = netip.AddrFrom4([4]byte(data)).AppendTo(b)
	case 28: // AAAA
		if len(data) != 16 {
			return b, false
		}
		b = append(b, ' ')
		b = netip.AddrFrom16([16]byte(data)).AppendTo(b)
	case 2, 5, 12, 39: // NS, CNAME, PTR, DNAME
		b = append(b, ' ')
		if b, _, ok = m.name(r.rdata, b); !ok {
			return b, false
		}
	case 15: // MX
		if len(data) < 3 {
			return b, false
		}
		b = append(b, ' ')
		if b, _, ok = m.name(r.rdata+2, b); !ok {
			return b, false
		}
		b = appendU16(b, ' ', data)
	case 33: // SRV
		if len(data) < 7 {
			return b, false
		}
		b = append(b, ' ')
		if b, _, ok = m.name(r.rdata+6, b); !ok {
			return b, false
		}
		b = appendU16(b, ':', data[4:]) // port, priority, weight
		b = appendU16(b, ' ', data)
		b = appendU16(b, ' ', data[2:])
	case 16: // TXT: each character-string quoted
		for i := 0; i < len(data); {
			n := int(data[i])
			if i+1+n > len(data) || !printable(data[i+1:i+1+n]) {
				return b, false
			}
			b = append(b, " \""...)
			b = append(b, data[i+1:i+1+n]...)
			b = append(b, '"')
			i += 1 + n
		}
	case 256: // URI: priority, weight, target
		if len(data) < 4 || !printable(data[4:]) {
			return b, false
		}
		b = appendU16(b, ' ', data)
		b = appendU16(b, ' ', data[2:])
		b = append(b, ' ')
		b = append(b, data[4:]...)
	case 6: // SOA: the fields only with -v
		if p.opts.Verbose == 0 {
			break
		}
		b = append(b, ' ')
		mname, after, ok := m.name(r.rdata, b)
		if !ok {
			return b, false
		}
		b = append(mname, ' ')
		rname, after2, ok := m.name(after, b)
		if !ok || after2+20 != r.rdata+r.rdlen {
			return b, false
		}
		b = rname
		for i := range 5 {
			b = append(b, ' ')
			b = strconv.AppendUint(b, uint64(binary.BigEndian.Uint32(m.msg[after2+4*i:])), 10)
		}
	}
	return b, true
}

// appendU16 appends sep and the big-endian 16-bit number at the start of d.
func appendU16(b []byte, sep byte, d []byte) []byte {
	b = append(b, sep)
	return strconv.AppendUint(b, uint64(binary.BigEndian.Uint16(d)), 10)
}

// printable reports whether s holds only printable ASCII.
func printable(s []byte) bool {
	for _, c := range s {
		if c < ' ' || c >= 0x7f {
			return false
		}
	}
	return true
}
