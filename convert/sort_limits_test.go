package convert_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/pcaptool/pcaptool/convert"
	"github.com/pcaptool/pcaptool/pkt"
)

// A packet larger than the streaming window cannot be sorted there; the
// error must be ErrSortWindow so that callers fall back to the external
// sort, which takes a packet larger than its memory as a run of its own.
func TestSortPacketLargerThanMemory(t *testing.T) {
	big := strings.Repeat("x", 5000)
	in := []pkt.Packet{mkPacket(30, "c"), mkPacket(10, big), mkPacket(20, "b")}

	s := convert.NewSort(newSliceReader(in), convert.SortOptions{Memory: 1024, Streaming: true})
	var err error
	for _, err = range pkt.All(s) {
		if err != nil {
			break
		}
	}
	s.Close()
	if !errors.Is(err, convert.ErrSortWindow) {
		t.Errorf("streaming: error %v, want ErrSortWindow", err)
	}

	s = convert.NewSort(newSliceReader(in), convert.SortOptions{Memory: 1024, TempDir: t.TempDir()})
	defer s.Close()
	out := collect(t, s)
	if len(out) != 3 || string(out[0].Data) != big || stamps(out) != "10 20 30" {
		t.Errorf("external: %d packets stamped %s", len(out), stamps(out))
	}
	if s.Runs() == 0 {
		t.Error("external sort of more than its memory spilled no run")
	}
}
