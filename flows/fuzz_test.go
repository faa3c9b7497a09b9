package flows_test

import (
	"encoding/binary"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/flows"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

// fuzzFrames encodes packets as the fuzz input format of FuzzTracker: per
// packet a 2-byte length, a 1-byte time step (tenths of a second) and the
// frame.
func fuzzFrames(frames [][]byte, steps []byte) []byte {
	var b []byte
	for i, f := range frames {
		b = binary.BigEndian.AppendUint16(b, uint16(len(f)))
		b = append(b, steps[i%len(steps)])
		b = append(b, f...)
	}
	return b
}

// FuzzTracker feeds arbitrary Ethernet frames, with time steps long enough
// to fire every timeout, through a Tracker that reassembles TCP: nothing may
// panic, every conversation must end exactly once with packet counts that
// add up, and every TCP conversation must end its stream exactly once after
// its data.
func FuzzTracker(f *testing.F) {
	for seed := uint64(1); seed <= 4; seed++ {
		src := synth.New(synth.Config{Packets: 40, Flows: 3, Seed: seed, IPv6Percent: 30})
		var frames [][]byte
		for {
			p, err := src.ReadPacket()
			if err != nil {
				break
			}
			frames = append(frames, p.Clone().Data)
		}
		f.Add(fuzzFrames(frames, []byte{0, 1, 0, 0, 120}))
	}
	f.Add(fuzzFrames(nil, []byte{0}))
	f.Fuzz(func(t *testing.T, in []byte) {
		streams := &streamCheck{t: t, ended: map[*flows.Conversation]bool{}}
		ended := map[*flows.Conversation]bool{}
		var endedPackets uint64
		tr := flows.New(flows.Config{
			MaxBufferedPages: 32,
			Streams:          streams,
			OnEnd: func(c *flows.Conversation) {
				if ended[c] {
					t.Fatalf("conversation %v ended twice", c.Endpoint(0))
				}
				ended[c] = true
				endedPackets += c.Packets()
			},
		})
		ts := time.Unix(1700000000, 0)
		added := uint64(0)
		for len(in) >= 3 {
			n := min(int(binary.BigEndian.Uint16(in)), len(in)-3)
			ts = ts.Add(time.Duration(in[2]) * 100 * time.Millisecond)
			data := in[3 : 3+n]
			in = in[3+n:]
			tr.Add(&pkt.Packet{Timestamp: ts, Length: len(data), Data: data}, linktype.Ethernet)
			added++
		}
		tr.Flush()
		c := tr.Counters()
		if c.Packets != added {
			t.Fatalf("counted %d packets, added %d", c.Packets, added)
		}
		if tr.Open() != 0 {
			t.Fatalf("%d conversations open after Flush", tr.Open())
		}
		if uint64(len(ended)) != c.Conversations {
			t.Fatalf("%d conversations ended, %d started", len(ended), c.Conversations)
		}
		if endedPackets != c.TCP+c.UDP {
			t.Fatalf("conversations hold %d packets, counters say %d TCP + %d UDP", endedPackets, c.TCP, c.UDP)
		}
		for conv := range ended {
			if conv.Proto == flows.TCP && !streams.ended[conv] {
				t.Fatalf("TCP conversation %v ended without StreamEnd", conv.Endpoint(0))
			}
		}
	})
}

// streamCheck checks the StreamHandler contract: no data after StreamEnd,
// StreamEnd once.
type streamCheck struct {
	t     *testing.T
	ended map[*flows.Conversation]bool
}

func (s *streamCheck) StreamData(c *flows.Conversation, d flows.Dir, data []byte, skipped int) {
	if s.ended[c] {
		s.t.Fatalf("%d bytes for %v after its StreamEnd", len(data), c.Endpoint(d))
	}
	if skipped < 0 {
		s.t.Fatalf("skipped %d", skipped)
	}
}

func (s *streamCheck) StreamEnd(c *flows.Conversation) {
	if s.ended[c] {
		s.t.Fatalf("StreamEnd twice for %v", c.Endpoint(0))
	}
	s.ended[c] = true
}
