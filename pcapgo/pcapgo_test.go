package pcapgo_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pcapgo"
	"github.com/pcaptool/pcaptool/pcapng"
	"github.com/pcaptool/pcaptool/pkt"
)

// packet is what a test expects to read.
type packet struct {
	data  []byte
	ts    time.Time // zero: no timestamp
	iface int
}

// readAll reads every packet of src, zero-copy or not.
func readAll(t *testing.T, src interface {
	ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error)
}, zeroCopy bool) []packet {
	t.Helper()
	var got []packet
	for {
		read := src.ReadPacketData
		if zeroCopy {
			read = src.ZeroCopyReadPacketData
		}
		data, ci, err := read()
		if err == io.EOF {
			return got
		}
		if err != nil {
			t.Fatalf("packet %d: %v", len(got), err)
		}
		if ci.CaptureLength != len(data) {
			t.Fatalf("packet %d: capture length %d for %d bytes", len(got), ci.CaptureLength, len(data))
		}
		got = append(got, packet{bytes.Clone(data), ci.Timestamp, ci.InterfaceIndex})
	}
}

func samePackets(t *testing.T, got, want []packet) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d packets, want %d", len(got), len(want))
	}
	for i := range got {
		g, w := got[i], want[i]
		if !bytes.Equal(g.data, w.data) || !g.ts.Equal(w.ts) || g.iface != w.iface {
			t.Errorf("packet %d: got %x at %v on %d, want %x at %v on %d", i, g.data, g.ts, g.iface, w.data, w.ts, w.iface)
		}
	}
}

