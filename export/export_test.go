package export_test

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/parquet-go/parquet-go"

	"github.com/pcaptool/pcaptool/export"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

// packets is an in-memory Source.
type packets struct {
	list []pkt.Packet
	lt   linktype.LinkType
	i    int
	err  error // returned after the list

	ifaces []pkt.Interface
}

func (s *packets) Interfaces() []pkt.Interface {
	if len(s.ifaces) == 0 {
		s.ifaces = []pkt.Interface{{LinkType: s.lt, SnapLen: 65535}}
	}
	return s.ifaces
}

func (s *packets) ReadPacket() (*pkt.Packet, error) {
	if s.i == len(s.list) {
		if s.err != nil {
			return nil, s.err
		}
		return nil, io.EOF
	}
	s.i++
	return &s.list[s.i-1], nil
}

func generated(t testing.TB, n int) *packets {
	t.Helper()
	g := synth.New(synth.Config{Packets: n, Seed: 7})
	s := &packets{lt: g.Interfaces()[0].LinkType}
	for {
		p, err := g.ReadPacket()
		if err == io.EOF {
			return s
		}
		if err != nil {
			t.Fatal(err)
		}
		c := *p
		c.Data = slices.Clone(p.Data)
		s.list = append(s.list, c)
	}
}

func serialize(t testing.TB, ts time.Time, ls ...gopacket.SerializableLayer) pkt.Packet {
	t.Helper()
	buf := gopacket.NewSerializeBuffer()
	if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}, ls...); err != nil {
		t.Fatal(err)
	}
	data := slices.Clone(buf.Bytes())
	return pkt.Packet{Timestamp: ts, Data: data, Length: len(data)}
}

var (
	macA = net.HardwareAddr{2, 0, 0, 0, 0, 1}
	macB = net.HardwareAddr{2, 0, 0, 0, 0, 2}
)

// handmade holds packets whose every field is known: zero-valued fields
// that must not read as NULL, and headers that are absent.
func handmade(t testing.TB) *packets {
	ts := time.Date(2024, 1, 1, 10, 59, 59, 999999999, time.UTC)
	ip := &layers.IPv4{Version: 4, TTL: 0, Protocol: layers.IPProtocolTCP, SrcIP: net.IP{10, 0, 0, 1}, DstIP: net.IP{10, 0, 0, 2}}
	tcp := &layers.TCP{SrcPort: 0, DstPort: 80, Seq: 0, Ack: 0, SYN: true, Window: 0}
	tcp.SetNetworkLayerForChecksum(ip)
	udpIP := &layers.IPv6{Version: 6, HopLimit: 64, NextHeader: layers.IPProtocolUDP, SrcIP: net.ParseIP("2001:db8::1"), DstIP: net.ParseIP("2001:db8::2")}
	udp := &layers.UDP{SrcPort: 53, DstPort: 5353}
	udp.SetNetworkLayerForChecksum(udpIP)
	return &packets{lt: linktype.Ethernet, list: []pkt.Packet{
		serialize(t, ts, &layers.Ethernet{SrcMAC: macA, DstMAC: macB, EthernetType: layers.EthernetTypeIPv4}, ip, tcp),
		serialize(t, ts.Add(1), &layers.Ethernet{SrcMAC: macB, DstMAC: macA, EthernetType: layers.EthernetTypeDot1Q},
			&layers.Dot1Q{VLANIdentifier: 100, Type: layers.EthernetTypeDot1Q}, &layers.Dot1Q{VLANIdentifier: 7, Type: layers.EthernetTypeIPv6},
			udpIP, udp, gopacket.Payload("hello")),
		serialize(t, ts.Add(2), &layers.Ethernet{SrcMAC: macA, DstMAC: layers.EthernetBroadcast, EthernetType: layers.EthernetTypeARP},
			&layers.ARP{AddrType: layers.LinkTypeEthernet, Protocol: layers.EthernetTypeIPv4, HwAddressSize: 6, ProtAddressSize: 4,
				SourceHwAddress: macA, SourceProtAddress: []byte{10, 0, 0, 1}, DstHwAddress: make([]byte, 6), DstProtAddress: []byte{10, 0, 0, 2}}),
	}}
}

