// Package plot draws the statistics of package stats as pictures, PNG or
// SVG, with gonum.org/v1/plot (pure Go): the I/O graph (packets or bits
// per second over wall-clock time, one line per filter), top talkers as
// horizontal bars (conversations or endpoints), and the distribution of
// frame lengths. Titles and axis labels are filled in from the data unless
// Options say otherwise; a dark theme is available.
package plot

import (
	"errors"
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	gplot "gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/pcaptool/pcaptool/stats"
)

// Format is the picture format.
type Format uint8

// Picture formats.
const (
	PNG Format = iota
	SVG
)

// ErrFormat reports an output name whose extension is neither .png nor
// .svg.
var ErrFormat = errors.New("plot: output must end in .png or .svg")

// FormatFromName chooses the format from a file name's extension.
func FormatFromName(name string) (Format, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".png":
		return PNG, nil
	case ".svg":
		return SVG, nil
	}
	return 0, fmt.Errorf("%w: %q", ErrFormat, name)
}

// Options tune a picture. Zero values take the defaults noted.
type Options struct {
	// Width and Height in pixels; 0 means 1200×600.
	Width, Height int
	// Title replaces the default title (which names the data).
	Title string
	// Dark draws light lines on a dark background.
	Dark bool
	// LogScale uses a logarithmic value axis.
	LogScale bool
	// Bits plots bits per second instead of packets per second (I/O graph).
	Bits bool
	// Top is how many bars a talkers chart shows; 0 means 10.
	Top int
}

// dpi is the resolution pixels are counted at.
const dpi = 96

func (o Options) size() (vg.Length, vg.Length) {
	w, h := o.Width, o.Height
	if w <= 0 {
		w = 1200
	}
	if h <= 0 {
		h = 600
	}
	return vg.Length(w) * vg.Inch / dpi, vg.Length(h) * vg.Inch / dpi
}

// theme colours.
type theme struct {
	bg, fg, grid color.Color
}

func (o Options) theme() theme {
	if o.Dark {
		return theme{bg: color.RGBA{0x1e, 0x1e, 0x24, 0xff}, fg: color.RGBA{0xe0, 0xe0, 0xe0, 0xff}, grid: color.RGBA{0x44, 0x44, 0x50, 0xff}}
	}
	return theme{bg: color.White, fg: color.Black, grid: color.RGBA{0xdd, 0xdd, 0xdd, 0xff}}
}

// SeriesColor is the colour of line or bar series i.
func SeriesColor(i int) color.Color { return plotutil.Color(i) }

// newPlot makes a plot with the theme applied.
func newPlot(o Options, title, xLabel, yLabel string) *gplot.Plot {
	p := gplot.New()
	th := o.theme()
	p.Title.Text = title
	if o.Title != "" {
		p.Title.Text = o.Title
	}
	p.X.Label.Text, p.Y.Label.Text = xLabel, yLabel
	p.BackgroundColor = th.bg
	p.Title.TextStyle.Color = th.fg
	p.Title.TextStyle.Font.Size = vg.Points(14)
	for _, a := range []*gplot.Axis{&p.X, &p.Y} {
		a.Color = th.fg
		a.Label.TextStyle.Color = th.fg
		a.Tick.Label.Color = th.fg
		a.Tick.Color = th.fg
	}
	p.Legend.TextStyle.Color = th.fg
	p.Legend.Top = true
	g := plotter.NewGrid()
	g.Vertical.Color, g.Horizontal.Color = th.grid, th.grid
	p.Add(g)
	return p
}

func write(w io.Writer, p *gplot.Plot, o Options, f Format) error {
	// The canvases are used directly rather than through Plot.WriterTo,
	// which would link the PDF, EPS and TeX back ends too.
	width, height := o.size()
	var c interface {
		vg.CanvasSizer
		io.WriterTo
	}
	if f == SVG {
		c = vgsvg.New(width, height)
	} else {
		c = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, height), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(o.theme().bg))}
	}
	margin := vg.Points(8)
	p.Draw(draw.Crop(draw.New(c), margin, -margin, margin/2, -margin))
	if _, err := c.WriteTo(w); err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	return nil
}

