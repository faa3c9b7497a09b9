package main

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/pcaptool/pcaptool/convert"
	"github.com/pcaptool/pcaptool/outfile"
	"github.com/pcaptool/pcaptool/pkt"
)

func init() { rootCmd.AddCommand(newSortCmd()) }

func newSortCmd() *cobra.Command {
	var (
		out     outputFlags
		memory  int64
		tempDir string
		quiet   bool
	)
	cmd := &cobra.Command{
		Use:   "sort [flags] IN OUT",
		Short: "Sort packets by timestamp with bounded memory (reordercap)",
		Long: `Sort a capture's packets by timestamp, as reordercap does; packets with equal
timestamps keep their order (a stable sort). Packets without a timestamp
(pcapng simple packet blocks) come first, as reordercap puts them; they are
written with timestamp 0 (reordercap 4.0 writes 2.147483647 s for them).

Memory stays within --memory. A regular input file is first sorted in one
streaming pass through a window of that size, which succeeds whenever no
packet is further out of order than the window holds (the usual case for
captures from several queues or interfaces). Otherwise, and for standard
input, the input is cut into sorted runs written to temporary files in
--temp-dir, which are then merged. When the output is not a regular file
(standard output, a pipe, a device), which cannot be rewritten after a
streaming pass that fails, a first pass over the input that copies no
packet checks that the window suffices.`,
		Example: `  pcaptool sort merged.pcapng sorted.pcapng
  pcaptool sort --memory 1073741824 huge.pcap.zst sorted.pcap.zst`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if memory < 1<<16 {
				return withExitCode(exitFailure, fmt.Errorf("--memory %d: want at least 65536 bytes", memory))
			}
			return runSort(args[0], args[1], convert.SortOptions{Memory: memory, TempDir: tempDir}, &out, quiet)
		},
	}
	cmd.Flags().Int64Var(&memory, "memory", convert.DefaultSortMemory, "bytes of packets held in memory")
	cmd.Flags().StringVar(&tempDir, "temp-dir", "", "directory for sorted runs (default: the system's)")
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "no progress bar")
	out.register(cmd)
	return cmd
}

func runSort(inName, outName string, opts convert.SortOptions, out *outputFlags, quiet bool) error {
	// Streaming needs an input that can be read twice: a failed
	// streaming pass is retried from the start with the external sort.
	// A regular destination is simply written again; a device, FIFO or
	// standard output has received the first pass's bytes by then, so
	// for those a first pass that copies nothing checks that streaming
	// will succeed.
	if inName == "-" {
		return sortOnce(inName, outName, opts, out, quiet)
	}
	if st, err := os.Stat(inName); err != nil || !st.Mode().IsRegular() {
		return sortOnce(inName, outName, opts, out, quiet)
	}
	opts.Streaming = true
	if kind, err := outfile.Inspect(outName); err != nil || kind != outfile.Regular {
		err := checkSortWindow(inName, opts, quiet)
		if errors.Is(err, convert.ErrSortWindow) {
			opts.Streaming = false
		} else if err != nil {
			return withExitCode(exitFailure, err)
		}
		return sortOnce(inName, outName, opts, out, quiet)
	}
	err := sortOnce(inName, outName, opts, out, quiet)
	if !errors.Is(err, convert.ErrSortWindow) {
		return err
	}
	opts.Streaming = false
	return sortOnce(inName, outName, opts, out, quiet)
}

// checkSortWindow says whether a streaming sort of inName will succeed.
func checkSortWindow(inName string, opts convert.SortOptions, quiet bool) error {
	in, err := openCapture(inName)
	if err != nil {
		return err
	}
	defer in.Close()
	done := progress(quiet, "checking order", in)
	defer done()
	err = convert.CheckSortWindow(in, opts)
	// The check's window index is garbage now: give its pages back
	// before the sort makes its own, which keeps the peak within
	// --memory and what the binary needs.
	debug.FreeOSMemory()
	return err
}

func sortOnce(inName, outName string, opts convert.SortOptions, out *outputFlags, quiet bool) error {
	in, err := openCapture(inName)
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	defer in.Close()
	s := convert.NewSort(in, opts)
	defer s.Close()
	what := "sorting"
	if !opts.Streaming {
		what = "sorting (external)"
	}
	done := progress(quiet, what, in)
	defer done()
	w, err := out.create(outName)
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	defer w.Abort()
	if _, err := pkt.Copy(w, s); err != nil {
		if errors.Is(err, convert.ErrSortWindow) {
			return err
		}
		return withExitCode(exitFailure, err)
	}
	return closeOutput(w)
}
