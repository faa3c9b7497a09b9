package filter

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/bpf"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// TestNestingLimit checks the depth limit libpcap's parser has too
// ("memory exhausted" past 10000 levels): up to MaxNesting levels parse,
// one more fails with ErrTooComplex at once, even in a megabyte of
// parentheses, instead of exhausting the stack.
func TestNestingLimit(t *testing.T) {
	nest := map[string]func(n int) string{
		"parentheses": func(n int) string { return strings.Repeat("(", n) + "tcp" + strings.Repeat(")", n) },
		"arithmetic":  func(n int) string { return strings.Repeat("(", n) + "1" + strings.Repeat(")", n) + "=1" },
		"negation":    func(n int) string { return strings.Repeat("!", n) + "tcp" },
		"unary minus": func(n int) string { return strings.Repeat("-", n) + "1=1" },
		"modulus":     func(n int) string { return "len" + strings.Repeat("%1", n) + "=0" },
	}
	for name, gen := range nest {
		t.Run(name, func(t *testing.T) {
			// Deep but allowed (a few levels go to the enclosing
			// expression): it parses, and its work grows linearly with the
			// depth, measured in allocations rather than time (which a
			// loaded machine or the race detector stretches).
			deep, half := MaxNesting-4, (MaxNesting-4)/2
			if _, err := Parse(gen(deep)); err != nil {
				t.Fatalf("%d levels: %v", deep, err)
			}
			allocs := func(n int) float64 { return testing.AllocsPerRun(1, func() { Parse(gen(n)) }) }
			if a, b := allocs(half), allocs(deep); b > 2.5*a+64 {
				t.Errorf("parsing %d levels allocates %.0f times, %d levels %.0f times: more than linear", half, a, deep, b)
			}
			for _, n := range []int{MaxNesting + 1, 50_000} {
				_, err := Parse(gen(n))
				if !errors.Is(err, ErrTooComplex) {
					t.Fatalf("%d levels: %v, want ErrTooComplex", n, err)
				}
				var se *SyntaxError
				if !errors.As(err, &se) || se.Pos <= 0 || se.Pos > len(gen(n)) {
					t.Fatalf("%d levels: error %v does not locate the problem", n, err)
				}
			}
		})
	}
}

// TestLargeFiltersCompile compiles filters of thousands of primitives, as
// scripts generate them: libpcap takes 17 s and 1 GB for 1024
// "(host and port)" pairs; the optimizer's budget keeps them to seconds
// here, and the program must still be right.
func TestLargeFiltersCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles large filters")
	}
	var hosts []string
	for i := range 4096 {
		hosts = append(hosts, fmt.Sprintf("host 10.%d.%d.1", i/250, i%250))
	}
	var pairs []string
	for i := range 1024 {
		pairs = append(pairs, fmt.Sprintf("(host 10.%d.%d.1 and port %d)", i/250, i%250, i))
	}
	tests := []struct {
		name string
		expr string
		hit  []byte // a frame that matches
		miss []byte // one that does not
	}{
		{"4096 hosts", strings.Join(hosts, " or "), udpFrame([4]byte{10, 16, 95, 1}, 53), udpFrame([4]byte{10, 16, 96, 1}, 53)},
		{"1024 host-port pairs", strings.Join(pairs, " or "), udpFrame([4]byte{10, 4, 23, 1}, 1023), udpFrame([4]byte{10, 4, 23, 1}, 1022)},
		// Each "vlan" moves later tests 4 bytes further, as in libpcap, so
		// only the first alternative can match a singly tagged frame.
		{"vlan chain", strings.Repeat("(vlan 3 and udp port 7) or ", 1024) + "udp port 9", vlanFrame(3, udpFrame([4]byte{1, 2, 3, 4}, 7)), vlanFrame(4, udpFrame([4]byte{1, 2, 3, 4}, 7))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			prog, err := Compile(tt.expr, linktype.Ethernet, pkt.DefaultSnapLen)
			if err != nil {
				t.Fatal(err)
			}
			d := time.Since(start)
			t.Logf("%d bytes of expression, %d instructions, %v", len(tt.expr), len(prog), d)
			if d > 30*time.Second {
				t.Errorf("compiling took %v", d)
			}
			// Longer than the 4096 instructions Matcher (like the
			// kernel) accepts; x/net/bpf's VM has no such limit.
			vm, err := bpf.NewVM(prog)
			if err != nil {
				t.Fatal(err)
			}
			if n, err := vm.Run(tt.hit); err != nil || n == 0 {
				t.Errorf("the matching frame does not match (%d, %v)", n, err)
			}
			if n, err := vm.Run(tt.miss); err != nil || n != 0 {
				t.Errorf("the other frame matches (%d, %v)", n, err)
			}
		})
	}
}

// TestTooManyBlocks checks the limit on generated code: at the limit
// compiling still takes well under a second.
func TestTooManyBlocks(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a large expression")
	}
	// "port 80" generates 16 blocks (IPv4 and IPv6, TCP, UDP and SCTP,
	// fragments, both directions).
	for _, tt := range []struct {
		n  int
		ok bool
	}{{1000, true}, {5000, false}} {
		expr := strings.Repeat("port 80 or ", tt.n-1) + "port 80"
		_, err := Compile(expr, linktype.Ethernet, pkt.DefaultSnapLen)
		if tt.ok && err != nil || !tt.ok && !errors.Is(err, ErrTooComplex) {
			t.Errorf("%d primitives: %v", tt.n, err)
		}
	}
}

// udpFrame is an Ethernet/IPv4/UDP frame from src to 192.0.2.1, both
// ports dport.
func udpFrame(src [4]byte, dport uint16) []byte {
	b := make([]byte, 14+20+8)
	b[12], b[13] = 0x08, 0x00
	ip := b[14:]
	ip[0], ip[3], ip[8], ip[9] = 0x45, 28, 64, 17
	copy(ip[12:], src[:])
	copy(ip[16:], []byte{192, 0, 2, 1})
	udp := ip[20:]
	udp[0], udp[1] = byte(dport>>8), byte(dport)
	udp[2], udp[3] = byte(dport>>8), byte(dport)
	udp[5] = 8
	return b
}

// vlanFrame inserts an 802.1Q tag with the given VLAN id into an Ethernet
// frame.
func vlanFrame(id uint16, frame []byte) []byte {
	b := append([]byte(nil), frame[:12]...)
	b = append(b, 0x81, 0x00, byte(id>>8), byte(id))
	return append(b, frame[12:]...)
}
