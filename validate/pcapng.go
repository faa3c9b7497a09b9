package validate

import (
	"encoding/binary"
	"math/bits"
	"time"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pcapng"
	"github.com/pcaptool/pcaptool/pkt"
)

// ngInterface is what later blocks need to know about an interface.
type ngInterface struct {
	linkType linktype.LinkType
	snapLen  uint32
	ups      uint64 // timestamp units per second; 0 when too fine to use
	tsOffset int64
	// newID is the interface's index in a repaired file, -1 when its IDB
	// was dropped.
	newID int
}

// ngState is the state of the section being read.
type ngState struct {
	order       binary.ByteOrder
	ifaces      []ngInterface
	kept        int   // interfaces kept in the section (for renumbering)
	shbOffset   int64 // offset of the section header
	shbIndex    int
	start       int64 // offset of the first block after the section header
	length      int64 // declared section length, -1 when not given
	dropSection bool  // the section header is unusable: drop the section
	scratch     []byte
}

const (
	ngSHB = uint32(pcapng.TypeSectionHeader)
	ngIDB = uint32(pcapng.TypeInterfaceDescription)
	ngPB  = uint32(pcapng.TypePacket)
	ngSPB = uint32(pcapng.TypeSimplePacket)
	ngNRB = uint32(pcapng.TypeNameResolution)
	ngISB = uint32(pcapng.TypeInterfaceStatistics)
	ngEPB = uint32(pcapng.TypeEnhancedPacket)
	ngSJE = uint32(pcapng.TypeSystemdJournalExport)
	ngDSB = uint32(pcapng.TypeDecryptionSecrets)
	ngCB  = uint32(pcapng.TypeCustom)
	ngCB2 = uint32(pcapng.TypeCustomNoCopy)
)

// ngMinLength is the smallest total length of a block of a known type, or 0
// for an unknown type.
func ngMinLength(t uint32) uint32 {
	switch t {
	case ngSHB:
		return 28
	case ngIDB:
		return 20
	case ngEPB, ngPB:
		return 32
	case ngSPB:
		return 16
	case ngNRB, ngCB, ngCB2:
		return 16
	case ngISB:
		return 24
	case ngDSB:
		return 20
	case ngSJE:
		return 12
	}
	return 0
}

func byteOrderOf(b []byte) binary.ByteOrder {
	switch binary.LittleEndian.Uint32(b) {
	case pcapng.ByteOrderMagic:
		return binary.LittleEndian
	case 0x4D3C2B1A:
		return binary.BigEndian
	}
	return nil
}

