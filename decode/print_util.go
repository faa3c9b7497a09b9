package decode

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strconv"
)

// Helpers shared by the protocol printers (print_*.go).

// appendTok appends names[v], or unknown formatted with v (tcpdump's
// tok2str: "Unknown (%u)").
func appendTok[K ~uint8 | ~uint16 | ~uint32 | ~int](b []byte, names map[K]string, v K, unknown string) []byte {
	if n, ok := names[v]; ok {
		return append(b, n...)
	}
	return fmt.Appendf(b, unknown, v)
}

// appendBitNames appends the names of the bits set in v, separated by sep,
// or none when no bit is set (tcpdump's bittok2str; "none" when empty).
func appendBitNames(b []byte, names []bitName, v uint32, sep, none string) []byte {
	n := 0
	for _, bn := range names {
		if v&bn.bit != 0 {
			if n > 0 {
				b = append(b, sep...)
			}
			b = append(b, bn.name...)
			n++
		}
	}
	if n == 0 {
		b = append(b, none...)
	}
	return b
}

// bitName names one flag bit.
type bitName struct {
	bit  uint32
	name string
}

// appendDefault appends data as tcpdump's default printer does for a
// message it does not dissect: a hex and ASCII dump on tab-indented lines.
func appendDefault(b, data []byte) []byte { return AppendHexASCII(b, data) }

// appendHexLines appends data as tcpdump's print_unknown_data does: hex and
// ASCII lines, each starting with "\n" and indent.
func appendHexLines(b []byte, indent string, data []byte) []byte {
	const digits = "0123456789abcdef"
	for off := 0; off < len(data); off += 16 {
		b = append(b, '\n')
		b = append(b, indent...)
		b = fmt.Appendf(b, "0x%04x: ", off)
		line := data[off:min(off+16, len(data))]
		start := len(b)
		for i := 0; i < len(line); i += 2 {
			b = append(b, ' ', digits[line[i]>>4], digits[line[i]&15])
			if i+1 < len(line) {
				b = append(b, digits[line[i+1]>>4], digits[line[i+1]&15])
			}
		}
		for len(b)-start < 40 {
			b = append(b, ' ')
		}
		b = append(b, ' ', ' ')
		for _, c := range line {
			if c <= 0x20 || c > 0x7e {
				c = '.'
			}
			b = append(b, c)
		}
	}
	return b
}

// appendIPv4At appends the IPv4 address at d[off:off+4].
func appendIPv4At(b, d []byte, off int) []byte {
	return netip.AddrFrom4([4]byte(d[off : off+4])).AppendTo(b)
}

// appendIPv6At appends the IPv6 address at d[off:off+16].
func appendIPv6At(b, d []byte, off int) []byte {
	return netip.AddrFrom16([16]byte(d[off : off+16])).AppendTo(b)
}

// appendMAC appends a link-layer address as tcpdump does: bytes in hex
// separated by colons.
func appendMAC(b, a []byte) []byte {
	const digits = "0123456789abcdef"
	for i, c := range a {
		if i > 0 {
			b = append(b, ':')
		}
		b = append(b, digits[c>>4], digits[c&15])
	}
	return b
}

// appendUint appends v in decimal.
func appendUint[T ~uint8 | ~uint16 | ~uint32 | ~uint64 | ~int](b []byte, v T) []byte {
	return strconv.AppendUint(b, uint64(v), 10)
}

var be = binary.BigEndian
