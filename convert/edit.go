package convert

import (
	"time"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// Stages that change packets copy the source's Packet header into their own
// and never write into the source's buffers: the source may still hold them.

// TimeShift moves every timestamp by a fixed offset, like editcap -t.
// Packets without a timestamp (Packet.NoTimestamp) pass unchanged.
type TimeShift struct {
	src pkt.Reader
	off Offset
	pkt pkt.Packet
}

// NewTimeShift returns the stage.
func NewTimeShift(src pkt.Reader, off Offset) *TimeShift { return &TimeShift{src: src, off: off} }

// ReadPacket returns the next packet with its timestamp moved.
func (s *TimeShift) ReadPacket() (*pkt.Packet, error) {
	p, err := s.src.ReadPacket()
	if err != nil {
		return nil, err
	}
	if p.NoTimestamp {
		return p, nil
	}
	s.pkt = *p
	s.pkt.Timestamp = s.off.AddTo(p.Timestamp)
	return &s.pkt, nil
}

// Interfaces returns the source's interfaces.
func (s *TimeShift) Interfaces() []pkt.Interface { return s.src.Interfaces() }

// StrictTime makes timestamps non-decreasing, like editcap -S. With a
// non-negative adjustment only a packet earlier than its predecessor is
// moved, to the predecessor's time plus the adjustment; with a negative one
// every packet after the first gets its predecessor's time plus the
// adjustment's absolute value. The predecessor's time is the adjusted one.
// Packets without a timestamp pass unchanged and are not predecessors.
type StrictTime struct {
	src  pkt.Reader
	adj  Offset
	prev time.Time
	pkt  pkt.Packet
}

// NewStrictTime returns the stage.
func NewStrictTime(src pkt.Reader, adj Offset) *StrictTime {
	return &StrictTime{src: src, adj: adj, prev: time.Unix(0, 0)}
}

// ReadPacket returns the next packet, its timestamp adjusted.
func (s *StrictTime) ReadPacket() (*pkt.Packet, error) {
	p, err := s.src.ReadPacket()
	if err != nil {
		return nil, err
	}
	if p.NoTimestamp {
		return p, nil
	}
	s.pkt = *p
	// editcap takes a previous time of exactly the epoch for "no previous
	// packet yet"; so do we, to give the same output.
	if s.prev.Unix() != 0 || s.prev.Nanosecond() != 0 {
		step := Offset{Seconds: s.adj.Seconds, Nanos: s.adj.Nanos}
		if s.adj.Negative || p.Timestamp.Before(s.prev) {
			s.pkt.Timestamp = step.AddTo(s.prev)
		}
	}
	s.prev = s.pkt.Timestamp
	return &s.pkt, nil
}

// Interfaces returns the source's interfaces.
func (s *StrictTime) Interfaces() []pkt.Interface { return s.src.Interfaces() }

// Snap truncates captured data to a snap length, like editcap -s and
// mergecap -s. With AdjustLength the original length is capped too (-L).
type Snap struct {
	src          pkt.Reader
	snap         int
	adjustLength bool
	ifaces       []pkt.Interface
	pkt          pkt.Packet
}

// NewSnap returns the stage; snap must be positive.
func NewSnap(src pkt.Reader, snap int, adjustLength bool) *Snap {
	return &Snap{src: src, snap: snap, adjustLength: adjustLength}
}

// ReadPacket returns the next packet, truncated.
func (s *Snap) ReadPacket() (*pkt.Packet, error) {
	p, err := s.src.ReadPacket()
	if err != nil {
		return nil, err
	}
	if len(p.Data) <= s.snap && (!s.adjustLength || p.Length <= s.snap) {
		return p, nil
	}
	s.pkt = *p
	if len(s.pkt.Data) > s.snap {
		s.pkt.Data = s.pkt.Data[:s.snap]
	}
	if s.adjustLength && s.pkt.Length > s.snap {
		s.pkt.Length = s.snap
	}
	return &s.pkt, nil
}

// Interfaces returns the source's interfaces with their snap length lowered
// to the stage's where it was larger (or unlimited).
func (s *Snap) Interfaces() []pkt.Interface {
	src := s.src.Interfaces()
	if len(s.ifaces) != len(src) {
		s.ifaces = s.ifaces[:0]
		for _, ifc := range src {
			if ifc.SnapLen == 0 || ifc.SnapLen > uint32(s.snap) {
				ifc.SnapLen = uint32(s.snap)
			}
			s.ifaces = append(s.ifaces, ifc)
		}
	}
	return s.ifaces
}

// SetLinkType declares every interface to have one link type, like editcap
// -T. Packet bytes are not translated.
type SetLinkType struct {
	src    pkt.Reader
	lt     linktype.LinkType
	ifaces []pkt.Interface
}

// NewSetLinkType returns the stage.
func NewSetLinkType(src pkt.Reader, lt linktype.LinkType) *SetLinkType {
	return &SetLinkType{src: src, lt: lt}
}

// ReadPacket returns the source's next packet unchanged.
func (s *SetLinkType) ReadPacket() (*pkt.Packet, error) { return s.src.ReadPacket() }

// Interfaces returns the source's interfaces with the link type replaced.
func (s *SetLinkType) Interfaces() []pkt.Interface {
	src := s.src.Interfaces()
	if len(s.ifaces) != len(src) {
		s.ifaces = s.ifaces[:0]
		for _, ifc := range src {
			ifc.LinkType = s.lt
			s.ifaces = append(s.ifaces, ifc)
		}
	}
	return s.ifaces
}

// Comment appends opt_comment options to packets chosen by their 1-based
// number in the source stream, like editcap -a (4.0 keeps the packet's
// existing comments and adds the new one after them).
type Comment struct {
	src      pkt.Reader
	comments map[uint64][]byte
	n        uint64
	opts     []pkt.Option
	pkt      pkt.Packet
}

// NewComment returns the stage; comments maps packet numbers to text.
func NewComment(src pkt.Reader, comments map[uint64]string) *Comment {
	c := &Comment{src: src, comments: make(map[uint64][]byte, len(comments))}
	for n, s := range comments {
		c.comments[n] = []byte(s)
	}
	return c
}

// ReadPacket returns the next packet, with a comment added when one is due.
func (c *Comment) ReadPacket() (*pkt.Packet, error) {
	p, err := c.src.ReadPacket()
	if err != nil {
		return nil, err
	}
	c.n++
	text, ok := c.comments[c.n]
	if !ok {
		return p, nil
	}
	c.pkt = *p
	c.opts = append(append(c.opts[:0], p.Options...), pkt.Option{Code: pkt.OptComment, Value: text})
	c.pkt.Options = c.opts
	return &c.pkt, nil
}

// Interfaces returns the source's interfaces.
func (c *Comment) Interfaces() []pkt.Interface { return c.src.Interfaces() }
