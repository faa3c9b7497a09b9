package gopacketsrc

import (
	"errors"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/pkt"
)

func TestInfoAndCopy(t *testing.T) {
	p := &pkt.Packet{Timestamp: time.Unix(5, 6), Length: 100, Data: []byte{1, 2, 3}}
	ci := Info(p, 7)
	if !ci.Timestamp.Equal(p.Timestamp) || ci.CaptureLength != 3 || ci.Length != 100 || ci.InterfaceIndex != 7 {
		t.Fatalf("Info = %+v", ci)
	}
	data, got, err := Copy(p.Data, ci, nil)
	if err != nil || got.Length != ci.Length || got.InterfaceIndex != ci.InterfaceIndex || string(data) != string(p.Data) {
		t.Fatalf("Copy = %v %+v %v", data, got, err)
	}
	p.Data[0] = 9
	if data[0] != 1 {
		t.Fatal("Copy shares the source's bytes")
	}
	fail := errors.New("read error")
	if data, _, err := Copy(p.Data, ci, fail); data != nil || err != fail {
		t.Fatalf("Copy on an error = %v, %v", data, err)
	}
}
