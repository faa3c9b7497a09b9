package fuzz

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pcapng"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

// compressors produce each compression capfile reads.
var compressors = map[string]func([]byte) []byte{
	"none": func(b []byte) []byte { return b },
	"gzip": func(b []byte) []byte {
		var buf bytes.Buffer
		w := gzip.NewWriter(&buf)
		w.Write(b)
		w.Close()
		return buf.Bytes()
	},
	"zstd": func(b []byte) []byte {
		w, _ := zstd.NewWriter(nil)
		defer w.Close()
		return w.EncodeAll(b, nil)
	},
	"lz4": func(b []byte) []byte {
		var buf bytes.Buffer
		w := lz4.NewWriter(&buf)
		w.Write(b)
		w.Close()
		return buf.Bytes()
	},
}

// hugeLengthFiles are 100-byte files whose second record (pcap) or block
// (pcapng) claims 4 GiB, and for comparison a benign file of the same
// size and kind.
func hugeLengthFiles(t *testing.T) map[string][2][]byte {
	le := binary.LittleEndian
	pcapHdr := le.AppendUint32(nil, 0xa1b2c3d4)
	pcapHdr = le.AppendUint16(pcapHdr, 2)
	pcapHdr = le.AppendUint16(pcapHdr, 4)
	pcapHdr = append(pcapHdr, make([]byte, 8)...)
	pcapHdr = le.AppendUint32(pcapHdr, 65535) // snap length
	pcapHdr = le.AppendUint32(pcapHdr, 1)     // Ethernet
	record := func(capLen uint32, body int) []byte {
		r := le.AppendUint32(nil, 1)
		r = le.AppendUint32(r, 0)
		r = le.AppendUint32(r, capLen)
		r = le.AppendUint32(r, capLen)
		return append(r, make([]byte, body)...)
	}
	pad := func(b []byte) []byte { return append(b, make([]byte, 100-len(b))...) }
	hostilePcap := pad(append(append(bytes.Clone(pcapHdr), record(4, 4)...), record(0xffffffff, 0)...))
	benignPcap := pad(append(bytes.Clone(pcapHdr), record(76-16, 76-16)...))

	ng := blockFile(t, binary.LittleEndian)
	shbLen := int(le.Uint32(ng[4:]))
	// The section header and interface block, then a block whose length
	// is 4 GiB - 4.
	idbLen := int(le.Uint32(ng[shbLen+4:]))
	head := bytes.Clone(ng[:shbLen+idbLen])
	hostileNg := append(bytes.Clone(head), 6, 0, 0, 0, 0xfc, 0xff, 0xff, 0xff)
	benignNg := append(bytes.Clone(head), 6, 0, 0, 0, 32, 0, 0, 0)
	benignNg = append(benignNg, make([]byte, 20)...)
	benignNg = le.AppendUint32(benignNg, 32)
	if len(hostileNg) > 100 {
		t.Fatalf("pcapng header is %d bytes", len(hostileNg))
	}
	return map[string][2][]byte{
		"pcap":   {hostilePcap, benignPcap},
		"pcapng": {pad(hostileNg), benignNg},
	}
}