func (c *checker) pcapng() {
	s := &ngState{length: -1}
	var off int64
	index, packet := 0, 0
	for {
		c.w.release(off)
		hdr := c.w.peek(off, 12)
		if len(hdr) == 0 {
			break
		}
		if len(hdr) < 12 {
			c.add(Error, CodeTruncated, off, index, -1,
				"file ends after %d bytes of a block header (a block is at least 12 bytes)", len(hdr))
			c.drop(off, int64(len(hdr)), 0, 0, "partial block header at the end of the file")
			off += int64(len(hdr))
			break
		}
		order := s.order
		typ := binary.LittleEndian.Uint32(hdr)
		if typ == ngSHB {
			order = byteOrderOf(hdr[8:12])
			if order == nil {
				c.add(Error, CodeByteOrder, off+8, index, -1, "section header with unknown byte-order magic 0x%08x",
					binary.BigEndian.Uint32(hdr[8:12]))
				var more bool
				if off, more = c.ngSkip(s, off, index, "section header with a bad byte-order magic"); !more {
					break
				}
				continue
			}
		} else {
			typ = order.Uint32(hdr)
		}
		length := order.Uint32(hdr[4:])
		bad := ""
		switch {
		case length < 12:
			bad = "is less than the minimum of 12"
		case length%4 != 0:
			bad = "is not a multiple of 4"
		case uint64(length) > uint64(c.opts.MaxBlockSize):
			bad = "exceeds the maximum block size"
		case length < ngMinLength(typ):
			bad = "is too small for a " + pcapng.BlockType(typ).String() + " block"
		}
		if bad != "" {
			c.add(Error, CodeBlockLength, off+4, index, -1, "%s block total length %d %s",
				pcapng.BlockType(typ), length, bad)
			var more bool
			if off, more = c.ngSkip(s, off, index, "block with a bad total length"); !more {
				break
			}
			continue
		}
		raw := c.w.peek(off, int(length))
		if len(raw) < int(length) {
			present := len(raw)
			if next, ok := c.ngResync(s, off+4); ok {
				c.add(Error, CodeBlockLength, off+4, index, -1,
					"%s block total length %d reaches past the end of the file (%d bytes left)",
					pcapng.BlockType(typ), length, present)
				c.add(Error, CodeSkipped, off, index, -1, "skipped %d bytes to the next plausible block at offset %d",
					next-off, next)
				c.drop(off, next-off, 0, 0, "block with a bad total length")
				off = next
				continue
			}
			c.add(Error, CodeTruncated, off, index, -1, "file ends inside a %s block: %d of %d bytes present",
				pcapng.BlockType(typ), present, length)
			c.drop(off, int64(present), 1, b2i(isPacketType(typ)), "truncated block at the end of the file")
			off += int64(present)
			break
		}
		if trail := order.Uint32(raw[length-4:]); trail != length {
			c.add(Error, CodeTrailingLength, off+int64(length)-4, index, -1,
				"%s block trailing total length %d differs from the leading %d", pcapng.BlockType(typ), trail, length)
			var more bool
			if off, more = c.ngSkip(s, off, index, "block whose trailing length differs from its leading length"); !more {
				break
			}
			continue
		}
		if typ == ngSHB {
			c.ngEndSection(s, off, index)
		}
		isPacket := isPacketType(typ)
		pkt := -1
		if isPacket {
			pkt = packet
			packet++
			c.rep.Packets++
		}
		out, why := c.ngBlock(s, raw, order, typ, off, index, pkt)
		switch {
		case out == nil:
			c.drop(off, int64(length), 1, b2i(isPacket), why)
		case s.dropSection && typ != ngSHB:
			c.drop(off, int64(length), 1, b2i(isPacket), "block of a section whose header is unusable")
		default:
			c.keep(out)
			if isPacket {
				c.rep.UsablePackets++
			}
		}
		c.rep.Blocks++
		index++
		off += int64(length)
	}
	c.ngEndSection(s, off, index)
	c.rep.Size = off
}

func isPacketType(t uint32) bool { return t == ngEPB || t == ngSPB || t == ngPB }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ngSkip re-synchronises after the unusable block at off and returns the
// offset to continue from, or the end of the file and false when nothing
// readable follows.
func (c *checker) ngSkip(s *ngState, off int64, index int, reason string) (int64, bool) {
	next, ok := c.ngResync(s, off+4)
	if !ok {
		n := c.remaining(off)
		c.add(Error, CodeGarbage, off, index, -1, "%d bytes from offset %d to the end hold no further block", n, off)
		c.drop(off, n, 0, 0, reason+"; nothing readable after it")
		return off + n, false
	}
	c.add(Error, CodeSkipped, off, index, -1, "skipped %d bytes to the next plausible block at offset %d", next-off, next)
	c.drop(off, next-off, 0, 0, reason)
	return next, true
}

// remaining counts the bytes from off to the end of the input.
func (c *checker) remaining(off int64) int64 {
	var n int64
	for {
		c.w.release(off + n)
		b := c.w.peek(off+n, 4096)
		if len(b) == 0 {
			return n
		}
		n += int64(len(b))
	}
}

// ngResync looks for the first plausible block at or after from: a known
// block type, a sane length and a matching trailing length.
func (c *checker) ngResync(s *ngState, from int64) (int64, bool) {
	p := (from + 3) &^ 3
	for {
		c.w.release(p)
		h := c.w.peek(p, 12)
		if len(h) < 12 {
			return 0, false
		}
		if c.ngPlausible(s, p, h) {
			return p, true
		}
		p += 4
	}
}

