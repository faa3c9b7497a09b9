package capfile

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/pcaptool/pcaptool/pcapng"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

// TestFill checks that filling the read buffer at any point changes none
// of the packets read after it, on inputs smaller and larger than the
// buffer.
func TestFill(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"a.pcap", "a.pcapng", "a.pcap.gz"} {
		for _, n := range []int{10, 6000} {
			path := filepath.Join(dir, fmt.Sprint(n, name))
			// The section header's options are read with the file
			// header, before Fill: they must survive it.
			writeGenerated(t, path, WriterOptions{Section: pcapng.WriterOptions{Comments: []string{"section comment"}}},
				synth.Config{Packets: n, Seed: 3})
			if st, _ := os.Stat(path); n > 10 && name == "a.pcap" && st.Size() <= 1<<20 {
				t.Fatalf("%s is %d bytes, not larger than the read buffer", path, st.Size())
			}
			want := generated(n)
			for _, after := range []int{0, 1, n / 2, n} {
				t.Run(fmt.Sprintf("%s/%d packets/fill after %d", name, n, after), func(t *testing.T) {
					r, err := Open(path)
					if err != nil {
						t.Fatal(err)
					}
					defer r.Close()
					var got []*pkt.Packet
					for len(got) < after {
						p, err := r.ReadPacket()
						if err != nil {
							t.Fatal(err)
						}
						got = append(got, p.Clone())
					}
					if err := r.Fill(); err != nil {
						t.Fatal(err)
					}
					for p, err := range pkt.All(r) {
						if err != nil {
							t.Fatal(err)
						}
						got = append(got, p.Clone())
					}
					comparePackets(t, got, want)
					if ng := r.Pcapng(); ng != nil {
						if c := ng.Sections()[0].Header.Comments(); len(c) != 1 || c[0] != "section comment" {
							t.Errorf("section header comments %q after Fill", c)
						}
					}
				})
			}
		}
	}
}
