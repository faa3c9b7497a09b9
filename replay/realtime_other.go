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