// logFloor replaces values at or below zero, which a log axis cannot show.
func logFloor(vals []float64) float64 {
	floor := math.Inf(1)
	for _, v := range vals {
		if v > 0 && v < floor {
			floor = v
		}
	}
	if math.IsInf(floor, 1) {
		floor = 1
	}
	return floor / 2
}

// applyLog raises values a log axis cannot show to a floor below the
// smallest positive one, and makes axis logarithmic. Call fixLog after
// adding the plotters: some (bars, histograms) reach down to zero.
func applyLog(axis *gplot.Axis, vals [][]float64) float64 {
	var all []float64
	for _, v := range vals {
		all = append(all, v...)
	}
	floor := logFloor(all)
	for _, v := range vals {
		for i := range v {
			if v[i] <= 0 {
				v[i] = floor
			}
		}
	}
	axis.Scale = gplot.LogScale{}
	axis.Tick.Marker = gplot.LogTicks{}
	return floor
}

// IOGraph draws s as an I/O graph: one line per column (filter), packets
// or bits per second per interval, over wall-clock time (UTC).
func IOGraph(w io.Writer, f Format, s *stats.IO, name string, o Options) error {
	opts := s.Options()
	iv := opts.Interval.Seconds()
	var xs []float64
	cols := make([][]float64, max(1, len(opts.Filters)))
	// X values are seconds from base, the first packet's whole second:
	// exact in a float64, and ticks on round values fall on round
	// wall-clock times.
	first := s.First()
	base := first.Truncate(time.Second)
	offset := first.Sub(base)
	s.Intervals(func(in *stats.Interval) bool {
		xs = append(xs, (offset + in.Start).Seconds())
		for i, c := range in.Cells {
			v := float64(c.Frames) / iv
			if o.Bits {
				v = float64(c.Bytes) * 8 / iv
			}
			cols[i] = append(cols[i], v)
		}
		return true
	})
	unit := "packets/s"
	if o.Bits {
		unit = "bits/s"
	}
	title := fmt.Sprintf("%s — %d frames, %s, interval %s", name, s.Frames(), humanDuration(s.Duration()), opts.Interval)
	p := newPlot(o, title, "time (UTC, from "+first.UTC().Format("2006-01-02 15:04:05")+")", unit)
	p.X.Tick.Marker = gplot.TimeTicks{Format: timeFormat(s.Duration()), Time: func(x float64) time.Time {
		return base.Add(time.Duration(math.Round(x * 1e9))).UTC()
	}}
	p.Y.Tick.Marker = siTicks{}
	floor := 0.0
	if o.LogScale {
		floor = applyLog(&p.Y, cols)
	}
	for i, ys := range cols {
		pts := make(plotter.XYs, len(xs))
		for j := range xs {
			pts[j] = plotter.XY{X: xs[j], Y: ys[j]}
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			return fmt.Errorf("plot: %w", err)
		}
		l.Color = SeriesColor(i)
		l.Width = vg.Points(1.5)
		p.Add(l)
		label := "all frames"
		if len(opts.Filters) > 0 {
			label = opts.Filters[i]
		}
		p.Legend.Add(label, l)
	}
	p.Y.Min = floor
	if !o.LogScale {
		p.Y.Max *= 1.12 // room for the legend
	}
	return write(w, p, o, f)
}

func timeFormat(d time.Duration) string {
	switch {
	case d < 20*time.Millisecond:
		return "15:04:05.000000"
	case d < 20*time.Second:
		return "15:04:05.000"
	case d < 24*time.Hour:
		return "15:04:05"
	}
	return "01-02 15:04"
}

// siTicks are gonum's default ticks labelled with SI prefixes (12k, 1.5M).
type siTicks struct{}

func (siTicks) Ticks(lo, hi float64) []gplot.Tick {
	ts := gplot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = siLabel(ts[i].Value)
		}
	}
	return ts
}