func (c *checker) ngPlausible(s *ngState, p int64, h []byte) bool {
	order := s.order
	typ := binary.LittleEndian.Uint32(h)
	if typ == ngSHB {
		if order = byteOrderOf(h[8:12]); order == nil {
			return false
		}
	} else {
		if order == nil {
			return false
		}
		typ = order.Uint32(h)
	}
	min := ngMinLength(typ)
	length := order.Uint32(h[4:])
	if min == 0 || length < min || length%4 != 0 || uint64(length) > uint64(c.opts.MaxBlockSize) {
		return false
	}
	raw := c.w.peek(p, int(length))
	if len(raw) < int(length) || order.Uint32(raw[length-4:]) != length {
		return false
	}
	body := raw[8 : length-4]
	switch typ {
	case ngSHB:
		major, minor := order.Uint16(body[4:]), order.Uint16(body[6:])
		return major == 1 && (minor == 0 || minor == 2)
	case ngEPB:
		capLen := order.Uint32(body[12:])
		return uint64(order.Uint32(body)) < uint64(len(s.ifaces)) && uint64(pad4(int(capLen&0x7fffffff))) <= uint64(len(body)-20)
	case ngPB:
		return int(order.Uint16(body)) < len(s.ifaces)
	case ngISB:
		return uint64(order.Uint32(body)) < uint64(len(s.ifaces))
	case ngSPB:
		return len(s.ifaces) > 0
	}
	return true
}

// ngEndSection checks the declared length of the section that ends at off.
func (c *checker) ngEndSection(s *ngState, off int64, index int) {
	if s.order == nil || s.length < 0 {
		return
	}
	if actual := off - s.start; actual != s.length {
		c.add(Warning, CodeSectionLength, s.shbOffset+16, s.shbIndex, -1,
			"section length %d, but the section holds %d bytes", s.length, actual)
	}
	s.length = -1
}

// ngBlock checks the body of a block whose framing is sound and returns the
// bytes to keep (raw, or a repaired copy), or nil and why to drop it.
func (c *checker) ngBlock(s *ngState, raw []byte, o binary.ByteOrder, typ uint32, off int64, index, pkt int) ([]byte, string) {
	switch typ {
	case ngSHB:
		return c.ngSectionHeader(s, raw, o, off, index)
	case ngIDB:
		return c.ngInterfaceDescription(s, raw, o, off, index)
	case ngEPB, ngPB:
		return c.ngPacketBlock(s, raw, o, typ, off, index, pkt)
	case ngSPB:
		return c.ngSimplePacket(s, raw, o, off, index, pkt)
	case ngNRB:
		return c.ngNameResolution(s, raw, raw[8:len(raw)-4], off+8, index, o)
	case ngISB:
		return c.ngStatistics(s, raw, o, off, index)
	case ngDSB:
		return c.ngDecryptionSecrets(s, raw, o, off, index)
	case ngCB, ngCB2, ngSJE:
		return raw, ""
	}
	if c.opts.Strict {
		c.add(Warning, CodeUnknownBlock, off, index, -1, "unknown block type 0x%08x", typ)
	}
	return raw, ""
}

// ngSectionHeader checks a section header block and starts its section.
func (c *checker) ngSectionHeader(s *ngState, raw []byte, o binary.ByteOrder, off int64, index int) ([]byte, string) {
	body := raw[8 : len(raw)-4]
	bodyOff := off + 8
	major, minor := o.Uint16(body[4:]), o.Uint16(body[6:])
	s.order = o
	s.ifaces = s.ifaces[:0]
	s.kept = 0
	s.shbOffset, s.shbIndex = off, index
	s.start = off + int64(len(raw))
	s.length = int64(o.Uint64(body[8:]))
	s.dropSection = false
	if s.length != -1 && s.length%4 != 0 {
		c.add(Warning, CodeSectionLength, bodyOff+8, index, -1, "section length %d is not a multiple of 4", s.length)
	}
	if !(major == 1 && (minor == 0 || minor == 2)) {
		c.add(Error, CodeVersion, bodyOff+4, index, -1, "unsupported section version %d.%d (readers accept 1.0 and 1.2)",
			major, minor)
		s.dropSection = true
		return nil, "section header of an unsupported version"
	}
	good, ok := c.ngOptions(body, 16, bodyOff, index, -1, ngSHB, o)
	if s.length != -1 && c.opts.Keep != nil {
		// Blocks may be dropped from the section: say its length is
		// unknown rather than keep a number that may turn false.
		out := c.ngRebuild(s, raw, o, 16+good)
		o.PutUint64(out[16:], ^uint64(0))
		return out, ""
	}
	if !ok {
		return c.ngRebuild(s, raw, o, 16+good), ""
	}
	return raw, ""
}

