package fuzz

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/convert"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// editKnobs turns 16 bytes of fuzz input into editcap-style options. Every
// field is reachable; values are kept small so that they bite on small
// files.
func editKnobs(k []byte) convert.EditOptions {
	var b [16]byte
	copy(b[:], k)
	bit := func(i int) bool { return b[0]>>i&1 == 1 }
	var o convert.EditOptions
	if b[0]&1 != 0 {
		first := uint64(b[2] % 8)
		o.Ranges = append(o.Ranges, convert.Range{First: first, Last: first + uint64(b[3]%4)})
		if b[3]&0x80 != 0 {
			o.Ranges = append(o.Ranges, convert.Range{First: uint64(b[4] % 16), Last: ^uint64(0)})
		}
		o.Keep = bit(1)
	}
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	if bit(2) {
		o.Start = base.Add(time.Duration(int8(b[5])) * time.Millisecond)
	}
	if bit(3) {
		o.Stop = base.Add(time.Duration(b[6]) * time.Millisecond)
	}
	if bit(4) {
		o.Strict = &convert.Offset{Nanos: int64(b[7]) * 1000, Negative: b[7]&1 != 0}
	}
	if bit(5) {
		o.Shift = convert.Offset{Seconds: int64(int8(b[8])), Nanos: int64(b[9]) * 997, Negative: b[8]&0x80 != 0}
	}
	if bit(6) {
		o.SnapLen = int(b[10]) + 1
		o.AdjustLength = b[10]&1 != 0
	}
	if bit(7) {
		lt := linktype.LinkType(b[11] % 4) // NULL, EN10MB, EN3MB, AX25
		o.LinkType = &lt
	}
	if b[1]&1 != 0 {
		o.Chop = convert.Chop{BeginLen: int(b[12] % 16), BeginOffPos: int(b[13] % 8)}
		if b[13]&0x80 != 0 {
			o.Chop.EndLen = -int(b[12] >> 4)
			o.Chop.EndOffNeg = -int(b[13] >> 4 & 7)
		}
	}
	if b[1]&2 != 0 {
		d := &convert.DedupOptions{Window: int(b[14] % 8), IgnoreBytes: int(b[15] % 20)}
		if b[1]&4 != 0 {
			d.ByTime = true
			d.TimeWindow = time.Duration(b[14]) * time.Millisecond
		}
		o.Dedup = d
	}
	if b[1]&8 != 0 {
		o.Comments = map[uint64]string{uint64(b[2] % 4): "fuzz"}
	}
	return o
}

// FuzzPipeline edits two fuzzed captures with options taken from the
// input, writes each edited stream, merges the two results and sorts the
// merge with a memory limit small enough to spill. Nothing may panic; every
// output must read back; packet counts must add up: an edit never adds
// packets, removing duplicates never keeps more than without, a merge has
// the sum of its inputs and a sort as many as it was given, in order.
func FuzzPipeline(f *testing.F) {
	seeds := seedFiles(f)
	knobs := [][]byte{
		{},
		{0xff, 0xff, 3, 0x81, 2, 5, 200, 7, 1, 9, 40, 1, 3, 0x93, 3, 4},
		{0x02, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5, 14},
		{0x74, 0x01, 1, 2, 3, 0xf0, 10, 3, 0x85, 1, 7, 2, 0x55, 0x83, 0, 0},
	}
	for i, s := range seeds {
		f.Add(s, seeds[(i+3)%len(seeds)], knobs[i%len(knobs)])
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, a, b, k []byte) {
		var edited []string
		var counts []int
		for i, data := range [][]byte{a, b} {
			in := readCapture(data)
			if in == nil {
				return
			}
			opts := editKnobs(k)
			if i == 1 {
				// The second input gets the options shifted, so the
				// two edits differ.
				opts = editKnobs(append(k[min(len(k), 1):], k[:min(len(k), 1)]...))
			}
			name := filepath.Join(dir, fmt.Sprintf("edited%d.pcapng", i))
			n, ok := runEdit(t, in, opts, name)
			if !ok {
				return
			}
			edited = append(edited, name)
			counts = append(counts, n)
		}
		merged := filepath.Join(dir, "merged.pcapng")
		n := runMerge(t, edited, merged)
		if n != counts[0]+counts[1] {
			t.Fatalf("merge of %d and %d packets has %d", counts[0], counts[1], n)
		}
		runSort(t, merged, dir, n)
	})
}

