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
	// placeholder marks an interface whose description was lost, to be
	// described from its first packet.
	placeholder bool
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
	// lost is set once a block of the section was dropped: packets may
	// then refer to an interface whose description was lost.
	lost     bool
	lastTime time.Time // of the last packet with a usable time
	lastType uint32    // type of the last block kept
	scratch  []byte
	fixed    []byte // a block with a restored length
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
blocks:
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
		switch {
		case typ == ngSHB:
			order = byteOrderOf(hdr[8:12])
			if order == nil {
				c.add(Error, CodeByteOrder, off+8, index, -1, "section header with unknown byte-order magic 0x%08x",
					binary.BigEndian.Uint32(hdr[8:12]))
				var more bool
				if off, more = c.ngSkip(s, off, index, "section header with a bad byte-order magic"); !more {
					break blocks
				}
				continue
			}
		case order == nil:
			// No section header was read: a sound block here gets one.
			if o, ok := c.ngPlausible(s, off, hdr); ok {
				c.ngSynthesizeSection(s, o, off, index)
				continue
			}
			c.add(Error, CodeMagic, off, index, -1, "no section header: the block here is not a plausible one either")
			var more bool
			if off, more = c.ngSkip(s, off, index, "bytes before any usable section header"); !more {
				break blocks
			}
			continue
		default:
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
			if off, more = c.ngDamaged(s, off, index, &packet, order, typ, "block with a bad total length"); !more {
				break blocks
			}
			index++
			continue
		}
		raw := c.w.peek(off, int(length))
		if len(raw) < int(length) {
			present := len(raw)
			if next, ok := c.ngResync(s, off+1); ok {
				c.add(Error, CodeBlockLength, off+4, index, -1,
					"%s block total length %d reaches past the next plausible block at offset %d",
					pcapng.BlockType(typ), length, next)
				if c.ngRestore(s, off, next, index, &packet, order, typ) {
					off = next
					index++
					continue
				}
				c.add(Error, CodeSkipped, off, index, -1, "skipped %d bytes to the next plausible block at offset %d",
					next-off, next)
				c.drop(off, next-off, 0, 0, "block with a bad total length")
				s.lost = true
				off = next
				continue
			}
			c.add(Error, CodeTruncated, off, index, -1, "file ends inside a %s block: %d of %d bytes present",
				pcapng.BlockType(typ), present, length)
			c.drop(off, int64(c.remaining(off)), 1, b2i(isPacketType(typ)), "truncated block at the end of the file")
			off += int64(present)
			break
		}
		if trail := order.Uint32(raw[length-4:]); trail != length {
			c.add(Error, CodeTrailingLength, off+int64(length)-4, index, -1,
				"%s block trailing total length %d differs from the leading %d", pcapng.BlockType(typ), trail, length)
			if c.ngFollowed(s, off+int64(length)) {
				// Only the trailing length is wrong: the next block starts
				// where the leading one says.
				fixed := append(s.fixed[:0], raw...)
				s.fixed = fixed
				order.PutUint32(fixed[length-4:], length)
				c.ngProcess(s, fixed, order, typ, off, index, &packet)
				index++
				off += int64(length)
				continue
			}
			var more bool
			if off, more = c.ngDamaged(s, off, index, &packet, order, typ,
				"block whose trailing length differs from its leading length"); !more {
				break blocks
			}
			index++
			continue
		}
		c.ngProcess(s, raw, order, typ, off, index, &packet)
		index++
		off += int64(length)
	}
	c.ngEndSection(s, off, index)
	c.rep.Size = off
}

// ngProcess checks and keeps (or drops) the block raw whose framing is
// sound.
func (c *checker) ngProcess(s *ngState, raw []byte, order binary.ByteOrder, typ uint32, off int64, index int, packet *int) {
	if typ == ngSHB {
		c.ngEndSection(s, off, index)
	}
	isPacket := isPacketType(typ)
	pkt := -1
	if isPacket {
		pkt = *packet
		*packet++
		c.rep.Packets++
	}
	out, why := c.ngBlock(s, raw, order, typ, off, index, pkt)
	switch {
	case out == nil:
		c.drop(off, int64(len(raw)), 1, b2i(isPacket), why)
		s.lost = true
	case s.dropSection && typ != ngSHB:
		c.drop(off, int64(len(raw)), 1, b2i(isPacket), "block of a section whose header is unusable")
	default:
		c.keep(out)
		s.lastType = typ
		if isPacket {
			c.rep.UsablePackets++
		}
	}
	c.rep.Blocks++
}

