package filter

import (
	"errors"
	"fmt"

	"github.com/pcaptool/pcaptool/pkt"
)

// StreamFilter is a pkt.Reader that passes on only the packets of
// another stream that match an expression. The expression is compiled
// once per interface, for that interface's link type, so a pcapng file
// whose interfaces have different link types is filtered correctly.
type StreamFilter struct {
	r        pkt.Reader
	expr     string
	root     Node
	opts     Options
	matchers []*Matcher // by interface index; nil entry: not compiled yet
	rejects  []bool     // the expression can match nothing on this interface
	read     int64
	kept     int64
}

// NewStreamFilter wraps r. The expression is parsed at once, so syntax
// errors are reported here; link-type errors come from ReadPacket when a
// packet of an interface with an unsupported link type arrives.
func NewStreamFilter(r pkt.Reader, expr string) (*StreamFilter, error) {
	return NewStreamFilterOptions(r, expr, Options{})
}

// NewStreamFilterOptions is NewStreamFilter with compile options.
func NewStreamFilterOptions(r pkt.Reader, expr string, opts Options) (*StreamFilter, error) {
	root, err := Parse(expr)
	if err != nil {
		return nil, err
	}
	return &StreamFilter{r: r, expr: expr, root: root, opts: opts}, nil
}

// Interfaces returns the underlying stream's interfaces: filtering drops
// packets, never interfaces.
func (f *StreamFilter) Interfaces() []pkt.Interface { return f.r.Interfaces() }

// Read returns the number of packets read from the underlying stream.
func (f *StreamFilter) Read() int64 { return f.read }

// Kept returns the number of packets that matched.
func (f *StreamFilter) Kept() int64 { return f.kept }

func (f *StreamFilter) matcher(idx int) (*Matcher, error) {
	if idx < len(f.matchers) && (f.matchers[idx] != nil || f.rejects[idx]) {
		return f.matchers[idx], nil
	}
	ifaces := f.r.Interfaces()
	if idx < 0 || idx >= len(ifaces) {
		return nil, pkt.ErrInterfaceIndex
	}
	for len(f.matchers) <= idx {
		f.matchers = append(f.matchers, nil)
		f.rejects = append(f.rejects, false)
	}
	prog, err := compileNode(f.expr, f.root, ifaces[idx].LinkType, f.opts)
	if errors.Is(err, ErrRejectsAll) {
		f.rejects[idx] = true
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("filter: interface %d (%s): %w", idx, ifaces[idx].LinkType, err)
	}
	m, err := NewMatcher(prog)
	if err != nil {
		return nil, err
	}
	f.matchers[idx] = m
	return m, nil
}

// ReadPacket returns the next matching packet, or io.EOF after the last
// packet of the underlying stream.
func (f *StreamFilter) ReadPacket() (*pkt.Packet, error) {
	for {
		p, err := f.r.ReadPacket()
		if err != nil {
			return nil, err
		}
		f.read++
		m, err := f.matcher(p.Interface)
		if err != nil {
			return nil, err
		}
		if m != nil && m.Match(p.Data, p.Length) {
			f.kept++
			return p, nil
		}
	}
}
