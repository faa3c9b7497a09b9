package convert_test

import (
	"errors"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/convert"
	"github.com/pcaptool/pcaptool/pkt"
)

// dropLabel is a Filter stage dropping packets whose data is one label; it
// records the labels it saw, to show where in the pipeline it ran.
type dropLabel struct {
	pkt.Reader
	drop string
	seen *string
}

func (d dropLabel) ReadPacket() (*pkt.Packet, error) {
	for {
		p, err := d.Reader.ReadPacket()
		if err != nil {
			return nil, err
		}
		*d.seen += string(p.Data)
		if string(p.Data) != d.drop {
			return p, nil
		}
	}
}

func TestEditFilterRunsAfterSelection(t *testing.T) {
	// The filter sees what the selection kept (packet numbers count the
	// input, not the filter's output) and everything the time window will
	// judge, untouched by -t.
	seen := ""
	r, err := convert.NewEdit(newSliceReader(fivePackets()), convert.EditOptions{
		Ranges: []convert.Range{{First: 2, Last: 2}},
		Filter: func(src pkt.Reader) (pkt.Reader, error) {
			return dropLabel{src, "c", &seen}, nil
		},
		Start: base.Add(5 * time.Millisecond),
		Shift: convert.Offset{Seconds: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	out := collect(t, r)
	if got := labels(out); got != "d e" {
		t.Errorf("packets %q, want \"d e\"", got)
	}
	if seen != "acde" {
		t.Errorf("filter saw %q, want \"acde\"", seen)
	}
	if got := stamps(out); got != "1030 1040" {
		t.Errorf("stamps %q", got)
	}

	errBad := errors.New("bad filter")
	if _, err := convert.NewEdit(newSliceReader(nil), convert.EditOptions{
		Filter: func(pkt.Reader) (pkt.Reader, error) { return nil, errBad },
	}); !errors.Is(err, errBad) {
		t.Errorf("filter constructor error: %v", err)
	}
}
