package pcap

import (
	"bytes"
	"encoding/binary"
	"io"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

const benchRecords = 50_000

// benchFile returns an in-memory nanosecond pcap file of 50k records of 60
// to 1514 bytes in the given byte order.
func benchFile(tb testing.TB, o binary.ByteOrder) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, FileHeader{ByteOrder: o, SnapLen: 65535, LinkType: linktype.Ethernet, Resolution: pkt.Nanosecond, FCSLen: -1})
	if err != nil {
		tb.Fatal(err)
	}
	payload := make([]byte, 1514)
	for i := range payload {
		payload[i] = byte(i * 7)
	}
	ts := time.Unix(1_700_000_000, 0)
	for i := range benchRecords {
		n := 60 + (i*7919)%1455
		ts = ts.Add(1234 * time.Nanosecond)
		if err := w.WritePacket(&pkt.Packet{Timestamp: ts, Length: n, Data: payload[:n]}); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkReader measures one ReadPacket per op, restarting at the end of
// the file.
func BenchmarkReader(b *testing.B) {
	for _, o := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		b.Run(o.String(), func(b *testing.B) {
			data := benchFile(b, o)
			b.SetBytes(int64(len(data) / benchRecords))
			b.ReportAllocs()
			r, _ := NewReader(bytes.NewReader(data))
			b.ResetTimer()
			for range b.N {
				if _, err := r.ReadPacket(); err != nil {
					if err != io.EOF {
						b.Fatal(err)
					}
					r, _ = NewReader(bytes.NewReader(data))
				}
			}
		})
	}
}

// BenchmarkWriter measures one WritePacket per op, to io.Discard.
func BenchmarkWriter(b *testing.B) {
	for _, o := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		b.Run(o.String(), func(b *testing.B) {
			data := benchFile(b, o)
			r, _ := NewReader(bytes.NewReader(data))
			var recs []pkt.Packet
			for range 1000 {
				rec, err := r.ReadPacket()
				if err != nil {
					b.Fatal(err)
				}
				c := *rec
				c.Data = bytes.Clone(rec.Data)
				recs = append(recs, c)
			}
			w, err := NewWriter(io.Discard, r.Header())
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(data) / benchRecords))
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				rec := &recs[i%len(recs)]
				if err := w.WritePacket(rec); err != nil {
					b.Fatal(err)
				}
			}
			w.Flush()
		})
	}
}