// ngInterfaceDescription checks an interface description block and
// records the interface.
func (c *checker) ngInterfaceDescription(s *ngState, raw []byte, o binary.ByteOrder, off int64, index int) ([]byte, string) {
	body := raw[8 : len(raw)-4]
	bodyOff := off + 8
	if len(body) < 8 {
		c.add(Error, CodeBody, bodyOff, index, -1, "IDB body of %d bytes is too short for its 8-byte fixed part", len(body))
		s.ifaces = append(s.ifaces, ngInterface{newID: -1})
		return nil, "malformed interface description"
	}
	ifc := ngInterface{linkType: linktype.LinkType(o.Uint16(body)), snapLen: o.Uint32(body[4:]), ups: 1_000_000,
		newID: s.kept}
	if r := o.Uint16(body[2:]); r != 0 {
		c.add(Warning, CodeBody, bodyOff+2, index, -1, "IDB reserved field is %d, should be 0", r)
	}
	if c.opts.Strict && !ifc.linkType.Known() {
		c.add(Warning, CodeLinkType, bodyOff, index, -1, "unknown link type %d", uint16(ifc.linkType))
	}
	good, ok := c.ngOptions(body, 8, bodyOff, index, -1, ngIDB, o)
	c.ngInterfaceOptions(&ifc, body[8:8+good], o)
	s.ifaces = append(s.ifaces, ifc)
	s.kept++
	if !ok {
		return c.ngRebuild(s, raw, o, 8+good), ""
	}
	return raw, ""
}

// ngPacketBlock checks an enhanced or obsolete packet block.
func (c *checker) ngPacketBlock(s *ngState, raw []byte, o binary.ByteOrder, typ uint32, off int64, index, packet int) ([]byte, string) {
	body := raw[8 : len(raw)-4]
	bodyOff := off + 8
	name := pcapng.BlockType(typ).String()
	fixed := 20
	if len(body) < fixed {
		c.add(Error, CodeBody, bodyOff, index, packet, "%s body of %d bytes is too short for its 20-byte fixed part", name, len(body))
		return nil, "malformed packet block"
	}
	var id uint32
	if typ == ngEPB {
		id = o.Uint32(body)
	} else {
		id = uint32(o.Uint16(body))
	}
	if uint64(id) >= uint64(len(s.ifaces)) {
		c.add(Error, CodeInterfaceID, bodyOff, index, packet, "interface id %d, but the section describes %d interfaces",
			id, len(s.ifaces))
		return nil, "packet of an undescribed interface"
	}
	ifc := &s.ifaces[id]
	if ifc.newID < 0 {
		return nil, "packet of an interface whose description was dropped"
	}
	units := uint64(o.Uint32(body[4:]))<<32 | uint64(o.Uint32(body[8:]))
	capLen := o.Uint32(body[12:])
	origLen := o.Uint32(body[16:])
	if uint64(pad4(int(capLen&0x7fffffff))) > uint64(len(body)-fixed) || capLen >= 1<<31 {
		c.add(Error, CodeCaptureLength, bodyOff+12, index, packet, "captured length %d does not fit in the %d-byte block body",
			capLen, len(body))
		return nil, "packet whose captured length overruns its block"
	}
	if int64(capLen) > int64(ifc.linkType.MaxPacketSize()) {
		c.add(Error, CodeCaptureLength, bodyOff+12, index, packet, "captured length %d exceeds the maximum of %d for link type %s",
			capLen, ifc.linkType.MaxPacketSize(), ifc.linkType)
		return nil, "packet larger than its link type allows"
	}
	c.ngPacketLengths(ifc, capLen, origLen, bodyOff+12, index, packet)
	n := int(capLen)
	if !allZero(body[fixed+n : fixed+pad4(n)]) {
		c.add(Warning, CodePadding, bodyOff+int64(fixed+n), index, packet, "non-zero padding after the packet data")
	}
	c.packetSeen(off, index, packet, ifc.time(units), ifc.ups != 0, body[fixed:fixed+n])
	good, ok := c.ngOptions(body, fixed+pad4(n), bodyOff, index, packet, typ, o)
	out := raw
	if !ok {
		out = c.ngRebuild(s, raw, o, fixed+pad4(n)+good)
	}
	if ifc.newID != int(id) {
		if &out[0] == &raw[0] {
			out = append(s.scratch[:0], raw...)
			s.scratch = out
		}
		if typ == ngEPB {
			o.PutUint32(out[8:], uint32(ifc.newID))
		} else {
			o.PutUint16(out[8:], uint16(ifc.newID))
		}
	}
	return out, ""
}

