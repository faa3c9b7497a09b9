package convert_test

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// sliceReader streams fixed packets; it hands out a copy per call, as a
// file reader reuses one buffer, so that stages that keep references to
// its data are caught.
type sliceReader struct {
	pkts   []pkt.Packet
	ifaces []pkt.Interface
	i      int
	cur    pkt.Packet
	buf    []byte
}

func newSliceReader(pkts []pkt.Packet, ifaces ...pkt.Interface) *sliceReader {
	if len(ifaces) == 0 {
		ifaces = []pkt.Interface{{LinkType: linktype.Ethernet, Resolution: pkt.Nanosecond, FCSLen: -1}}
	}
	return &sliceReader{pkts: pkts, ifaces: ifaces}
}

func (r *sliceReader) ReadPacket() (*pkt.Packet, error) {
	if r.i >= len(r.pkts) {
		return nil, io.EOF
	}
	// Scribble over the previous packet's bytes: a stage still using them
	// would produce wrong output.
	for i := range r.buf {
		r.buf[i] = 0xee
	}
	p := r.pkts[r.i]
	r.i++
	r.buf = append(r.buf[:0], p.Data...)
	r.cur = p
	r.cur.Data = r.buf
	return &r.cur, nil
}

func (r *sliceReader) Interfaces() []pkt.Interface { return r.ifaces }

// collect reads everything, deep-copying each packet.
func collect(t testing.TB, r pkt.Reader) []pkt.Packet {
	t.Helper()
	var out []pkt.Packet
	for p, err := range pkt.All(r) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, *p.Clone())
	}
	return out
}

var base = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// mkPacket makes a packet at base+ms milliseconds whose data is its label.
func mkPacket(ms int, label string) pkt.Packet {
	return pkt.Packet{Timestamp: base.Add(time.Duration(ms) * time.Millisecond), Data: []byte(label), Length: len(label)}
}

func labels(ps []pkt.Packet) string {
	s := ""
	for i, p := range ps {
		if i > 0 {
			s += " "
		}
		s += string(p.Data)
	}
	return s
}

func stamps(ps []pkt.Packet) string {
	s := ""
	for i, p := range ps {
		if i > 0 {
			s += " "
		}
		s += fmt.Sprint(p.Timestamp.Sub(base).Milliseconds())
	}
	return s
}
