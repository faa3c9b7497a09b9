package pkt

import "strconv"

// Resolution is a timestamp resolution in the encoding of the pcapng
// if_tsresol option: the low seven bits are an exponent, the top bit selects
// base 2 (set) or base 10 (clear). 6 means microseconds, 9 nanoseconds,
// 0x80|20 units of 2^-20 seconds. A pcap file stores Microsecond or
// Nanosecond, as its magic number says.
type Resolution uint8

// Common resolutions.
const (
	Microsecond Resolution = 6
	Nanosecond  Resolution = 9
)

// UnitsPerSecond returns how many timestamp units make one second, and false
// when that number does not fit in a uint64.
func (r Resolution) UnitsPerSecond() (uint64, bool) {
	exp := uint(r & 0x7f)
	if r&0x80 != 0 {
		if exp > 63 {
			return 0, false
		}
		return 1 << exp, true
	}
	if exp > 19 {
		return 0, false
	}
	n := uint64(1)
	for range exp {
		n *= 10
	}
	return n, true
}

// String returns the unit: "µs", "ns", "ms", "s", "ps", or "10^-N s" and
// "2^-N s" for the others.
func (r Resolution) String() string {
	exp := int(r & 0x7f)
	if r&0x80 != 0 {
		return "2^-" + strconv.Itoa(exp) + " s"
	}
	switch exp {
	case 0:
		return "s"
	case 3:
		return "ms"
	case 6:
		return "µs"
	case 9:
		return "ns"
	case 12:
		return "ps"
	}
	return "10^-" + strconv.Itoa(exp) + " s"
}
