package capfile_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

// Convert any capture (pcap or pcapng, compressed or not) to pcap, as
// `pcaptool convert in out.pcap` does. The output appears only when Close
// succeeds.
func Example_convert() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "in.pcapng.zst")

	// Make an input: 100 packets of synthetic traffic, zstd-compressed pcapng.
	w, _ := capfile.Create(in, capfile.WriterOptions{})
	pkt.Copy(w, synth.New(synth.Config{Packets: 100}))
	w.Close()

	r, err := capfile.Open(in)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	out, err := capfile.Create(filepath.Join(dir, "out.pcap"), capfile.WriterOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer out.Abort() // removes the temporary file unless Close succeeded
	n, err := pkt.Copy(out, r)
	if err == nil {
		err = out.Close()
	}
	fmt.Println(r.Format(), r.Compression(), "→", out.Format(), n, "packets", err)
	// Output:
	// pcapng zstd → pcap 100 packets <nil>
}

// Range over the packets of a capture with pkt.All.
func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	name := filepath.Join(dir, "x.pcap")
	w, _ := capfile.Create(name, capfile.WriterOptions{})
	pkt.Copy(w, synth.New(synth.Config{Packets: 3, Seed: 9}))
	w.Close()

	r, err := capfile.Open(name)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	for p, err := range pkt.All(r) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(r.Interfaces()[p.Interface].LinkType, len(p.Data) > 0, p.Timestamp.Year())
	}
	// Output:
	// EN10MB true 2024
	// EN10MB true 2024
	// EN10MB true 2024
}

// A capfile.Reader is a gopacket data source, whatever the file's format.
func ExampleReader_gopacket() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	name := filepath.Join(dir, "x.pcapng.gz")
	w, _ := capfile.Create(name, capfile.WriterOptions{})
	pkt.Copy(w, synth.New(synth.Config{Packets: 50, Seed: 2, IPv6Percent: -1}))
	w.Close()

	r, err := capfile.Open(name)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer r.Close()
	ipv4 := 0
	for pkt := range gopacket.NewPacketSource(r, r.Decoder()).Packets() {
		if pkt.Layer(layers.LayerTypeIPv4) != nil {
			ipv4++
		}
	}
	fmt.Println(ipv4, "IPv4 packets")
	// Output:
	// 50 IPv4 packets
}
