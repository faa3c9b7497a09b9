package validate

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/internal/testenv"
	"github.com/pcaptool/pcaptool/internal/testgen"
	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pcapng"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

// sample writes a small generated capture and returns its bytes.
func sample(t testing.TB, format capfile.Format, packets int) []byte {
	t.Helper()
	name := filepath.Join(t.TempDir(), "sample")
	testgen.Write(t, name, capfile.WriterOptions{Format: format}, synth.Config{Packets: packets, Seed: 7, Flows: 4})
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// blockAt describes one pcapng block of a sample.
type blockAt struct {
	off    int
	typ    uint32
	length int
}

// ngBlocks lists the blocks of a little-endian pcapng file.
func ngBlocks(b []byte) []blockAt {
	var out []blockAt
	for off := 0; off+12 <= len(b); {
		n := int(binary.LittleEndian.Uint32(b[off+4:]))
		out = append(out, blockAt{off, binary.LittleEndian.Uint32(b[off:]), n})
		off += n
	}
	return out
}

func nthBlock(t testing.TB, b []byte, typ uint32, n int) blockAt {
	t.Helper()
	for _, blk := range ngBlocks(b) {
		if blk.typ == typ {
			if n == 0 {
				return blk
			}
			n--
		}
	}
	t.Fatalf("no block of type %#x", typ)
	return blockAt{}
}

// pcapRecords lists the record offsets of a pcap file.
func pcapRecords(b []byte) []int {
	var out []int
	for off := pcap.FileHeaderLen; off+16 <= len(b); {
		out = append(out, off)
		off += 16 + int(binary.LittleEndian.Uint32(b[off+8:]))
	}
	return out
}

func run(t testing.TB, b []byte, opts Options) *Report {
	t.Helper()
	rep, err := Reader(bytes.NewReader(b), opts)
	if err != nil {
		t.Fatalf("Reader: %v", err)
	}
	return rep
}

func hasFinding(rep *Report, code string, off int64) bool {
	for _, f := range rep.Findings {
		if f.Code == code && (off < 0 || f.Offset == off) {
			return true
		}
	}
	return false
}

func TestCleanSamples(t *testing.T) {
	for _, format := range []capfile.Format{capfile.Pcap, capfile.Pcapng} {
		t.Run(format.String(), func(t *testing.T) {
			b := sample(t, format, 50)
			rep := run(t, b, Options{Strict: true})
			if !rep.Clean() || rep.Packets != 50 || rep.Size != int64(len(b)) {
				t.Fatalf("want clean with 50 packets over %d bytes, got %+v", len(b), rep)
			}
		})
	}
}

// TestCorruptions damages generated files in specific ways and checks that
// each gives the expected finding at the expected offset.
func TestCorruptions(t *testing.T) {
	ng := sample(t, capfile.Pcapng, 6)
	pc := sample(t, capfile.Pcap, 6)
	idb := nthBlock(t, ng, uint32(pcapng.TypeInterfaceDescription), 0)
	epb1 := nthBlock(t, ng, uint32(pcapng.TypeEnhancedPacket), 1)
	epb2 := nthBlock(t, ng, uint32(pcapng.TypeEnhancedPacket), 2)
	last := ngBlocks(ng)[len(ngBlocks(ng))-1]
	recs := pcapRecords(pc)
	le := binary.LittleEndian
	type tc struct {
		name   string
		in     []byte
		damage func(b []byte) []byte
		sev    Severity
		code   string
		offset int64
		// packets is how many packets a repair keeps.
		packets int
	}
	cases := []tc{
		{"pcapng/length-not-multiple-of-4", ng, func(b []byte) []byte {
			le.PutUint32(b[epb1.off+4:], uint32(epb1.length+2))
			return b
		}, Error, CodeBlockLength, int64(epb1.off + 4), 6}, // the trailing length restores it
		{"pcapng/length-too-small", ng, func(b []byte) []byte {
			le.PutUint32(b[epb1.off+4:], 8)
			return b
		}, Error, CodeBlockLength, int64(epb1.off + 4), 6},
		{"pcapng/length-past-end", ng, func(b []byte) []byte {
			le.PutUint32(b[epb1.off+4:], 1<<20)
			return b
		}, Error, CodeBlockLength, int64(epb1.off + 4), 6},
		{"pcapng/trailing-length-mismatch", ng, func(b []byte) []byte {
			le.PutUint32(b[epb1.off+epb1.length-4:], uint32(epb1.length+4))
			return b
		}, Error, CodeTrailingLength, int64(epb1.off + epb1.length - 4), 6}, // the next block is where the leading length says
		{"pcapng/interface-id-out-of-range", ng, func(b []byte) []byte {
			le.PutUint32(b[epb2.off+8:], 3)
			return b
		}, Error, CodeInterfaceID, int64(epb2.off + 8), 5},
		{"pcapng/caplen-overruns-block", ng, func(b []byte) []byte {
			le.PutUint32(b[epb2.off+20:], uint32(epb2.length))
			return b
		}, Error, CodeCaptureLength, int64(epb2.off + 20), 5},
		{"pcapng/caplen-above-snaplen", ng, func(b []byte) []byte {
			le.PutUint32(b[idb.off+12:], 20)
			return b
		}, Warning, CodeSnapLen, int64(nthBlock(t, ng, uint32(pcapng.TypeEnhancedPacket), 0).off + 20), 6},
		{"pcapng/caplen-above-original-length", ng, func(b []byte) []byte {
			le.PutUint32(b[epb2.off+24:], 10)
			return b
		}, Warning, CodeOriginalLength, int64(epb2.off + 20), 6},
		{"pcapng/bad-option-length", ng, func(b []byte) []byte {
			// The IDB's first option claims more bytes than the block has.
			le.PutUint16(b[idb.off+18:], 0x400)
			return b
		}, Error, CodeOption, int64(idb.off + 16), 6},
		{"pcapng/non-zero-option-padding", ng, func(b []byte) []byte {
			// shb_userappl "pcaptool" is 8 bytes: append a 1-byte
			// comment option would change lengths, so instead dirty the
			// padding of the IDB's if_tsresol (1 byte + 3 padding).
			for p := idb.off + 16; p < idb.off+idb.length-4; {
				code, n := pkt.OptionCode(le.Uint16(b[p:])), int(le.Uint16(b[p+2:]))
				if code == pkt.OptIfTsresol {
					b[p+4+n] = 0xee
					return b
				}
				p += 4 + pad4(n)
			}
			t.Fatal("sample IDB has no if_tsresol")
			return b
		}, Warning, CodePadding, -1, 6},
		{"pcapng/bad-byte-order-magic", ng, func(b []byte) []byte {
			le.PutUint32(b[8:], 0x01020304)
			return b
		}, Error, CodeByteOrder, 8, 6}, // a section header is written for the blocks
		{"pcapng/unsupported-version", ng, func(b []byte) []byte {
			le.PutUint16(b[12:], 2)
			return b
		}, Error, CodeVersion, 12, 0},
		{"pcapng/truncated-last-block", ng, func(b []byte) []byte {
			return b[:len(b)-5]
		}, Error, CodeTruncated, int64(last.off), 5},
		{"pcapng/partial-block-header-at-end", ng, func(b []byte) []byte {
			return append(b, 6, 0, 0, 0, 0x20)
		}, Error, CodeTruncated, int64(len(ng)), 6},
		{"pcapng/garbage-after-end", ng, func(b []byte) []byte {
			return append(b, bytes.Repeat([]byte{0x55}, 40)...)
		}, Error, CodeGarbage, int64(len(ng)), 6},
		{"pcap/bad-magic", pc, func(b []byte) []byte {
			le.PutUint32(b, 0xdeadbeef)
			return b
		}, Error, CodeMagic, 0, 0},
		{"pcap/caplen-above-snaplen", pc, func(b []byte) []byte {
			le.PutUint32(b[16:], 30)
			return b
		}, Warning, CodeSnapLen, int64(recs[0] + 8), 6},
		{"pcap/caplen-above-original-length", pc, func(b []byte) []byte {
			le.PutUint32(b[recs[2]+12:], 10)
			return b
		}, Warning, CodeOriginalLength, int64(recs[2] + 12), 6},
		{"pcap/absurd-original-length", pc, func(b []byte) []byte {
			le.PutUint32(b[recs[2]+12:], 0xffffffff)
			return b
		}, Warning, CodeOriginalLength, int64(recs[2] + 12), 6},
		{"pcap/implausible-caplen", pc, func(b []byte) []byte {
			le.PutUint32(b[recs[2]+8:], 0x7fffffff)
			return b
		}, Error, CodeCaptureLength, int64(recs[2] + 8), 6}, // the next record is where the original length ends
		{"pcap/caplen-into-next-record", pc, func(b []byte) []byte {
			// Record 2 claims 3 bytes of record 3: record 3 starts where
			// record 2's original length ends, which restores it.
			le.PutUint32(b[recs[2]+8:], le.Uint32(b[recs[2]+8:])+3)
			return b
		}, Error, CodeCaptureLength, int64(recs[2] + 8), 6},
		{"pcap/bad-microseconds", pc, func(b []byte) []byte {
			le.PutUint32(b[recs[1]+4:], 2_000_000_000)
			return b
		}, Warning, CodeTimestamp, int64(recs[1] + 4), 6},
		{"pcap/truncated-last-record", pc, func(b []byte) []byte {
			return b[:len(b)-3]
		}, Error, CodeTruncated, int64(recs[5]), 5},
		{"pcap/partial-record-header", pc, func(b []byte) []byte {
			return append(b, 1, 2, 3, 4, 5)
		}, Error, CodeTruncated, int64(len(pc)), 6},
		{"pcap/truncated-file-header", pc, func(b []byte) []byte {
			return b[:10]
		}, Error, CodeTruncated, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := c.damage(bytes.Clone(c.in))
			rep := run(t, b, Options{})
			found := false
			for _, f := range rep.Findings {
				if f.Code == c.code && f.Severity == c.sev && (c.offset < 0 || f.Offset == c.offset) {
					found = true
				}
			}
			if !found {
				t.Fatalf("want %s %s at offset %d; got %v", c.sev, c.code, c.offset, rep.Findings)
			}
			if c.sev == Warning && rep.Errors != 0 {
				t.Errorf("a warning-only damage gave errors: %v", rep.Findings)
			}
			if c.code == CodeMagic {
				return
			}
			kept := repairBytes(t, b)
			n := readAll(t, kept)
			if n != c.packets {
				t.Errorf("repair kept %d packets, want %d (findings %v)", n, c.packets, rep.Findings)
			}
		})
	}
}

