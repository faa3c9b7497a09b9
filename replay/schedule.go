package replay

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// Config says how packets are paced and when the replay ends. At most one
// of Speed, TopSpeed, PPS and Mbps may be set; none means the capture's own
// timing (Speed 1).
type Config struct {
	// Speed is a multiple of the captured speed: 2 replays twice as fast
	// (gaps halved). 0 means 1.
	Speed float64
	// TopSpeed sends as fast as the interface takes the packets.
	TopSpeed bool
	// PPS sends this many packets per second, evenly spaced.
	PPS float64
	// Mbps sends at this many megabits (10^6 bits) per second, counting
	// the bytes of each frame as sent, like tcpreplay -M.
	Mbps float64
	// Loops is the number of passes over the input: 0 means 1, a negative
	// value repeats until the context is cancelled. The first packet of a
	// pass follows the last packet of the previous one without a gap. A
	// pass that yields no packet ends the replay.
	Loops int
	// Limit ends the replay after this many packets (sent or failed); 0
	// means no limit.
	Limit uint64
	// Duration ends the replay after this long: packets the schedule puts
	// at or after it are not sent (at top speed, packets not sent by then).
	// 0 means no limit.
	Duration time.Duration
	// BatchSize is the largest number of frames handed to the Sender at
	// once; 0 means DefaultBatchSize. Only packets already due are batched,
	// so the pacing is unaffected.
	BatchSize int
	// SpinTime is how long before a packet is due the Replayer stops
	// sleeping and spins on the clock instead; 0 means DefaultSpinTime,
	// or DefaultRealtimeSpinTime when the replay runs under a real-time
	// policy. Longer is more accurate on a busy machine and costs more CPU.
	SpinTime time.Duration
	// RealtimePriority, when above 0, runs a timed replay under the
	// SCHED_FIFO real-time policy at this priority (1–99) where the
	// kernel permits it (root, CAP_SYS_NICE or an RLIMIT_RTPRIO as high):
	// every thread of the process for the duration of Run, so that no
	// ordinary process or kernel thread takes the sender's CPU while a
	// packet is due. Where it is not permitted the replay runs as it
	// would have; Stats.Realtime says which. Top-speed replays ignore it.
	// While real-time, the clock spins for at most 75 ms of every 100 ms
	// and sleeps for the rest: the kernel stops real-time threads for
	// 50 ms once they have taken 95 % of a CPU for a second
	// (sched_rt_runtime_us).
	RealtimePriority int
	// CPU says which CPU a timed replay runs on. The zero value,
	// QuietCPU, pins a real-time replay to the CPU with the fewest
	// device interrupts; AnyCPU leaves it to the kernel; OnCPU(n) pins
	// it to CPU n. Every thread of the process is pinned for the
	// duration of Run. Top-speed replays ignore it. The policy and the
	// pinning are the process's: Runs that overlap share what the first
	// of them set up, which is undone when the last one ends.
	CPU CPUPlacement
}

// Defaults.
const (
	// DefaultBatchSize is the batch handed to one sendmmsg(2) at top speed.
	DefaultBatchSize = 64
	// DefaultSpinTime covers the lateness of a timer wake-up on a loaded
	// machine (about a millisecond); on an idle one 100µs would do.
	DefaultSpinTime = time.Millisecond
	// DefaultRealtimeSpinTime is the spin of a real-time replay, whose
	// thread the kernel wakes from a sleep without timer slack and
	// before any ordinary process.
	DefaultRealtimeSpinTime = 100 * time.Microsecond
	// DefaultRealtimePriority is the SCHED_FIFO priority pcaptool replay
	// asks for: the lowest, above every ordinary process.
	DefaultRealtimePriority = 1
)

// Sentinel errors.
var (
	// ErrConfig reports a Config that is contradictory or out of range.
	ErrConfig = errors.New("replay: invalid configuration")
)

