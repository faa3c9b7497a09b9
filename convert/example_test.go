package convert_test

import (
	"fmt"
	"time"

	"github.com/pcaptool/pcaptool/convert"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

// Merge two captures chronologically, as mergecap does.
func ExampleNewMerge() {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	a := synth.New(synth.Config{Packets: 3, Seed: 1, Start: start, MeanGap: time.Second})
	b := synth.New(synth.Config{Packets: 3, Seed: 2, Start: start, MeanGap: time.Second})
	m := convert.NewMerge([]pkt.Reader{a, b}, convert.MergeOptions{Mode: convert.MergeAll})
	last := time.Time{}
	n := 0
	for p, err := range pkt.All(m) {
		if err != nil {
			fmt.Println(err)
			return
		}
		if p.Timestamp.Before(last) {
			fmt.Println("out of order")
		}
		last = p.Timestamp
		n++
	}
	fmt.Println(n, "packets,", len(m.Interfaces()), "interface")
	// Output: 6 packets, 1 interface
}

// Edit a stream like "editcap -r -t 3600 -s 64 in out 2-3".
func ExampleNewEdit() {
	src := synth.New(synth.Config{Packets: 5, Seed: 1})
	r, err := convert.NewEdit(src, convert.EditOptions{
		Ranges:  []convert.Range{{First: 2, Last: 3}},
		Keep:    true,
		Shift:   convert.Offset{Seconds: 3600},
		SnapLen: 64,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for p, err := range pkt.All(r) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(p.Timestamp.Hour(), len(p.Data) <= 64)
	}
	// Output:
	// 1 true
	// 1 true
}

// Sort a stream by timestamp with bounded memory, as reordercap does.
func ExampleNewSort() {
	src := synth.New(synth.Config{Packets: 1000, Seed: 1, Disorder: 20})
	s := convert.NewSort(src, convert.SortOptions{Memory: 32 << 10})
	defer s.Close()
	last := time.Time{}
	sorted := true
	for p, err := range pkt.All(s) {
		if err != nil {
			fmt.Println(err)
			return
		}
		sorted = sorted && !p.Timestamp.Before(last)
		last = p.Timestamp
	}
	fmt.Println("sorted:", sorted, "spilled runs:", s.Runs() > 0)
	// Output: sorted: true spilled runs: true
}

// Sort packets held in memory by time.
func ExampleFromSlice() {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var pkts []*pkt.Packet
	for _, s := range []int{3, 1, 2} {
		pkts = append(pkts, &pkt.Packet{Timestamp: t0.Add(time.Duration(s) * time.Second), Length: 60, Data: make([]byte, 60)})
	}
	src := pkt.FromSlice([]pkt.Interface{{LinkType: linktype.Ethernet, Resolution: pkt.Nanosecond}}, pkts)
	for p, err := range pkt.All(convert.NewSort(src, convert.SortOptions{})) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(p.Timestamp.Sub(t0))
	}
	// Output:
	// 1s
	// 2s
	// 3s
}

// Check that a capture can be sorted in one streaming pass before writing
// any of it to a pipe, which cannot take back what a failed pass wrote.
func ExampleCheckSortWindow() {
	cfg := synth.Config{Packets: 2000, Seed: 1, Disorder: 20, DisorderWindow: 5 * time.Millisecond, MeanGap: 100 * time.Microsecond}
	for _, memory := range []int64{16 << 10, 1 << 20} {
		opts := convert.SortOptions{Memory: memory, Streaming: true}
		err := convert.CheckSortWindow(synth.New(cfg), opts)
		fmt.Printf("%d KiB window: streams: %v\n", memory>>10, err == nil)
	}
	// Output:
	// 16 KiB window: streams: false
	// 1024 KiB window: streams: true
}
