package convert_test

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/convert"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

func fivePackets() []pkt.Packet {
	return []pkt.Packet{mkPacket(0, "a"), mkPacket(10, "b"), mkPacket(20, "c"), mkPacket(30, "d"), mkPacket(40, "e")}
}

func TestParseRange(t *testing.T) {
	tests := []struct {
		in      string
		want    convert.Range
		wantErr bool
	}{
		{"3", convert.Range{3, 3}, false},
		{"2-4", convert.Range{2, 4}, false},
		{"2-0", convert.Range{2, math.MaxUint64}, false},
		{"2-", convert.Range{}, true},
		{"x", convert.Range{}, true},
		{"-3", convert.Range{}, true},
	}
	for _, tt := range tests {
		got, err := convert.ParseRange(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseRange(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err != nil && !errors.Is(err, convert.ErrRange) {
			t.Errorf("ParseRange(%q) error %v is not ErrRange", tt.in, err)
		}
	}
}

func TestParseOffset(t *testing.T) {
	tests := []struct {
		in      string
		want    convert.Offset
		wantErr bool
	}{
		{"3600", convert.Offset{Seconds: 3600}, false},
		{"-0.5", convert.Offset{Negative: true, Nanos: 500_000_000}, false},
		{".25", convert.Offset{Nanos: 250_000_000}, false},
		{"1.0000000019", convert.Offset{Seconds: 1, Nanos: 1}, false},
		{"-0", convert.Offset{Negative: true}, false},
		{"", convert.Offset{}, true},
		{"1.", convert.Offset{}, true},
		{"--1", convert.Offset{}, true},
		{"abc", convert.Offset{}, true},
	}
	for _, tt := range tests {
		got, err := convert.ParseOffset(tt.in)
		if (err != nil) != tt.wantErr || (err == nil && got != tt.want) {
			t.Errorf("ParseOffset(%q) = %+v, %v; want %+v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"1700000000", time.Unix(1700000000, 0)},
		{"1700000000.5", time.Unix(1700000000, 500_000_000)},
		{"1700000000,000000001", time.Unix(1700000000, 1)},
		{"2024-01-01T00:00:00Z", base},
		{"2024-01-01 00:00:00.25Z", base.Add(250 * time.Millisecond)},
		{"2024-01-01T02:00:00+02:00", base},
		{"2024-01-01T00:00:00", time.Date(2024, 1, 1, 0, 0, 0, 0, time.Local)},
	}
	for _, tt := range tests {
		got, err := convert.ParseTime(tt.in)
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	if _, err := convert.ParseTime("yesterday"); err == nil {
		t.Error("ParseTime(yesterday) succeeded")
	}
}

func TestStages(t *testing.T) {
	mustRange := func(s string) convert.Range {
		r, err := convert.ParseRange(s)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	tests := []struct {
		name   string
		in     []pkt.Packet
		stage  func(pkt.Reader) pkt.Reader
		labels string
		stamps string
	}{
		{"select drops", fivePackets(), func(r pkt.Reader) pkt.Reader {
			return convert.NewSelect(r, []convert.Range{mustRange("2"), mustRange("4-5")}, false)
		}, "a c", "0 20"},
		{"select keeps", fivePackets(), func(r pkt.Reader) pkt.Reader {
			return convert.NewSelect(r, []convert.Range{mustRange("2-3"), mustRange("5")}, true)
		}, "b c e", "10 20 40"},
		{"select keeps to end", fivePackets(), func(r pkt.Reader) pkt.Reader {
			return convert.NewSelect(r, []convert.Range{mustRange("4-0")}, true)
		}, "d e", "30 40"},
		{"time window", fivePackets(), func(r pkt.Reader) pkt.Reader {
			return convert.NewTimeWindow(r, base.Add(10*time.Millisecond), base.Add(30*time.Millisecond))
		}, "b c", "10 20"},
		{"time window open stop", fivePackets(), func(r pkt.Reader) pkt.Reader {
			return convert.NewTimeWindow(r, base.Add(25*time.Millisecond), time.Time{})
		}, "d e", "30 40"},
		{"time shift", fivePackets(), func(r pkt.Reader) pkt.Reader {
			return convert.NewTimeShift(r, convert.Offset{Negative: true, Nanos: 5_000_000})
		}, "a b c d e", "-5 5 15 25 35"},
		{"strict zero", []pkt.Packet{mkPacket(0, "a"), mkPacket(20, "b"), mkPacket(10, "c"), mkPacket(15, "d"), mkPacket(30, "e")},
			func(r pkt.Reader) pkt.Reader { return convert.NewStrictTime(r, convert.Offset{}) },
			"a b c d e", "0 20 20 20 30"},
		{"strict positive", []pkt.Packet{mkPacket(0, "a"), mkPacket(20, "b"), mkPacket(10, "c"), mkPacket(30, "d")},
			func(r pkt.Reader) pkt.Reader {
				return convert.NewStrictTime(r, convert.Offset{Nanos: 1_000_000})
			}, "a b c d", "0 20 21 30"},
		{"strict negative", []pkt.Packet{mkPacket(0, "a"), mkPacket(20, "b"), mkPacket(10, "c"), mkPacket(30, "d")},
			func(r pkt.Reader) pkt.Reader {
				return convert.NewStrictTime(r, convert.Offset{Negative: true, Nanos: 2_000_000})
			}, "a b c d", "0 2 4 6"},
		{"snap", []pkt.Packet{mkPacket(0, "abcdef"), mkPacket(1, "ab")},
			func(r pkt.Reader) pkt.Reader { return convert.NewSnap(r, 3, false) },
			"abc ab", "0 1"},
		{"comment", fivePackets(), func(r pkt.Reader) pkt.Reader {
			return convert.NewComment(r, map[uint64]string{2: "two"})
		}, "a b c d e", "0 10 20 30 40"},
		{"dedup window", []pkt.Packet{mkPacket(0, "x"), mkPacket(1, "y"), mkPacket(2, "x"), mkPacket(3, "z"), mkPacket(4, "w"), mkPacket(5, "v"), mkPacket(6, "u"), mkPacket(7, "x")},
			func(r pkt.Reader) pkt.Reader {
				d, err := convert.NewDedup(r, convert.DedupOptions{Window: 5})
				if err != nil {
					t.Fatal(err)
				}
				return d
			}, "x y z w v u x", "0 1 3 4 5 6 7"},
		{"dedup time", []pkt.Packet{mkPacket(0, "x"), mkPacket(5, "x"), mkPacket(20, "x"), mkPacket(21, "y"), mkPacket(22, "x")},
			func(r pkt.Reader) pkt.Reader {
				d, err := convert.NewDedup(r, convert.DedupOptions{ByTime: true, TimeWindow: 10 * time.Millisecond})
				if err != nil {
					t.Fatal(err)
				}
				return d
			}, "x x y", "0 20 21"},
		{"dedup ignore bytes", []pkt.Packet{mkPacket(0, "AAxyz"), mkPacket(1, "BBxyz"), mkPacket(2, "B")},
			func(r pkt.Reader) pkt.Reader {
				d, err := convert.NewDedup(r, convert.DedupOptions{Window: 5, IgnoreBytes: 2})
				if err != nil {
					t.Fatal(err)
				}
				return d
			}, "AAxyz B", "0 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := collect(t, tt.stage(newSliceReader(tt.in)))
			if got := labels(out); got != tt.labels {
				t.Errorf("packets %q, want %q", got, tt.labels)
			}
			if got := stamps(out); got != tt.stamps {
				t.Errorf("timestamps %q, want %q", got, tt.stamps)
			}
		})
	}
}

func TestCommentKeepsExisting(t *testing.T) {
	in := fivePackets()
	in[1].Options = []pkt.Option{{Code: pkt.OptComment, Value: []byte("old")}}
	out := collect(t, convert.NewComment(newSliceReader(in), map[uint64]string{2: "new", 3: "three"}))
	if got := strings.Join(out[1].Comments(), ","); got != "old,new" {
		t.Errorf("packet 2 comments %q, want old,new", got)
	}
	if got := strings.Join(out[2].Comments(), ","); got != "three" {
		t.Errorf("packet 3 comments %q, want three", got)
	}
	if len(in[1].Options) != 1 {
		t.Errorf("source packet's options were modified: %v", in[1].Options)
	}
}

func TestChop(t *testing.T) {
	data := "0123456789"
	tests := []struct {
		chops  [][2]int
		adjust bool
		want   string
		length int
	}{
		{[][2]int{{0, 3}}, false, "3456789", 10},
		{[][2]int{{0, -3}}, false, "0123456", 10},
		{[][2]int{{0, 3}, {0, -2}}, true, "34567", 5},
		{[][2]int{{2, 3}}, false, "0156789", 10},
		{[][2]int{{-2, -3}}, false, "0123489", 10},
		{[][2]int{{-4, 2}}, false, "01234589", 10},
		{[][2]int{{0, 20}}, true, "", 0},
		{[][2]int{{0, -20}}, false, "", 10},
		{[][2]int{{5, 20}}, false, "01234", 10},
		{[][2]int{{-20, 2}}, false, "0123456789", 10},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.chops), func(t *testing.T) {
			var c convert.Chop
			for _, a := range tt.chops {
				c.Add(a[0], a[1])
			}
			in := []pkt.Packet{{Timestamp: base, Data: []byte(data), Length: len(data)}}
			out := collect(t, convert.NewChop(newSliceReader(in), c, tt.adjust))
			if string(out[0].Data) != tt.want || out[0].Length != tt.length {
				t.Errorf("got %q len %d, want %q len %d", out[0].Data, out[0].Length, tt.want, tt.length)
			}
		})
	}
}

func TestSetLinkTypeAndSnapInterfaces(t *testing.T) {
	src := newSliceReader(fivePackets(), pkt.Interface{LinkType: linktype.Ethernet, SnapLen: 65535})
	r := convert.NewSnap(convert.NewSetLinkType(src, linktype.Raw), 100, false)
	ifc := r.Interfaces()[0]
	if ifc.LinkType != linktype.Raw || ifc.SnapLen != 100 {
		t.Errorf("interface %+v, want RAW with snaplen 100", ifc)
	}
	if src.ifaces[0].LinkType != linktype.Ethernet {
		t.Error("source interface modified")
	}
}

func TestDedupWindowLimits(t *testing.T) {
	if _, err := convert.NewDedup(newSliceReader(nil), convert.DedupOptions{Window: convert.MaxDedupWindow + 1}); !errors.Is(err, convert.ErrDedupWindow) {
		t.Errorf("window too large: err %v", err)
	}
}

func TestEditPipelineOrder(t *testing.T) {
	// Packet numbers count the input even when earlier stages drop
	// packets: the comment lands on input packet 4, the time window
	// drops packet 1, the selection drops packet 2.
	strict := convert.Offset{}
	r, err := convert.NewEdit(newSliceReader(fivePackets()), convert.EditOptions{
		Ranges:   []convert.Range{{First: 2, Last: 2}},
		Start:    base.Add(5 * time.Millisecond),
		Strict:   &strict,
		Shift:    convert.Offset{Seconds: 1},
		SnapLen:  1,
		Comments: map[uint64]string{4: "four"},
	})
	if err != nil {
		t.Fatal(err)
	}
	out := collect(t, r)
	if got := labels(out); got != "c d e" {
		t.Fatalf("packets %q", got)
	}
	if got := stamps(out); got != "1020 1030 1040" {
		t.Errorf("stamps %q", got)
	}
	if c := out[1].Comments(); len(c) != 1 || c[0] != "four" {
		t.Errorf("comments %v", c)
	}
}

func TestStageAllocations(t *testing.T) {
	pkts := make([]pkt.Packet, 64)
	for i := range pkts {
		pkts[i] = mkPacket(i, strings.Repeat("x", 100+i))
	}
	var c convert.Chop
	c.Add(2, 4)
	strict := convert.Offset{}
	src := newSliceReader(pkts)
	r, err := convert.NewEdit(src, convert.EditOptions{
		Ranges: []convert.Range{{First: 3, Last: 3}}, Strict: &strict, Shift: convert.Offset{Seconds: 1},
		SnapLen: 90, Chop: c, Dedup: &convert.DedupOptions{Window: 5}, Comments: map[uint64]string{5: "x"},
	})
	if err != nil {
		t.Fatal(err)
	}
	for range 10 { // warm up buffers
		r.ReadPacket()
	}
	allocs := testing.AllocsPerRun(40, func() {
		if _, err := r.ReadPacket(); err != nil {
			src.i = 0
		}
	})
	if allocs > 0 {
		t.Errorf("%.1f allocations per packet, want 0", allocs)
	}
}
