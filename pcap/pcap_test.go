package pcap

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// testRecords returns a small set of records with varied sizes and times.
func testRecords() []pkt.Packet {
	base := time.Unix(1_700_000_000, 123_456_789)
	var recs []pkt.Packet
	for i := range 20 {
		data := make([]byte, 1+i*37%200)
		for j := range data {
			data[j] = byte(i*7 + j)
		}
		recs = append(recs, pkt.Packet{
			Timestamp: base.Add(time.Duration(i) * 1_234_567_891),
			Length:    len(data) + i%3*10,
			Data:      data,
		})
	}
	return recs
}

func writeFile(t testing.TB, hdr FileHeader, recs []pkt.Packet) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, hdr)
	if err != nil {
		t.Fatal(err)
	}
	for i := range recs {
		if err := w.WritePacket(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		hdr  FileHeader
	}{
		{"little-endian microseconds", FileHeader{ByteOrder: binary.LittleEndian, SnapLen: 65535, LinkType: linktype.Ethernet, FCSLen: -1}},
		{"big-endian microseconds", FileHeader{ByteOrder: binary.BigEndian, SnapLen: 65535, LinkType: linktype.Ethernet, FCSLen: -1}},
		{"little-endian nanoseconds", FileHeader{ByteOrder: binary.LittleEndian, Resolution: pkt.Nanosecond, SnapLen: 262144, LinkType: linktype.LinuxSLL2, FCSLen: -1}},
		{"big-endian nanoseconds", FileHeader{ByteOrder: binary.BigEndian, Resolution: pkt.Nanosecond, SnapLen: 0, LinkType: linktype.Raw, FCSLen: -1}},
		{"modified format", FileHeader{ByteOrder: binary.LittleEndian, Modified: true, SnapLen: 96, LinkType: linktype.Ethernet, FCSLen: -1}},
		{"FCS length bits", FileHeader{ByteOrder: binary.BigEndian, SnapLen: 65535, LinkType: linktype.Ethernet, FCSLen: 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := testRecords()
			for i := range recs {
				if tt.hdr.Modified {
					recs[i].Link = pkt.LinkInfo{Valid: true, IfIndex: int32(i), Protocol: uint16(0x800 + i), Type: pkt.PacketType(i % 5)}
				}
			}
			file := writeFile(t, tt.hdr, recs)
			r, err := NewReader(bytes.NewReader(file))
			if err != nil {
				t.Fatal(err)
			}
			h := r.Header()
			wantRes := tt.hdr.Resolution
			if wantRes == 0 {
				wantRes = pkt.Microsecond
			}
			if h.ByteOrder != tt.hdr.ByteOrder || h.Resolution != wantRes || h.Modified != tt.hdr.Modified ||
				h.SnapLen != tt.hdr.SnapLen || h.LinkType != tt.hdr.LinkType || h.FCSLen != tt.hdr.FCSLen ||
				h.VersionMajor != 2 || h.VersionMinor != 4 {
				t.Fatalf("header = %+v, wrote %+v", h, tt.hdr)
			}
			for i, want := range recs {
				got, err := r.ReadPacket()
				if err != nil {
					t.Fatalf("record %d: %v", i, err)
				}
				wantTS := want.Timestamp
				if wantRes == pkt.Microsecond {
					wantTS = wantTS.Truncate(time.Microsecond)
				}
				if !got.Timestamp.Equal(wantTS) || got.Length != want.Length || !bytes.Equal(got.Data, want.Data) {
					t.Fatalf("record %d = %v/%d/%x, want %v/%d/%x", i, got.Timestamp, got.Length, got.Data, wantTS, want.Length, want.Data)
				}
				if got.Link != want.Link {
					t.Fatalf("record %d link info = %+v, want %+v", i, got.Link, want.Link)
				}
			}
			if _, err := r.ReadPacket(); err != io.EOF {
				t.Fatalf("after last record: %v, want io.EOF", err)
			}
			// Writing what we read gives the same bytes.
			r2, _ := NewReader(bytes.NewReader(file))
			var again []pkt.Packet
			for {
				rec, err := r2.ReadPacket()
				if err != nil {
					break
				}
				c := *rec
				c.Data = bytes.Clone(rec.Data)
				again = append(again, c)
			}
			if got := writeFile(t, r2.Header(), again); !bytes.Equal(got, file) {
				t.Fatal("rewriting the records read does not reproduce the file")
			}
		})
	}
}

func header(order binary.ByteOrder, magic uint32, major, minor uint16, snaplen, lt uint32) []byte {
	b := make([]byte, FileHeaderLen)
	order.PutUint32(b[0:], magic)
	order.PutUint16(b[4:], major)
	order.PutUint16(b[6:], minor)
	order.PutUint32(b[16:], snaplen)
	order.PutUint32(b[20:], lt)
	return b
}

