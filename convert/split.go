package convert

import (
	"errors"
	"io"
	"time"

	"github.com/pcaptool/pcaptool/pkt"
)

// SplitOptions choose where Split starts a new piece. Exactly one of
// Packets, Interval and Bytes should be set.
type SplitOptions struct {
	// Packets per piece (editcap -c).
	Packets int64
	// Interval of capture time per piece (editcap -i). The first piece
	// starts at the first packet; a piece ends when a packet is later than
	// its start plus Interval. As editcap does, a gap longer than an
	// interval produces empty pieces, one per interval skipped. Packets
	// without a timestamp never start a piece, and the first interval
	// starts at the first packet that has one.
	Interval time.Duration
	// Bytes is the most a piece may hold, as measured by Size; a piece
	// always holds at least one packet.
	Bytes int64
	// Size estimates the bytes a packet adds to a piece (for Bytes). The
	// caller knows the output format; nil means 16 + captured length, a
	// pcap record.
	Size func(p *pkt.Packet) int64
	// Overhead estimates the bytes of a piece before its first packet (file
	// header, interface descriptions), given the interfaces it declares.
	Overhead func(ifaces []pkt.Interface) int64
}

// PieceSink receives the pieces Split produces.
type PieceSink interface {
	// Open starts piece index (from 0). first is the packet that opens it
	// (the one whose timestamp names editcap's pieces; editcap leaves the
	// time out of the name when that packet has none), or nil when the
	// input holds no packet at all and Split asks for one empty output.
	Open(index int, first *pkt.Packet) (pkt.Writer, error)
	// Close ends a piece: with err == nil it commits it, otherwise it must
	// discard it.
	Close(w pkt.Writer, err error) error
}

// ErrSplitOptions reports SplitOptions without a way to split.
var ErrSplitOptions = errors.New("convert: split needs a packet count, an interval or a size")

// Split copies src into consecutive pieces. Every piece declares all the
// interfaces known when it starts (and those described while it is
// written), so each is a complete capture on its own. It returns the number
// of pieces written. On error the piece being written is discarded; those
// already closed stay.
func Split(src pkt.Reader, opts SplitOptions, sink PieceSink) (int, error) {
	if opts.Packets <= 0 && opts.Interval <= 0 && opts.Bytes <= 0 {
		return 0, ErrSplitOptions
	}
	size := opts.Size
	if size == nil {
		size = func(p *pkt.Packet) int64 { return 16 + int64(len(p.Data)) }
	}
	var (
		w        pkt.Writer
		pieces   int
		added    int
		count    int64 // packets in the current piece
		bytes    int64
		blockEnd time.Time
		haveEnd  bool // blockEnd is set: a timestamped packet was seen
	)
	fail := func(err error) (int, error) {
		if w != nil {
			return pieces, errors.Join(err, sink.Close(w, err))
		}
		return pieces, err
	}
	open := func(first *pkt.Packet) error {
		if w != nil {
			if err := w.Flush(); err != nil {
				return err
			}
			err := sink.Close(w, nil)
			w = nil
			if err != nil {
				return err
			}
		}
		nw, err := sink.Open(pieces, first)
		if err != nil {
			return err
		}
		w = nw
		pieces++
		count, bytes, added = 0, 0, 0
		ifaces := src.Interfaces()
		for _, ifc := range ifaces {
			if err := w.AddInterface(ifc); err != nil {
				return err
			}
		}
		added = len(ifaces)
		if opts.Overhead != nil {
			bytes = opts.Overhead(ifaces)
		}
		return nil
	}
	for {
		p, err := src.ReadPacket()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fail(err)
		}
		switch {
		case w == nil:
			if err := open(p); err != nil {
				return fail(err)
			}
			if opts.Interval > 0 && !p.NoTimestamp {
				blockEnd, haveEnd = p.Timestamp.Add(opts.Interval), true
			}
		case opts.Interval > 0:
			if p.NoTimestamp {
				break
			}
			if !haveEnd {
				blockEnd, haveEnd = p.Timestamp.Add(opts.Interval), true
			}
			for p.Timestamp.After(blockEnd) {
				if err := open(p); err != nil {
					return fail(err)
				}
				blockEnd = blockEnd.Add(opts.Interval)
			}
		case opts.Packets > 0:
			if count >= opts.Packets {
				if err := open(p); err != nil {
					return fail(err)
				}
			}
		case opts.Bytes > 0:
			if count > 0 && bytes+size(p) > opts.Bytes {
				if err := open(p); err != nil {
					return fail(err)
				}
			}
		}
		if ifaces := src.Interfaces(); added < len(ifaces) {
			for _, ifc := range ifaces[added:] {
				if err := w.AddInterface(ifc); err != nil {
					return fail(err)
				}
			}
			added = len(ifaces)
		}
		if p.Interface < 0 || p.Interface >= added {
			return fail(pkt.ErrInterfaceIndex)
		}
		if err := w.WritePacket(p); err != nil {
			return fail(err)
		}
		count++
		bytes += size(p)
	}
	if w == nil {
		nw, err := sink.Open(0, nil)
		if err != nil {
			return 0, err
		}
		w = nw
		pieces = 1
		for _, ifc := range src.Interfaces() {
			if err := w.AddInterface(ifc); err != nil {
				return fail(err)
			}
		}
	} else {
		for _, ifc := range src.Interfaces()[added:] {
			if err := w.AddInterface(ifc); err != nil {
				return fail(err)
			}
		}
	}
	if err := w.Flush(); err != nil {
		return fail(err)
	}
	err := sink.Close(w, nil)
	return pieces, err
}
