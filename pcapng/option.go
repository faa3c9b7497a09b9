package pcapng

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"strings"

	"github.com/pcaptool/pcaptool/pkt"
)

// Option is one option as stored in a block: its code and its value, which is
// in the byte order of the block's section.
type Option struct {
	Code  pkt.OptionCode
	Value []byte
	// pad holds the padding bytes read after the value, which the spec
	// says should be zero but which a byte-identical rewrite must keep.
	pad [3]byte
}

// OptionList is the options part of a block. It keeps everything needed to
// write the options back byte for byte: their order, whether the list was
// closed by opt_endofopt, and any bytes after that marker.
type OptionList struct {
	// Options are the block's options in file order, unknown ones included.
	Options []Option
	// EndOfOptions records an opt_endofopt marker after the last option.
	EndOfOptions bool
	// Trailer holds bytes after the end-of-options marker up to the block
	// trailer, kept verbatim. It is normally empty.
	Trailer []byte
	// endLen is the length field of the end-of-options marker (normally 0).
	endLen uint16
}

// Find returns the value of the first option with the given code.
func (l *OptionList) Find(code pkt.OptionCode) ([]byte, bool) {
	for i := range l.Options {
		if l.Options[i].Code == code {
			return l.Options[i].Value, true
		}
	}
	return nil, false
}

// Add appends an option.
func (l *OptionList) Add(code pkt.OptionCode, value []byte) {
	l.Options = append(l.Options, Option{Code: code, Value: value})
}

// AddString appends an option holding text.
func (l *OptionList) AddString(code pkt.OptionCode, s string) { l.Add(code, []byte(s)) }

// Comments returns the opt_comment values in order.
func (l *OptionList) Comments() []string { return l.strings(pkt.OptComment) }

func (l *OptionList) strings(code pkt.OptionCode) []string {
	var out []string
	for _, o := range l.Options {
		if o.Code == code {
			out = append(out, string(o.Value))
		}
	}
	return out
}

func (l *OptionList) str(code pkt.OptionCode) string {
	v, _ := l.Find(code)
	return string(v)
}

// CustomOption is a decoded opt_custom option.
type CustomOption struct {
	Code pkt.OptionCode
	// PEN is the IANA private enterprise number that defines the data.
	PEN uint32
	// Data is the value after the PEN.
	Data []byte
	// Copyable is false for codes 19372 and 19373, which must not be
	// copied to a file with modified packets.
	Copyable bool
}

// CustomOptions returns the opt_custom options; o is the block's byte order.
func (l *OptionList) CustomOptions(o binary.ByteOrder) []CustomOption {
	var out []CustomOption
	for _, opt := range l.Options {
		switch opt.Code {
		case pkt.OptCustomString, pkt.OptCustomBinary, pkt.OptCustomString2, pkt.OptCustomBinary2:
			if len(opt.Value) < 4 {
				continue
			}
			out = append(out, CustomOption{Code: opt.Code, PEN: o.Uint32(opt.Value), Data: opt.Value[4:],
				Copyable: opt.Code == pkt.OptCustomString || opt.Code == pkt.OptCustomBinary})
		}
	}
	return out
}

func (l *OptionList) reset() {
	l.Options = l.Options[:0]
	l.EndOfOptions = false
	l.Trailer = nil
	l.endLen = 0
}

func (l OptionList) clone() OptionList {
	c := l
	if l.Options != nil {
		c.Options = make([]Option, len(l.Options))
		for i, o := range l.Options {
			o.Value = cloneBytes(o.Value)
			c.Options[i] = o
		}
	}
	c.Trailer = cloneBytes(l.Trailer)
	return c
}

func cloneBytes(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append(make([]byte, 0, len(b)), b...)
}

// optionError locates a problem inside an options area: rel is its offset
// from the start of the area.
type optionError struct {
	rel int
	msg string
}