// TestHugeLengthThroughCapfile gives capfile a 100-byte file whose
// second record or block claims 4 GiB, with the size limit lifted so that
// only the data present can stop the reader, in every compression. It must
// fail naming the record or block, having allocated no more than reading
// a benign file of the same size does, give or take a few KB.
func TestHugeLengthThroughCapfile(t *testing.T) {
	for kind, pair := range hugeLengthFiles(t) {
		for comp, compress := range compressors {
			t.Run(kind+"/"+comp, func(t *testing.T) {
				hostile, benign := compress(pair[0]), compress(pair[1])
				read := func(data []byte) (uint64, int, error) {
					// No runtime.GC here: it would empty the pools.
					var before, after runtime.MemStats
					runtime.ReadMemStats(&before)
					r, err := capfile.NewReader(bytes.NewReader(data), "huge", capfile.ReaderOptions{MaxPacketSize: math.MaxUint32})
					n := 0
					if err == nil {
						for ; ; n++ {
							if _, err = r.ReadPacket(); err != nil {
								break
							}
						}
						r.Close()
					}
					runtime.ReadMemStats(&after)
					return after.TotalAlloc - before.TotalAlloc, n, err
				}
				// The least of a few runs: the decompressors keep
				// buffers in pools that a run may or may not find full.
				least := func(data []byte) (uint64, int, error) {
					alloc, n, err := read(data)
					for range 3 {
						a, _, _ := read(data)
						alloc = min(alloc, a)
					}
					return alloc, n, err
				}
				base, _, err := least(benign)
				if err != io.EOF {
					t.Fatalf("benign file: %v", err)
				}
				got, n, err := least(hostile)
				if err == nil || err == io.EOF {
					t.Fatalf("4 GiB length accepted (%d packets)", n)
				}
				if !errors.Is(err, pcap.ErrTruncated) && !errors.Is(err, pcapng.ErrTruncated) {
					t.Errorf("error %v, want a truncation", err)
				}
				var pe *pcap.FormatError
				var ne *pcapng.FormatError
				if !errors.As(err, &pe) && !errors.As(err, &ne) {
					t.Errorf("error %v does not name the offset", err)
				}
				if got > base+8<<10 {
					t.Errorf("allocated %d bytes, %d for a benign file of the same size", got, base)
				}
				t.Logf("%d packets, then %v; allocated %d bytes (benign file: %d)", n, err, got, base)
				// With the default limits the length is refused at once.
				r, err := capfile.NewReader(bytes.NewReader(hostile), "huge", capfile.ReaderOptions{})
				if err == nil {
					for {
						if _, err = r.ReadPacket(); err != nil {
							break
						}
					}
					r.Close()
				}
				if !errors.Is(err, pcap.ErrCaptureLength) && !errors.Is(err, pcapng.ErrBlockTooLarge) {
					t.Errorf("default limit: %v, want a length error", err)
				}
			})
		}
	}
}

// layout is where the packets of a valid file end.
type layout struct {
	headerEnd    int   // end of the file header, or of the first section header
	packetStarts []int // offset of each packet's record or block
	packetEnds   []int // end offset of each packet's record or block
	blockEnds    map[int]bool
}

func fileLayout(t *testing.T, data []byte) layout {
	t.Helper()
	l, err := layoutOf(data)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// layoutOf parses a valid uncompressed file (pcap records of 16-byte
// headers only).
func layoutOf(data []byte) (layout, error) {
	l := layout{blockEnds: map[int]bool{}}
	if pcap.IsPcap(data) {
		r, err := pcap.NewReaderOptions(bytes.NewReader(data), pcap.ReaderOptions{MaxPacketSize: maxPacketSize})
		if err != nil {
			return l, err
		}
		off := pcap.FileHeaderLen
		l.headerEnd = off
		for {
			rec, err := r.ReadPacket()
			if err == io.EOF {
				break
			}
			if err != nil {
				return l, err
			}
			l.packetStarts = append(l.packetStarts, off)
			off += 16 + len(rec.Data)
			l.packetEnds = append(l.packetEnds, off)
			l.blockEnds[off] = true
		}
		return l, nil
	}
	r, err := pcapng.NewReader(bytes.NewReader(data))
	if err != nil {
		return l, err
	}
	for {
		b, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return l, err
		}
		end := int(b.Info().Offset) + int(b.Info().Length)
		if b.Info().Index == 0 {
			l.headerEnd = end
		}
		l.blockEnds[end] = true
		switch b.Type() {
		case pcapng.TypeEnhancedPacket, pcapng.TypeSimplePacket, pcapng.TypePacket:
			l.packetStarts = append(l.packetStarts, int(b.Info().Offset))
			l.packetEnds = append(l.packetEnds, end)
		}
	}
	return l, nil
}

// readBounded reads every packet of data through capfile and fails t if
// reading does not end: a reader cannot return more packets than the input
// has 12-byte groups. (A reader stuck inside one call would hit the test
// timeout; the callers also bound their total time.)
func readBounded(t *testing.T, data []byte, what string) (int, error) {
	t.Helper()
	return readLimited(t, data, what, len(data)/12+1)
}