func exportFile(t testing.TB, name string, opts export.Options, srcs ...*packets) *export.Exporter {
	t.Helper()
	e, err := export.Create(name, opts)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range srcs {
		if err := e.AddCapture("in"+string(rune('0'+i)), s); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	return e
}

func readRows[T any](t testing.TB, name string) []T {
	t.Helper()
	rows, err := parquet.ReadFile[T](name)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func ptr[T any](v T) *T { return &v }

func TestPacketFields(t *testing.T) {
	out := filepath.Join(t.TempDir(), "p.parquet")
	exportFile(t, out, export.Options{}, handmade(t))
	rows := readRows[export.PacketRow](t, out)
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3", len(rows))
	}
	ts := time.Date(2024, 1, 1, 10, 59, 59, 999999999, time.UTC).UnixNano()
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"tcp ts", rows[0].Timestamp, ts},
		{"tcp number", rows[0].Number, int64(1)},
		{"tcp eth_src", rows[0].EthSrc, ptr("02:00:00:00:00:01")},
		{"tcp ethertype", rows[0].EtherType, ptr(int32(0x0800))},
		{"tcp vlan", rows[0].VLAN, []int32(nil)},
		{"tcp ip_src", rows[0].IPSrc, ptr("10.0.0.1")},
		{"tcp ttl zero is not NULL", rows[0].TTL, ptr(int32(0))},
		{"tcp src_port zero is not NULL", rows[0].SrcPort, ptr(int32(0))},
		{"tcp flags", rows[0].TCPFlags, ptr(int32(0x002))},
		{"tcp seq", rows[0].TCPSeq, ptr(int64(0))},
		{"tcp window", rows[0].TCPWindow, ptr(int32(0))},
		{"tcp payload", rows[0].PayloadLen, ptr(int32(0))},
		{"tcp frag", rows[0].Frag, ptr(false)},
		{"tcp flow", rows[0].FlowID, ptr(int64(0))},
		{"udp vlan", rows[1].VLAN, []int32{100, 7}},
		{"udp ethertype after tags", rows[1].EtherType, ptr(int32(0x86dd))},
		{"udp ip_version", rows[1].IPVersion, ptr(int32(6))},
		{"udp ip_dst", rows[1].IPDst, ptr("2001:db8::2")},
		{"udp ttl", rows[1].TTL, ptr(int32(64))},
		{"udp dst_port", rows[1].DstPort, ptr(int32(5353))},
		{"udp tcp_flags NULL", rows[1].TCPFlags, (*int32)(nil)},
		{"udp payload", rows[1].PayloadLen, ptr(int32(5))},
		{"udp flow", rows[1].FlowID, ptr(int64(0))},
		{"arp ethertype", rows[2].EtherType, ptr(int32(0x0806))},
		{"arp eth_dst", rows[2].EthDst, ptr("ff:ff:ff:ff:ff:ff")},
		{"arp ip NULL", rows[2].IPSrc, (*string)(nil)},
		{"arp ttl NULL", rows[2].TTL, (*int32)(nil)},
		{"arp frag NULL", rows[2].Frag, (*bool)(nil)},
		{"arp flow NULL", rows[2].FlowID, (*int64)(nil)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !equalDeref(tt.got, tt.want) {
				t.Errorf("got %v, want %v", deref(tt.got), deref(tt.want))
			}
		})
	}
}

func deref(v any) any {
	switch p := v.(type) {
	case *string:
		if p != nil {
			return *p
		}
	case *int32:
		if p != nil {
			return *p
		}
	case *int64:
		if p != nil {
			return *p
		}
	case *bool:
		if p != nil {
			return *p
		}
	default:
		return v
	}
	return nil
}

func equalDeref(a, b any) bool {
	if x, ok := a.([]int32); ok {
		y := b.([]int32)
		return slices.Equal(x, y) && (x == nil) == (y == nil)
	}
	return deref(a) == deref(b)
}

