package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/pcaptool/pcaptool/live"
)

type replayFlags struct {
	iface    string
	speed    float64
	topspeed bool
	pps      float64
	loop     int
	quiet    bool
}

func init() {
	var f replayFlags
	cmd := &cobra.Command{
		Use:   "replay -i IFACE [--speed X | --topspeed | --pps N] [--loop N] FILE",
		Short: "Send the packets of a capture file out of an interface",
		Long: `replay injects every packet of FILE, link-layer header included, on an
interface, keeping the capture's timing (scaled by --speed), at a fixed rate
(--pps) or as fast as the interface takes them (--topspeed), and reports the
packets and bytes sent and the rate, as tcpreplay does.

The capture's link type must match the interface's (Ethernet captures on
Ethernet interfaces). Packets cut short by a snap length are sent as
captured. Packets the interface refuses (larger than its MTU) are counted
as failed and skipped.

Sending needs CAP_NET_RAW:
  setcap cap_net_raw,cap_net_admin+ep ./pcaptool`,
		Args:        cobra.ExactArgs(1),
		Annotations: map[string]string{"signals": "self"}, // replay reports what it sent when interrupted
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReplay(cmd, &f, args[0])
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.iface, "interface", "i", "", "interface to send on (required)")
	fl.Float64Var(&f.speed, "speed", 1, "replay at this multiple of the captured speed (2 = twice as fast)")
	fl.BoolVar(&f.topspeed, "topspeed", false, "send as fast as possible")
	fl.Float64Var(&f.pps, "pps", 0, "send this many packets per second")
	fl.IntVar(&f.loop, "loop", 1, "send the file this many times (0: until interrupted)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print only the summary")
	cmd.MarkFlagRequired("interface")
	rootCmd.AddCommand(cmd)
}

// replayStats is what replay reports.
type replayStats struct {
	packets, bytes, failed uint64
	elapsed                time.Duration
}

func runReplay(cmd *cobra.Command, f *replayFlags, name string) error {
	modes := 0
	if cmd.Flags().Changed("speed") {
		modes++
	}
	if f.topspeed {
		modes++
	}
	if f.pps != 0 {
		modes++
	}
	if modes > 1 {
		return withExitCode(exitFailure, errors.New("replay: use one of --speed, --topspeed and --pps"))
	}
	if f.speed <= 0 || f.pps < 0 || f.loop < 0 {
		return withExitCode(exitFailure, errors.New("replay: --speed must be positive, --pps and --loop not negative"))
	}
	inj, err := live.OpenInjector(f.iface)
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	defer inj.Close()

	var stop atomic.Bool
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	wake := make(chan struct{})
	go func() {
		if _, ok := <-sigs; ok {
			stop.Store(true)
			close(wake)
		}
	}()

	var st replayStats
	start := time.Now()
	var runErr error
	var sent uint64 // packets scheduled so far, for --pps
	for pass := 0; (f.loop == 0 || pass < f.loop) && !stop.Load() && runErr == nil; pass++ {
		runErr = replayOnce(name, inj, f, &st, start, &sent, &stop, wake)
	}
	st.elapsed = time.Since(start)
	out := cmd.ErrOrStderr()
	secs := st.elapsed.Seconds()
	fmt.Fprintf(out, "Actual: %d packets (%d bytes) sent in %.6f seconds\n", st.packets, st.bytes, secs)
	if secs > 0 {
		fmt.Fprintf(out, "Rated: %.1f Bps, %.3f Mbps, %.2f pps\n",
			float64(st.bytes)/secs, float64(st.bytes)*8/secs/1e6, float64(st.packets)/secs)
	}
	if st.failed > 0 {
		fmt.Fprintf(out, "Failed packets: %d\n", st.failed)
	}
	if runErr != nil {
		return withExitCode(exitFailure, runErr)
	}
	if stop.Load() {
		return withExitCode(exitInterrupted, nil)
	}
	return nil
}

// replayOnce sends the file once. Timing is computed from the start of the
// whole replay so that sleeping errors do not accumulate over a long file.
func replayOnce(name string, inj *live.Injector, f *replayFlags, st *replayStats, start time.Time, sent *uint64, stop *atomic.Bool, wake chan struct{}) error {
	r, err := openCapture(name)
	if err != nil {
		return err
	}
	defer r.Close()
	var first time.Time
	passStart := time.Now()
	for !stop.Load() {
		p, err := r.ReadPacket()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if lt := r.Interfaces()[p.Interface].LinkType; lt != inj.LinkType() {
			return fmt.Errorf("replay: %s: packet %d is %s, interface %s needs %s", name, st.packets+st.failed+1, lt.Name(), f.iface, inj.LinkType().Name())
		}
		var due time.Time
		switch {
		case f.topspeed:
		case f.pps > 0:
			due = start.Add(time.Duration(float64(*sent) / f.pps * float64(time.Second)))
		default:
			if first.IsZero() {
				first = p.Timestamp
			}
			due = passStart.Add(time.Duration(float64(p.Timestamp.Sub(first)) / f.speed))
		}
		*sent++
		if d := time.Until(due); d > 0 {
			select {
			case <-time.After(d):
			case <-wake:
				return nil
			}
		}
		if err := inj.WritePacketData(p.Data); err != nil {
			if errors.Is(err, live.ErrFrameTooLarge) {
				st.failed++
				if !f.quiet {
					fmt.Fprintf(os.Stderr, "pcaptool: replay: skipping packet of %d bytes: %v\n", len(p.Data), err)
				}
				continue
			}
			return err
		}
		st.packets++
		st.bytes += uint64(len(p.Data))
	}
	return nil
}
