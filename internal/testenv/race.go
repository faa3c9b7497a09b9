//go:build race

package testenv

// Race reports whether the tests run under the race detector, which adds
// allocations of its own: allocation counts are not checked then.
const Race = true
