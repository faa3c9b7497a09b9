package pcapng

import (
	"bytes"
	"encoding/binary"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

const benchPackets = 100_000

var benchFiles sync.Map // benchKey -> []byte

type benchKey struct {
	order   binary.ByteOrder
	packets int
}

// benchFile returns an in-memory file of 100k packets of 60 to 1514 bytes,
// every fourth with epb_flags and a comment.
func benchFile(tb testing.TB, o binary.ByteOrder) []byte { return genFile(tb, o, benchPackets) }

func genFile(tb testing.TB, o binary.ByteOrder, packets int) []byte {
	key := benchKey{o, packets}
	if v, ok := benchFiles.Load(key); ok {
		return v.([]byte)
	}
	var buf bytes.Buffer
	w, err := NewPacketWriter(&buf, WriterOptions{ByteOrder: o})
	if err != nil {
		tb.Fatal(err)
	}
	if err := w.AddInterface(pkt.Interface{LinkType: linktype.Ethernet, SnapLen: 65535,
		Resolution: pkt.Nanosecond, FCSLen: -1}); err != nil {
		tb.Fatal(err)
	}
	payload := frame(1514, 7)
	p := pkt.Packet{Timestamp: time.Unix(1_700_000_000, 0)}
	opts := []pkt.Option{{Code: pkt.OptEPBFlags, Value: u32(le, 1)}, {Code: pkt.OptComment, Value: []byte("bench")}}
	for i := range packets {
		n := 60 + (i*7919)%1455
		p.Data, p.Length = payload[:n], n
		p.Timestamp = p.Timestamp.Add(1234 * time.Nanosecond)
		p.Options = nil
		if i%4 == 0 {
			p.Options = opts
		}
		if err := w.WritePacket(&p); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	benchFiles.Store(key, buf.Bytes())
	return buf.Bytes()
}

// BenchmarkPacketReader measures one ReadPacket per op; the reader restarts
// at the end of the file, which amortises to nothing per packet.
func BenchmarkPacketReader(b *testing.B) {
	for _, o := range []binary.ByteOrder{le, be} {
		b.Run(o.String(), func(b *testing.B) {
			data := benchFile(b, o)
			b.SetBytes(int64(len(data) / benchPackets))
			b.ReportAllocs()
			r, _ := NewPacketReader(bytes.NewReader(data), ReaderOptions{})
			b.ResetTimer()
			for range b.N {
				if _, err := r.ReadPacket(); err != nil {
					if err != io.EOF {
						b.Fatal(err)
					}
					r, _ = NewPacketReader(bytes.NewReader(data), ReaderOptions{})
				}
			}
		})
	}
}

// BenchmarkPacketWriter measures one WritePacket per op.
func BenchmarkPacketWriter(b *testing.B) {
	for _, o := range []binary.ByteOrder{le, be} {
		b.Run(o.String(), func(b *testing.B) {
			data := benchFile(b, o)
			var pkts []*pkt.Packet
			r, _ := NewPacketReader(bytes.NewReader(data), ReaderOptions{})
			for range 1000 {
				p, err := r.ReadPacket()
				if err != nil {
					b.Fatal(err)
				}
				pkts = append(pkts, p.Clone())
			}
			w, err := NewPacketWriter(io.Discard, WriterOptions{ByteOrder: o})
			if err != nil {
				b.Fatal(err)
			}
			w.AddInterface(r.Interfaces()[0])
			b.SetBytes(int64(len(data) / benchPackets))
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				if err := w.WritePacket(pkts[i%len(pkts)]); err != nil {
					b.Fatal(err)
				}
			}
			w.Flush()
		})
	}
}

// BenchmarkBlockRoundTrip reads and writes one block per op.
func BenchmarkBlockRoundTrip(b *testing.B) {
	data := benchFile(b, le)
	b.SetBytes(int64(len(data) / benchPackets))
	b.ReportAllocs()
	r, _ := NewReader(bytes.NewReader(data))
	w := NewWriter(io.Discard)
	b.ResetTimer()
	for range b.N {
		blk, err := r.Next()
		if err != nil {
			if err != io.EOF {
				b.Fatal(err)
			}
			w.Flush()
			r, _ = NewReader(bytes.NewReader(data))
			w = NewWriter(io.Discard)
			continue
		}
		if err := w.WriteBlock(blk); err != nil {
			b.Fatal(err)
		}
	}
}

// TestNoAllocationsPerPacket proves the hot paths allocate nothing per
// packet in either byte order (big-endian options are converted).
func TestNoAllocationsPerPacket(t *testing.T) {
	for _, o := range []binary.ByteOrder{le, be} {
		t.Run(o.String(), func(t *testing.T) {
			data := genFile(t, o, 12_000)
			r, err := NewPacketReader(bytes.NewReader(data), ReaderOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var last *pkt.Packet
			if a := testing.AllocsPerRun(10_000, func() {
				p, err := r.ReadPacket()
				if err != nil {
					t.Fatal(err)
				}
				last = p
			}); a != 0 {
				t.Errorf("ReadPacket: %.2f allocations per packet", a)
			}
			if len(last.Options) == 0 {
				// Make sure packets with options were part of the run.
				last, _ = r.ReadPacket()
			}
			w, err := NewPacketWriter(io.Discard, WriterOptions{ByteOrder: o})
			if err != nil {
				t.Fatal(err)
			}
			w.AddInterface(r.Interfaces()[0])
			p := last.Clone()
			p.Options = []pkt.Option{{Code: pkt.OptEPBFlags, Value: u32(le, 1)}, {Code: pkt.OptEPBPacketID, Value: u64(le, 9)},
				{Code: pkt.OptComment, Value: []byte("x")}}
			if a := testing.AllocsPerRun(10_000, func() {
				if err := w.WritePacket(p); err != nil {
					t.Fatal(err)
				}
			}); a != 0 {
				t.Errorf("WritePacket: %.2f allocations per packet", a)
			}
			br, _ := NewReader(bytes.NewReader(data))
			bw := NewWriter(io.Discard)
			if a := testing.AllocsPerRun(10_000, func() {
				blk, err := br.Next()
				if err != nil {
					t.Fatal(err)
				}
				if err := bw.WriteBlock(blk); err != nil {
					t.Fatal(err)
				}
			}); a != 0 {
				t.Errorf("block round trip: %.2f allocations per block", a)
			}
		})
	}
}
