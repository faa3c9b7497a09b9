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

// TestPinThreads checks that every thread runs on the one CPU between
// pinThreads and unpin, and on the CPUs it had after.
func TestPinThreads(t *testing.T) {
	before, cpu := lastAllowedCPU(t)
	unpin, err := pinThreads(cpu)
	if err != nil {
		t.Fatal(err)
	}
	for _, tid := range threadIDs() {
		var set unix.CPUSet
		if unix.SchedGetaffinity(tid, &set) != nil {
			continue
		}
		if set.Count() != 1 || !set.IsSet(cpu) {
			t.Errorf("thread %d may run on %d CPUs, want CPU %d alone", tid, set.Count(), cpu)
		}
	}
	unpin()
	var after unix.CPUSet
	if err := unix.SchedGetaffinity(0, &after); err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Errorf("after unpin: %d CPUs, before %d", after.Count(), before.Count())
	}
	if _, err := pinThreads(4095); err == nil {
		t.Error("pinning to CPU 4095 did not fail")
	}
}

// TestPlacementShared checks that concurrent Runs share one placement:
// the second runs where the first put the process, and the threads are put
// back only when the last one ends.
func TestPlacementShared(t *testing.T) {
	before, cpu := lastAllowedCPU(t)
	pinnedTo := func(want int) bool {
		var set unix.CPUSet
		if err := unix.SchedGetaffinity(0, &set); err != nil {
			t.Fatal(err)
		}
		if want < 0 {
			return set == before
		}
		return set.Count() == 1 && set.IsSet(want)
	}
	_, c1, release1, err := place(Config{CPU: OnCPU(cpu)})
	if err != nil {
		t.Fatal(err)
	}
	_, c2, release2, err := place(Config{CPU: AnyCPU})
	if err != nil {
		t.Fatal(err)
	}
	if c1 != cpu || c2 != cpu || !pinnedTo(cpu) {
		t.Fatalf("first Run on CPU %d, second on %d, want both on %d", c1, c2, cpu)
	}
	release1()
	if !pinnedTo(cpu) {
		t.Error("the first Run's end unpinned the second")
	}
	release2()
	if !pinnedTo(-1) {
		t.Error("the threads were not given back their CPUs")
	}
	if _, _, _, err := place(Config{CPU: OnCPU(4095)}); err == nil {
		t.Error("CPU 4095 accepted")
	}
	if placement.users != 0 {
		t.Errorf("%d users left", placement.users)
	}
}

// lastAllowedCPU returns the CPUs the calling thread may run on and the
// highest-numbered of them.
func lastAllowedCPU(t *testing.T) (unix.CPUSet, int) {
	t.Helper()
	var set unix.CPUSet
	if err := unix.SchedGetaffinity(0, &set); err != nil {
		t.Fatal(err)
	}
	cpu := -1
	for c := range 1024 {
		if set.IsSet(c) {
			cpu = c
		}
	}
	return set, cpu
}
