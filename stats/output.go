package stats

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Format selects how tables are written.
type Format uint8

// Output formats.
const (
	Text Format = iota // aligned columns
	JSON               // one JSON object
	CSV                // a header row, then one row per line
)

// seconds formats d in seconds with prec decimals (-1: as few as exact).
func seconds(d time.Duration, prec int) string {
	return strconv.FormatFloat(d.Seconds(), 'f', prec, 64)
}

// intervalPrecision is the number of decimals needed to write iv in
// seconds exactly (0 to 6).
func intervalPrecision(iv time.Duration) int {
	us := int64(iv / time.Microsecond)
	p := 6
	for p > 0 && us%10 == 0 {
		us /= 10
		p--
	}
	return p
}

// columnName names filter column i (from 0) for text output.
func (s *IO) columnName(i int) string {
	if len(s.opts.Filters) == 0 {
		return "all frames"
	}
	return strconv.Itoa(i+1) + ": " + s.opts.Filters[i]
}

// Write writes the table in format f.
func (s *IO) Write(w io.Writer, f Format) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	switch f {
	case JSON:
		s.writeJSON(bw)
	case CSV:
		s.writeCSV(bw)
	default:
		s.writeText(bw)
	}
	return bw.Flush()
}

func (s *IO) writeCSV(w *bufio.Writer) {
	n := len(s.opts.Filters)
	suffix := func(i int) string {
		if n == 0 {
			return ""
		}
		return "_" + strconv.Itoa(i+1)
	}
	hdr := []string{"start", "end"}
	for i := range s.columns {
		hdr = append(hdr, "frames"+suffix(i), "bytes"+suffix(i))
	}
	for i := range s.columns {
		hdr = append(hdr, "min_len"+suffix(i), "max_len"+suffix(i), "avg_len"+suffix(i))
	}
	w.WriteString(strings.Join(hdr, ",") + "\n")
	var b []byte
	s.Intervals(func(iv *Interval) bool {
		b = append(b[:0], seconds(iv.Start, -1)...)
		b = append(b, ',')
		b = append(b, seconds(iv.End, -1)...)
		for _, c := range iv.Cells {
			b = append(b, ',')
			b = strconv.AppendUint(b, c.Frames, 10)
			b = append(b, ',')
			b = strconv.AppendUint(b, c.Bytes, 10)
		}
		for _, c := range iv.Cells {
			b = fmt.Appendf(b, ",%d,%d,%d", c.MinLen, c.MaxLen, c.AvgLen())
		}
		b = append(b, '\n')
		_, err := w.Write(b)
		return err == nil
	})
}

func appendCellJSON(b []byte, c Cell) []byte {
	return fmt.Appendf(b, `{"frames":%d,"bytes":%d,"min_len":%d,"max_len":%d,"avg_len":%d}`, c.Frames, c.Bytes, c.MinLen, c.MaxLen, c.AvgLen())
}

func (s *IO) writeJSON(w *bufio.Writer) {
	filters, _ := json.Marshal(s.opts.Filters)
	if s.opts.Filters == nil {
		filters = []byte("[]")
	}
	fmt.Fprintf(w, `{"interval":%s,"duration":%s,"frames":%d,"filters":%s,"totals":[`,
		seconds(s.opts.Interval, -1), seconds(s.Duration(), -1), s.frames, filters)
	for i, c := range s.Totals() {
		if i > 0 {
			w.WriteByte(',')
		}
		w.Write(appendCellJSON(nil, c))
	}
	w.WriteString(`],"intervals":[`)
	var b []byte
	first := true
	s.Intervals(func(iv *Interval) bool {
		b = b[:0]
		if !first {
			b = append(b, ',')
		}
		first = false
		b = fmt.Appendf(b, `{"start":%s,"end":%s,"columns":[`, seconds(iv.Start, -1), seconds(iv.End, -1))
		for i, c := range iv.Cells {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendCellJSON(b, c)
		}
		b = append(b, "]}"...)
		_, err := w.Write(b)
		return err == nil
	})
	w.WriteString("]}\n")
}

