package capfile

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/outfile"
	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

// readPackets reads a whole capture into deep copies.
func readPackets(t *testing.T, name string) (*Reader, []*pkt.Packet) {
	t.Helper()
	r, err := Open(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	var pkts []*pkt.Packet
	for p, err := range pkt.All(r) {
		if err != nil {
			t.Fatal(err)
		}
		pkts = append(pkts, p.Clone())
	}
	return r, pkts
}

// writeGenerated writes the packets cfg generates to a new file path. It is
// internal/testgen.Write for this package's own tests, which cannot import
// testgen (it imports capfile).
func writeGenerated(t *testing.T, path string, opts WriterOptions, cfg synth.Config) {
	t.Helper()
	w, err := Create(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pkt.Copy(w, synth.New(cfg)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func generated(n int) []*pkt.Packet {
	g := synth.New(synth.Config{Packets: n, Seed: 3})
	var out []*pkt.Packet
	for p, _ := range pkt.All(g) {
		out = append(out, p.Clone())
	}
	return out
}

func TestFormatsAndCompressions(t *testing.T) {
	want := generated(300)
	dir := t.TempDir()
	names := []struct {
		name   string
		format Format
		comp   Compression
	}{
		{"a.pcap", Pcap, CompressionNone},
		{"a.pcapng", Pcapng, CompressionNone},
		{"a.pcap.gz", Pcap, Gzip},
		{"a.pcapng.zst", Pcapng, Zstd},
		{"a.pcapng.lz4", Pcapng, LZ4},
		{"a.cap.zst", Pcap, Zstd},
		{"noextension", Pcapng, CompressionNone},
	}
	for _, tt := range names {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, tt.name)
			writeGenerated(t, path, WriterOptions{}, synth.Config{Packets: 300, Seed: 3})
			r, got := readPackets(t, path)
			if r.Format() != tt.format || r.Compression() != tt.comp {
				t.Fatalf("read back as %v/%v, want %v/%v", r.Format(), r.Compression(), tt.format, tt.comp)
			}
			comparePackets(t, got, want)
			if lt := r.Interfaces()[0].LinkType; lt != linktype.Ethernet {
				t.Fatalf("link type %v", lt)
			}
		})
	}
}

func comparePackets(t *testing.T, got, want []*pkt.Packet) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d packets, want %d", len(got), len(want))
	}
	for i := range got {
		if !got[i].Timestamp.Equal(want[i].Timestamp) || got[i].Length != want[i].Length ||
			!bytes.Equal(got[i].Data, want[i].Data) || got[i].Interface != want[i].Interface {
			t.Fatalf("packet %d differs", i)
		}
	}
}

func TestStdinSniffing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.pcapng.gz")
	w, _ := Create(path, WriterOptions{})
	pkt.Copy(w, synth.New(synth.Config{Packets: 10}))
	w.Close()
	raw, _ := os.ReadFile(path)
	r, err := NewReader(bytes.NewReader(raw), "stdin", ReaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Format() != Pcapng || r.Compression() != Gzip {
		t.Fatalf("sniffed %v/%v", r.Format(), r.Compression())
	}
	n := 0
	for _, err := range pkt.All(r) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 10 {
		t.Fatalf("%d packets", n)
	}
}

func TestErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.pcap")
	os.WriteFile(junk, []byte("this is not a capture file at all"), 0o644)
	_, err := Open(junk)
	if !errors.Is(err, ErrUnknownFormat) || !bytes.Contains([]byte(err.Error()), []byte(junk)) {
		t.Fatalf("err = %v", err)
	}
	// A truncated file: packets first, then an error naming file and offset.
	good := filepath.Join(dir, "good.pcap")
	w, _ := Create(good, WriterOptions{})
	pkt.Copy(w, synth.New(synth.Config{Packets: 5}))
	w.Close()
	raw, _ := os.ReadFile(good)
	cut := filepath.Join(dir, "cut.pcap")
	os.WriteFile(cut, raw[:len(raw)-10], 0o644)
	r, err := Open(cut)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		_, err = r.ReadPacket()
		if err != nil {
			break
		}
		n++
	}
	if n != 4 || err == io.EOF || !bytes.Contains([]byte(err.Error()), []byte("cut.pcap: pcap: record 4 at offset")) {
		t.Fatalf("read %d then %v", n, err)
	}
}

