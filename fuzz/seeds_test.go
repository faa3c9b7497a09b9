package fuzz

import (
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pcapng"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

// Limits that keep one fuzz execution small whatever the input claims.
const (
	maxPacketSize = 1 << 18  // capfile.ReaderOptions.MaxPacketSize for fuzzed input
	maxPackets    = 4096     // packets read from one input
	maxDataBytes  = 16 << 20 // captured bytes read from one input
)

// packetList is a pkt.Reader over packets held in memory. Each packet
// reveals the interfaces known when it was read, as the source did.
type packetList struct {
	pkts   []*pkt.Packet
	known  []int // len(ifaces) visible when pkts[i] is returned
	ifaces []pkt.Interface
	next   int
	eof    bool
}

func (l *packetList) ReadPacket() (*pkt.Packet, error) {
	if l.next >= len(l.pkts) {
		l.eof = true
		return nil, io.EOF
	}
	l.next++
	return l.pkts[l.next-1], nil
}

func (l *packetList) Interfaces() []pkt.Interface {
	if l.next == 0 || l.eof {
		return l.ifaces
	}
	return l.ifaces[:l.known[l.next-1]]
}

// capture is what a reader returned for one input.
type capture struct {
	format      capfile.Format
	compression capfile.Compression
	list        packetList
	err         error // the error that ended reading, nil at a clean end
}

// readCapture reads up to maxPackets packets of data through capfile,
// copying them. It returns nil when capfile does not accept the input.
func readCapture(data []byte) *capture {
	r, err := capfile.NewReader(bytes.NewReader(data), "input", capfile.ReaderOptions{MaxPacketSize: maxPacketSize})
	if err != nil {
		return nil
	}
	defer r.Close()
	c := &capture{format: r.Format(), compression: r.Compression()}
	total := 0
	for len(c.list.pkts) < maxPackets && total < maxDataBytes {
		p, err := r.ReadPacket()
		if err != nil {
			if err != io.EOF {
				c.err = err
			}
			break
		}
		total += len(p.Data)
		c.list.pkts = append(c.list.pkts, p.Clone())
		c.list.known = append(c.list.known, len(r.Interfaces()))
	}
	for _, ifc := range r.Interfaces() {
		c.list.ifaces = append(c.list.ifaces, ifc.Clone())
	}
	return c
}

// writeFile writes src to dir/name through capfile and returns the file's
// bytes.
func writeFile(tb testing.TB, dir, name string, src pkt.Reader, opts capfile.WriterOptions) []byte {
	tb.Helper()
	path := filepath.Join(dir, name)
	w, err := capfile.Create(path, opts)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := pkt.Copy(w, src); err != nil {
		w.Abort()
		tb.Fatalf("%s: %v", name, err)
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// synthPackets returns n generated Ethernet packets cut to 96 bytes.
func synthPackets(seed uint64, n int, res pkt.Resolution, disorder int) pkt.Reader {
	return synth.New(synth.Config{Packets: n, Seed: seed, SnapLen: 96, Resolution: res, Disorder: disorder,
		MeanGap: 3 * time.Millisecond})
}

// mixedPackets has three interfaces of different link types, resolutions
// and options, one described after the first packet, and packets with
// options, a zero-length packet and one cut short by a snap length.
func mixedPackets() pkt.Reader {
	ifaces := []pkt.Interface{
		{LinkType: linktype.Ethernet, SnapLen: 128, Resolution: pkt.Nanosecond, FCSLen: -1,
			Options: []pkt.Option{{Code: pkt.OptIfName, Value: []byte("eth0")}}},
		{LinkType: linktype.Raw, SnapLen: 0, Resolution: pkt.Microsecond, FCSLen: 4},
		{LinkType: linktype.Null, SnapLen: 65535, Resolution: 0x80 | 20, TimestampOffset: 3600, FCSLen: -1,
			Options: []pkt.Option{{Code: pkt.OptIfDescription, Value: []byte("loopback")}}},
	}
	t0 := time.Date(2025, 3, 1, 12, 0, 0, 123456789, time.UTC)
	ipv4 := []byte{0x45, 0, 0, 20, 0, 1, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2}
	eth := append([]byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 8, 0}, ipv4...)
	null := append([]byte{2, 0, 0, 0}, ipv4...)
	l := &packetList{ifaces: ifaces}
	add := func(p *pkt.Packet, known int) {
		l.pkts = append(l.pkts, p)
		l.known = append(l.known, known)
	}
	add(&pkt.Packet{Timestamp: t0, Length: len(eth), Data: eth,
		Options: []pkt.Option{{Code: pkt.OptComment, Value: []byte("first")}}}, 2)
	add(&pkt.Packet{Timestamp: t0.Add(time.Microsecond), Length: 1500, Data: ipv4, Interface: 1,
		Options: []pkt.Option{{Code: pkt.OptEPBFlags, Value: []byte{1, 0, 0, 0}}}}, 2)
	add(&pkt.Packet{Timestamp: t0.Add(-time.Second), Length: 0, Data: nil}, 2)
	// 2^-20 s units: a timestamp such a file can hold.
	add(&pkt.Packet{Timestamp: time.Unix(1740830400, 953674), Length: len(null), Data: null, Interface: 2}, 3)
	return l
}

// blockFile is a pcapng file written block by block: a simple packet
// block, name resolution, statistics and a second section in the other byte
// order, which the packet-level writers never produce.
func blockFile(tb testing.TB, order binary.ByteOrder) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w := pcapng.NewWriter(&buf)
	other := binary.ByteOrder(binary.BigEndian)
	if order == binary.BigEndian {
		other = binary.LittleEndian
	}
	for i, o := range []binary.ByteOrder{order, other} {
		shb := &pcapng.SectionHeader{VersionMajor: 1, SectionLength: -1}
		shb.ByteOrder = o
		shb.AddString(pkt.OptComment, "seed")
		idb := &pcapng.InterfaceDescription{LinkType: linktype.Ethernet, SnapLen: 64}
		idb.ByteOrder = o
		idb.Add(pkt.OptIfTsresol, []byte{3})
		epb := &pcapng.EnhancedPacket{Timestamp: 1_700_000_000_000 + uint64(i), OriginalLength: 70, Data: make([]byte, 64)}
		epb.ByteOrder = o
		epb.AddString(pkt.OptComment, "epb")
		spb := &pcapng.SimplePacket{OriginalLength: 20, Data: make([]byte, 20)}
		spb.ByteOrder = o
		nrb := &pcapng.NameResolution{EndOfRecords: true,
			Records: []pcapng.NameRecord{{Type: pcapng.RecordIPv4, Value: []byte("\x0a\x00\x00\x01host\x00")}}}
		nrb.ByteOrder = o
		isb := &pcapng.InterfaceStatistics{Timestamp: 1_700_000_000_500}
		isb.ByteOrder = o
		for _, b := range []pcapng.Block{shb, idb, epb, spb, nrb, isb} {
			if err := w.WriteBlock(b); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// seedFiles returns small valid captures of every kind capfile reads:
// pcap in both resolutions and byte orders, pcapng from the packet writer
// and from the block writer, and compressed copies.
func seedFiles(tb testing.TB) [][]byte {
	tb.Helper()
	dir, err := os.MkdirTemp("", "pcaptool-fuzz-seeds-")
	if err != nil {
		tb.Fatal(err)
	}
	defer os.RemoveAll(dir)
	pcapUS := capfile.WriterOptions{Format: capfile.Pcap, Resolution: pkt.Microsecond}
	pcapNS := capfile.WriterOptions{Format: capfile.Pcap, Resolution: pkt.Nanosecond, ByteOrder: binary.BigEndian}
	ng := capfile.WriterOptions{Format: capfile.Pcapng}
	ngBE := capfile.WriterOptions{Format: capfile.Pcapng, ByteOrder: binary.BigEndian}
	seeds := [][]byte{
		writeFile(tb, dir, "us.pcap", synthPackets(1, 6, pkt.Microsecond, 0), pcapUS),
		writeFile(tb, dir, "ns.pcap", synthPackets(2, 6, pkt.Nanosecond, 30), pcapNS),
		writeFile(tb, dir, "ns.pcapng", synthPackets(3, 6, pkt.Nanosecond, 30), ng),
		writeFile(tb, dir, "mixed.pcapng", mixedPackets(), ngBE),
		writeFile(tb, dir, "empty.pcap", &packetList{}, pcapUS),
		blockFile(tb, binary.LittleEndian),
		blockFile(tb, binary.BigEndian),
	}
	for _, c := range []capfile.Compression{capfile.Gzip, capfile.Zstd, capfile.LZ4} {
		opts := ng
		opts.Compression = c
		seeds = append(seeds, writeFile(tb, dir, "c.pcapng", synthPackets(4, 3, pkt.Microsecond, 0), opts))
		opts = pcapUS
		opts.Compression = c
		seeds = append(seeds, writeFile(tb, dir, "c.pcap", synthPackets(5, 3, pkt.Microsecond, 0), opts))
	}
	return seeds
}
