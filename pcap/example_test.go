package pcap_test

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pkt"
)

// sampleFile writes a two-packet Ethernet capture in memory.
func sampleFile() []byte {
	var buf bytes.Buffer
	w, _ := pcap.NewWriter(&buf, pcap.FileHeader{SnapLen: 65535, LinkType: linktype.Ethernet, FCSLen: -1, Resolution: pkt.Nanosecond})
	frame := []byte{
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 1, 0x08, 0x06, // Ethernet, ARP
		0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 192, 0, 2, 1, 0, 0, 0, 0, 0, 0, 192, 0, 2, 2,
	}
	w.WritePacket(&pkt.Packet{Timestamp: time.Unix(1700000000, 123456789), Length: len(frame), Data: frame})
	w.WritePacket(&pkt.Packet{Timestamp: time.Unix(1700000001, 0), Length: 60, Data: frame[:14]})
	w.Close()
	return buf.Bytes()
}

// Read the records of a pcap file; each record's Data is valid until the
// next ReadPacket, and nothing is copied.
func ExampleReader() {
	r, err := pcap.NewReader(bytes.NewReader(sampleFile()))
	if err != nil {
		fmt.Println(err)
		return
	}
	h := r.Header()
	fmt.Println(h.LinkType, h.Resolution, h.SnapLen)
	for {
		rec, err := r.ReadPacket()
		if err == io.EOF {
			break
		}
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(rec.Timestamp.UTC().Format(time.RFC3339Nano), len(rec.Data), rec.Length)
	}
	// Output:
	// EN10MB ns 65535
	// 2023-11-14T22:13:20.123456789Z 42 42
	// 2023-11-14T22:13:21Z 14 60
}

// A Reader is a gopacket data source, so gopacket can decode what it reads.
func ExampleReader_gopacket() {
	r, _ := pcap.NewReader(bytes.NewReader(sampleFile()))
	src := gopacket.NewPacketSource(r, r.LinkType())
	for pkt := range src.Packets() {
		if arp, ok := pkt.Layer(layers.LayerTypeARP).(*layers.ARP); ok {
			fmt.Printf("ARP who-has %v tell %v\n", net.IP(arp.DstProtAddress), net.IP(arp.SourceProtAddress))
		}
	}
	// Output:
	// ARP who-has 192.0.2.2 tell 192.0.2.1
}
