package convert

import (
	"errors"
	"io"
	"iter"
	"slices"
	"time"

	"github.com/pcaptool/pcaptool/linktype"
)

// Option is one pcapng-style option (code and value) carried through a
// stream. Values of the standard numeric options (epb_flags, epb_dropcount,
// epb_packetid, epb_queue, if_speed, ...) are little-endian whatever the byte
// order of the file they came from; readers and writers of big-endian files
// convert them. Values of options a reader does not know are kept verbatim.
type Option struct {
	Code  uint16
	Value []byte
}

// Option codes that the stream model itself interprets.
const (
	OptComment     uint16 = 1 // opt_comment: UTF-8 text, valid on every block
	OptPacketFlags uint16 = 2 // epb_flags: 32-bit link-layer flags of a packet
)

// Resolution is a timestamp resolution in the encoding of the pcapng
// if_tsresol option: the low seven bits are an exponent, the top bit selects
// base 2 (set) or base 10 (clear). 6 means microseconds, 9 nanoseconds,
// 0x80|20 units of 2^-20 seconds.
type Resolution uint8

// Common resolutions.
const (
	Microsecond Resolution = 6
	Nanosecond  Resolution = 9
)

// UnitsPerSecond returns how many timestamp units make one second, and false
// when that number does not fit in a uint64.
func (r Resolution) UnitsPerSecond() (uint64, bool) {
	exp := uint(r & 0x7f)
	if r&0x80 != 0 {
		if exp > 63 {
			return 0, false
		}
		return 1 << exp, true
	}
	if exp > 19 {
		return 0, false
	}
	n := uint64(1)
	for range exp {
		n *= 10
	}
	return n, true
}

