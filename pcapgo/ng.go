package pcapgo

import (
	"errors"
	"math"
	"math/bits"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

var (
	// ErrNgVersionMismatch is returned for a section header of a version
	// other than 1.0 or 1.2 unless NgReaderOptions.SkipUnknownVersion
	// is set. The texts are gopacket's, for programs that compare them.
	//lint:ignore ST1005 gopacket's text
	ErrNgVersionMismatch = errors.New("Unknown pcapng Version in Section Header")
	// ErrNgLinkTypeMismatch is returned for a packet of an interface whose
	// link type differs from the first interface's, when
	// NgReaderOptions.ErrorOnMismatchingLinkType is set and
	// WantMixedLinkType is not.
	//lint:ignore ST1005 gopacket's text
	ErrNgLinkTypeMismatch = errors.New("Link type of current interface is different from first one")
)

// NgNoValue64 stands for a 64-bit counter that the file does not give.
const NgNoValue64 = math.MaxUint64

// NgResolution is a pcapng timestamp resolution as the if_tsresol option
// encodes it: a negative exponent in the low seven bits, of 2 when the top
// bit is set and of 10 otherwise.
type NgResolution uint8

// Binary reports whether the resolution is a negative power of two.
func (r NgResolution) Binary() bool { return r&0x80 != 0 }

// Exponent returns the negative exponent of the resolution.
func (r NgResolution) Exponent() uint8 { return uint8(r) & 0x7f }

// ToTimestampResolution converts r to gopacket's representation.
func (r NgResolution) ToTimestampResolution() gopacket.TimestampResolution {
	base := 10
	if r.Binary() {
		base = 2
	}
	return gopacket.TimestampResolution{Base: base, Exponent: -int(r.Exponent())}
}

// NgInterfaceStatistics are an interface's counters at one point in time,
// from an Interface Statistics Block. Counters are cumulative.
type NgInterfaceStatistics struct {
	// LastUpdate is the time of the statistics block.
	LastUpdate time.Time
	// StartTime and EndTime are the isb_starttime and isb_endtime
	// options, or the zero time.
	StartTime time.Time
	EndTime   time.Time
	// Comment is the block's (last) comment, or "".
	Comment string
	// PacketsReceived (isb_ifrecv) and PacketsDropped (isb_ifdrop) are
	// NgNoValue64 when the block does not give them.
	PacketsReceived uint64
	PacketsDropped  uint64
}

// ngNoStatistics is the starting point of statistics read from a block.
var ngNoStatistics = NgInterfaceStatistics{PacketsReceived: NgNoValue64, PacketsDropped: NgNoValue64}

// NgInterface describes a pcapng interface. String fields are "" when the
// file does not give them.
type NgInterface struct {
	// Name is if_name.
	Name string
	// Comment is the (last) opt_comment of the interface.
	Comment string
	// Description is if_description.
	Description string
	// Filter is the text of if_filter, without its type byte.
	Filter string
	// OS is if_os.
	OS string
	// LinkType is the interface's link type.
	LinkType layers.LinkType
	// TimestampResolution is if_tsresol, 6 (microseconds) when absent.
	TimestampResolution NgResolution
	// TimestampOffset is if_tsoffset in seconds, added to every timestamp
	// of the interface.
	TimestampOffset uint64
	// SnapLength is the largest number of bytes captured per packet; 0
	// means no limit.
	SnapLength uint32
	// Statistics are the last statistics read for the interface.
	Statistics NgInterfaceStatistics

	// How to turn a timestamp in the interface's units into seconds and
	// nanoseconds: secondMask units make a second; a fraction of a second
	// is multiplied by scaleUp or divided by scaleDown when one of them is
	// not zero, and converted exactly otherwise.
	secondMask uint64
	scaleUp    uint64
	scaleDown  uint64
}

// Resolution returns the resolution of the interface's timestamps in the
// file, before their conversion to nanoseconds.
func (i NgInterface) Resolution() gopacket.TimestampResolution {
	return i.TimestampResolution.ToTimestampResolution()
}

// setUnits prepares the timestamp conversion for unitsPerSecond (0 when
// the resolution is too fine for 64 bits).
func (i *NgInterface) setUnits(unitsPerSecond uint64) {
	if unitsPerSecond == 0 {
		unitsPerSecond = math.MaxUint64 // every timestamp is then 0, as in Wireshark
	}
	i.secondMask, i.scaleUp, i.scaleDown = unitsPerSecond, 0, 0
	switch {
	case unitsPerSecond <= 1e9 && 1e9%unitsPerSecond == 0:
		i.scaleUp = 1e9 / unitsPerSecond
	case unitsPerSecond%1e9 == 0:
		i.scaleDown = unitsPerSecond / 1e9
	}
}

// time converts a timestamp in the interface's units, truncating below the
// nanosecond, and adds the interface's offset.
func (i *NgInterface) time(units uint64) time.Time {
	sec, frac := units/i.secondMask, units%i.secondMask
	var ns uint64
	switch {
	case i.scaleUp != 0:
		ns = frac * i.scaleUp
	case i.scaleDown != 0:
		ns = frac / i.scaleDown
	default:
		hi, lo := bits.Mul64(frac, 1e9)
		ns, _ = bits.Div64(hi, lo, i.secondMask)
	}
	return time.Unix(int64(sec+i.TimestampOffset), int64(ns)).UTC()
}

// NgSectionInfo is what a section header says about the capture. Fields
// are "" when the file does not give them.
type NgSectionInfo struct {
	// Hardware is shb_hardware.
	Hardware string
	// OS is shb_os.
	OS string
	// Application is shb_userappl.
	Application string
	// Comment is the (last) opt_comment.
	Comment string
}
