package replay

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/live"
	"github.com/pcaptool/pcaptool/pkt"
)

// fakeSender records what it is given; frames longer than max fail the way
// the kernel fails them, unless the Replayer filtered them first.
type fakeSender struct {
	sent    [][]byte
	batches []int
	max     int
	lt      linktype.LinkType
	stats   live.InjectStats
	failAt  int          // WriteBatch fails with EMSGSIZE on the frame with this first byte, once; -1 none
	calls   atomic.Int64 // WriteBatch calls, for a goroutine watching the replay
}

func (f *fakeSender) WriteBatch(frames [][]byte) (int, error) {
	defer f.calls.Add(1)
	f.batches = append(f.batches, len(frames))
	for i, fr := range frames {
		if f.failAt >= 0 && int(fr[0]) == f.failAt {
			f.failAt = -1
			return i, fmt.Errorf("%w (%d bytes)", live.ErrFrameTooLarge, len(fr))
		}
		f.sent = append(f.sent, bytes.Clone(fr))
	}
	f.stats.RetriedEAGAIN++
	return len(frames), nil
}
func (f *fakeSender) MaxFrame([]byte) int         { return f.max }
func (f *fakeSender) MTU() int                    { return f.max - 14 }
func (f *fakeSender) LinkType() linktype.LinkType { return f.lt }
func (f *fakeSender) Name() string                { return "fake0" }
func (f *fakeSender) Stats() live.InjectStats     { return f.stats }

func newFake() *fakeSender { return &fakeSender{max: 1514, lt: linktype.Ethernet, failAt: -1} }

// frames returns an opener of n Ethernet frames 1 µs apart whose first byte
// and bytes 14..17 number them and whose lengths are sizes[i%len(sizes)].
func frames(n int, lt linktype.LinkType, sizes ...int) Opener {
	if len(sizes) == 0 {
		sizes = []int{60}
	}
	var pkts []*pkt.Packet
	t0 := time.Unix(1700000000, 0)
	for i := 0; i < n; i++ {
		b := make([]byte, sizes[i%len(sizes)])
		b[0] = byte(i)
		binary.BigEndian.PutUint32(b[14:], uint32(i))
		pkts = append(pkts, &pkt.Packet{Timestamp: t0.Add(time.Duration(i) * time.Microsecond), Data: b, Length: len(b)})
	}
	ifs := []pkt.Interface{{LinkType: lt, SnapLen: 65535}}
	return func() (pkt.Reader, error) { return pkt.FromSlice(ifs, pkts), nil }
}

func seqOf(b []byte) uint32 { return binary.BigEndian.Uint32(b[14:]) }

func TestReplayerSendsInOrder(t *testing.T) {
	tests := []struct {
		name     string
		cfg      Config
		n        int
		wantSeqs []uint32
		wantPass int
		maxBatch int
	}{
		{"once", Config{TopSpeed: true}, 5, []uint32{0, 1, 2, 3, 4}, 1, 64},
		{"loop 3", Config{TopSpeed: true, Loops: 3}, 2, []uint32{0, 1, 0, 1, 0, 1}, 3, 64},
		{"limit", Config{TopSpeed: true, Loops: 3, Limit: 5}, 2, []uint32{0, 1, 0, 1, 0}, 3, 64},
		{"batch 2", Config{TopSpeed: true, BatchSize: 2}, 5, []uint32{0, 1, 2, 3, 4}, 1, 2},
		{"captured timing", Config{Speed: 100}, 4, []uint32{0, 1, 2, 3}, 1, 64},
		{"pps", Config{PPS: 1e6, Limit: 3}, 10, []uint32{0, 1, 2}, 1, 64},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake()
			r := &Replayer{Sender: f, Config: tc.cfg}
			st, err := r.Run(context.Background(), frames(tc.n, linktype.Ethernet))
			if err != nil {
				t.Fatal(err)
			}
			if len(f.sent) != len(tc.wantSeqs) {
				t.Fatalf("sent %d frames, want %d", len(f.sent), len(tc.wantSeqs))
			}
			for i, b := range f.sent {
				if seqOf(b) != tc.wantSeqs[i] {
					t.Fatalf("frame %d is packet %d, want %d", i, seqOf(b), tc.wantSeqs[i])
				}
			}
			for _, b := range f.batches {
				if b > tc.maxBatch {
					t.Errorf("batch of %d frames, want at most %d", b, tc.maxBatch)
				}
			}
			if st.Packets != uint64(len(tc.wantSeqs)) || st.Bytes != 60*st.Packets || st.Passes != tc.wantPass || st.Device != "fake0" {
				t.Errorf("stats %+v", st)
			}
			if st.RetriedEAGAIN != uint64(len(f.batches)) {
				t.Errorf("RetriedEAGAIN %d, want the sender's count since Run began, %d", st.RetriedEAGAIN, len(f.batches))
			}
		})
	}
}