// repairBytes runs the repair logic on b and returns the output.
func repairBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var out bytes.Buffer
	_, err := Reader(bytes.NewReader(b), Options{Keep: func(p []byte) error {
		out.Write(p)
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// readAll reads a repaired capture with the project's strict readers and
// returns its packet count; any error fails t.
func readAll(t testing.TB, b []byte) int {
	t.Helper()
	n, err := readAllErr(b)
	if err != nil {
		t.Fatalf("repaired output unreadable after %d packets: %v", n, err)
	}
	return n
}

func readAllErr(b []byte) (int, error) {
	if len(b) == 0 {
		return 0, nil
	}
	// The format readers with small buffers: this runs thousands of times.
	var next func() error
	if pcap.IsPcap(b) {
		r, err := pcap.NewReaderOptions(bytes.NewReader(b), pcap.ReaderOptions{BufferSize: 4096})
		if err != nil {
			return 0, err
		}
		next = func() error { _, err := r.ReadPacket(); return err }
	} else {
		r, err := pcapng.NewPacketReader(bytes.NewReader(b), pcapng.ReaderOptions{BufferSize: 4096})
		if err != nil {
			return 0, err
		}
		next = func() error { _, err := r.ReadPacket(); return err }
	}
	n := 0
	for {
		err := next()
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		n++
	}
}

// TestTruncateEveryByte cuts generated files at every length: the
// validator never panics, finds exactly the cuts that are not at a block
// boundary, and the repair of each is readable.
func TestTruncateEveryByte(t *testing.T) {
	for _, format := range []capfile.Format{capfile.Pcap, capfile.Pcapng} {
		t.Run(format.String(), func(t *testing.T) {
			b := sample(t, format, 5)
			bounds := map[int]bool{}
			if format == capfile.Pcapng {
				for _, blk := range ngBlocks(b) {
					bounds[blk.off+blk.length] = true
				}
			} else {
				bounds[pcap.FileHeaderLen] = true
				for _, off := range pcapRecords(b) {
					bounds[off+16+int(binary.LittleEndian.Uint32(b[off+8:]))] = true
				}
			}
			for n := 0; n <= len(b); n++ {
				rep := run(t, b[:n], Options{})
				switch {
				case n < 4:
					if rep.Errors != 1 || rep.Findings[0].Code != CodeMagic {
						t.Fatalf("cut at %d: %v", n, rep.Findings)
					}
					continue
				case bounds[n]:
					if !rep.Clean() {
						t.Fatalf("cut at block boundary %d: %v", n, rep.Findings)
					}
				default:
					if rep.Errors != 1 || rep.Findings[0].Code != CodeTruncated {
						t.Fatalf("cut at %d: want one truncation error, got %v", n, rep.Findings)
					}
				}
				readAll(t, repairBytes(t, b[:n]))
			}
		})
	}
}

// TestFlipEveryByte damages each byte of generated files in turn: the
// validator never panics and whatever the repair keeps, the strict readers
// read to the end.
func TestFlipEveryByte(t *testing.T) {
	for _, format := range []capfile.Format{capfile.Pcap, capfile.Pcapng} {
		t.Run(format.String(), func(t *testing.T) {
			b := sample(t, format, 4)
			for i := range b {
				for _, x := range []byte{0xff, 0x01, 0x80} {
					d := bytes.Clone(b)
					d[i] ^= x
					Reader(bytes.NewReader(d), Options{Strict: true})
					out := repairBytes(t, d)
					if len(out) >= 4 && (pcap.IsPcap(out) || pcapng.IsPcapng(out)) {
						if n, err := readAllErr(out); err != nil {
							t.Errorf("byte %d xor %#02x: repaired output unreadable after %d packets: %v", i, x, n, err)
						}
					}
				}
			}
		})
	}
}

func TestStrict(t *testing.T) {
	b := sample(t, capfile.Pcapng, 6)
	e1 := nthBlock(t, b, uint32(pcapng.TypeEnhancedPacket), 1)
	e2 := nthBlock(t, b, uint32(pcapng.TypeEnhancedPacket), 2)
	le := binary.LittleEndian
	d := bytes.Clone(b)
	// Packet 2 gets packet 1's timestamp minus one unit: out of order.
	hi, lo := le.Uint32(d[e1.off+12:]), le.Uint32(d[e1.off+16:])
	ts := uint64(hi)<<32 | uint64(lo) - 1
	le.PutUint32(d[e2.off+12:], uint32(ts>>32))
	le.PutUint32(d[e2.off+16:], uint32(ts))
	if rep := run(t, d, Options{}); !rep.Clean() {
		t.Fatalf("non-strict mode reports %v", rep.Findings)
	}
	rep := run(t, d, Options{Strict: true})
	if !hasFinding(rep, CodeTimeOrder, int64(e2.off)) {
		t.Errorf("no time-order finding at %d: %v", e2.off, rep.Findings)
	}
	// A duplicated block gives a duplicate packet.
	dup := append(bytes.Clone(b[:e2.off]), b[e1.off:e2.off]...)
	dup = append(dup, b[e2.off:]...)
	rep = run(t, dup, Options{Strict: true})
	if !hasFinding(rep, CodeDuplicate, int64(e2.off)) {
		t.Errorf("no duplicate finding at %d: %v", e2.off, rep.Findings)
	}
	// An unknown link type.
	idb := nthBlock(t, b, uint32(pcapng.TypeInterfaceDescription), 0)
	lt := bytes.Clone(b)
	le.PutUint16(lt[idb.off+8:], 60000)
	rep = run(t, lt, Options{Strict: true})
	if !hasFinding(rep, CodeLinkType, int64(idb.off+8)) {
		t.Errorf("no link-type finding: %v", rep.Findings)
	}
}

// TestRepairMiddleBlock damages a block in the middle of a file: Repair
// drops it and keeps the rest, which the strict readers and tshark read.
func TestRepairMiddleBlock(t *testing.T) {
	b := sample(t, capfile.Pcapng, 20)
	e := nthBlock(t, b, uint32(pcapng.TypeEnhancedPacket), 9)
	// Both lengths destroyed: nothing tells where the block ended.
	binary.LittleEndian.PutUint32(b[e.off+4:], 0xfffffff0)
	binary.LittleEndian.PutUint32(b[e.off+e.length-4:], 0xfffffff0)
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.pcapng"), filepath.Join(dir, "out.pcapng")
	if err := os.WriteFile(in, b, 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := Repair(in, out, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Dropped.Blocks != 0 || rep.Dropped.Bytes != int64(e.length) || len(rep.Dropped.Regions) != 1 ||
		rep.Dropped.Regions[0].Offset != int64(e.off) {
		t.Errorf("dropped %+v, want the %d bytes at %d", rep.Dropped, e.length, e.off)
	}
	kept, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if want := append(bytes.Clone(b[:e.off]), b[e.off+e.length:]...); !bytes.Equal(kept, want) {
		t.Errorf("repaired file is not the input without the damaged block")
	}
	if n := readAll(t, kept); n != 19 {
		t.Errorf("repaired file has %d packets, want 19", n)
	}
	if again, err := File(out, Options{Strict: true}); err != nil || !again.Clean() {
		t.Errorf("repaired file does not validate: %v %v", err, again.Findings)
	}
	tshark := testenv.RequireTool(t, "tshark")
	cmd := exec.Command(tshark, "-r", out, "-T", "fields", "-e", "frame.number")
	res, err := cmd.Output()
	if err != nil {
		t.Fatalf("tshark cannot read the repaired file: %v", err)
	}
	if n := strings.Count(string(res), "\n"); n != 19 {
		t.Errorf("tshark reads %d packets, want 19", n)
	}
}

func TestRepairRefusesNonCapture(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.txt"), filepath.Join(dir, "out.pcap")
	os.WriteFile(in, []byte("hello, world\n"), 0o644)
	if _, err := Repair(in, out, Options{}); !errors.Is(err, ErrNotCapture) {
		t.Fatalf("want ErrNotCapture, got %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("output written for a non-capture input")
	}
}

// TestCorpus validates every corpus file: none is structurally damaged, so
// there must be no error, only warnings, and capinfos must read every file
// except those of link types Wireshark does not know.
func TestCorpus(t *testing.T) {
	files := testenv.CorpusFiles(t, "")
	capinfos := testenv.RequireTool(t, "capinfos")
	warned := 0
	for _, f := range files {
		rep, err := File(f, Options{})
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if rep.Errors > 0 {
			t.Errorf("%s: %v", f, rep.Findings)
		}
		if rep.Warnings > 0 {
			warned++
		}
	}
	// capinfos' verdict: a file is bad when it fails to read it.
	const batch = 100
	bad := 0
	for i := 0; i < len(files); i += batch {
		cmd := exec.Command(capinfos, append([]string{"-c"}, files[i:min(i+batch, len(files))]...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		cmd.Run()
		for _, line := range strings.Split(stderr.String(), "\n") {
			if strings.HasPrefix(line, "capinfos:") {
				bad++
			} else if line != "" && !strings.Contains(line, "network type") && !strings.Contains(line, "unknown or unsupported") {
				t.Errorf("capinfos finds a problem we do not: %s", line)
			}
		}
	}
	t.Logf("%d corpus files: 0 with errors, %d with warnings only; capinfos refuses %d (unknown link types)",
		len(files), warned, bad)
}

// TestRepairOriginalLength damages one record's original length (below the
// captured length, zero, absurd) and checks that the repair restores the
// record byte for byte, as pcapfix does: its captured length is sound, so
// the original length becomes the captured length, which the sample's
// untruncated packets had.
func TestRepairOriginalLength(t *testing.T) {
	pc := sample(t, capfile.Pcap, 6)
	recs := pcapRecords(pc)
	le := binary.LittleEndian
	for _, bad := range []uint32{10, 0, 1 << 25, 0xffffffff} {
		t.Run(fmt.Sprint(bad), func(t *testing.T) {
			b := bytes.Clone(pc)
			le.PutUint32(b[recs[2]+12:], bad)
			if got := repairBytes(t, b); !bytes.Equal(got, pc) {
				t.Errorf("repair output differs from the undamaged file")
			}
		})
	}
}
