package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"strconv"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/pcaptool/pcaptool/live"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/replay"
)

type replayFlags struct {
	iface string
	cfg   replay.Config
	loop  int
	json  bool
	quiet bool
	// preload reads the file into memory first (tcpreplay -K).
	preload bool
	cpu     string // --cpu: auto, any or a CPU number
}

func init() {
	var f replayFlags
	cmd := &cobra.Command{
		Use:   "replay -i IFACE [-x SPEED | -t | -p PPS | -M MBPS] [-l LOOPS] [-L LIMIT] [--duration D] FILE",
		Short: "Send the packets of a capture file out of an interface (like tcpreplay)",
		Long: `replay injects every packet of FILE, link-layer header included, on an
interface: with the capture's timing scaled by --speed (1 by default), at a
fixed rate (--pps, --mbps) or as fast as the interface takes them
(--topspeed), and prints tcpreplay's statistics (--json for a JSON object).
Packets that are due together are sent in one sendmmsg(2) call; waits end
with a spin on the monotonic clock, so gaps are kept to a few microseconds.

The capture's link type must match the interface's (Ethernet captures on
Ethernet interfaces). Packets cut short by a snap length are sent as
captured. A packet larger than the interface's MTU (plus its link-layer
header) is reported with its number and size, counted as failed and
skipped, as tcpreplay does. SIGINT or SIGTERM ends the replay with the
statistics of what was sent (exit status 130). A timed replay runs the Go
scheduler on one CPU (GOMAXPROCS=1) unless GOMAXPROCS is set, and under
the SCHED_FIFO real-time policy (--priority, 1 by default) where that is
permitted (root or CAP_SYS_NICE): no ordinary process then takes the
sender's CPU while a packet is due. --priority 0 turns it off. A real-time
replay runs on the CPU that has handled the fewest device interrupts
(--cpu auto); --cpu N pins a timed replay to CPU N, --cpu any leaves the
placement to the kernel.

Sending needs CAP_NET_RAW:
  setcap cap_net_raw,cap_net_admin+ep ./pcaptool`,
		Example: `  pcaptool replay -i eth0 in.pcapng                 # the captured timing
  pcaptool replay -i eth0 --speed 2 in.pcapng       # twice as fast
  pcaptool replay -i eth0 --topspeed --loop 10 in.pcap
  pcaptool replay -i eth0 --pps 1000 --limit 5000 in.pcap
  pcaptool replay -i eth0 --mbps 100 --duration 30s --json in.pcap`,
		Args:        cobra.ExactArgs(1),
		Annotations: map[string]string{"signals": "self"}, // replay reports what it sent when interrupted
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReplay(cmd, &f, args[0])
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.iface, "interface", "i", "", "interface to send on (required)")
	fl.Float64VarP(&f.cfg.Speed, "speed", "x", 0, "replay at this multiple of the captured speed (default 1; 2 = twice as fast)")
	fl.BoolVarP(&f.cfg.TopSpeed, "topspeed", "t", false, "send as fast as possible")
	fl.Float64VarP(&f.cfg.PPS, "pps", "p", 0, "send this many packets per second")
	fl.Float64VarP(&f.cfg.Mbps, "mbps", "M", 0, "send at this many megabits per second")
	fl.IntVarP(&f.loop, "loop", "l", 1, "send the file this many times (0: until interrupted)")
	fl.Uint64VarP(&f.cfg.Limit, "limit", "L", 0, "stop after this many packets (0: no limit)")
	fl.DurationVar(&f.cfg.Duration, "duration", 0, "stop after this long (e.g. 30s; 0: no limit)")
	fl.DurationVar(&f.cfg.SpinTime, "spin", 0, "stop sleeping this long before a packet is due and spin on the clock (longer: more accurate on a busy machine, more CPU; default 1ms, 100µs under a real-time policy)")
	fl.StringVar(&f.cpu, "cpu", "auto", "CPU of a timed replay: auto (real-time: the one with the fewest device interrupts), any, or a CPU number")
	fl.IntVar(&f.cfg.RealtimePriority, "priority", replay.DefaultRealtimePriority, "SCHED_FIFO real-time priority of a timed replay, 1-99, where permitted (root or CAP_SYS_NICE); 0: ordinary scheduling")
	fl.IntVar(&f.cfg.BatchSize, "batch", replay.DefaultBatchSize, "largest number of due packets sent with one system call")
	fl.BoolVarP(&f.preload, "preload-pcap", "K", false, "read the whole file into memory before sending (timed replays of files up to 64 MiB always are)")
	fl.BoolVar(&f.json, "json", false, "print the statistics as a JSON object on stdout")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "do not report skipped packets one by one")
	cmd.MarkFlagRequired("interface")
	rootCmd.AddCommand(cmd)
}