func siLabel(v float64) string {
	for _, u := range []struct {
		div    float64
		prefix string
	}{{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}} {
		if math.Abs(v) >= u.div {
			return strconv.FormatFloat(v/u.div, 'g', 4, 64) + u.prefix
		}
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

func humanDuration(d time.Duration) string {
	if d >= time.Second {
		return d.Round(time.Millisecond).String()
	}
	return d.String()
}

// Talker is one bar of a top-talkers chart.
type Talker struct {
	Label string
	Bytes uint64
}

// Talkers draws horizontal bars, the first talker at the top.
func Talkers(w io.Writer, f Format, talkers []Talker, title string, o Options) error {
	top := o.Top
	if top <= 0 {
		top = 10
	}
	if len(talkers) > top {
		talkers = talkers[:top]
	}
	n := len(talkers)
	vals := make(plotter.Values, n)
	names := make([]string, n)
	for i, t := range talkers {
		// The first talker goes at the top: gonum counts bars upwards.
		vals[n-1-i] = float64(t.Bytes)
		names[n-1-i] = t.Label
	}
	p := newPlot(o, title, "bytes", "")
	p.Legend.Top = false
	if n == 0 {
		return write(w, p, o, f)
	}
	floor := 0.0
	if o.LogScale {
		floor = applyLog(&p.X, [][]float64{vals})
	}
	_, height := o.size()
	bar, err := plotter.NewBarChart(vals, min(vg.Points(24), height/vg.Length(2*n+2)))
	if err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	bar.Horizontal = true
	bar.Color = SeriesColor(0)
	bar.LineStyle.Width = 0
	p.Add(bar)
	p.X.Min = floor
	if !o.LogScale {
		p.X.Tick.Marker = siTicks{}
	}
	p.NominalY(names...)
	p.Y.Tick.Label.Font.Size = vg.Points(9)
	return write(w, p, o, f)
}

// ConversationTalkers turns conversations into bars of their bytes.
func ConversationTalkers(convs []stats.Conversation) []Talker {
	out := make([]Talker, len(convs))
	for i, c := range convs {
		out[i] = Talker{Label: c.A.String() + " ↔ " + c.B.String(), Bytes: c.Bytes()}
	}
	return out
}

// EndpointTalkers turns endpoints into bars of their bytes.
func EndpointTalkers(eps []stats.EndpointStats) []Talker {
	out := make([]Talker, len(eps))
	for i, e := range eps {
		out[i] = Talker{Label: e.String(), Bytes: e.Bytes()}
	}
	return out
}

// Sizes draws the distribution of frame lengths as a histogram.
func Sizes(w io.Writer, f Format, s *stats.Sizes, name string, o Options) error {
	p := newPlot(o, fmt.Sprintf("%s — frame lengths, %d frames", name, s.Frames()), "frame length (bytes)", "frames")
	p.Legend.Top = false
	var pts plotter.XYs
	for n := 0; n <= s.MaxLen(); n++ {
		if c := s.Count(n); c > 0 {
			pts = append(pts, plotter.XY{X: float64(n), Y: float64(c)})
		}
	}
	if len(pts) == 0 {
		return write(w, p, o, f)
	}
	bins := min(64, max(1, s.MaxLen()/16))
	h, err := plotter.NewHistogram(pts, bins)
	if err != nil {
		return fmt.Errorf("plot: %w", err)
	}
	h.FillColor = SeriesColor(0)
	h.LineStyle = draw.LineStyle{Color: o.theme().bg, Width: vg.Points(0.5)}
	floor := 0.0
	if o.LogScale {
		ys := make([]float64, len(h.Bins))
		for i, b := range h.Bins {
			ys[i] = b.Weight
		}
		floor = applyLog(&p.Y, [][]float64{ys})
		for i := range h.Bins {
			h.Bins[i].Weight = ys[i]
		}
	}
	p.Add(h)
	p.Y.Min = floor
	if !o.LogScale {
		p.Y.Max *= 1.12 // room for the legend
	}
	return write(w, p, o, f)
}
