//go:build linux

package replay

import (
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// canSleepThread says sleepThread is available.
const canSleepThread = true

// sleepThread blocks the calling thread for d, or until a signal, with
// nanosleep(2) as a raw system call: the Go scheduler does not see it
// block.
func sleepThread(d time.Duration) {
	ts := unix.NsecToTimespec(d.Nanoseconds())
	unix.RawSyscall(unix.SYS_NANOSLEEP, uintptr(unsafe.Pointer(&ts)), 0, 0)
}
