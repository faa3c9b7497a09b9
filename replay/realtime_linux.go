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