// ngSimplePacket checks a simple packet block.
func (c *checker) ngSimplePacket(s *ngState, raw []byte, o binary.ByteOrder, off int64, index, packet int) ([]byte, string) {
	body := raw[8 : len(raw)-4]
	bodyOff := off + 8
	if len(s.ifaces) == 0 {
		c.add(Error, CodeNoInterface, off, index, packet, "simple packet block before any interface description in the section")
		return nil, "packet before any interface description"
	}
	ifc := &s.ifaces[0]
	if ifc.newID < 0 {
		return nil, "packet of an interface whose description was dropped"
	}
	origLen := o.Uint32(body)
	capLen := origLen
	if ifc.snapLen != 0 && capLen > ifc.snapLen {
		capLen = ifc.snapLen
	}
	if want := 4 + uint64(pad4(int(capLen&0x7fffffff))); want != uint64(len(body)) || capLen >= 1<<31 {
		c.add(Error, CodeCaptureLength, bodyOff, index, packet,
			"SPB body is %d bytes but original length %d and snaplen %d need %d", len(body), origLen, ifc.snapLen, want)
		return nil, "simple packet whose length does not match its block"
	}
	c.packetSeen(off, index, packet, time.Time{}, false, body[4:4+capLen])
	return raw, ""
}

// ngStatistics checks an interface statistics block.
func (c *checker) ngStatistics(s *ngState, raw []byte, o binary.ByteOrder, off int64, index int) ([]byte, string) {
	body := raw[8 : len(raw)-4]
	bodyOff := off + 8
	if len(body) < 12 {
		c.add(Error, CodeBody, bodyOff, index, -1, "ISB body of %d bytes is too short for its 12-byte fixed part", len(body))
		return nil, "malformed interface statistics"
	}
	id := o.Uint32(body)
	if uint64(id) >= uint64(len(s.ifaces)) {
		c.add(Warning, CodeInterfaceID, bodyOff, index, -1, "statistics for interface %d, but the section describes %d interfaces",
			id, len(s.ifaces))
	}
	good, ok := c.ngOptions(body, 12, bodyOff, index, -1, ngISB, o)
	out := raw
	if !ok {
		out = c.ngRebuild(s, raw, o, 12+good)
	}
	if uint64(id) < uint64(len(s.ifaces)) {
		switch newID := s.ifaces[id].newID; {
		case newID < 0:
			return nil, "statistics of an interface whose description was dropped"
		case newID != int(id):
			if &out[0] == &raw[0] {
				out = append(s.scratch[:0], raw...)
				s.scratch = out
			}
			o.PutUint32(out[8:], uint32(newID))
		}
	}
	return out, ""
}

// ngDecryptionSecrets checks a decryption secrets block.
func (c *checker) ngDecryptionSecrets(s *ngState, raw []byte, o binary.ByteOrder, off int64, index int) ([]byte, string) {
	body := raw[8 : len(raw)-4]
	bodyOff := off + 8
	if len(body) < 8 {
		c.add(Error, CodeBody, bodyOff, index, -1, "DSB body of %d bytes is too short for its 8-byte fixed part", len(body))
		return nil, "malformed decryption secrets"
	}
	n := o.Uint32(body[4:])
	if uint64(pad4(int(n&0x7fffffff))) > uint64(len(body)-8) || n >= 1<<31 {
		c.add(Error, CodeBody, bodyOff+4, index, -1, "secrets length %d does not fit in the %d-byte block body", n, len(body))
		return nil, "decryption secrets overrunning their block"
	}
	good, ok := c.ngOptions(body, 8+pad4(int(n)), bodyOff, index, -1, ngDSB, o)
	if !ok {
		return c.ngRebuild(s, raw, o, 8+pad4(int(n))+good), ""
	}
	return raw, ""
}

