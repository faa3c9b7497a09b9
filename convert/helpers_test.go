package convert_test

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/convert"
	"github.com/pcaptool/pcaptool/linktype"
)

// sliceReader streams fixed packets; it hands out a copy per call, as a
// file reader reuses one buffer, so that stages that keep references to
// its data are caught.
type sliceReader struct {
	pkts   []convert.Packet
	ifaces []convert.Interface
	i      int
	cur    convert.Packet
	buf    []byte
}

func newSliceReader(pkts []convert.Packet, ifaces ...convert.Interface) *sliceReader {
	if len(ifaces) == 0 {
		ifaces = []convert.Interface{{LinkType: linktype.Ethernet, Resolution: convert.Nanosecond, FCSLen: -1}}
	}
	return &sliceReader{pkts: pkts, ifaces: ifaces}
}

func (r *sliceReader) ReadPacket() (*convert.Packet, error) {
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

func (r *sliceReader) Interfaces() []convert.Interface { return r.ifaces }

// collect reads everything, deep-copying each packet.
func collect(t testing.TB, r convert.Reader) []convert.Packet {
	t.Helper()
	var out []convert.Packet
	for p, err := range convert.All(r) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, *p.Clone())
	}
	return out
}

var base = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// pkt makes a packet at base+ms milliseconds whose data is its label.
func pkt(ms int, label string) convert.Packet {
	return convert.Packet{Timestamp: base.Add(time.Duration(ms) * time.Millisecond), Data: []byte(label), Length: len(label)}
}

func labels(ps []convert.Packet) string {
	s := ""
	for i, p := range ps {
		if i > 0 {
			s += " "
		}
		s += string(p.Data)
	}
	return s
}

func stamps(ps []convert.Packet) string {
	s := ""
	for i, p := range ps {
		if i > 0 {
			s += " "
		}
		s += fmt.Sprint(p.Timestamp.Sub(base).Milliseconds())
	}
	return s
}
