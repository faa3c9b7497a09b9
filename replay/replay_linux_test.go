//go:build linux

package replay_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"net"
	"os"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/internal/netns"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/live"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/replay"
)

// testEtherType is IEEE 802's "local experimental" EtherType 1: the far end
// captures only it, so stray traffic cannot disturb the count.
const testEtherType = 0x88b5

// TestReplayOverVeth replays frames of mixed sizes, one of them larger than
// the MTU, from one end of a veth pair and checks that the other end
// received exactly the others, byte for byte and in order, over two passes,
// in each pacing mode.
func TestReplayOverVeth(t *testing.T) {
	p := netns.NewPair(t)
	var inj *live.Injector
	if err := netns.Do(p.A, func() (err error) { inj, err = live.OpenInjector(p.VethA); return }); err != nil {
		t.Fatal(err)
	}
	defer inj.Close()
	var h *live.Handle
	err := netns.Do(p.B, func() (err error) {
		h, err = live.Open(p.VethB, &live.Config{Immediate: true, Protocol: testEtherType, BufferSize: 8 << 20})
		return
	})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()

	const n = 300
	var want [][]byte
	var pkts []*pkt.Packet
	t0 := time.Unix(1700000000, 0)
	for i := 0; i < n; i++ {
		size := []int{60, 1514, 333, 64, 1000}[i%5]
		if i == 7 {
			size = 1600 // larger than the MTU: skipped
		}
		b := make([]byte, size)
		copy(b[0:6], net.HardwareAddr{0x02, 0, 0, 0, 0, 2})
		copy(b[6:12], net.HardwareAddr{0x02, 0, 0, 0, 0, 1})
		binary.BigEndian.PutUint16(b[12:], testEtherType)
		binary.BigEndian.PutUint32(b[14:], uint32(i))
		for k := 18; k < size; k++ {
			b[k] = byte(i + k)
		}
		pkts = append(pkts, &pkt.Packet{Timestamp: t0.Add(time.Duration(i) * 20 * time.Microsecond), Data: b, Length: size})
		if size <= 1514 {
			want = append(want, b)
		}
	}
	open := func() (pkt.Reader, error) {
		return pkt.FromSlice([]pkt.Interface{{LinkType: linktype.Ethernet, SnapLen: 65535}}, pkts), nil
	}
	for _, tc := range []struct {
		name string
		cfg  replay.Config
	}{
		{"topspeed", replay.Config{TopSpeed: true, Loops: 2}},
		{"speed 4", replay.Config{Speed: 4, Loops: 2}},
		{"pps", replay.Config{PPS: 50000, Loops: 2}},
		{"mbps", replay.Config{Mbps: 500, Loops: 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var warned []error
			r := &replay.Replayer{Sender: inj, Config: tc.cfg, Warn: func(err error) { warned = append(warned, err) }}
			st, err := r.Run(context.Background(), open)
			if err != nil {
				t.Fatal(err)
			}
			if st.Packets != uint64(2*len(want)) || st.Failed != 2 || len(warned) != 2 || !errors.Is(warned[0], live.ErrFrameTooLarge) {
				t.Fatalf("stats %+v, warnings %v", st, warned)
			}
			for i := 0; i < 2*len(want); i++ {
				h.SetReadDeadline(time.Now().Add(5 * time.Second))
				got, err := h.ReadPacket()
				if errors.Is(err, os.ErrDeadlineExceeded) {
					t.Fatalf("received %d of %d frames", i, 2*len(want))
				}
				if err != nil {
					t.Fatal(err)
				}
				if w := want[i%len(want)]; !bytes.Equal(got.Data, w) {
					t.Fatalf("frame %d: got packet %d (%d bytes), want packet %d (%d bytes)",
						i, binary.BigEndian.Uint32(got.Data[14:]), len(got.Data), binary.BigEndian.Uint32(w[14:]), len(w))
				}
			}
			hs, err := h.Stats()
			if err != nil || hs.Dropped != 0 {
				t.Errorf("capture stats %+v, %v: the far end dropped frames", hs, err)
			}
		})
	}
}
