package replay_test

import (
	"fmt"
	"os"
	"time"

	"github.com/pcaptool/pcaptool/replay"
)

// A Schedule tells when each packet is due without sending anything: here
// twice the captured speed, over two passes, stopping after five packets.
func ExampleSchedule() {
	s, err := replay.NewSchedule(replay.Config{Speed: 2, Loops: 2, Limit: 5})
	if err != nil {
		panic(err)
	}
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	captured := []time.Duration{0, 10 * time.Millisecond, 30 * time.Millisecond}
	for pass := 1; pass <= 2; pass++ {
		if pass > 1 {
			s.NewPass()
		}
		for _, at := range captured {
			due, ok := s.Next(t0.Add(at), 1000)
			if !ok {
				fmt.Println("limit reached")
				return
			}
			fmt.Println(pass, due)
		}
	}
	// Output:
	// 1 0s
	// 1 5ms
	// 1 15ms
	// 2 15ms
	// 2 20ms
	// limit reached
}

// Statistics print as tcpreplay prints them.
func ExampleStats_WriteText() {
	st := replay.Stats{Device: "eth0", Packets: 1000, Bytes: 750000, Flows: 12, FlowPackets: 996, NonFlowPackets: 4,
		Elapsed: 50 * time.Millisecond}
	st.WriteText(os.Stdout)
	// Output:
	// Actual: 1000 packets (750000 bytes) sent in 0.050000 seconds
	// Rated: 15000000.0 Bps, 120.00 Mbps, 20000.00 pps
	// Flows: 12 flows, 240.00 fps, 996 unique flow packets, 4 unique non-flow packets
	// Statistics for network device: eth0
	// 	Successful packets:        1000
	// 	Failed packets:            0
	// 	Truncated packets:         0
	// 	Retried packets (ENOBUFS): 0
	// 	Retried packets (EAGAIN):  0
}
