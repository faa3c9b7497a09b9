package decode_test

import (
	"bytes"
	"io"
	"os"
	"testing"

	"github.com/pcaptool/pcaptool/decode"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pkt"
)

// writePcap writes every packet of r to a new pcap file in t's temporary
// directory and returns its name.
func writePcap(t testing.TB, r pkt.Reader, lt linktype.LinkType, nano bool) string {
	t.Helper()
	name := t.TempDir() + "/gen.pcap"
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	prec := pkt.Microsecond
	if nano {
		prec = pkt.Nanosecond
	}
	w, err := pcap.NewWriter(f, pcap.FileHeader{SnapLen: 262144, LinkType: lt, Resolution: prec})
	if err != nil {
		t.Fatal(err)
	}
	for {
		p, err := r.ReadPacket()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := w.WritePacket(&pkt.Packet{Timestamp: p.Timestamp, Length: p.Length, Data: p.Data}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return name
}

// printPcap prints every packet of a pcap file with opts.
func printPcap(t testing.TB, name string, opts decode.Options) string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pcap.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	pr := decode.NewPrinter(&out, opts)
	lt := r.Header().LinkType
	for {
		rec, err := r.ReadPacket()
		if err == io.EOF {
			break
		}
		if err != nil {
			break // tcpdump stops at a damaged record too
		}
		p := pkt.Packet{Timestamp: rec.Timestamp, Length: rec.Length, Data: rec.Data}
		if err := pr.Print(&p, lt); err != nil {
			t.Fatal(err)
		}
	}
	if err := pr.Flush(); err != nil {
		t.Fatal(err)
	}
	return out.String()
}
