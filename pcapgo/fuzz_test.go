package pcapgo_test

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/google/gopacket"

	"github.com/pcaptool/pcaptool/pcapgo"
	"github.com/pcaptool/pcaptool/pcapng"
)

// drain reads src to its end or first error, checking what every packet
// claims; it must not panic or loop.
func drain(t *testing.T, src interface {
	ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error)
}, limit int) {
	for range limit {
		data, ci, err := src.ZeroCopyReadPacketData()
		if err != nil {
			return
		}
		if ci.CaptureLength != len(data) {
			t.Fatalf("capture length %d for %d bytes", ci.CaptureLength, len(data))
		}
	}
}

// FuzzNgReader feeds arbitrary bytes to NgReader with every option set.
func FuzzNgReader(f *testing.F) {
	le := binary.LittleEndian
	f.Add(pcapngSeed(f, shb(le), idb(1, 0), epb(0, 1, 1, 2, 3)))
	f.Add(pcapngSeed(f, shb(le), shb(binary.BigEndian), idb(1, 0x80|20), idb(113, 0), epb(1, 1<<40, 4),
		&pcapng.SimplePacket{OriginalLength: 9, Data: []byte{5}}, &pcapng.InterfaceStatistics{InterfaceID: 1}))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, opts := range []pcapgo.NgReaderOptions{
			pcapgo.DefaultNgReaderOptions,
			{WantMixedLinkType: true, SkipUnknownVersion: true, SectionEndCallback: func([]pcapgo.NgInterface, pcapgo.NgSectionInfo) {}},
			{ErrorOnMismatchingLinkType: true, StatisticsCallback: func(int, pcapgo.NgInterfaceStatistics) {}},
		} {
			r, err := pcapgo.NewNgReader(bytes.NewReader(data), opts)
			if err != nil {
				continue
			}
			r.Resolution()
			drain(t, r, len(data))
		}
	})
}

// FuzzReaders feeds arbitrary bytes to Reader and SnoopReader.
func FuzzReaders(f *testing.F) {
	f.Add([]byte("snoop\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x04" + "\x00\x00\x00\x02\x00\x00\x00\x01\x00\x00\x00\x1c\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x02\x07\x00\x00\x00"))
	f.Add([]byte("\xd4\xc3\xb2\xa1\x02\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x04\x00\x00\x00\x01\x00\x00\x00" +
		"\x01\x00\x00\x00\x02\x00\x00\x00\x08\x00\x00\x00\x08\x00\x00\x00abcdefgh"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if r, err := pcapgo.NewReader(bytes.NewReader(data)); err == nil {
			drain(t, r, len(data))
		}
		if r, err := pcapgo.NewSnoopReader(bytes.NewReader(data)); err == nil {
			r.LinkType()
			drain(t, r, len(data))
		}
	})
}

func pcapngSeed(f *testing.F, blocks ...pcapng.Block) []byte {
	var buf bytes.Buffer
	w := pcapng.NewWriter(&buf)
	for _, b := range blocks {
		if err := w.WriteBlock(b); err != nil {
			f.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		f.Fatal(err)
	}
	return buf.Bytes()
}
