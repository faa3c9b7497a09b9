package main

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

func init() { rootCmd.AddCommand(newGenerateCmd()) }

func newGenerateCmd() *cobra.Command {
	var (
		out      outputFlags
		cfg      synth.Config
		start    string
		snaplen  int
		resolStr string
	)
	cmd := &cobra.Command{
		Use:   "generate [flags] OUT",
		Short: "Write a capture of realistic synthetic traffic (for samples, tests, benchmarks)",
		Long: `Write a capture of synthetic Ethernet traffic: IPv4 and IPv6, TCP and UDP,
60 to 1514-byte frames in a bimodal size mix, exponentially distributed gaps.
The same --seed always gives the same file.`,
		Example: `  pcaptool generate -c 2000000 big.pcapng
  pcaptool generate -c 100000 --disorder 30 -F pcap shuffled.pcap
  pcaptool generate -c 1000000 --frame-size 64 --ipv6 -1 small.pcap`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if start != "" {
				t, err := time.Parse(time.RFC3339Nano, start)
				if err != nil {
					return withExitCode(exitFailure, err)
				}
				cfg.Start = t
			}
			cfg.SnapLen = snaplen
			res, err := parseResolution(resolStr)
			if err != nil {
				return withExitCode(exitFailure, err)
			}
			cfg.Resolution = res
			w, err := out.create(args[0])
			if err != nil {
				return withExitCode(exitFailure, err)
			}
			defer w.Abort()
			if _, err := pkt.Copy(w, synth.New(cfg)); err != nil {
				return withExitCode(exitFailure, err)
			}
			return closeOutput(w)
		},
	}
	out.register(cmd)
	f := cmd.Flags()
	f.IntVarP(&cfg.Packets, "count", "c", 1000, "number of packets")
	f.Uint64Var(&cfg.Seed, "seed", 1, "pseudo-random seed")
	f.StringVar(&start, "start", "", "first timestamp, RFC 3339 (default 2024-01-01T00:00:00Z)")
	f.DurationVar(&cfg.MeanGap, "gap", 20*time.Microsecond, "mean time between packets")
	f.IntVar(&cfg.Flows, "flows", 512, "concurrent conversations")
	f.IntVar(&cfg.IPv6Percent, "ipv6", 20, "percentage of IPv6 flows (-1 for none)")
	f.IntVar(&cfg.Disorder, "disorder", 0, "percentage of packets moved back in time (to exercise sort)")
	f.IntVarP(&snaplen, "snaplen", "s", 0, "truncate captured data to this many bytes (0: no limit)")
	f.IntVar(&cfg.FrameSize, "frame-size", 0, "give every frame this many bytes, up to 1514 (0: a mix of 60 to 1514)")
	f.StringVar(&resolStr, "resolution", "nsec", "timestamp resolution of the interface: nsec or usec")
	return cmd
}
