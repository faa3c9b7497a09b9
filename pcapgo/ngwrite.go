package pcapgo

import (
	"encoding/binary"
	"fmt"
	"io"
	"runtime"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pcapng"
	"github.com/pcaptool/pcaptool/pkt"
)

// NgWriterOptions describe the section an NgWriter writes.
type NgWriterOptions struct {
	// SectionInfo becomes the section header's options; empty fields are
	// left out.
	SectionInfo NgSectionInfo
}

// DefaultNgWriterOptions are the section options NewNgWriter uses.
var DefaultNgWriterOptions = NgWriterOptions{
	SectionInfo: NgSectionInfo{
		Hardware:    runtime.GOARCH,
		OS:          runtime.GOOS,
		Application: "pcaptool",
	},
}

// DefaultNgInterface is the interface NewNgWriter describes, with the link
// type it is given.
var DefaultNgInterface = NgInterface{
	Name:                "intf0",
	OS:                  runtime.GOOS,
	SnapLength:          0,
	TimestampResolution: 9,
}

// NgWriter writes a little-endian pcapng file of one section through
// pcapng.Writer: interface descriptions, enhanced packet blocks and
// interface statistics. Output is buffered: call Flush before closing the
// file.
type NgWriter struct {
	w      *pcapng.Writer
	ifaces int
}

// NewNgWriter writes a section header with DefaultNgWriterOptions and an
// interface description of DefaultNgInterface with the given link type.
func NewNgWriter(w io.Writer, linkType layers.LinkType) (*NgWriter, error) {
	intf := DefaultNgInterface
	intf.LinkType = linkType
	return NewNgWriterInterface(w, intf, DefaultNgWriterOptions)
}

// NewNgWriterInterface writes a section header with the given options and
// a description of intf, interface 0. Timestamps are written in
// nanoseconds whatever intf.TimestampResolution says.
func NewNgWriterInterface(w io.Writer, intf NgInterface, options NgWriterOptions) (*NgWriter, error) {
	ng := &NgWriter{w: pcapng.NewWriterSize(w, writeBufferSize)}
	shb := &pcapng.SectionHeader{VersionMajor: 1, SectionLength: -1}
	si := options.SectionInfo
	addString(&shb.OptionList, pkt.OptComment, si.Comment)
	addString(&shb.OptionList, pkt.OptSHBHardware, si.Hardware)
	addString(&shb.OptionList, pkt.OptSHBOS, si.OS)
	addString(&shb.OptionList, pkt.OptSHBUserAppl, si.Application)
	if err := ng.w.WriteBlock(shb); err != nil {
		return nil, err
	}
	if _, err := ng.AddInterface(intf); err != nil {
		return nil, err
	}
	return ng, nil
}

func addString(l *pcapng.OptionList, code pkt.OptionCode, s string) {
	if s != "" {
		l.AddString(code, s)
	}
}

func addUint64(l *pcapng.OptionList, code pkt.OptionCode, v uint64) {
	l.Add(code, binary.LittleEndian.AppendUint64(nil, v))
}

// AddInterface describes another interface and returns its index, for
// CaptureInfo.InterfaceIndex. Its statistics are not written (see
// WriteInterfaceStats); its timestamps are in nanoseconds.
func (w *NgWriter) AddInterface(intf NgInterface) (id int, err error) {
	idb := &pcapng.InterfaceDescription{LinkType: linktype.LinkType(intf.LinkType), SnapLen: intf.SnapLength}
	l := &idb.OptionList
	addString(l, pkt.OptIfName, intf.Name)
	addString(l, pkt.OptComment, intf.Comment)
	addString(l, pkt.OptIfDescription, intf.Description)
	if intf.Filter != "" {
		l.Add(pkt.OptIfFilter, append([]byte{0}, intf.Filter...)) // 0: a libpcap filter expression
	}
	addString(l, pkt.OptIfOS, intf.OS)
	l.Add(pkt.OptIfTsresol, []byte{9})
	if intf.TimestampOffset != 0 {
		addUint64(l, pkt.OptIfTsoffset, intf.TimestampOffset)
	}
	if err := w.w.WriteBlock(idb); err != nil {
		return 0, err
	}
	w.ifaces++
	return w.ifaces - 1, nil
}

func (w *NgWriter) checkInterface(id int) error {
	if id < 0 || id >= w.ifaces {
		return fmt.Errorf("pcapgo: interface %d does not exist; %d were added", id, w.ifaces)
	}
	return nil
}

// nanoseconds returns t in nanoseconds since 1970.
func nanoseconds(t time.Time) (uint64, error) {
	ns := t.UnixNano()
	if ns < 0 || t.Year() > 2262 {
		return 0, fmt.Errorf("%w: %s", pcapng.ErrTimestampRange, t.UTC().Format(time.RFC3339Nano))
	}
	return uint64(ns), nil
}

// WriteInterfaceStats writes statistics for interface intf. Counters equal
// to NgNoValue64, zero times and an empty comment are left out.
func (w *NgWriter) WriteInterfaceStats(intf int, stats NgInterfaceStatistics) error {
	if err := w.checkInterface(intf); err != nil {
		return err
	}
	ts, err := nanoseconds(stats.LastUpdate)
	if err != nil {
		return err
	}
	isb := &pcapng.InterfaceStatistics{InterfaceID: uint32(intf), Timestamp: ts}
	l := &isb.OptionList
	addString(l, pkt.OptComment, stats.Comment)
	for _, opt := range []struct {
		code pkt.OptionCode
		t    time.Time
	}{{pkt.OptISBStartTime, stats.StartTime}, {pkt.OptISBEndTime, stats.EndTime}} {
		if opt.t.IsZero() {
			continue
		}
		ns, err := nanoseconds(opt.t)
		if err != nil {
			return err
		}
		// High 32 bits first, each half in the section's byte order.
		v := binary.LittleEndian.AppendUint32(nil, uint32(ns>>32))
		l.Add(opt.code, binary.LittleEndian.AppendUint32(v, uint32(ns)))
	}
	if stats.PacketsReceived != NgNoValue64 {
		addUint64(l, pkt.OptISBIfRecv, stats.PacketsReceived)
	}
	if stats.PacketsDropped != NgNoValue64 {
		addUint64(l, pkt.OptISBIfDrop, stats.PacketsDropped)
	}
	return w.w.WriteBlock(isb)
}

// WritePacket writes one packet of interface ci.InterfaceIndex as an
// enhanced packet block. The timestamp is written as it is: an interface's
// TimestampOffset is not subtracted, so a reader adds it.
func (w *NgWriter) WritePacket(ci gopacket.CaptureInfo, data []byte) error {
	if err := w.checkInterface(ci.InterfaceIndex); err != nil {
		return err
	}
	if err := checkCaptureInfo(ci, data); err != nil {
		return err
	}
	ts, err := nanoseconds(ci.Timestamp)
	if err != nil {
		return err
	}
	return w.w.WriteBlock(&pcapng.EnhancedPacket{
		InterfaceID: uint32(ci.InterfaceIndex), Timestamp: ts, OriginalLength: uint32(ci.Length), Data: data,
	})
}

// Flush writes buffered data to the underlying writer.
func (w *NgWriter) Flush() error { return w.w.Flush() }
