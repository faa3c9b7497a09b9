package convert

import "github.com/pcaptool/pcaptool/pkt"

// Chop describes the bytes editcap -C removes from every packet: up to two
// regions, one given by positive lengths (counted from the start, or from an
// offset) and one by negative lengths (counted back from the end, or from an
// offset). Several -C options add up, as in editcap.
type Chop struct {
	BeginLen    int // bytes removed by positive chop lengths
	BeginOffPos int // positive offsets of those, from the start
	BeginOffNeg int // negative offsets of those, from the end
	EndLen      int // negative: bytes removed by negative chop lengths
	EndOffPos   int // positive offsets of those
	EndOffNeg   int // negative offsets of those
}

// Add adds the removal of n bytes at off, as one editcap -C off:n does: a
// positive n removes bytes from the start of the packet (or from off, when
// off is positive, or from off bytes before the end when it is negative), a
// negative n removes -n bytes from the end (or before the offset). Several
// calls add up, as several -C options do.
func (c *Chop) Add(off, n int) {
	switch {
	case n > 0:
		c.BeginLen += n
		if off > 0 {
			c.BeginOffPos += off
		} else {
			c.BeginOffNeg += off
		}
	case n < 0:
		c.EndLen += n
		if off > 0 {
			c.EndOffPos += off
		} else {
			c.EndOffNeg += off
		}
	}
}

// IsZero reports whether c removes nothing.
func (c Chop) IsZero() bool { return c.BeginLen == 0 && c.EndLen == 0 }

// ChopStage removes bytes from every packet as a Chop describes, like
// editcap -C; with adjustLength the original length shrinks too (-L).
type ChopStage struct {
	src          pkt.Reader
	chop         Chop
	adjustLength bool
	buf          []byte
	pkt          pkt.Packet
}

// NewChop returns the stage.
func NewChop(src pkt.Reader, c Chop, adjustLength bool) *ChopStage {
	return &ChopStage{src: src, chop: c, adjustLength: adjustLength}
}

// Interfaces returns the source's interfaces.
func (s *ChopStage) Interfaces() []pkt.Interface { return s.src.Interfaces() }

// ReadPacket returns the next packet with the chosen bytes removed.
func (s *ChopStage) ReadPacket() (*pkt.Packet, error) {
	p, err := s.src.ReadPacket()
	if err != nil {
		return nil, err
	}
	s.pkt = *p
	s.apply(&s.pkt)
	return &s.pkt, nil
}

// apply follows editcap's handle_chopping step by step, so that odd
// combinations (crossed regions, chops longer than the packet) come out the
// same.
func (s *ChopStage) apply(p *pkt.Packet) {
	c := s.chop
	caplen := len(p.Data)
	if c.BeginLen == 0 {
		c.BeginOffPos, c.BeginOffNeg = 0, 0
	}
	if c.EndLen == 0 {
		c.EndOffPos, c.EndOffNeg = 0, 0
	}
	if c.BeginOffNeg < 0 {
		c.BeginOffPos += caplen + c.BeginOffNeg
		c.BeginOffNeg = 0
	}
	if c.EndOffPos > 0 {
		c.EndOffNeg += c.EndOffPos - caplen
		c.EndOffPos = 0
	}
	// Crossed regions: swap them.
	if c.BeginLen != 0 && c.EndLen != 0 && c.BeginOffPos > caplen+c.EndOffNeg {
		tmpOff := caplen + c.EndOffNeg + c.EndLen
		tmpLen := -c.EndLen
		c.EndOffNeg = c.BeginLen + c.BeginOffPos - caplen
		c.EndLen = -c.BeginLen
		c.BeginLen = tmpLen
		c.BeginOffPos = tmpOff
	}
	// editcap compares as unsigned 32-bit values; a negative span wraps to
	// a huge one and disables the chop.
	capU := uint32(caplen)
	spanU := uint32(int32(c.BeginOffPos - c.EndOffNeg))
	if capU < spanU {
		c.BeginLen, c.EndLen = 0, 0
	}
	if uint32(int32(c.BeginLen-c.EndLen)) > capU-spanU {
		c.BeginLen = int(int32(capU - spanU))
		c.EndLen = 0
	}
	// Whatever the arithmetic above produced, never index outside the
	// packet.
	if c.BeginLen < 0 || c.BeginOffPos < 0 || c.BeginOffPos+c.BeginLen > caplen {
		c.BeginLen = 0
	}
	if c.EndLen > 0 || c.EndOffNeg > 0 || caplen-c.BeginLen+c.EndLen+c.EndOffNeg < 0 {
		c.EndLen = 0
	}
	data := p.Data
	copied := false
	if c.BeginLen > 0 {
		if c.BeginOffPos > 0 {
			s.buf = append(s.buf[:0], data...)
			data, copied = s.buf, true
			copy(data[c.BeginOffPos:], data[c.BeginOffPos+c.BeginLen:])
			data = data[:len(data)-c.BeginLen]
		} else {
			data = data[c.BeginLen:]
		}
		if s.adjustLength {
			if p.Length > c.BeginLen {
				p.Length -= c.BeginLen
			} else {
				p.Length = 0
			}
		}
	}
	if c.EndLen < 0 {
		n := len(data)
		if c.EndOffNeg < 0 {
			if !copied {
				s.buf = append(s.buf[:0], data...)
				data = s.buf
			}
			copy(data[n+c.EndLen+c.EndOffNeg:], data[n+c.EndOffNeg:n])
		}
		data = data[:n+c.EndLen]
		if s.adjustLength {
			if p.Length+c.EndLen > 0 {
				p.Length += c.EndLen
			} else {
				p.Length = 0
			}
		}
	}
	p.Data = data
}
