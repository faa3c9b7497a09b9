package pcapgo

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// Snoop file format (RFC 1761): a 16-byte header (magic, version 2, data
// link type) then records, each a 24-byte big-endian header (original
// length, included length, record length, cumulative drops, seconds,
// microseconds), the included bytes and padding up to the record length.
const (
	snoopMagic        = "snoop\x00\x00\x00"
	snoopVersion      = 2
	snoopHeaderLen    = 16
	snoopRecordHdrLen = 24
	// snoopMaxCaptureLen is the largest included length accepted, as in
	// Wireshark (WTAP_MAX_PACKET_SIZE_STANDARD).
	snoopMaxCaptureLen = 262144
)

// Texts of the errors about a snoop file; gopacket's pcapgo tests compare
// them.
const (
	unknownMagic        = "Unknown Snoop Magic Bytes"
	unknownVersion      = "Unknown Snoop Format Version"
	unkownLinkType      = "Unknown Link Type"
	originalLenExceeded = "Capture length exceeds original packet length"
	captureLenExceeded  = "Capture length exceeds max capture length"
)

// snoopLinkTypes maps the RFC 1761 data link types that gopacket has a
// link type for. The header accepts the other RFC codes up to 10 too.
var snoopLinkTypes = map[uint32]layers.LinkType{
	0: layers.LinkTypeEthernet,  // IEEE 802.3
	2: layers.LinkTypeTokenRing, // IEEE 802.5
	4: layers.LinkTypeEthernet,  // Ethernet
	5: layers.LinkTypeC_HDLC,    // HDLC
	8: layers.LinkTypeFDDI,      // FDDI
}

// SnoopReader reads a snoop version 2 file (RFC 1761). It reads from the
// underlying reader exactly the bytes of one record per call and buffers
// nothing, so wrap a slow reader in a bufio.Reader.
type SnoopReader struct {
	r        io.Reader
	linkType uint32
	hdr      [snoopRecordHdrLen]byte
	buf      []byte // ZeroCopyReadPacketData's buffer, reused
}

// NewSnoopReader reads the file header from r.
func NewSnoopReader(r io.Reader) (*SnoopReader, error) {
	var h [snoopHeaderLen]byte
	if _, err := io.ReadFull(r, h[:]); err != nil {
		return nil, err
	}
	if string(h[:8]) != snoopMagic {
		return nil, fmt.Errorf("%s: %x", unknownMagic, h[:8])
	}
	if v := binary.BigEndian.Uint32(h[8:]); v != snoopVersion {
		return nil, fmt.Errorf("%s: %d", unknownVersion, v)
	}
	lt := binary.BigEndian.Uint32(h[12:])
	if lt > 10 {
		return nil, fmt.Errorf("%s, Code:%d", unkownLinkType, lt)
	}
	return &SnoopReader{r: r, linkType: lt}, nil
}

// LinkType returns the file's link type, or an error for a data link type
// gopacket has no link type for.
func (r *SnoopReader) LinkType() (*layers.LinkType, error) {
	lt, ok := snoopLinkTypes[r.linkType]
	if !ok {
		return nil, fmt.Errorf("%s, Code:%d", unkownLinkType, r.linkType)
	}
	return &lt, nil
}

// readHeader reads a record header and returns its capture info and the
// number of bytes that follow it in the record.
func (r *SnoopReader) readHeader() (gopacket.CaptureInfo, int, error) {
	if _, err := io.ReadFull(r.r, r.hdr[:]); err != nil {
		return gopacket.CaptureInfo{}, 0, err
	}
	h := r.hdr[:]
	orig, incl, recLen := binary.BigEndian.Uint32(h[0:]), binary.BigEndian.Uint32(h[4:]), binary.BigEndian.Uint32(h[8:])
	ci := gopacket.CaptureInfo{
		Timestamp:     time.Unix(int64(binary.BigEndian.Uint32(h[16:])), int64(binary.BigEndian.Uint32(h[20:]))*1000).UTC(),
		Length:        int(orig),
		CaptureLength: int(incl),
	}
	switch {
	case incl > orig:
		//lint:ignore ST1005 gopacket's text, which its tests compare
		return ci, 0, errors.New(originalLenExceeded)
	case incl > snoopMaxCaptureLen || uint64(incl)+snoopRecordHdrLen > uint64(recLen):
		// More than the record holds (or than anyone captures).
		//lint:ignore ST1005 gopacket's text, which its tests compare
		return ci, 0, errors.New(captureLenExceeded)
	}
	return ci, int(recLen) - snoopRecordHdrLen, nil
}

// ReadPacketData returns the next packet in a new slice, or io.EOF after
// the last one.
func (r *SnoopReader) ReadPacketData() (data []byte, ci gopacket.CaptureInfo, err error) {
	ci, n, err := r.readHeader()
	if err != nil {
		return nil, ci, err
	}
	data = make([]byte, ci.CaptureLength)
	if err := r.readRecord(data, n); err != nil {
		return nil, ci, err
	}
	return data, ci, nil
}

// ZeroCopyReadPacketData returns the next packet in a buffer owned by the
// reader, valid until the next call.
func (r *SnoopReader) ZeroCopyReadPacketData() (data []byte, ci gopacket.CaptureInfo, err error) {
	ci, n, err := r.readHeader()
	if err != nil {
		return nil, ci, err
	}
	if cap(r.buf) < ci.CaptureLength {
		r.buf = make([]byte, ci.CaptureLength)
	}
	data = r.buf[:ci.CaptureLength]
	if err := r.readRecord(data, n); err != nil {
		return nil, ci, err
	}
	return data, ci, nil
}

// readRecord fills data and skips the padding up to n bytes; the padding
// is not buffered, so a huge record length costs no memory.
func (r *SnoopReader) readRecord(data []byte, n int) error {
	if _, err := io.ReadFull(r.r, data); err != nil {
		return noEOF(err)
	}
	if pad := int64(n - len(data)); pad > 0 {
		if m, err := io.CopyN(io.Discard, r.r, pad); m < pad {
			return noEOF(err)
		}
	}
	return nil
}

// noEOF turns an end of input inside a record into io.ErrUnexpectedEOF.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
