package pkt_test

import (
	"fmt"
	"time"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// Range over a stream of packets; each one is valid only until the next.
func ExampleAll() {
	ifaces := []pkt.Interface{{LinkType: linktype.Ethernet, Resolution: pkt.Nanosecond, FCSLen: -1}}
	r := pkt.FromSlice(ifaces, []*pkt.Packet{
		{Timestamp: time.Unix(1, 0), Data: make([]byte, 60), Length: 60},
		{Timestamp: time.Unix(2, 0), Data: make([]byte, 64), Length: 1514},
	})
	var kept []*pkt.Packet
	for p, err := range pkt.All(r) {
		if err != nil {
			fmt.Println(err)
			return
		}
		kept = append(kept, p.Clone()) // a copy that outlives the iteration
		fmt.Println(len(p.Data), p.Length, r.Interfaces()[p.Interface].LinkType)
	}
	fmt.Println(len(kept), "kept")
	// Output:
	// 60 60 EN10MB
	// 64 1514 EN10MB
	// 2 kept
}
