package convert_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/convert"
	"github.com/pcaptool/pcaptool/pkt"
)

// noTS makes a packet without a timestamp (a pcapng simple packet block),
// stamped at the epoch as readers give it.
func noTS(label string) pkt.Packet {
	return pkt.Packet{Timestamp: time.Unix(0, 0), NoTimestamp: true, Data: []byte(label), Length: len(label)}
}

// marks describes packets as "label@ms" or "label@-" for those without a
// timestamp, which must still be at the epoch.
func marks(t *testing.T, ps []pkt.Packet) string {
	t.Helper()
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.Write(p.Data)
		if p.NoTimestamp {
			if !p.Timestamp.Equal(time.Unix(0, 0)) {
				t.Errorf("packet %s has no timestamp but is stamped %v", p.Data, p.Timestamp)
			}
			b.WriteString("@-")
			continue
		}
		b.WriteString("@" + stamps([]pkt.Packet{p}))
	}
	return b.String()
}

// The expected outputs are what editcap, mergecap and reordercap 4.0 give
// for the same packets in a pcapng file with simple packet blocks.
func TestStagesLeavePacketsWithoutTimestamp(t *testing.T) {
	// a@50 x@- b@30 y@- c@40
	mixed := func() []pkt.Packet {
		return []pkt.Packet{mkPacket(50, "a"), noTS("x"), mkPacket(30, "b"), noTS("y"), mkPacket(40, "c")}
	}
	dedup := func(o convert.DedupOptions) func(pkt.Reader) pkt.Reader {
		return func(r pkt.Reader) pkt.Reader {
			d, err := convert.NewDedup(r, o)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
	}
	sorted := func(o convert.SortOptions) func(pkt.Reader) pkt.Reader {
		return func(r pkt.Reader) pkt.Reader {
			s := convert.NewSort(r, o)
			t.Cleanup(func() { s.Close() })
			return s
		}
	}
	tests := []struct {
		name  string
		in    []pkt.Packet
		stage func(pkt.Reader) pkt.Reader
		want  string
	}{
		{"time shift (-t)", mixed(), func(r pkt.Reader) pkt.Reader {
			return convert.NewTimeShift(r, convert.Offset{Negative: true, Seconds: 3600})
		}, "a@-3599950 x@- b@-3599970 y@- c@-3599960"},
		// editcap -S 0: x and y are neither moved nor the predecessor of b
		// and c.
		{"strict time (-S 0)", mixed(), func(r pkt.Reader) pkt.Reader {
			return convert.NewStrictTime(r, convert.Offset{})
		}, "a@50 x@- b@50 y@- c@50"},
		{"strict time negative (-S -0.001)", mixed(), func(r pkt.Reader) pkt.Reader {
			return convert.NewStrictTime(r, convert.Offset{Negative: true, Nanos: 1_000_000})
		}, "a@50 x@- b@51 y@- c@52"},
		{"time window (-A/-B) drops them", mixed(), func(r pkt.Reader) pkt.Reader {
			return convert.NewTimeWindow(r, base, base.Add(time.Hour))
		}, "a@50 b@30 c@40"},
		{"dedup by time (-w) ignores them", []pkt.Packet{mkPacket(0, "d"), noTS("d"), noTS("d"), mkPacket(1, "d")},
			dedup(convert.DedupOptions{ByTime: true, TimeWindow: time.Second}), "d@0 d@- d@-"},
		{"dedup by window (-d) compares them", []pkt.Packet{mkPacket(0, "d"), noTS("d"), noTS("e"), mkPacket(1, "e")},
			dedup(convert.DedupOptions{Window: 5}), "d@0 e@-"},
		// reordercap: "no time stamp" sorts before every time stamp, and the
		// sort is stable.
		{"sort in memory", mixed(), sorted(convert.SortOptions{}), "x@- y@- b@30 c@40 a@50"},
		{"sort external", mixed(), sorted(convert.SortOptions{Memory: 1}), "x@- y@- b@30 c@40 a@50"},
		{"sort streaming", mixed(), sorted(convert.SortOptions{Streaming: true}), "x@- y@- b@30 c@40 a@50"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := marks(t, collect(t, tt.stage(newSliceReader(tt.in)))); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestSortStreamingRejectsLateUntimedPacket(t *testing.T) {
	// A window of one packet has emitted a@50 when x arrives; x belongs
	// before it, so the streaming pass must give up rather than misorder.
	in := []pkt.Packet{mkPacket(50, "a"), mkPacket(60, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"), noTS("x")}
	s := convert.NewSort(newSliceReader(in), convert.SortOptions{Streaming: true, Memory: 70})
	defer s.Close()
	var err error
	for _, err = range pkt.All(s) {
		if err != nil {
			break
		}
	}
	if err == nil || !strings.Contains(err.Error(), "no timestamp") {
		t.Errorf("streaming sort of a late untimed packet: %v, want ErrSortWindow", err)
	}
}

func TestMergeTakesUntimedPacketsFirst(t *testing.T) {
	// mergecap 4.0 on a = 5 x 3 y 4 and b = 2 z 6 (seconds) writes
	// b2 bz a5 ax a3 ay a4 b6: an input whose next packet has no time stamp
	// is picked at once, the lowest-numbered such input first.
	a := newSliceReader([]pkt.Packet{mkPacket(5000, "a5"), noTS("ax"), mkPacket(3000, "a3"), noTS("ay"), mkPacket(4000, "a4")})
	b := newSliceReader([]pkt.Packet{mkPacket(2000, "b2"), noTS("bz"), mkPacket(6000, "b6")})
	out := collect(t, convert.NewMerge([]pkt.Reader{a, b}, convert.MergeOptions{}))
	if got, want := labels(out), "b2 bz a5 ax a3 ay a4 b6"; got != want {
		t.Errorf("merged %q, want %q", got, want)
	}
	// Two inputs both waiting with untimed packets: the first input wins.
	a = newSliceReader([]pkt.Packet{noTS("a1"), noTS("a2")})
	b = newSliceReader([]pkt.Packet{noTS("b1"), mkPacket(0, "b2")})
	out = collect(t, convert.NewMerge([]pkt.Reader{a, b}, convert.MergeOptions{}))
	if got, want := labels(out), "a1 a2 b1 b2"; got != want {
		t.Errorf("merged %q, want %q", got, want)
	}
}

func TestSplitIntervalSkipsUntimedPackets(t *testing.T) {
	// editcap -i: packets without a time stamp never open a piece, and the
	// first interval starts at the first time-stamped packet.
	in := []pkt.Packet{noTS("x"), mkPacket(100, "a"), noTS("y"), mkPacket(115, "b"), mkPacket(125, "c"), noTS("z")}
	sink := &pieceSink{}
	if _, err := convert.Split(newSliceReader(in), convert.SplitOptions{Interval: 20 * time.Millisecond}, sink); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range sink.pieces {
		got = append(got, "["+labels(p)+"]")
	}
	if want := "[x a y b] [c z]"; strings.Join(got, " ") != want {
		t.Errorf("pieces %s, want %s", strings.Join(got, " "), want)
	}
	if !sink.firsts[0].NoTimestamp || sink.firsts[1].NoTimestamp {
		t.Errorf("first packets of the pieces: %+v", sink.firsts)
	}
}
