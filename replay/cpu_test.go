package replay

import (
	"strings"
	"testing"
)

// interrupts is a /proc/interrupts of a 2-CPU virtual machine: device
// interrupts mostly on CPU1 (the disk), the local timer on both.
const interrupts = `           CPU0       CPU1       
  4:        310          0   IO-APIC   4-edge      ttyS0
 24:          1          0   IO-APIC   5-edge      ACPI:Ged
 32:        922          0 PCI-MSIX-0000:00:01.0   4-edge      virtio0-reporting_vq
 36:          0     145976 PCI-MSIX-0000:00:02.0   1-edge      virtio1-req.0
NMI:          0          0   Non-maskable interrupts
LOC:    9000000    8000000   Local timer interrupts
RES:      50000      60000   Rescheduling interrupts
ERR:          0
MIS:          0
`

func TestQuietestCPU(t *testing.T) {
	all := func(int) bool { return true }
	tests := []struct {
		name    string
		text    string
		allowed func(int) bool
		want    int
		ok      bool
	}{
		{"fewest device interrupts", interrupts, all, 0, true},
		{"only CPU1 allowed", interrupts, func(c int) bool { return c == 1 }, 1, true},
		{"none allowed", interrupts, func(int) bool { return false }, 0, false},
		{"equal counts: the highest", "  CPU0 CPU1 CPU2\n 1: 5 5 5 x\n", all, 2, true},
		{"four CPUs", "CPU0 CPU1 CPU2 CPU3\n 9: 100 0 7 3 a\n10: 0 9 0 0 b\nLOC: 0 0 0 0\n", all, 3, true},
		{"no header", "", all, 0, false},
		{"not a header", "garbage here\n 1: 2 3\n", all, 0, false},
		{"short lines skipped", "CPU0 CPU1\n 1: 5\n 2: 9 1 x\n", all, 1, true},
	}
	for _, tt := range tests {
		got, ok := quietestCPU(strings.NewReader(tt.text), tt.allowed)
		if got != tt.want || ok != tt.ok {
			t.Errorf("%s: CPU %d, %v; want %d, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCPUPlacement(t *testing.T) {
	if _, ok := QuietCPU.fixed(); ok {
		t.Error("QuietCPU names a CPU")
	}
	if _, ok := AnyCPU.fixed(); ok {
		t.Error("AnyCPU names a CPU")
	}
	if n, ok := OnCPU(0).fixed(); !ok || n != 0 {
		t.Errorf("OnCPU(0) = %d, %v", n, ok)
	}
	if n, ok := OnCPU(5).fixed(); !ok || n != 5 {
		t.Errorf("OnCPU(5) = %d, %v", n, ok)
	}
	if err := (&Config{CPU: -2}).Validate(); err == nil {
		t.Error("CPU placement -2 accepted")
	}
}
