//go:build !linux

package replay

import "time"

// canSleepThread says sleepThread is available: not here, where the clock
// sleeps on a Go timer.
const canSleepThread = false

func sleepThread(time.Duration) {}
