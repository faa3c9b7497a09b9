package capfile

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/pkt"
)

// TestWriterSize checks that Size counts buffered bytes as ftell would, and
// that Flush writes a pcap header before any packet.
func TestWriterSize(t *testing.T) {
	for _, f := range []Format{Pcap, Pcapng} {
		t.Run(f.String(), func(t *testing.T) {
			name := filepath.Join(t.TempDir(), "x")
			w, err := Create(name, WriterOptions{Format: f, InPlace: true})
			if err != nil {
				t.Fatal(err)
			}
			if err := w.AddInterface(pkt.Interface{LinkType: 1, Resolution: pkt.Microsecond, FCSLen: -1}); err != nil {
				t.Fatal(err)
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			st, _ := os.Stat(name)
			if st.Size() == 0 || st.Size() != w.Size() {
				t.Fatalf("after Flush: file %d bytes, Size %d", st.Size(), w.Size())
			}
			for range 3 {
				if err := w.WritePacket(&pkt.Packet{Timestamp: time.Unix(1, 0), Length: 61, Data: make([]byte, 61)}); err != nil {
					t.Fatal(err)
				}
			}
			buffered := w.Size()
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			st, _ = os.Stat(name)
			if buffered != st.Size() {
				t.Errorf("Size %d before Close, file %d bytes", buffered, st.Size())
			}
		})
	}
}
