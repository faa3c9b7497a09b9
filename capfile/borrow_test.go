package capfile

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

// convertFile copies in to a new file of the given format and returns its
// bytes: through a Reader that reads ahead and a Writer that borrows from
// it when borrow is set, else through plain buffers.
func convertFile(t *testing.T, in, out string, format Format, borrow bool) []byte {
	t.Helper()
	var r *Reader
	var err error
	if borrow {
		r, err = Open(in)
	} else {
		var f *os.File
		if f, err = os.Open(in); err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		r, err = NewReader(struct{ *os.File }{f}, in, ReaderOptions{}) // not a file: no read-ahead
	}
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if borrow != (r.ahead != nil) {
		t.Fatalf("read-ahead is %v, want %v", r.ahead != nil, borrow)
	}
	w, err := Create(out, WriterOptions{Format: format})
	if err != nil {
		t.Fatal(err)
	}
	if borrow {
		w.Borrow(r)
	}
	if _, err := pkt.Copy(w, r); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// tinyRings makes the test read ahead (on two cores) and write behind at
// every write, so that ring blocks are released late, and returns ring
// geometries so small that packets straddle blocks, are larger than a
// block or than the largest peek; the test sets readAheadGeometry to each.
func tinyRings(t *testing.T) []struct{ blockSize, blocks, peekSize int } {
	procs := runtime.GOMAXPROCS(2) // reading ahead needs two
	saved, savedAfter := readAheadGeometry, writeBehindAfter
	t.Cleanup(func() {
		runtime.GOMAXPROCS(procs)
		readAheadGeometry, writeBehindAfter = saved, savedAfter
	})
	writeBehindAfter = 0
	return []struct{ blockSize, blocks, peekSize int }{
		{4096, 2, 512}, {1000, 3, 4096}, {64 << 10, 4, 2048}, {0, 0, 0},
	}
}

// TestBorrowMatchesCopy converts generated captures with rings so small that
// packets straddle blocks, are larger than a block or than the largest
// peek: the output must be the same bytes as when every packet is copied.
func TestBorrowMatchesCopy(t *testing.T) {
	geometries := tinyRings(t)
	dir := t.TempDir()
	inputs := map[Format]string{}
	for _, f := range []Format{Pcap, Pcapng} {
		name := filepath.Join(dir, "in."+f.String())
		writeGenerated(t, name, WriterOptions{Format: f}, synth.Config{Packets: 3000, Seed: 7})
		inputs[f] = name
	}
	for _, geo := range geometries {
		readAheadGeometry = geo
		for inF, in := range inputs {
			for _, outF := range []Format{Pcap, Pcapng} {
				out := filepath.Join(dir, "out")
				want := convertFile(t, in, out, outF, false)
				got := convertFile(t, in, out, outF, true)
				if !bytes.Equal(got, want) {
					t.Errorf("ring %+v, %s to %s: borrowed output (%d bytes) differs from copied (%d bytes)",
						geo, inF, outF, len(got), len(want))
				}
			}
		}
	}
}
