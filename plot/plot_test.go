package plot

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/convert"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/stats"
	"github.com/pcaptool/pcaptool/synth"
)

var start = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// burstTraffic is 20 s of background traffic (about 1000 packets/s) with
// a burst of 20000 packets in the 0.4 s from 12 s.
func burstTraffic() pkt.Reader {
	background := synth.New(synth.Config{Packets: 20000, Seed: 1, Start: start, MeanGap: time.Millisecond})
	burst := synth.New(synth.Config{Packets: 20000, Seed: 2, Start: start.Add(12 * time.Second), MeanGap: 20 * time.Microsecond})
	return convert.NewMerge([]pkt.Reader{background, burst}, convert.MergeOptions{})
}

const burstCentre = 12.2 // seconds

func burstIO(t *testing.T, filters ...string) *stats.IO {
	t.Helper()
	s, err := stats.NewIO(stats.IOOptions{Interval: 200 * time.Millisecond, Filters: filters})
	if err != nil {
		t.Fatal(err)
	}
	if err := stats.Run(burstTraffic(), s); err != nil {
		t.Fatal(err)
	}
	return s
}

func sameRGB(a, b color.Color) bool {
	ar, ag, ab, _ := a.RGBA()
	br, bg, bb, _ := b.RGBA()
	return ar>>8 == br>>8 && ag>>8 == bg>>8 && ab>>8 == bb>>8
}

// linePeak finds the pixels of colour c and returns, as fractions of the
// span of those pixels, where the topmost one is horizontally.
func linePeak(img image.Image, c color.Color) (peak float64, found int) {
	b := img.Bounds()
	minX, maxX, topY, topX := b.Max.X, b.Min.X, b.Max.Y, 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if !sameRGB(img.At(x, y), c) {
				continue
			}
			found++
			minX, maxX = min(minX, x), max(maxX, x)
			if y < topY {
				topY, topX = y, x
			}
		}
	}
	if found == 0 || maxX == minX {
		return 0, found
	}
	return float64(topX-minX) / float64(maxX-minX), found
}

// masked hides a rectangle of an image (it reads as transparent).
type masked struct {
	image.Image
	hide image.Rectangle
}

func (m masked) At(x, y int) color.Color {
	if image.Pt(x, y).In(m.hide) {
		return color.Transparent
	}
	return m.Image.At(x, y)
}

func TestIOGraphPNGPeaksAtTheBurst(t *testing.T) {
	s := burstIO(t)
	for _, dark := range []bool{false, true} {
		t.Run(fmt.Sprintf("dark=%v", dark), func(t *testing.T) {
			var buf bytes.Buffer
			if err := IOGraph(&buf, PNG, s, "burst", Options{Width: 900, Height: 450, Dark: dark}); err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(&buf)
			if err != nil {
				t.Fatal(err)
			}
			if got := img.Bounds().Size(); got != (image.Point{900, 450}) {
				t.Fatalf("size %v, want 900x450", got)
			}
			// The legend's sample line, top right, has the series
			// colour too: mask it.
			peak, n := linePeak(masked{img, image.Rect(780, 0, 900, 60)}, SeriesColor(0))
			if n < 100 {
				t.Fatalf("%d pixels of the line's colour", n)
			}
			want := burstCentre / s.Duration().Seconds()
			if peak < want-0.03 || peak > want+0.03 {
				t.Errorf("line peaks at %.3f of its width, burst at %.3f", peak, want)
			}
		})
	}
}

// svgPaths returns the points of the SVG paths stroked with colour c.
func svgPaths(t *testing.T, doc []byte, c color.Color) [][2]float64 {
	r, g, b, _ := c.RGBA()
	stroke := fmt.Sprintf("#%02X%02X%02X", r>>8, g>>8, b>>8)
	num := regexp.MustCompile(`-?[0-9.]+`)
	var pts [][2]float64
	dec := xml.NewDecoder(bytes.NewReader(doc))
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "path" {
			continue
		}
		var d, style string
		for _, a := range se.Attr {
			switch a.Name.Local {
			case "d":
				d = a.Value
			case "style":
				style = a.Value
			}
		}
		if !strings.Contains(style, "stroke:"+stroke) || strings.Count(d, "L") < 10 {
			continue
		}
		ns := num.FindAllString(d, -1)
		for i := 0; i+1 < len(ns); i += 2 {
			x, _ := strconv.ParseFloat(ns[i], 64)
			y, _ := strconv.ParseFloat(ns[i+1], 64)
			pts = append(pts, [2]float64{x, y})
		}
	}
	return pts
}