// pcapngFile writes blocks as a pcapng file.
func pcapngFile(t *testing.T, blocks ...pcapng.Block) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := pcapng.NewWriter(&buf)
	for i, b := range blocks {
		if err := w.WriteBlock(b); err != nil {
			t.Fatalf("block %d: %v", i, err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func shb(order binary.ByteOrder) *pcapng.SectionHeader {
	return &pcapng.SectionHeader{VersionMajor: 1, SectionLength: -1, BlockInfo: pcapng.BlockInfo{ByteOrder: order}}
}

func idb(lt linktype.LinkType, tsresol byte) *pcapng.InterfaceDescription {
	b := &pcapng.InterfaceDescription{LinkType: lt}
	if tsresol != 0 {
		b.Add(pkt.OptIfTsresol, []byte{tsresol})
	}
	return b
}

func epb(iface uint32, units uint64, data ...byte) *pcapng.EnhancedPacket {
	return &pcapng.EnhancedPacket{InterfaceID: iface, Timestamp: units, OriginalLength: uint32(len(data)), Data: data}
}

// TestNgReaderReadsWhatGopacketRefuses covers files gopacket's pcapgo
// cannot read, or reads wrong.
func TestNgReaderReadsWhatGopacketRefuses(t *testing.T) {
	be, le := binary.BigEndian, binary.LittleEndian
	sec := func(s, ns int64) time.Time { return time.Unix(s, ns).UTC() }
	tests := []struct {
		name   string
		blocks []pcapng.Block
		want   []packet
	}{
		{"empty file", []pcapng.Block{shb(le)}, nil},
		{"empty first section", []pcapng.Block{shb(le), shb(le), idb(1, 0), epb(0, 5_000_001, 1)},
			[]packet{{[]byte{1}, sec(5, 1000), 0}}},
		{"sections of both byte orders", []pcapng.Block{
			shb(le), idb(1, 9), epb(0, 1_500_000_000, 1),
			shb(be), idb(1, 0), idb(1, 3), epb(1, 2_001, 2), epb(0, 7, 3),
		}, []packet{{[]byte{1}, sec(1, 5e8), 0}, {[]byte{2}, sec(2, 1e6), 1}, {[]byte{3}, sec(0, 7000), 0}}},
		{"obsolete packet block", []pcapng.Block{shb(be), idb(1, 0),
			&pcapng.Packet{InterfaceID: 0, DropsCount: 0xffff, Timestamp: 3_000_000, OriginalLength: 4, Data: []byte{4, 4}}},
			[]packet{{[]byte{4, 4}, sec(3, 0), 0}}},
		{"binary resolution 2^-30, exact to the nanosecond", []pcapng.Block{shb(le), idb(1, 0x80|30), epb(0, 3<<30|1<<29|1, 5)},
			[]packet{{[]byte{5}, sec(3, 500_000_000), 0}}},
		{"statistics of an undescribed interface", []pcapng.Block{shb(le), idb(1, 0),
			&pcapng.InterfaceStatistics{InterfaceID: 7}, epb(0, 1, 6)},
			[]packet{{[]byte{6}, sec(0, 1000), 0}}},
		{"simple packet block", []pcapng.Block{shb(le), idb(1, 0), &pcapng.SimplePacket{OriginalLength: 2, Data: []byte{7, 7}}},
			[]packet{{[]byte{7, 7}, time.Time{}, 0}}},
	}
	for _, tc := range tests {
		data := pcapngFile(t, tc.blocks...)
		for _, zeroCopy := range []bool{false, true} {
			t.Run(tc.name, func(t *testing.T) {
				r, err := pcapgo.NewNgReader(bytes.NewReader(data), pcapgo.DefaultNgReaderOptions)
				if err != nil {
					t.Fatal(err)
				}
				samePackets(t, readAll(t, r, zeroCopy), tc.want)
			})
		}
	}
}

// TestNgReaderDamage checks that a damaged file gives the packets before
// the damage, then an error naming the offset.
func TestNgReaderDamage(t *testing.T) {
	data := pcapngFile(t, shb(binary.LittleEndian), idb(1, 0), epb(0, 1, 1), epb(0, 2, 2))
	cut := data[:len(data)-3]
	r, err := pcapgo.NewNgReader(bytes.NewReader(cut), pcapgo.DefaultNgReaderOptions)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.ReadPacketData(); err != nil {
		t.Fatal(err)
	}
	_, _, err = r.ReadPacketData()
	var fe *pcapng.FormatError
	if !errors.As(err, &fe) || !errors.Is(err, pcapng.ErrTruncated) || fe.Offset != int64(len(data)-36) {
		t.Fatalf("error %v, want a truncation at offset %d", err, len(data)-36)
	}
}

// TestReaderRecordsLongerThanSnaplen reads a pcap file whose records
// exceed the header's snap length, as tcpdump and Wireshark do; gopacket's
// pcapgo fails on them.
func TestReaderRecordsLongerThanSnaplen(t *testing.T) {
	var buf bytes.Buffer
	w := pcapgo.NewWriterNanos(&buf)
	if err := w.WriteFileHeader(4, layers.LinkTypeEthernet); err != nil {
		t.Fatal(err)
	}
	want := []packet{{bytes.Repeat([]byte{1}, 100), time.Unix(10, 5).UTC(), 0}, {[]byte{2}, time.Unix(11, 0).UTC(), 0}}
	for _, p := range want {
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: p.ts, CaptureLength: len(p.data), Length: len(p.data)}, p.data); err != nil {
			t.Fatal(err)
		}
	}
	r, err := pcapgo.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if r.Snaplen() != 4 || r.LinkType() != layers.LinkTypeEthernet || r.Resolution() != gopacket.TimestampResolutionNanosecond {
		t.Errorf("snaplen %d, link type %v, resolution %v", r.Snaplen(), r.LinkType(), r.Resolution())
	}
	samePackets(t, readAll(t, r, true), want)
}

// TestWriterAppends checks that a Writer without WriteFileHeader adds
// records to an existing file.
func TestWriterAppends(t *testing.T) {
	var buf bytes.Buffer
	first := pcapgo.NewWriter(&buf)
	ts := time.Unix(100, 123_000).UTC()
	ci := gopacket.CaptureInfo{Timestamp: ts, CaptureLength: 2, Length: 3}
	if err := first.WriteFileHeader(65535, layers.LinkTypeRaw); err != nil {
		t.Fatal(err)
	}
	if err := first.WritePacket(ci, []byte{1, 2}); err != nil {
		t.Fatal(err)
	}
	if err := pcapgo.NewWriter(&buf).WritePacket(ci, []byte{3, 4}); err != nil {
		t.Fatal(err)
	}
	r, err := pcapgo.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	samePackets(t, readAll(t, r, false), []packet{{[]byte{1, 2}, ts, 0}, {[]byte{3, 4}, ts, 0}})
}

// TestNgWriterRoundTrip writes packets of two interfaces and statistics
// and reads them back, with the section's interfaces at the end.
func TestNgWriterRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w, err := pcapgo.NewNgWriter(&buf, layers.LinkTypeEthernet)
	if err != nil {
		t.Fatal(err)
	}
	id, err := w.AddInterface(pcapgo.NgInterface{Name: "lo", LinkType: layers.LinkTypeNull, Filter: "udp", SnapLength: 9})
	if err != nil || id != 1 {
		t.Fatalf("AddInterface: %d, %v", id, err)
	}
	want := []packet{{[]byte{1}, time.Unix(1, 1).UTC(), 0}, {[]byte{2, 2}, time.Unix(2, 2).UTC(), 1}}
	for _, p := range want {
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: p.ts, CaptureLength: len(p.data), Length: 50, InterfaceIndex: p.iface}, p.data); err != nil {
			t.Fatal(err)
		}
	}
	stats := pcapgo.NgInterfaceStatistics{LastUpdate: time.Unix(3, 0).UTC(), PacketsReceived: 2, PacketsDropped: pcapgo.NgNoValue64}
	if err := w.WriteInterfaceStats(1, stats); err != nil {
		t.Fatal(err)
	}
	if err := w.WritePacket(gopacket.CaptureInfo{InterfaceIndex: 2}, nil); err == nil {
		t.Error("a packet of an interface never added was written")
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	r, err := pcapgo.NewNgReader(&buf, pcapgo.NgReaderOptions{WantMixedLinkType: true})
	if err != nil {
		t.Fatal(err)
	}
	samePackets(t, readAll(t, r, false), want)
	lo, err := r.Interface(1)
	if err != nil {
		t.Fatal(err)
	}
	if lo.Name != "lo" || lo.Filter != "udp" || lo.SnapLength != 9 || lo.LinkType != layers.LinkTypeNull || lo.Statistics != stats {
		t.Errorf("interface 1 read back as %+v", lo)
	}
	if si := r.SectionInfo(); si != pcapgo.DefaultNgWriterOptions.SectionInfo {
		t.Errorf("section %+v, want %+v", si, pcapgo.DefaultNgWriterOptions.SectionInfo)
	}
}

