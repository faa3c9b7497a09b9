package outfile

import (
	"io"
	"os"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// maxVectors is the largest number of pieces one writev takes (IOV_MAX).
const maxVectors = 1024

// vectorScratch is the iovec array handed to writev, kept from call to
// call so that writing allocates nothing.
type vectorScratch struct {
	iov []unix.Iovec
}

// writeVectors writes v with writev, resuming after short writes.
func (s *vectorScratch) writeVectors(f *os.File, v [][]byte) (int64, error) {
	rc, err := f.SyscallConn()
	if err != nil {
		return writeEach(f, v)
	}
	var total int64
	for len(v) > 0 {
		iov := s.fill(v[:min(len(v), maxVectors)])
		if len(iov) == 0 { // only empty pieces left
			return total, nil
		}
		var n uintptr
		var errno syscall.Errno
		err := rc.Write(func(fd uintptr) bool {
			n, _, errno = unix.Syscall(unix.SYS_WRITEV, fd, uintptr(unsafe.Pointer(&iov[0])), uintptr(len(iov)))
			return errno != unix.EAGAIN
		})
		if err == nil && errno != 0 {
			err = errno
		}
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return total, err
		}
		if n == 0 {
			return total, io.ErrShortWrite
		}
		total += int64(n)
		v = advance(v, int(n))
	}
	return total, nil
}

// fill sets the iovecs of the non-empty pieces of v.
func (s *vectorScratch) fill(v [][]byte) []unix.Iovec {
	s.iov = s.iov[:0]
	for _, b := range v {
		if len(b) > 0 {
			iov := unix.Iovec{Base: &b[0]}
			iov.SetLen(len(b))
			s.iov = append(s.iov, iov)
		}
	}
	return s.iov
}

// advance drops the first n bytes from the pieces of v. It rewrites the
// first remaining piece in place when a write ended inside it.
func advance(v [][]byte, n int) [][]byte {
	for len(v) > 0 && n >= len(v[0]) {
		n -= len(v[0])
		v = v[1:]
	}
	if len(v) > 0 && n > 0 {
		v[0] = v[0][n:]
	}
	return v
}
