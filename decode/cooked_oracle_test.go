package decode_test

import (
	"encoding/binary"
	"testing"

	"github.com/pcaptool/pcaptool/decode"
	"github.com/pcaptool/pcaptool/internal/testenv"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

// cookedReader turns the Ethernet frames of r into Linux "cooked" frames
// (LINUX_SLL or LINUX_SLL2), as a capture on the "any" device records them:
// the packet type cycles through host, broadcast, multicast, other host and
// outgoing so that every direction word is printed.
type cookedReader struct {
	r   pkt.Reader
	lt  linktype.LinkType
	n   int
	buf []byte
	pkt pkt.Packet
}

func (c *cookedReader) Interfaces() []pkt.Interface {
	return []pkt.Interface{{LinkType: c.lt, SnapLen: 262144}}
}

func (c *cookedReader) ReadPacket() (*pkt.Packet, error) {
	p, err := c.r.ReadPacket()
	if err != nil {
		return nil, err
	}
	eth := p.Data
	pktType := uint8(c.n % 5)
	c.n++
	var hdr []byte
	if c.lt == linktype.LinuxSLL2 {
		hdr = make([]byte, decode.LinuxSLL2HeaderLen)
		copy(hdr[0:2], eth[12:14])                           // protocol
		binary.BigEndian.PutUint32(hdr[4:], uint32(c.n%3+2)) // interface index
		binary.BigEndian.PutUint16(hdr[8:], 1)               // ARPHRD_ETHER
		hdr[10] = pktType
		hdr[11] = 6
		copy(hdr[12:18], eth[6:12])
	} else {
		hdr = make([]byte, 16)
		binary.BigEndian.PutUint16(hdr[0:], uint16(pktType))
		binary.BigEndian.PutUint16(hdr[2:], 1) // ARPHRD_ETHER
		binary.BigEndian.PutUint16(hdr[4:], 6)
		copy(hdr[6:12], eth[6:12])
		copy(hdr[14:16], eth[12:14])
	}
	c.buf = append(append(c.buf[:0], hdr...), eth[14:]...)
	c.pkt = pkt.Packet{Timestamp: p.Timestamp, Length: p.Length - 14 + len(hdr), Data: c.buf}
	return &c.pkt, nil
}

// TestPrintCookedMatchesTcpdump compares print with `tcpdump -n -tt`, `-v`
// and `-xx` on LINUX_SLL and LINUX_SLL2 captures, whose lines carry the
// direction and the interface.
func TestPrintCookedMatchesTcpdump(t *testing.T) {
	tcpdump := testenv.RequireTool(t, "tcpdump")
	for _, lt := range []linktype.LinkType{linktype.LinuxSLL, linktype.LinuxSLL2} {
		name := writePcap(t, &cookedReader{r: synth.New(synth.Config{Packets: 500, Seed: 11}), lt: lt}, lt, false)
		for _, tc := range []struct {
			flag string
			opts decode.Options
		}{
			{"-tt", decode.Options{Time: decode.TimeEpoch}},
			{"-v", decode.Options{Time: decode.TimeEpoch, Verbose: 1}},
			{"-xx", decode.Options{Time: decode.TimeEpoch, Hex: decode.Hex, HexLink: true}},
		} {
			t.Run(lt.Name()+tc.flag, func(t *testing.T) { comparePrint(t, tcpdump, name, tc.flag, tc.opts) })
		}
	}
}
