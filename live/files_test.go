package live

import (
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/capfile"
)

func TestStrftime(t *testing.T) {
	ts := time.Date(2026, time.March, 5, 14, 7, 9, 0, time.UTC)
	for _, tc := range []struct{ pattern, want string }{
		{"plain.pcap", "plain.pcap"},
		{"cap-%Y%m%d-%H%M%S.pcapng", "cap-20260305-140709.pcapng"},
		{"%y %e %I %p %j", "26  5 02 PM 064"},
		{"%F_%T", "2026-03-05_14:07:09"},
		{"%a %A %b %h %B %Z %z", "Thu Thursday Mar Mar March UTC +0000"},
		{"%s", "1772719629"},
		{"100%% %q trailing %", "100% %q trailing %"},
	} {
		if got := Strftime(tc.pattern, ts); got != tc.want {
			t.Errorf("Strftime(%q) = %q, want %q", tc.pattern, got, tc.want)
		}
	}
}

// TestFileNames follows tcpdump's naming through a sequence of rotations,
// without opening files.
func TestFileNames(t *testing.T) {
	for _, tc := range []struct {
		name string
		out  Output
		// sizeCounts are the successive -C counters; the names they give.
		sizeCounts []int
		want       []string
	}{
		{"no rotation", Output{Name: "a.pcap"}, []int{0}, []string{"a.pcap"}},
		{"-C", Output{Name: "a.pcap", FileSize: 1}, []int{0, 1, 2, 10}, []string{"a.pcap", "a.pcap1", "a.pcap2", "a.pcap10"}},
		{"-C -W 3", Output{Name: "a.pcap", FileSize: 1, FileCount: 3}, []int{0, 1, 2}, []string{"a.pcap0", "a.pcap1", "a.pcap2"}},
		{"-C -W 12", Output{Name: "a.pcap", FileSize: 1, FileCount: 12}, []int{0, 5, 11}, []string{"a.pcap00", "a.pcap05", "a.pcap11"}},
		{"-G -C", Output{Name: "g-%H.pcap", FileSize: 1, RotateEvery: time.Hour}, []int{0, 1}, []string{"g-14.pcap", "g-14.pcap1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := &fileSet{out: tc.out}
			f.baseName = tc.out.Name
			if tc.out.RotateEvery > 0 {
				f.baseName = Strftime(tc.out.Name, time.Date(2026, 1, 1, 14, 0, 0, 0, time.UTC))
			}
			for i, c := range tc.sizeCounts {
				f.sizeCount = c
				if got := f.name(); got != tc.want[i] {
					t.Errorf("counter %d: %q, want %q", c, got, tc.want[i])
				}
			}
		})
	}
}

func TestOutputCheck(t *testing.T) {
	for _, tc := range []struct {
		out    Output
		ok     bool
		format capfile.Format
	}{
		{Output{Name: "x.pcap"}, true, capfile.Pcap},
		{Output{Name: "x.PCAPNG"}, true, capfile.Pcapng},
		{Output{Name: "x.ntar"}, true, capfile.Pcapng},
		{Output{Name: "x.pcapng", Format: capfile.Pcap}, true, capfile.Pcap},
		{Output{Name: "x", FileCount: 2}, false, capfile.Pcap},
		{Output{Name: "x", FileSize: -1}, false, capfile.Pcap},
		{Output{Name: "-", RotateEvery: time.Second}, false, capfile.Pcap},
		{Output{}, false, capfile.Pcap},
	} {
		err := tc.out.check()
		if (err == nil) != tc.ok {
			t.Errorf("%+v: check %v, want ok %v", tc.out, err, tc.ok)
		}
		if got := tc.out.format(); got != tc.format {
			t.Errorf("%+v: format %v, want %v", tc.out, got, tc.format)
		}
	}
}
