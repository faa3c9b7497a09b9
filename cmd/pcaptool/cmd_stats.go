package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/pcaptool/pcaptool/decode"
)

func init() { rootCmd.AddCommand(newStatsCmd()) }

func newStatsCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "stats [flags] FILE",
		Short: "Protocol hierarchy statistics, like tshark -q -z io,phs",
		Long: `Count the frames and bytes of every protocol stack in a capture, as a tree
in the layout of tshark -q -z io,phs (names follow tshark's: eth, ip, ipv6,
tcp, udp, data, ...). --json prints the same tree as one JSON object:
{"frames":N,"bytes":N,"protocols":[{"name":"eth","frames":N,"bytes":N,"protocols":[...]}]}.`,
		Example: `  pcaptool stats capture.pcapng
  pcaptool stats --json capture.pcap`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStats(cmd.OutOrStdout(), args[0], asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func runStats(stdout io.Writer, name string, asJSON bool) error {
	in, err := openCapture(name)
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	defer in.Close()
	h := decode.NewHierarchy()
	for {
		p, err := in.ReadPacket()
		if err == io.EOF {
			break
		}
		if err != nil {
			return withExitCode(exitFailure, err)
		}
		ifaces := in.Interfaces()
		if p.Interface < 0 || p.Interface >= len(ifaces) {
			return withExitCode(exitFailure, fmt.Errorf("%s: packet refers to interface %d of %d", name, p.Interface, len(ifaces)))
		}
		h.Add(p, ifaces[p.Interface].LinkType)
	}
	if asJSON {
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
