package flows_test

import (
	"fmt"
	"io"

	"github.com/pcaptool/pcaptool/flows"
	"github.com/pcaptool/pcaptool/synth"
)

// Count the conversations of generated traffic.
func Example() {
	src := synth.New(synth.Config{Packets: 2000, Flows: 8, IPv6Percent: -1, Seed: 1})
	var tcp, udp int
	tr := flows.New(flows.Config{OnEnd: func(c *flows.Conversation) {
		if c.Proto == flows.TCP {
			tcp++
		} else {
			udp++
		}
	}})
	for {
		p, err := src.ReadPacket()
		if err == io.EOF {
			break
		}
		tr.Add(p, src.Interfaces()[0].LinkType)
	}
	tr.Flush()
	fmt.Println(tcp+udp, "conversations", tr.Counters().Packets, "packets")
	// Output: 8 conversations 2000 packets
}
