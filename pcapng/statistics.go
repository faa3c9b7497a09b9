package pcapng

import (
	"fmt"
	"time"

	"github.com/pcaptool/pcaptool/pkt"
)

// Setters for the Interface Statistics Block options that the accessors in
// block.go read. Values are encoded in the block's byte order (its
// BlockInfo.ByteOrder, little-endian when nil): set ByteOrder first when
// the block goes into a big-endian section. A setter replaces an option
// already present with the same code, so a block can be refilled and
// written again without growing.

// SetStartTime sets isb_starttime, in units of the interface's resolution.
func (b *InterfaceStatistics) SetStartTime(units uint64) { b.setTime(pkt.OptISBStartTime, units) }

// SetEndTime sets isb_endtime, in units of the interface's resolution.
func (b *InterfaceStatistics) SetEndTime(units uint64) { b.setTime(pkt.OptISBEndTime, units) }

// SetReceived sets isb_ifrecv: packets received by the interface.
func (b *InterfaceStatistics) SetReceived(n uint64) { b.setU64(pkt.OptISBIfRecv, n) }

// SetInterfaceDropped sets isb_ifdrop: packets the interface dropped.
func (b *InterfaceStatistics) SetInterfaceDropped(n uint64) { b.setU64(pkt.OptISBIfDrop, n) }

// SetFilterAccepted sets isb_filteraccept: packets the filter accepted.
func (b *InterfaceStatistics) SetFilterAccepted(n uint64) { b.setU64(pkt.OptISBFilterAccept, n) }

// SetOSDropped sets isb_osdrop: packets the operating system dropped.
func (b *InterfaceStatistics) SetOSDropped(n uint64) { b.setU64(pkt.OptISBOSDrop, n) }

// SetDelivered sets isb_usrdeliv: packets delivered to the capturing program.
func (b *InterfaceStatistics) SetDelivered(n uint64) { b.setU64(pkt.OptISBUsrDeliv, n) }

func (b *InterfaceStatistics) setTime(code pkt.OptionCode, units uint64) {
	o := appendOrder(b.ByteOrder)
	v := o.AppendUint32(b.valueBuffer(code, 8), uint32(units>>32))
	b.set(code, o.AppendUint32(v, uint32(units)))
}

func (b *InterfaceStatistics) setU64(code pkt.OptionCode, n uint64) {
	b.set(code, appendOrder(b.ByteOrder).AppendUint64(b.valueBuffer(code, 8), n))
}

// valueBuffer returns the storage of an option already present with room
// for n bytes, emptied, so that refilling a block does not allocate.
func (l *OptionList) valueBuffer(code pkt.OptionCode, n int) []byte {
	if v, ok := l.Find(code); ok && cap(v) >= n {
		return v[:0]
	}
	return make([]byte, 0, n)
}

// set replaces the first option with the given code, or appends one.
func (l *OptionList) set(code pkt.OptionCode, value []byte) {
	for i := range l.Options {
		if l.Options[i].Code == code {
			l.Options[i].Value = value
			return
		}
	}
	l.Add(code, value)
}

// TimestampUnits converts t to the units of interface iface's resolution,
// as its packets' timestamps are written: for the Timestamp, StartTime and
// EndTime of an InterfaceStatistics block about that interface.
func (w *PacketWriter) TimestampUnits(iface int, t time.Time) (uint64, error) {
	if iface < 0 || iface >= len(w.ifaces) {
		return 0, fmt.Errorf("%w: interface %d, %d interfaces added", pkt.ErrInterfaceIndex, iface, len(w.ifaces))
	}
	ifc := &w.ifaces[iface]
	return timeToUnits(t, ifc.unitsPerSecond, ifc.offset)
}

// WriteStatistics writes b, an Interface Statistics Block, in the byte
// order of the section being written; its option values must already be in
// that order (see SetReceived).
func (w *PacketWriter) WriteStatistics(b *InterfaceStatistics) error {
	if int(b.InterfaceID) >= len(w.ifaces) {
		return fmt.Errorf("%w: statistics of interface %d, %d interfaces added", pkt.ErrInterfaceIndex,
			b.InterfaceID, len(w.ifaces))
	}
	b.EndOfOptions = len(b.Options) > 0
	return w.w.WriteBlock(b)
}
