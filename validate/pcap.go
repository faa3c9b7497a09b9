package validate

import (
	"encoding/binary"
	"errors"
	"time"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pkt"
)

// pcapLayout is how one file header says records are laid out.
type pcapLayout struct {
	hdr       pcap.FileHeader
	order     binary.ByteOrder
	hdrLen    int
	fracLimit uint32 // the sub-second field must be below this
	fracScale int64  // nanoseconds per sub-second unit
	maxPacket int
	// swap is 0 (never), 1 (when caplen > len: version 2.3) or 2 (always:
	// versions before 2.3), as libpcap does.
	swap int
}

// pcapState is what the record checks need while walking a pcap file. A
// concatenated or restarted capture brings a second file header: in
// describes the records being read, out the file header written, and
// records are rewritten from one to the other when they differ.
type pcapState struct {
	in, out pcapLayout
	lastSec uint32
	haveSec bool
	scratch []byte
}

func (c *checker) pcapLayoutOf(hdr pcap.FileHeader) pcapLayout {
	l := pcapLayout{hdr: hdr, order: hdr.ByteOrder, hdrLen: pcap.RecordHeaderLen, fracLimit: 1_000_000, fracScale: 1000,
		maxPacket: hdr.LinkType.MaxPacketSize()}
	if c.opts.MaxBlockSize < l.maxPacket {
		l.maxPacket = c.opts.MaxBlockSize
	}
	if hdr.Modified {
		l.hdrLen = pcap.ModifiedRecordHeaderLen
	}
	if hdr.Resolution == pkt.Nanosecond {
		l.fracLimit, l.fracScale = 1_000_000_000, 1
	}
	switch {
	case hdr.VersionMajor == 543, hdr.VersionMinor < 3:
		l.swap = 2
	case hdr.VersionMinor == 3:
		l.swap = 1
	}
	return l
}

// record reads the fields of the record header at h.
func (l *pcapLayout) record(h []byte) (sec, frac, capLen, origLen uint32) {
	o := l.order
	sec, frac, capLen, origLen = o.Uint32(h), o.Uint32(h[4:]), o.Uint32(h[8:]), o.Uint32(h[12:])
	if l.swap == 2 || (l.swap == 1 && capLen > origLen) {
		capLen, origLen = origLen, capLen
	}
	return
}

// wantLen is the captured length a sound record of original length
// origLen has: all of it, or the snap length.
func (l *pcapLayout) wantLen(origLen uint32) uint32 {
	if l.hdr.SnapLen != 0 && origLen > l.hdr.SnapLen {
		return l.hdr.SnapLen
	}
	return origLen
}

func (c *checker) pcap() {
	raw := c.w.peek(0, pcap.FileHeaderLen)
	if len(raw) < pcap.FileHeaderLen {
		c.add(Error, CodeTruncated, 0, -1, -1, "file ends inside the file header: %d of %d bytes present",
			len(raw), pcap.FileHeaderLen)
		c.drop(0, int64(len(raw)), 0, 0, "truncated file header")
		c.rep.Size = int64(len(raw))
		return
	}
	hdr, err := pcap.ParseFileHeader(raw)
	if err != nil {
		var fe *pcap.FormatError
		msg := err.Error()
		if errors.As(err, &fe) {
			msg = fe.Msg
		}
		c.add(Error, CodeVersion, 4, -1, -1, "%s", msg)
		n := c.remaining(0)
		c.drop(0, n, 0, 0, "unsupported file header")
		c.rep.Size = n
		return
	}
	if hdr.LinkTypeReserved != 0 {
		c.add(Warning, CodeLinkTypeField, 20, -1, -1, "link-type field has reserved bits 0x%04x set", hdr.LinkTypeReserved)
	}
	if c.opts.Strict && !hdr.LinkType.Known() {
		c.add(Warning, CodeLinkType, 20, -1, -1, "unknown link type %d", uint16(hdr.LinkType))
	}
	c.keep(raw)
	c.pcapRecords(hdr)
}

