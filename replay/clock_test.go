package replay

import (
	"context"
	"testing"
	"time"
)

// TestClockWait checks that a wait, on a timer or with thread sleeps, never
// ends before the due time and ends early only when cancelled.
func TestClockWait(t *testing.T) {
	for _, realtime := range []bool{false, true} {
		for _, oneP := range []bool{false, true} {
			for _, cancelled := range []bool{false, true} {
				testClockWait(t, realtime, oneP, cancelled)
			}
		}
	}
}

func testClockWait(t *testing.T, realtime, oneP, cancelled bool) {
	name := map[bool]string{false: "timer", true: "thread sleep"}[oneP]
	if realtime {
		name = "realtime/" + name
	}
	if cancelled {
		name += "/cancelled"
	}
	t.Run(name, func(t *testing.T) {
		var c clock
		c.init(200*time.Microsecond, realtime)
		defer c.stop()
		c.oneP = oneP
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		if cancelled {
			cancel()
		}
		due := c.elapsed() + 3*time.Millisecond
		ok := c.waitUntil(ctx, due)
		if ok == cancelled {
			t.Fatalf("waitUntil = %v with the context cancelled: %v", ok, cancelled)
		}
		if ok && c.elapsed() < due {
			t.Errorf("returned %v before the due time", due-c.elapsed())
		}
		if c.spun < 0 || c.spun > 3*time.Millisecond {
			t.Errorf("counted %v of spin in a 3 ms wait", c.spun)
		}
	})
}

// TestClockRealtimeBudget checks that a real-time clock stops spinning
// once it has spun for realtimeSpin of a window, and spins again in the next.
func TestClockRealtimeBudget(t *testing.T) {
	var c clock
	c.init(0, true)
	defer c.stop()
	tests := []struct {
		due, spun time.Duration
		want      time.Duration
	}{
		{due: 0, spun: 0, want: DefaultRealtimeSpinTime},
		{due: 10 * time.Millisecond, spun: realtimeSpin - 1, want: DefaultRealtimeSpinTime},
		{due: 20 * time.Millisecond, spun: realtimeSpin, want: 0},
		{due: realtimeWindow - 1, spun: realtimeWindow, want: 0},
		{due: realtimeWindow, spun: realtimeWindow, want: DefaultRealtimeSpinTime}, // a new window
	}
	for _, tt := range tests {
		c.spun = tt.spun
		if got := c.spinBudget(tt.due); got != tt.want {
			t.Errorf("due %v, spun %v: spin %v, want %v", tt.due, tt.spun, got, tt.want)
		}
	}
	c.init(0, false)
	if c.spin != DefaultSpinTime || c.spinBudget(time.Hour) != DefaultSpinTime {
		t.Errorf("an ordinary clock spins %v, want %v", c.spin, DefaultSpinTime)
	}
}