func TestAtomicOutput(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "out.pcap")
	os.WriteFile(dest, []byte("previous"), 0o644)
	w, err := Create(dest, WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pkt.Copy(w, synth.New(synth.Config{Packets: 100}))
	if b, _ := os.ReadFile(dest); string(b) != "previous" {
		t.Fatal("destination changed before Close")
	}
	w.Abort()
	if b, _ := os.ReadFile(dest); string(b) != "previous" {
		t.Fatal("Abort changed the destination")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("Abort left files behind: %v", entries)
	}
	var group outfile.Group
	w, _ = Create(dest, WriterOptions{Group: &group})
	pkt.Copy(w, synth.New(synth.Config{Packets: 100}))
	group.AbortAll()
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("Group.AbortAll left files behind: %v", entries)
	}
	w, _ = Create(dest, WriterOptions{})
	pkt.Copy(w, synth.New(synth.Config{Packets: 100}))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if _, pkts := readPackets(t, dest); len(pkts) != 100 {
		t.Fatalf("%d packets after Close", len(pkts))
	}
	if st, _ := os.Stat(dest); st.Mode().Perm() != 0o644 {
		t.Fatalf("mode %v", st.Mode())
	}
}

// twoLinkTypes is a stream with an Ethernet and a raw-IP interface.
type twoLinkTypes struct {
	n   int
	pkt pkt.Packet
}

func (s *twoLinkTypes) Interfaces() []pkt.Interface {
	return []pkt.Interface{
		{LinkType: linktype.Ethernet, Resolution: pkt.Microsecond, FCSLen: -1},
		{LinkType: linktype.Raw, Resolution: pkt.Nanosecond, FCSLen: -1},
	}
}

func (s *twoLinkTypes) ReadPacket() (*pkt.Packet, error) {
	if s.n == 4 {
		return nil, io.EOF
	}
	s.n++
	s.pkt = pkt.Packet{Timestamp: time.Unix(int64(s.n), 5), Length: 20, Data: make([]byte, 20), Interface: s.n % 2}
	return &s.pkt, nil
}

func TestMixedLinkTypes(t *testing.T) {
	dir := t.TempDir()
	w, _ := Create(filepath.Join(dir, "x.pcap"), WriterOptions{})
	_, err := pkt.Copy(w, &twoLinkTypes{})
	w.Abort()
	if !errors.Is(err, pcap.ErrMixedLinkTypes) {
		t.Fatalf("pcap with two link types: %v", err)
	}
	// Interfaces of another link type without packets are no obstacle.
	w, _ = Create(filepath.Join(dir, "empty.pcap"), WriterOptions{})
	if _, err := pkt.Copy(w, &twoLinkTypes{n: 4}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	w, _ = Create(filepath.Join(dir, "x.pcapng"), WriterOptions{})
	if _, err := pkt.Copy(w, &twoLinkTypes{}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, pkts := readPackets(t, filepath.Join(dir, "x.pcapng"))
	if len(r.Interfaces()) != 2 || len(pkts) != 4 || pkts[0].Interface != 1 || pkts[1].Interface != 0 {
		t.Fatalf("interfaces %v, packets %d", r.Interfaces(), len(pkts))
	}
	if r.Interfaces()[1].Resolution != pkt.Nanosecond || r.Interfaces()[0].Resolution != pkt.Microsecond {
		t.Fatalf("resolutions not kept: %v", r.Interfaces())
	}
}

func TestResolutionOption(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		name string
		res  pkt.Resolution
	}{{"u.pcap", pkt.Microsecond}, {"n.pcap", pkt.Nanosecond}, {"u.pcapng", pkt.Microsecond}} {
		path := filepath.Join(dir, tt.name)
		w, _ := Create(path, WriterOptions{Resolution: tt.res})
		pkt.Copy(w, synth.New(synth.Config{Packets: 50}))
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		r, pkts := readPackets(t, path)
		if r.Interfaces()[0].Resolution != tt.res {
			t.Fatalf("%s: resolution %v", tt.name, r.Interfaces()[0].Resolution)
		}
		for i, p := range pkts {
			if tt.res == pkt.Microsecond && p.Timestamp.Nanosecond()%1000 != 0 {
				t.Fatalf("%s: packet %d has sub-microsecond time", tt.name, i)
			}
		}
	}
}

func TestFromName(t *testing.T) {
	for name, want := range map[string][2]int{
		"x.pcap": {int(Pcap), int(CompressionAuto)}, "X.PCAPNG.ZST": {int(Pcapng), int(Zstd)},
		"a.b.cap.gz": {int(Pcap), int(Gzip)}, "dump": {int(FormatAuto), int(CompressionAuto)},
		"y.lz4": {int(FormatAuto), int(LZ4)},
	} {
		f, c := FromName(name)
		if int(f) != want[0] || int(c) != want[1] {
			t.Errorf("FromName(%q) = %v, %v", name, f, c)
		}
	}
}