func record(order binary.ByteOrder, sec, frac, caplen, length uint32, data []byte) []byte {
	b := make([]byte, RecordHeaderLen, RecordHeaderLen+len(data))
	order.PutUint32(b[0:], sec)
	order.PutUint32(b[4:], frac)
	order.PutUint32(b[8:], caplen)
	order.PutUint32(b[12:], length)
	return append(b, data...)
}

func TestHeaderErrors(t *testing.T) {
	le := binary.LittleEndian
	tests := []struct {
		name string
		file []byte
		want error
	}{
		{"empty", nil, ErrNotPcap},
		{"unknown magic", header(le, 0x12345678, 2, 4, 65535, 1), ErrNotPcap},
		{"pcapng magic", []byte{0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, ErrNotPcap},
		{"short header", header(le, MagicMicroseconds, 2, 4, 65535, 1)[:20], ErrTruncated},
		{"archaic version", header(le, MagicMicroseconds, 1, 0, 65535, 1), ErrVersion},
		{"future version", header(le, MagicMicroseconds, 3, 0, 65535, 1), ErrVersion},
		{"minor too new", header(le, MagicMicroseconds, 2, 5, 65535, 1), ErrVersion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewReader(bytes.NewReader(tt.file))
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			var fe *FormatError
			if !errors.As(err, &fe) || fe.Offset != 0 || fe.Record != -1 {
				t.Fatalf("err = %#v, want a FormatError at offset 0", err)
			}
		})
	}
}

func TestRecordErrors(t *testing.T) {
	le := binary.LittleEndian
	hdr := header(le, MagicMicroseconds, 2, 4, 65535, 1)
	good := record(le, 1, 2, 4, 4, []byte{1, 2, 3, 4})
	tests := []struct {
		name       string
		file       []byte
		wantGood   int
		want       error
		wantOffset int64
	}{
		{"capture length over the link type maximum", cat(hdr, good, record(le, 1, 2, 262145, 262145, nil)), 1, ErrCaptureLength, 44},
		{"4 GiB capture length", cat(hdr, record(le, 1, 2, 0xffffffff, 0xffffffff, nil)), 0, ErrCaptureLength, 24},
		{"data shorter than capture length", cat(hdr, good, good, record(le, 1, 2, 100, 100, make([]byte, 50))), 2, ErrTruncated, 64},
		{"partial record header", cat(hdr, good, good[:7]), 1, ErrTruncated, 44},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader(bytes.NewReader(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for {
				_, err = r.ReadPacket()
				if err != nil {
					break
				}
				n++
			}
			if n != tt.wantGood || !errors.Is(err, tt.want) {
				t.Fatalf("read %d records then %v; want %d then %v", n, err, tt.wantGood, tt.want)
			}
			var fe *FormatError
			if !errors.As(err, &fe) || fe.Offset != tt.wantOffset || fe.Record != tt.wantGood {
				t.Fatalf("err = %v, want offset %d record %d", err, tt.wantOffset, tt.wantGood)
			}
			if _, again := r.ReadPacket(); again != err {
				t.Fatalf("error not sticky: %v then %v", err, again)
			}
		})
	}
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func TestSwappedLengths(t *testing.T) {
	le := binary.LittleEndian
	tests := []struct {
		name          string
		minor         uint16
		caplen, len   uint32
		wantCap, want int
	}{
		{"2.2 always swapped", 2, 60, 4, 4, 60},
		{"2.3 swapped when caplen > len", 3, 60, 4, 4, 60},
		{"2.3 kept when caplen <= len", 3, 4, 60, 4, 60},
		{"2.4 never swapped", 4, 4, 60, 4, 60},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := cat(header(le, MagicMicroseconds, 2, tt.minor, 65535, 1), record(le, 0, 0, tt.caplen, tt.len, make([]byte, 4)))
			r, err := NewReader(bytes.NewReader(file))
			if err != nil {
				t.Fatal(err)
			}
			rec, err := r.ReadPacket()
			if err != nil {
				t.Fatal(err)
			}
			if len(rec.Data) != tt.wantCap || rec.Length != tt.want {
				t.Fatalf("caplen %d len %d, want %d %d", len(rec.Data), rec.Length, tt.wantCap, tt.want)
			}
		})
	}
}

