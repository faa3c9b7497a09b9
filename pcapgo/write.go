package pcapgo

import (
	"fmt"
	"io"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pkt"
)

// writeBufferSize bounds what one WritePacket gathers into a single Write
// call; larger packets go out in two.
const writeBufferSize = 64 << 10

// Writer writes a little-endian version 2.4 pcap file through pcap.Writer.
// It is not buffered: every WriteFileHeader and WritePacket reaches the
// underlying writer before returning.
type Writer struct {
	w     io.Writer
	nanos bool
	pw    *pcap.Writer // nil before WriteFileHeader or the first WritePacket
}

// NewWriter returns a Writer of microsecond timestamps. Call
// WriteFileHeader first for a new file; to append to an existing file
// (same snap length, link type and resolution), call WritePacket only.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// NewWriterNanos is NewWriter for nanosecond timestamps.
func NewWriterNanos(w io.Writer) *Writer { return &Writer{w: w, nanos: true} }

func (w *Writer) header(snaplen uint32, lt layers.LinkType) pcap.FileHeader {
	h := pcap.FileHeader{SnapLen: snaplen, LinkType: linktype.LinkType(lt), FCSLen: -1}
	if w.nanos {
		h.Resolution = pkt.Nanosecond
	}
	return h
}

// WriteFileHeader writes the file header, once per file.
func (w *Writer) WriteFileHeader(snaplen uint32, linktype layers.LinkType) error {
	pw, err := pcap.NewWriterSize(w.w, w.header(snaplen, linktype), writeBufferSize)
	if err != nil {
		return err
	}
	w.pw = pw
	return pw.Flush()
}

// WritePacket writes one packet. ci.CaptureLength must be len(data) and
// no more than ci.Length; timestamps before 1970 or after 2106 cannot be
// stored.
func (w *Writer) WritePacket(ci gopacket.CaptureInfo, data []byte) error {
	if err := checkCaptureInfo(ci, data); err != nil {
		return err
	}
	if w.pw == nil {
		pw, err := pcap.NewAppendWriter(w.w, w.header(0, 0), writeBufferSize)
		if err != nil {
			return err
		}
		w.pw = pw
	}
	if err := w.pw.WritePacket(&pkt.Packet{Timestamp: ci.Timestamp, Length: ci.Length, Data: data}); err != nil {
		return err
	}
	return w.pw.Flush()
}

// checkCaptureInfo refuses what gopacket's writers refuse: lengths that do
// not describe data.
func checkCaptureInfo(ci gopacket.CaptureInfo, data []byte) error {
	if ci.CaptureLength != len(data) {
		return fmt.Errorf("pcapgo: capture length %d does not match data length %d", ci.CaptureLength, len(data))
	}
	if ci.CaptureLength > ci.Length {
		return fmt.Errorf("pcapgo: capture length %d exceeds the packet length %d", ci.CaptureLength, ci.Length)
	}
	return nil
}
