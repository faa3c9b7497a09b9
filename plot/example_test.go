package plot_test

import (
	"os"
	"time"

	"github.com/pcaptool/pcaptool/plot"
	"github.com/pcaptool/pcaptool/stats"
	"github.com/pcaptool/pcaptool/synth"
)

// An I/O graph of TCP and UDP packets per second, as an SVG picture.
func ExampleIOGraph() {
	io, err := stats.NewIO(stats.IOOptions{Interval: time.Millisecond, Filters: []string{"tcp", "udp"}})
	if err != nil {
		panic(err)
	}
	if err := stats.Run(synth.New(synth.Config{Packets: 10000}), io); err != nil {
		panic(err)
	}
	f, err := os.Create(os.DevNull)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	if err := plot.IOGraph(f, plot.SVG, io, "generated", plot.Options{Width: 800, Height: 400}); err != nil {
		panic(err)
	}
}
