package stats_test

import (
	"fmt"
	"os"
	"time"

	"github.com/pcaptool/pcaptool/stats"
	"github.com/pcaptool/pcaptool/synth"
)

// I/O statistics per 10 ms, all frames and TCP only, as CSV.
func ExampleIO() {
	io, err := stats.NewIO(stats.IOOptions{Interval: 10 * time.Millisecond, Filters: []string{"ip", "tcp"}})
	if err != nil {
		panic(err)
	}
	traffic := synth.New(synth.Config{Packets: 1000, Seed: 1})
	if err := stats.Run(traffic, io); err != nil {
		panic(err)
	}
	io.Intervals(func(iv *stats.Interval) bool {
		fmt.Printf("%v-%v ip=%d tcp=%d\n", iv.Start, iv.End, iv.Cells[0].Frames, iv.Cells[1].Frames)
		return true
	})
	// Output:
	// 0s-10ms ip=416 tcp=385
	// 10ms-19.615ms ip=378 tcp=386
}

// The three largest TCP conversations, as tshark -z conv,tcp counts them.
func ExampleTables() {
	tables := stats.NewTables(stats.TCP)
	if err := stats.Run(synth.New(synth.Config{Packets: 1000, Seed: 1, Flows: 8}), tables); err != nil {
		panic(err)
	}
	stats.WriteConversations(os.Stdout, stats.TCP, tables.Conversations(stats.ByBytes, 3), stats.CSV)
	// Output:
	// address_a,port_a,address_b,port_b,stream,frames,bytes,frames_a_to_b,bytes_a_to_b,frames_b_to_a,bytes_b_to_a,rel_start,duration
	// 10.0.7.2,43700,192.0.2.169,22,0,142,97581,142,97581,0,0,0.000000000,0.0191
	// 10.0.2.2,53973,192.0.2.145,6379,5,134,93643,134,93643,0,0,0.000351779,0.0188
	// 2001:db8:1::6,41193,2001:db8:2::21,443,3,141,87033,141,87033,0,0,0.000190026,0.0187
}
