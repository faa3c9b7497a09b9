// Package hugepage asks the kernel to back large, long-lived memory with
// transparent huge pages (2 MiB on amd64 and arm64) instead of 4 KiB pages.
//
// Each first touch of a 4 KiB page is a page fault. On bare metal a fault
// costs about a microsecond, but in virtual machines without nested page
// tables it can cost 20-30 µs: touching 64 MiB of fresh memory there takes
// over 0.4 s in faults alone. With
// THP set to "madvise" (the common distribution default) the kernel uses
// huge pages only where madvise(MADV_HUGEPAGE) asked for them, and the Go
// runtime no longer asks for its heap. Advise asks for one buffer.
//
// Advice is only a hint: where the kernel has no huge page at hand, or
// outside Linux, memory behaves as before.
package hugepage

import "unsafe"

// Size is the huge page size this package aligns to.
const Size = 2 << 20

// Make returns a zeroed slice of n values of type T, advised for huge pages
// when it spans two huge pages or more: touching it then faults once per
// 2 MiB instead of once per 4 KiB, except in the partial huge pages at
// either end. Make it before writing to it: memory the program has touched
// already stays backed as it is. T should hold no pointers, so that the
// garbage collector does not scan what is only data.
func Make[T any](n int) []T {
	s := make([]T, n)
	var zero T
	if size := int(unsafe.Sizeof(zero)); n > 0 && size > 0 && n*size >= 2*Size {
		Advise(unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), n*size))
	}
	return s
}

// Advise asks for huge pages on the part of b that covers whole aligned
// huge pages; the rest of b is left as it is. It reports whether the
// kernel accepted the advice.
func Advise(b []byte) bool {
	return advise(b)
}

// AdviseRange is Advise for the memory from start to end, mapped memory
// that is not a Go slice (a section of the executable).
func AdviseRange(start, end uintptr) bool {
	return adviseRange(start, end)
}