// Validate checks c.
func (c *Config) Validate() error {
	modes := 0
	for _, set := range []bool{c.Speed != 0, c.TopSpeed, c.PPS != 0, c.Mbps != 0} {
		if set {
			modes++
		}
	}
	switch {
	case modes > 1:
		return fmt.Errorf("%w: use one of speed, top speed, packets per second and Mbps", ErrConfig)
	case c.Speed < 0 || math.IsNaN(c.Speed) || math.IsInf(c.Speed, 0):
		return fmt.Errorf("%w: speed %v must be a positive number", ErrConfig, c.Speed)
	case c.PPS < 0 || math.IsNaN(c.PPS) || math.IsInf(c.PPS, 0):
		return fmt.Errorf("%w: packets per second %v must be a positive number", ErrConfig, c.PPS)
	case c.Mbps < 0 || math.IsNaN(c.Mbps) || math.IsInf(c.Mbps, 0):
		return fmt.Errorf("%w: Mbps %v must be a positive number", ErrConfig, c.Mbps)
	case c.Duration < 0:
		return fmt.Errorf("%w: duration %v is negative", ErrConfig, c.Duration)
	case c.BatchSize < 0:
		return fmt.Errorf("%w: batch size %d is negative", ErrConfig, c.BatchSize)
	case c.SpinTime < 0:
		return fmt.Errorf("%w: spin time %v is negative", ErrConfig, c.SpinTime)
	case c.CPU < AnyCPU:
		return fmt.Errorf("%w: CPU placement %d is not a CPU, AnyCPU or QuietCPU", ErrConfig, c.CPU)
	case c.RealtimePriority < 0 || c.RealtimePriority > 99:
		return fmt.Errorf("%w: real-time priority %d is not between 0 and 99", ErrConfig, c.RealtimePriority)
	}
	return nil
}

// Schedule computes when each packet of a replay is due, as an offset from
// the start of the replay. It is a pure function of the packets' timestamps
// and lengths, so the whole plan can be computed and checked ahead.
type Schedule struct {
	cfg      Config
	speed    float64
	n        uint64        // packets scheduled
	bytes    uint64        // bytes of the packets scheduled
	captured time.Duration // capture time covered, gaps summed over passes
	prev     time.Time     // timestamp of the previous packet of this pass
	havePrev bool
}

// NewSchedule returns the schedule for cfg.
func NewSchedule(cfg Config) (*Schedule, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Schedule{cfg: cfg, speed: cfg.Speed}
	if s.speed == 0 {
		s.speed = 1
	}
	return s, nil
}

// NewPass tells the schedule that the next packet starts a new pass over
// the input: it follows the previous packet without a gap.
func (s *Schedule) NewPass() { s.havePrev = false }

// Next schedules a packet captured at ts, of length bytes as sent. It
// returns when the packet is due, and false when the replay ends before it
// (Limit reached, or due at or after Duration). A timestamp earlier than the
// previous packet's counts as no gap, as tcpreplay does.
func (s *Schedule) Next(ts time.Time, length int) (time.Duration, bool) {
	if s.cfg.Limit > 0 && s.n >= s.cfg.Limit {
		return 0, false
	}
	var due time.Duration
	switch {
	case s.cfg.TopSpeed:
	case s.cfg.PPS > 0:
		due = time.Duration(float64(s.n) * 1e9 / s.cfg.PPS)
	case s.cfg.Mbps > 0:
		due = time.Duration(float64(s.bytes) * 8e3 / s.cfg.Mbps)
	default:
		if s.havePrev {
			if gap := ts.Sub(s.prev); gap > 0 {
				s.captured += gap
			}
		}
		due = time.Duration(float64(s.captured) / s.speed)
	}
	if s.cfg.Duration > 0 && due >= s.cfg.Duration {
		return due, false
	}
	s.prev, s.havePrev = ts, true
	s.n++
	s.bytes += uint64(length)
	return due, true
}
