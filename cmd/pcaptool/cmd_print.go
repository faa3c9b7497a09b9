package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pcaptool/pcaptool/decode"
	"github.com/pcaptool/pcaptool/filter"
	"github.com/pcaptool/pcaptool/linktype"
)

func init() { rootCmd.AddCommand(newPrintCmd()) }

type printFlags struct {
	numeric  bool
	verbose  int
	json     bool
	count    int
	hex      int
	hexASCII int
	epoch    bool
	utc      bool
	date     bool
	nano     bool
	absSeq   bool
}

func newPrintCmd() *cobra.Command {
	var f printFlags
	cmd := &cobra.Command{
		Use:   "print [flags] [FILE] [EXPR...]",
		Short: "Print one line per packet, like tcpdump -n -r",
		Long: `Print a summary of every packet, in tcpdump's format: time, addresses and
ports, TCP flags in tcpdump's notation ([S.] is SYN+ACK), sequence and
acknowledgement numbers (relative, as tcpdump prints them, unless -S) and
lengths. Packets of link types gopacket cannot decode print as their
length and a hex dump.

FILE defaults to "-" (standard input). EXPR, the rest of the arguments, is
a pcap-filter expression; only matching packets print.

--json prints one JSON object per packet instead, with the decoded layers:
{"frame","time","time_epoch","interface","link_type","length",
"captured_length","comments","layers":[{"type":"ethernet",...},...]};
the fields of each layer type are listed in the decode package docs.`,
		Example: `  pcaptool print capture.pcapng
  pcaptool print -c 10 -X capture.pcap 'tcp port 80'
  pcaptool print --json capture.pcapng.gz | jq .layers`,
		RunE: func(cmd *cobra.Command, args []string) error {
			name := "-"
			if len(args) > 0 {
				name = args[0]
			}
			expr := ""
			if len(args) > 1 {
				expr = strings.Join(args[1:], " ")
			}
			return runPrint(cmd.OutOrStdout(), name, expr, &f)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&f.numeric, "numeric", "n", true, "print addresses and ports as numbers (always; accepted for tcpdump habits)")
	fl.CountVarP(&f.verbose, "verbose", "v", "more detail: IP header fields and checksums")
	fl.BoolVar(&f.json, "json", false, "one JSON object per packet")
	fl.IntVarP(&f.count, "count", "c", 0, "stop after this many packets (0: all)")
	fl.CountVarP(&f.hex, "hex", "x", "add a hex dump from the network layer (-xx: from the link layer)")
	fl.CountVarP(&f.hexASCII, "hex-ascii", "X", "add a hex and ASCII dump (-XX: from the link layer)")
	fl.BoolVar(&f.epoch, "epoch", false, "print times as seconds since 1970 (tcpdump -tt)")
	fl.BoolVar(&f.utc, "utc", false, "print times in UTC instead of local time")
	fl.BoolVar(&f.date, "date", false, "print the date before the time (tcpdump -tttt)")
	fl.BoolVar(&f.nano, "nano", false, "print nanoseconds instead of microseconds")
	fl.BoolVarP(&f.absSeq, "absolute-seq", "S", false, "print absolute TCP sequence numbers")
	return cmd
}

func runPrint(stdout io.Writer, name, expr string, f *printFlags) error {
	in, err := openCapture(name)
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	defer in.Close()
	opts := decode.Options{
		Verbose:     f.verbose,
		Nano:        f.nano,
		AbsoluteSeq: f.absSeq,
		JSON:        f.json,
	}
	switch {
	case f.epoch:
		opts.Time = decode.TimeEpoch
	case f.date:
		opts.Time = decode.TimeDate
	}
	if f.utc {
		opts.Location = time.UTC
	}
	switch {
	case f.hexASCII > 0:
		opts.Hex, opts.HexLink = decode.HexASCII, f.hexASCII > 1
	case f.hex > 0:
		opts.Hex, opts.HexLink = decode.Hex, f.hex > 1
	}
	pr := decode.NewPrinter(stdout, opts)
	matchers := map[linktype.LinkType]*filter.Matcher{}
	printed := 0
	for {
		if f.count > 0 && printed >= f.count {
			break
		}
		p, err := in.ReadPacket()
		if err == io.EOF {
			break
		}
		if err != nil {
			pr.Flush()
			return withExitCode(exitFailure, err)
		}
		ifaces := in.Interfaces()
		if p.Interface < 0 || p.Interface >= len(ifaces) {
			pr.Flush()
			return withExitCode(exitFailure, fmt.Errorf("%s: packet refers to interface %d of %d", name, p.Interface, len(ifaces)))
		}
		ifc := &ifaces[p.Interface]
		if expr != "" {
			m, ok := matchers[ifc.LinkType]
			if !ok {
				prog, err := filter.Compile(expr, ifc.LinkType, ifc.SnapLen)
				if err != nil {
					return withExitCode(exitFailure, err)
				}
				if m, err = filter.NewMatcher(prog); err != nil {
					return withExitCode(exitFailure, err)
				}
				matchers[ifc.LinkType] = m
			}
			if !m.Match(p.Data, p.Length) {
				continue
			}
		}
		if err := pr.Print(p, ifc.LinkType); err != nil {
			return printWriteError(err)
		}
		printed++
	}
	if err := pr.Flush(); err != nil {
		return printWriteError(err)
	}
	return nil
}

// printWriteError treats a closed pipe (print | head) as a normal end.
func printWriteError(err error) error {
	if errors.Is(err, os.ErrClosed) || strings.Contains(err.Error(), "broken pipe") {
		return nil
	}
	return withExitCode(exitFailure, err)
}
