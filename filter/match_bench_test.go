package filter

import "testing"

// BenchmarkMatchPort80 measures the case: "tcp port 80" over
// Ethernet packets (IPv4 TCP and UDP, a quarter to port 80), compiled
// Matcher against the interpreter it replaced and x/net/bpf's VM.
func BenchmarkMatchPort80(b *testing.B) {
	benchMatchers(b, "tcp port 80", true)
}
