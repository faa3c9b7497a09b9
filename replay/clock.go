package replay

import (
	"context"
	"runtime"
	"time"
)

// clock paces the replay on the monotonic clock: it sleeps until SpinTime
// before a packet is due, then spins, because a sleep ends late: a Go
// timer by up to a millisecond (the runtime polls for timers with
// millisecond timeouts), any sleep by more on a busy machine.
//
// When the Go scheduler has one P (GOMAXPROCS=1, as pcaptool replay sets
// it), the clock sleeps its thread instead, in steps of at most
// threadSleepStep, with nanosleep(2) made as a raw system call: the kernel
// wakes it within its timer slack (50 µs), and the goroutine keeps the P,
// so the scheduler wakes no other thread. It yields to the scheduler
// between steps and every yieldEvery of spinning, so that other goroutines
// run (signal delivery) and the scheduler's monitor need not preempt the
// spinning goroutine with a signal. With more P, a yield would wake a
// thread on another CPU to look for work: the clock sleeps on a timer and
// lets the monitor preempt it.
//
// Under a real-time policy (realtime) it spins for at most three quarters
// of every realtimeWindow and sleeps to the due time for the rest of the
// window, so that the kernel's real-time throttling (95 % of a CPU a
// second, then a 50 ms stop) never comes into play.
type clock struct {
	start time.Time
	spin  time.Duration
	timer *time.Timer
	// oneP says the scheduler has one P; yielded is when the wait last
	// yielded to it.
	oneP    bool
	yielded time.Duration
	// realtime bounds the spinning: spun is the spin time of the window
	// that began at window.
	realtime     bool
	window, spun time.Duration
}

// realtimeWindow is the span over which a real-time clock spins for at
// most realtimeSpin.
const (
	realtimeWindow = 100 * time.Millisecond
	realtimeSpin   = realtimeWindow * 3 / 4
)

func (c *clock) init(spin time.Duration, realtime bool) {
	if spin == 0 {
		spin = DefaultSpinTime
		if realtime {
			spin = DefaultRealtimeSpinTime
		}
	}
	c.spin = spin
	c.realtime = realtime
	c.oneP = runtime.GOMAXPROCS(0) == 1
	c.timer = time.NewTimer(time.Hour)
	c.timer.Stop()
	c.start = time.Now()
}

func (c *clock) stop() { c.timer.Stop() }

// elapsed is the monotonic time since the start.
func (c *clock) elapsed() time.Duration { return time.Since(c.start) }

// waitUntil returns when due has come, or false when ctx ends first.
func (c *clock) waitUntil(ctx context.Context, due time.Duration) bool {
	spin, spinFrom := c.spinBudget(due), time.Duration(-1)
	for {
		now := c.elapsed()
		left := due - now
		if left <= 0 {
			if spinFrom >= 0 {
				c.spun += now - spinFrom
			}
			return true
		}
		if left > spin && c.oneP && canSleepThread {
			if ctx.Err() != nil {
				return false
			}
			sleepThread(min(left-spin, threadSleepStep))
			runtime.Gosched()
			c.yielded = c.elapsed()
			continue
		}
		if left > spin {
			c.timer.Reset(left - spin)
			select {
			case <-ctx.Done():
				c.timer.Stop()
				return false
			case <-c.timer.C:
			}
			continue
		}
		if ctx.Err() != nil {
			return false
		}
		if spinFrom < 0 {
			spinFrom = now
		}
		if c.oneP && now-c.yielded >= yieldEvery {
			// Yield before the Go scheduler's monitor preempts the
			// spinning goroutine (after 10 ms) with a signal.
			runtime.Gosched()
			c.yielded = now
		}
	}
}

// spinBudget returns the spin time of a wait for due: the clock's, or 0
// when a real-time clock has spun for realtimeSpin of the current window.
func (c *clock) spinBudget(due time.Duration) time.Duration {
	if !c.realtime {
		return c.spin
	}
	if due-c.window >= realtimeWindow {
		c.window, c.spun = due, 0
	}
	if c.spun >= realtimeSpin {
		return 0
	}
	return c.spin
}

const (
	// yieldEvery is how often a spinning wait yields to the scheduler.
	yieldEvery = 2 * time.Millisecond
	// threadSleepStep is the longest thread sleep between two yields.
	threadSleepStep = time.Millisecond
)
