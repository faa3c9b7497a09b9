package capfile

import (
	"bytes"
	"testing"

	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

// NewWriter and NewReader are each other's inverse over any io.Writer and
// io.Reader, in every format and compression.
func TestNewWriterRoundTrip(t *testing.T) {
	want := generated(300)
	tests := []struct {
		name   string
		opts   WriterOptions
		format Format
		comp   Compression
	}{
		{"a.pcap", WriterOptions{}, Pcap, CompressionNone},
		{"a.pcapng.zst", WriterOptions{}, Pcapng, Zstd},
		{"picked by options", WriterOptions{Format: Pcap, Compression: Gzip}, Pcap, Gzip},
		{"", WriterOptions{Compression: LZ4}, Pcapng, LZ4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			w, err := NewWriter(&buf, tt.name, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := pkt.Copy(w, synth.New(synth.Config{Packets: 300, Seed: 3})); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			r, err := NewReader(&buf, "buffer", ReaderOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if r.Format() != tt.format || r.Compression() != tt.comp {
				t.Fatalf("read back as %v/%v, want %v/%v", r.Format(), r.Compression(), tt.format, tt.comp)
			}
			var got []*pkt.Packet
			for p, err := range pkt.All(r) {
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, p.Clone())
			}
			comparePackets(t, got, want)
		})
	}
}
