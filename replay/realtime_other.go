//go:build !linux

package replay

import (
	"errors"
	"fmt"
)

// enterRealtime is Linux's only.
func enterRealtime(prio int) (leave func(), err error) {
	return nil, fmt.Errorf("replay: SCHED_FIFO priority %d: %w", prio, errors.ErrUnsupported)
}

func pinThreads(cpu int) (unpin func(), err error) {
	return nil, fmt.Errorf("replay: run on CPU %d: %w", cpu, errors.ErrUnsupported)
}

func quietCPU() (int, bool) { return 0, false }
