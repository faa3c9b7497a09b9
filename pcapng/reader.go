package pcapng

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"iter"

	"github.com/pcaptool/pcaptool/internal/pipeio"
	"github.com/pcaptool/pcaptool/linktype"
)

// ReaderOptions tune a Reader. The zero value gives the defaults.
type ReaderOptions struct {
	// MaxBlockSize is the largest block total length accepted; larger
	// blocks are reported as ErrBlockTooLarge. 0 means
	// DefaultMaxBlockSize.
	MaxBlockSize int
	// BufferSize is the read buffer size; 0 means DefaultBufferSize.
	// Blocks that fit in it are returned without a copy.
	BufferSize int
	// SkipUnknownVersions skips a section whose header has a version
	// other than 1.0 or 1.2 — the header and every block up to the next
	// section header — as the pcapng specification recommends, instead
	// of failing with ErrVersion as Wireshark and libpcap do. A skipped
	// section is not counted in BlockInfo.Section.
	SkipUnknownVersions bool
}

// interfaceState is what the reader remembers about an interface of the
// current section to check and decode later blocks.
type interfaceState struct {
	linkType linktype.LinkType
	snapLen  uint32
}

// Reader reads the blocks of a pcapng file one at a time, in constant memory.
type Reader struct {
	r        pipeio.BufferedReader
	maxBlock int

	offset  int64 // offset of the next block
	index   int   // index of the next block
	section int   // index of the current section, -1 before the first
	order   binary.ByteOrder
	ifaces  []interfaceState
	big     []byte // holds blocks larger than the read buffer
	err     error  // sticky error
	pending Block  // the first SHB, read by NewReader and returned by Next

	skipUnknown bool // ReaderOptions.SkipUnknownVersions
	skipping    bool // inside a section of an unknown version

	// One block of each type, reused from call to call.
	shb SectionHeader
	idb InterfaceDescription
	epb EnhancedPacket
	spb SimplePacket
	pb  Packet
	nrb NameResolution
	isb InterfaceStatistics
	dsb DecryptionSecrets
	cb  Custom
	sje SystemdJournalExport
	unk UnknownBlock
}

// NewReader reads the first section header block of r and returns a Reader
// whose first Next returns it. It fails with ErrNotPcapng when r does not
// start with a section header block.
func NewReader(r io.Reader) (*Reader, error) { return NewReaderOptions(r, ReaderOptions{}) }

// NewReaderOptions is NewReader with options.
func NewReaderOptions(r io.Reader, opts ReaderOptions) (*Reader, error) {
	size := opts.BufferSize
	if size <= 0 {
		size = DefaultBufferSize
	}
	size = max(size, 4096)
	rd := &Reader{r: pipeio.Buffered(r, size), maxBlock: opts.MaxBlockSize, section: -1,
		skipUnknown: opts.SkipUnknownVersions}
	if rd.maxBlock <= 0 {
		rd.maxBlock = DefaultMaxBlockSize
	}
	head, err := rd.r.Peek(12)
	if len(head) < 4 || binary.LittleEndian.Uint32(head) != uint32(TypeSectionHeader) ||
		(len(head) == 12 && sectionOrder(head[8:]) == nil) {
		if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
			return nil, err
		}
		return nil, &FormatError{Type: uint32(TypeSectionHeader), Err: ErrNotPcapng,
			Msg: "file does not start with a section header block"}
	}
	b, err := rd.Next()
	if err != nil {
		return nil, err
	}
	// A copy: the block waits for the first Next while the buffer it was
	// read from may be refilled (capfile.Reader.Fill, a read-ahead ring).
	rd.pending = b.Clone()
	return rd, nil
}

// Offset returns the file offset of the next block.
func (r *Reader) Offset() int64 { return r.offset }

// Section returns the index of the current section (0 for the first).
func (r *Reader) Section() int { return r.section }

// ByteOrder returns the byte order of the current section.
func (r *Reader) ByteOrder() binary.ByteOrder { return r.order }

