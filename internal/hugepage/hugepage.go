// Package hugepage asks the kernel to back large, long-lived memory with
// transparent huge pages (2 MiB on amd64 and arm64) instead of 4 KiB pages.
//
// Each first touch of a 4 KiB page is a page fault. On bare metal a fault
// costs about a microsecond, but in virtual machines without nested page
// tables it can cost 20-30 µs: touching 64 MiB of fresh memory there takes
// over 0.4 s in faults alone, and the 5 MiB of tables that
// github.com/google/gopacket/layers fills at start-up take 30 ms. With
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

// Alloc returns a zeroed byte slice of length n. From one huge page up,
// it starts on a huge-page boundary and is advised for huge pages, so that
// touching it faults once per 2 MiB instead of once per 4 KiB; its capacity
// is n. Allocate it before writing to it: memory the program has touched
// already stays backed as it is. The alignment costs up to Size bytes of
// address space, not of memory: the kernel backs only what is touched.
func Alloc(n int) []byte {
	if n < Size {
		return make([]byte, n)
	}
	raw := make([]byte, n+Size)
	start := uintptr(unsafe.Pointer(unsafe.SliceData(raw)))
	off := int((start+Size-1)&^(Size-1) - start)
	b := raw[off : off+n : off+n]
	Advise(b)
	return b
}

// Advise asks for huge pages on the part of b that covers whole aligned
// huge pages; the rest of b is left as it is. It reports whether the
// kernel accepted the advice.
func Advise(b []byte) bool {
	return advise(b)
}