// parse decodes an options area. Values point into b.
func (l *OptionList) parse(b []byte, o binary.ByteOrder) *optionError {
	l.reset()
	little := isLittleEndian(o)
	pos := 0
	for pos < len(b) {
		if len(b)-pos < 4 {
			return &optionError{pos, fmt.Sprintf("%d bytes left in the block, too few for an option header", len(b)-pos)}
		}
		code := pkt.OptionCode(getUint16(little, o, b[pos:]))
		n := int(getUint16(little, o, b[pos+2:]))
		if code == pkt.OptEndOfOpt {
			l.EndOfOptions = true
			l.endLen = uint16(n)
			if pos+4 < len(b) {
				l.Trailer = b[pos+4:]
			}
			return nil
		}
		padded := pad4(n)
		if padded > len(b)-pos-4 {
			return &optionError{pos, fmt.Sprintf("option %d has length %d but only %d bytes are left in the block",
				code, n, len(b)-pos-4)}
		}
		opt := Option{Code: code, Value: b[pos+4 : pos+4+n : pos+4+n]}
		copy(opt.pad[:], b[pos+4+n:pos+4+padded])
		l.Options = append(l.Options, opt)
		pos += 4 + padded
	}
	return nil
}

func (l *OptionList) validate() error {
	for _, opt := range l.Options {
		if len(opt.Value) > 0xffff {
			return fmt.Errorf("%w: option %d value is %d bytes, more than 65535", ErrOption, opt.Code, len(opt.Value))
		}
		if opt.Code == pkt.OptEndOfOpt {
			return fmt.Errorf("%w: option code 0 (opt_endofopt) in an option list; set EndOfOptions instead", ErrOption)
		}
	}
	if len(l.Trailer) > 0 && !l.EndOfOptions {
		return fmt.Errorf("%w: option trailer without an end-of-options marker", ErrOption)
	}
	return nil
}

func (l *OptionList) appendTo(dst []byte, o byteOrder) []byte {
	for _, opt := range l.Options {
		dst = o.AppendUint16(dst, uint16(opt.Code))
		dst = o.AppendUint16(dst, uint16(len(opt.Value)))
		dst = append(dst, opt.Value...)
		dst = append(dst, opt.pad[:pad4(len(opt.Value))-len(opt.Value)]...)
	}
	if l.EndOfOptions {
		dst = o.AppendUint16(dst, uint16(pkt.OptEndOfOpt))
		dst = o.AppendUint16(dst, l.endLen)
		dst = append(dst, l.Trailer...)
	}
	return dst
}

// Typed decoders shared by the block accessors. A value of the wrong size is
// reported as absent, as Wireshark ignores such options.

func (l *OptionList) u8(code pkt.OptionCode) (uint8, bool) {
	v, ok := l.Find(code)
	if !ok || len(v) != 1 {
		return 0, false
	}
	return v[0], true
}

func (l *OptionList) u32(code pkt.OptionCode, o binary.ByteOrder) (uint32, bool) {
	v, ok := l.Find(code)
	if !ok || len(v) != 4 {
		return 0, false
	}
	return o.Uint32(v), true
}

func (l *OptionList) u64(code pkt.OptionCode, o binary.ByteOrder) (uint64, bool) {
	v, ok := l.Find(code)
	if !ok || len(v) != 8 {
		return 0, false
	}
	return o.Uint64(v), true
}

// splitNames splits a list of zero-terminated strings.
func splitNames(b []byte) []string {
	var out []string
	for len(b) > 0 {
		i := 0
		for i < len(b) && b[i] != 0 {
			i++
		}
		if i > 0 {
			out = append(out, string(b[:i]))
		}
		if i == len(b) {
			break
		}
		b = b[i+1:]
	}
	return out
}

// IPv4Prefix is an if_IPv4addr value: an address and its netmask.
type IPv4Prefix struct {
	Addr    netip.Addr
	Netmask netip.Addr
}

// IPv6Prefix is an if_IPv6addr value.
type IPv6Prefix = netip.Prefix

// Filter is an if_filter value: a type byte (0 = libpcap filter string, 1 =
// BPF program) and the filter itself.
type Filter struct {
	Type uint8
	Data []byte
}

// String returns the filter text for type 0 filters.
func (f Filter) String() string {
	if f.Type == 0 {
		return strings.TrimRight(string(f.Data), "\x00")
	}
	return fmt.Sprintf("filter type %d (%d bytes)", f.Type, len(f.Data))
}