// InterfaceCount returns the number of interfaces described so far in the
// current section.
func (r *Reader) InterfaceCount() int { return len(r.ifaces) }

// All returns an iterator over the remaining blocks. Iteration stops after
// the first error, which is yielded with a nil block; io.EOF ends it quietly.
// Each block is valid only until the iteration continues.
func (r *Reader) All() iter.Seq2[Block, error] {
	return func(yield func(Block, error) bool) {
		for {
			b, err := r.Next()
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(b, nil) {
				return
			}
		}
	}
}

func (r *Reader) fail(off int64, typ BlockType, sentinel error, format string, args ...any) error {
	r.err = &FormatError{Offset: off, Block: r.index, Type: uint32(typ), Err: sentinel, Msg: fmt.Sprintf(format, args...)}
	return r.err
}

func (r *Reader) ioFail(off int64, typ BlockType, err error, what string, have, want int) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF || err == bufio.ErrBufferFull {
		return r.fail(off, typ, ErrTruncated, "file ends inside the %s: %d of %d bytes present", what, have, want)
	}
	r.err = err
	return err
}

// Next returns the next block, or io.EOF after the last one. The block and
// the slices in it are valid until the next call; use Block.Clone to keep
// one. Errors are sticky: after one, every call returns it again.
func (r *Reader) Next() (Block, error) {
	if r.pending != nil {
		b := r.pending
		r.pending = nil
		return b, nil
	}
	for {
		b, err := r.next()
		if b != nil || err != nil {
			return b, err
		}
	}
}

// next reads one block; it returns a nil block and a nil error for a block
// of a skipped section.
func (r *Reader) next() (Block, error) {
	if r.err != nil {
		return nil, r.err
	}
	start := r.offset
	hdr, err := r.r.Peek(8)
	if err != nil {
		if len(hdr) == 0 && err == io.EOF {
			r.err = io.EOF
			return nil, io.EOF
		}
		return nil, r.ioFail(start, 0, err, "block header", len(hdr), 8)
	}
	typ := BlockType(binary.LittleEndian.Uint32(hdr))
	order := r.order
	if typ == TypeSectionHeader {
		head, err := r.r.Peek(12)
		if err != nil {
			return nil, r.ioFail(start, typ, err, "block header", len(head), 12)
		}
		order = sectionOrder(head[8:])
		if order == nil {
			return nil, r.fail(start+8, typ, ErrByteOrder, "unknown byte-order magic 0x%08x",
				binary.BigEndian.Uint32(head[8:]))
		}
	}
	little := isLittleEndian(order)
	if typ != TypeSectionHeader {
		typ = BlockType(getUint32(little, order, hdr))
	}
	length := getUint32(little, order, hdr[4:])
	switch {
	case length < blockOverhead:
		return nil, r.fail(start, typ, ErrBlockLength, "block total length %d is less than the minimum of 12", length)
	case length%4 != 0:
		return nil, r.fail(start, typ, ErrBlockLength, "block total length %d is not a multiple of 4", length)
	case uint64(length) > uint64(r.maxBlock):
		return nil, r.fail(start, typ, ErrBlockTooLarge, "block total length %d exceeds the maximum of %d",
			length, r.maxBlock)
	case typ == TypeSectionHeader && length < minSectionHeaderLen:
		return nil, r.fail(start, typ, ErrBlockLength, "section header block total length %d is less than 28", length)
	}
	total := int(length)
	var raw []byte
	if total <= r.r.Size() {
		raw, err = r.r.Peek(total)
		if err != nil {
			return nil, r.ioFail(start, typ, err, "block", len(raw), total)
		}
	} else {
		raw, err = readGrowing(r.r, r.big[:0], total)
		r.big = raw
		if err != nil {
			return nil, r.ioFail(start, typ, err, "block", len(raw), total)
		}
	}
	if trail := getUint32(little, order, raw[total-4:]); trail != length {
		return nil, r.fail(start+int64(total)-4, typ, ErrBlockLength,
			"trailing block total length %d differs from the leading %d", trail, length)
	}
	body := raw[8 : total-4]
	if r.skipping && typ != TypeSectionHeader {
		return nil, r.consume(total)
	}

	b := r.blockFor(typ)
	info := b.Info()
	*info = BlockInfo{Offset: start, Index: r.index, Section: r.section, Length: length, ByteOrder: order}
	switch typ {
	case TypeSectionHeader:
		info.Section = r.section + 1
	case TypeSimplePacket:
		if len(r.ifaces) == 0 {
			return nil, r.fail(start, typ, ErrInterfaceID, "simple packet block before any interface description in the section")
		}
		r.spb.snapLen = r.ifaces[0].snapLen
	}
	if e := b.parse(body, order); e != nil {
		return nil, r.fail(start+8+int64(e.rel), typ, e.err, "%s", e.msg)
	}
	switch typ {
	case TypeSectionHeader:
		r.skipping = false
		if !(r.shb.VersionMajor == 1 && (r.shb.VersionMinor == 0 || r.shb.VersionMinor == 2)) {
			if r.skipUnknown {
				r.skipping = true
				r.order = order // to find the section's block boundaries
				return nil, r.consume(total)
			}
			return nil, r.fail(start+12, typ, ErrVersion, "unsupported section version %d.%d (want 1.0 or 1.2)",
				r.shb.VersionMajor, r.shb.VersionMinor)
		}
		r.section++
		r.order = order
		r.ifaces = r.ifaces[:0]
	case TypeInterfaceDescription:
		r.ifaces = append(r.ifaces, interfaceState{linkType: r.idb.LinkType, snapLen: r.idb.SnapLen})
	case TypeEnhancedPacket:
		if uint64(r.epb.InterfaceID) >= uint64(len(r.ifaces)) {
			return nil, r.fail(start+8, typ, ErrInterfaceID, "interface id %d, but the section describes %d interfaces",
				r.epb.InterfaceID, len(r.ifaces))
		}
	case TypePacket:
		if int(r.pb.InterfaceID) >= len(r.ifaces) {
			return nil, r.fail(start+8, typ, ErrInterfaceID, "interface id %d, but the section describes %d interfaces",
				r.pb.InterfaceID, len(r.ifaces))
		}
	}
	if err := r.consume(total); err != nil {
		return nil, err
	}
	return b, nil
}