// runEdit writes in's packets through convert.NewEdit to name and checks
// the counts; ok is false when the edit legitimately cannot be written.
func runEdit(t *testing.T, in *capture, opts convert.EditOptions, name string) (int, bool) {
	t.Helper()
	src := in.list
	r, err := convert.NewEdit(&src, opts)
	if err != nil {
		t.Fatalf("NewEdit(%+v): %v", opts, err)
	}
	w, err := capfile.Create(name, capfile.WriterOptions{Format: capfile.Pcapng})
	if err != nil {
		t.Fatal(err)
	}
	n, err := pkt.Copy(w, r)
	if err != nil {
		w.Abort()
		if acceptableWriteError(err, capfile.Pcapng) {
			return 0, false
		}
		t.Fatalf("edit %+v: %v", opts, err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if n > int64(len(in.list.pkts)) {
		t.Fatalf("edit turned %d packets into %d", len(in.list.pkts), n)
	}
	if opts.Dedup != nil {
		// The same edit without duplicate removal keeps at least as many.
		without := opts
		without.Dedup = nil
		all := in.list
		r, err := convert.NewEdit(&all, without)
		if err != nil {
			t.Fatal(err)
		}
		m := 0
		for _, err := range pkt.All(r) {
			if err != nil {
				t.Fatalf("edit without dedup: %v", err)
			}
			m++
		}
		if int64(m) < n {
			t.Fatalf("removing duplicates kept %d packets, %d without", n, m)
		}
	}
	got := countPackets(t, name)
	if got != int(n) {
		t.Fatalf("%d packets written, %d read back", n, got)
	}
	return int(n), true
}

func countPackets(t *testing.T, name string) int {
	t.Helper()
	r, err := capfile.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	n := 0
	for _, err := range pkt.All(r) {
		if err != nil {
			t.Fatalf("reading back %s: %v", name, err)
		}
		n++
	}
	return n
}

func runMerge(t *testing.T, names []string, out string) int {
	t.Helper()
	var srcs []pkt.Reader
	for _, n := range names {
		r, err := capfile.Open(n)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		srcs = append(srcs, r)
	}
	m := convert.NewMerge(srcs, convert.MergeOptions{Mode: convert.MergeAll})
	w, err := capfile.Create(out, capfile.WriterOptions{Format: capfile.Pcapng})
	if err != nil {
		t.Fatal(err)
	}
	n, err := pkt.Copy(w, m)
	if err != nil {
		w.Abort()
		t.Fatalf("merge: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if got := countPackets(t, out); got != int(n) {
		t.Fatalf("merge wrote %d packets, %d read back", n, got)
	}
	return int(n)
}

// runSort sorts the merged file with a few KB of memory, so that inputs
// of more than a handful of packets spill sorted runs to disk, and merges
// them at most three at a time.
func runSort(t *testing.T, merged, dir string, want int) {
	t.Helper()
	r, err := capfile.Open(merged)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	tmp := filepath.Join(dir, "sort")
	os.RemoveAll(tmp)
	if err := os.Mkdir(tmp, 0o755); err != nil {
		t.Fatal(err)
	}
	s := convert.NewSort(r, convert.SortOptions{Memory: 4096, TempDir: tmp, MaxRuns: 3})
	n := 0
	var prev time.Time
	timed := false
	for {
		p, err := s.ReadPacket()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("sort: %v", err)
		}
		n++
		if p.NoTimestamp {
			if timed {
				t.Fatalf("packet %d has no timestamp but follows timestamped ones", n)
			}
			continue
		}
		if timed && p.Timestamp.Before(prev) {
			t.Fatalf("sorted packet %d at %s precedes the previous one at %s", n, p.Timestamp, prev)
		}
		prev, timed = p.Timestamp, true
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Fatalf("sort returned %d of %d packets", n, want)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Fatalf("sort left %d temporary files", len(left))
	}
}
