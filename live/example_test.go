package live_test

import (
	"fmt"
	"log"
	"os"
	"time"

	"github.com/pcaptool/pcaptool/live"
	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pkt"
)

// Capture 100 packets from eth0 into a pcap file.
func ExampleOpen() {
	h, err := live.Open("eth0", &live.Config{SnapLen: 65535})
	if err != nil {
		log.Fatal(err)
	}
	defer h.Close()
	f, err := os.Create("eth0.pcap")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	w, err := pcap.NewWriter(f, pcap.FileHeader{LinkType: h.Interfaces()[0].LinkType, SnapLen: uint32(h.SnapLen()), Resolution: pkt.Nanosecond, FCSLen: -1})
	if err != nil {
		log.Fatal(err)
	}
	n := 0
	for p, err := range pkt.All(h) {
		if err != nil {
			log.Fatal(err)
		}
		if err := w.WritePacket(&pkt.Packet{Timestamp: p.Timestamp, Length: p.Length, Data: p.Data}); err != nil {
			log.Fatal(err)
		}
		if n++; n == 100 {
			break
		}
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	st, _ := h.Stats()
	fmt.Printf("%d received, %d dropped by the kernel\n", st.Received, st.Dropped)
}

// Stop a capture from another goroutine after ten seconds.
func ExampleHandle_Break() {
	h, err := live.Open(live.AnyDevice, &live.Config{Immediate: true})
	if err != nil {
		log.Fatal(err)
	}
	defer h.Close()
	time.AfterFunc(10*time.Second, h.Break)
	for p, err := range pkt.All(h) { // ends when Break is called
		if err != nil {
			log.Fatal(err)
		}
		info := h.Info()
		fmt.Println(p.Timestamp.Format(time.StampNano), info.IfIndex, info.Type, p.Length)
	}
}

// List interfaces as tcpdump -D does.
func ExampleInterfaces() {
	ifs, err := live.Interfaces()
	if err != nil {
		log.Fatal(err)
	}
	for i, ifc := range ifs {
		fmt.Printf("%d.%s %v %s\n", i+1, ifc.Name, ifc.FlagWords(), ifc.LinkType)
	}
}

// Send a frame on an interface.
func ExampleOpenInjector() {
	inj, err := live.OpenInjector("eth0")
	if err != nil {
		log.Fatal(err)
	}
	defer inj.Close()
	frame := make([]byte, 60)
	copy(frame, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}) // broadcast
	frame[12], frame[13] = 0x88, 0xb5                       // local experimental EtherType
	if err := inj.WritePacketData(frame); err != nil {
		log.Fatal(err)
	}
}