// ngDamaged handles the block at off whose lengths cannot be trusted: it
// is restored when the next plausible block starts where the block's
// trailing length says it ends, and dropped otherwise. It returns where
// to go on, and false at the end of the file.
func (c *checker) ngDamaged(s *ngState, off int64, index int, packet *int, order binary.ByteOrder, typ uint32, reason string) (int64, bool) {
	next, ok := c.ngResync(s, off+1)
	if ok && c.ngRestore(s, off, next, index, packet, order, typ) {
		return next, true
	}
	return c.ngSkipTo(s, off, index, next, ok, reason)
}

// ngRestore keeps the block at off, whose leading length is damaged, when
// its trailing length, just before the next plausible block at next, says
// the block ends there.
func (c *checker) ngRestore(s *ngState, off, next int64, index int, packet *int, order binary.ByteOrder, typ uint32) bool {
	length := next - off
	if order == nil || length < int64(max(ngMinLength(typ), 12)) || length > c.ngBehind() || length%4 != 0 {
		return false
	}
	raw := c.w.peek(off, int(length))
	if int64(len(raw)) != length || int64(order.Uint32(raw[length-4:])) != length || ngMinLength(typ) == 0 {
		return false
	}
	fixed := append(s.fixed[:0], raw...)
	s.fixed = fixed
	order.PutUint32(fixed[4:], uint32(length))
	c.add(Error, CodeBlockLength, off+4, index, -1,
		"%s block: the trailing length %d ends it where the next block starts; leading length restored",
		pcapng.BlockType(typ), length)
	c.ngProcess(s, fixed, order, typ, off, index, packet)
	return true
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
	next, ok := c.ngResync(s, off+1)
	return c.ngSkipTo(s, off, index, next, ok, reason)
}

func (c *checker) ngSkipTo(s *ngState, off int64, index int, next int64, ok bool, reason string) (int64, bool) {
	s.lost = true
	if !ok {
		n := c.remaining(off)
		c.add(Error, CodeGarbage, off, index, -1, "%d bytes from offset %d to the end hold no further block", n, off)
		c.drop(off, n, 0, 0, reason+"; nothing readable after it")
		return off + n, false
	}
	c.add(Error, CodeSkipped, off, index, -1, "skipped %d bytes to the next plausible block at offset %d", next-off, next)
	c.drop(off, next-off, 0, 0, reason)
	c.ngLostInterface(s, off, next, index)
	return next, true
}

// remaining counts the bytes from off to the end of the input. Nothing
// after off is looked at again.
func (c *checker) remaining(off int64) int64 {
	return max(c.w.size()-off, 0)
}

// ngBehind is how far back from a resync candidate bytes are kept, so
// that the damaged block before it can be restored.
func (c *checker) ngBehind() int64 { return int64(min(c.opts.MaxBlockSize, 1<<20)) }

// ngResync looks for the first plausible block at or after from: a known
// block type, a sane length and a matching trailing length. Every byte
// offset is tried: inserted or deleted bytes leave the rest of the file
// off its 4-byte alignment.
func (c *checker) ngResync(s *ngState, from int64) (int64, bool) {
	behind := c.ngBehind()
	for p := from; ; p++ {
		c.w.release(p - behind)
		h := c.w.peek(p, 12)
		if len(h) < 12 {
			return 0, false
		}
		if _, ok := c.ngPlausible(s, p, h); ok {
			return p, true
		}
	}
}

// ngFollowed reports whether the end of the file or a plausible block is
// at p.
func (c *checker) ngFollowed(s *ngState, p int64) bool {
	h := c.w.peek(p, 12)
	if len(h) == 0 {
		return true
	}
	_, ok := c.ngPlausible(s, p, h)
	return ok
}

// ngPlausible reports whether a plausible block starts at p, and the byte
// order it is in: the section's, or either when no section header has
// been read.
func (c *checker) ngPlausible(s *ngState, p int64, h []byte) (binary.ByteOrder, bool) {
	if len(h) < 12 {
		return nil, false
	}
	typ := binary.LittleEndian.Uint32(h)
	if typ == ngSHB {
		order := byteOrderOf(h[8:12])
		return order, order != nil && c.ngPlausibleIn(s, p, h, order, typ)
	}
	if s.order != nil {
		return s.order, c.ngPlausibleIn(s, p, h, s.order, s.order.Uint32(h))
	}
	for _, o := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		if c.ngPlausibleIn(s, p, h, o, o.Uint32(h)) {
			return o, true
		}
	}
	return nil, false
}

