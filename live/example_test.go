package live_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/signal"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"golang.org/x/net/bpf"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/filter"
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
		// Link says which interface the packet crossed, and how.
		fmt.Println(p.Timestamp.Format(time.StampNano), p.Link.IfIndex, p.Link.Type, p.Length)
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

// Capture to rotating pcapng files, as tcpdump -w 'eth0-%Y%m%d-%H%M%S.pcapng'
// -G 60 -W 10 'tcp port 443' does: a new file every minute, named from its
// start time, for ten minutes or until Ctrl-C. Every file ends with the
// capture's statistics. For a ring of files by size instead (tcpdump -C -W),
// set FileSize and FileCount.
func ExampleSession() {
	ifi, err := live.InterfaceByName("eth0")
	if err != nil {
		log.Fatal(err)
	}
	prog, err := filter.Compile("tcp port 443", ifi.LinkType, pkt.DefaultSnapLen)
	if err != nil {
		log.Fatal(err)
	}
	raw, err := bpf.Assemble(prog)
	if err != nil {
		log.Fatal(err)
	}
	h, err := live.Open("eth0", &live.Config{Filter: raw, FilterText: "tcp port 443"})
	if err != nil {
		log.Fatal(err)
	}
	defer h.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	s := &live.Session{
		Handle: h,
		Output: live.Output{
			Name:        "eth0-%Y%m%d-%H%M%S.pcapng",
			Format:      capfile.Pcapng,
			RotateEvery: time.Minute,
			FileCount:   10,
			FileDone:    func(name string) { log.Printf("%s complete", name) },
		},
	}
	if err := s.Run(ctx); err != nil { // returns once the files are closed
		log.Fatal(err)
	}
	st, _ := h.Stats()
	fmt.Printf("%d packets captured, %d dropped by the kernel\n", s.Captured(), st.Dropped)
}

// Decode live packets with gopacket, changing the filter while capturing.
func ExampleHandle_SetBPF() {
	h, err := live.Open("eth0", &live.Config{Immediate: true})
	if err != nil {
		log.Fatal(err)
	}
	defer h.Close()
	src := gopacket.NewPacketSource(h, layers.LinkTypeEthernet)
	for p := range src.Packets() {
		if p.Layer(layers.LayerTypeDNS) != nil {
			// Seen DNS: from now on, only DNS.
			prog, _ := filter.Compile("udp port 53", h.Interfaces()[0].LinkType, pkt.DefaultSnapLen)
			raw, _ := bpf.Assemble(prog)
			if err := h.SetBPF(raw); err != nil {
				log.Fatal(err)
			}
		}
		fmt.Println(p)
	}
}
