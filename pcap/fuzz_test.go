package pcap

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/pkt"
)

func fuzzSeeds(f *testing.F) {
	recs := testRecords()[:4]
	for _, hdr := range []FileHeader{
		{ByteOrder: binary.LittleEndian, SnapLen: 65535, LinkType: 1, FCSLen: -1},
		{ByteOrder: binary.BigEndian, Resolution: pkt.Nanosecond, SnapLen: 128, LinkType: 113, FCSLen: 4},
		{ByteOrder: binary.LittleEndian, Modified: true, SnapLen: 65535, LinkType: 1, FCSLen: -1},
		{ByteOrder: binary.BigEndian, VersionMajor: 2, VersionMinor: 2, LinkType: 101, FCSLen: -1},
	} {
		f.Add(writeFile(f, hdr, recs))
	}
	le := binary.LittleEndian
	f.Add(cat(header(le, MagicMicroseconds, 2, 3, 0, 1), record(le, 1, 0, 60, 4, make([]byte, 4))))
	f.Add(cat(header(le, MagicMicroseconds, 2, 4, 65535, 1), record(le, 1, 2_000_000, 0xffffffff, 1, nil)))
}

// FuzzReader checks that any input yields records or an error, never a
// panic, and that every error is a FormatError with an offset inside the
// input.
func FuzzReader(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReaderOptions(bytes.NewReader(data), ReaderOptions{BufferSize: 256})
		if err != nil {
			checkFormatError(t, err, len(data))
			return
		}
		for {
			rec, err := r.ReadPacket()
			if err == io.EOF {
				return
			}
			if err != nil {
				checkFormatError(t, err, len(data))
				return
			}
			if len(rec.Data) > r.maxPacket {
				t.Fatalf("record of %d bytes beyond the %d maximum", len(rec.Data), r.maxPacket)
			}
		}
	})
}

func checkFormatError(t *testing.T, err error, size int) {
	t.Helper()
	var fe *FormatError
	if !errors.As(err, &fe) {
		t.Fatalf("error without position: %v", err)
	}
	if fe.Offset < 0 || fe.Offset > int64(size) {
		t.Fatalf("error offset %d outside a %d-byte input: %v", fe.Offset, size, err)
	}
}

// FuzzRoundTrip checks that whatever the reader accepts, the writer writes
// back in a form the reader returns identically (timestamps at the file's
// precision).
func FuzzRoundTrip(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		var recs []pkt.Packet
		for {
			rec, err := r.ReadPacket()
			if err != nil {
				break
			}
			c := *rec
			c.Data = bytes.Clone(rec.Data)
			recs = append(recs, c)
		}
		hdr := r.Header()
		var buf bytes.Buffer
		w, err := NewWriter(&buf, hdr)
		if err != nil {
			t.Fatalf("writer rejects a header the reader accepted: %v", err)
		}
		for i := range recs {
			if err := w.WritePacket(&recs[i]); err != nil {
				if errors.Is(err, ErrTimestampRange) {
					return // a wrapped microsecond field can exceed 2106
				}
				t.Fatal(err)
			}
		}
		w.Close()
		r2, err := NewReaderOptions(bytes.NewReader(buf.Bytes()), ReaderOptions{MaxPacketSize: 1 << 30})
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range recs {
			got, err := r2.ReadPacket()
			if err != nil {
				t.Fatalf("record %d: %v", i, err)
			}
			wantTS := want.Timestamp
			if hdr.Resolution == pkt.Microsecond {
				wantTS = wantTS.Truncate(time.Microsecond)
			}
			if !got.Timestamp.Equal(wantTS) || got.Length != want.Length || !bytes.Equal(got.Data, want.Data) {
				t.Fatalf("record %d changed in a round trip", i)
			}
		}
	})
}