// readLimited is readBounded with an explicit packet limit, for compressed
// input (which may expand).
func readLimited(t *testing.T, data []byte, what string, limit int) (int, error) {
	t.Helper()
	r, err := capfile.NewReader(bytes.NewReader(data), what, capfile.ReaderOptions{MaxPacketSize: maxPacketSize})
	if err != nil {
		return 0, err
	}
	defer r.Close()
	for n := 0; n <= limit; n++ {
		if _, err := r.ReadPacket(); err != nil {
			if err == io.EOF {
				err = nil
			}
			return n, err
		}
	}
	t.Fatalf("%s: reader returned more than %d packets from %d bytes", what, limit, len(data))
	return 0, nil
}

// checkDuration fails t when a loop over damaged copies took too long: a
// reader that slows down on some input shows here. A copy takes about a
// millisecond; the bound is a hundred times that, for loaded machines.
func checkDuration(t *testing.T, start time.Time, copies int) {
	t.Helper()
	if d := time.Since(start); d > time.Duration(copies)*100*time.Millisecond+30*time.Second {
		t.Errorf("%d damaged copies took %v to read", copies, d)
	}
}

// smallFiles are the small valid files the truncation and bit-flip tests
// damage.
func smallFiles(t *testing.T) map[string][]byte {
	dir := t.TempDir()
	small := func(seed uint64, n int, res pkt.Resolution) pkt.Reader {
		return synth.New(synth.Config{Packets: n, Seed: seed, SnapLen: 40, Resolution: res, MeanGap: time.Millisecond})
	}
	return map[string][]byte{
		"pcap":            writeFile(t, dir, "a.pcap", small(11, 3, pkt.Microsecond), capfile.WriterOptions{Format: capfile.Pcap}),
		"pcap-nsec-be":    writeFile(t, dir, "b.pcap", small(12, 2, pkt.Nanosecond), capfile.WriterOptions{Format: capfile.Pcap, ByteOrder: binary.BigEndian}),
		"pcapng":          writeFile(t, dir, "c.pcapng", small(13, 3, pkt.Nanosecond), capfile.WriterOptions{Format: capfile.Pcapng}),
		"pcapng-mixed-be": writeFile(t, dir, "d.pcapng", mixedPackets(), capfile.WriterOptions{Format: capfile.Pcapng, ByteOrder: binary.BigEndian}),
		"pcapng-blocks":   blockFile(t, binary.LittleEndian),
	}
}

// TestTruncateEveryByte cuts small pcap and pcapng files at every length:
// reading through capfile returns exactly the packets whose record or
// block ends before the cut, then ends cleanly at a boundary or fails with
// an error naming the offset; compressed copies cut anywhere never return
// more.
func TestTruncateEveryByte(t *testing.T) {
	for name, data := range smallFiles(t) {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			l := fileLayout(t, data)
			for cut := 0; cut <= len(data); cut++ {
				n, err := readBounded(t, data[:cut], name)
				want := 0
				for _, end := range l.packetEnds {
					if end <= cut {
						want++
					}
				}
				if n != want {
					t.Fatalf("cut at %d: %d packets, want %d (%v)", cut, n, want, err)
				}
				switch {
				case cut < l.headerEnd:
					if err == nil {
						t.Fatalf("cut at %d, inside the header: no error", cut)
					}
				case l.blockEnds[cut] || cut == l.headerEnd:
					if err != nil {
						t.Fatalf("cut at %d, a boundary: %v", cut, err)
					}
				default:
					var pe *pcap.FormatError
					var ne *pcapng.FormatError
					switch {
					case errors.As(err, &pe):
						if pe.Offset < int64(l.headerEnd) || pe.Offset >= int64(cut) {
							t.Fatalf("cut at %d: error at offset %d: %v", cut, pe.Offset, err)
						}
					case errors.As(err, &ne):
						if ne.Offset < int64(l.headerEnd) || ne.Offset >= int64(cut) {
							t.Fatalf("cut at %d: error at offset %d: %v", cut, ne.Offset, err)
						}
					default:
						t.Fatalf("cut at %d: %v, want an error naming the offset", cut, err)
					}
				}
			}
			copies := len(data) + 1
			for comp, compress := range compressors {
				if comp == "none" || name != "pcap" && name != "pcapng" {
					continue
				}
				z := compress(data)
				for cut := 0; cut <= len(z); cut++ {
					if n, _ := readBounded(t, z[:cut], name); n > len(l.packetEnds) {
						t.Fatalf("%s cut at %d: %d packets of %d", comp, cut, n, len(l.packetEnds))
					}
				}
				copies += len(z) + 1
			}
			checkDuration(t, start, copies)
		})
	}
}