// TestTruncatedEverywhere cuts a small file at every byte: the reader must
// return the whole records before the cut, then io.EOF (cut on a record
// boundary) or ErrTruncated naming the offset of the damaged record.
func TestTruncatedEverywhere(t *testing.T) {
	for _, hdr := range []FileHeader{
		{ByteOrder: binary.LittleEndian, SnapLen: 65535, LinkType: 1, FCSLen: -1},
		{ByteOrder: binary.BigEndian, Modified: true, SnapLen: 65535, LinkType: 1, FCSLen: -1},
	} {
		recs := testRecords()[:6]
		file := writeFile(t, hdr, recs)
		var bounds []int64
		off := int64(FileHeaderLen)
		for _, r := range recs {
			bounds = append(bounds, off)
			off += int64(hdr.recordHeaderLen() + len(r.Data))
		}
		for cut := 0; cut < len(file); cut++ {
			r, err := NewReader(bytes.NewReader(file[:cut]))
			if cut < FileHeaderLen {
				if err == nil {
					t.Fatalf("cut %d: header accepted", cut)
				}
				continue
			}
			if err != nil {
				t.Fatalf("cut %d: %v", cut, err)
			}
			n := 0
			for {
				_, err = r.ReadPacket()
				if err != nil {
					break
				}
				n++
			}
			wantWhole := 0
			for _, b := range bounds[1:] {
				if int64(cut) >= b {
					wantWhole++
				}
			}
			if int64(cut) >= off {
				wantWhole = len(recs)
			}
			if n != wantWhole {
				t.Fatalf("cut %d: read %d records, want %d", cut, n, wantWhole)
			}
			onBoundary := int64(cut) == off || (n < len(bounds) && int64(cut) == bounds[n])
			if onBoundary {
				if err != io.EOF {
					t.Fatalf("cut %d on a record boundary: %v, want io.EOF", cut, err)
				}
				continue
			}
			var fe *FormatError
			if !errors.As(err, &fe) || !errors.Is(err, ErrTruncated) || fe.Offset != bounds[n] {
				t.Fatalf("cut %d: %v, want ErrTruncated at offset %d", cut, err, bounds[n])
			}
		}
	}
}

