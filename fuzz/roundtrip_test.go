package fuzz

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pcapng"
	"github.com/pcaptool/pcaptool/pkt"
)

// FuzzRoundTrip reads whatever capfile accepts, writes the packets read
// (those before any error) as pcap and as pcapng, and reads each output
// back: the same packets must come out, timestamps at the output's
// precision. A pcapng input copied block by block must be byte-identical
// to the bytes read.
func FuzzRoundTrip(f *testing.F) {
	for _, s := range seedFiles(f) {
		f.Add(s)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		in := readCapture(data)
		if in == nil {
			return
		}
		checkReadError(t, in, len(data))
		for _, format := range []capfile.Format{capfile.Pcap, capfile.Pcapng} {
			roundTrip(t, dir, in, format)
		}
		if in.format == capfile.Pcapng {
			checkBlockCopy(t, data)
		}
	})
}

// checkReadError checks that a reader's error says where: pcap and pcapng
// errors carry the offset of the damage, inside the input when it is not
// compressed. Errors of the decompressors are their own.
func checkReadError(t *testing.T, in *capture, size int) {
	t.Helper()
	if in.err == nil || in.compression != capfile.CompressionNone {
		return
	}
	var off int64
	var ngErr *pcapng.FormatError
	var pcapErr *pcap.FormatError
	switch {
	case errors.As(in.err, &ngErr):
		off = ngErr.Offset
	case errors.As(in.err, &pcapErr):
		off = pcapErr.Offset
	default:
		t.Fatalf("read error %v is not a *FormatError", in.err)
	}
	if off < 0 || off > int64(size) {
		t.Fatalf("error offset %d outside the %d-byte input: %v", off, size, in.err)
	}
}