func TestReplayerMTU(t *testing.T) {
	for _, kernel := range []bool{false, true} {
		t.Run(fmt.Sprintf("kernel refuses=%v", kernel), func(t *testing.T) {
			f := newFake()
			if kernel {
				// The sender's MaxFrame lets the frame through; the
				// kernel refuses it (EMSGSIZE) in the middle of a batch.
				f.max, f.failAt = 9000, 2
			}
			var warned []error
			r := &Replayer{Sender: f, Config: Config{TopSpeed: true}, Warn: func(err error) { warned = append(warned, err) }}
			st, err := r.Run(context.Background(), frames(4, linktype.Ethernet, 100, 100, 1600, 100))
			if err != nil {
				t.Fatal(err)
			}
			if st.Packets != 3 || st.Failed != 1 || len(f.sent) != 3 || seqOf(f.sent[2]) != 3 {
				t.Fatalf("stats %+v, sent %d", st, len(f.sent))
			}
			if len(warned) != 1 {
				t.Fatalf("warnings %v", warned)
			}
			var pe *PacketError
			if !errors.As(warned[0], &pe) || !errors.Is(warned[0], live.ErrFrameTooLarge) {
				t.Fatalf("warning %v is not a PacketError for ErrFrameTooLarge", warned[0])
			}
			if pe.Number != 3 || pe.Size != 1600 || pe.Pass != 1 {
				t.Errorf("PacketError %+v", pe)
			}
			msg := warned[0].Error()
			for _, want := range []string{"packet 3", "1600 bytes", "fake0", fmt.Sprintf("MTU %d", f.MTU())} {
				if !strings.Contains(msg, want) {
					t.Errorf("warning %q lacks %q", msg, want)
				}
			}
		})
	}
}

func TestReplayerLinkType(t *testing.T) {
	r := &Replayer{Sender: newFake(), Config: Config{TopSpeed: true}}
	_, err := r.Run(context.Background(), frames(2, linktype.Raw))
	if !errors.Is(err, ErrLinkType) {
		t.Fatalf("Run = %v, want ErrLinkType", err)
	}
}

func TestReplayerCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	f := newFake()
	r := &Replayer{Sender: f, Config: Config{PPS: 1000, Loops: -1}}
	go func() {
		for {
			time.Sleep(5 * time.Millisecond)
			if f.calls.Load() > 0 {
				cancel()
				return
			}
		}
	}()
	st, err := r.Run(ctx, frames(3, linktype.Ethernet))
	if err != nil {
		t.Fatal(err)
	}
	if !st.Interrupted || st.Packets == 0 {
		t.Errorf("stats %+v after cancel", st)
	}
}

