package pipeio

import (
	"os"

	"golang.org/x/sys/unix"
)

// PipeSize is the buffer GrowPipe asks for: 16 times Linux's default, and
// fs.pipe-max-size's default, so that an unprivileged process gets it too.
const PipeSize = 1 << 20

// GrowPipe enlarges the buffer of f to PipeSize when f is a pipe or FIFO
// with a smaller one: the writer of a capture then blocks 16 times less
// often, and its reader gets larger reads. It is a hint; a limit leaves the
// pipe as it was. Anything else is left alone: F_GETPIPE_SZ fails on it,
// so callers need not find out first what f is.
func GrowPipe(f *os.File) {
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Control(func(fd uintptr) {
		if n, err := unix.FcntlInt(fd, unix.F_GETPIPE_SZ, 0); err == nil && n < PipeSize {
			_, _ = unix.FcntlInt(fd, unix.F_SETPIPE_SZ, PipeSize)
		}
	})
}
