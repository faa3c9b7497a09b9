package pcapng

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/internal/testenv"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

var (
	le = binary.LittleEndian
	be = binary.BigEndian
)

// buildFile encodes blocks with the block Writer.
func buildFile(t testing.TB, blocks ...Block) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := NewWriter(&buf)
	for i, b := range blocks {
		if err := w.WriteBlock(b); err != nil {
			t.Fatalf("block %d (%s): %v", i, b.Type(), err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func shbBlock(o binary.ByteOrder, opts ...Option) *SectionHeader {
	b := &SectionHeader{VersionMajor: 1, SectionLength: -1}
	b.ByteOrder = o
	b.Options = opts
	b.EndOfOptions = len(opts) > 0
	return b
}

func idbBlock(o binary.ByteOrder, lt linktype.LinkType, snap uint32, opts ...Option) *InterfaceDescription {
	b := &InterfaceDescription{LinkType: lt, SnapLen: snap}
	b.ByteOrder = o
	b.Options = opts
	b.EndOfOptions = len(opts) > 0
	return b
}

func epbBlock(o binary.ByteOrder, id uint32, ts uint64, data []byte, opts ...Option) *EnhancedPacket {
	b := &EnhancedPacket{InterfaceID: id, Timestamp: ts, OriginalLength: uint32(len(data)), Data: data}
	b.ByteOrder = o
	b.Options = opts
	b.EndOfOptions = len(opts) > 0
	return b
}

func opt(code pkt.OptionCode, v []byte) Option  { return Option{Code: code, Value: v} }
func optS(code pkt.OptionCode, s string) Option { return opt(code, []byte(s)) }
func u32(o binary.ByteOrder, v uint32) []byte   { return appendOrder(o).AppendUint32(nil, v) }
func u64(o binary.ByteOrder, v uint64) []byte   { return appendOrder(o).AppendUint64(nil, v) }

// frame returns an Ethernet/IPv4 frame of n bytes whose contents depend on seed.
func frame(n int, seed byte) []byte {
	b := make([]byte, n)
	copy(b, []byte{0, 1, 2, 3, 4, seed, 0, 6, 7, 8, 9, 10, 0x08, 0x00})
	for i := 14; i < n; i++ {
		b[i] = byte(i) ^ seed
	}
	return b
}

// checkBlockRoundTrip reads data block by block, writes it back and checks
// the bytes are identical; it returns the block types.
func checkBlockRoundTrip(t *testing.T, data []byte) []BlockType {
	t.Helper()
	out, types, err := rewriteBlocks(data, ReaderOptions{})
	if err != nil {
		t.Fatalf("reading generated file: %v", err)
	}
	if !bytes.Equal(out, data) {
		t.Fatalf("block round trip differs (%d bytes in, %d out)", len(data), len(out))
	}
	return types
}

func readPackets(t *testing.T, data []byte) (*PacketReader, []*pkt.Packet) {
	t.Helper()
	r, err := NewPacketReader(bytes.NewReader(data), ReaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var pkts []*pkt.Packet
	for p, err := range pkt.All(r) {
		if err != nil {
			t.Fatal(err)
		}
		pkts = append(pkts, p.Clone())
	}
	return r, pkts
}

// tsharkCheck writes data to a file and compares our packet-level reading
// with tshark's, when tshark is installed.
func tsharkCheck(t *testing.T, data []byte) {
	t.Helper()
	if testing.Short() {
		return
	}
	testenv.RequireTool(t, "tshark")
	path := filepath.Join(t.TempDir(), "gen.pcapng")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	compareWithTshark(t, path, data)
}

// generatedCase is a file built from blocks and what reading it must give.
type generatedCase struct {
	name   string
	blocks []Block
	check  func(t *testing.T, r *PacketReader, pkts []*pkt.Packet)
}

// generatedBase is the time of the generated packets, in microseconds.
const generatedBase = uint64(1_700_000_000_123_456)

// generatedPacketCases are files that test packet blocks: byte orders,
// resolutions, simple packets.
func generatedPacketCases() []generatedCase {
	base := generatedBase
	return []generatedCase{
		{
			name: "big-endian section after little-endian sections",
			blocks: []Block{
				shbBlock(le, optS(pkt.OptSHBUserAppl, "gen le")),
				idbBlock(le, linktype.Ethernet, 0, optS(pkt.OptIfName, "eth0"), opt(pkt.OptIfSpeed, u64(le, 1e9))),
				epbBlock(le, 0, base, frame(60, 1), opt(pkt.OptEPBFlags, u32(le, 1))),
				shbBlock(le),
				idbBlock(le, linktype.Ethernet, 0),
				epbBlock(le, 0, base+1, frame(61, 2)),
				shbBlock(be, optS(pkt.OptSHBOS, "big")),
				idbBlock(be, linktype.Ethernet, 0, optS(pkt.OptIfName, "be0"), opt(pkt.OptIfSpeed, u64(be, 1e9))),
				idbBlock(be, linktype.Ethernet, 128),
				epbBlock(be, 1, base+2, frame(62, 3), opt(pkt.OptEPBFlags, u32(be, 1)), opt(pkt.OptEPBDropCount, u64(be, 7))),
				epbBlock(be, 0, base+3, frame(63, 4)),
			},
			check: func(t *testing.T, r *PacketReader, pkts []*pkt.Packet) {
				secs := r.Sections()
				if len(secs) != 3 || secs[2].Header.ByteOrder != be || secs[2].Header.OS() != "big" || secs[2].FirstInterface != 2 {
					t.Fatalf("sections %+v", secs)
				}
				if got := [4]int{pkts[0].Interface, pkts[1].Interface, pkts[2].Interface, pkts[3].Interface}; got != [4]int{0, 1, 3, 2} {
					t.Errorf("global interface indexes %v, want [0 1 3 2]", got)
				}
				ifs := r.Interfaces()
				if !bytes.Equal(pkt.FindOption(ifs[2].Options, pkt.OptIfSpeed), u64(le, 1e9)) || ifs[2].Name() != "be0" {
					t.Errorf("big-endian if_speed not converted to little-endian: %v", ifs[2].Options)
				}
				if !bytes.Equal(pkt.FindOption(pkts[2].Options, pkt.OptEPBFlags), u32(le, 1)) ||
					!bytes.Equal(pkt.FindOption(pkts[2].Options, pkt.OptEPBDropCount), u64(le, 7)) {
					t.Errorf("big-endian packet options not converted: %v", pkts[2].Options)
				}
			},
		},
		{
			name: "base-2 resolution and if_tsoffset",
			blocks: []Block{
				shbBlock(le),
				idbBlock(le, linktype.Ethernet, 0, opt(pkt.OptIfTsresol, []byte{0x80 | 20})),
				idbBlock(le, linktype.Ethernet, 0, opt(pkt.OptIfTsoffset, u64(le, uint64(1_000_000_000))), opt(pkt.OptIfTsresol, []byte{9})),
				epbBlock(le, 0, 1_700_000_000<<20|123457, frame(60, 1)),
				epbBlock(le, 1, 700_000_000*1_000_000_000+5, frame(60, 2)),
			},
			check: func(t *testing.T, r *PacketReader, pkts []*pkt.Packet) {
				if want := time.Unix(1_700_000_000, 117_737_770); !pkts[0].Timestamp.Equal(want) {
					t.Errorf("base-2 timestamp %v, want %v", pkts[0].Timestamp, want)
				}
				if want := time.Unix(1_700_000_000, 5); !pkts[1].Timestamp.Equal(want) {
					t.Errorf("offset timestamp %v, want %v", pkts[1].Timestamp, want)
				}
				ifs := r.Interfaces()
				if ifs[0].Resolution != 0x80|20 || ifs[1].TimestampOffset != 1_000_000_000 || ifs[1].Resolution != 9 {
					t.Errorf("interfaces %+v", ifs)
				}
			},
		},
		{
			name: "simple packets only with snaplen trimming",
			blocks: []Block{
				shbBlock(le),
				idbBlock(le, linktype.Ethernet, 40),
				&SimplePacket{OriginalLength: 60, Data: frame(40, 1)},
				&SimplePacket{OriginalLength: 33, Data: frame(33, 2)},
			},
			check: func(t *testing.T, r *PacketReader, pkts []*pkt.Packet) {
				if len(pkts[0].Data) != 40 || pkts[0].Length != 60 || len(pkts[1].Data) != 33 || pkts[1].Length != 33 {
					t.Errorf("SPB lengths: %d/%d, %d/%d", len(pkts[0].Data), pkts[0].Length, len(pkts[1].Data), pkts[1].Length)
				}
			},
		},
	}
}

// generatedBlockCases are files that test the other blocks: name
// resolution, custom and unknown blocks, statistics and secrets.
func generatedBlockCases() []generatedCase {
	base := generatedBase
	return []generatedCase{
		{
			name: "name resolution with many records",
			blocks: func() []Block {
				nrb := &NameResolution{EndOfRecords: true}
				for i := range 1000 {
					v := append([]byte{10, 0, byte(i >> 8), byte(i)}, []byte("host"+strconv.Itoa(i)+"\x00")...)
					nrb.Records = append(nrb.Records, NameRecord{Type: RecordIPv4, Value: v})
				}
				v6 := append(netip.MustParseAddr("2001:db8::1").AsSlice(), "six\x00alias\x00"...)
				nrb.Records = append(nrb.Records, NameRecord{Type: RecordIPv6, Value: v6},
					NameRecord{Type: RecordEUI48, Value: append([]byte{0, 1, 2, 3, 4, 5}, "mac\x00"...)},
					NameRecord{Type: 0x99, Value: []byte{1, 2, 3, 4, 5}})
				nrb.AddString(pkt.OptNSDNSName, "dns.example")
				nrb.Add(pkt.OptNSDNSIP4Addr, []byte{192, 0, 2, 53})
				return []Block{shbBlock(le), idbBlock(le, linktype.Ethernet, 0), nrb, epbBlock(le, 0, base, frame(60, 1))}
			}(),
			check: func(t *testing.T, r *PacketReader, pkts []*pkt.Packet) {
				names := r.Names()
				if len(names) != 1003 {
					t.Fatalf("%d records, want 1003", len(names))
				}
				a, n, ok := names[999].IPv4()
				if !ok || a != netip.MustParseAddr("10.0.3.231") || len(n) != 1 || n[0] != "host999" {
					t.Errorf("record 999: %v %v %v", a, n, ok)
				}
				a, n, ok = names[1000].IPv6()
				if !ok || a.String() != "2001:db8::1" || len(n) != 2 || n[1] != "alias" {
					t.Errorf("IPv6 record: %v %v %v", a, n, ok)
				}
				if m, n, ok := names[1001].EUI(); !ok || m.String() != "00:01:02:03:04:05" || n[0] != "mac" {
					t.Errorf("EUI-48 record: %v %v", m, n)
				}
				if names[1002].Type != 0x99 || len(names[1002].Value) != 5 {
					t.Errorf("unknown record %+v", names[1002])
				}
			},
		},
		{
			name: "custom blocks, unknown blocks and odd options",
			blocks: []Block{
				shbBlock(le, optS(pkt.OptComment, "a"), optS(pkt.OptComment, "bc"), optS(pkt.OptComment, "def"), optS(pkt.OptComment, "ghijk"),
					opt(pkt.OptCustomBinary, append(u32(le, 32473), 1, 2, 3))),
				idbBlock(le, linktype.Ethernet, 0, opt(0x7777, []byte{1, 2, 3}), opt(pkt.OptIfFilter, []byte("\x00tcp port 80"))),
				&Custom{PEN: 32473, Data: []byte("copy me\x00")},
				&Custom{PEN: 32473, DoNotCopy: true, Data: []byte("do not copy")},
				&UnknownBlock{BlockType: 0x12345678, Body: []byte("opaque body!")},
				epbBlock(le, 0, base, frame(61, 1), optS(pkt.OptComment, "odd"), opt(0x8888, []byte{9})),
			},
			check: func(t *testing.T, r *PacketReader, pkts []*pkt.Packet) {
				if c := pkts[0].Comments(); len(c) != 1 || c[0] != "odd" {
					t.Errorf("comments %q", c)
				}
				if v := pkt.FindOption(pkts[0].Options, 0x8888); !bytes.Equal(v, []byte{9}) {
					t.Errorf("unknown packet option %v", v)
				}
				if v := pkt.FindOption(r.Interfaces()[0].Options, 0x7777); !bytes.Equal(v, []byte{1, 2, 3}) {
					t.Errorf("unknown interface option %v", v)
				}
				if c := r.Sections()[0].Header.Comments(); len(c) != 4 || c[3] != "ghijk" {
					t.Errorf("section comments %q", c)
				}
			},
		},
		{
			name: "interface statistics and decryption secrets",
			blocks: func() []Block {
				isb := &InterfaceStatistics{InterfaceID: 0, Timestamp: base + 10}
				isb.Add(pkt.OptISBStartTime, append(u32(le, uint32(base>>32)), u32(le, uint32(base))...))
				isb.Add(pkt.OptISBIfRecv, u64(le, 100))
				isb.Add(pkt.OptISBIfDrop, u64(le, 3))
				isb.Add(pkt.OptISBOSDrop, u64(le, 2))
				isb.EndOfOptions = true
				dsb := &DecryptionSecrets{SecretsType: SecretsTLSKeyLog,
					Data: []byte("CLIENT_RANDOM 00112233 44556677\n")}
				return []Block{shbBlock(le), idbBlock(le, linktype.Ethernet, 0), dsb,
					epbBlock(le, 0, base, frame(60, 1)), isb}
			}(),
			check: func(t *testing.T, r *PacketReader, pkts []*pkt.Packet) {
				s := r.Statistics(0)
				if s == nil {
					t.Fatal("no statistics")
				}
				recv, _ := s.Received()
				drop, _ := s.InterfaceDropped()
				st, ok := s.StartTime()
				if recv != 100 || drop != 3 || !ok || st != base {
					t.Errorf("statistics recv %d drop %d start %d", recv, drop, st)
				}
			},
		},
	}
}

func TestGeneratedFiles(t *testing.T) {
	tests := append(generatedPacketCases(), generatedBlockCases()...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := buildFile(t, tt.blocks...)
			types := checkBlockRoundTrip(t, data)
			if len(types) != len(tt.blocks) {
				t.Fatalf("read %d blocks, wrote %d", len(types), len(tt.blocks))
			}
			for i, b := range tt.blocks {
				if types[i] != b.Type() {
					t.Errorf("block %d is %s, wrote %s", i, types[i], b.Type())
				}
			}
			r, pkts := readPackets(t, data)
			tt.check(t, r, pkts)
			tsharkCheck(t, data)
		})
	}
}

// TestPaddingAndTrailersKept pokes garbage into padding bytes and after the
// end-of-options marker: the rewrite must keep it.
func TestPaddingAndTrailersKept(t *testing.T) {
	idb := idbBlock(le, linktype.Ethernet, 0, optS(pkt.OptIfName, "e"))
	idb.Trailer = []byte("junkjunk")
	data := buildFile(t, shbBlock(le), idb, epbBlock(le, 0, 1, frame(61, 1), optS(pkt.OptComment, "xy")))
	// EPB: header 8 + fixed 20 + 61 data bytes, then 3 padding bytes.
	epbOff := bytes.LastIndex(data, []byte{6, 0, 0, 0})
	data[epbOff+8+20+61] = 0xAA
	// The comment "xy" is followed by 2 padding bytes.
	i := bytes.Index(data[epbOff:], []byte("xy")) + epbOff
	data[i+2], data[i+3] = 0xBB, 0xCC
	out, _, err := rewriteBlocks(data, ReaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, data) {
		t.Fatal("padding or trailer bytes not kept")
	}
	r, err := NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	r.Next()
	b, _ := r.Next()
	if got := b.(*InterfaceDescription); string(got.Trailer) != "junkjunk" || !got.EndOfOptions || got.Name() != "e" {
		t.Errorf("IDB trailer %q", got.Trailer)
	}
}

// TestPacketWriter copies generated files through the packet writer in both
// byte orders and checks the result with our reader and tshark.
func TestPacketWriter(t *testing.T) {
	ifaces := []pkt.Interface{
		{LinkType: linktype.Ethernet, SnapLen: 65535, Resolution: pkt.Microsecond, FCSLen: -1,
			Options: []pkt.Option{{Code: pkt.OptIfName, Value: []byte("eth0")}, {Code: pkt.OptIfSpeed, Value: u64(le, 1e9)}}},
		{LinkType: linktype.Ethernet, SnapLen: 0, Resolution: pkt.Nanosecond, TimestampOffset: 100, FCSLen: 4},
		{LinkType: linktype.Raw, Resolution: 0x80 | 24, FCSLen: -1},
	}
	var pkts []pkt.Packet
	for i := range 30 {
		p := pkt.Packet{
			Timestamp: time.Unix(1_700_000_000+int64(i), int64(i)*1_000_123),
			Data:      frame(60+i, byte(i)), Length: 60 + i + i%3, Interface: i % 3,
		}
		if i%2 == 0 {
			p.Options = []pkt.Option{{Code: pkt.OptEPBFlags, Value: u32(le, uint32(i))}, {Code: pkt.OptComment, Value: []byte("c")},
				{Code: pkt.OptEPBPacketID, Value: u64(le, uint64(i))}}
		}
		pkts = append(pkts, p)
	}
	for _, order := range []binary.ByteOrder{le, be} {
		t.Run(order.String(), func(t *testing.T) {
			var buf bytes.Buffer
			w, err := NewPacketWriter(&buf, WriterOptions{ByteOrder: order, Hardware: "hw", Comments: []string{"hello"}})
			if err != nil {
				t.Fatal(err)
			}
			for _, ifc := range ifaces {
				if err := w.AddInterface(ifc); err != nil {
					t.Fatal(err)
				}
			}
			for i := range pkts {
				if err := w.WritePacket(&pkts[i]); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			data := buf.Bytes()
			checkBlockRoundTrip(t, data)
			r, got := readPackets(t, data)
			if h := r.Sections()[0].Header; h.UserAppl() != "pcaptool" || h.Hardware() != "hw" || h.ByteOrder != order {
				t.Errorf("section header %+v", h)
			}
			gotIfs := r.Interfaces()
			for i, ifc := range ifaces {
				g := gotIfs[i]
				if g.LinkType != ifc.LinkType || g.SnapLen != ifc.SnapLen || g.Resolution != ifc.Resolution ||
					g.TimestampOffset != ifc.TimestampOffset || g.FCSLen != ifc.FCSLen || len(g.Options) != len(ifc.Options) {
					t.Errorf("interface %d: got %+v, want %+v", i, g, ifc)
				}
				for j := range ifc.Options {
					if !bytes.Equal(g.Options[j].Value, ifc.Options[j].Value) {
						t.Errorf("interface %d option %d: %v, want %v", i, j, g.Options[j], ifc.Options[j])
					}
				}
			}
			if len(got) != len(pkts) {
				t.Fatalf("read %d packets, wrote %d", len(got), len(pkts))
			}
			for i, p := range got {
				want := pkts[i]
				wantTS := want.Timestamp
				switch want.Interface {
				case 0:
					wantTS = wantTS.Truncate(time.Microsecond)
				case 2:
					// 2^-24 s units: the writer rounds up to the next unit.
					if d := p.Timestamp.Sub(wantTS); d < 0 || d >= 60*time.Nanosecond {
						t.Errorf("packet %d: base-2 timestamp %v is %v from %v", i, p.Timestamp, d, wantTS)
					}
					wantTS = p.Timestamp
				}
				if !p.Timestamp.Equal(wantTS) || !bytes.Equal(p.Data, want.Data) || p.Length != want.Length ||
					p.Interface != want.Interface || len(p.Options) != len(want.Options) {
					t.Fatalf("packet %d: got %v %d %d, want %v %d %d", i, p.Timestamp, p.Length, p.Interface,
						wantTS, want.Length, want.Interface)
				}
				for j := range want.Options {
					if !bytes.Equal(p.Options[j].Value, want.Options[j].Value) {
						t.Errorf("packet %d option %d: %v, want %v", i, j, p.Options[j], want.Options[j])
					}
				}
			}
			tsharkCheck(t, data)
		})
	}
}

// TestPacketWriterBase2RoundTrip checks that timestamps read from a base-2
// resolution survive being written back in that resolution.
func TestPacketWriterBase2RoundTrip(t *testing.T) {
	for _, res := range []pkt.Resolution{0x80 | 10, 0x80 | 20, 0x80 | 29, 3, 6, 9} {
		ups, _ := res.UnitsPerSecond()
		for _, units := range []uint64{0, 1, ups - 1, 1_700_000_000*ups + ups/3, 1_700_000_000*ups + 7} {
			ts := unitsToTime(units, ups, 0)
			back, err := timeToUnits(ts, ups, 0)
			if err != nil || back != units {
				t.Errorf("resolution %s: %d units -> %v -> %d (%v)", res, units, ts, back, err)
			}
		}
	}
	if _, err := timeToUnits(time.Unix(-1, 0), 1e6, 0); !errIsTimestamp(err) {
		t.Errorf("negative time: %v", err)
	}
}

func errIsTimestamp(err error) bool {
	return err != nil && bytes.Contains([]byte(err.Error()), []byte("timestamp"))
}
