package hugepage

import (
	"syscall"
	"unsafe"
)

// anchor is a zero-initialised variable, so it lives in the program's
// uninitialised data (.bss/.noptrbss), whose anonymous mapping AdviseStatic
// looks up by this address.
var anchor [8]byte

// maxMaps bounds what AdviseStatic reads of /proc/self/maps: at start-up
// the map has a few dozen lines.
const maxMaps = 16 << 10

// AdviseStatic advises huge pages for the program's uninitialised global
// data (the .bss mapping). Call it from an init function that runs before
// the packages whose init fills large global tables; see package static.
func AdviseStatic() bool {
	var buf [maxMaps]byte
	fd, err := syscall.Open("/proc/self/maps", syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return false
	}
	n := 0
	for n < len(buf) {
		m, err := syscall.Read(fd, buf[n:])
		if err != nil || m <= 0 {
			break
		}
		n += m
	}
	syscall.Close(fd)
	start, end, ok := mappingOf(buf[:n], uintptr(unsafe.Pointer(&anchor)))
	if !ok {
		return false
	}
	return adviseRange(start, end)
}
