package validate_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
	"github.com/pcaptool/pcaptool/validate"
)

// writeSample writes three generated packets as a little-endian pcap file.
func writeSample(name string) {
	w, _ := capfile.Create(name, capfile.WriterOptions{Format: capfile.Pcap})
	pkt.Copy(w, synth.New(synth.Config{Packets: 3, Seed: 1}))
	w.Close()
}

// Validate a file that lost its last bytes.
func ExampleReader() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	name := filepath.Join(dir, "x.pcap")
	writeSample(name)
	b, _ := os.ReadFile(name)

	rep, _ := validate.Reader(bytes.NewReader(b[:len(b)-10]), validate.Options{})
	for _, f := range rep.Findings {
		fmt.Println(f.Code, f.Severity)
	}
	fmt.Println(rep.Packets, "packets,", rep.Errors, "error")
	// Output:
	// truncated error
	// 2 packets, 1 error
}

// Repair a file whose second record header is destroyed: its captured and
// original lengths are impossible, so nothing tells where it ended.
func ExampleRepair() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	in, out := filepath.Join(dir, "in.pcap"), filepath.Join(dir, "out.pcap")
	writeSample(in)
	b, _ := os.ReadFile(in)
	first := 24 + 16 + int(binary.LittleEndian.Uint32(b[24+8:]))
	binary.LittleEndian.PutUint32(b[first+8:], 0xffffff)
	binary.LittleEndian.PutUint32(b[first+12:], 0xffffff)
	os.WriteFile(in, b, 0o644)

	rep, err := validate.Repair(in, out, validate.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("kept %d packets, dropped %d bytes at offset %d\n", rep.UsablePackets, rep.Dropped.Bytes,
		rep.Dropped.Regions[0].Offset)
	again, _ := validate.File(out, validate.Options{})
	fmt.Println("repaired file clean:", again.Clean(), "with", again.Packets, "packets")
	// Output:
	// kept 2 packets, dropped 105 bytes at offset 117
	// repaired file clean: true with 2 packets
}