func TestIOGraphSVGFollowsTheCounts(t *testing.T) {
	s := burstIO(t, "tcp", "udp")
	var buf bytes.Buffer
	if err := IOGraph(&buf, SVG, s, "burst", Options{Width: 800, Height: 400}); err != nil {
		t.Fatal(err)
	}
	var root struct {
		Width  string `xml:"width,attr"`
		Height string `xml:"height,attr"`
	}
	if err := xml.Unmarshal(buf.Bytes(), &root); err != nil {
		t.Fatal(err)
	}
	// 800x400 pixels at 96 dpi are 600x300 points.
	if root.Width != "600pt" || root.Height != "300pt" {
		t.Fatalf("SVG size %s x %s, want 600pt x 300pt", root.Width, root.Height)
	}
	var counts []uint64
	s.Intervals(func(iv *stats.Interval) bool {
		counts = append(counts, iv.Cells[0].Frames)
		return true
	})
	pts := svgPaths(t, buf.Bytes(), SeriesColor(0))
	if len(pts) != len(counts) {
		t.Fatalf("tcp line has %d points, %d intervals", len(pts), len(counts))
	}
	// gonum's SVG flips the y axis (scale(1,-1)), so y grows upwards:
	// the drawn heights are a linear function of the counts, with a
	// positive slope. Fit it on the lowest and highest points.
	lo, hi := 0, 0
	for i, c := range counts {
		if c < counts[lo] {
			lo = i
		}
		if c > counts[hi] {
			hi = i
		}
	}
	if counts[hi] < 10*counts[lo]+10 {
		t.Fatalf("no burst in the counts: %v", counts)
	}
	scale := (pts[hi][1] - pts[lo][1]) / float64(counts[hi]-counts[lo])
	base := pts[lo][1] - scale*float64(counts[lo])
	if scale <= 0 {
		t.Fatalf("the burst is drawn lower than the background (scale %g)", scale)
	}
	if got := pts[hi][0]; hi == 0 || got <= pts[hi-1][0] {
		t.Fatalf("x does not increase at the peak")
	}
	for i, c := range counts {
		want := base + scale*float64(c)
		if d := pts[i][1] - want; d > 0.5 || d < -0.5 {
			t.Fatalf("point %d at y=%.2f, count %d wants y=%.2f", i, pts[i][1], c, want)
		}
	}
}

func TestTalkersAndSizes(t *testing.T) {
	tables := stats.NewTables(stats.IPv4)
	var sizes stats.Sizes
	if err := stats.Run(synth.New(synth.Config{Packets: 3000, Seed: 4}), tables, &sizes); err != nil {
		t.Fatal(err)
	}
	for _, f := range []Format{PNG, SVG} {
		var a, b bytes.Buffer
		if err := Talkers(&a, f, ConversationTalkers(tables.Conversations(stats.ByBytes, 5)), "top", Options{Width: 640, Height: 320}); err != nil {
			t.Fatal(err)
		}
		if err := Sizes(&b, f, &sizes, "sizes", Options{Width: 640, Height: 320, LogScale: true}); err != nil {
			t.Fatal(err)
		}
		if f == PNG {
			for _, buf := range []*bytes.Buffer{&a, &b} {
				img, err := png.Decode(buf)
				if err != nil {
					t.Fatal(err)
				}
				if img.Bounds().Size() != (image.Point{640, 320}) {
					t.Errorf("size %v", img.Bounds().Size())
				}
				if _, n := linePeak(img, SeriesColor(0)); n < 500 {
					t.Errorf("only %d pixels of the bars' colour", n)
				}
			}
		}
	}
}

func TestFormatFromName(t *testing.T) {
	for name, want := range map[string]Format{"a.png": PNG, "b.SVG": SVG} {
		if got, err := FormatFromName(name); err != nil || got != want {
			t.Errorf("%s: %v %v", name, got, err)
		}
	}
	if _, err := FormatFromName("c.jpg"); err == nil {
		t.Error("c.jpg accepted")
	}
}