// pcapRebuilt walks a file whose pcap file header is unusable but whose
// records chain from offset 24 under the layout guessed from them: it
// writes a file header for that layout and recovers the records.
func (c *checker) pcapRebuilt(hdr pcap.FileHeader) {
	c.add(Error, CodeMagic, 0, -1, -1,
		"file header damaged; records follow it: rebuilt as %s-endian %s pcap, link type %s, snaplen %d",
		orderName(hdr.ByteOrder), hdr.Resolution, hdr.LinkType, hdr.SnapLen)
	c.drop(0, pcap.FileHeaderLen, 0, 0, "damaged file header (replaced by a rebuilt one)")
	out := make([]byte, pcap.FileHeaderLen)
	hdr.ByteOrder.PutUint32(out, hdr.Magic())
	hdr.ByteOrder.PutUint16(out[4:], hdr.VersionMajor)
	hdr.ByteOrder.PutUint16(out[6:], hdr.VersionMinor)
	hdr.ByteOrder.PutUint32(out[16:], hdr.SnapLen)
	hdr.ByteOrder.PutUint32(out[20:], uint32(hdr.LinkType))
	c.keep(out)
	c.pcapRecords(hdr)
}

func orderName(o binary.ByteOrder) string {
	if o == binary.BigEndian {
		return "big"
	}
	return "little"
}

// pcapRecords walks the records after the file header hdr.
func (c *checker) pcapRecords(hdr pcap.FileHeader) {
	s := &pcapState{in: c.pcapLayoutOf(hdr)}
	s.out = s.in
	off := int64(pcap.FileHeaderLen)
	index := 0
	for {
		c.w.release(off)
		if l, ok := c.pcapHeaderAt(off); ok {
			c.pcapNextFile(s, l, off, index)
			off += pcap.FileHeaderLen
			continue
		}
		h := c.w.peek(off, s.in.hdrLen)
		if len(h) == 0 {
			break
		}
		if len(h) < s.in.hdrLen {
			c.add(Error, CodeTruncated, off, index, index, "file ends inside a record header: %d of %d bytes present",
				len(h), s.in.hdrLen)
			c.drop(off, int64(len(h)), 1, 1, "partial record header at the end of the file")
			off += int64(len(h))
			break
		}
		if allZero(h) {
			if end, ok := c.pcapZeros(s, off, index); ok {
				index += int(end-off) / s.in.hdrLen
				off = end
				continue
			}
		}
		if n, ok := c.pcapRecordOK(s, off); ok && c.pcapFollowed(s, off+int64(n)) {
			c.pcapKeep(s, off, n, index)
			index++
			off += int64(n)
			continue
		}
		next, restored, more := c.pcapDamaged(s, off, index)
		off = next
		if restored {
			index++
		}
		if !more {
			break
		}
	}
	c.rep.Size = off
}

// pcapKeep checks and keeps the sound record of n bytes at off.
func (c *checker) pcapKeep(s *pcapState, off int64, n, index int) {
	rec := c.w.peek(off, n)
	l := &s.in
	sec, frac, capLen, origLen := l.record(rec)
	if frac >= l.fracLimit {
		c.add(Warning, CodeTimestamp, off+4, index, index, "sub-second timestamp field %d is not below %d", frac, l.fracLimit)
	}
	if l.swap == 0 && (capLen > origLen || origLen > maxOriginalLength) {
		// The captured length is sound (the next record starts where it
		// ends), so the original length is the damaged field: restore it
		// to the captured length, as pcapfix does.
		fixed := append(s.scratch[:0], rec...)
		s.scratch = fixed
		l.order.PutUint32(fixed[12:], capLen)
		rec = fixed
		c.add(Warning, CodeOriginalLength, off+12, index, index,
			"original length %d is impossible for a record of %d captured bytes; set to %d", origLen, capLen, capLen)
	} else if capLen > origLen {
		c.add(Warning, CodeOriginalLength, off+8, index, index, "captured length %d is larger than the original length %d",
			capLen, origLen)
	}
	if l.hdr.SnapLen != 0 && capLen > l.hdr.SnapLen {
		c.add(Warning, CodeSnapLen, off+8, index, index, "captured length %d is larger than the file's snaplen %d",
			capLen, l.hdr.SnapLen)
	}
	// libpcap and Wireshark compute the nanoseconds in 32 bits.
	ts := time.Unix(int64(sec), int64(uint32(int64(frac)*l.fracScale)))
	c.packetSeen(off, index, index, ts, true, rec[l.hdrLen:])
	c.keep(c.pcapConvert(s, rec, capLen))
	s.lastSec, s.haveSec = sec, true
	c.rep.Blocks++
	c.rep.Packets++
	c.rep.UsablePackets++
}

