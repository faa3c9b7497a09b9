package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/convert"
	"github.com/pcaptool/pcaptool/internal/testenv"
	"github.com/pcaptool/pcaptool/pkt"
)

// Sizes for TestStreamingBoundedMemory: the input is several times the
// memory the commands may use, so reading it whole would fail the test.
const (
	streamingPackets = 320_000 // about 200 MB of synth traffic
	streamingMinSize = 180 << 20
	// Peak RSS limits in KiB, as Rusage.Maxrss counts on Linux: the packet
	// memory sort is given (convert.DefaultSortMemory, or --memory 16 MiB) plus
	// 40 MiB for the mapped binary, the runtime and the I/O buffers. Both
	// are far below the input's size, and the test also checks that.
	defaultMaxRSS = convert.DefaultSortMemory>>10 + 40<<10
	smallMaxRSS   = (16 + 40) << 10
	smallMemory   = "16777216"
)

// rssHelperSource is a tiny program that runs a command and prints its
// peak RSS from wait4's rusage. The test does not measure its own children
// directly: Go starts them with CLONE_VM, so at exec the kernel records the
// test process's own high-water mark as the child's starting maxrss, and a
// test process holding captures would inflate the figure. The helper's
// footprint is a few MiB, well below the smallest pcaptool run.
const rssHelperSource = `package main

import (
	"fmt"
	"os"
	"os/exec"
	"syscall"
)

func main() {
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	if cmd.ProcessState == nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(3)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		os.Exit(4)
	}
	fmt.Printf("maxrss-kib %d\n", ru.Maxrss)
	os.Exit(cmd.ProcessState.ExitCode())
}
`

// buildRSSHelper compiles rssHelperSource into dir.
func buildRSSHelper(t *testing.T, dir string) string {
	t.Helper()
	src := filepath.Join(dir, "rsshelper.go")
	if err := os.WriteFile(src, []byte(rssHelperSource), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "rsshelper")
	cmd := exec.Command("go", "build", "-o", bin, src)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOFLAGS=", "GO111MODULE=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the rusage helper: %v\n%s", err, out)
	}
	return bin
}

// runMeasured runs the pcaptool binary through the helper with
// GOMEMLIMIT=64MiB and returns its peak resident set size in KiB
// (Rusage.Maxrss, which Linux counts in KiB).
func runMeasured(t *testing.T, helper, stdin string, args ...string) int64 {
	t.Helper()
	cmd := exec.Command(helper, append([]string{pcaptoolBin}, args...)...)
	cmd.Env = append(os.Environ(), "GOMEMLIMIT=64MiB")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if stdin != "" {
		f, err := os.Open(stdin)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		cmd.Stdin = f
	}
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("pcaptool %v: %v\n%s", args, err, stderr.String())
	}
	var rss int64
	if _, err := fmt.Sscanf(stdout.String(), "maxrss-kib %d", &rss); err != nil || rss <= 0 {
		t.Fatalf("rusage helper printed %q", stdout.String())
	}
	t.Logf("pcaptool %v: %v, peak RSS %d KiB", args[:len(args)-1], time.Since(start).Round(time.Millisecond), rss)
	return rss
}

// checkOrdered reads a capture without holding it and checks its packet
// count and, when sorted, that timestamps never go back.
func checkOrdered(t *testing.T, name string, want int64, sorted bool) {
	t.Helper()
	r, err := capfile.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var n int64
	var prev time.Time
	for p, err := range pkt.All(r) {
		if err != nil {
			t.Fatalf("%s: packet %d: %v", name, n, err)
		}
		if sorted && n > 0 && p.Timestamp.Before(prev) {
			t.Fatalf("%s: packet %d is earlier than the one before", name, n)
		}
		prev = p.Timestamp
		n++
	}
	if n != want {
		t.Errorf("%s: %d packets, want %d", name, n, want)
	}
}

// TestStreamingBoundedMemory proves that sort and merge stream: on a
// ~200 MB shuffled capture, with GOMEMLIMIT=64MiB, the process's peak RSS
// stays far below the file's size, in sort's streaming window, in its
// external merge sort (input from a pipe) and in a merge.
func TestStreamingBoundedMemory(t *testing.T) {
	testenv.RequireLong(t)
	if _, err := os.Stat("/proc/self"); err != nil {
		t.Skip("needs Linux rusage")
	}
	dir := t.TempDir()
	big := filepath.Join(dir, "big.pcapng")
	mustRun(t, "generate", "-c", fmt.Sprint(streamingPackets), "--seed", "7", "--disorder", "20", big)
	st, err := os.Stat(big)
	if err != nil {
		t.Fatal(err)
	}
	if st.Size() < streamingMinSize {
		t.Fatalf("generated input is %d bytes, want at least %d", st.Size(), streamingMinSize)
	}
	helper := buildRSSHelper(t, dir)
	small := filepath.Join(dir, "small.pcap")
	mustRun(t, "generate", "-c", "1000", "--seed", "8", "--gap", "5ms", small)
	t.Logf("input: %d MiB, %d packets", st.Size()>>20, streamingPackets)

	tests := []struct {
		name   string
		stdin  string
		args   []string
		out    string
		count  int64
		sorted bool
		maxRSS int64
	}{
		{"sort streaming window", "", []string{"sort", "-q", big}, "sorted.pcapng", streamingPackets, true, defaultMaxRSS},
		{"sort streaming window 16 MiB", "", []string{"sort", "-q", "--memory", smallMemory, big}, "sorted.pcapng", streamingPackets, true, smallMaxRSS},
		{"sort external from stdin 16 MiB", big, []string{"sort", "-q", "--memory", smallMemory, "--temp-dir", dir, "-"}, "sorted.pcapng", streamingPackets, true, smallMaxRSS},
		{"merge", "", []string{"merge", "-q", "-w"}, "merged.pcapng", streamingPackets + 1000, false, smallMaxRSS},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(dir, tt.out)
			args := append(tt.args, out)
			if tt.args[0] == "merge" {
				args = append(args, big, small)
			}
			rss := runMeasured(t, helper, tt.stdin, args...)
			if rss > tt.maxRSS || rss > st.Size()>>10/2 {
				t.Errorf("peak RSS %d KiB, want below %d KiB for a %d MiB input", rss, tt.maxRSS, st.Size()>>20)
			}
			checkOrdered(t, out, tt.count, tt.sorted)
			os.Remove(out)
		})
	}
}
