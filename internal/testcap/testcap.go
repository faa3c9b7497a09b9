// Package testcap reads whole capture files for tests that compare them with
// what an oracle (tcpdump, editcap, ...) wrote.
package testcap

import (
	"io"
	"os"
	"testing"

	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pkt"
)

// ReadPcap returns the header and every record of a pcap file, each with its
// own copy of the data, failing the test on any error.
func ReadPcap(t testing.TB, path string) (pcap.FileHeader, []pkt.Packet) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pcap.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var recs []pkt.Packet
	for {
		rec, err := r.ReadPacket()
		if err == io.EOF {
			return r.Header(), recs
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		recs = append(recs, *rec.Clone())
	}
}