// pcapDamaged handles the record at off that is unusable as it stands or
// not followed by anything record-like. It returns where to go on, whether
// the record was restored, and false at the end of the file.
func (c *checker) pcapDamaged(s *pcapState, off int64, index int) (next int64, restored, more bool) {
	l := &s.in
	h := c.w.peek(off, l.hdrLen)
	_, _, capLen, _ := l.record(h)
	next, ok := c.pcapResync(s, off+1)
	if !ok {
		n := c.remaining(off)
		if uint64(capLen) <= uint64(l.maxPacket) && int64(l.hdrLen)+int64(capLen) > n && !allZero(h) {
			c.add(Error, CodeTruncated, off, index, index, "file ends inside the packet data: %d of %d captured bytes present",
				n-int64(l.hdrLen), capLen)
			c.drop(off, n, 1, 1, "truncated record at the end of the file")
		} else {
			c.add(Error, CodeGarbage, off, index, index, "%d bytes from offset %d to the end hold no further record", n, off)
			c.drop(off, n, 1, 1, "unreadable record; nothing readable after it")
		}
		return off + n, false, false
	}
	if c.pcapRestore(s, off, next, index) {
		return next, true, true
	}
	switch {
	case uint64(capLen) > uint64(l.maxPacket):
		c.add(Error, CodeCaptureLength, off+8, index, index, "captured length %d exceeds the maximum of %d for link type %s",
			capLen, l.maxPacket, l.hdr.LinkType)
	case off+int64(l.hdrLen)+int64(capLen) > next:
		c.add(Error, CodeCaptureLength, off+8, index, index,
			"captured length %d runs into the next plausible record at offset %d", capLen, next)
	default:
		c.add(Error, CodeCaptureLength, off+8, index, index,
			"record of captured length %d is not followed by a plausible record", capLen)
	}
	c.add(Error, CodeSkipped, off, index, index, "skipped %d bytes to the next plausible record at offset %d", next-off, next)
	c.drop(off, next-off, 1, 1, "damaged record or bytes that are no record")
	return next, false, true
}

// pcapRestore keeps the record at off when only its captured length is
// wrong: the next plausible record starts exactly where a sound record
// with this header's original length would end.
func (c *checker) pcapRestore(s *pcapState, off, next int64, index int) bool {
	l := &s.in
	if l.swap != 0 {
		return false
	}
	span := next - off - int64(l.hdrLen)
	h := c.w.peek(off, l.hdrLen)
	if span <= 0 || span > int64(l.maxPacket) || len(h) < l.hdrLen || !c.pcapHeaderLike(s, h) {
		return false
	}
	sec, _, capLen, origLen := l.record(h)
	if int64(l.wantLen(origLen)) != span {
		return false
	}
	rec := c.w.peek(off, int(next-off))
	if int64(len(rec)) != next-off {
		return false
	}
	fixed := append(s.scratch[:0], rec...)
	s.scratch = fixed
	l.order.PutUint32(fixed[8:], uint32(span))
	c.add(Error, CodeCaptureLength, off+8, index, index,
		"captured length %d is wrong: the next record starts where the original length %d ends; restored", capLen, span)
	c.keep(c.pcapConvert(s, fixed, uint32(span)))
	s.lastSec, s.haveSec = sec, true
	c.rep.Blocks++
	c.rep.Packets++
	c.rep.UsablePackets++
	return true
}

// pcapNextFile handles the file header of a capture concatenated to (or
// restarted inside) the one being read.
func (c *checker) pcapNextFile(s *pcapState, l pcapLayout, off int64, index int) {
	c.add(Error, CodeHeader, off, index, -1,
		"pcap file header inside the file (captures concatenated or restarted): %s, link type %s",
		l.hdr.Resolution, l.hdr.LinkType)
	c.drop(off, pcap.FileHeaderLen, 0, 0, "file header of a concatenated or restarted capture")
	s.in = l
	s.haveSec = false
}

