//go:build !linux

package hugepage

// AdviseStatic does nothing outside Linux.
func AdviseStatic() bool { return false }