// String returns "6 (µs)"-style text: the exponent and a unit when it has a name.
func (r Resolution) String() string {
	exp := int(r & 0x7f)
	if r&0x80 != 0 {
		return "2^-" + itoa(exp) + " s"
	}
	switch exp {
	case 0:
		return "s"
	case 3:
		return "ms"
	case 6:
		return "µs"
	case 9:
		return "ns"
	case 12:
		return "ps"
	}
	return "10^-" + itoa(exp) + " s"
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// Interface describes the capture interface that packets refer to by index.
type Interface struct {
	LinkType linktype.LinkType
	// SnapLen is the largest number of bytes captured per packet; 0 means
	// no limit.
	SnapLen uint32
	// Resolution is the unit in which the source file stored timestamps.
	Resolution Resolution
	// TimestampOffset is the if_tsoffset value in seconds, already added to
	// every Packet.Timestamp of this interface.
	TimestampOffset int64
	// FCSLen is the number of frame-check-sequence bytes at the end of every
	// packet, or -1 when unknown.
	FCSLen int
	// Options are the remaining interface options (if_name, if_description,
	// if_filter, if_os, custom ones, ...) in file order. if_tsresol and
	// if_tsoffset are not repeated here: Resolution and TimestampOffset
	// hold them.
	Options []Option
}

// Interface option codes read by the accessors below.
const (
	OptInterfaceName        uint16 = 2
	OptInterfaceDescription uint16 = 3
)

// Name returns the if_name option, or "" when absent.
func (i *Interface) Name() string { return string(FindOption(i.Options, OptInterfaceName)) }

// Description returns the if_description option, or "" when absent.
func (i *Interface) Description() string {
	return string(FindOption(i.Options, OptInterfaceDescription))
}

// Clone returns a deep copy of i.
func (i Interface) Clone() Interface {
	i.Options = CloneOptions(i.Options)
	return i
}

// Packet is one captured packet.
type Packet struct {
	// Timestamp is the capture time, including the interface's
	// TimestampOffset. Resolutions finer than a nanosecond are truncated.
	Timestamp time.Time
	// Length is the packet's length on the wire; it may exceed len(Data)
	// when the capture was truncated by a snap length.
	Length int
	// Data holds the captured bytes; len(Data) is the capture length.
	Data []byte
	// Interface indexes the reader's Interfaces.
	Interface int
	// Options are packet options (opt_comment, epb_flags, epb_hash, ...) in
	// file order. Formats without options leave it empty.
	Options []Option
	// NoTimestamp marks a record that carried no timestamp (a pcapng
	// simple packet block); Timestamp is then the Unix epoch. Like
	// editcap, time-based stages leave such packets alone.
	NoTimestamp bool
}

// Comments returns the packet's opt_comment values in order.
func (p *Packet) Comments() []string {
	var out []string
	for _, o := range p.Options {
		if o.Code == OptComment {
			out = append(out, string(o.Value))
		}
	}
	return out
}

// Clone returns a deep copy of p that stays valid after the reader moves on.
func (p *Packet) Clone() *Packet {
	c := *p
	c.Data = slices.Clone(p.Data)
	c.Options = CloneOptions(p.Options)
	return &c
}

// CopyTo copies p into dst, reusing dst's buffers where they are large
// enough, so that a caller holding packets across reads allocates only when
// a packet is larger than any it held before.
func (p *Packet) CopyTo(dst *Packet) {
	data, opts := dst.Data[:0], dst.Options[:0]
	*dst = *p
	dst.Data = append(data, p.Data...)
	dst.Options = opts
	for _, o := range p.Options {
		dst.Options = append(dst.Options, Option{Code: o.Code, Value: slices.Clone(o.Value)})
	}
}

// CloneOptions deep-copies an option list.
func CloneOptions(opts []Option) []Option {
	if opts == nil {
		return nil
	}
	out := make([]Option, len(opts))
	for i, o := range opts {
		out[i] = Option{Code: o.Code, Value: slices.Clone(o.Value)}
	}
	return out
}

// FindOption returns the value of the first option with the given code, or nil.
func FindOption(opts []Option, code uint16) []byte {
	for _, o := range opts {
		if o.Code == code {
			return o.Value
		}
	}
	return nil
}

// Reader is a stream of packets.
type Reader interface {
	// ReadPacket returns the next packet, or io.EOF after the last one.
	// The packet and its slices are valid until the next call.
	ReadPacket() (*Packet, error)
	// Interfaces returns the interfaces seen so far; it grows as the
	// stream goes on (a pcapng file may describe interfaces between
	// packets). Packet.Interface indexes it. Callers must not modify it.
	Interfaces() []Interface
}

// Writer consumes a stream of packets.
type Writer interface {
	// AddInterface declares the next interface; packets written after it
	// may refer to it by its index (the number of interfaces added before).
	AddInterface(Interface) error
	// WritePacket writes one packet. The writer does not keep p or its
	// slices after it returns.
	WritePacket(p *Packet) error
	// Flush writes any buffered data to the underlying writer.
	Flush() error
}

// ErrInterfaceIndex reports a packet that refers to an interface the stream
// has not described.
var ErrInterfaceIndex = errors.New("convert: packet refers to an undescribed interface")

// Copy writes every packet of src to dst, adding interfaces to dst as src
// reveals them, then flushes dst. It returns the number of packets written.
func Copy(dst Writer, src Reader) (int64, error) {
	var n int64
	added := 0
	for {
		p, err := src.ReadPacket()
		if err == io.EOF {
			break
		}
		if err != nil {
			if ferr := dst.Flush(); ferr != nil {
				return n, errors.Join(err, ferr)
			}
			return n, err
		}
		if ifaces := src.Interfaces(); added < len(ifaces) {
			for _, ifc := range ifaces[added:] {
				if err := dst.AddInterface(ifc); err != nil {
					return n, err
				}
			}
			added = len(ifaces)
		}
		if p.Interface < 0 || p.Interface >= added {
			return n, ErrInterfaceIndex
		}
		if err := dst.WritePacket(p); err != nil {
			return n, err
		}
		n++
	}
	// Interfaces described after the last packet (or in a file without
	// packets) are still part of the capture.
	for _, ifc := range src.Interfaces()[added:] {
		if err := dst.AddInterface(ifc); err != nil {
			return n, err
		}
	}
	return n, dst.Flush()
}

// All returns an iterator over r's packets for use with range. Iteration
// stops after the first error, which is yielded with a nil packet; io.EOF
// ends iteration without being yielded.
func All(r Reader) iter.Seq2[*Packet, error] {
	return func(yield func(*Packet, error) bool) {
		for {
			p, err := r.ReadPacket()
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(p, nil) {
				return
			}
		}
	}
}

// FromSlice returns a Reader over packets held in memory, described by
// ifaces (a packet's Interface indexes it). It hands out the packets
// themselves, not copies.
func FromSlice(ifaces []Interface, pkts []*Packet) Reader {
	return &sliceReader{ifaces: ifaces, pkts: pkts}
}

type sliceReader struct {
	ifaces []Interface
	pkts   []*Packet
}

func (r *sliceReader) ReadPacket() (*Packet, error) {
	if len(r.pkts) == 0 {
		return nil, io.EOF
	}
	p := r.pkts[0]
	r.pkts = r.pkts[1:]
	return p, nil
}

func (r *sliceReader) Interfaces() []Interface { return r.ifaces }
