//go:build unix

package outfile

import (
	"io/fs"
	"syscall"
)

// owner returns the user and group that own the file st describes.
func owner(st fs.FileInfo) (uid, gid int, ok bool) {
	sys, ok := st.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, false
	}
	return int(sys.Uid), int(sys.Gid), true
}
