package replay

import (
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// Stats is what a replay did, with the counters tcpreplay prints.
type Stats struct {
	// Device is the interface the packets were sent on.
	Device string
	// Packets and Bytes count the frames sent (tcpreplay's "Actual" and
	// "Successful packets").
	Packets, Bytes uint64
	// Flows counts the flows of the packets sent as tcpreplay does: one
	// direction of an IP protocol between two addresses and, for TCP and
	// UDP, two ports (for ICMP, a type and code). FlowPackets counts the
	// IP packets sent with a complete header, NonFlowPackets those that
	// are not IP. (tcpreplay 4.4.3 counts IPv6 packets as non-flow; later
	// versions count their flows, as this does.)
	Flows, FlowPackets, NonFlowPackets uint64
	// Failed counts packets that could not be sent (larger than the MTU,
	// for one) and were skipped.
	Failed uint64
	// Truncated counts frames the kernel sent shorter than given.
	Truncated uint64
	// RetriedENOBUFS counts sends retried because the device queue was
	// full; RetriedEAGAIN waits for room in the socket's send buffer.
	RetriedENOBUFS, RetriedEAGAIN uint64
	// Passes counts the passes over the input begun.
	Passes int
	// Elapsed is the time from the start of the replay to the end of the
	// last send.
	Elapsed time.Duration
	// Interrupted is true when the context ended the replay.
	Interrupted bool
	// Realtime is true when the replay ran under the SCHED_FIFO policy
	// Config.RealtimePriority asked for.
	Realtime bool
	// CPU is the CPU the replay was pinned to, -1 when it was not.
	CPU int
}

// Rates returns bytes, megabits (10^6 bits) and packets per second over
// Elapsed; zero when nothing was timed.
func (s *Stats) Rates() (bps, mbps, pps float64) {
	secs := s.Elapsed.Seconds()
	if secs <= 0 {
		return 0, 0, 0
	}
	bps = float64(s.Bytes) / secs
	return bps, bps * 8 / 1e6, float64(s.Packets) / secs
}

// FlowsPerSecond returns Flows over Elapsed; zero when nothing was timed.
func (s *Stats) FlowsPerSecond() float64 {
	if secs := s.Elapsed.Seconds(); secs > 0 {
		return float64(s.Flows) / secs
	}
	return 0
}

// WriteText writes the statistics as tcpreplay 4.4 prints them.
func (s *Stats) WriteText(w io.Writer) error {
	bps, mbps, pps := s.Rates()
	_, err := fmt.Fprintf(w, `Actual: %d packets (%d bytes) sent in %.6f seconds
Rated: %.1f Bps, %.2f Mbps, %.2f pps
Flows: %d flows, %.2f fps, %d unique flow packets, %d unique non-flow packets
Statistics for network device: %s
	Successful packets:        %d
	Failed packets:            %d
	Truncated packets:         %d
	Retried packets (ENOBUFS): %d
	Retried packets (EAGAIN):  %d
`, s.Packets, s.Bytes, s.Elapsed.Seconds(), bps, mbps, pps,
		s.Flows, s.FlowsPerSecond(), s.FlowPackets, s.NonFlowPackets, s.Device,
		s.Packets, s.Failed, s.Truncated, s.RetriedENOBUFS, s.RetriedEAGAIN)
	return err
}

// statsJSON is the JSON form of Stats: snake_case names, seconds and rates
// as numbers.
type statsJSON struct {
	Device         string  `json:"device"`
	Packets        uint64  `json:"packets"`
	Bytes          uint64  `json:"bytes"`
	Seconds        float64 `json:"seconds"`
	BytesPerSecond float64 `json:"bytes_per_second"`
	Mbps           float64 `json:"mbps"`
	PPS            float64 `json:"pps"`
	Flows          uint64  `json:"flows"`
	FlowsPerSecond float64 `json:"flows_per_second"`
	FlowPackets    uint64  `json:"flow_packets"`
	NonFlowPackets uint64  `json:"non_flow_packets"`
	Failed         uint64  `json:"failed"`
	Truncated      uint64  `json:"truncated"`
	RetriedENOBUFS uint64  `json:"retried_enobufs"`
	RetriedEAGAIN  uint64  `json:"retried_eagain"`
	Passes         int     `json:"passes"`
	Interrupted    bool    `json:"interrupted"`
	Realtime       bool    `json:"realtime"`
	CPU            int     `json:"cpu"`
}

// MarshalJSON encodes s with its rates:
// {"device":"eth0","packets":1000,"bytes":741958,"seconds":0.05,...}.
func (s Stats) MarshalJSON() ([]byte, error) {
	bps, mbps, pps := s.Rates()
	return json.Marshal(statsJSON{
		Device: s.Device, Packets: s.Packets, Bytes: s.Bytes, Seconds: s.Elapsed.Seconds(),
		BytesPerSecond: bps, Mbps: mbps, PPS: pps,
		Flows: s.Flows, FlowsPerSecond: s.FlowsPerSecond(), FlowPackets: s.FlowPackets, NonFlowPackets: s.NonFlowPackets,
		Failed: s.Failed, Truncated: s.Truncated,
		RetriedENOBUFS: s.RetriedENOBUFS, RetriedEAGAIN: s.RetriedEAGAIN,
		Passes: s.Passes, Interrupted: s.Interrupted, Realtime: s.Realtime, CPU: s.CPU,
	})
}

// UnmarshalJSON decodes what MarshalJSON writes.
func (s *Stats) UnmarshalJSON(b []byte) error {
	var j statsJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*s = Stats{
		Device: j.Device, Packets: j.Packets, Bytes: j.Bytes,
		Flows: j.Flows, FlowPackets: j.FlowPackets, NonFlowPackets: j.NonFlowPackets,
		Elapsed: time.Duration(j.Seconds * 1e9), Failed: j.Failed, Truncated: j.Truncated,
		RetriedENOBUFS: j.RetriedENOBUFS, RetriedEAGAIN: j.RetriedEAGAIN,
		Passes: j.Passes, Interrupted: j.Interrupted, Realtime: j.Realtime, CPU: j.CPU,
	}
	return nil
}