// TestHostileLengthAllocation checks that a record claiming far more data
// than the file holds fails without a matching allocation, even when the
// caller raised the capture-length ceiling to 4 GiB.
func TestHostileLengthAllocation(t *testing.T) {
	le := binary.LittleEndian
	file := cat(header(le, MagicMicroseconds, 2, 4, 65535, 1), record(le, 1, 0, 0xfffffff0, 0xfffffff0, make([]byte, 60)))
	r, err := NewReaderOptions(bytes.NewReader(file), ReaderOptions{MaxPacketSize: 1 << 32, BufferSize: 4096})
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err = r.ReadPacket()
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTruncated) {
		t.Fatalf("err = %v, want ErrTruncated", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 128<<10 {
		t.Fatalf("reading a 100-byte file with a 4 GiB length allocated %d bytes", grew)
	}
}

func TestReadPacketAllocations(t *testing.T) {
	recs := testRecords()
	hdr := FileHeader{ByteOrder: binary.LittleEndian, SnapLen: 65535, LinkType: 1, FCSLen: -1}
	one := writeFile(t, hdr, recs)
	body := one[FileHeaderLen:]
	file := append([]byte(nil), one...)
	for range 200 {
		file = append(file, body...)
	}
	r, err := NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(1000, func() {
		if _, err := r.ReadPacket(); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("ReadPacket allocates %.1f times per record, want 0", allocs)
	}
	var sink bytes.Buffer
	w, _ := NewWriter(&sink, hdr)
	allocs = testing.AllocsPerRun(1000, func() {
		if err := w.WritePacket(&recs[3]); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Fatalf("WriteRecord allocates %.1f times per record, want 0", allocs)
	}
}

func TestLargeRecordBeyondBuffer(t *testing.T) {
	hdr := FileHeader{ByteOrder: binary.LittleEndian, SnapLen: 0, LinkType: linktype.DBus, FCSLen: -1}
	big := make([]byte, 3<<20)
	for i := range big {
		big[i] = byte(i * 31)
	}
	recs := []pkt.Packet{{Timestamp: time.Unix(5, 0), Length: len(big), Data: big}, {Timestamp: time.Unix(6, 0), Length: 3, Data: []byte{1, 2, 3}}}
	file := writeFile(t, hdr, recs)
	r, err := NewReader(bytes.NewReader(file))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range recs {
		got, err := r.ReadPacket()
		if err != nil || !bytes.Equal(got.Data, want.Data) {
			t.Fatalf("record %d: %v (len %d)", i, err, len(got.Data))
		}
	}
}

func TestWriterRejects(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, FileHeader{LinkType: 1, FCSLen: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.WritePacket(&pkt.Packet{Timestamp: time.Unix(5, 0), Length: 3, Data: []byte{1, 2, 3}}); err != nil {
		t.Fatal(err)
	}
	// The second record would start after the file header and the first
	// record (16 + 3 bytes).
	const secondOffset = FileHeaderLen + RecordHeaderLen + 3
	records := []struct {
		name string
		p    pkt.Packet
		want error
	}{
		{"timestamp before 1970", pkt.Packet{Timestamp: time.Unix(-5, 0), Length: 1, Data: []byte{1}}, ErrTimestampRange},
		{"timestamp after 2106", pkt.Packet{Timestamp: time.Unix(1<<33, 0), Length: 1, Data: []byte{1}}, ErrTimestampRange},
		{"negative original length", pkt.Packet{Timestamp: time.Unix(5, 0), Length: -1, Data: []byte{1}}, ErrCaptureLength},
	}
	for _, tt := range records {
		t.Run(tt.name, func(t *testing.T) {
			err := w.WritePacket(&tt.p)
			var fe *FormatError
			if !errors.Is(err, tt.want) || !errors.As(err, &fe) || fe.Offset != secondOffset || fe.Record != 1 {
				t.Fatalf("err = %v, want a FormatError for record 1 at offset %d wrapping %v", err, secondOffset, tt.want)
			}
		})
	}
	w.Close()
	if err := w.WritePacket(&pkt.Packet{Timestamp: time.Unix(5, 0), Length: 1, Data: []byte{1}}); !errors.Is(err, ErrWriteAfterClose) {
		t.Fatalf("write after close: %v", err)
	}
	headers := []struct {
		name string
		hdr  FileHeader
		want error
	}{
		{"odd FCS length", FileHeader{LinkType: 1, FCSLen: 3}, ErrLinkTypeRange},
		{"FCS length over 30", FileHeader{LinkType: 1, FCSLen: 32}, ErrLinkTypeRange},
		{"reserved link-type bits", FileHeader{LinkType: 1, FCSLen: -1, LinkTypeReserved: 0x400}, ErrLinkTypeRange},
		{"millisecond resolution", FileHeader{LinkType: 1, FCSLen: -1, Resolution: 3}, ErrResolution},
	}
	for _, tt := range headers {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewWriter(io.Discard, tt.hdr)
			var fe *FormatError
			if !errors.Is(err, tt.want) || !errors.As(err, &fe) || fe.Record != -1 {
				t.Fatalf("err = %v, want a file-header FormatError wrapping %v", err, tt.want)
			}
		})
	}
}

// pcap.Writer is a pkt.Writer: pkt.Copy writes a stream into it, and an
// interface of another link type is refused.
func TestWriterIsStreamWriter(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf, FileHeader{LinkType: linktype.Ethernet, SnapLen: 65535, FCSLen: -1})
	if err != nil {
		t.Fatal(err)
	}
	eth := pkt.Interface{LinkType: linktype.Ethernet, Resolution: pkt.Microsecond, FCSLen: -1}
	src := pkt.FromSlice([]pkt.Interface{eth, eth}, []*pkt.Packet{
		{Timestamp: time.Unix(1, 0), Data: []byte{1}, Length: 1},
		{Timestamp: time.Unix(2, 0), Data: []byte{2, 2}, Length: 2, Interface: 1},
	})
	if n, err := pkt.Copy(w, src); n != 2 || err != nil {
		t.Fatalf("Copy = %d, %v", n, err)
	}
	r, err := NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if p, err := r.ReadPacket(); err != nil || len(p.Data) != i+1 {
			t.Fatalf("packet %d: %v", i, err)
		}
	}
	if err := w.AddInterface(pkt.Interface{LinkType: linktype.Raw}); !errors.Is(err, ErrMixedLinkTypes) {
		t.Fatalf("AddInterface(RAW) on an Ethernet file: %v", err)
	}
}

// TestAppendWriter appends records to a file written by another Writer.
func TestAppendWriter(t *testing.T) {
	var buf bytes.Buffer
	hdr := FileHeader{SnapLen: 100, LinkType: 1, FCSLen: -1}
	first, err := NewWriter(&buf, hdr)
	if err != nil {
		t.Fatal(err)
	}
	ts := time.Unix(5, 0)
	if err := first.WritePacket(&pkt.Packet{Timestamp: ts, Length: 1, Data: []byte{1}}); err != nil || first.Flush() != nil {
		t.Fatal(err)
	}
	more, err := NewAppendWriter(&buf, hdr, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := more.WritePacket(&pkt.Packet{Timestamp: ts, Length: 1, Data: []byte{2}}); err != nil || more.Flush() != nil {
		t.Fatal(err)
	}
	r, err := NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []byte{1, 2} {
		rec, err := r.ReadPacket()
		if err != nil || !bytes.Equal(rec.Data, []byte{want}) {
			t.Fatalf("record %d: %v %v", want, rec, err)
		}
	}
	if _, err := r.ReadPacket(); err != io.EOF {
		t.Fatalf("after two records: %v", err)
	}
}
