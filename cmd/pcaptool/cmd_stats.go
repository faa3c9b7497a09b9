package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pcaptool/pcaptool/convert"
	"github.com/pcaptool/pcaptool/decode"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/stats"
)

func init() { rootCmd.AddCommand(newStatsCmd()) }

// statsFlags are the flags of stats (and, in part, of plot).
type statsFlags struct {
	asJSON, asCSV bool
	io            string
	filters       []string
	conv, ends    string
	top           int
	sort          string
	quiet         bool
}

func newStatsCmd() *cobra.Command {
	var fl statsFlags
	cmd := &cobra.Command{
		Use:   "stats [flags] FILE...",
		Short: "Protocol hierarchy, I/O, conversation and endpoint statistics, like tshark -z",
		Long: `Without a table flag, count the frames and bytes of every protocol stack, as a
tree in the layout of tshark -q -z io,phs (names follow tshark's: eth, ip, ipv6,
tcp, udp, data, ...).

--io INTERVAL counts frames and bytes per interval (seconds, as 0.001, or a Go
duration, as 100us; at least 1us), with frame-length minimum, maximum and
average, as tshark -q -z io,stat,INTERVAL: intervals start at the first packet
and the last one ends at the capture's duration. Each --filter EXPR
(pcap-filter syntax) adds a column of the frames it matches, in order.

--conv KIND and --endpoints KIND (eth, ip, ipv6, tcp, udp) print the tables
of tshark -q -z conv,KIND and -z endpoints,KIND: frames and bytes each way,
start relative to the first packet and duration; --sort bytes|packets|start
and --top N choose the rows.

Several files are read as one capture, merged by time. Output is an aligned
table; --json one JSON object; --csv a header row then one row per line (for
--io: start,end, then frames,bytes, or frames_1,bytes_1,... per filter, then
min_len,max_len,avg_len per column). See the stats package documentation for
where the definitions differ from tshark's.`,
		Example: `  pcaptool stats capture.pcapng
  pcaptool stats --io 1 capture.pcap
  pcaptool stats --io 100ms --filter tcp --filter 'udp port 53' --csv capture.pcap
  pcaptool stats --conv tcp --sort bytes --top 10 capture.pcapng
  pcaptool stats --endpoints ip --json a.pcap b.pcap.gz`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStats(cmd.OutOrStdout(), args, fl)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&fl.asJSON, "json", false, "print JSON")
	f.BoolVar(&fl.asCSV, "csv", false, "print CSV with a header row")
	f.StringVar(&fl.io, "io", "", "I/O statistics per `INTERVAL` (seconds or a duration such as 10ms)")
	f.StringArrayVar(&fl.filters, "filter", nil, "with --io: a column of the frames matching this pcap-filter `EXPR` (repeatable)")
	f.StringVar(&fl.conv, "conv", "", "conversations by `KIND`: eth, ip, ipv6, tcp or udp")
	f.StringVar(&fl.ends, "endpoints", "", "endpoints by `KIND`: eth, ip, ipv6, tcp or udp")
	f.IntVar(&fl.top, "top", 0, "with --conv/--endpoints: keep the first N rows (0: all)")
	f.StringVar(&fl.sort, "sort", "packets", "with --conv/--endpoints: order rows by bytes, packets or start")
	f.BoolVarP(&fl.quiet, "quiet", "q", false, "no progress bar")
	cmd.RegisterFlagCompletionFunc("conv", fixedCompletions("eth", "ip", "ipv6", "tcp", "udp"))
	cmd.RegisterFlagCompletionFunc("endpoints", fixedCompletions("eth", "ip", "ipv6", "tcp", "udp"))
	cmd.RegisterFlagCompletionFunc("sort", fixedCompletions("bytes", "packets", "start"))
	return cmd
}

// parseInterval reads an io,stat interval: seconds as tshark takes them
// (0.001) or a Go duration (1ms).
func parseInterval(s string) (time.Duration, error) {
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		d := time.Duration(v*1e6+0.5) * time.Microsecond
		if v <= 0 || d < time.Microsecond || float64(d)/1e9 != float64(time.Duration(v*1e6+0.5))/1e6 {
			return 0, fmt.Errorf("--io %q: %w", s, stats.ErrInterval)
		}
		return d, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < time.Microsecond || d%time.Microsecond != 0 {
		return 0, fmt.Errorf("--io %q: want seconds (0.5) or a duration (500ms), a whole number of microseconds", s)
	}
	return d, nil
}