func (c *checker) ngPlausibleIn(s *ngState, p int64, h []byte, order binary.ByteOrder, typ uint32) bool {
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
	// Interfaces whose description was lost may be referred to.
	ifaces := uint64(len(s.ifaces))
	if s.lost || s.order == nil {
		ifaces += ngLostInterfaces
	}
	switch typ {
	case ngSHB:
		major, minor := order.Uint16(body[4:]), order.Uint16(body[6:])
		return major == 1 && (minor == 0 || minor == 2)
	case ngEPB:
		capLen := order.Uint32(body[12:])
		return uint64(order.Uint32(body)) < ifaces && uint64(pad4(int(capLen&0x7fffffff))) <= uint64(len(body)-20)
	case ngPB:
		capLen := order.Uint32(body[12:])
		return uint64(order.Uint16(body)) < ifaces && uint64(pad4(int(capLen&0x7fffffff))) <= uint64(len(body)-20)
	case ngISB:
		return uint64(order.Uint32(body)) < ifaces
	case ngSPB:
		return ifaces > 0
	case ngIDB:
		return order.Uint16(body[2:]) == 0
	}
	return true
}

// ngLostInterfaces is how many interfaces beyond those described a packet
// may refer to after a block was lost (its description may have been it).
const ngLostInterfaces = 4

