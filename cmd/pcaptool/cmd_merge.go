package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/pcaptool/pcaptool/convert"
	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pkt"
)

func init() { rootCmd.AddCommand(newMergeCmd()) }

func newMergeCmd() *cobra.Command {
	var (
		out     outputFlags
		output  string
		appendF bool
		mode    string
		snap    int
		quiet   bool
	)
	cmd := &cobra.Command{
		Use:   "merge [-a] [-I none|all|any] [-s SNAPLEN] [-F FORMAT] -w OUT IN...",
		Short: "Merge captures chronologically or one after another (mergecap)",
		Long: `Merge capture files (pcap and pcapng, mixed) into one, as mergecap does:
by timestamp with a k-way merge that reads each input once and holds one
packet per input (inputs are assumed to be in time order; on equal timestamps
the later input goes first, as in mergecap), or with -a one input after the
other. A packet without a timestamp (a pcapng simple packet block) is
written as soon as it is the next packet of its input, as mergecap does.

-I chooses how the inputs' interfaces are combined: "all" (the default)
merges them when every input starts with the same interfaces, "any" merges
each with any duplicate, "none" keeps them all. Inputs of different link
types need pcapng output; pcap output fails for them. A truncated input
stops being read with a warning, as in mergecap. -F, --ts and --compress
choose the output as in pcaptool convert.

Differences from mergecap 4.0: -s also lowers the snap length the output's
interfaces declare (mergecap keeps the inputs' in pcapng output); -F pcap
keeps nanosecond timestamps when an input has them (mergecap writes
microsecond pcap; add --ts usec for the same file).`,
		Example: `  pcaptool merge -w all.pcapng a.pcap b.pcapng c.pcap.gz
  pcaptool merge -a -F pcap -w joined.pcap part1.pcap part2.pcap`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if output == "" {
				return withExitCode(exitFailure, errors.New("merge: -w OUT is required"))
			}
			m, err := convert.ParseIDBMergeMode(mode)
			if err != nil {
				return withExitCode(exitFailure, err)
			}
			if snap < 0 {
				return withExitCode(exitFailure, fmt.Errorf("-s %d: want a positive snap length", snap))
			}
			return runMerge(args, output, convert.MergeOptions{Mode: m, Append: appendF}, snap, &out, quiet)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&output, "write", "w", "", "output file (- for standard output)")
	fl.BoolVarP(&appendF, "append", "a", false, "concatenate the inputs instead of merging by time")
	fl.StringVarP(&mode, "idb-merge", "I", "all", "interface merge mode: none, all or any")
	fl.IntVarP(&snap, "snaplen", "s", 0, "truncate packets to `N` bytes")
	fl.BoolVarP(&quiet, "quiet", "q", false, "no progress bar")
	cmd.RegisterFlagCompletionFunc("idb-merge", fixedCompletions("none", "all", "any"))
	out.register(cmd)
	return cmd
}

// truncated reports a read error that mergecap treats as the end of that
// input rather than of the merge.
func truncated(err error) bool {
	return errors.Is(err, io.ErrUnexpectedEOF) || pcap.IsTruncated(err)
}

func runMerge(names []string, output string, opts convert.MergeOptions, snap int, out *outputFlags, quiet bool) error {
	ins, err := openInputs(names)
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	defer closeInputs(ins)
	srcs := make([]pkt.Reader, len(ins))
	for i, r := range ins {
		srcs[i] = r
	}
	opts.OnError = func(i int, err error) error {
		if truncated(err) {
			fmt.Fprintf(os.Stderr, "pcaptool: warning: %v; the rest of %s is skipped\n", err, ins[i].Name())
			return nil
		}
		return err
	}
	var r pkt.Reader = convert.NewMerge(srcs, opts)
	if snap > 0 {
		r = convert.NewSnap(r, snap, false)
	}
	done := progress(quiet, "merging", ins...)
	defer done()
	return copyTo(r, output, out, ins...)
}
