package convert

import (
	"time"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// EditOptions gather editcap's per-packet edits. The zero value changes
// nothing.
type EditOptions struct {
	// Ranges of 1-based packet numbers to drop, or with Keep the only
	// ones to keep (editcap's positional list and -r).
	Ranges []Range
	Keep   bool
	// Filter, when set, wraps the stream after the packet-number
	// selection and before the time window, so that packet numbers still
	// count the input; pcaptool passes a pcap-filter expression here
	// (edit -f), which editcap lacks.
	Filter func(pkt.Reader) (pkt.Reader, error)
	// Start and Stop bound timestamps: Start <= t < Stop (-A, -B); zero
	// means unbounded.
	Start, Stop time.Time
	// Ordered says the source is in time order (capfile.OpenFrom seeked
	// to Start): reading stops at the first packet at or after Stop.
	Ordered bool
	// Strict, when set, makes timestamps non-decreasing (-S).
	Strict *Offset
	// Shift moves every timestamp (-t).
	Shift Offset
	// SnapLen truncates captured data when positive (-s).
	SnapLen int
	// AdjustLength makes SnapLen and Chop shrink the original length too
	// (-L).
	AdjustLength bool
	// LinkType, when set, replaces every interface's link type (-T).
	LinkType *linktype.LinkType
	// Chop removes bytes from every packet (-C).
	Chop Chop
	// Dedup, when set, drops duplicate packets (-d, -D, -w, -I).
	Dedup *DedupOptions
	// Comments adds an opt_comment to packets by number (-a).
	Comments map[uint64]string
}

// NewEdit wraps src in the stages opts asks for, in the order editcap
// applies them: packet numbers (for -a and the selection) count the input;
// then Filter, the time window, -S, -t, -s, -T, -C and duplicate removal.
func NewEdit(src pkt.Reader, opts EditOptions) (pkt.Reader, error) {
	r := src
	if len(opts.Comments) > 0 {
		r = NewComment(r, opts.Comments)
	}
	if len(opts.Ranges) > 0 || opts.Keep {
		r = NewSelect(r, opts.Ranges, opts.Keep)
	}
	if opts.Filter != nil {
		f, err := opts.Filter(r)
		if err != nil {
			return nil, err
		}
		r = f
	}
	if !opts.Start.IsZero() || !opts.Stop.IsZero() {
		if opts.Ordered {
			r = NewOrderedTimeWindow(r, opts.Start, opts.Stop)
		} else {
			r = NewTimeWindow(r, opts.Start, opts.Stop)
		}
	}
	if opts.Strict != nil {
		r = NewStrictTime(r, *opts.Strict)
	}
	if !opts.Shift.IsZero() {
		r = NewTimeShift(r, opts.Shift)
	}
	if opts.SnapLen > 0 {
		r = NewSnap(r, opts.SnapLen, opts.AdjustLength)
	}
	if opts.LinkType != nil {
		r = NewSetLinkType(r, *opts.LinkType)
	}
	if !opts.Chop.IsZero() {
		r = NewChop(r, opts.Chop, opts.AdjustLength)
	}
	if opts.Dedup != nil {
		d, err := NewDedup(r, *opts.Dedup)
		if err != nil {
			return nil, err
		}
		r = d
	}
	return r, nil
}