func roundTrip(t *testing.T, dir string, in *capture, format capfile.Format) {
	t.Helper()
	path := filepath.Join(dir, "out."+format.String())
	w, err := capfile.Create(path, capfile.WriterOptions{Format: format})
	if err != nil {
		t.Fatal(err)
	}
	src := in.list
	n, err := pkt.Copy(w, &src)
	if err != nil {
		w.Abort()
		if acceptableWriteError(err, format) {
			return
		}
		t.Fatalf("writing %s after %d packets: %v", format, n, err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("closing %s: %v", format, err)
	}
	out, err := capfile.OpenOptions(path, capfile.ReaderOptions{MaxPacketSize: maxPacketSize})
	if err != nil {
		t.Fatalf("reading back %s: %v", format, err)
	}
	defer out.Close()
	var res pkt.Resolution
	if format == capfile.Pcap {
		res = out.Interfaces()[0].Resolution
	}
	for i, want := range in.list.pkts {
		got, err := out.ReadPacket()
		if err != nil {
			t.Fatalf("%s: packet %d of %d: %v", format, i, len(in.list.pkts), err)
		}
		if err := samePacket(got, want, format, res, in.list.ifaces); err != nil {
			t.Fatalf("%s: packet %d: %v", format, i, err)
		}
	}
	if _, err := out.ReadPacket(); err != io.EOF {
		t.Fatalf("%s: after %d packets: %v, want io.EOF", format, len(in.list.pkts), err)
	}
	if format == capfile.Pcapng {
		got := out.Interfaces()
		if len(got) != len(in.list.ifaces) {
			t.Fatalf("pcapng: %d interfaces read back, %d written", len(got), len(in.list.ifaces))
		}
		for i := range got {
			if err := sameInterface(got[i], in.list.ifaces[i]); err != nil {
				t.Fatalf("pcapng: interface %d: %v", i, err)
			}
		}
	}
}

// acceptableWriteError reports the errors a writer rightly gives for
// packets its format cannot hold.
func acceptableWriteError(err error, format capfile.Format) bool {
	switch format {
	case capfile.Pcap:
		// One link type per file; seconds in 32 bits.
		return errors.Is(err, pcap.ErrMixedLinkTypes) || errors.Is(err, pcap.ErrTimestampRange)
	default:
		// Times before the interface's offset or beyond 64-bit units;
		// resolutions whose units per second exceed 64 bits.
		return errors.Is(err, pcapng.ErrTimestampRange) || errors.Is(err, pcapng.ErrResolution)
	}
}

func samePacket(got, want *pkt.Packet, format capfile.Format, pcapRes pkt.Resolution, ifaces []pkt.Interface) error {
	if got.Length != want.Length {
		return fmt.Errorf("length %d, want %d", got.Length, want.Length)
	}
	if !bytes.Equal(got.Data, want.Data) {
		return fmt.Errorf("data differs (%d bytes, want %d)", len(got.Data), len(want.Data))
	}
	wantTime := want.Timestamp
	if format == capfile.Pcap {
		if pcapRes == pkt.Microsecond {
			wantTime = wantTime.Truncate(time.Microsecond)
		}
	} else {
		// The interface keeps its resolution. A timestamp finer than it
		// comes from a pcap file whose microsecond field is out of range
		// (>= 10^6): like libpcap and Wireshark, the reader scales it to
		// nanoseconds in 32-bit arithmetic, which wraps.
		if ups, ok := ifaces[want.Interface].Resolution.UnitsPerSecond(); ok && ups <= 1e9 && 1e9%ups == 0 {
			wantTime = wantTime.Truncate(time.Duration(1e9 / ups))
		}
		if got.Interface != want.Interface {
			return fmt.Errorf("interface %d, want %d", got.Interface, want.Interface)
		}
		if !slices.EqualFunc(got.Options, want.Options, func(a, b pkt.Option) bool {
			return a.Code == b.Code && bytes.Equal(a.Value, b.Value)
		}) {
			return fmt.Errorf("options %v, want %v", got.Options, want.Options)
		}
	}
	if !got.Timestamp.Equal(wantTime) {
		return fmt.Errorf("timestamp %s, want %s (read %s)", got.Timestamp.UTC().Format(time.RFC3339Nano),
			wantTime.UTC().Format(time.RFC3339Nano), want.Timestamp.UTC().Format(time.RFC3339Nano))
	}
	return nil
}

func sameInterface(got, want pkt.Interface) error {
	if got.LinkType != want.LinkType || got.SnapLen != want.SnapLen || got.Resolution != want.Resolution ||
		got.TimestampOffset != want.TimestampOffset || got.FCSLen != want.FCSLen {
		return fmt.Errorf("%+v, want %+v", got, want)
	}
	if !slices.EqualFunc(got.Options, want.Options, func(a, b pkt.Option) bool {
		return a.Code == b.Code && bytes.Equal(a.Value, b.Value)
	}) {
		return fmt.Errorf("options %v, want %v", got.Options, want.Options)
	}
	return nil
}

// checkBlockCopy copies a pcapng input block by block, as pcaptool convert
// does, and compares the copy with the decompressed bytes the blocks came
// from.
func checkBlockCopy(t *testing.T, data []byte) {
	t.Helper()
	raw, err := capfile.NewRawReader(bytes.NewReader(data), "input")
	if err != nil {
		t.Fatalf("capfile reads the input but not its raw bytes: %v", err)
	}
	plain, _ := io.ReadAll(io.LimitReader(raw, maxDataBytes))
	raw.Close()
	r, err := capfile.NewReader(bytes.NewReader(data), "input", capfile.ReaderOptions{MaxPacketSize: maxPacketSize})
	if err != nil {
		t.Fatalf("second open: %v", err)
	}
	defer r.Close()
	blocks := r.Pcapng().Blocks()
	var out bytes.Buffer
	w := pcapng.NewWriter(&out)
	consumed := int64(0)
	for range maxPackets {
		b, err := blocks.Next()
		if err != nil {
			break
		}
		if err := w.WriteBlock(b); err != nil {
			t.Fatalf("writing block %d (%s) read from the input: %v", b.Info().Index, b.Type(), err)
		}
		consumed = blocks.Offset()
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if consumed > int64(len(plain)) {
		return // beyond what was decompressed for the comparison
	}
	if !bytes.Equal(out.Bytes(), plain[:consumed]) {
		t.Fatalf("block copy of the %d bytes read differs", consumed)
	}
}
