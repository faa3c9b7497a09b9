package capfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pcapng"
	"github.com/pcaptool/pcaptool/pkt"
)

// Slicing by seeking, tcpslice's method: to read the packets stamped at or
// after a time from a large time-ordered capture, binary-search the file
// for the last record before that time instead of reading everything
// before it. A probe at an arbitrary byte offset re-synchronises on the
// first offset where a chain of plausible records (or blocks) starts, as
// repair does, and reads its timestamp. The stream then starts at the best
// probe, and the real reader verifies the chain from there: the first
// packet it reads must be earlier than the time, and every packet up to
// the first one at or after it must be in time order. Whenever something
// does not hold (a compressed or unseekable file, a probe out of time
// order, two plausible chains at one place, a new section or interface in
// the middle of a pcapng file, a modified-pcap file) the reader starts at
// the beginning of the file instead, so that the result is always that of
// reading everything.

// SeekOptions tune OpenFrom.
type SeekOptions struct {
	ReaderOptions
	// MinSize is the file size below which OpenFrom reads from the start:
	// for small files seeking gains nothing. 0 means 4 MiB; negative
	// means always try.
	MinSize int64
	// ProbeSize is the number of bytes read per probe; 0 means 16 KiB.
	// A probe reads more when records are longer.
	ProbeSize int
	// Backoff is how far before the best probe reading starts, so that
	// the time order the reader verifies up to the start time covers
	// more than the record found (a probe that landed on a packet
	// stamped back in time in an unordered file is then found out).
	// 0 means 256 KiB; negative means none.
	Backoff int64
}

// SeekResult says how OpenFrom positioned the reader.
type SeekResult struct {
	// Seeked is true when the reader starts past the beginning of the
	// file, at Offset; then the file was found in time order (at every
	// probe and in the records read up to the start time).
	Seeked bool
	// Offset is the file offset of the first record the reader read.
	Offset int64
	// Probes is the number of binary-search probes.
	Probes int
	// Fallback says why the reader starts at the beginning, when it does.
	Fallback string
}

// errSeekFallback marks the conditions where OpenFrom reads from the start.
var errSeekFallback = errors.New("capfile: cannot seek")

// seekMaxRecord bounds one record or block that a probe accepts.
const seekMaxRecord = 16 << 20

// seekChain is how many consecutive plausible records make a resync point.
const seekChain = 4

// OpenFrom opens the named capture for reading its packets stamped at or
// after start: the first packet the reader returns is the first one at or
// after start in file order, and the packets before it are skipped. On a
// seekable uncompressed pcap or pcapng file in time order it gets there by
// binary search, reading a few probes instead of the whole file (see
// SeekResult); otherwise it reads from the beginning and skips. Either
// way the packets returned are those that reading the whole file and
// dropping the packets before start would give, as long as the file is
// in time order past the probes (the condition tcpslice assumes).
func OpenFrom(name string, start time.Time, opts SeekOptions) (*Reader, SeekResult, error) {
	r, res, err := openSeeking(name, start, opts)
	if err == nil || !errors.Is(err, errSeekFallback) {
		return r, res, err
	}
	res = SeekResult{Fallback: err.Error(), Probes: res.Probes}
	if r, err = OpenOptions(name, opts.ReaderOptions); err != nil {
		return nil, res, err
	}
	if err := r.skipBefore(start, false); err != nil {
		r.Close()
		return nil, res, err
	}
	return r, res, nil
}

