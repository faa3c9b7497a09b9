package convert

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/pcaptool/pcaptool/pkt"
)

// IDBMergeMode says how Merge combines the interfaces of its inputs, as
// mergecap -I does.
type IDBMergeMode int

// IDB merge modes.
const (
	// MergeAll merges the inputs' interfaces only when every input starts
	// with the same list of interfaces (compared before their first
	// packet); interfaces described later are then merged with any
	// duplicate. Otherwise every interface is kept. mergecap's default.
	MergeAll IDBMergeMode = iota
	// MergeNone keeps every interface of every input.
	MergeNone
	// MergeAny merges each interface with any duplicate already kept.
	MergeAny
)

// ParseIDBMergeMode accepts mergecap's names: none, all, any.
func ParseIDBMergeMode(s string) (IDBMergeMode, error) {
	switch strings.ToLower(s) {
	case "all", "":
		return MergeAll, nil
	case "none":
		return MergeNone, nil
	case "any":
		return MergeAny, nil
	}
	return 0, fmt.Errorf("convert: unknown IDB merge mode %q (want none, all or any)", s)
}

func (m IDBMergeMode) String() string {
	switch m {
	case MergeNone:
		return "none"
	case MergeAny:
		return "any"
	}
	return "all"
}

// MergeOptions tune Merge.
type MergeOptions struct {
	// Mode combines the inputs' interfaces.
	Mode IDBMergeMode
	// Append writes every packet of the first input, then of the second,
	// and so on (mergecap -a), instead of merging by timestamp.
	Append bool
	// OnError, when set, is called with an input's index and its read
	// error. Returning nil drops that input and goes on with the others
	// (mergecap does that for a truncated file); returning an error stops
	// the merge with it. Without OnError any read error stops the merge.
	OnError func(input int, err error) error
}

type mergeInput struct {
	src     pkt.Reader
	pkt     *pkt.Packet // primed packet, valid until src is read again
	done    bool
	seen    int   // interfaces of src already mapped
	mapping []int // src interface index -> output interface index
}

// Merge combines several streams into one: chronologically with a k-way
// merge (a loser tree, see losertree.go; on equal timestamps the later
// input goes first, as in mergecap), or one after another with Append. A packet without a
// timestamp (Packet.NoTimestamp) is taken as soon as it is the next packet
// of its input, before any timestamped one, the lowest-numbered input
// first, as mergecap does. It holds one packet per input.
type Merge struct {
	inputs []mergeInput
	opts   MergeOptions
	mode   IDBMergeMode
	ifaces []pkt.Interface
	tree   loserTree
	keys   []mergeKey // by input: the order of its primed packet
	next   int        // Append: the input being read
	primed bool
	last   int // input whose packet was returned last; -1 for none
	pkt    pkt.Packet
}

// NewMerge returns a stream merging srcs.
func NewMerge(srcs []pkt.Reader, opts MergeOptions) *Merge {
	m := &Merge{opts: opts, mode: opts.Mode, last: -1}
	m.inputs = make([]mergeInput, len(srcs))
	for i, s := range srcs {
		m.inputs[i].src = s
	}
	return m
}

// Interfaces returns the merged interfaces described so far.
func (m *Merge) Interfaces() []pkt.Interface { return m.ifaces }

// readInput reads the next packet of input i into its slot.
func (m *Merge) readInput(i int) error {
	in := &m.inputs[i]
	p, err := in.src.ReadPacket()
	switch {
	case err == io.EOF:
		in.pkt, in.done = nil, true
		return nil
	case err != nil:
		in.pkt, in.done = nil, true
		if m.opts.OnError != nil {
			return m.opts.OnError(i, err)
		}
		return err
	}
	in.pkt = p
	return nil
}

// prime reads the first packet of every input, so that the interfaces each
// describes before its first packet are known, then maps them.
func (m *Merge) prime() error {
	m.primed = true
	for i := range m.inputs {
		if err := m.readInput(i); err != nil {
			return err
		}
	}
	if m.mode == MergeAll && m.allSame() {
		first := m.inputs[0].src.Interfaces()
		for _, ifc := range first {
			m.ifaces = append(m.ifaces, ifc.Clone())
		}
		for i := range m.inputs {
			in := &m.inputs[i]
			in.seen = len(first)
			for j := range first {
				in.mapping = append(in.mapping, j)
			}
		}
		// Interfaces described later are merged with duplicates.
		m.mode = MergeAny
	} else {
		m.mapNew()
	}
	if !m.opts.Append {
		m.keys = make([]mergeKey, len(m.inputs))
		for i := range m.inputs {
			m.keys[i] = keyOf(i, m.inputs[i].pkt)
		}
		m.tree.init(m.keys)
	}
	return nil
}

