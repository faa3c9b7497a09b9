package pcapgo_test

import (
	"bytes"
	"fmt"
	"log"
	"net"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/pcaptool/pcaptool/pcapgo" // was "github.com/google/gopacket/pcapgo"
)

// Example writes a pcapng file and reads it back through gopacket, exactly
// as a program written for gopacket's pcapgo does: only the import changed.
func Example() {
	var file bytes.Buffer
	w, err := pcapgo.NewNgWriter(&file, layers.LinkTypeEthernet)
	if err != nil {
		log.Fatal(err)
	}
	frame := []byte{
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 1, 0x08, 0x06, // Ethernet, ARP
		0, 1, 8, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 192, 0, 2, 1, 0, 0, 0, 0, 0, 0, 192, 0, 2, 2,
	}
	ci := gopacket.CaptureInfo{Timestamp: time.Unix(1700000000, 123456789), CaptureLength: len(frame), Length: len(frame)}
	if err := w.WritePacket(ci, frame); err != nil {
		log.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}

	r, err := pcapgo.NewNgReader(&file, pcapgo.DefaultNgReaderOptions)
	if err != nil {
		log.Fatal(err)
	}
	for p := range gopacket.NewPacketSource(r, r.LinkType()).Packets() {
		arp := p.Layer(layers.LayerTypeARP).(*layers.ARP)
		fmt.Println(p.Metadata().Timestamp.Format(time.RFC3339Nano), "who has", net.IP(arp.DstProtAddress))
	}
	// Output: 2023-11-14T22:13:20.123456789Z who has 192.0.2.2
}
