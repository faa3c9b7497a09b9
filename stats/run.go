package stats

import (
	"fmt"
	"io"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// Collector counts packets: IO, Tables and Sizes are collectors.
type Collector interface {
	Add(p *pkt.Packet, lt linktype.LinkType) error
}

// Run reads r to the end and gives every packet to every collector, in one
// pass.
func Run(r pkt.Reader, cs ...Collector) error {
	for n := 0; ; n++ {
		p, err := r.ReadPacket()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		ifaces := r.Interfaces()
		if p.Interface < 0 || p.Interface >= len(ifaces) {
			return fmt.Errorf("stats: packet %d refers to interface %d of %d: %w", n+1, p.Interface, len(ifaces), pkt.ErrInterfaceIndex)
		}
		lt := ifaces[p.Interface].LinkType
		for _, c := range cs {
			if err := c.Add(p, lt); err != nil {
				return err
			}
		}
	}
}

// maxSizeBucket is the largest frame length Sizes counts on its own;
// longer frames share its bucket.
const maxSizeBucket = 65535

// Sizes is the distribution of frame lengths on the wire.
type Sizes struct {
	counts []uint64
	frames uint64
}

// Add counts p's length.
func (s *Sizes) Add(p *pkt.Packet, _ linktype.LinkType) error {
	n := min(max(p.Length, 0), maxSizeBucket)
	if n >= len(s.counts) {
		s.counts = append(s.counts, make([]uint64, n+1-len(s.counts))...)
	}
	s.counts[n]++
	s.frames++
	return nil
}

// Frames returns the number of frames counted.
func (s *Sizes) Frames() uint64 { return s.frames }

// Count returns how many frames were length bytes long (frames of 65535
// bytes or more all count as 65535).
func (s *Sizes) Count(length int) uint64 {
	if length < 0 || length >= len(s.counts) {
		return 0
	}
	return s.counts[length]
}

// MaxLen returns the longest length counted.
func (s *Sizes) MaxLen() int { return len(s.counts) - 1 }
