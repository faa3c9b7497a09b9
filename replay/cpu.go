package replay

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// CPUPlacement says which CPU a timed replay's threads run on.
type CPUPlacement int

const (
	// QuietCPU, the zero value, pins a real-time replay to the CPU it
	// may run on that has handled the fewest device interrupts
	// (/proc/interrupts): an interrupt, and the kernel work it sets off,
	// delays the sender however high its priority. A replay that is not
	// real-time is left where the kernel puts it.
	QuietCPU CPUPlacement = 0
	// AnyCPU leaves the placement to the kernel.
	AnyCPU CPUPlacement = -1
)

// OnCPU returns the placement on CPU n (from 0), real-time or not.
func OnCPU(n int) CPUPlacement { return CPUPlacement(n + 1) }

// fixed returns the CPU p names, if it names one.
func (p CPUPlacement) fixed() (int, bool) { return int(p) - 1, p > 0 }

// quietestCPU returns the CPU among allowed with the fewest device
// interrupts in r, a /proc/interrupts: the lines numbered by IRQ, whose
// columns after the number are per-CPU counts under the header's CPUn
// names (the architecture's own lines, the local timer and
// inter-processor interrupts, are the same everywhere and left out). It
// prefers the highest-numbered CPU among equals and returns false when r
// names none of allowed.
func quietestCPU(r io.Reader, allowed func(int) bool) (int, bool) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	if !sc.Scan() {
		return 0, false
	}
	var cpus []int // CPU number of each count column
	for _, h := range strings.Fields(sc.Text()) {
		n, ok := strings.CutPrefix(h, "CPU")
		if !ok {
			return 0, false
		}
		cpu, err := strconv.Atoi(n)
		if err != nil {
			return 0, false
		}
		cpus = append(cpus, cpu)
	}
	counts := make([]uint64, len(cpus))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 1+len(cpus) {
			continue
		}
		irq, ok := strings.CutSuffix(f[0], ":")
		if _, err := strconv.ParseUint(irq, 10, 64); !ok || err != nil {
			continue // the architecture's own lines: NMI, LOC, RES...
		}
		for i := range cpus {
			n, err := strconv.ParseUint(f[1+i], 10, 64)
			if err != nil {
				break
			}
			counts[i] += n
		}
	}
	best, found := 0, false
	for i, cpu := range cpus {
		if allowed(cpu) && (!found || counts[i] <= counts[best]) {
			best, found = i, true
		}
	}
	if !found {
		return 0, false
	}
	return cpus[best], true
}
