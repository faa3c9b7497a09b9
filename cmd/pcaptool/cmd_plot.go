//go:build !noplot

// The plot command links gonum/plot and its fonts (about 8 MB of the
// binary); "go build -tags noplot" leaves it out.

package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pcaptool/pcaptool/outfile"
	"github.com/pcaptool/pcaptool/plot"
	"github.com/pcaptool/pcaptool/stats"
)

func init() { rootCmd.AddCommand(newPlotCmd()) }

type plotFlags struct {
	out      string
	format   string
	interval string
	filters  []string
	opts     plot.Options
	sort     string
	quiet    bool
}

func newPlotCmd() *cobra.Command {
	var fl plotFlags
	cmd := &cobra.Command{
		Use:   "plot io|conv|endpoints|sizes [flags] FILE... -o OUT.png|OUT.svg",
		Short: "Draw an I/O graph, top talkers or frame sizes as a PNG or SVG picture",
		Long: `Draw a picture of a capture, PNG or SVG by the extension of -o:

  io          the I/O graph: packets/s (or bits/s with --bits) per --interval
              over wall-clock time (UTC), one line per --filter
  conv KIND   top conversations by bytes (KIND: eth, ip, ipv6, tcp, udp; default ip)
  endpoints KIND  top endpoints by bytes
  sizes       the distribution of frame lengths

The numbers are those of stats --io, --conv and --endpoints. Several files are
read as one capture, merged by time. Without --interval the I/O graph grows
its interval (1, 2, 10, 20, 100 µs, ...) as it reads, to at most 1000 points,
in one pass.`,
		Example: `  pcaptool plot io capture.pcapng -o io.png
  pcaptool plot io --interval 10ms --filter tcp --filter udp --bits capture.pcap -o io.svg
  pcaptool plot conv tcp --top 15 capture.pcapng -o talkers.png
  pcaptool plot sizes --dark --width 800 --height 400 capture.pcap -o sizes.png`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPlot(cmd.OutOrStdout(), args, fl)
		},
	}
	f := cmd.Flags()
	f.StringVarP(&fl.out, "output", "o", "", "picture to write: .png or .svg (\"-\": standard output, with --format)")
	f.StringVar(&fl.format, "format", "", "png or svg (default: from the output name)")
	f.StringVar(&fl.interval, "interval", "", "io: `INTERVAL` per point (seconds or a duration; default: automatic)")
	f.StringArrayVar(&fl.filters, "filter", nil, "io: a line of the frames matching this pcap-filter `EXPR` (repeatable)")
	f.BoolVar(&fl.opts.Bits, "bits", false, "io: bits/s instead of packets/s")
	f.BoolVar(&fl.opts.LogScale, "log", false, "logarithmic value axis")
	f.BoolVar(&fl.opts.Dark, "dark", false, "dark theme")
	f.IntVar(&fl.opts.Width, "width", 1200, "width in pixels")
	f.IntVar(&fl.opts.Height, "height", 600, "height in pixels")
	f.StringVar(&fl.opts.Title, "title", "", "title (default: names the file and totals)")
	f.IntVar(&fl.opts.Top, "top", 10, "conv/endpoints: number of bars")
	f.StringVar(&fl.sort, "sort", "bytes", "conv/endpoints: choose bars by bytes, packets or start")
	f.BoolVarP(&fl.quiet, "quiet", "q", false, "no progress bar")
	cmd.MarkFlagRequired("output")
	cmd.RegisterFlagCompletionFunc("format", fixedCompletions("png", "svg"))
	cmd.RegisterFlagCompletionFunc("sort", fixedCompletions("bytes", "packets", "start"))
	return cmd
}

