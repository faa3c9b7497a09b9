package pcapng

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// fuzzSeeds are generated files covering every block type, both byte orders
// and odd options.
func fuzzSeeds(f *testing.F) [][]byte {
	data, _ := smallFile(f)
	seeds := [][]byte{data}
	for _, o := range []binary.ByteOrder{le, be} {
		isb := &InterfaceStatistics{Timestamp: 5}
		isb.Add(pkt.OptISBIfDrop, u64(o, 1))
		dsb := &DecryptionSecrets{SecretsType: SecretsTLSKeyLog, Data: []byte("k")}
		seeds = append(seeds, buildFile(f,
			shbBlock(o, optS(pkt.OptComment, "seed")),
			idbBlock(o, linktype.Ethernet, 16, opt(pkt.OptIfTsresol, []byte{0x80 | 10}), opt(pkt.OptIfTsoffset, u64(o, 7))),
			&SimplePacket{OriginalLength: 20, Data: frame(16, 1)},
			&Packet{InterfaceID: 0, DropsCount: 1, Timestamp: 9, OriginalLength: 3, Data: []byte{1, 2, 3}},
			epbBlock(o, 0, 77, frame(14, 2), opt(pkt.OptEPBFlags, u32(o, 3)), opt(pkt.OptEPBVerdict, append([]byte{1}, u64(o, 2)...))),
			isb, dsb,
			&Custom{PEN: 1, Data: []byte{1}}, &Custom{PEN: 2, DoNotCopy: true},
			&SystemdJournalExport{Data: []byte("__REALTIME_TIMESTAMP=1\n")},
			&UnknownBlock{BlockType: 0x77, Body: []byte{1, 2, 3, 4}},
			shbBlock(binary.BigEndian),
		))
	}
	for i, s := range seeds {
		if _, _, err := rewriteBlocks(s, ReaderOptions{}); err != nil {
			f.Fatalf("seed %d is not a valid file: %v", i, err)
		}
	}
	return seeds
}

// FuzzReader reads every block, writes each back and checks that the
// rewrite is byte-identical to the blocks read, then reads the rewrite again.
func FuzzReader(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReaderOptions(bytes.NewReader(data), ReaderOptions{BufferSize: 4096, MaxBlockSize: 1 << 20})
		if err != nil {
			return
		}
		var out bytes.Buffer
		w := NewWriter(&out)
		consumed := int64(0)
		for {
			b, err := r.Next()
			if err != nil {
				break
			}
			if err := w.WriteBlock(b); err != nil {
				t.Fatalf("writing block %d (%s) read from the input: %v", b.Info().Index, b.Type(), err)
			}
			consumed = r.Offset()
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), data[:consumed]) {
			t.Fatalf("rewrite of the %d bytes read differs", consumed)
		}
		again, _, err := rewriteBlocks(out.Bytes(), ReaderOptions{})
		if err != nil || !bytes.Equal(again, out.Bytes()) {
			t.Fatalf("re-reading the rewrite: %v", err)
		}
	})
}

// FuzzPacketReader reads packets and checks the invariants of each.
func FuzzPacketReader(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewPacketReader(bytes.NewReader(data), ReaderOptions{BufferSize: 4096, MaxBlockSize: 1 << 20})
		if err != nil {
			return
		}
		for {
			p, err := r.ReadPacket()
			if err == io.EOF {
				return
			}
			if err != nil {
				var fe *FormatError
				if !errors.As(err, &fe) {
					t.Fatalf("error %v is not a *FormatError", err)
				}
				if fe.Offset < 0 || fe.Offset > int64(len(data)) {
					t.Fatalf("error offset %d outside the %d-byte input", fe.Offset, len(data))
				}
				return
			}
			if p.Interface < 0 || p.Interface >= len(r.Interfaces()) {
				t.Fatalf("packet of interface %d, %d described", p.Interface, len(r.Interfaces()))
			}
			if len(p.Data) > len(data) {
				t.Fatalf("packet of %d bytes from a %d-byte input", len(p.Data), len(data))
			}
		}
	})
}
