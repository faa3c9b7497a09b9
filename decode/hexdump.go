package decode

import "strconv"

// AppendHex appends data as tcpdump -x prints it: lines of up to sixteen
// bytes in groups of two, each line starting with "\n\t0x%04x: ".
func AppendHex(dst, data []byte) []byte {
	const digits = "0123456789abcdef"
	for off := 0; off < len(data); off += 16 {
		dst = appendOffset(dst, off)
		line := data[off:min(off+16, len(data))]
		for i := 0; i < len(line); i += 2 {
			dst = append(dst, ' ', digits[line[i]>>4], digits[line[i]&15])
			if i+1 < len(line) {
				dst = append(dst, digits[line[i+1]>>4], digits[line[i+1]&15])
			}
		}
	}
	return dst
}

// AppendHexASCII appends data as tcpdump -X prints it: AppendHex's lines
// with the hex padded to 40 columns and followed by two spaces and the bytes
// as ASCII, '.' for unprintable ones.
func AppendHexASCII(dst, data []byte) []byte {
	const digits = "0123456789abcdef"
	for off := 0; off < len(data); off += 16 {
		dst = appendOffset(dst, off)
		line := data[off:min(off+16, len(data))]
		start := len(dst)
		for i := 0; i < len(line); i += 2 {
			dst = append(dst, ' ', digits[line[i]>>4], digits[line[i]&15])
			if i+1 < len(line) {
				dst = append(dst, digits[line[i+1]>>4], digits[line[i+1]&15])
			}
		}
		for len(dst)-start < 40 {
			dst = append(dst, ' ')
		}
		dst = append(dst, ' ', ' ')
		for _, c := range line {
			if c <= 0x20 || c > 0x7e { // tcpdump shows only graphic characters
				c = '.'
			}
			dst = append(dst, c)
		}
	}
	return dst
}

// appendOffset appends "\n\t0x%04x: ".
func appendOffset(dst []byte, off int) []byte {
	dst = append(dst, '\n', '\t', '0', 'x')
	if off > 0xffff {
		dst = strconv.AppendInt(dst, int64(off>>16), 16)
	}
	const digits = "0123456789abcdef"
	return append(dst, digits[off>>12&15], digits[off>>8&15], digits[off>>4&15], digits[off&15], ':', ' ')
}
