package validate

import (
	"bytes"
	"testing"

	"github.com/pcaptool/pcaptool/internal/damage"
)

// FuzzWindow checks that the window size changes nothing: whatever the
// input, a window of 1 to 64 bytes (every block, resync and restore
// crossing refills) and the default give the same report and keep the same
// bytes, and neither panics. Seeds: the recovery test set, small.
func FuzzWindow(f *testing.F) {
	for i, c := range damage.Set(12) {
		f.Add(c.Data, uint8(i))
	}
	f.Fuzz(func(t *testing.T, data []byte, window uint8) {
		run := func(size int) (*Report, []byte) {
			var kept bytes.Buffer
			rep, err := Reader(bytes.NewReader(data), Options{WindowSize: size, MaxFindings: 20,
				Keep: func(b []byte) error { kept.Write(b); return nil }})
			if err != nil {
				t.Fatalf("window %d: %v", size, err)
			}
			return rep, kept.Bytes()
		}
		want, wantKept := run(0)
		size := 1 + int(window%64)
		got, gotKept := run(size)
		if !bytes.Equal(gotKept, wantKept) {
			t.Fatalf("window %d keeps %d bytes, the default window %d", size, len(gotKept), len(wantKept))
		}
		if got.Errors != want.Errors || got.Warnings != want.Warnings || got.Packets != want.Packets ||
			got.UsablePackets != want.UsablePackets || got.Dropped.Bytes != want.Dropped.Bytes || got.Size != want.Size {
			t.Fatalf("window %d: %+v; default window: %+v", size, got, want)
		}
		if want.Format != "unknown" && want.Size != int64(len(data)) {
			t.Fatalf("report size %d, input %d bytes", want.Size, len(data))
		}
	})
}