// writeText writes an aligned table; column widths come from the totals,
// so rows stream out without being held.
func (s *IO) writeText(w *bufio.Writer) {
	prec := intervalPrecision(s.opts.Interval)
	totals := s.Totals()
	var first, last int64
	s.Intervals(func(iv *Interval) bool {
		if iv.Index < first {
			first = iv.Index
		}
		last = iv.Index
		return true
	})
	tw := max(len(seconds(time.Duration(last+1)*s.opts.Interval, prec)), len(seconds(time.Duration(first)*s.opts.Interval, prec)), len(seconds(s.Duration(), -1)), 5)
	type widths struct{ fr, by, ln int }
	ws := make([]widths, s.columns)
	for i, t := range totals {
		ws[i] = widths{max(6, digits(t.Frames)), max(5, digits(t.Bytes)), max(3, digits(t.MaxLen))}
	}
	fmt.Fprintf(w, "I/O statistics: interval %s s, duration %s s, %d frames\n", seconds(s.opts.Interval, -1), seconds(s.Duration(), -1), s.frames)
	invW := 2*tw + 4
	fmt.Fprintf(w, "%-*s", invW, "")
	for i, x := range ws {
		width := x.fr + x.by + 3*x.ln + 8
		name := s.columnName(i)
		if len(name) > width {
			name = name[:width-1] + "…"
		}
		fmt.Fprintf(w, " | %-*s", width, name)
	}
	w.WriteString("\n")
	fmt.Fprintf(w, "%-*s", invW, "Interval (s)")
	for _, x := range ws {
		fmt.Fprintf(w, " | %*s  %*s  %*s  %*s  %*s", x.fr, "Frames", x.by, "Bytes", x.ln, "Min", x.ln, "Max", x.ln, "Avg")
	}
	w.WriteString("\n")
	s.Intervals(func(iv *Interval) bool {
		end := seconds(iv.End, prec)
		if iv.End-iv.Start != s.opts.Interval {
			// The last row ends at the duration, not on the grid.
			end = seconds(iv.End, -1)
		}
		fmt.Fprintf(w, "%*s <> %-*s", tw, seconds(iv.Start, prec), tw, end)
		for i, c := range iv.Cells {
			x := ws[i]
			fmt.Fprintf(w, " | %*d  %*d  %*d  %*d  %*d", x.fr, c.Frames, x.by, c.Bytes, x.ln, c.MinLen, x.ln, c.MaxLen, x.ln, c.AvgLen())
		}
		_, err := w.WriteString("\n")
		return err == nil
	})
}

func digits(v uint64) int { return len(strconv.FormatUint(v, 10)) }

// table is rows of text cells written with aligned columns: numbers to the
// right, text to the left.
type table struct {
	header []string
	right  []bool
	rows   [][]string
}

