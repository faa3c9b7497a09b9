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
type clock struct {
	start time.Time
	spin  time.Duration
	timer *time.Timer
	// oneP says the scheduler has one P; yielded is when the wait last
	// yielded to it.
	oneP    bool
	yielded time.Duration
}

func (c *clock) init(spin time.Duration) {
	if spin == 0 {
		spin = DefaultSpinTime
	}
	c.spin = spin
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
	for {
		left := due - c.elapsed()
		if left <= 0 {
			return true
		}
		if left > c.spin && c.oneP && canSleepThread {
			if ctx.Err() != nil {
				return false
			}
			sleepThread(min(left-c.spin, threadSleepStep))
			runtime.Gosched()
			c.yielded = c.elapsed()
			continue
		}
		if left > c.spin {
			c.timer.Reset(left - c.spin)
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
		if now := due - left; c.oneP && now-c.yielded >= yieldEvery {
			// Yield before the Go scheduler's monitor preempts the
			// spinning goroutine (after 10 ms) with a signal.
			runtime.Gosched()
			c.yielded = now
		}
	}
}

const (
	// yieldEvery is how often a spinning wait yields to the scheduler.
	yieldEvery = 2 * time.Millisecond
	// threadSleepStep is the longest thread sleep between two yields.
	threadSleepStep = time.Millisecond
)