func (fl *statsFlags) format() (stats.Format, error) {
	switch {
	case fl.asJSON && fl.asCSV:
		return 0, errors.New("--json and --csv exclude each other")
	case fl.asJSON:
		return stats.JSON, nil
	case fl.asCSV:
		return stats.CSV, nil
	}
	return stats.Text, nil
}

// readPackets streams every packet of the named captures (merged by time
// when there are several) to cs, with a progress bar on long inputs.
func readPackets(names []string, quiet bool, cs ...stats.Collector) error {
	ins, err := openInputs(names)
	if err != nil {
		return err
	}
	defer closeInputs(ins)
	done := progress(quiet, "reading", ins...)
	defer done()
	var src pkt.Reader = ins[0]
	if len(ins) > 1 {
		srcs := make([]pkt.Reader, len(ins))
		for i, r := range ins {
			srcs[i] = r
		}
		src = convert.NewMerge(srcs, convert.MergeOptions{})
	}
	if err := stats.Run(src, cs...); err != nil {
		if len(names) == 1 && !strings.Contains(err.Error(), names[0]) {
			return fmt.Errorf("%s: %w", names[0], err)
		}
		return err
	}
	return nil
}

func runStats(stdout io.Writer, names []string, fl statsFlags) error {
	format, err := fl.format()
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	modes := 0
	for _, s := range []string{fl.io, fl.conv, fl.ends} {
		if s != "" {
			modes++
		}
	}
	if modes > 1 {
		return withExitCode(exitFailure, errors.New("choose one of --io, --conv and --endpoints"))
	}
	if len(fl.filters) > 0 && fl.io == "" {
		return withExitCode(exitFailure, errors.New("--filter needs --io"))
	}
	switch {
	case fl.io != "":
		return runIOStats(stdout, names, fl, format)
	case fl.conv != "" || fl.ends != "":
		return runTables(stdout, names, fl, format)
	}
	if fl.asCSV {
		return withExitCode(exitFailure, errors.New("--csv needs --io, --conv or --endpoints"))
	}
	return runHierarchy(stdout, names, fl)
}

func runIOStats(stdout io.Writer, names []string, fl statsFlags, format stats.Format) error {
	iv, err := parseInterval(fl.io)
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	s, err := stats.NewIO(stats.IOOptions{Interval: iv, Filters: fl.filters})
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	if err := readPackets(names, fl.quiet, s); err != nil {
		return withExitCode(exitFailure, err)
	}
	if err := s.Write(stdout, format); err != nil {
		return printWriteError(err)
	}
	return nil
}

func runTables(stdout io.Writer, names []string, fl statsFlags, format stats.Format) error {
	kindName := fl.conv + fl.ends
	k, err := stats.ParseKind(kindName)
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	order, err := stats.ParseOrder(fl.sort)
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	t := stats.NewTables(k)
	if err := readPackets(names, fl.quiet, t); err != nil {
		return withExitCode(exitFailure, err)
	}
	if fl.conv != "" {
		err = stats.WriteConversations(stdout, k, t.Conversations(order, fl.top), format)
	} else {
		err = stats.WriteEndpoints(stdout, k, t.Endpoints(order, fl.top), format)
	}
	if err != nil {
		return printWriteError(err)
	}
	return nil
}

// hierarchy adapts decode.Hierarchy to a stats.Collector.
type hierarchy struct{ *decode.Hierarchy }

func (h hierarchy) Add(p *pkt.Packet, lt linktype.LinkType) error {
	h.Hierarchy.Add(p, lt)
	return nil
}

func runHierarchy(stdout io.Writer, names []string, fl statsFlags) error {
	h := decode.NewHierarchy()
	if err := readPackets(names, fl.quiet, hierarchy{h}); err != nil {
		return withExitCode(exitFailure, err)
	}
	if fl.asJSON {
		b := append(h.AppendJSON(nil), '\n')
		if _, err := stdout.Write(b); err != nil {
			return printWriteError(err)
		}
		return nil
	}
	if err := h.WriteText(stdout); err != nil {
		return printWriteError(err)
	}
	return nil
}
