package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pcapng"
	"github.com/pcaptool/pcaptool/pkt"
)

// TestMaxPacketSizeFlag checks that --max-packet-size bounds what every
// reading command accepts: a file with a 3000-byte packet is read by
// default and refused, naming the record, with a limit of 1000.
func TestMaxPacketSizeFlag(t *testing.T) {
	dir := t.TempDir()
	ts := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var pbuf bytes.Buffer
	pw, err := pcap.NewWriter(&pbuf, pcap.FileHeader{LinkType: linktype.Ethernet, SnapLen: 65535})
	if err != nil {
		t.Fatal(err)
	}
	var nbuf bytes.Buffer
	nw, err := pcapng.NewPacketWriter(&nbuf, pcapng.WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := nw.AddInterface(pkt.Interface{LinkType: linktype.Ethernet, Resolution: pkt.Microsecond, FCSLen: -1}); err != nil {
		t.Fatal(err)
	}
	for i, size := range []int{100, 3000} {
		data := make([]byte, size)
		if err := pw.WritePacket(&pkt.Packet{Timestamp: ts.Add(time.Duration(i) * time.Second), Length: size, Data: data}); err != nil {
			t.Fatal(err)
		}
		if err := nw.WritePacket(&pkt.Packet{Timestamp: ts.Add(time.Duration(i) * time.Second), Length: size, Data: data}); err != nil {
			t.Fatal(err)
		}
	}
	if err := pw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := nw.Flush(); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{"big.pcap": pbuf.Bytes(), "big.pcapng": nbuf.Bytes()}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name := range files {
		in := filepath.Join(dir, name)
		out := filepath.Join(dir, "out-"+name)
		commands := [][]string{
			{"convert", in, out},
			{"merge", "-w", out, in, in},
			{"sort", in, out},
			{"edit", in, out},
			{"stats", in},
			{"info", in},
			{"print", in},
			{"flows", in},
			{"filter", "len > 0", in, out},
		}
		for _, args := range commands {
			t.Run(name+"/"+args[0], func(t *testing.T) {
				mustRun(t, args...)
				res := runTool(t, nil, append([]string{"--max-packet-size", "1000"}, args...)...)
				if res.code != exitFailure {
					t.Fatalf("with --max-packet-size 1000: exit %d, want %d\n%s", res.code, exitFailure, res.stderr)
				}
				if !strings.Contains(res.stderr, "offset") {
					t.Errorf("error does not say where: %s", res.stderr)
				}
			})
		}
		t.Run(name+"/validate", func(t *testing.T) {
			mustRun(t, "validate", in)
			res := runTool(t, nil, "--max-packet-size", "1000", "validate", in)
			if res.code != exitFindings {
				t.Fatalf("validate with --max-packet-size 1000: exit %d, want %d\n%s%s", res.code, exitFindings, res.stdout, res.stderr)
			}
		})
	}
	if res := runTool(t, nil, "--max-packet-size", "-1", "stats", filepath.Join(dir, "big.pcap")); res.code != exitFailure {
		t.Errorf("negative --max-packet-size: exit %d, want %d", res.code, exitFailure)
	}
}
