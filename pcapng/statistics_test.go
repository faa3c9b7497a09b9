package pcapng

import (
	"bytes"
	"encoding/binary"
	"io"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/pkt"
)

// TestStatisticsSetters writes an ISB built with the setters, in both byte
// orders and twice from the same block, and reads it back through the
// accessors.
func TestStatisticsSetters(t *testing.T) {
	for _, order := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		t.Run(order.String(), func(t *testing.T) {
			var buf bytes.Buffer
			w, err := NewPacketWriter(&buf, WriterOptions{ByteOrder: order})
			if err != nil {
				t.Fatal(err)
			}
			if err := w.AddInterface(pkt.Interface{LinkType: 1, Resolution: pkt.Microsecond, FCSLen: -1}); err != nil {
				t.Fatal(err)
			}
			start := time.Unix(1700000000, 123456789)
			units, err := w.TimestampUnits(0, start)
			if err != nil || units != 1700000000123456 {
				t.Fatalf("TimestampUnits: %d, %v", units, err)
			}
			if _, err := w.TimestampUnits(1, start); err == nil {
				t.Error("TimestampUnits of an undescribed interface succeeded")
			}
			isb := &InterfaceStatistics{}
			isb.ByteOrder = order
			for round := uint64(0); round < 2; round++ {
				isb.Timestamp = units + 10 + round
				isb.SetStartTime(units)
				isb.SetEndTime(units + 10 + round)
				isb.SetReceived(100 + round)
				isb.SetInterfaceDropped(1)
				isb.SetFilterAccepted(90)
				isb.SetOSDropped(2 + round)
				isb.SetDelivered(88)
				if err := w.WriteStatistics(isb); err != nil {
					t.Fatal(err)
				}
			}
			if len(isb.Options) != 7 {
				t.Fatalf("%d options after refilling the block, want 7", len(isb.Options))
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			r, err := NewReader(&buf)
			if err != nil {
				t.Fatal(err)
			}
			var got []*InterfaceStatistics
			for {
				b, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				if s, ok := b.(*InterfaceStatistics); ok {
					got = append(got, s.Clone().(*InterfaceStatistics))
				}
			}
			if len(got) != 2 {
				t.Fatalf("%d statistics blocks, want 2", len(got))
			}
			for round, s := range got {
				r := uint64(round)
				st, _ := s.StartTime()
				end, _ := s.EndTime()
				recv, _ := s.Received()
				ifdrop, _ := s.InterfaceDropped()
				acc, _ := s.FilterAccepted()
				osdrop, _ := s.OSDropped()
				deliv, _ := s.Delivered()
				if st != units || end != units+10+r || recv != 100+r || ifdrop != 1 || acc != 90 || osdrop != 2+r || deliv != 88 {
					t.Errorf("block %d: %d %d %d %d %d %d %d", round, st, end, recv, ifdrop, acc, osdrop, deliv)
				}
			}
		})
	}
}
