//go:build linux

package replay

import (
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// enterRealtime puts every thread of the process under the SCHED_FIFO
// real-time policy at priority prio, as chrt -f would have started it:
// threads the Go runtime creates later inherit the policy from the thread
// that creates them. leave puts them back under the policy the calling
// thread had. It fails, changing nothing, where the kernel does not permit
// it (without CAP_SYS_NICE or an RLIMIT_RTPRIO of prio).
func enterRealtime(prio int) (leave func(), err error) {
	old, err := unix.SchedGetAttr(0, 0)
	if err != nil {
		return nil, fmt.Errorf("replay: sched_getattr: %w", err)
	}
	attr := unix.SchedAttr{Size: unix.SizeofSchedAttr, Policy: unix.SCHED_FIFO, Priority: uint32(prio)}
	if err := unix.SchedSetAttr(0, &attr, 0); err != nil {
		return nil, fmt.Errorf("replay: SCHED_FIFO priority %d: %w", prio, err)
	}
	setAll := func(a *unix.SchedAttr) {
		for _, tid := range threadIDs() {
			// A thread that has exited (ESRCH) needs nothing.
			_ = unix.SchedSetAttr(tid, a, 0)
		}
	}
	setAll(&attr)
	return func() {
		old.Size = unix.SizeofSchedAttr
		setAll(old)
	}, nil
}

// threadIDs lists the process's threads (/proc/self/task).
func threadIDs() []int {
	ents, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return []int{unix.Gettid()}
	}
	tids := make([]int, 0, len(ents))
	for _, e := range ents {
		if tid, err := strconv.Atoi(e.Name()); err == nil {
			tids = append(tids, tid)
		}
	}
	return tids
}

// pinThreads runs every thread of the process on cpu alone; unpin gives
// each back the CPUs it had.
func pinThreads(cpu int) (unpin func(), err error) {
	var set unix.CPUSet
	set.Set(cpu)
	type saved struct {
		tid int
		set unix.CPUSet
	}
	var olds []saved
	unpin = func() {
		for _, o := range olds {
			_ = unix.SchedSetaffinity(o.tid, &o.set)
		}
	}
	for _, tid := range threadIDs() {
		var old unix.CPUSet
		if unix.SchedGetaffinity(tid, &old) != nil {
			continue // exited
		}
		if err := unix.SchedSetaffinity(tid, &set); err != nil {
			if tid == unix.Gettid() {
				unpin()
				return nil, fmt.Errorf("replay: run on CPU %d: %w", cpu, err)
			}
			continue
		}
		olds = append(olds, saved{tid, old})
	}
	return unpin, nil
}

// quietCPU returns the CPU the calling thread may run on that has handled
// the fewest device interrupts.
func quietCPU() (int, bool) {
	var allowed unix.CPUSet
	if unix.SchedGetaffinity(0, &allowed) != nil {
		return 0, false
	}
	f, err := os.Open("/proc/interrupts")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	return quietestCPU(f, allowed.IsSet)
}
