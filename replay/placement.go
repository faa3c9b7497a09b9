package replay

import "sync"

// placement is where a timed replay runs: the real-time policy and the
// CPU pinning of Config.RealtimePriority and Config.CPU. Both belong to
// the process's threads, not to one Run, so concurrent Runs share them:
// the first Run to start sets them up, the others run under them as they
// are, and the last to end puts the threads back.
var placement struct {
	sync.Mutex
	users    int
	realtime bool
	cpu      int
	undo     []func()
}

// place sets up where a timed replay runs, as cfg asks, unless a Run in
// progress has already; release undoes it when no other Run needs it. It
// reports whether the replay runs real-time and the CPU it is pinned to
// (-1 for none). An explicit CPU that cannot be used is an error; the
// rest is done where the kernel permits it.
func place(cfg Config) (realtime bool, cpu int, release func(), err error) {
	placement.Lock()
	defer placement.Unlock()
	if placement.users == 0 {
		if err := setUp(cfg); err != nil {
			return false, -1, nil, err
		}
	}
	placement.users++
	return placement.realtime, placement.cpu, releasePlacement, nil
}

// setUp applies cfg to the process; placement is locked and unused.
func setUp(cfg Config) error {
	placement.realtime, placement.cpu, placement.undo = false, -1, nil
	if p := cfg.RealtimePriority; p > 0 {
		if leave, err := enterRealtime(p); err == nil {
			placement.undo = append(placement.undo, leave)
			placement.realtime = true
		}
	}
	cpu, pin := cfg.CPU.fixed()
	if !pin && cfg.CPU == QuietCPU && placement.realtime {
		cpu, pin = quietCPU()
	}
	if !pin {
		return nil
	}
	unpin, err := pinThreads(cpu)
	if err != nil {
		if cfg.CPU == QuietCPU {
			return nil // a choice of ours: run where the kernel puts us
		}
		undo()
		return err
	}
	placement.undo = append(placement.undo, unpin)
	placement.cpu = cpu
	return nil
}

// releasePlacement ends one Run's use of the placement.
func releasePlacement() {
	placement.Lock()
	defer placement.Unlock()
	placement.users--
	if placement.users == 0 {
		undo()
	}
}

// undo puts the threads back, last change first.
func undo() {
	for i := len(placement.undo) - 1; i >= 0; i-- {
		placement.undo[i]()
	}
	placement.realtime, placement.cpu, placement.undo = false, -1, nil
}
