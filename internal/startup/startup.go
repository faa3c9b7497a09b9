// Package startup makes the command start faster. Imported (for its side
// effect) by cmd/pcaptool, its init advises the huge pages inside the
// program's .bss section for transparent huge pages before the init
// functions of the larger packages fill that memory.
//
// gopacket/layers' init fills about 5 MiB of enum tables held in .bss
// (arrays of 65,536 entries for EtherTypes and PPP types) at every start,
// whichever command runs: 1,300 page faults of 4 KiB, a third of the
// start-up time on the reference virtual machine, where a fault is dear.
// With the whole 2 MiB pages inside .bss advised, two faults replace a
// thousand and the resident size does not grow, since those tables fill
// the huge pages they get (bench/startup.sh). The partial pages at either
// end of .bss are left alone.
//
// The advice must come before anything touches those pages. Go initializes
// packages in import path order, each as soon as the packages it imports
// are; this package imports only syscall (and internal/hugepage, which
// imports only syscall), so it runs among the first, long before
// gopacket/layers (TestStartupAdvisesFirst in cmd/pcaptool checks it). It
// reads the section table of /proc/self/exe with three system calls rather
// than through debug/elf, whose own dependencies would run first. Where the
// section cannot be found (no /proc, not a 64-bit little-endian ELF file, a
// relocated executable) or the kernel refuses the advice, nothing changes.
package startup

import (
	"syscall"
	"unsafe"

	"github.com/pcaptool/pcaptool/internal/hugepage"
)

// anchor lies in .bss (zero, with pointers): a section whose addresses do
// not hold it is not where the program runs (a position-independent
// executable, relocated).
var anchor [1]*byte

func init() {
	start, end, ok := bssRange("/proc/self/exe")
	if !ok {
		return
	}
	if at := uintptr(unsafe.Pointer(&anchor)); at < start || at >= end {
		return
	}
	hugepage.AdviseRange(start, end)
}

// ELF64 layout: the file header's fields that locate the section headers,
// and a section header's name, type, address and size.
const (
	elfHeaderLen  = 64
	sectionLen    = 64
	maxSections   = 1 << 10
	maxNamesLen   = 1 << 16
	sectionNoBits = 8 // SHT_NOBITS
)

// bssRange returns where the .bss section of the ELF file exe lies in
// memory.
func bssRange(exe string) (start, end uintptr, ok bool) {
	fd, err := syscall.Open(exe, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return 0, 0, false
	}
	defer syscall.Close(fd)
	var hdr [elfHeaderLen]byte
	if !readAt(fd, hdr[:], 0) || string(hdr[:4]) != "\x7fELF" || hdr[4] != 2 || hdr[5] != 1 {
		return 0, 0, false // not ELF, not 64-bit, not little-endian
	}
	shoff, entLen := le64(hdr[40:]), int(le16(hdr[58:]))
	count, namesAt := int(le16(hdr[60:])), int(le16(hdr[62:]))
	if entLen != sectionLen || count == 0 || count > maxSections || namesAt >= count {
		return 0, 0, false
	}
	table := make([]byte, count*sectionLen)
	if !readAt(fd, table, int64(shoff)) {
		return 0, 0, false
	}
	namesHdr := table[namesAt*sectionLen : (namesAt+1)*sectionLen] // the section of section names
	names := make([]byte, min(le64(namesHdr[32:]), maxNamesLen))
	if !readAt(fd, names, int64(le64(namesHdr[24:]))) {
		return 0, 0, false
	}
	for i := range count {
		s := table[i*sectionLen : (i+1)*sectionLen]
		if at := int(le32(s)); at+5 <= len(names) && string(names[at:at+5]) == ".bss\x00" && le32(s[4:]) == sectionNoBits {
			addr := uintptr(le64(s[16:]))
			return addr, addr + uintptr(le64(s[32:])), true
		}
	}
	return 0, 0, false
}

// readAt fills b from offset off of fd.
func readAt(fd int, b []byte, off int64) bool {
	n, err := syscall.Pread(fd, b, off)
	return err == nil && n == len(b)
}

func le16(b []byte) uint16 { return uint16(b[0]) | uint16(b[1])<<8 }
func le32(b []byte) uint32 { return uint32(le16(b)) | uint32(le16(b[2:]))<<16 }
func le64(b []byte) uint64 { return uint64(le32(b)) | uint64(le32(b[4:]))<<32 }
