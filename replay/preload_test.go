package replay

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// TestPreload replays a file preloaded into memory, twice over (a pass
// reads it again from memory), and compares the frames with those of the
// file opened for every pass; a file over the limit fails.
func TestPreload(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"in.pcap", "in.pcapng.gz"} {
		path := filepath.Join(dir, name)
		w, err := capfile.Create(path, capfile.WriterOptions{})
		if err != nil {
			t.Fatal(err)
		}
		src, _ := frames(300, linktype.Ethernet, 60, 1000, 1514)()
		if _, err := pkt.Copy(w, src); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		run := func(open Opener) [][]byte {
			f := newFake()
			r := &Replayer{Sender: f, Config: Config{TopSpeed: true, Loops: 2}}
			if _, err := r.Run(context.Background(), open); err != nil {
				t.Fatal(err)
			}
			return f.sent
		}
		want := run(OpenFile(path))
		open, err := Preload(path, 1<<20, capfile.ReaderOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got := run(open)
		if len(got) != 600 || len(got) != len(want) {
			t.Fatalf("%s: %d frames preloaded, %d from the file, want 600", name, len(got), len(want))
		}
		for i := range got {
			if !bytes.Equal(got[i], want[i]) {
				t.Fatalf("%s: frame %d differs", name, i)
			}
		}
		if _, err := Preload(path, 100, capfile.ReaderOptions{}); err == nil || !strings.Contains(err.Error(), "preloaded") {
			t.Errorf("%s: preloading over the limit: %v", name, err)
		}
	}
}
