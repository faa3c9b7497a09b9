package hugepage

// mappingOf finds in the text of /proc/self/maps the range of the mapping
// that holds addr.
func mappingOf(maps []byte, addr uintptr) (start, end uintptr, ok bool) {
	for len(maps) > 0 {
		line := maps
		for i, c := range maps {
			if c == '\n' {
				line, maps = maps[:i], maps[i+1:]
				break
			}
			if i == len(maps)-1 {
				maps = nil
			}
		}
		s, rest, ok1 := hexPrefix(line)
		if !ok1 || len(rest) == 0 || rest[0] != '-' {
			continue
		}
		e, _, ok2 := hexPrefix(rest[1:])
		if ok2 && s <= addr && addr < e {
			return s, e, true
		}
	}
	return 0, 0, false
}

// hexPrefix parses the hexadecimal number at the start of b.
func hexPrefix(b []byte) (v uintptr, rest []byte, ok bool) {
	i := 0
	for ; i < len(b) && i < 16; i++ {
		c := b[i]
		switch {
		case '0' <= c && c <= '9':
			v = v<<4 | uintptr(c-'0')
		case 'a' <= c && c <= 'f':
			v = v<<4 | uintptr(c-'a'+10)
		default:
			return v, b[i:], i > 0
		}
	}
	return v, b[i:], i > 0
}