func (t *table) write(w *bufio.Writer, sep string) {
	width := make([]int, len(t.header))
	for i, h := range t.header {
		width[i] = utf8.RuneCountInString(h)
	}
	for _, r := range t.rows {
		for i, c := range r {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	line := func(r []string) {
		for i, c := range r {
			if i > 0 {
				w.WriteString(sep)
			}
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			switch {
			case t.right[i]:
				w.WriteString(pad + c)
			case i == len(r)-1:
				w.WriteString(c)
			default:
				w.WriteString(c + pad)
			}
		}
		w.WriteString("\n")
	}
	line(t.header)
	for _, r := range t.rows {
		line(r)
	}
}

// finish writes the table as CSV, or as text under a title line, and
// flushes w.
func (t *table) finish(w *bufio.Writer, csv bool, title string) error {
	if csv {
		t.writeCSV(w)
	} else {
		w.WriteString(title + "\n")
		t.write(w, "  ")
	}
	return w.Flush()
}

func (t *table) writeCSV(w *bufio.Writer) {
	w.WriteString(strings.Join(t.header, ",") + "\n")
	for _, r := range t.rows {
		for i, c := range r {
			if i > 0 {
				w.WriteByte(',')
			}
			w.WriteString(c)
		}
		w.WriteByte('\n')
	}
}

func u(v uint64) string { return strconv.FormatUint(v, 10) }

// relStart formats a relative start as tshark does: seconds, 9 decimals.
func relStart(d time.Duration) string { return seconds(d, 9) }

// duration formats the duration of a row starting at start as tshark
// does: the difference of the two times in floating-point seconds, with
// 4 decimals (which may round differently from the exact difference).
func duration(start, d time.Duration) string {
	return strconv.FormatFloat((start+d).Seconds()-start.Seconds(), 'f', 4, 64)
}

// WriteConversations writes a conversation table of kind k.
func WriteConversations(w io.Writer, k Kind, convs []Conversation, f Format) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	ports := k.HasPorts()
	switch f {
	case JSON:
		fmt.Fprintf(bw, `{"kind":%q,"conversations":[`, k.String())
		for i := range convs {
			c := &convs[i]
			if i > 0 {
				bw.WriteByte(',')
			}
			fmt.Fprintf(bw, `{"address_a":%q,`, c.A.Address())
			if ports {
				fmt.Fprintf(bw, `"port_a":%d,`, c.A.Port)
			}
			fmt.Fprintf(bw, `"address_b":%q,`, c.B.Address())
			if ports {
				fmt.Fprintf(bw, `"port_b":%d,`, c.B.Port)
			}
			if k == TCP {
				fmt.Fprintf(bw, `"stream":%d,`, c.Stream)
			}
			fmt.Fprintf(bw, `"frames":%d,"bytes":%d,"frames_a_to_b":%d,"bytes_a_to_b":%d,"frames_b_to_a":%d,"bytes_b_to_a":%d,"rel_start":%s,"duration":%s}`,
				c.Frames(), c.Bytes(), c.FramesAB, c.BytesAB, c.FramesBA, c.BytesBA, seconds(c.Start, -1), seconds(c.Duration, -1))
		}
		bw.WriteString("]}\n")
		return bw.Flush()
	}
	t := table{}
	add := func(name string, right bool) {
		t.header = append(t.header, name)
		t.right = append(t.right, right)
	}
	csv := f == CSV
	name := func(text, csvName string) string {
		if csv {
			return csvName
		}
		return text
	}
	add(name("Address A", "address_a"), false)
	if ports {
		add(name("Port A", "port_a"), true)
	}
	add(name("Address B", "address_b"), false)
	if ports {
		add(name("Port B", "port_b"), true)
	}
	if k == TCP {
		add(name("Stream", "stream"), true)
	}
	add(name("Frames", "frames"), true)
	add(name("Bytes", "bytes"), true)
	add(name("Frames A→B", "frames_a_to_b"), true)
	add(name("Bytes A→B", "bytes_a_to_b"), true)
	add(name("Frames B→A", "frames_b_to_a"), true)
	add(name("Bytes B→A", "bytes_b_to_a"), true)
	add(name("Rel Start", "rel_start"), true)
	add(name("Duration", "duration"), true)
	for i := range convs {
		c := &convs[i]
		r := []string{c.A.Address()}
		if ports {
			r = append(r, strconv.Itoa(int(c.A.Port)))
		}
		r = append(r, c.B.Address())
		if ports {
			r = append(r, strconv.Itoa(int(c.B.Port)))
		}
		if k == TCP {
			r = append(r, u(c.Stream))
		}
		r = append(r, u(c.Frames()), u(c.Bytes()), u(c.FramesAB), u(c.BytesAB), u(c.FramesBA), u(c.BytesBA), relStart(c.Start), duration(c.Start, c.Duration))
		t.rows = append(t.rows, r)
	}
	return t.finish(bw, csv, fmt.Sprintf("%s conversations: %d", k.Title(), len(convs)))
}

// WriteEndpoints writes an endpoint table of kind k.
func WriteEndpoints(w io.Writer, k Kind, eps []EndpointStats, f Format) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	ports := k.HasPorts()
	if f == JSON {
		fmt.Fprintf(bw, `{"kind":%q,"endpoints":[`, k.String())
		for i := range eps {
			e := &eps[i]
			if i > 0 {
				bw.WriteByte(',')
			}
			fmt.Fprintf(bw, `{"address":%q,`, e.Address())
			if ports {
				fmt.Fprintf(bw, `"port":%d,`, e.Port)
			}
			fmt.Fprintf(bw, `"frames":%d,"bytes":%d,"tx_frames":%d,"tx_bytes":%d,"rx_frames":%d,"rx_bytes":%d,"rel_start":%s,"duration":%s}`,
				e.Frames(), e.Bytes(), e.TxFrames, e.TxBytes, e.RxFrames, e.RxBytes, seconds(e.Start, -1), seconds(e.Duration, -1))
		}
		bw.WriteString("]}\n")
		return bw.Flush()
	}
	csv := f == CSV
	t := table{}
	add := func(text, csvName string, right bool) {
		if csv {
			text = csvName
		}
		t.header = append(t.header, text)
		t.right = append(t.right, right)
	}
	add("Address", "address", false)
	if ports {
		add("Port", "port", true)
	}
	add("Frames", "frames", true)
	add("Bytes", "bytes", true)
	add("Tx Frames", "tx_frames", true)
	add("Tx Bytes", "tx_bytes", true)
	add("Rx Frames", "rx_frames", true)
	add("Rx Bytes", "rx_bytes", true)
	add("Rel Start", "rel_start", true)
	add("Duration", "duration", true)
	for i := range eps {
		e := &eps[i]
		r := []string{e.Address()}
		if ports {
			r = append(r, strconv.Itoa(int(e.Port)))
		}
		r = append(r, u(e.Frames()), u(e.Bytes()), u(e.TxFrames), u(e.TxBytes), u(e.RxFrames), u(e.RxBytes), relStart(e.Start), duration(e.Start, e.Duration))
		t.rows = append(t.rows, r)
	}
	return t.finish(bw, csv, fmt.Sprintf("%s endpoints: %d", k.Title(), len(eps)))
}
