package fuzz

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/internal/testenv"
	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// pcaptoolBinary builds cmd/pcaptool once, with CGO_ENABLED=0 as it ships.
func pcaptoolBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "pcaptool-fuzz-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "pcaptool")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/pcaptool")
		cmd.Dir = testenv.RepoRoot()
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = errors.New(string(out))
		}
	})
	if buildErr != nil {
		t.Fatalf("building pcaptool: %v", buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// feedPcap writes a pcap stream of generated packets to w until w fails
// (the child died) or stop is closed.
func feedPcap(w io.WriteCloser, stop <-chan struct{}) {
	defer w.Close()
	pw, err := pcap.NewWriterSize(w, pcap.FileHeader{LinkType: 1, SnapLen: 65535, Resolution: pkt.Nanosecond}, 64<<10)
	if err != nil {
		return
	}
	g := synth.New(synth.Config{Packets: 1 << 30, Seed: 7})
	for {
		select {
		case <-stop:
			return
		default:
		}
		p, err := g.ReadPacket()
		if err != nil {
			return
		}
		if pw.WritePacket(&pkt.Packet{Timestamp: p.Timestamp, Length: p.Length, Data: p.Data}) != nil {
			return
		}
	}
}

// TestInterruptedOutputIsAtomic starts "pcaptool convert - OUT" over an
// existing OUT, feeds it generated packets from a pipe until its temporary
// output file has grown past several MB, then signals it mid-write. OUT
// must still be the previous, complete file. SIGINT and SIGTERM make
// pcaptool remove its temporary file and exit 130. SIGKILL cannot be
// caught: the temporary file, named .OUT.*.tmp beside OUT, stays behind
// (and OUT is still untouched); that name is the only debris allowed.
func TestInterruptedOutputIsAtomic(t *testing.T) {
	testenv.RequireLong(t)
	bin := pcaptoolBinary(t)
	tmpName := regexp.MustCompile(`^\.out\.pcapng\..*\.tmp$`)
	for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			dest := filepath.Join(dir, "out.pcapng")
			previous := writeFile(t, dir, "out.pcapng", synthPackets(3, 10, pkt.Microsecond, 0),
				capfile.WriterOptions{Format: capfile.Pcapng})
			cmd := exec.Command(bin, "convert", "-q", "-", dest)
			stdin, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			stop := make(chan struct{})
			fed := make(chan struct{})
			go func() { feedPcap(stdin, stop); close(fed) }()
			defer func() {
				close(stop)
				cmd.Process.Kill()
				<-fed
			}()
			// Wait until the temporary file holds several MB: the
			// conversion is well under way.
			var temp string
			deadline := time.Now().Add(60 * time.Second)
			for temp == "" {
				if time.Now().After(deadline) {
					t.Fatalf("no temporary output grew in 60 s; stderr: %s", stderr.String())
				}
				time.Sleep(20 * time.Millisecond)
				ents, _ := os.ReadDir(dir)
				for _, e := range ents {
					if info, err := e.Info(); err == nil && tmpName.MatchString(e.Name()) && info.Size() > 4<<20 {
						temp = e.Name()
					}
				}
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			err = cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				t.Fatalf("pcaptool did not fail after %v: %v", sig, err)
			}
			got, err := os.ReadFile(dest)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, previous) {
				t.Fatalf("destination changed: %d bytes, previously %d", len(got), len(previous))
			}
			ents, _ := os.ReadDir(dir)
			var left []string
			for _, e := range ents {
				if e.Name() != "out.pcapng" {
					left = append(left, e.Name())
				}
			}
			if sig == syscall.SIGKILL {
				if ee.ProcessState.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
					t.Errorf("exit status %v, want killed by SIGKILL", ee.ProcessState)
				}
				for _, name := range left {
					if !tmpName.MatchString(name) {
						t.Errorf("unexpected file %s left after SIGKILL", name)
					}
				}
				t.Logf("after SIGKILL: destination intact, temporary file %s left (%d files)", temp, len(left))
				return
			}
			if code := ee.ExitCode(); code != 130 {
				t.Errorf("exit code %d after %v, want 130; stderr: %s", code, sig, stderr.String())
			}
			if len(left) != 0 {
				t.Errorf("files left after %v: %v", sig, left)
			}
			if !strings.Contains(stderr.String(), "no output written") {
				t.Errorf("stderr does not say the output was discarded: %s", stderr.String())
			}
		})
	}
}
