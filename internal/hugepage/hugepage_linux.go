package hugepage

import (
	"syscall"
	"unsafe"
)

// madvHugepage is MADV_HUGEPAGE from <linux/mman.h>.
const madvHugepage = 14

func advise(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	return adviseRange(start, start+uintptr(len(b)))
}

// adviseRange advises the aligned huge pages inside [start, end).
func adviseRange(start, end uintptr) bool {
	first := (start + Size - 1) &^ (Size - 1)
	last := end &^ (Size - 1)
	if first >= last {
		return false
	}
	_, _, errno := syscall.Syscall(syscall.SYS_MADVISE, first, last-first, madvHugepage)
	return errno == 0
}
