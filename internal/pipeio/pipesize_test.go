package pipeio

import (
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

func TestGrowPipe(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("pipe sizes are set on Linux only")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	GrowPipe(w)
	n, err := unix.FcntlInt(w.Fd(), unix.F_GETPIPE_SZ, 0)
	if err != nil {
		t.Fatal(err)
	}
	limit, err := os.ReadFile("/proc/sys/fs/pipe-max-size")
	if err != nil {
		t.Fatal(err)
	}
	if max, _ := strconv.Atoi(strings.TrimSpace(string(limit))); max >= PipeSize && n < PipeSize {
		t.Errorf("pipe buffer is %d bytes after GrowPipe, want %d", n, PipeSize)
	}
	// Anything else is left alone, without an error to report.
	f, err := os.Create(filepath.Join(t.TempDir(), "plain"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	GrowPipe(f)
}
