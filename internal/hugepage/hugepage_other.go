//go:build !linux

package hugepage

func advise([]byte) bool { return false }

func adviseRange(start, end uintptr) bool { return false }
