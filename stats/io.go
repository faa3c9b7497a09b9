package stats

import (
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/pcaptool/pcaptool/filter"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// ErrInterval reports an interval io,stat cannot use.
var ErrInterval = errors.New("stats: interval must be a positive whole number of microseconds")

// IOOptions configure an I/O statistics table.
type IOOptions struct {
	// Interval is the width of a row: at least 1µs, a whole number of
	// microseconds (tshark's resolution).
	Interval time.Duration
	// Filters are pcap-filter expressions, one column each, in order. No
	// filter gives one column counting every frame.
	Filters []string
	// Filter tunes how the filters compile (snap length, byte order of
	// BSD loopback headers).
	Filter filter.Options
	// MaxIntervals, when positive, lets the interval grow so that the
	// table never spans more intervals: whenever it would, the interval is
	// multiplied by 2 or 5 in turn (1µs, 2µs, 10µs, 20µs, 100µs, ... from
	// an Interval of 1µs) and the rows kept are merged. An I/O graph of a
	// capture of unknown length is drawn this way in one pass.
	MaxIntervals int
}

// Cell is one column of one interval: the frames counted and their lengths
// on the wire.
type Cell struct {
	Frames uint64
	// Bytes is the sum of the frames' lengths (tshark's Bytes, which is
	// also SUM(frame.len)).
	Bytes uint64
	// MinLen and MaxLen are the smallest and largest frame length; 0 when
	// Frames is 0, as tshark prints them.
	MinLen, MaxLen uint64
}

// AvgLen is Bytes/Frames rounded down, as tshark's AVG(frame.len); 0 for
// an empty cell.
func (c Cell) AvgLen() uint64 {
	if c.Frames == 0 {
		return 0
	}
	return c.Bytes / c.Frames
}

// merge adds the counts of o to c.
func (c *Cell) merge(o Cell) {
	if o.Frames == 0 {
		return
	}
	if c.Frames == 0 || o.MinLen < c.MinLen {
		c.MinLen = o.MinLen
	}
	c.MaxLen = max(c.MaxLen, o.MaxLen)
	c.Frames += o.Frames
	c.Bytes += o.Bytes
}

func (c *Cell) add(length uint64) {
	if c.Frames == 0 || length < c.MinLen {
		c.MinLen = length
	}
	if length > c.MaxLen {
		c.MaxLen = length
	}
	c.Frames++
	c.Bytes += length
}

// Interval is one row of an I/O table.
type Interval struct {
	// Index numbers the interval from the first packet: Start is
	// Index*interval.
	Index int64
	// Start and End bound the interval, relative to the first packet; the
	// last interval ends at the capture's duration, as tshark prints it.
	Start, End time.Duration
	// Cells holds one cell per filter (one for all frames without
	// filters).
	Cells []Cell
}

// IO computes I/O statistics in one pass: frames, bytes and frame-length
// minimum, maximum and average per interval and per filter. Memory grows
// with the number of intervals that hold packets, not with the packets.
type IO struct {
	opts     IOOptions
	columns  int
	matchers []map[linktype.LinkType]*filter.Matcher // per filter, per link type; nil matcher: matches nothing
	first    time.Time
	started  bool
	maxRel   int64 // µs, the capture's duration as tshark computes it
	minRel   int64 // µs, the earliest relative time (<= 0)
	grow     int   // times the interval has grown (MaxIntervals)
	rows     []ioRow
	frames   uint64
}

type ioRow struct {
	index int64
	cells []Cell
}

// NewIO returns an empty table; filters are parsed at once so that a
// syntax error is reported before any packet is read.
func NewIO(opts IOOptions) (*IO, error) {
	if opts.Interval < time.Microsecond || opts.Interval%time.Microsecond != 0 {
		return nil, fmt.Errorf("%w: %v", ErrInterval, opts.Interval)
	}
	for _, expr := range opts.Filters {
		if _, err := filter.Parse(expr); err != nil {
			return nil, fmt.Errorf("stats: filter %q: %w", expr, err)
		}
	}
	s := &IO{opts: opts, columns: max(1, len(opts.Filters))}
	s.matchers = make([]map[linktype.LinkType]*filter.Matcher, len(opts.Filters))
	for i := range s.matchers {
		s.matchers[i] = map[linktype.LinkType]*filter.Matcher{}
	}
	return s, nil
}

// First returns the timestamp of the first packet, which intervals count
// from.
func (s *IO) First() time.Time { return s.first }

// Options returns the options the table was made with, with the interval
// it has grown to under MaxIntervals.
func (s *IO) Options() IOOptions { return s.opts }

// Frames returns the number of packets added.
func (s *IO) Frames() uint64 { return s.frames }

// matcher returns filter i compiled for lt (nil when it can match nothing).
func (s *IO) matcher(i int, lt linktype.LinkType) (*filter.Matcher, error) {
	if m, ok := s.matchers[i][lt]; ok {
		return m, nil
	}
	prog, err := filter.CompileOptions(s.opts.Filters[i], lt, s.opts.Filter)
	var m *filter.Matcher
	switch {
	case errors.Is(err, filter.ErrRejectsAll):
	case err != nil:
		return nil, fmt.Errorf("stats: filter %q on %s: %w", s.opts.Filters[i], lt, err)
	default:
		if m, err = filter.NewMatcher(prog); err != nil {
			return nil, err
		}
	}
	s.matchers[i][lt] = m
	return m, nil
}

// relMicros is a timestamp relative to the first packet in microseconds,
// rounded half up as tshark's io,stat rounds frame.time_relative.
func relMicros(ts, first time.Time) int64 {
	d := ts.Sub(first)
	if d >= 0 {
		return (int64(d) + 500) / 1000
	}
	return -((-int64(d) + 499) / 1000)
}

// Add counts p, captured on a link of type lt.
func (s *IO) Add(p *pkt.Packet, lt linktype.LinkType) error {
	if !s.started {
		s.started, s.first = true, p.Timestamp
	}
	s.frames++
	rel := relMicros(p.Timestamp, s.first)
	s.maxRel = max(s.maxRel, rel)
	s.minRel = min(s.minRel, rel)
	if s.opts.MaxIntervals > 0 {
		s.coarsen()
	}
	idx := floorDiv(rel, int64(s.opts.Interval/time.Microsecond))
	var row *ioRow
	length := uint64(p.Length)
	if len(s.opts.Filters) == 0 {
		s.row(idx, &row).cells[0].add(length)
		return nil
	}
	for i := range s.opts.Filters {
		m, err := s.matcher(i, lt)
		if err != nil {
			return err
		}
		if m != nil && m.Match(p.Data, p.Length) {
			s.row(idx, &row).cells[i].add(length)
		}
	}
	return nil
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a < 0 && a%b != 0 {
		q--
	}
	return q
}

// coarsen grows the interval until the table spans at most MaxIntervals
// intervals, merging the rows kept.
func (s *IO) coarsen() {
	for {
		iv := int64(s.opts.Interval / time.Microsecond)
		if floorDiv(s.maxRel, iv)-floorDiv(s.minRel, iv)+1 <= int64(s.opts.MaxIntervals) {
			return
		}
		factor := int64(2)
		if s.grow%2 == 1 {
			factor = 5
		}
		s.grow++
		s.opts.Interval *= time.Duration(factor)
		merged := s.rows[:0]
		for _, r := range s.rows {
			r.index = floorDiv(r.index, factor)
			if n := len(merged); n > 0 && merged[n-1].index == r.index {
				for i, c := range r.cells {
					merged[n-1].cells[i].merge(c)
				}
				continue
			}
			merged = append(merged, r)
		}
		clear(s.rows[len(merged):])
		s.rows = merged
	}
}

// row returns the row of interval idx, creating it; *cache keeps it for the
// other columns of the same packet.
func (s *IO) row(idx int64, cache **ioRow) *ioRow {
	if *cache != nil {
		return *cache
	}
	n := len(s.rows)
	if n > 0 && s.rows[n-1].index == idx {
		*cache = &s.rows[n-1]
		return *cache
	}
	if n == 0 || s.rows[n-1].index < idx {
		s.rows = append(s.rows, ioRow{index: idx, cells: make([]Cell, s.columns)})
		*cache = &s.rows[n]
		return *cache
	}
	// A packet earlier than the latest interval: rare, found by search.
	i := sort.Search(n, func(i int) bool { return s.rows[i].index >= idx })
	if s.rows[i].index != idx {
		s.rows = append(s.rows, ioRow{})
		copy(s.rows[i+1:], s.rows[i:])
		s.rows[i] = ioRow{index: idx, cells: make([]Cell, s.columns)}
	}
	*cache = &s.rows[i]
	return *cache
}

// Duration returns the time from the first packet to the latest one, in
// microseconds as tshark rounds it.
func (s *IO) Duration() time.Duration { return time.Duration(s.maxRel) * time.Microsecond }

// Intervals calls yield for every interval in order, empty ones included,
// from the earliest packet's interval to the last one tshark prints: it
// prints duration/interval rows, one more when the duration is not a whole
// number of intervals. When the last packet falls exactly on the end of
// that range (tshark leaves it out of its table), one more row holds it.
// The Interval and its Cells are reused between calls.
func (s *IO) Intervals(yield func(*Interval) bool) {
	if !s.started {
		return
	}
	iv := int64(s.opts.Interval / time.Microsecond)
	rows := s.maxRel / iv
	if s.maxRel%iv != 0 {
		rows++
	}
	firstIdx := int64(0)
	if len(s.rows) > 0 {
		firstIdx = min(firstIdx, s.rows[0].index)
		rows = max(rows, s.rows[len(s.rows)-1].index+1)
	}
	out := Interval{Cells: make([]Cell, s.columns)}
	next := 0
	for idx := firstIdx; idx < rows; idx++ {
		out.Index = idx
		out.Start = time.Duration(idx*iv) * time.Microsecond
		out.End = time.Duration(min((idx+1)*iv, max(s.maxRel, idx*iv))) * time.Microsecond
		if next < len(s.rows) && s.rows[next].index == idx {
			copy(out.Cells, s.rows[next].cells)
			next++
		} else {
			clear(out.Cells)
		}
		if !yield(&out) {
			return
		}
	}
}

// Totals returns the sum of every interval, per column.
func (s *IO) Totals() []Cell {
	t := make([]Cell, s.columns)
	for _, r := range s.rows {
		for i, c := range r.cells {
			t[i].merge(c)
		}
	}
	return t
}