// allSame reports whether every input starts with the same interfaces as
// the first.
func (m *Merge) allSame() bool {
	if len(m.inputs) == 0 {
		return false
	}
	first := m.inputs[0].src.Interfaces()
	for _, in := range m.inputs[1:] {
		other := in.src.Interfaces()
		if len(other) != len(first) {
			return false
		}
		for j := range other {
			if !DuplicateInterface(&first[j], &other[j]) {
				return false
			}
		}
	}
	return true
}

// mapNew maps the interfaces the inputs described since the last call, in
// input order, as mergecap's process_new_idbs does.
func (m *Merge) mapNew() {
	for i := range m.inputs {
		in := &m.inputs[i]
		ifaces := in.src.Interfaces()
		for ; in.seen < len(ifaces); in.seen++ {
			ifc := &ifaces[in.seen]
			found := -1
			if m.mode == MergeAny {
				for k := range m.ifaces {
					if DuplicateInterface(ifc, &m.ifaces[k]) {
						found = k
						break
					}
				}
			}
			if found < 0 {
				m.ifaces = append(m.ifaces, ifc.Clone())
				found = len(m.ifaces) - 1
			}
			in.mapping = append(in.mapping, found)
		}
	}
}

// ReadPacket returns the next packet of the merged stream.
func (m *Merge) ReadPacket() (*pkt.Packet, error) {
	if !m.primed {
		if err := m.prime(); err != nil {
			return nil, err
		}
	} else if m.last >= 0 {
		// The packet returned last is no longer needed: refill its slot.
		i := m.last
		m.last = -1
		if err := m.readInput(i); err != nil {
			return nil, err
		}
		if !m.opts.Append {
			m.keys[i] = keyOf(i, m.inputs[i].pkt)
			m.tree.replay(i)
		}
	}
	var i int
	if m.opts.Append {
		for m.next < len(m.inputs) && m.inputs[m.next].done {
			m.next++
		}
		if m.next == len(m.inputs) {
			m.mapNew()
			return nil, io.EOF
		}
		i = m.next
	} else {
		if len(m.inputs) == 0 || m.inputs[m.tree.winner()].done {
			m.mapNew()
			return nil, io.EOF
		}
		i = m.tree.winner()
	}
	m.mapNew()
	in := &m.inputs[i]
	p := in.pkt
	if p.Interface < 0 || p.Interface >= len(in.mapping) {
		return nil, fmt.Errorf("convert: merge input %d: %w (%d)", i, pkt.ErrInterfaceIndex, p.Interface)
	}
	m.pkt = *p
	m.pkt.Interface = in.mapping[p.Interface]
	m.last = i
	return &m.pkt, nil
}

// DuplicateInterface reports whether two interfaces are the same for
// mergecap's IDB merging: same link type, resolution and snap length, and no
// conflicting if_speed, comment, if_name, if_description, if_hardware or
// if_os (an option present on one side only does not conflict). Like
// Wireshark 4.0 it does not treat two interfaces that both state the same
// if_fcslen as duplicates.
func DuplicateInterface(a, b *pkt.Interface) bool {
	if a.LinkType != b.LinkType || a.Resolution != b.Resolution || a.SnapLen != b.SnapLen {
		return false
	}
	if a.FCSLen >= 0 && b.FCSLen >= 0 && a.FCSLen == b.FCSLen {
		return false
	}
	for _, code := range []pkt.OptionCode{pkt.OptIfSpeed, pkt.OptComment, pkt.OptIfName, pkt.OptIfDescription, pkt.OptIfHardware, pkt.OptIfOS} {
		va, vb := pkt.FindOption(a.Options, code), pkt.FindOption(b.Options, code)
		if va != nil && vb != nil && !bytes.Equal(va, vb) {
			return false
		}
	}
	return true
}