// ngPacketLengths checks a packet's captured length against its original
// length and the interface's snap length.
func (c *checker) ngPacketLengths(ifc *ngInterface, capLen, origLen uint32, off int64, index, pkt int) {
	if capLen > origLen {
		c.add(Warning, CodeOriginalLength, off, index, pkt, "captured length %d is larger than the original length %d",
			capLen, origLen)
	}
	if ifc.snapLen != 0 && capLen > ifc.snapLen {
		c.add(Warning, CodeSnapLen, off, index, pkt, "captured length %d is larger than the interface's snaplen %d",
			capLen, ifc.snapLen)
	}
}

// time converts a timestamp in the interface's units.
func (ifc *ngInterface) time(units uint64) time.Time {
	if ifc.ups == 0 {
		return time.Time{}
	}
	sec := units / ifc.ups
	hi, lo := bits.Mul64(units%ifc.ups, 1_000_000_000)
	ns, _ := bits.Div64(hi, lo, ifc.ups)
	return time.Unix(int64(sec)+ifc.tsOffset, int64(ns))
}

// ngInterfaceOptions reads if_tsresol and if_tsoffset from well-formed
// options; the first of each counts, as in Wireshark.
func (c *checker) ngInterfaceOptions(ifc *ngInterface, opts []byte, o binary.ByteOrder) {
	var haveRes, haveOff bool
	for len(opts) >= 4 {
		code, n := pkt.OptionCode(o.Uint16(opts)), int(o.Uint16(opts[2:]))
		if code == pkt.OptEndOfOpt || 4+pad4(n) > len(opts) {
			break
		}
		v := opts[4 : 4+n]
		switch {
		case code == pkt.OptIfTsresol && n == 1 && !haveRes:
			haveRes = true
			exp := uint(v[0] & 0x7f)
			ifc.ups = 0
			if v[0]&0x80 != 0 {
				if exp < 64 {
					ifc.ups = 1 << exp
				}
			} else if exp <= 19 {
				ifc.ups = 1
				for range exp {
					ifc.ups *= 10
				}
			}
		case code == pkt.OptIfTsoffset && n == 8 && !haveOff:
			haveOff = true
			ifc.tsOffset = int64(o.Uint64(v))
		}
		opts = opts[4+pad4(n):]
	}
}

// ngOptionSize is the value size the specification gives an option: exactly
// size bytes, or at least size bytes when exact is false.
func ngOptionSize(typ uint32, code pkt.OptionCode) (size int, exact bool) {
	switch code {
	case pkt.OptComment:
		return 0, false
	case pkt.OptCustomString, pkt.OptCustomBinary, pkt.OptCustomString2, pkt.OptCustomBinary2:
		return 4, false
	}
	switch typ {
	case ngIDB:
		switch code {
		case pkt.OptIfIPv4Addr, pkt.OptIfEUIAddr, pkt.OptIfSpeed, pkt.OptIfTsoffset,
			pkt.OptIfTxSpeed, pkt.OptIfRxSpeed:
			return 8, true
		case pkt.OptIfIPv6Addr:
			return 17, true
		case pkt.OptIfMACAddr:
			return 6, true
		case pkt.OptIfTsresol, pkt.OptIfFCSLen:
			return 1, true
		case pkt.OptIfTzone:
			return 4, true
		case pkt.OptIfFilter:
			return 1, false
		}
	case ngEPB, ngPB:
		switch code {
		case pkt.OptEPBFlags:
			return 4, true
		case pkt.OptEPBDropCount, pkt.OptEPBPacketID:
			if typ == ngEPB {
				return 8, true
			}
		case pkt.OptEPBQueue:
			if typ == ngEPB {
				return 4, true
			}
		case pkt.OptEPBHash, pkt.OptEPBVerdict:
			return 1, false
		}
	case ngISB:
		if code >= pkt.OptISBStartTime && code <= pkt.OptISBUsrDeliv {
			return 8, true
		}
	case ngNRB:
		switch code {
		case pkt.OptNSDNSIP4Addr:
			return 4, true
		case pkt.OptNSDNSIP6Addr:
			return 16, true
		}
	}
	return 0, false
}

