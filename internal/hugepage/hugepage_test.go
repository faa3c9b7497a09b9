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
	type entry struct{ sec, seq int64 }
	e := Make[entry](1 << 18)
	if len(e) != 1<<18 || e[len(e)-1].sec != 0 || e[0].seq != 0 {
		t.Errorf("Make[entry]: len %d, want %d zeroed entries", len(e), 1<<18)
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
