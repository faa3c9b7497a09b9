package main

import (
	"bufio"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/pcaptool/pcaptool/flows"
)

func init() { rootCmd.AddCommand(newFlowsCmd()) }

func newFlowsCmd() *cobra.Command {
	var (
		asJSON bool
		export string
		cfg    flows.Config
	)
	cmd := &cobra.Command{
		Use:   "flows [flags] FILE",
		Short: "List TCP and UDP conversations, after defragmentation and TCP reassembly",
		Long: `List the TCP and UDP conversations of a capture: endpoints (A sent the first
packet), packets and bytes each way (frame lengths, as tshark's conversation
tables count them), start, duration, and for TCP what the flags showed:
handshake, FINs, resets, retransmissions, out-of-order segments and bytes
reassembly found missing.

Conversations print as they end (closed and quiet for --closed-timeout, or
idle for --idle-timeout of capture time) and the rest at the end of the
capture, so memory holds only open conversations. IPv4 fragments are
reassembled first. --export DIR writes each TCP conversation's reassembled
bytes, one file per direction: DIR/<id>-<sender>-<receiver>.bin.`,
		Example: `  pcaptool flows capture.pcapng
  pcaptool flows --json capture.pcap | jq 'select(.tcp.handshake)'
  pcaptool flows --export streams/ capture.pcap`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runFlows(cmd.OutOrStdout(), args[0], asJSON, export, cfg)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&asJSON, "json", false, "one JSON object per conversation")
	fl.StringVar(&export, "export", "", "write reassembled TCP streams into this directory")
	fl.DurationVar(&cfg.IdleTimeout, "idle-timeout", 0, "end conversations idle this long (default 5m)")
	fl.DurationVar(&cfg.ClosedTimeout, "closed-timeout", 0, "end closed TCP conversations after this long (default 10s)")
	return cmd
}

func runFlows(stdout io.Writer, name string, asJSON bool, export string, cfg flows.Config) error {
	in, err := openCapture(name)
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	defer in.Close()
	w := bufio.NewWriterSize(stdout, 256<<10)
	var buf []byte
	var werr error
	cfg.OnEnd = func(c *flows.Conversation) {
		buf = buf[:0]
		if asJSON {
			buf = c.AppendJSON(buf)
		} else {
			buf = c.AppendText(buf)
		}
		buf = append(buf, '\n')
		if _, err := w.Write(buf); err != nil && werr == nil {
			werr = err
		}
	}
	var exp *flows.Exporter
	if export != "" {
		if exp, err = flows.NewExporter(export); err != nil {
			return withExitCode(exitFailure, err)
		}
		exp.Group = &outputs
		defer exp.Abort() // a failed run leaves no partial stream files
		cfg.Streams = exp
	}
	if !asJSON {
		fmt.Fprintln(w, flows.TextHeader)
	}
	t := flows.New(cfg)
	for {
		p, err := in.ReadPacket()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Flush()
			w.Flush()
			return withExitCode(exitFailure, err)
		}
		ifaces := in.Interfaces()
		if p.Interface < 0 || p.Interface >= len(ifaces) {
			return withExitCode(exitFailure, fmt.Errorf("%s: packet refers to interface %d of %d", name, p.Interface, len(ifaces)))
		}
		t.Add(p, ifaces[p.Interface].LinkType)
		if werr != nil {
			return printWriteError(werr)
		}
	}
	t.Flush()
	if exp != nil {
		if err := exp.Close(); err != nil {
			return withExitCode(exitFailure, err)
		}
	}
	if werr != nil {
		return printWriteError(werr)
	}
	if err := w.Flush(); err != nil {
		return printWriteError(err)
	}
	return nil
}
