package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/pcaptool/pcaptool/validate"
)

func init() { rootCmd.AddCommand(newRepairCmd()) }

func newRepairCmd() *cobra.Command {
	var verbose bool
	cmd := &cobra.Command{
		Use:   "repair IN OUT",
		Short: "Copy what is readable of a damaged capture file",
		Long: `Copy everything readable of a damaged pcap or pcapng file to OUT and report
what was dropped (blocks, packets, bytes and where).

Sound blocks and records are copied byte for byte. A pcapng block with
malformed options keeps the options before the damage; a block that cannot be
used is dropped and reading resumes at the next plausible block (a known type,
a sane length and a matching trailing length); pcap resumes at the next pair
of plausible records. A truncated last block or record is dropped. OUT keeps
the input's format; it is compressed when its name ends in .gz, .zst or .lz4,
and written through a temporary file renamed into place only on success.

Exit code: 0 when nothing had to be dropped or changed, 1 when the output
differs from the input, 2 when the input cannot be read or is not a capture.`,
		Example: `  pcaptool repair broken.pcapng fixed.pcapng`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRepair(args[0], args[1], verbose)
		},
	}
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "list every finding and dropped region")
	return cmd
}

func runRepair(in, out string, verbose bool) error {
	rep, err := validate.Repair(in, out, validate.Options{MaxBlockSize: maxPacketSize, OutputGroup: &outputs})
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	d := rep.Dropped
	if verbose {
		for _, f := range rep.Findings {
			fmt.Fprintf(os.Stderr, "%s: %s\n", in, f)
		}
		for _, r := range d.Regions {
			fmt.Fprintf(os.Stderr, "%s: dropped %d bytes at offset %d: %s\n", in, r.Length, r.Offset, r.Reason)
		}
	}
	fmt.Fprintf(os.Stderr, "%s: kept %d packets; dropped %d blocks (%d packets, %d bytes) in %d regions; %d errors, %d warnings\n",
		in, rep.UsablePackets, d.Blocks, d.Packets, d.Bytes, len(d.Regions), rep.Errors, rep.Warnings)
	if rep.Errors > 0 || d.Bytes > 0 {
		return withExitCode(exitFindings, nil)
	}
	return nil
}
