package pcapgo

import (
	"bufio"
	"fmt"
	"io"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/klauspost/compress/gzip"

	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pkt"
)

// Reader reads packets from a pcap file (gzip-compressed or not) through
// pcap.Reader: either byte order, microsecond or nanosecond timestamps,
// versions 2.0 to 2.4, the modified format.
type Reader struct {
	r       *pcap.Reader
	snaplen uint32
	buf     []byte // ZeroCopyReadPacketData's buffer, reused
}

// NewReader reads the file header from r, uncompressing it first when it
// starts with the gzip magic, and returns a Reader positioned at the first
// packet.
func NewReader(r io.Reader) (*Reader, error) {
	br := bufio.NewReaderSize(r, 16) // reads as large as pcap's buffer go straight through
	magic, err := br.Peek(2)
	if err != nil {
		return nil, fmt.Errorf("pcapgo: reading the file header: %w", err)
	}
	var src io.Reader = br
	if magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("pcapgo: gzip: %w", err)
		}
		src = gz
	}
	pr, err := pcap.NewReader(src)
	if err != nil {
		return nil, err
	}
	return &Reader{r: pr, snaplen: pr.Header().SnapLen}, nil
}

// ReadPacketData returns the next packet in a new slice, or io.EOF after
// the last one.
func (r *Reader) ReadPacketData() (data []byte, ci gopacket.CaptureInfo, err error) {
	data, ci, err = r.r.ReadPacketData()
	ci.Timestamp = ci.Timestamp.UTC()
	return data, ci, err
}

// ZeroCopyReadPacketData returns the next packet in a buffer owned by the
// Reader, valid until the next call, which reuses it.
func (r *Reader) ZeroCopyReadPacketData() (data []byte, ci gopacket.CaptureInfo, err error) {
	data, ci, err = r.r.ZeroCopyReadPacketData()
	if err != nil {
		return nil, ci, err
	}
	ci.Timestamp = ci.Timestamp.UTC()
	if cap(r.buf) < len(data) {
		r.buf = make([]byte, max(len(data), int(min(r.snaplen, 1<<16))))
	}
	r.buf = append(r.buf[:0], data...)
	return r.buf, ci, nil
}

// LinkType returns the file's link type. gopacket's type holds 8 bits;
// a larger value gives layers.LinkTypeNull (pcap.Reader.Header has it all).
func (r *Reader) LinkType() layers.LinkType { return r.r.LinkType() }

// Snaplen returns the snap length of the file header, or the value given
// to SetSnaplen.
func (r *Reader) Snaplen() uint32 { return r.snaplen }

// SetSnaplen changes the value Snaplen returns. gopacket's pcapgo needs it
// to read records longer than the header's snap length; this Reader reads
// them anyway, as tcpdump and Wireshark do, up to the link type's maximum.
func (r *Reader) SetSnaplen(newSnaplen uint32) { r.snaplen = newSnaplen }

// Resolution returns the resolution of the file's timestamps: microseconds
// or nanoseconds.
func (r *Reader) Resolution() gopacket.TimestampResolution {
	if r.r.Header().Resolution == pkt.Nanosecond {
		return gopacket.TimestampResolutionNanosecond
	}
	return gopacket.TimestampResolutionMicrosecond
}

// String describes the file header.
func (r *Reader) String() string {
	h := r.r.Header()
	return fmt.Sprintf("PcapFile  maj: %x min: %x snaplen: %d linktype: %s",
		h.VersionMajor, h.VersionMinor, r.snaplen, h.LinkType)
}
