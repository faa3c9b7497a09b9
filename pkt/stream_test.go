package pkt

import (
	"errors"
	"io"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/linktype"
)

// recorder is a Writer that keeps copies of what it is given.
type recorder struct {
	ifaces  []Interface
	pkts    []*Packet
	flushes int
	failAt  int // WritePacket fails on this packet number (1-based); 0 never
}

func (w *recorder) AddInterface(ifc Interface) error { w.ifaces = append(w.ifaces, ifc); return nil }
func (w *recorder) Flush() error                     { w.flushes++; return nil }
func (w *recorder) WritePacket(p *Packet) error {
	if len(w.pkts)+1 == w.failAt {
		return errors.New("disk full")
	}
	w.pkts = append(w.pkts, p.Clone())
	return nil
}

func testPackets(n int) []*Packet {
	var ps []*Packet
	for i := range n {
		ps = append(ps, &Packet{Timestamp: time.Unix(int64(i), 0), Data: []byte{byte(i)}, Length: 1})
	}
	return ps
}

func TestCopy(t *testing.T) {
	eth := Interface{LinkType: linktype.Ethernet, Resolution: Microsecond, FCSLen: -1}
	tests := []struct {
		name    string
		ifaces  []Interface
		pkts    []*Packet
		failAt  int
		want    int64
		wantErr error
	}{
		{"packets and interface", []Interface{eth}, testPackets(3), 0, 3, nil},
		{"interfaces without packets are still written", []Interface{eth, eth}, nil, 0, 0, nil},
		{"packet of an undescribed interface", []Interface{eth}, []*Packet{{Interface: 1}}, 0, 0, ErrInterfaceIndex},
		{"writer error stops the copy", []Interface{eth}, testPackets(3), 2, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &recorder{failAt: tt.failAt}
			n, err := Copy(w, FromSlice(tt.ifaces, tt.pkts))
			if n != tt.want {
				t.Errorf("copied %d packets, want %d", n, tt.want)
			}
			switch {
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Errorf("err = %v, want %v", err, tt.wantErr)
			case tt.failAt > 0 && err == nil:
				t.Error("writer error not returned")
			case tt.wantErr == nil && tt.failAt == 0 && err != nil:
				t.Errorf("err = %v", err)
			}
			if tt.wantErr == nil && tt.failAt == 0 {
				if len(w.ifaces) != len(tt.ifaces) || w.flushes != 1 {
					t.Errorf("%d interfaces, %d flushes; want %d, 1", len(w.ifaces), w.flushes, len(tt.ifaces))
				}
			}
		})
	}
}

type failingReader struct{ n int }

func (r *failingReader) ReadPacket() (*Packet, error) {
	if r.n == 0 {
		return nil, io.ErrUnexpectedEOF
	}
	r.n--
	return &Packet{}, nil
}
func (r *failingReader) Interfaces() []Interface { return []Interface{{}} }

func TestAll(t *testing.T) {
	n := 0
	for p, err := range All(FromSlice(nil, testPackets(4))) {
		if err != nil || p.Data[0] != byte(n) {
			t.Fatalf("packet %d: %v, %v", n, p, err)
		}
		n++
		if n == 3 {
			break // stopping early must not read on
		}
	}
	var errs, pkts int
	for p, err := range All(&failingReader{n: 2}) {
		if err != nil {
			if p != nil || !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("error yield = %v, %v", p, err)
			}
			errs++
			continue
		}
		pkts++
	}
	if pkts != 2 || errs != 1 {
		t.Errorf("%d packets, %d errors; want 2, 1", pkts, errs)
	}
}