// TestFlipEveryBit flips every bit of small pcap and pcapng files, one at
// a time: reading returns packets or an error naming an offset inside the
// file, never a panic, a hang or an endless stream; the same holds for a
// flipped bit in every byte of a gzip-compressed copy.
func TestFlipEveryBit(t *testing.T) {
	for name, data := range smallFiles(t) {
		if name == "pcapng" || name == "pcapng-blocks" {
			continue // the mixed file has every field these have
		}
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			total := len(fileLayout(t, data).packetEnds)
			flips, failed := 0, 0
			for i := range len(data) * 8 {
				b := bytes.Clone(data)
				b[i/8] ^= 1 << (i % 8)
				n, err := readBounded(t, b, name)
				flips++
				if err == nil {
					continue
				}
				failed++
				var pe *pcap.FormatError
				var ne *pcapng.FormatError
				switch {
				case errors.As(err, &pe):
					if pe.Offset < 0 || pe.Offset > int64(len(b)) {
						t.Fatalf("bit %d: error offset %d outside the file: %v", i, pe.Offset, err)
					}
				case errors.As(err, &ne):
					if ne.Offset < 0 || ne.Offset > int64(len(b)) {
						t.Fatalf("bit %d: error offset %d outside the file: %v", i, ne.Offset, err)
					}
				case errors.Is(err, capfile.ErrUnknownFormat):
					if i >= 32 {
						t.Fatalf("bit %d: %v", i, err)
					}
				default:
					t.Fatalf("bit %d: %v after %d packets, want an error naming the offset", i, err, n)
				}
				if n > total+len(data)/12 {
					t.Fatalf("bit %d: %d packets", i, n)
				}
			}
			t.Logf("%d bit flips, %d read with an error", flips, failed)
			// One bit of every byte of a gzip copy: decompression may
			// expand damaged data, so the packet limit is generous.
			z := compressors["gzip"](data)
			for i := range z {
				b := bytes.Clone(z)
				b[i] ^= 1 << (i % 8)
				readLimited(t, b, name+".gz", 1<<20)
			}
			checkDuration(t, start, 8*len(data)+len(z))
		})
	}
}

// TestDecompressionBombBounded feeds capfile a small zstd frame that
// expands to 64 MiB of zeros: a pcap file of empty records. Reading is
// streaming, so memory stays bounded whatever the expansion.
func TestDecompressionBombBounded(t *testing.T) {
	testenvLong(t)
	var hdr bytes.Buffer
	w, err := pcap.NewWriter(&hdr, pcap.FileHeader{LinkType: 1, SnapLen: 65535})
	if err != nil {
		t.Fatal(err)
	}
	w.Flush()
	plain := append(hdr.Bytes(), make([]byte, 64<<20)...)
	enc, _ := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest))
	bomb := enc.EncodeAll(plain, nil)
	enc.Close()
	plain = nil
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r, err := capfile.NewReader(bytes.NewReader(bomb), "bomb", capfile.ReaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for {
		if _, err := r.ReadPacket(); err != nil {
			if err != io.EOF {
				t.Fatal(err)
			}
			break
		}
		n++
	}
	r.Close()
	runtime.ReadMemStats(&after)
	if want := 64 << 20 / 16; n != want {
		t.Errorf("%d packets, want %d", n, want)
	}
	if peak := after.HeapSys; peak > before.HeapSys+32<<20 {
		t.Errorf("heap grew from %d to %d bytes for a %d-byte input", before.HeapSys, peak, len(bomb))
	}
	t.Logf("%d-byte zstd input, 64 MiB expanded, %d packets; heap %d -> %d bytes", len(bomb), n, before.HeapSys, after.HeapSys)
}

func testenvLong(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped in -short mode")
	}
}

// writeTemp writes b to a file in dir.
func writeTemp(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
