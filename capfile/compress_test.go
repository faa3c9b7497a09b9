package capfile

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/internal/testenv"
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

// TestCompressedOutputWiresharkReads has editcap decompress what capfile
// compressed (pgzip's gzip, concurrent lz4 frames, zstd): the packets must
// come back as the same nanosecond pcap bytes capfile writes uncompressed.
func TestCompressedOutputWiresharkReads(t *testing.T) {
	testenv.RequireTool(t, "editcap")
	dir := t.TempDir()
	write := func(name string) string {
		path := filepath.Join(dir, name)
		writeGenerated(t, path, WriterOptions{Format: Pcap, Resolution: pkt.Nanosecond}, synth.Config{Packets: 5000, Seed: 2})
		return path
	}
	want, err := os.ReadFile(write("plain.pcap"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"a.pcap.gz", "a.pcap.zst", "a.pcap.lz4"} {
		back := filepath.Join(dir, name+".back.pcap")
		out, err := exec.Command("editcap", "-F", "nsecpcap", write(name), back).CombinedOutput()
		if err != nil {
			t.Fatalf("editcap %s: %v\n%s", name, err, out)
		}
		got, err := os.ReadFile(back)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: editcap reads %d bytes back, want the %d written uncompressed", name, len(got), len(want))
		}
	}
}
