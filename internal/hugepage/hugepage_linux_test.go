package hugepage

import (
	"os"
	"strings"
	"testing"
)

// thpAvailable reports whether the kernel takes MADV_HUGEPAGE advice.
func thpAvailable(t *testing.T) bool {
	b, err := os.ReadFile("/sys/kernel/mm/transparent_hugepage/enabled")
	if err != nil || strings.Contains(string(b), "[never]") {
		t.Logf("transparent huge pages unavailable (%v, %q)", err, b)
		return false
	}
	return true
}

func TestAdviseTaken(t *testing.T) {
	if !thpAvailable(t) {
		t.Skip("no transparent huge pages: advice is refused")
	}
	if !Advise(make([]byte, 2*Size)) {
		t.Error("Advise(2 huge pages): advice refused")
	}
}
