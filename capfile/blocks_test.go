package capfile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pcapng"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

// blockFile writes a pcapng file holding blocks the packet model does not
// carry (name resolution, statistics, custom) between packets.
func blockFile(t *testing.T, name string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := pcapng.NewWriter(&buf)
	shb := &pcapng.SectionHeader{VersionMajor: 1, SectionLength: -1}
	shb.Add(pkt.OptComment, []byte("section"))
	idb := &pcapng.InterfaceDescription{LinkType: linktype.Ethernet, SnapLen: 65535}
	nrb := &pcapng.NameResolution{EndOfRecords: true,
		Records: []pcapng.NameRecord{{Type: pcapng.RecordIPv4, Value: []byte("\x0a\x00\x00\x01host\x00")}}}
	isb := &pcapng.InterfaceStatistics{}
	for i, b := range []pcapng.Block{
		shb, idb,
		&pcapng.EnhancedPacket{Timestamp: 1, OriginalLength: 60, Data: make([]byte, 60)},
		nrb,
		&pcapng.Custom{PEN: 32473, Data: []byte("custom data")},
		&pcapng.EnhancedPacket{Timestamp: 2, OriginalLength: 1514, Data: bytes.Repeat([]byte{7}, 1000)},
		isb,
	} {
		if err := w.WriteBlock(b); err != nil {
			t.Fatalf("block %d: %v", i, err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCopyBlocks(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.pcapng"), filepath.Join(dir, "out.pcapng")
	want := blockFile(t, in)
	r, err := Open(in)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	w, err := CreateRaw(out, WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n, err := CopyBlocks(w, r)
	if err != nil || n != 7 {
		t.Fatalf("CopyBlocks = %d, %v; want 7 blocks", n, err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("copy is %d bytes, not the %d of the original", len(got), len(want))
	}
}

func TestCopyBlocksErrors(t *testing.T) {
	dir := t.TempDir()
	pcapIn := filepath.Join(dir, "in.pcap")
	w, err := Create(pcapIn, WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	damaged := filepath.Join(dir, "damaged.pcapng")
	data := blockFile(t, damaged)
	if err := os.WriteFile(damaged, data[:len(data)-3], 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		in   string
		want error
	}{
		{pcapIn, ErrNotPcapngInput},
		{damaged, pcapng.ErrTruncated},
	} {
		r, err := Open(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		w, err := CreateRaw(filepath.Join(dir, "out.pcapng"), WriterOptions{})
		if err != nil {
			t.Fatal(err)
		}
		_, err = CopyBlocks(w, r)
		w.Abort()
		r.Close()
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.in, err, tc.want)
		}
		if err != nil && !bytes.Contains([]byte(err.Error()), []byte(tc.in)) {
			t.Errorf("%s: error %q does not name the file", tc.in, err)
		}
	}
}

// TestCopyBlocksBorrowed copies a generated pcapng through read-ahead rings
// so small that blocks straddle them: the packet bytes go out from the ring
// (Borrow), and the copy must still be the original byte for byte.
func TestCopyBlocksBorrowed(t *testing.T) {
	geometries := tinyRings(t)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.pcapng"), filepath.Join(dir, "out.pcapng")
	writeGenerated(t, in, WriterOptions{Format: Pcapng}, synth.Config{Packets: 3000, Seed: 11})
	want, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, geo := range geometries {
		readAheadGeometry = geo
		r, err := Open(in)
		if err != nil {
			t.Fatal(err)
		}
		if r.ahead == nil {
			t.Fatal("the input is not read ahead")
		}
		w, err := CreateRaw(out, WriterOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := CopyBlocks(w, r); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		r.Close()
		got, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("ring %+v: the copy (%d bytes) differs from the original (%d bytes)", geo, len(got), len(want))
		}
	}
}