func runPlot(stdout io.Writer, args []string, fl plotFlags) error {
	if fl.opts.Width < 16 || fl.opts.Height < 16 || fl.opts.Width > 20000 || fl.opts.Height > 20000 {
		return withExitCode(exitFailure, errors.New("--width and --height must be between 16 and 20000 pixels"))
	}
	format, err := plotFormat(fl)
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	kind, files := args[0], args[1:]
	var draw func(io.Writer) error
	switch kind {
	case "io":
		draw, err = plotIO(files, fl, format)
	case "conv", "endpoints":
		draw, err = plotTalkers(kind, files, fl, format)
	case "sizes":
		var s stats.Sizes
		if err = readPackets(files, fl.quiet, &s); err == nil {
			draw = func(w io.Writer) error { return plot.Sizes(w, format, &s, displayName(files), fl.opts) }
		}
	default:
		return withExitCode(exitFailure, fmt.Errorf("plot %q: want io, conv, endpoints or sizes", kind))
	}
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	if err := writePicture(stdout, fl.out, draw); err != nil {
		return withExitCode(exitFailure, err)
	}
	return nil
}

func plotFormat(fl plotFlags) (plot.Format, error) {
	switch fl.format {
	case "png":
		return plot.PNG, nil
	case "svg":
		return plot.SVG, nil
	case "":
		if fl.out == "-" {
			return 0, errors.New("-o -: say --format png or svg")
		}
		return plot.FormatFromName(fl.out)
	}
	return 0, fmt.Errorf("--format %q: want png or svg", fl.format)
}

// displayName names the input in titles.
func displayName(files []string) string {
	if len(files) == 1 {
		return filepath.Base(files[0])
	}
	return fmt.Sprintf("%s and %d more", filepath.Base(files[0]), len(files)-1)
}

func plotIO(files []string, fl plotFlags, format plot.Format) (func(io.Writer) error, error) {
	opts := stats.IOOptions{Interval: time.Microsecond, MaxIntervals: 1000, Filters: fl.filters}
	if fl.interval != "" {
		iv, err := parseInterval(fl.interval)
		if err != nil {
			return nil, err
		}
		opts.Interval, opts.MaxIntervals = iv, 0
	}
	s, err := stats.NewIO(opts)
	if err != nil {
		return nil, err
	}
	if err := readPackets(files, fl.quiet, s); err != nil {
		return nil, err
	}
	return func(w io.Writer) error { return plot.IOGraph(w, format, s, displayName(files), fl.opts) }, nil
}

func plotTalkers(kind string, files []string, fl plotFlags, format plot.Format) (func(io.Writer) error, error) {
	tableKind := "ip"
	if len(files) > 1 {
		if _, err := stats.ParseKind(files[0]); err == nil {
			tableKind, files = files[0], files[1:]
		}
	}
	k, err := stats.ParseKind(tableKind)
	if err != nil {
		return nil, err
	}
	order, err := stats.ParseOrder(fl.sort)
	if err != nil {
		return nil, err
	}
	t := stats.NewTables(k)
	if err := readPackets(files, fl.quiet, t); err != nil {
		return nil, err
	}
	var talkers []plot.Talker
	what := "conversations"
	if kind == "conv" {
		talkers = plot.ConversationTalkers(t.Conversations(order, fl.opts.Top))
	} else {
		what = "endpoints"
		talkers = plot.EndpointTalkers(t.Endpoints(order, fl.opts.Top))
	}
	title := fmt.Sprintf("%s — top %s %s by %s", displayName(files), k.Title(), what, strings.TrimSuffix(fl.sort, "s")+"s")
	return func(w io.Writer) error { return plot.Talkers(w, format, talkers, title, fl.opts) }, nil
}

// writePicture writes a picture to name through outfile: standard output
// for "-", else nothing replaces the destination until the picture is
// complete.
func writePicture(stdout io.Writer, name string, draw func(io.Writer) error) error {
	if name == "-" {
		bw := bufio.NewWriter(stdout)
		if err := draw(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	f, err := outfile.Create(name, outfile.Options{Group: &outputs})
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 256<<10)
	if err := draw(bw); err != nil {
		f.Abort()
		return fmt.Errorf("%s: %w", name, err)
	}
	if err := bw.Flush(); err != nil {
		f.Abort()
		return err
	}
	return f.Close()
}
