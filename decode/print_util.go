package decode

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// Helpers shared by the protocol printers (print_*.go).

// appendTok appends names[v], or unknown formatted with v (tcpdump's
// tok2str: "Unknown (%u)").
func appendTok[K ~uint8 | ~uint16 | ~uint32 | ~int](b []byte, names map[K]string, v K, unknown string) []byte {
	if n, ok := names[v]; ok {
		return append(b, n...)
	}
	if !strings.Contains(unknown, "%") {
		return append(b, unknown...)
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

// appendHexIdent appends data as tcpdump's hex_print does: lines of eight
// groups of two bytes, each line starting with ident and "0x%04x: ".
func appendHexIdent(b []byte, ident string, data []byte) []byte {
	const digits = "0123456789abcdef"
	for i := 0; i < len(data); i += 2 {
		if i%16 == 0 {
			b = append(b, ident...)
			b = fmt.Appendf(b, "0x%04x: ", i)
		}
		b = append(b, ' ', digits[data[i]>>4], digits[data[i]&15])
		if i+1 < len(data) {
			b = append(b, digits[data[i+1]>>4], digits[data[i+1]&15])
		}
	}
	return b
}

// truncated is what a view panics with when a printer reads past the
// captured bytes, as tcpdump's GET_ macros give up on the whole packet; the
// printer recovers it with catch.
type truncated struct{}

// view is the captured bytes a printer reads, addressed from the start of
// its message; reads past the end panic with truncated.
type view []byte

func (d view) has(off, n int) bool { return off >= 0 && n >= 0 && off+n <= len(d) }

func (d view) need(off, n int) {
	if !d.has(off, n) {
		panic(truncated{})
	}
}

func (d view) u8(off int) uint8 { d.need(off, 1); return d[off] }

func (d view) u16(off int) uint16 { d.need(off, 2); return be.Uint16(d[off:]) }

func (d view) u24(off int) uint32 {
	d.need(off, 3)
	return uint32(d[off])<<16 | uint32(d[off+1])<<8 | uint32(d[off+2])
}

func (d view) u32(off int) uint32 { d.need(off, 4); return be.Uint32(d[off:]) }

func (d view) u64(off int) uint64 { d.need(off, 8); return be.Uint64(d[off:]) }

func (d view) bytes(off, n int) []byte { d.need(off, n); return d[off : off+n] }

func (d view) ip4(off int) netip.Addr { return netip.AddrFrom4([4]byte(d.bytes(off, 4))) }

func (d view) ip6(off int) netip.Addr { return netip.AddrFrom16([16]byte(d.bytes(off, 16))) }

// avail returns how many captured bytes there are from off, at most n.
func (d view) avail(off, n int) int {
	if off >= len(d) || off < 0 {
		return 0
	}
	return min(n, len(d)-off)
}

// out is the text a printer builds; its catch method ends it as tcpdump
// does when a read goes past the captured bytes.
type out struct {
	b []byte
	v int // tcpdump's -v count
}

// catch, deferred, recovers a view's truncated panic and appends
// " [|proto]"; other panics go on.
func (o *out) catch(proto string) {
	if r := recover(); r != nil {
		if _, ok := r.(truncated); !ok {
			panic(r)
		}
		o.b = appendTrunc(o.b, proto)
	}
}

func (o *out) str(s string) { o.b = append(o.b, s...) }

func (o *out) printf(format string, args ...any) { o.b = fmt.Appendf(o.b, format, args...) }

// unknownData appends up to n bytes of d from off as tcpdump's
// print_unknown_data does (hex lines starting with ident), as many as were
// captured.
func (o *out) unknownData(d view, off int, ident string, n int) {
	if off > len(d) {
		o.str(ident)
		o.str("Dissector error: print_unknown_data called with pointer past end of packet")
		return
	}
	o.b = appendHexIdent(o.b, ident, d[off:off+d.avail(off, n)])
}

// hexPrint appends n bytes of d from off as tcpdump's hex_print does,
// stopping with truncated where the capture ends.
func (o *out) hexPrint(d view, off int, ident string, n int) {
	a := d.avail(off, n)
	o.b = appendHexIdent(o.b, ident, d[off:off+a])
	if a < n {
		panic(truncated{})
	}
}

// appendPrintable appends s as tcpdump's nd_printn does: "M-" before bytes
// above 0x7f, "^X" for control characters.
func appendPrintable(b, s []byte) []byte {
	for _, c := range s {
		if c > 0x7f {
			b = append(b, 'M', '-')
			c &= 0x7f
		}
		if c < 0x20 || c == 0x7f {
			b = append(b, '^', c^0x40)
			continue
		}
		b = append(b, c)
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

// printJNP appends n bytes of d from t as tcpdump's nd_printjnp does: up
// to the first NUL, unprintable bytes escaped; a cut string ends the
// packet.
func (o *out) printJNP(d view, t, n int) {
	for i := 0; i < n; i++ {
		c := d.u8(t + i)
		if c == 0 {
			return
		}
		o.b = appendPrintable(o.b, []byte{c})
	}
}

// appendHexASCIIIdent appends data as tcpdump's hex_and_ascii_print does
// with an indent other than "\n\t".
func appendHexASCIIIdent(b []byte, ident string, data []byte) []byte {
	n := len(b)
	b = AppendHexASCII(b, data)
	if ident == "\n\t" {
		return b
	}
	out := append([]byte(nil), b[:n]...)
	for _, line := range strings.Split(string(b[n:]), "\n\t")[1:] {
		out = append(out, ident...)
		out = append(out, line...)
	}
	return out
}
