//go:build linux

package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
)

// TestProgressBar runs commands whose input arrives slowly through a FIFO,
// so that they last more than a second, with standard error on a terminal:
// the bar appears, and it does not with -q, with CI=true, or when standard
// error is not a terminal.
func TestProgressBar(t *testing.T) {
	dir := t.TempDir()
	gen := filepath.Join(dir, "gen.pcap")
	mustRun(t, "generate", "-c", "2000", "--seed", "3", gen)
	data, err := os.ReadFile(gen)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string // "IN" is the FIFO, "OUT" an output file
		env  []string
		tty  bool
		bar  string // the bar's description
		want bool   // whether the bar may appear
	}{
		{"info", []string{"info", "IN"}, nil, true, "reading in", true},
		{"info -q", []string{"info", "-q", "IN"}, nil, true, "reading in", false},
		{"info CI", []string{"info", "IN"}, []string{"CI=true"}, true, "reading in", false},
		{"info piped", []string{"info", "IN"}, nil, false, "reading in", false},
		{"filter", []string{"filter", "tcp", "IN", "OUT"}, nil, true, "filtering", true},
		{"filter -q", []string{"filter", "-q", "tcp", "IN", "OUT"}, nil, true, "filtering", false},
		{"convert", []string{"convert", "IN", "OUT"}, nil, true, "converting", true},
		{"merge", []string{"merge", "-w", "OUT", "IN"}, nil, true, "merging", true},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fifo := filepath.Join(dir, fmt.Sprintf("in%d.fifo", i))
			if err := syscall.Mkfifo(fifo, 0o600); err != nil {
				t.Fatal(err)
			}
			var args []string
			for _, a := range tt.args {
				switch a {
				case "IN":
					a = fifo
				case "OUT":
					a = filepath.Join(dir, "out"+string(rune('a'+i))+".pcap")
				}
				args = append(args, a)
			}
			cmd := exec.Command(pcaptoolBin, args...)
			cmd.Env = append(withoutCI(os.Environ()), tt.env...)
			var stderr bytes.Buffer
			var term *os.File
			copied := make(chan struct{}) // closed once stderr holds everything
			if tt.tty {
				ptmx, tty, err := pty.Open()
				if err != nil {
					t.Skipf("no pseudo-terminal: %v", err)
				}
				defer ptmx.Close()
				term = tty
				cmd.Stderr = tty
				go func() {
					io.Copy(&stderr, ptmx) // ends with EIO once the child and we close the tty
					close(copied)
				}()
			} else {
				cmd.Stderr = &stderr
				close(copied)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			if term != nil {
				term.Close() // the child holds its own copy
			}
			w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			half := len(data) / 2
			w.Write(data[:half])
			time.Sleep(1500 * time.Millisecond) // past the bar's one-second delay
			w.Write(data[half:])
			w.Close()
			err = cmd.Wait()
			<-copied // the child has exited and closed the terminal: the copier drains it and stops
			if err != nil {
				t.Fatalf("%v: %v\n%s", args, err, stderr.String())
			}
			if got := stderr.String(); strings.Contains(got, tt.bar) != tt.want {
				t.Errorf("progress bar %q shown: %v, want %v; stderr: %q", tt.bar, !tt.want, tt.want, got)
			}
		})
	}
}

func withoutCI(env []string) []string {
	var out []string
	for _, e := range env {
		if !strings.HasPrefix(e, "CI=") {
			out = append(out, e)
		}
	}
	return out
}
