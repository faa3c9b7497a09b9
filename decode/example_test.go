package decode_test

import (
	"os"
	"time"

	"github.com/pcaptool/pcaptool/decode"
	"github.com/pcaptool/pcaptool/synth"
)

// Print packets as tcpdump -n -tt would.
func ExamplePrinter() {
	src := synth.New(synth.Config{Packets: 2, Seed: 3, IPv6Percent: -1})
	pr := decode.NewPrinter(os.Stdout, decode.Options{Time: decode.TimeEpoch, Location: time.UTC})
	for range 2 {
		p, _ := src.ReadPacket()
		pr.Print(p, src.Interfaces()[0].LinkType)
	}
	pr.Flush()
	// Output:
	// 1704067200.000002 IP 10.0.140.2.53088 > 192.0.2.43.443: Flags [P.], seq 1153655584:1153657034, ack 0, win 65535, length 1450
	// 1704067200.000007 IP 10.1.185.2.49629 > 192.0.2.138.6379: Flags [P.], seq 1038888129:1038888164, ack 0, win 65535, length 35
}

// Dump bytes as tcpdump -X does.
func ExampleAppendHexASCII() {
	os.Stdout.Write(decode.AppendHexASCII(nil, []byte("GET / HTTP/1.1\r\nHost: example.com\r\n")))
	// Output:
	//	0x0000:  4745 5420 2f20 4854 5450 2f31 2e31 0d0a  GET./.HTTP/1.1..
	//	0x0010:  486f 7374 3a20 6578 616d 706c 652e 636f  Host:.example.co
	//	0x0020:  6d0d 0a                                  m..
}