// consume moves past the block of the given total length just decoded.
func (r *Reader) consume(total int) error {
	if total <= r.r.Size() {
		if _, err := r.r.Discard(total); err != nil {
			r.err = err
			return err
		}
	}
	r.offset += int64(total)
	r.index++
	return nil
}

func (r *Reader) blockFor(t BlockType) Block {
	switch t {
	case TypeSectionHeader:
		return &r.shb
	case TypeInterfaceDescription:
		return &r.idb
	case TypeEnhancedPacket:
		return &r.epb
	case TypeSimplePacket:
		return &r.spb
	case TypePacket:
		return &r.pb
	case TypeNameResolution:
		return &r.nrb
	case TypeInterfaceStatistics:
		return &r.isb
	case TypeDecryptionSecrets:
		return &r.dsb
	case TypeCustom:
		r.cb.DoNotCopy = false
		return &r.cb
	case TypeCustomNoCopy:
		r.cb.DoNotCopy = true
		return &r.cb
	case TypeSystemdJournalExport:
		return &r.sje
	}
	r.unk.BlockType = t
	return &r.unk
}

// readGrowing appends n bytes from r to buf, growing buf only as data
// arrives (chunks start at 4 KiB and double) so that a lying length field
// cannot force an allocation much larger than the data actually present.
func readGrowing(r io.Reader, buf []byte, n int) ([]byte, error) {
	for len(buf) < n {
		want := min(n-len(buf), max(4096, len(buf)))
		if cap(buf)-len(buf) < want {
			grown := make([]byte, len(buf), len(buf)+want)
			copy(grown, buf)
			buf = grown
		}
		m, err := io.ReadFull(r, buf[len(buf):len(buf)+want])
		buf = buf[:len(buf)+m]
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}
