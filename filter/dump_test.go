package filter

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/pcaptool/pcaptool/linktype"
)

func TestParseDump(t *testing.T) {
	want := []bpf.RawInstruction{{Op: 0x28, K: 12}, {Op: 0x15, Jt: 0, Jf: 1, K: 0x800}, {Op: 0x6, K: 262144}, {Op: 0x6, K: 0}}
	tests := []struct {
		name, text string
		err        bool
	}{
		{"ddd", "4\n40 0 0 12\n21 0 1 2048\n6 0 0 262144\n6 0 0 0\n", false},
		{"dd", "{ 0x28, 0, 0, 0x0000000c },\n{ 0x15, 0, 1, 0x00000800 },\n{ 0x6, 0, 0, 0x00040000 },\n{ 0x6, 0, 0, 0x00000000 },\n", false},
		{"ddd without count", "40 0 0 12\n21 0 1 2048\n6 0 0 262144\n6 0 0 0\n", false},
		{"comments and blanks", "# udp\n\n4\n40 0 0 12\n21 0 1 2048\n6 0 0 262144\n6 0 0 0\n\n", false},
		{"count mismatch", "3\n40 0 0 12\n21 0 1 2048\n6 0 0 262144\n6 0 0 0\n", true},
		{"jump past end", "2\n21 0 5 2048\n6 0 0 0\n", true},
		{"no return at end", "1\n40 0 0 12\n", true},
		{"three fields", "40 0 12\n", true},
		{"jt too large", "21 256 0 1\n6 0 0 0\n", true},
		{"empty", "\n", true},
		{"scratch index out of range", "2\n96 0 0 16\n6 0 0 0\n", true},
		{"constant division by zero", "2\n52 0 0 0\n6 0 0 0\n", true},
		{"huge count", "5000\n", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseDump(strings.NewReader(tc.text))
			if tc.err {
				if !errors.Is(err, ErrProgram) {
					t.Fatalf("err = %v, want ErrProgram", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("got %v", got)
			}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("instruction %d = %+v, want %+v", i, got[i], want[i])
				}
			}
		})
	}
}

// ParseDump reads back what Dump writes, in both numeric styles.
func TestParseDumpInvertsDump(t *testing.T) {
	for _, expr := range []string{"ip and udp", "tcp port 80 or icmp6", "vlan and ether[40:2] = 1"} {
		prog, err := Compile(expr, linktype.Ethernet, 0)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := bpf.Assemble(prog)
		if err != nil {
			t.Fatal(err)
		}
		for _, style := range []DumpStyle{DumpDecim, DumpC} {
			text, err := Dump(prog, style)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseDump(strings.NewReader(text))
			if err != nil {
				t.Fatalf("%q style %d: %v", expr, style, err)
			}
			if len(got) != len(raw) {
				t.Fatalf("%q style %d: %d instructions, want %d", expr, style, len(got), len(raw))
			}
			for i := range got {
				if got[i] != raw[i] {
					t.Fatalf("%q style %d: instruction %d = %+v, want %+v", expr, style, i, got[i], raw[i])
				}
			}
		}
	}
}
