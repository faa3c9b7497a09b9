package live

import (
	"fmt"
	"strings"
	"time"
)

// Strftime expands the conversions of C's strftime(3) that capture file
// names use (%Y %y %m %d %e %H %I %M %S %j %s %p %b %h %B %a %A %Z %z %F
// %T %%) for the time t, in t's location, as tcpdump -G names its files.
// Other conversions are kept as written.
func Strftime(pattern string, t time.Time) string {
	if !strings.Contains(pattern, "%") {
		return pattern
	}
	var b strings.Builder
	for i := 0; i < len(pattern); i++ {
		ch := pattern[i]
		if ch != '%' || i+1 == len(pattern) {
			b.WriteByte(ch)
			continue
		}
		i++
		if !appendConversion(&b, pattern[i], t) {
			b.WriteByte('%')
			b.WriteByte(pattern[i])
		}
	}
	return b.String()
}

// appendConversion writes one strftime conversion and reports whether it
// knows it.
func appendConversion(b *strings.Builder, c byte, t time.Time) bool {
	switch c {
	case 'Y':
		fmt.Fprintf(b, "%04d", t.Year())
	case 'y':
		fmt.Fprintf(b, "%02d", t.Year()%100)
	case 'm':
		fmt.Fprintf(b, "%02d", int(t.Month()))
	case 'd':
		fmt.Fprintf(b, "%02d", t.Day())
	case 'e':
		fmt.Fprintf(b, "%2d", t.Day())
	case 'H':
		fmt.Fprintf(b, "%02d", t.Hour())
	case 'I':
		fmt.Fprintf(b, "%02d", (t.Hour()+11)%12+1)
	case 'M':
		fmt.Fprintf(b, "%02d", t.Minute())
	case 'S':
		fmt.Fprintf(b, "%02d", t.Second())
	case 'j':
		fmt.Fprintf(b, "%03d", t.YearDay())
	case 's':
		fmt.Fprintf(b, "%d", t.Unix())
	case '%':
		b.WriteByte('%')
	default:
		layout, ok := strftimeLayouts[c]
		if !ok {
			return false
		}
		b.WriteString(t.Format(layout))
	}
	return true
}

// strftimeLayouts are the conversions time.Format spells directly.
var strftimeLayouts = map[byte]string{
	'p': "PM",
	'b': "Jan",
	'h': "Jan",
	'B': "January",
	'a': "Mon",
	'A': "Monday",
	'Z': "MST",
	'z': "-0700",
	'F': "2006-01-02",
	'T': "15:04:05",
}