// pcapConvert returns rec (with captured length capLen) in the output's
// layout: the same bytes when the layouts agree.
func (c *checker) pcapConvert(s *pcapState, rec []byte, capLen uint32) []byte {
	in, out := &s.in, &s.out
	if in.order == out.order && in.hdr.Resolution == out.hdr.Resolution && in.hdrLen == out.hdrLen && in.swap == out.swap {
		return rec
	}
	sec, frac, _, origLen := in.record(rec)
	switch {
	case in.hdr.Resolution == pkt.Nanosecond && out.hdr.Resolution != pkt.Nanosecond:
		frac /= 1000
	case in.hdr.Resolution != pkt.Nanosecond && out.hdr.Resolution == pkt.Nanosecond:
		frac *= 1000
	}
	b := make([]byte, out.hdrLen, out.hdrLen+int(capLen))
	o := out.order
	o.PutUint32(b, sec)
	o.PutUint32(b[4:], frac)
	o.PutUint32(b[8:], capLen)
	o.PutUint32(b[12:], origLen)
	return append(b, rec[in.hdrLen:]...)
}

// pcapHeaderAt reports whether a pcap file header that the output can
// take in starts at off.
func (c *checker) pcapHeaderAt(off int64) (pcapLayout, bool) {
	b := c.w.peek(off, pcap.FileHeaderLen)
	if len(b) < pcap.FileHeaderLen || !pcap.IsPcap(b) {
		return pcapLayout{}, false
	}
	hdr, err := pcap.ParseFileHeader(b)
	if err != nil {
		return pcapLayout{}, false
	}
	return c.pcapLayoutOf(hdr), true
}

// pcapRecordOK reports whether the record at p is one a reader takes: a
// captured length within bounds and all of it present. An all-zero header
// is not a record but a zeroed span.
func (c *checker) pcapRecordOK(s *pcapState, p int64) (int, bool) {
	l := &s.in
	h := c.w.peek(p, l.hdrLen)
	if len(h) < l.hdrLen {
		return 0, false
	}
	_, _, capLen, _ := l.record(h)
	if uint64(capLen) > uint64(l.maxPacket) || allZero(h[:pcap.RecordHeaderLen]) {
		return 0, false
	}
	n := l.hdrLen + int(capLen)
	if len(c.w.peek(p, n)) < n {
		return 0, false
	}
	return n, true
}

// pcapFollowed reports whether what follows a record ending at p confirms
// it: the end of the file, another file header, a record header whose time
// and original length are plausible (its captured length may be the
// damaged field), or, for files whose times or lengths are odd, records
// that readers take for a few more steps (empty all-zero ones included).
func (c *checker) pcapFollowed(s *pcapState, p int64) bool { return c.pcapChain(s, p, 1) }

func (c *checker) pcapChain(s *pcapState, p int64, depth int) bool {
	if c.w.end(p) {
		return true
	}
	if _, ok := c.pcapHeaderAt(p); ok {
		return true
	}
	h := c.w.peek(p, s.in.hdrLen)
	switch {
	case len(h) < s.in.hdrLen:
		return true // a partial header at the end: its own problem
	case allZero(h):
		_, end := c.pcapZeroRun(s, p)
		return c.pcapChain(s, end, depth)
	case c.pcapHeaderLike(s, h):
		return true
	}
	n, ok := c.pcapRecordOK(s, p)
	if depth == 0 {
		return ok
	}
	return ok && c.pcapChain(s, p+int64(n), depth-1)
}

// maxOriginalLength is the largest original length taken as plausible:
// 16 MiB, far above any link's frames (and their GSO aggregates).
const maxOriginalLength = 1 << 24

// pcapHeaderLike reports whether h looks like a record header apart from
// its captured length: a sub-second field in range, a sane original length
// and a time near the previous record's.
func (c *checker) pcapHeaderLike(s *pcapState, h []byte) bool {
	l := &s.in
	sec, frac, _, origLen := l.record(h)
	if frac >= l.fracLimit || origLen == 0 || origLen > maxOriginalLength {
		return false
	}
	return !s.haveSec || (uint64(sec)+86400 >= uint64(s.lastSec) && uint64(sec) <= uint64(s.lastSec)+366*86400)
}

