package convert

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/pcaptool/pcaptool/pkt"
)

// ErrRange reports a packet-number range that cannot be parsed.
var ErrRange = errors.New("convert: invalid packet range")

// Range is an inclusive range of 1-based packet numbers, as editcap's
// positional "N" and "N-M" arguments give them. Last == math.MaxUint64 means
// "to the end".
type Range struct {
	First, Last uint64
}

// ParseRange parses "N" or "N-M" the way editcap 4.0 does: "N-0" means from N
// to the end of the file; "N-" is an error.
func ParseRange(s string) (Range, error) {
	first, last, dash := strings.Cut(s, "-")
	a, err := strconv.ParseUint(first, 10, 64)
	if err != nil {
		return Range{}, fmt.Errorf("%w %q: %q is not a packet number", ErrRange, s, first)
	}
	if !dash {
		return Range{a, a}, nil
	}
	b, err := strconv.ParseUint(last, 10, 64)
	if err != nil {
		return Range{}, fmt.Errorf("%w %q: %q is not a packet number", ErrRange, s, last)
	}
	if b == 0 {
		b = math.MaxUint64
	}
	return Range{a, b}, nil
}

// Select keeps or drops packets by their 1-based number in the source
// stream, like editcap's positional packet list and -r.
type Select struct {
	src    pkt.Reader
	ranges []Range
	keep   bool
	max    uint64
	n      uint64
}

// NewSelect returns a stage that drops the packets whose numbers fall in
// ranges, or, when keep is true, keeps only those. In keep mode the source is
// not read past the last selected packet.
func NewSelect(src pkt.Reader, ranges []Range, keep bool) *Select {
	s := &Select{src: src, ranges: ranges, keep: keep, max: math.MaxUint64}
	if keep {
		s.max = 0
		for _, r := range ranges {
			s.max = max(s.max, r.Last)
		}
	}
	return s
}

func (s *Select) selected(n uint64) bool {
	for _, r := range s.ranges {
		if r.First <= n && n <= r.Last {
			return true
		}
	}
	return false
}

// ReadPacket returns the next packet that passes the selection.
func (s *Select) ReadPacket() (*pkt.Packet, error) {
	for {
		if s.n >= s.max {
			return nil, io.EOF
		}
		p, err := s.src.ReadPacket()
		if err != nil {
			return nil, err
		}
		s.n++
		if s.selected(s.n) == s.keep {
			return p, nil
		}
	}
}

// Interfaces returns the source's interfaces.
func (s *Select) Interfaces() []pkt.Interface { return s.src.Interfaces() }

// TimeWindow keeps the packets with Start <= Timestamp < Stop, like
// editcap's -A and -B. A zero Start or Stop is no bound. A packet without a
// timestamp is outside every window (editcap drops it too).
type TimeWindow struct {
	src         pkt.Reader
	start, stop time.Time
	ordered     bool
}

// NewTimeWindow returns the stage; zero times mean no bound on that side.
func NewTimeWindow(src pkt.Reader, start, stop time.Time) *TimeWindow {
	return &TimeWindow{src: src, start: start, stop: stop}
}

// NewOrderedTimeWindow is NewTimeWindow for a source known to be in time
// order (as capfile.OpenFrom finds when it seeks): the stream ends at the
// first packet at or after stop instead of reading the rest.
func NewOrderedTimeWindow(src pkt.Reader, start, stop time.Time) *TimeWindow {
	return &TimeWindow{src: src, start: start, stop: stop, ordered: true}
}

// ReadPacket returns the next packet inside the window.
func (w *TimeWindow) ReadPacket() (*pkt.Packet, error) {
	for {
		p, err := w.src.ReadPacket()
		if err != nil {
			return nil, err
		}
		if p.NoTimestamp {
			continue
		}
		if w.ordered && !w.stop.IsZero() && !p.Timestamp.Before(w.stop) {
			return nil, io.EOF
		}
		if !w.start.IsZero() && p.Timestamp.Before(w.start) {
			continue
		}
		if !w.stop.IsZero() && !p.Timestamp.Before(w.stop) {
			continue
		}
		return p, nil
	}
}

