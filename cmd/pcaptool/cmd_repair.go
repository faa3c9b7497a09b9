package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/pcaptool/pcaptool/validate"
)

func init() { rootCmd.AddCommand(newRepairCmd()) }

func newRepairCmd() *cobra.Command {
	var verbose, asJSON bool
	cmd := &cobra.Command{
		Use:   "repair IN OUT",
		Short: "Copy what is readable of a damaged capture file",
		Long: `Copy everything readable of a damaged pcap or pcapng file to OUT and report
what was dropped (blocks, packets, bytes and where).

Sound blocks and records are copied byte for byte; nothing is invented or
reordered. A record or block whose length field alone is damaged is restored
when the next record starts where its original (pcap) or trailing (pcapng)
length says. Otherwise the damage is dropped and reading resumes at the next
plausible block (a known type, a sane length, a matching trailing length, at
any byte offset) or pcap record (a plausible header confirmed by the next
one); all-zero spans are not packets. A second file header (captures
concatenated, or a capture restarted onto the same file) is taken in; a
damaged pcap file header is rebuilt from the records, a lost pcapng section
header or interface description is written anew from the blocks that follow.
A truncated last block or record is dropped. --verbose or --json says where
and what was dropped. OUT keeps the input's format; it is compressed when its
name ends in .gz, .zst or .lz4, and written through a temporary file renamed
into place only on success.

Exit code: 0 when nothing had to be dropped or changed, 1 when the output
differs from the input, 2 when the input cannot be read or is not a capture.`,
		Example: `  pcaptool repair broken.pcapng fixed.pcapng`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRepair(args[0], args[1], verbose, asJSON)
		},
	}
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "list every finding and dropped region")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report (findings, dropped regions) as JSON on standard output")
	return cmd
}

func runRepair(in, out string, verbose, asJSON bool) error {
	rep, err := validate.Repair(in, out, validate.Options{MaxBlockSize: maxPacketSize, OutputGroup: &outputs})
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	if asJSON {
		if err := json.NewEncoder(os.Stdout).Encode(rep); err != nil {
			return withExitCode(exitFailure, err)
		}
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
