package capfile

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

// TestAbortCompressed aborts compressed outputs (each compressor runs
// goroutines of its own) in the middle of a stream: the destination keeps
// its old content and no goroutine is left behind.
func TestAbortCompressed(t *testing.T) {
	dir := t.TempDir()
	before := runtime.NumGoroutine()
	for _, name := range []string{"a.pcap.gz", "a.pcapng.zst", "a.pcapng.lz4"} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte("old content"), 0o600); err != nil {
			t.Fatal(err)
		}
		w, err := Create(path, WriterOptions{})
		if err != nil {
			t.Fatal(err)
		}
		// Several compression blocks' worth, so that compressors run.
		if _, err := pkt.Copy(w, synth.New(synth.Config{Packets: 5000, Seed: 1})); err != nil {
			t.Fatal(err)
		}
		w.Abort()
		if b, err := os.ReadFile(path); err != nil || string(b) != "old content" {
			t.Errorf("%s: after Abort the destination holds %d bytes (%v)", name, len(b), err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after the aborts, %d before:\n%s", n, before, buf[:runtime.Stack(buf, true)])
	}
}