// TestGeneratedAgainstGopacket compares every row of a generated capture
// with what gopacket's full decoder finds in the packet.
func TestGeneratedAgainstGopacket(t *testing.T) {
	src := generated(t, 3000)
	out := filepath.Join(t.TempDir(), "g.parquet")
	exportFile(t, out, export.Options{RowGroupRows: 1000}, src)
	rows := readRows[export.PacketRow](t, out)
	if len(rows) != len(src.list) {
		t.Fatalf("%d rows for %d packets", len(rows), len(src.list))
	}
	for i, r := range rows {
		p := &src.list[i]
		gp := gopacket.NewPacket(p.Data, layers.LayerTypeEthernet, gopacket.Default)
		if r.Timestamp != p.Timestamp.UnixNano() || int(r.CapLen) != len(p.Data) || int(r.Len) != p.Length || r.Number != int64(i+1) {
			t.Fatalf("row %d: frame fields %+v", i, r)
		}
		var ipSrc string
		var sport *int32
		if ip, ok := gp.NetworkLayer().(*layers.IPv4); ok {
			ipSrc = ip.SrcIP.String()
		} else if ip, ok := gp.NetworkLayer().(*layers.IPv6); ok {
			ipSrc = ip.SrcIP.String()
		}
		switch l := gp.TransportLayer().(type) {
		case *layers.TCP:
			sport = ptr(int32(l.SrcPort))
			if r.TCPSeq == nil || *r.TCPSeq != int64(l.Seq) || *r.TCPWindow != int32(l.Window) {
				t.Fatalf("row %d: tcp fields", i)
			}
		case *layers.UDP:
			sport = ptr(int32(l.SrcPort))
		}
		if deref(r.IPSrc) != any(ipSrc) && !(ipSrc == "" && r.IPSrc == nil) {
			t.Fatalf("row %d: ip_src %v, gopacket %q", i, deref(r.IPSrc), ipSrc)
		}
		if deref(r.SrcPort) != deref(sport) {
			t.Fatalf("row %d: src_port %v, gopacket %v", i, deref(r.SrcPort), deref(sport))
		}
	}
}

