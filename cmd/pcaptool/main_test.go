package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// pcaptoolBin is the CGO_ENABLED=0 binary built once for the package's
// tests; commands are tested as a user runs them, exit codes included.
var pcaptoolBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "pcaptool-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	pcaptoolBin = filepath.Join(dir, "pcaptool")
	build := exec.Command("go", "build", "-o", pcaptoolBin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building pcaptool:", err)
		os.Exit(2)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// toolResult is what one run of the binary produced.
type toolResult struct {
	stdout, stderr string
	code           int
}

// runTool runs the pcaptool binary with args (and optional stdin) and
// returns its output and exit code; it fails t only if the binary could
// not be started.
func runTool(t testing.TB, stdin []byte, args ...string) toolResult {
	t.Helper()
	cmd := exec.Command(pcaptoolBin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if stdin != nil {
		cmd.Stdin = bytes.NewReader(stdin)
	}
	err := cmd.Run()
	res := toolResult{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		res.code = ee.ExitCode()
	default:
		t.Fatalf("running pcaptool %v: %v", args, err)
	}
	return res
}

// mustRun is runTool that fails t unless the exit code is 0.
func mustRun(t testing.TB, args ...string) toolResult {
	t.Helper()
	res := runTool(t, nil, args...)
	if res.code != 0 {
		t.Fatalf("pcaptool %v: exit %d\n%s", args, res.code, res.stderr)
	}
	return res
}

// onTwoWorkers calls do for every job on two goroutines (CI has two cores),
// each with its own scratch directory under dir. do must guard what it
// shares.
func onTwoWorkers[J any](dir string, jobs []J, do func(scratch string, job J)) {
	ch := make(chan J)
	var wg sync.WaitGroup
	for w := range 2 {
		scratch := filepath.Join(dir, fmt.Sprint("w", w))
		os.MkdirAll(scratch, 0o755)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range ch {
				do(scratch, j)
			}
		}()
	}
	for _, j := range jobs {
		ch <- j
	}
	close(ch)
	wg.Wait()
}
