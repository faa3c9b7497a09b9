package hugepage

import (
	"testing"
)

func TestMake(t *testing.T) {
	for _, n := range []int{0, 1, 4096, Size - 1, 2 * Size, 3*Size + 12345} {
		b := Make[byte](n)
		if len(b) != n || cap(b) != n {
			t.Fatalf("Make[byte](%d): len %d cap %d", n, len(b), cap(b))
		}
		for i, c := range b {
			if c != 0 {
				t.Fatalf("Make[byte](%d)[%d] = %d, want zeroed memory", n, i, c)
			}
		}
	}
	type entry struct{ a, b int64 }
	if e := Make[entry](1 << 18); len(e) != 1<<18 || e[len(e)-1] != (entry{}) {
		t.Errorf("Make[entry]: len %d", len(e))
	}
}

func TestAdviseSmall(t *testing.T) {
	// Less than one aligned huge page inside: nothing to advise.
	if Advise(make([]byte, 100)) {
		t.Error("Advise of 100 bytes reported advice taken")
	}
	if Advise(nil) {
		t.Error("Advise(nil) reported advice taken")
	}
}

func TestMappingOf(t *testing.T) {
	maps := []byte(`00400000-00c9a000 r-xp 00000000 fe:00 9980429     /usr/bin/pcaptool
016b8000-01c7b000 rw-p 012ca000 fe:00 9980429     /usr/bin/pcaptool
01c7b000-043f4000 rw-p 00000000 00:00 0
c000000000-c000400000 rw-p 00000000 00:00 0
7ffd1c5e5000-7ffd1c606000 rw-p 00000000 00:00 0                          [stack]`)
	tests := []struct {
		name       string
		addr       uintptr
		start, end uintptr
		ok         bool
	}{
		{"bss", 0x1c8cb60, 0x1c7b000, 0x43f4000, true},
		{"first byte", 0x1c7b000, 0x1c7b000, 0x43f4000, true},
		{"end is outside", 0x43f4000, 0, 0, false},
		{"heap", 0xc000001000, 0xc000000000, 0xc000400000, true},
		{"last line without newline", 0x7ffd1c5e6000, 0x7ffd1c5e5000, 0x7ffd1c606000, true},
		{"unmapped", 0x100, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start, end, ok := mappingOf(maps, tt.addr)
			if start != tt.start || end != tt.end || ok != tt.ok {
				t.Errorf("mappingOf(%#x) = %#x, %#x, %v; want %#x, %#x, %v", tt.addr, start, end, ok, tt.start, tt.end, tt.ok)
			}
		})
	}
}
