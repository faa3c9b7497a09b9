package filter

import (
	"testing"

	"golang.org/x/net/bpf"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// BenchmarkMatchPort80 measures the case: "tcp port 80" over
// Ethernet packets (IPv4 TCP and UDP, a quarter to port 80), compiled
// Matcher against the interpreter it replaced and x/net/bpf's VM.
func BenchmarkMatchPort80(b *testing.B) {
	prog, err := Compile("tcp port 80", linktype.Ethernet, pkt.DefaultSnapLen)
	if err != nil {
		b.Fatal(err)
	}
	raw, _ := bpf.Assemble(prog)
	pkts := benchPackets(1024)
	b.Run("compiled", func(b *testing.B) {
		m, err := NewMatcher(prog)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			p := pkts[i&1023]
			m.Match(p, len(p))
		}
	})
	b.Run("interpreter", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			p := pkts[i&1023]
			interpret(raw, p, len(p))
		}
	})
	b.Run("x-net-bpf-vm", func(b *testing.B) {
		vm, _ := bpf.NewVM(prog)
		for i := 0; b.Loop(); i++ {
			p := pkts[i&1023]
			vm.Run(p)
		}
	})
}