// TestFormatsAgree checks that CSV and JSON Lines carry the Parquet
// schema's columns in order, and the same values.
func TestFormatsAgree(t *testing.T) {
	dir := t.TempDir()
	src := handmade(t)
	for _, f := range []string{"p.parquet", "p.csv", "p.jsonl"} {
		src.i = 0
		format, _ := export.ParseFormat(strings.TrimPrefix(filepath.Ext(f), "."))
		exportFile(t, filepath.Join(dir, f), export.Options{Format: format}, src)
	}
	var names []string
	for _, c := range export.Columns(export.Packets, false) {
		names = append(names, c.Name)
	}
	csvText, err := os.ReadFile(filepath.Join(dir, "p.csv"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(csvText)), "\n")
	if lines[0] != strings.Join(names, ",") {
		t.Errorf("CSV header\n%s\nwant\n%s", lines[0], strings.Join(names, ","))
	}
	if want := `in0,2,2024-01-01T11:00:00.000000000Z,1704106800000000000,0,1,`; !strings.HasPrefix(lines[2], want) {
		t.Errorf("CSV row 2 %q, want prefix %q", lines[2], want)
	}
	if !strings.Contains(lines[2], `"[100,7]"`) {
		t.Errorf("CSV row 2 %q lacks the VLAN list", lines[2])
	}
	f, err := os.Open(filepath.Join(dir, "p.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	rows := readRows[export.PacketRow](t, filepath.Join(dir, "p.parquet"))
	for i := 0; sc.Scan(); i++ {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if len(m) != len(names) {
			t.Errorf("line %d has %d keys, want %d", i+1, len(m), len(names))
		}
		if got, want := m["ip_src"], deref(rows[i].IPSrc); got != want {
			t.Errorf("line %d ip_src %v, parquet %v", i+1, got, want)
		}
		if (m["src_port"] == nil) != (rows[i].SrcPort == nil) {
			t.Errorf("line %d src_port %v, parquet %v", i+1, m["src_port"], deref(rows[i].SrcPort))
		}
	}
}

func TestFlowsTable(t *testing.T) {
	out := filepath.Join(t.TempDir(), "f.parquet")
	src := generated(t, 2000)
	exportFile(t, out, export.Options{Table: export.Flows}, src)
	rows := readRows[export.FlowRow](t, out)
	var packets int64
	ids := map[string]bool{}
	for _, r := range rows {
		packets += r.AToBPackets + r.BToAPackets
		key := r.Proto + " " + string(rune(r.FlowID))
		if ids[key] {
			t.Errorf("flow %s %d twice", r.Proto, r.FlowID)
		}
		ids[key] = true
		if (r.Proto == "tcp") != (r.SYN != nil) {
			t.Errorf("flow %s %d: tcp_syn %v", r.Proto, r.FlowID, deref(r.SYN))
		}
		if r.End < r.Start {
			t.Errorf("flow %d ends before it starts", r.FlowID)
		}
	}
	if packets == 0 || packets > int64(len(src.list)) {
		t.Errorf("flows count %d packets of %d", packets, len(src.list))
	}
}

func TestPartitionedTree(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "table")
	src := generated(t, 4000)
	// Spread the packets over three hours.
	for i := range src.list {
		src.list[i].Timestamp = time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * 3 * time.Hour / 4000)
	}
	e := exportFile(t, dir, export.Options{Partition: export.ByHour, MaxRowsPerFile: 700}, src)
	var total int
	for _, name := range e.Files() {
		rel, _ := filepath.Rel(dir, name)
		parts := strings.Split(rel, string(filepath.Separator))
		if len(parts) != 3 || parts[0] != "date=2024-01-01" || !strings.HasPrefix(parts[1], "hour=") || !strings.HasPrefix(parts[2], "part-") {
			t.Fatalf("file %s not in a date=/hour= tree", rel)
		}
		rows := readRows[export.PacketRow](t, name)
		if len(rows) > 700 {
			t.Errorf("%s: %d rows, limit 700", rel, len(rows))
		}
		for _, r := range rows {
			if h := time.Unix(0, r.Timestamp).UTC().Format("15"); "hour="+h != parts[1] {
				t.Fatalf("%s holds a packet of hour %s", rel, h)
			}
		}
		total += len(rows)
	}
	if total != len(src.list) {
		t.Errorf("%d rows in the tree, want %d", total, len(src.list))
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, "*", "*", ".*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

// TestFailedRunLeavesNothing: an input error mid-way leaves no file.
func TestFailedRunLeavesNothing(t *testing.T) {
	for _, opts := range []export.Options{{}, {Partition: export.ByDay, MaxRowsPerFile: 100}, {Format: export.CSV}} {
		dir := t.TempDir()
		src := generated(t, 1000)
		src.err = errors.New("damaged record")
		out := filepath.Join(dir, "out")
		e, err := export.Create(out, opts)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.AddCapture("bad", src); err == nil {
			t.Fatal("no error from a failing source")
		}
		if err := e.Close(); err == nil {
			t.Fatal("Close succeeded after a failed capture")
		}
		var left []string
		filepath.Walk(dir, func(p string, fi os.FileInfo, _ error) error {
			if fi != nil && !fi.IsDir() {
				left = append(left, p)
			}
			return nil
		})
		if len(left) > 0 {
			t.Errorf("%+v: files left behind: %v", opts, left)
		}
	}
}

func TestWithData(t *testing.T) {
	out := filepath.Join(t.TempDir(), "d.parquet")
	src := handmade(t)
	exportFile(t, out, export.Options{WithData: true}, src)
	rows := readRows[export.PacketDataRow](t, out)
	for i, r := range rows {
		if string(r.Data) != string(src.list[i].Data) {
			t.Errorf("row %d: data differs", i)
		}
	}
}

// TestNoAllocationPerPacket: filling and encoding rows allocates nothing
// per packet once buffers have grown.
func TestNoAllocationPerPacket(t *testing.T) {
	src := generated(t, 20000)
	for _, f := range []export.Format{export.CSV, export.Parquet} {
		e, err := export.New(io.Discard, export.Options{Format: f})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.AddCapture("warm", src); err != nil { // grow the buffers and the interner
			t.Fatal(err)
		}
		allocs := testing.AllocsPerRun(3, func() {
			src.i = 0
			if err := e.AddCapture("g", src); err != nil {
				t.Fatal(err)
			}
		})
		if perPacket := allocs / float64(len(src.list)); perPacket > 0.1 {
			t.Errorf("format %d: %.2f allocations per packet", f, perPacket)
		}
		e.Close()
	}
}
