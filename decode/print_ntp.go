package decode

import (
	"fmt"
	"time"
)

// NTP (UDP 123) as tcpdump's ntp_print prints it: version, mode and
// length; at -v the time message (leap indicator, stratum, poll, precision,
// root delay and dispersion, reference ID, the four timestamps and their
// differences, key ID and digest) or the control message header.

func init() { registerUDPPorts(660, printNTP, 123) }

var (
	ntpModes = map[uint8]string{0: "unspecified", 1: "symmetric active", 2: "symmetric passive",
		3: "Client", 4: "Server", 5: "Broadcast", 6: "Control Message", 7: "Reserved"}
	ntpLeap = map[uint8]string{0: "", 0x40: "+1s", 0x80: "-1s", 0xc0: "clock unsynchronized"}
)

const ntpTimeMsgLen = 48

func printNTP(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	d, length := c.data, c.length
	if len(d) < 1 {
		return append(b, " [|ntp]"...), true
	}
	mode := d[0] & 7
	b = fmt.Appendf(b, "NTPv%d, ", d[0]>>3&7)
	b = appendNameOr(b, ntpModes, mode, "Unknown mode")
	b = appendLength(b, length)
	if p.opts.Verbose == 0 {
		return b, true
	}
	leap := d[0] & 0xc0
	b = fmt.Appendf(b, "\n\tLeap indicator: %s (%d)", ntpLeap[leap], leap)
	switch mode {
	case 6:
		if length < 12 {
			return append(b, " (invalid)"...), true
		}
		if len(d) < 12 {
			return append(b, " [|ntp]"...), true
		}
		ctl := d[1]
		word := func(bit byte, set, clear string) string {
			if ctl&bit != 0 {
				return set
			}
			return clear
		}
		b = fmt.Appendf(b, ", %s, %s, %s, OpCode=%d\n\tSequence=%d, Status=%s, Assoc.=%d, Offset=%d, Count=%d",
			word(0x80, "Response", "Request"), word(0x40, "Error", "OK"), word(0x20, "More", "Last"), ctl&0x1f,
			be.Uint16(d[2:]), cHex(be.Uint16(d[4:])), be.Uint16(d[6:]), be.Uint16(d[8:]), be.Uint16(d[10:]))
		count := int(be.Uint16(d[10:]))
		if 12+count > length {
			return append(b, " (invalid)"...), true
		}
		if count != 0 {
			if len(d) < 12+count {
				return append(b, " [|ntp]"...), true
			}
			b = append(b, "\n\tTO-BE-DONE: data not interpreted"...)
		}
		return b, true
	case 7:
		return b, true
	}
	if length < ntpTimeMsgLen {
		return append(b, " (invalid)"...), true
	}
	if len(d) < ntpTimeMsgLen {
		return append(b, " [|ntp]"...), true
	}
	stratum := d[1]
	b = fmt.Appendf(b, ", Stratum %d (", stratum)
	switch {
	case stratum == 0:
		b = append(b, "unspecified"...)
	case stratum == 1:
		b = append(b, "primary reference"...)
	case stratum <= 15:
		b = append(b, "secondary reference"...)
	default:
		b = append(b, "reserved"...)
	}
	poll := int8(d[2])
	b = fmt.Appendf(b, "), poll %d", poll)
	if poll > -32 && poll < 32 {
		b = fmt.Appendf(b, " (%.6gs)", pow2(int(poll)))
	}
	b = fmt.Appendf(b, ", precision %d\n\tRoot Delay: ", int8(d[3]))
	b = appendNTPShort(b, d[4:])
	b = append(b, ", Root dispersion: "...)
	b = appendNTPShort(b, d[8:])
	b = append(b, ", Reference-ID: "...)
	switch stratum {
	case 0:
		b = append(b, "(unspec)"...)
	case 1:
		b = appendPrintable(b, d[12:16])
	default:
		b = fmt.Appendf(b, "0x%08x", be.Uint32(d[12:]))
	}
	for i, name := range []string{"Reference Timestamp:  ", "Originator Timestamp: ", "Receive Timestamp:    ", "Transmit Timestamp:   "} {
		b = append(b, "\n\t  "...)
		b = append(b, name...)
		b = appendNTPTime(b, d[16+8*i:])
	}
	b = append(b, "\n\t    Originator - Receive Timestamp:  "...)
	b = appendNTPTimeDiff(b, d[24:], d[32:])
	b = append(b, "\n\t    Originator - Transmit Timestamp: "...)
	b = appendNTPTimeDiff(b, d[24:], d[40:])
	extra := length - ntpTimeMsgLen
	switch extra {
	case 4, 20, 24:
		if len(d) < length {
			return append(b, " [|ntp]"...), true
		}
		b = fmt.Appendf(b, "\n\tKey id: %d", be.Uint32(d[48:]))
		if extra > 4 {
			b = append(b, "\n\tAuthentication: "...)
			b = appendHexBytes(b, d[52:length])
		}
	default:
		if extra > 0 {
			b = fmt.Appendf(b, "\n\t(%d more bytes after the header)", extra)
		}
	}
	return b, true
}

func pow2(n int) float64 {
	v := 1.0
	for ; n > 0; n-- {
		v *= 2
	}
	for ; n < 0; n++ {
		v /= 2
	}
	return v
}

// cHex formats v as C's "%#hx" does: "0" for zero, else "0x..." .
func cHex(v uint16) string {
	if v == 0 {
		return "0"
	}
	return fmt.Sprintf("%#x", v)
}

// appendNTPShort appends a 16.16 fixed-point value as tcpdump's p_sfix.
func appendNTPShort(b, d []byte) []byte {
	f := int(float64(be.Uint16(d[2:])) / 65536.0 * 1000000.0)
	return fmt.Appendf(b, "%d.%06d", be.Uint16(d), f)
}

// ntpFraction converts a 32-bit binary fraction to nanoseconds as tcpdump
// does (through a double).
func ntpFraction(f uint32) uint32 { return uint32(float64(f) / 4294967296.0 * 1000000000.0) }

// appendNTPTime appends a 64-bit NTP timestamp and, when not zero, its UTC
// date.
func appendNTPTime(b, d []byte) []byte {
	i := be.Uint32(d)
	b = fmt.Appendf(b, "%d.%09d", i, ntpFraction(be.Uint32(d[4:])))
	if i != 0 {
		t := time.Unix(int64(i)-2208988800, 0).UTC()
		b = t.AppendFormat(append(b, " ("...), "2006-01-02T15:04:05Z")
		b = append(b, ')')
	}
	return b
}

// appendNTPTimeDiff appends rec - org as tcpdump's p_ntp_time_diff does.
func appendNTPTimeDiff(b, org, rec []byte) []byte {
	o, of := be.Uint32(org), be.Uint32(org[4:])
	if o == 0 && of == 0 {
		return appendNTPTime(b, rec)
	}
	u, uf := be.Uint32(rec), be.Uint32(rec[4:])
	i := int32(u - o)
	var f uint32
	sign := byte('+')
	switch {
	case i > 0:
		f = uf - of
		if f > uf {
			i--
		}
	case i < 0:
		sign = '-'
		f = of - uf
		if f > of {
			i++
		}
		i = -i
	default:
		if uf > of {
			f = uf - of
		} else {
			sign = '-'
			f = of - uf
		}
	}
	return fmt.Appendf(b, "%c%d.%09d", sign, i, ntpFraction(f))
}
