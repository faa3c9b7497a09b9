package convert

import (
	"crypto/md5"
	"errors"
	"time"

	"github.com/pcaptool/pcaptool/pkt"
)

// MaxDedupWindow is the largest packet window Dedup accepts, as editcap's -D.
const MaxDedupWindow = 1_000_000

// ErrDedupWindow reports a duplicate window outside 0..MaxDedupWindow.
var ErrDedupWindow = errors.New("convert: duplicate window must be between 0 and 1000000")

// DedupOptions choose how Dedup recognises duplicates.
type DedupOptions struct {
	// Window compares each packet with the previous Window-1 packets
	// (editcap -D; -d is 5). Used without ByTime.
	Window int
	// ByTime selects comparison by time: TimeWindow, not Window, bounds
	// the packets compared.
	ByTime bool
	// TimeWindow, with ByTime, compares each packet with the previous
	// packets (up to MaxDedupWindow of them) whose timestamps are no more
	// than TimeWindow earlier (editcap -w). Packets later than the current
	// one are skipped over, as editcap does. Packets without a timestamp
	// are neither compared nor remembered.
	TimeWindow time.Duration
	// IgnoreBytes are not hashed at the start of packets longer than that
	// (editcap -I).
	IgnoreBytes int
}

type dedupEntry struct {
	digest [md5.Size]byte
	length int
	time   time.Time
	used   bool
}

// Dedup drops packets whose captured bytes (length and MD5 digest) equal
// those of a recent packet, like editcap -d, -D and -w. Only packets it
// passes on or drops are remembered; memory is fixed by the window.
type Dedup struct {
	src     pkt.Reader
	opts    DedupOptions
	ring    []dedupEntry
	size    int // ring capacity (the window)
	cur     int
	dropped int64
}

// NewDedup returns the stage.
func NewDedup(src pkt.Reader, opts DedupOptions) (*Dedup, error) {
	d := &Dedup{src: src, opts: opts}
	switch {
	case opts.ByTime:
		d.size = MaxDedupWindow
	case opts.Window < 0 || opts.Window > MaxDedupWindow:
		return nil, ErrDedupWindow
	default:
		d.size = opts.Window
	}
	// The time-window ring grows on demand so that short captures do not
	// pay for a million entries.
	initial := min(d.size, 1024)
	d.ring = make([]dedupEntry, initial)
	d.cur = 0
	return d, nil
}

// Dropped returns how many duplicates have been dropped so far.
func (d *Dedup) Dropped() int64 { return d.dropped }

// Interfaces returns the source's interfaces.
func (d *Dedup) Interfaces() []pkt.Interface { return d.src.Interfaces() }

// ReadPacket returns the next packet that is not a duplicate.
func (d *Dedup) ReadPacket() (*pkt.Packet, error) {
	for {
		p, err := d.src.ReadPacket()
		if err != nil {
			return nil, err
		}
		if d.size == 0 || (d.opts.ByTime && p.NoTimestamp) {
			return p, nil
		}
		if !d.duplicate(p) {
			return p, nil
		}
		d.dropped++
	}
}

// slot advances the ring like editcap's cur_dup_entry. Entry i of the
// logical window lives at ring[i]; the backing slice grows until it reaches
// the window size.
func (d *Dedup) slot() int {
	d.cur++
	if d.cur >= d.size {
		d.cur = 0
	}
	if d.cur >= len(d.ring) {
		n := min(max(2*len(d.ring), d.cur+1), d.size)
		d.ring = append(d.ring, make([]dedupEntry, n-len(d.ring))...)
	}
	return d.cur
}

func (d *Dedup) duplicate(p *pkt.Packet) bool {
	data := p.Data
	if len(data) > d.opts.IgnoreBytes {
		data = data[d.opts.IgnoreBytes:]
	}
	i := d.slot()
	e := &d.ring[i]
	e.digest = md5.Sum(data)
	e.length = len(p.Data)
	e.time = p.Timestamp
	e.used = true
	if !d.opts.ByTime {
		for j := range d.ring {
			if j != i && d.ring[j].used && d.ring[j].length == e.length && d.ring[j].digest == e.digest {
				return true
			}
		}
		return false
	}
	for j := i - 1; ; j-- {
		if j < 0 {
			j = len(d.ring) - 1
		}
		if j == i {
			return false
		}
		o := &d.ring[j]
		if !o.used {
			return false
		}
		delta := p.Timestamp.Sub(o.time)
		if delta < 0 {
			continue
		}
		if delta > d.opts.TimeWindow {
			return false
		}
		if o.length == e.length && o.digest == e.digest {
			return true
		}
	}
}