// ngSynthesizeSection writes a section header for blocks found before any
// usable one, in their byte order.
func (c *checker) ngSynthesizeSection(s *ngState, o binary.ByteOrder, off int64, index int) {
	c.add(Error, CodeMagic, off, index, -1,
		"blocks without a usable section header: wrote a %s-endian section header (version 1.0, length unknown)",
		orderName(o))
	shb := make([]byte, 28)
	o.PutUint32(shb, ngSHB)
	o.PutUint32(shb[4:], 28)
	o.PutUint32(shb[8:], pcapng.ByteOrderMagic)
	o.PutUint16(shb[12:], 1)
	o.PutUint64(shb[16:], ^uint64(0))
	o.PutUint32(shb[24:], 28)
	c.keep(shb)
	s.order = o
	s.ifaces = s.ifaces[:0]
	s.kept = 0
	s.shbOffset, s.shbIndex, s.start = off, index, off
	s.length = -1
	s.dropSection = false
	s.lost = true
	s.lastType = ngSHB
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
	s.lost = false
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
	units := uint64(o.Uint32(body[4:]))<<32 | uint64(o.Uint32(body[8:]))
	if uint64(id) >= uint64(len(s.ifaces)) && s.lost && uint64(id) < uint64(len(s.ifaces))+ngLostInterfaces {
		c.ngSynthesizeInterfaces(s, o, int(id), body[fixed:], units, off, index, packet)
	}
	if uint64(id) >= uint64(len(s.ifaces)) {
		c.add(Error, CodeInterfaceID, bodyOff, index, packet, "interface id %d, but the section describes %d interfaces",
			id, len(s.ifaces))
		return nil, "packet of an undescribed interface"
	}
	if s.ifaces[id].placeholder {
		c.ngSynthesizeInterfaces(s, o, int(id), body[fixed:], units, off, index, packet)
	}
	ifc := &s.ifaces[id]
	if ifc.newID < 0 {
		return nil, "packet of an interface whose description was dropped"
	}
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
	if ifc.ups != 0 {
		s.lastTime = ifc.time(units)
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
	if len(s.ifaces) == 0 && s.lost {
		c.ngSynthesizeInterfaces(s, o, 0, body[4:], 0, off, index, packet)
	}
	if len(s.ifaces) == 0 {
		c.add(Error, CodeNoInterface, off, index, packet, "simple packet block before any interface description in the section")
		return nil, "packet before any interface description"
	}
	if s.ifaces[0].placeholder {
		c.ngSynthesizeInterfaces(s, o, 0, body[4:], 0, off, index, packet)
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

// ngSynthesizeInterfaces writes interface descriptions for the interfaces
// up to id, whose descriptions were lost with a damaged block, so that
// their packets are kept: the link type is guessed from the packet data
// and the time resolution from the timestamp (units), as the power of ten
// that puts it nearest the previous packet's time, or in 1990-2100.
func (c *checker) ngSynthesizeInterfaces(s *ngState, o binary.ByteOrder, id int, data []byte, units uint64, off int64, index, packet int) {
	lt := guessLinkType(data)
	exp := guessResolution(units, s.lastTime)
	for i := 0; i <= id; i++ {
		if i < len(s.ifaces) && !s.ifaces[i].placeholder {
			continue
		}
		c.add(Error, CodeInterfaceID, off, index, packet,
			"interface %d is not described (its description block was lost): wrote one with link type %s and resolution 1e-%d s guessed from its packets",
			i, lt, exp)
		idb := make([]byte, 20, 32)
		o.PutUint32(idb, ngIDB)
		o.PutUint16(idb[8:], uint16(lt))
		if exp != 6 {
			opt := make([]byte, 8)
			o.PutUint16(opt, uint16(pkt.OptIfTsresol))
			o.PutUint16(opt[2:], 1)
			opt[4] = byte(exp)
			idb = append(idb[:16], opt...)
			idb = append(idb, 0, 0, 0, 0)
		}
		o.PutUint32(idb[4:], uint32(len(idb)))
		o.PutUint32(idb[len(idb)-4:], uint32(len(idb)))
		c.keep(idb)
		ups := uint64(1)
		for range exp {
			ups *= 10
		}
		ifc := ngInterface{linkType: lt, ups: ups, newID: s.kept}
		s.kept++
		if i < len(s.ifaces) {
			s.ifaces[i] = ifc
		} else {
			s.ifaces = append(s.ifaces, ifc)
		}
	}
}

// ngLostInterface notes that the whole block dropped at [off, next) may
// have been an interface description: it sits among them (after the
// section header or another description) and its trailing length frames
// exactly one block. Its interface keeps its number, described later from
// its packets, so that the interfaces after it keep theirs.
func (c *checker) ngLostInterface(s *ngState, off, next int64, index int) {
	if s.order == nil || (s.lastType != ngSHB && s.lastType != ngIDB) || next-off < 20 {
		return
	}
	t := c.w.peek(next-4, 4)
	if len(t) < 4 || int64(s.order.Uint32(t)) != next-off {
		return
	}
	c.add(Error, CodeBody, off, index, -1,
		"the lost block among the interface descriptions is taken for interface %d's", len(s.ifaces))
	s.ifaces = append(s.ifaces, ngInterface{newID: -1, placeholder: true})
	s.lastType = ngIDB
}

// guessLinkType tells Ethernet from raw IP by the first bytes of a frame.
func guessLinkType(data []byte) linktype.LinkType {
	if len(data) >= 14 {
		switch binary.BigEndian.Uint16(data[12:]) {
		case 0x0800, 0x86dd, 0x0806, 0x8100, 0x88a8:
			return linktype.LinkType(1)
		}
	}
	if len(data) > 0 && (data[0]>>4 == 4 || data[0]>>4 == 6) {
		return linktype.LinkType(101)
	}
	return linktype.LinkType(1)
}

// guessResolution returns the decimal exponent of the time unit that puts
// units nearest last (when known) or in 1990-2100.
func guessResolution(units uint64, last time.Time) int {
	best, bestDist := 6, uint64(1<<64-1)
	for _, exp := range []int{9, 6, 3, 0} {
		scale := uint64(1)
		for range exp {
			scale *= 10
		}
		sec := units / scale
		var dist uint64
		if !last.IsZero() {
			l := uint64(max(last.Unix(), 0))
			dist = max(sec, l) - min(sec, l)
		} else if sec < 631152000 || sec > 4102444800 {
			dist = 1 << 62
		}
		if dist < bestDist {
			best, bestDist = exp, dist
		}
	}
	return best
}

// guessPcapng reports whether a plausible pcapng block, in either byte
// order, starts in the first guessSpan bytes of input whose section header
// is unusable.
func (c *checker) guessPcapng() bool {
	s := &ngState{}
	for p := int64(0); p < guessSpan; p++ {
		h := c.w.peek(p, 12)
		if len(h) < 12 {
			return false
		}
		if _, ok := c.ngPlausible(s, p, h); ok {
			return true
		}
	}
	return false
}