func TestReplayerNoAllocations(t *testing.T) {
	f := &countSender{}
	open := tcpFrames(256, 16) // flows counted too
	r := &Replayer{Sender: f, Config: Config{TopSpeed: true, Loops: 4}}
	if _, err := r.Run(context.Background(), open); err != nil {
		t.Fatal(err)
	}
	// One run allocates its buffers once; passes and packets add nothing.
	one := testing.AllocsPerRun(5, func() { r.Config.Loops = 1; r.Run(context.Background(), open) })
	many := testing.AllocsPerRun(5, func() { r.Config.Loops = 50; r.Run(context.Background(), open) })
	// Each pass opens a reader (the slice reader allocates one value).
	if perPass := (many - one) / 49; perPass > 2 {
		t.Errorf("%.1f allocations per pass of 256 packets, want at most 2", perPass)
	}
}

type countSender struct{ fakeSender }

func (c *countSender) WriteBatch(frames [][]byte) (int, error) { return len(frames), nil }
func (c *countSender) MaxFrame([]byte) int                     { return 1514 }
func (c *countSender) LinkType() linktype.LinkType             { return linktype.Ethernet }

func TestStatsText(t *testing.T) {
	st := Stats{Device: "veth0", Packets: 1000, Bytes: 741958, Flows: 25, FlowPackets: 990, NonFlowPackets: 10,
		Failed: 2, Truncated: 1, RetriedENOBUFS: 3, RetriedEAGAIN: 4, Elapsed: 53918 * time.Microsecond}
	var b strings.Builder
	if err := st.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	want := `Actual: 1000 packets (741958 bytes) sent in 0.053918 seconds
Rated: 13760859.1 Bps, 110.09 Mbps, 18546.68 pps
Flows: 25 flows, 463.67 fps, 990 unique flow packets, 10 unique non-flow packets
Statistics for network device: veth0
	Successful packets:        1000
	Failed packets:            2
	Truncated packets:         1
	Retried packets (ENOBUFS): 3
	Retried packets (EAGAIN):  4
`
	if b.String() != want {
		t.Errorf("WriteText:\n%s\nwant\n%s", b.String(), want)
	}
	var zero strings.Builder
	(&Stats{Device: "x"}).WriteText(&zero)
	if !strings.Contains(zero.String(), "Rated: 0.0 Bps, 0.00 Mbps, 0.00 pps") {
		t.Errorf("zero stats: %s", zero.String())
	}
}

func TestStatsJSON(t *testing.T) {
	st := Stats{Device: "veth0", Packets: 10, Bytes: 1000, Flows: 3, FlowPackets: 9, NonFlowPackets: 1,
		Failed: 1, Passes: 2, Elapsed: 2 * time.Second, Interrupted: true, Realtime: true, CPU: 1}
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]any{"device": "veth0", "packets": 10.0, "bytes": 1000.0, "seconds": 2.0, "pps": 5.0, "bytes_per_second": 500.0, "mbps": 0.004, "failed": 1.0, "passes": 2.0, "interrupted": true, "retried_eagain": 0.0,
		"flows": 3.0, "flows_per_second": 1.5, "flow_packets": 9.0, "non_flow_packets": 1.0} {
		if m[k] != v {
			t.Errorf("%s = %v, want %v (%s)", k, m[k], v, b)
		}
	}
	var back Stats
	if err := json.Unmarshal(b, &back); err != nil || back != st {
		t.Errorf("round trip: %+v, %v; want %+v", back, err, st)
	}
}

func TestReplayerEmptyPassEnds(t *testing.T) {
	f := newFake()
	passes := 0
	open := func() (pkt.Reader, error) {
		passes++
		if passes > 1 {
			return pkt.FromSlice(nil, nil), nil // a stream read once already
		}
		return frames(3, linktype.Ethernet)()
	}
	r := &Replayer{Sender: f, Config: Config{TopSpeed: true, Loops: -1}}
	st, err := r.Run(context.Background(), open)
	if err != nil || st.Packets != 3 || passes != 2 {
		t.Fatalf("endless loop over a one-shot stream: %+v, %v after %d passes", st, err, passes)
	}
}
