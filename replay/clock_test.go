package replay

import (
	"context"
	"testing"
	"time"
)

// TestClockWait checks that a wait, on a timer or with thread sleeps, never
// ends before the due time and ends early only when cancelled.
func TestClockWait(t *testing.T) {
	for _, oneP := range []bool{false, true} {
		for _, cancelled := range []bool{false, true} {
			name := map[bool]string{false: "timer", true: "thread sleep"}[oneP]
			if cancelled {
				name += "/cancelled"
			}
			t.Run(name, func(t *testing.T) {
				var c clock
				c.init(200 * time.Microsecond)
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
			})
		}
	}
}