// ngOptions checks the options area body[start:]. It returns the length of
// the well-formed options before the first malformed one, and whether the
// whole area is well formed.
func (c *checker) ngOptions(body []byte, start int, bodyOff int64, index, packet int, typ uint32, o binary.ByteOrder) (int, bool) {
	opts := body[start:]
	base := bodyOff + int64(start)
	pos := 0
	for pos < len(opts) {
		if len(opts)-pos < 4 {
			c.add(Error, CodeOption, base+int64(pos), index, packet, "%d bytes left in the block, too few for an option header",
				len(opts)-pos)
			return pos, false
		}
		code, n := pkt.OptionCode(o.Uint16(opts[pos:])), int(o.Uint16(opts[pos+2:]))
		if code == pkt.OptEndOfOpt {
			if n != 0 {
				c.add(Warning, CodeEndOfOptions, base+int64(pos), index, packet, "opt_endofopt with length %d, should be 0", n)
			}
			if rest := len(opts) - pos - 4; rest > 0 {
				c.add(Warning, CodeEndOfOptions, base+int64(pos+4), index, packet, "%d bytes after opt_endofopt", rest)
			}
			return len(opts), true
		}
		if 4+pad4(n) > len(opts)-pos {
			c.add(Error, CodeOption, base+int64(pos), index, packet,
				"option %d has length %d but only %d bytes are left in the block", code, n, len(opts)-pos-4)
			return pos, false
		}
		switch want, exact := ngOptionSize(typ, code); {
		case exact && n != want:
			c.add(Warning, CodeOptionValue, base+int64(pos), index, packet, "option %d has length %d, the specification says %d",
				code, n, want)
		case !exact && n < want:
			c.add(Warning, CodeOptionValue, base+int64(pos), index, packet, "option %d has length %d, the specification says at least %d",
				code, n, want)
		}
		if !allZero(opts[pos+4+n : pos+4+pad4(n)]) {
			c.add(Warning, CodePadding, base+int64(pos+4+n), index, packet, "non-zero padding after option %d", code)
		}
		pos += 4 + pad4(n)
	}
	return pos, true
}

// ngRebuild returns a copy of the block cut to the first bodyLen bytes of
// its body, with both lengths updated.
func (c *checker) ngRebuild(s *ngState, raw []byte, o binary.ByteOrder, bodyLen int) []byte {
	out := append(s.scratch[:0], raw[:8+bodyLen]...)
	total := uint32(len(out) + 4)
	o.PutUint32(out[4:], total)
	out = append(out, 0, 0, 0, 0)
	o.PutUint32(out[len(out)-4:], total)
	s.scratch = out
	return out
}

func (c *checker) ngNameResolution(s *ngState, raw, body []byte, bodyOff int64, index int, o binary.ByteOrder) ([]byte, string) {
	pos := 0
	for pos < len(body) {
		if len(body)-pos < 4 {
			c.add(Error, CodeRecord, bodyOff+int64(pos), index, -1, "%d bytes left, too few for a record header", len(body)-pos)
			return nil, "malformed name resolution block"
		}
		typ, n := o.Uint16(body[pos:]), int(o.Uint16(body[pos+2:]))
		if typ == pcapng.RecordEnd {
			good, ok := c.ngOptions(body, pos+4, bodyOff, index, -1, ngNRB, o)
			if !ok {
				return c.ngRebuild(s, raw, o, pos+4+good), ""
			}
			return raw, ""
		}
		if 4+pad4(n) > len(body)-pos {
			c.add(Error, CodeRecord, bodyOff+int64(pos), index, -1, "record of type %d has length %d but only %d bytes are left",
				typ, n, len(body)-pos-4)
			return nil, "malformed name resolution block"
		}
		switch {
		case typ == pcapng.RecordIPv4 && n < 4, typ == pcapng.RecordIPv6 && n < 16:
			c.add(Error, CodeRecord, bodyOff+int64(pos), index, -1, "address record of type %d and length %d is shorter than its address",
				typ, n)
			return nil, "malformed name resolution block"
		}
		pos += 4 + pad4(n)
	}
	c.add(Warning, CodeNameRecordsOpen, bodyOff+int64(pos), index, -1, "name resolution block without an nrb_record_end record")
	return raw, ""
}