// openSeeking is OpenFrom's seeking path; errors wrapping errSeekFallback
// send OpenFrom to the streaming path.
func openSeeking(name string, start time.Time, opts SeekOptions) (*Reader, SeekResult, error) {
	var res SeekResult
	minSize := opts.MinSize
	if minSize == 0 {
		minSize = 4 << 20
	}
	if name == "-" {
		return nil, res, fmt.Errorf("%w: standard input", errSeekFallback)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, res, err
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() || st.Size() < minSize {
		f.Close()
		return nil, res, fmt.Errorf("%w: not a regular file of at least %d bytes", errSeekFallback, minSize)
	}
	p := &prober{f: f, size: st.Size(), probeSize: opts.ProbeSize, backoff: opts.Backoff}
	if p.probeSize <= 0 {
		p.probeSize = 16 << 10
	}
	switch {
	case p.backoff == 0:
		p.backoff = 256 << 10
	case p.backoff < 0:
		p.backoff = 0
	}
	lo, err := p.search(start, &res)
	if err != nil {
		f.Close()
		return nil, res, err
	}
	res.Offset = lo
	// The stream: the file's head (header, or the pcapng blocks before the
	// first packet) and then the file from the chosen record on.
	counter := &countingReader{r: io.MultiReader(bytes.NewReader(p.head), io.NewSectionReader(f, lo, p.size-lo))}
	counter.n.Store(p.read - int64(len(p.head)))
	raw := &RawReader{name: name, file: f, counter: counter, size: p.size, compression: CompressionNone}
	raw.src = counter
	r, err := newReader(raw, opts.ReaderOptions)
	if err != nil {
		f.Close()
		return nil, res, err
	}
	if lo > p.dataStart {
		res.Seeked = true
	}
	if err := r.skipBefore(start, res.Seeked); err != nil {
		r.Close()
		return nil, res, err
	}
	return r, res, nil
}

// skipBefore reads packets until the first one stamped at or after start
// and keeps it for the next ReadPacket. With verify, the first packet read
// must be earlier than start and the packets read in time order, or the
// error wraps errSeekFallback. Packets without a timestamp are skipped.
func (r *Reader) skipBefore(start time.Time, verify bool) error {
	var prev time.Time
	first := true
	for {
		p, err := r.ReadPacket()
		if err == io.EOF {
			r.atEOF = true
			return nil
		}
		if err != nil {
			if verify {
				return fmt.Errorf("%w: %v", errSeekFallback, err)
			}
			return err
		}
		if p.NoTimestamp {
			continue
		}
		if verify && first && !p.Timestamp.Before(start) {
			return fmt.Errorf("%w: the record sought to is not before the start time", errSeekFallback)
		}
		if verify && p.Timestamp.Before(prev) {
			return fmt.Errorf("%w: packets out of time order after the probe", errSeekFallback)
		}
		first, prev = false, p.Timestamp
		if !p.Timestamp.Before(start) {
			r.pending = p
			return nil
		}
	}
}

// prober finds records at arbitrary offsets of a file.
type prober struct {
	f         *os.File
	size      int64
	probeSize int
	backoff   int64
	read      int64 // bytes read from the file

	head      []byte // file header, or pcapng blocks before the first packet
	dataStart int64  // offset of the first record
	pcapHdr   pcap.FileHeader
	isPcapng  bool
	order     binary.ByteOrder
	ifaces    []pkt.Interface

	// minTime is the first record's time: a record stamped earlier is
	// not plausible in a time-ordered file (zeroed bytes inside a packet
	// look like records of 1970).
	minTime time.Time

	// the bytes buf hold file offsets [bufOff, bufOff+len(buf))
	buf    []byte
	bufOff int64
}

// bytesAt returns n bytes at off, or false past the end of the file.
func (p *prober) bytesAt(off int64, n int) ([]byte, bool, error) {
	if off < 0 || n < 0 || off+int64(n) > p.size {
		return nil, false, nil
	}
	if off >= p.bufOff && off+int64(n) <= p.bufOff+int64(len(p.buf)) {
		return p.buf[off-p.bufOff:][:n], true, nil
	}
	want := min(max(n, p.probeSize), int(min(p.size-off, math.MaxInt32)))
	if cap(p.buf) < want {
		p.buf = make([]byte, want)
	}
	p.buf = p.buf[:want]
	m, err := p.f.ReadAt(p.buf, off)
	p.read += int64(m)
	p.buf, p.bufOff = p.buf[:m], off
	if m < n {
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, false, err
	}
	return p.buf[:n], true, nil
}

// readHead reads the file header (and, for pcapng, the blocks before the
// first packet) and the interfaces.
func (p *prober) readHead() error {
	b, ok, err := p.bytesAt(0, 24)
	if err != nil || !ok {
		return fmt.Errorf("%w: short file", errSeekFallback)
	}
	if pcap.IsPcap(b) {
		h, err := pcap.ParseFileHeader(b)
		if err != nil || h.Modified {
			return fmt.Errorf("%w: pcap header not seekable", errSeekFallback)
		}
		p.pcapHdr, p.order, p.dataStart = h, h.ByteOrder, pcap.FileHeaderLen
		p.head = append([]byte(nil), b...)
		return nil
	}
	if !pcapng.IsPcapng(b[:4]) {
		return fmt.Errorf("%w: neither pcap nor pcapng", errSeekFallback)
	}
	p.isPcapng = true
	p.order = binary.LittleEndian
	if binary.BigEndian.Uint32(b[8:]) == 0x1A2B3C4D {
		p.order = binary.BigEndian
	}
	off := int64(0)
	for {
		h, ok, err := p.bytesAt(off, 8)
		if err != nil || !ok {
			return fmt.Errorf("%w: no packet block", errSeekFallback)
		}
		t, n := p.order.Uint32(h), p.order.Uint32(h[4:])
		if t == uint32(pcapng.TypeEnhancedPacket) || t == uint32(pcapng.TypeSimplePacket) || t == uint32(pcapng.TypePacket) {
			break
		}
		if n < 12 || n%4 != 0 || n > seekMaxRecord || (off > 0 && t == uint32(pcapng.TypeSectionHeader)) {
			return fmt.Errorf("%w: unusual blocks before the first packet", errSeekFallback)
		}
		off += int64(n)
	}
	head, ok, err := p.bytesAt(0, int(off))
	if err != nil || !ok {
		return fmt.Errorf("%w: head", errSeekFallback)
	}
	p.head, p.dataStart = append([]byte(nil), head...), off
	pr, err := pcapng.NewPacketReader(bytes.NewReader(p.head), pcapng.ReaderOptions{})
	if err != nil {
		return fmt.Errorf("%w: %v", errSeekFallback, err)
	}
	if _, err := pr.ReadPacket(); err != io.EOF {
		return fmt.Errorf("%w: head: %v", errSeekFallback, err)
	}
	p.ifaces = pr.Interfaces()
	return nil
}

// search binary-searches for the last probed record stamped before start
// and returns its offset (the first record's when there is none).
func (p *prober) search(start time.Time, res *SeekResult) (int64, error) {
	if err := p.readHead(); err != nil {
		return 0, err
	}
	lo, loTime, ok, err := p.resync(p.dataStart, p.dataStart+1)
	if err != nil {
		return 0, err
	}
	if !ok || lo != p.dataStart {
		return 0, fmt.Errorf("%w: first record", errSeekFallback)
	}
	p.minTime = loTime
	if !loTime.Before(start) {
		return lo, nil
	}
	hi, hiTime := p.size, time.Time{}
	align := int64(1)
	if p.isPcapng {
		align = 4
	}
	for hi-lo > int64(p.probeSize) {
		mid := lo + (hi-lo)/2
		mid -= (mid - p.dataStart) % align
		res.Probes++
		at, t, ok, err := p.resync(mid, hi)
		if err != nil {
			return 0, err
		}
		if !ok {
			hi = mid
			continue
		}
		if t.Before(loTime) || (!hiTime.IsZero() && t.After(hiTime)) {
			return 0, fmt.Errorf("%w: probe at offset %d out of time order", errSeekFallback, at)
		}
		if t.Before(start) {
			lo, loTime = at, t
		} else {
			hi, hiTime = at, t
		}
	}
	// Start a stretch earlier (see SeekOptions.Backoff).
	if p.backoff == 0 {
		return lo, nil
	}
	back := lo - p.backoff
	if back <= p.dataStart {
		return p.dataStart, nil
	}
	at, t, ok, err := p.resync(back, lo+1)
	if err != nil {
		return 0, err
	}
	if !ok || t.After(loTime) {
		return 0, fmt.Errorf("%w: records out of time order before offset %d", errSeekFallback, lo)
	}
	return at, nil
}

// resync returns the first offset in [from, limit) where a chain of
// seekChain plausible records starts, and the timestamp of the first
// stamped record of the chain; ok is false when there is none. Two chains
// that start within one record of each other and never meet make the
// place ambiguous: an error wrapping errSeekFallback.
func (p *prober) resync(from, limit int64) (int64, time.Time, bool, error) {
	step := int64(1)
	if p.isPcapng {
		step = 4
	}
	for at := from; at < limit && at < p.size; at += step {
		chain, t, ok, err := p.chainAt(at)
		if err != nil {
			return 0, time.Time{}, false, err
		}
		if !ok {
			continue
		}
		// Another chain inside the first record that does not join this
		// one means two readings of the bytes. The first record of the
		// file is known to start where it does.
		for q := at + step; q < chain.offsets[1] && at != p.dataStart; q += step {
			other, _, ok, err := p.chainAt(q)
			if err != nil {
				return 0, time.Time{}, false, err
			}
			if ok && !joins(other, chain) {
				return 0, time.Time{}, false, fmt.Errorf("%w: ambiguous records at offset %d", errSeekFallback, at)
			}
		}
		if t.IsZero() {
			return 0, time.Time{}, false, fmt.Errorf("%w: no timestamp near offset %d", errSeekFallback, at)
		}
		return at, t, true, nil
	}
	return 0, time.Time{}, false, nil
}

// recordChain holds the offsets of the records of a chain followed by
// the end of the last; a value, so that probing allocates nothing.
type recordChain struct {
	offsets [seekChain + 1]int64
	n       int
}

func (c *recordChain) all() []int64 { return c.offsets[:c.n] }

// joins reports whether chain a lands on an offset of chain b.
func joins(a, b recordChain) bool {
	for _, x := range a.all() {
		for _, y := range b.all() {
			if x == y {
				return true
			}
		}
	}
	return false
}

// chainAt checks seekChain consecutive records from off (fewer when the
// file ends exactly after one). It returns their offsets followed by the
// end of the last, and the first timestamp among them.
func (p *prober) chainAt(off int64) (recordChain, time.Time, bool, error) {
	var chain recordChain
	var first time.Time
	at := off
	for i := range seekChain {
		chain.offsets[i] = at
		n, t, ok, err := p.recordAt(at)
		if err != nil || !ok {
			return recordChain{}, time.Time{}, false, err
		}
		if !t.IsZero() && t.Before(p.minTime) {
			return recordChain{}, time.Time{}, false, nil
		}
		if first.IsZero() {
			first = t
		}
		at += n
		if at == p.size {
			chain.offsets[i+1], chain.n = at, i+2
			return chain, first, true, nil
		}
	}
	chain.offsets[seekChain], chain.n = at, seekChain+1
	return chain, first, true, nil
}

// recordAt checks that a plausible record starts at off and returns its
// length and timestamp (zero for a pcapng block without one).
func (p *prober) recordAt(off int64) (int64, time.Time, bool, error) {
	if p.isPcapng {
		return p.blockAt(off)
	}
	h, ok, err := p.bytesAt(off, 16)
	if err != nil || !ok {
		return 0, time.Time{}, false, err
	}
	o := p.order
	sec, frac, capLen, origLen := o.Uint32(h), o.Uint32(h[4:]), o.Uint32(h[8:]), o.Uint32(h[12:])
	unit := uint32(1000)
	if p.pcapHdr.Resolution == pkt.Nanosecond {
		unit = 1
	}
	snap := max(p.pcapHdr.SnapLen, 262144)
	if frac >= 1e9/unit || capLen > snap || capLen > origLen || origLen > 1<<24 {
		return 0, time.Time{}, false, nil
	}
	n := 16 + int64(capLen)
	if off+n > p.size {
		return 0, time.Time{}, false, nil
	}
	return n, time.Unix(int64(sec), int64(frac)*int64(unit)), true, nil
}

// blockAt is recordAt for pcapng blocks.
func (p *prober) blockAt(off int64) (int64, time.Time, bool, error) {
	h, ok, err := p.bytesAt(off, 8)
	if err != nil || !ok {
		return 0, time.Time{}, false, err
	}
	o := p.order
	t, n := pcapng.BlockType(o.Uint32(h)), o.Uint32(h[4:])
	if n < 12 || n%4 != 0 || n > seekMaxRecord || off+int64(n) > p.size {
		return 0, time.Time{}, false, nil
	}
	switch t {
	case pcapng.TypeSectionHeader, pcapng.TypeInterfaceDescription:
		// Plausible only as a new section or interface: the head's
		// interfaces may no longer apply.
		if tail, ok, err := p.bytesAt(off+int64(n)-4, 4); err == nil && ok && o.Uint32(tail) == n {
			return 0, time.Time{}, false, fmt.Errorf("%w: section or interface block at offset %d", errSeekFallback, off)
		}
		return 0, time.Time{}, false, nil
	case pcapng.TypeEnhancedPacket, pcapng.TypePacket, pcapng.TypeSimplePacket, pcapng.TypeNameResolution,
		pcapng.TypeInterfaceStatistics, pcapng.TypeDecryptionSecrets, pcapng.TypeSystemdJournalExport,
		pcapng.TypeCustom, pcapng.TypeCustomNoCopy:
	default:
		return 0, time.Time{}, false, nil
	}
	tail, ok, err := p.bytesAt(off+int64(n)-4, 4)
	if err != nil || !ok || o.Uint32(tail) != n {
		return 0, time.Time{}, false, err
	}
	if t != pcapng.TypeEnhancedPacket && t != pcapng.TypePacket {
		return int64(n), time.Time{}, true, nil
	}
	h, ok, err = p.bytesAt(off, 28)
	if err != nil || !ok {
		return 0, time.Time{}, false, err
	}
	id := o.Uint32(h[8:])
	if t == pcapng.TypePacket {
		id = uint32(o.Uint16(h[8:]))
	}
	capLen := o.Uint32(h[20:])
	if id >= uint32(len(p.ifaces)) || n < 32 || capLen > n-32 {
		return 0, time.Time{}, false, nil
	}
	ifc := &p.ifaces[id]
	ups, ok := ifc.Resolution.UnitsPerSecond()
	if !ok || ups == 0 {
		return 0, time.Time{}, false, fmt.Errorf("%w: interface %d resolution", errSeekFallback, id)
	}
	units := uint64(o.Uint32(h[12:]))<<32 | uint64(o.Uint32(h[16:]))
	sec := units / ups
	ns := (units % ups) * 1e9 / ups // ups <= 1e19 keeps this below 2^64 only for ups <= 1.8e10
	if ups > 1e10 {
		ns = uint64(float64(units%ups) / float64(ups) * 1e9)
	}
	return int64(n), time.Unix(int64(sec)+ifc.TimestampOffset, int64(ns)), true, nil
}
