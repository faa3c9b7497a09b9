//go:build linux

package replay

import (
	"errors"
	"testing"

	"golang.org/x/sys/unix"
)

// TestEnterRealtime checks that every thread of the process runs under
// SCHED_FIFO between enterRealtime and leave, and under its old policy
// after.
func TestEnterRealtime(t *testing.T) {
	old, err := unix.SchedGetAttr(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	leave, err := enterRealtime(3)
	if errors.Is(err, unix.EPERM) {
		t.Skipf("SCHED_FIFO is not permitted here (needs root or CAP_SYS_NICE): %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	check := func(when string, policy, prio uint32) {
		t.Helper()
		for _, tid := range threadIDs() {
			a, err := unix.SchedGetAttr(tid, 0)
			if errors.Is(err, unix.ESRCH) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if a.Policy != policy || a.Priority != prio {
				t.Errorf("%s: thread %d has policy %d priority %d, want %d and %d", when, tid, a.Policy, a.Priority, policy, prio)
			}
		}
	}
	check("real-time", unix.SCHED_FIFO, 3)
	leave()
	check("after", old.Policy, old.Priority)
}