// Interfaces returns the source's interfaces.
func (w *TimeWindow) Interfaces() []pkt.Interface { return w.src.Interfaces() }

// ParseTime parses an editcap -A/-B time: ISO 8601
// "YYYY-MM-DD[T ]HH:MM:SS[.nnnnnnnnn][Z|±hh:mm]" (local time without a zone)
// or Unix epoch seconds with an optional '.' or ',' fraction.
func ParseTime(s string) (time.Time, error) {
	if t, ok := parseEpoch(s); ok {
		return t, nil
	}
	norm := strings.Replace(s, " ", "T", 1)
	for _, layout := range []string{
		"2006-01-02T15:04:05.999999999Z07:00",
		"2006-01-02T15:04:05.999999999",
	} {
		loc := time.Local
		if t, err := time.ParseInLocation(layout, norm, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("convert: %q is not a date and time (want YYYY-MM-DDThh:mm:ss[.nnnnnnnnn][Z|±hh:mm] or Unix seconds)", s)
}

func parseEpoch(s string) (time.Time, bool) {
	secs, frac, hasFrac := strings.Cut(strings.Replace(s, ",", ".", 1), ".")
	if secs == "" {
		return time.Time{}, false
	}
	sec, err := strconv.ParseInt(secs, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	var ns int64
	if hasFrac {
		if frac == "" || len(frac) > 9 {
			return time.Time{}, false
		}
		n, err := strconv.ParseUint(frac, 10, 32)
		if err != nil {
			return time.Time{}, false
		}
		ns = int64(n)
		for range 9 - len(frac) {
			ns *= 10
		}
	}
	return time.Unix(sec, ns), true
}

// Offset is a signed seconds-and-nanoseconds time adjustment, as editcap's
// -t and -S take it. Unlike time.Duration it has no ±292-year limit.
type Offset struct {
	Negative bool
	Seconds  int64
	Nanos    int64 // 0 to 999999999
}

// ParseOffset parses "[-]seconds[.fraction]" (".5" and "-0" are valid; the
// fraction is truncated to nanoseconds), as editcap does for -t, -S and -w.
func ParseOffset(s string) (Offset, error) {
	var o Offset
	t := strings.TrimLeft(s, " \t")
	if strings.HasPrefix(t, "-") {
		o.Negative = true
		t = t[1:]
	}
	whole, frac, hasFrac := strings.Cut(t, ".")
	bad := fmt.Errorf("convert: %q is not a time adjustment (want [-]seconds[.fraction])", s)
	if whole == "" && !hasFrac {
		return o, bad
	}
	if whole != "" {
		n, err := strconv.ParseInt(whole, 10, 64)
		if err != nil || n < 0 || whole[0] == '+' {
			return o, bad
		}
		o.Seconds = n
	}
	if hasFrac {
		if frac == "" {
			return o, bad
		}
		if len(frac) > 9 {
			frac = frac[:9]
		}
		n, err := strconv.ParseUint(frac, 10, 32)
		if err != nil || frac[0] == '+' {
			return o, bad
		}
		ns := int64(n)
		for range 9 - len(frac) {
			ns *= 10
		}
		o.Nanos = ns
	}
	return o, nil
}

// IsZero reports whether o adjusts nothing.
func (o Offset) IsZero() bool { return o.Seconds == 0 && o.Nanos == 0 }

// AddTo returns t moved by o.
func (o Offset) AddTo(t time.Time) time.Time {
	if o.Negative {
		return time.Unix(t.Unix()-o.Seconds, int64(t.Nanosecond())-o.Nanos)
	}
	return time.Unix(t.Unix()+o.Seconds, int64(t.Nanosecond())+o.Nanos)
}

// Duration returns o as a time.Duration, saturating beyond ±292 years.
func (o Offset) Duration() time.Duration {
	d := time.Duration(math.MaxInt64)
	if o.Seconds < math.MaxInt64/int64(time.Second)-1 {
		d = time.Duration(o.Seconds)*time.Second + time.Duration(o.Nanos)
	}
	if o.Negative {
		return -d
	}
	return d
}
