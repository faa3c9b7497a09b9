package startup

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"unsafe"
)

func TestBSSRange(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("reads /proc/self/exe")
	}
	start, end, ok := bssRange("/proc/self/exe")
	if !ok {
		t.Fatal("no .bss section found in the test binary")
	}
	if at := uintptr(unsafe.Pointer(&anchor)); at < start || at >= end {
		t.Errorf(".bss is %#x-%#x, which does not hold a zero global at %#x", start, end, at)
	}
	dir := t.TempDir()
	for name, content := range map[string]string{
		"text":      "not an executable at all, but long enough to have a header of 64 bytes or more",
		"short":     "\x7fELF",
		"32-bit":    "\x7fELF\x01\x01" + string(make([]byte, 60)),
		"no tables": "\x7fELF\x02\x01" + string(make([]byte, 60)),
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, _, ok := bssRange(path); ok {
			t.Errorf("%s: found a .bss section", name)
		}
	}
	if _, _, ok := bssRange(filepath.Join(dir, "missing")); ok {
		t.Error("found a .bss section in a missing file")
	}
}
