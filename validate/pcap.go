package validate

import (
	"encoding/binary"
	"errors"
	"time"

	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pkt"
)

// pcapState is what the record checks need from the file header.
type pcapState struct {
	hdr       pcap.FileHeader
	order     binary.ByteOrder
	hdrLen    int
	fracLimit uint32 // the sub-second field must be below this
	fracScale int64  // nanoseconds per sub-second unit
	maxPacket int
	// swap is 0 (never), 1 (when caplen > len: version 2.3) or 2 (always:
	// versions before 2.3), as libpcap does.
	swap    int
	lastSec uint32
	haveSec bool
}

// record reads the fields of the record header at h.
func (s *pcapState) record(h []byte) (sec, frac, capLen, origLen uint32) {
	o := s.order
	sec, frac, capLen, origLen = o.Uint32(h), o.Uint32(h[4:]), o.Uint32(h[8:]), o.Uint32(h[12:])
	if s.swap == 2 || (s.swap == 1 && capLen > origLen) {
		capLen, origLen = origLen, capLen
	}
	return
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
	s := &pcapState{hdr: hdr, order: hdr.ByteOrder, hdrLen: pcap.RecordHeaderLen, fracLimit: 1_000_000, fracScale: 1000,
		maxPacket: hdr.LinkType.MaxPacketSize()}
	if c.opts.MaxBlockSize < s.maxPacket && c.opts.MaxBlockSize != 0 {
		s.maxPacket = c.opts.MaxBlockSize
	}
	if hdr.Modified {
		s.hdrLen = pcap.ModifiedRecordHeaderLen
	}
	if hdr.Resolution == pkt.Nanosecond {
		s.fracLimit, s.fracScale = 1_000_000_000, 1
	}
	switch {
	case hdr.VersionMajor == 543, hdr.VersionMinor < 3:
		s.swap = 2
	case hdr.VersionMinor == 3:
		s.swap = 1
	}
	if hdr.LinkTypeReserved != 0 {
		c.add(Warning, CodeLinkTypeField, 20, -1, -1, "link-type field has reserved bits 0x%04x set", hdr.LinkTypeReserved)
	}
	if c.opts.Strict && !hdr.LinkType.Known() {
		c.add(Warning, CodeLinkType, 20, -1, -1, "unknown link type %d", uint16(hdr.LinkType))
	}
	c.keep(raw)
	off := int64(pcap.FileHeaderLen)
	index := 0
	for {
		c.w.release(off)
		h := c.w.peek(off, s.hdrLen)
		if len(h) == 0 {
			break
		}
		if len(h) < s.hdrLen {
			c.add(Error, CodeTruncated, off, index, index, "file ends inside a record header: %d of %d bytes present",
				len(h), s.hdrLen)
			c.drop(off, int64(len(h)), 1, 1, "partial record header at the end of the file")
			off += int64(len(h))
			break
		}
		sec, frac, capLen, origLen := s.record(h)
		if uint64(capLen) > uint64(s.maxPacket) {
			c.add(Error, CodeCaptureLength, off+8, index, index, "captured length %d exceeds the maximum of %d for link type %s",
				capLen, s.maxPacket, hdr.LinkType)
			var more bool
			if off, more = c.pcapSkip(s, off, index); !more {
				break
			}
			continue
		}
		total := s.hdrLen + int(capLen)
		rec := c.w.peek(off, total)
		if len(rec) < total {
			present := len(rec) - s.hdrLen
			if next, ok := c.pcapResync(s, off+1); ok {
				c.add(Error, CodeCaptureLength, off+8, index, index,
					"captured length %d reaches past the end of the file (%d bytes left)", capLen, present)
				c.add(Error, CodeSkipped, off, index, index, "skipped %d bytes to the next plausible record at offset %d",
					next-off, next)
				c.drop(off, next-off, 1, 1, "record with a bad captured length")
				off = next
				continue
			}
			c.add(Error, CodeTruncated, off, index, index, "file ends inside the packet data: %d of %d captured bytes present",
				present, capLen)
			c.drop(off, int64(len(rec)), 1, 1, "truncated record at the end of the file")
			off += int64(len(rec))
			break
		}
		if frac >= s.fracLimit {
			c.add(Warning, CodeTimestamp, off+4, index, index, "sub-second timestamp field %d is not below %d", frac, s.fracLimit)
		}
		if capLen > origLen {
			c.add(Warning, CodeOriginalLength, off+8, index, index, "captured length %d is larger than the original length %d",
				capLen, origLen)
		}
		if hdr.SnapLen != 0 && capLen > hdr.SnapLen {
			c.add(Warning, CodeSnapLen, off+8, index, index, "captured length %d is larger than the file's snaplen %d",
				capLen, hdr.SnapLen)
		}
		// libpcap and Wireshark compute the nanoseconds in 32 bits.
		ts := time.Unix(int64(sec), int64(uint32(int64(frac)*s.fracScale)))
		c.packetSeen(off, index, index, ts, true, rec[s.hdrLen:])
		c.keep(rec)
		s.lastSec, s.haveSec = sec, true
		c.rep.Blocks++
		c.rep.Packets++
		c.rep.UsablePackets++
		index++
		off += int64(total)
	}
	c.rep.Size = off
}

// pcapSkip re-synchronises after the unusable record at off and returns
// the offset to continue from, or the end of the file and false when
// nothing readable follows.
func (c *checker) pcapSkip(s *pcapState, off int64, index int) (int64, bool) {
	next, ok := c.pcapResync(s, off+1)
	if !ok {
		n := c.remaining(off)
		c.add(Error, CodeGarbage, off, index, index, "%d bytes from offset %d to the end hold no further record", n, off)
		c.drop(off, n, 1, 1, "unreadable record; nothing readable after it")
		return off + n, false
	}
	c.add(Error, CodeSkipped, off, index, index, "skipped %d bytes to the next plausible record at offset %d", next-off, next)
	c.drop(off, next-off, 1, 1, "record with a bad captured length")
	return next, true
}

// pcapResync looks for the first offset at or after from where a plausible
// record starts and is followed by another plausible record or by the end
// of the file. A pcap record has no trailer to confirm it, hence the second
// record.
func (c *checker) pcapResync(s *pcapState, from int64) (int64, bool) {
	for p := from; ; p++ {
		c.w.release(p)
		if len(c.w.peek(p, s.hdrLen)) < s.hdrLen {
			return 0, false
		}
		n, ok := c.pcapPlausible(s, p)
		if !ok {
			continue
		}
		next := p + int64(n)
		if c.w.end(next) {
			return p, true
		}
		if _, ok := c.pcapPlausible(s, next); ok {
			return p, true
		}
	}
}

// pcapPlausible reports whether a sane record starts at p, and its size.
func (c *checker) pcapPlausible(s *pcapState, p int64) (int, bool) {
	h := c.w.peek(p, s.hdrLen)
	if len(h) < s.hdrLen {
		return 0, false
	}
	sec, frac, capLen, origLen := s.record(h)
	limit := uint32(s.maxPacket)
	if s.hdr.SnapLen != 0 && s.hdr.SnapLen < limit {
		limit = s.hdr.SnapLen
	}
	if capLen > limit || capLen > origLen || origLen > 1<<24 || frac >= s.fracLimit {
		return 0, false
	}
	if s.haveSec && (uint64(sec)+86400 < uint64(s.lastSec) || uint64(sec) > uint64(s.lastSec)+366*86400) {
		return 0, false
	}
	n := s.hdrLen + int(capLen)
	if len(c.w.peek(p, n)) < n {
		return 0, false
	}
	return n, true
}