func runReplay(cmd *cobra.Command, f *replayFlags, name string) error {
	if f.loop < 0 {
		return withExitCode(exitFailure, errors.New("replay: --loop must not be negative"))
	}
	if name == "-" && f.loop != 1 {
		return withExitCode(exitFailure, errors.New("replay: --loop needs a file: standard input can be read only once"))
	}
	f.cfg.Loops = f.loop
	switch f.cpu {
	case "auto":
		f.cfg.CPU = replay.QuietCPU
	case "any":
		f.cfg.CPU = replay.AnyCPU
	default:
		n, err := strconv.Atoi(f.cpu)
		if err != nil || n < 0 {
			return withExitCode(exitFailure, fmt.Errorf("replay: --cpu %q: want auto, any or a CPU number", f.cpu))
		}
		f.cfg.CPU = replay.OnCPU(n)
	}
	if f.loop == 0 {
		f.cfg.Loops = -1
	}
	if err := f.cfg.Validate(); err != nil {
		return withExitCode(exitFailure, err)
	}
	inj, err := live.OpenInjector(f.iface)
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	defer inj.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if !f.cfg.TopSpeed && os.Getenv("GOMAXPROCS") == "" {
		// A timed replay is one goroutine spinning on the clock. With
		// one P the Go scheduler has no idle P to wake a thread for when
		// that goroutine yields or is preempted, a thread that would run
		// on another CPU and push the receivers there onto the sender's.
		runtime.GOMAXPROCS(1)
	}
	r := &replay.Replayer{Sender: inj, Config: f.cfg}
	errOut := cmd.ErrOrStderr()
	if !f.quiet {
		r.Warn = func(err error) { fmt.Fprintf(errOut, "pcaptool: %v\n", err) }
	}
	open := replay.Opener(func() (pkt.Reader, error) {
		rd, err := openCapture(name)
		if err != nil {
			return nil, err
		}
		return rd, nil
	})
	if preload, limit := preloadLimit(f, name); preload {
		ropts, err := readerOptions()
		if err == nil {
			open, err = replay.Preload(name, limit, ropts)
		}
		if err != nil {
			return withExitCode(exitFailure, err)
		}
	}
	st, runErr := r.Run(ctx, open)
	if !st.Realtime && !f.cfg.TopSpeed && cmd.Flags().Changed("priority") && f.cfg.RealtimePriority > 0 && !f.quiet {
		fmt.Fprintf(errOut, "pcaptool: replay: SCHED_FIFO priority %d not permitted (needs root or CAP_SYS_NICE): ran with ordinary scheduling\n", f.cfg.RealtimePriority)
	}
	if f.json {
		enc := json.NewEncoder(cmd.OutOrStdout())
		if err := enc.Encode(st); err != nil {
			return withExitCode(exitFailure, err)
		}
	} else if err := st.WriteText(cmd.OutOrStdout()); err != nil {
		return withExitCode(exitFailure, err)
	}
	if runErr != nil {
		return withExitCode(exitFailure, fmt.Errorf("%s: %w", name, runErr))
	}
	if st.Interrupted {
		return withExitCode(exitInterrupted, nil)
	}
	return nil
}

// preloadLimit says whether to preload the file and how large it may be:
// always with --preload-pcap (up to 4 GiB), and for a timed replay of a
// regular file up to replay.DefaultPreloadLimit, whose refills would
// otherwise hold packets up.
func preloadLimit(f *replayFlags, name string) (bool, int64) {
	if f.preload {
		return true, 4 << 30
	}
	if f.cfg.TopSpeed || name == "-" {
		return false, 0
	}
	st, err := os.Stat(name)
	return err == nil && st.Mode().IsRegular() && st.Size() <= replay.DefaultPreloadLimit, replay.DefaultPreloadLimit
}