// TestNgReaderZeroCopyAllocations checks that ZeroCopyReadPacketData does
// not allocate per packet.
func TestNgReaderZeroCopyAllocations(t *testing.T) {
	blocks := []pcapng.Block{shb(binary.LittleEndian), idb(1, 0)}
	for i := range 1000 {
		blocks = append(blocks, epb(0, uint64(i), make([]byte, 60)...))
	}
	r, err := pcapgo.NewNgReader(bytes.NewReader(pcapngFile(t, blocks...)), pcapgo.DefaultNgReaderOptions)
	if err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(500, func() {
		if _, _, err := r.ZeroCopyReadPacketData(); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("%v allocations per packet", n)
	}
}

// TestSnoopPadding reads a snoop record whose captured part is shorter than
// the packet and padded: gopacket's pcapgo measures the padding from the
// original length and loses its place.
func TestSnoopPadding(t *testing.T) {
	file := []byte("snoop\x00\x00\x00")
	file = binary.BigEndian.AppendUint32(file, 2)
	file = binary.BigEndian.AppendUint32(file, 4) // Ethernet
	for i, incl := range []int{5, 3} {
		file = binary.BigEndian.AppendUint32(file, 60)                   // original length
		file = binary.BigEndian.AppendUint32(file, uint32(incl))         // included length
		file = binary.BigEndian.AppendUint32(file, uint32(24+incl+3)&^3) // record length
		file = binary.BigEndian.AppendUint32(file, 0)                    // drops
		file = binary.BigEndian.AppendUint32(file, uint32(10+i))         // seconds
		file = binary.BigEndian.AppendUint32(file, 250)                  // microseconds
		file = append(file, bytes.Repeat([]byte{byte(i + 1)}, incl)...)
		file = append(file, make([]byte, (4-incl%4)%4)...)
	}
	r, err := pcapgo.NewSnoopReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	samePackets(t, readAll(t, r, false), []packet{
		{[]byte{1, 1, 1, 1, 1}, time.Unix(10, 250_000), 0},
		{[]byte{2, 2, 2}, time.Unix(11, 250_000), 0},
	})
}
