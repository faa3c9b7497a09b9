package main

import (
	"github.com/spf13/cobra"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/pkt"
)

func init() { rootCmd.AddCommand(newConvertCmd()) }

func newConvertCmd() *cobra.Command {
	var (
		out   outputFlags
		quiet bool
	)
	cmd := &cobra.Command{
		Use:   "convert [flags] IN OUT",
		Short: "Convert between pcap and pcapng, timestamp resolutions and compressions",
		Long: `Convert a capture file to another format, timestamp resolution or compression.

The output format comes from -F, else from OUT's extension (.pcap, .pcapng,
optionally followed by .gz, .zst or .lz4), else pcapng. pcapng to pcap keeps
every packet when all interfaces share one link type and fails otherwise, as
editcap does. pcap to pcapng writes one interface whose if_tsresol matches the
input. pcapng to pcapng without --ts copies every block unchanged (name
resolution, statistics, secrets, custom and unknown blocks too).`,
		Example: `  pcaptool convert capture.pcapng capture.pcap
  pcaptool convert -F pcapng --ts nsec old.pcap - | tshark -r -
  pcaptool convert big.pcapng big.pcapng.zst`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runConvert(args[0], args[1], &out, quiet)
		},
	}
	out.register(cmd)
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "no progress bar")
	return cmd
}

func runConvert(inName, outName string, out *outputFlags, quiet bool) error {
	in, err := openCapture(inName)
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	defer in.Close()
	opts, err := out.writerOptions()
	if err != nil {
		return err
	}
	format, _ := capfile.FromName(outName)
	if opts.Format != capfile.FormatAuto {
		format = opts.Format
	}
	if format == capfile.FormatAuto {
		format = capfile.Pcapng
	}
	opts.Format = format
	if format == capfile.Pcapng && in.Format() == capfile.Pcapng && opts.Resolution == 0 {
		return convertBlocks(in, outName, opts, quiet)
	}
	w, err := capfile.Create(outName, opts)
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	defer w.Abort()
	w.Borrow(in)
	done := progress(quiet, "converting", in)
	_, err = pkt.Copy(w, in)
	done()
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	return closeOutput(w)
}

func closeOutput(w *capfile.Writer) error {
	if err := w.Close(); err != nil {
		return withExitCode(exitFailure, err)
	}
	return nil
}

// convertBlocks copies a pcapng file block by block, so that nothing the
// packet model does not carry is lost.
func convertBlocks(in *capfile.Reader, outName string, opts capfile.WriterOptions, quiet bool) error {
	w, err := capfile.CreateRaw(outName, opts)
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	defer w.Abort()
	done := progress(quiet, "converting", in)
	defer done()
	if _, err := capfile.CopyBlocks(w, in); err != nil {
		return withExitCode(exitFailure, err)
	}
	return closeOutput(w)
}