// pcapResync looks for the first offset at or after from where reading can
// go on: a pcap file header, or a plausible record followed by the end of
// the file or by something record-like. The bytes from from on are kept
// for as long as a record could span them, so that the caller can restore
// the damaged record.
func (c *checker) pcapResync(s *pcapState, from int64) (int64, bool) {
	l := &s.in
	behind := int64(l.hdrLen + l.maxPacket + 1)
	for p := from; ; p++ {
		c.w.release(p - behind)
		if c.w.end(p) {
			return 0, false
		}
		if _, ok := c.pcapHeaderAt(p); ok {
			return p, true
		}
		h := c.w.peek(p, l.hdrLen)
		if len(h) < l.hdrLen || !c.pcapHeaderLike(s, h) {
			continue
		}
		_, _, capLen, origLen := l.record(h)
		if capLen > origLen && l.swap == 0 {
			continue
		}
		if n, ok := c.pcapRecordOK(s, p); ok && c.pcapFollowed(s, p+int64(n)) {
			return p, true
		}
	}
}

// guessPcap looks at input without a known magic number for pcap records
// chaining from offset 24 in either byte order, and returns the file
// header to write: the damaged one's fields where they are sane, the
// precision that the sub-second fields allow, Ethernet otherwise.
func (c *checker) guessPcap() (pcap.FileHeader, bool) {
	raw := c.w.peek(0, pcap.FileHeaderLen)
	if len(raw) < pcap.FileHeaderLen {
		return pcap.FileHeader{}, false
	}
	for _, o := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		hdr := pcap.FileHeader{ByteOrder: o, VersionMajor: 2, VersionMinor: 4, SnapLen: 262144,
			LinkType: linktype.LinkType(1), FCSLen: -1, Resolution: pkt.Nanosecond}
		if snap := o.Uint32(raw[16:]); snap >= 64 && snap <= 1<<24 {
			hdr.SnapLen = snap
		}
		if lt := linktype.LinkType(o.Uint32(raw[20:])); o.Uint32(raw[20:]) < 1<<16 && lt.Known() {
			hdr.LinkType = lt
		}
		l := c.pcapLayoutOf(hdr)
		l.swap = 0
		s := &pcapState{in: l}
		off := int64(pcap.FileHeaderLen)
		records, maxFrac := 0, uint32(0)
		for records < 1000 {
			h := c.w.peek(off, l.hdrLen)
			if len(h) < l.hdrLen || !c.pcapHeaderLike(s, h) {
				break
			}
			n, ok := c.pcapRecordOK(s, off)
			if !ok {
				break
			}
			sec, frac, _, _ := l.record(h)
			maxFrac = max(maxFrac, frac)
			s.lastSec, s.haveSec = sec, true
			records++
			off += int64(n)
		}
		if records >= 3 || (records > 0 && c.w.end(off)) {
			if maxFrac < 1_000_000 {
				hdr.Resolution = pkt.Microsecond
			}
			return hdr, true
		}
	}
	return pcap.FileHeader{}, false
}

// pcapZeroRun counts the all-zero record headers from off on, as a
// reader frames them (16-byte empty records), and returns where they end.
func (c *checker) pcapZeroRun(s *pcapState, off int64) (int, int64) {
	k := 0
	for {
		h := c.w.peek(off, s.in.hdrLen)
		if len(h) < s.in.hdrLen || !allZero(h) {
			return k, off
		}
		k++
		off += int64(s.in.hdrLen)
	}
}

// pcapZeros handles all-zero record headers at off that readers take as
// empty records and that lead back to sound records or to the end of the
// file (a zero-filled tail after a crash, or padding): they hold no
// packet, so a repair drops them. It returns where they end, or false
// when they lead nowhere (a zeroed span inside the records: damage).
func (c *checker) pcapZeros(s *pcapState, off int64, index int) (int64, bool) {
	k, end := c.pcapZeroRun(s, off)
	if !c.pcapFollowed(s, end) {
		return 0, false
	}
	c.rep.Blocks += k
	c.rep.Packets += k
	c.add(Warning, CodeGarbage, off, index, index,
		"%d empty records with all-zero headers (a zero-filled span): they hold no packet and a repair drops them", k)
	c.drop(off, end-off, k, k, "empty records with all-zero headers")
	return end, true
}
