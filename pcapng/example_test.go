package pcapng_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"log"
	"time"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pcapng"
	"github.com/pcaptool/pcaptool/pkt"
)

// capture builds a small file in memory for the examples.
func capture() []byte {
	var buf bytes.Buffer
	w, err := pcapng.NewPacketWriter(&buf, pcapng.WriterOptions{OS: "Linux"})
	if err != nil {
		log.Fatal(err)
	}
	w.AddInterface(pkt.Interface{LinkType: linktype.Ethernet, SnapLen: 65535,
		Resolution: pkt.Nanosecond, FCSLen: -1,
		Options: []pkt.Option{{Code: pkt.OptIfName, Value: []byte("eth0")}}})
	for i := range 3 {
		w.WritePacket(&pkt.Packet{
			Timestamp: time.Unix(1_700_000_000+int64(i), 5).UTC(),
			Data:      make([]byte, 60+i), Length: 60 + i,
			Options: []pkt.Option{{Code: pkt.OptComment, Value: []byte(fmt.Sprint("packet ", i))}},
		})
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	return buf.Bytes()
}

// Read a file block by block, as archive/tar reads entries.
func ExampleReader() {
	r, err := pcapng.NewReader(bytes.NewReader(capture()))
	if err != nil {
		log.Fatal(err)
	}
	for {
		b, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		switch b := b.(type) {
		case *pcapng.SectionHeader:
			fmt.Printf("section %d.%d from %s on %s\n", b.VersionMajor, b.VersionMinor, b.UserAppl(), b.OS())
		case *pcapng.InterfaceDescription:
			fmt.Printf("interface %s, %s, resolution %s\n", b.Name(), b.LinkType, b.Resolution())
		case *pcapng.EnhancedPacket:
			fmt.Printf("packet at offset %d: %d bytes, %q\n", b.Offset, len(b.Data), b.Comments())
		}
	}
	// Output:
	// section 1.0 from pcaptool on Linux
	// interface eth0, EN10MB, resolution ns
	// packet at offset 96: 60 bytes, ["packet 0"]
	// packet at offset 204: 61 bytes, ["packet 1"]
	// packet at offset 316: 62 bytes, ["packet 2"]
}

// Read packets as a format-neutral stream.
func ExamplePacketReader() {
	r, err := pcapng.NewPacketReader(bytes.NewReader(capture()), pcapng.ReaderOptions{})
	if err != nil {
		log.Fatal(err)
	}
	for p, err := range pkt.All(r) {
		if err != nil {
			log.Fatal(err)
		}
		ifc := r.Interfaces()[p.Interface]
		fmt.Println(p.Timestamp.UTC().Format(time.RFC3339Nano), ifc.Name(), len(p.Data), p.Comments())
	}
	// Output:
	// 2023-11-14T22:13:20.000000005Z eth0 60 [packet 0]
	// 2023-11-14T22:13:21.000000005Z eth0 61 [packet 1]
	// 2023-11-14T22:13:22.000000005Z eth0 62 [packet 2]
}

// Write a big-endian file with microsecond timestamps from another stream.
func ExampleNewPacketWriter() {
	src, err := pcapng.NewPacketReader(bytes.NewReader(capture()), pcapng.ReaderOptions{})
	if err != nil {
		log.Fatal(err)
	}
	var out bytes.Buffer
	w, err := pcapng.NewPacketWriter(&out, pcapng.WriterOptions{ByteOrder: binary.BigEndian, Comments: []string{"copied"}})
	if err != nil {
		log.Fatal(err)
	}
	n, err := pkt.Copy(w, src)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(n, "packets,", out.Len(), "bytes, pcapng:", pcapng.IsPcapng(out.Bytes()))
	// Output:
	// 3 packets, 428 bytes, pcapng: true
}

// Copy a file block by block: the output is identical to the input.
func ExampleWriter() {
	in := capture()
	r, err := pcapng.NewReader(bytes.NewReader(in))
	if err != nil {
		log.Fatal(err)
	}
	var out bytes.Buffer
	w := pcapng.NewWriter(&out)
	for b, err := range r.All() {
		if err != nil {
			log.Fatal(err)
		}
		if err := w.WriteBlock(b); err != nil {
			log.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	fmt.Println(bytes.Equal(in, out.Bytes()))
	// Output:
	// true
}
