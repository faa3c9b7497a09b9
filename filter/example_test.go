package filter_test

import (
	"fmt"
	"time"

	"github.com/pcaptool/pcaptool/filter"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

func ExampleCompile() {
	prog, err := filter.Compile("ip and udp", linktype.LinuxSLL2, pkt.DefaultSnapLen)
	if err != nil {
		fmt.Println(err)
		return
	}
	s, _ := filter.Dump(prog, filter.DumpText)
	fmt.Print(s)
	// Output:
	// (000) ldh      [0]
	// (001) jeq      #0x800           jt 2	jf 5
	// (002) ldb      [29]
	// (003) jeq      #0x11            jt 4	jf 5
	// (004) ret      #262144
	// (005) ret      #0
}

func ExampleParse() {
	_, err := filter.Parse("host 10.0.0.1 and")
	fmt.Println(err)
	// Output:
	// filter: syntax error: unexpected end of expression at offset 17
}

func ExampleNewStreamFilter() {
	tcp := []byte{0x45, 0, 0, 40, 0, 0, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
		0x30, 0x39, 0, 80, 0, 0, 0, 0, 0, 0, 0, 0, 0x50, 0x02, 0, 0, 0, 0, 0, 0}
	udp := []byte{0x45, 0, 0, 28, 0, 0, 0x40, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
		0, 53, 0, 53, 0, 8, 0, 0}
	var pkts []*pkt.Packet
	for _, d := range [][]byte{tcp, udp, tcp} {
		pkts = append(pkts, &pkt.Packet{Timestamp: time.Unix(0, 0), Length: len(d), Data: d})
	}
	src := pkt.FromSlice([]pkt.Interface{{LinkType: linktype.IPv4}}, pkts)
	f, err := filter.NewStreamFilter(src, "tcp dst port 80")
	if err != nil {
		fmt.Println(err)
		return
	}
	for p, err := range pkt.All(f) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("kept a packet of", p.Length, "bytes")
	}
	fmt.Println(f.Kept(), "of", f.Read())
	// Output:
	// kept a packet of 40 bytes
	// kept a packet of 40 bytes
	// 2 of 3
}
