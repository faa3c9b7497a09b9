package decode

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// HierarchyNode counts the frames and bytes (original lengths) of packets
// whose protocol stack starts with the path from the root to this node.
type HierarchyNode struct {
	Name     string
	Frames   uint64
	Bytes    uint64
	Children []*HierarchyNode // in order of first appearance
}

func (n *HierarchyNode) child(name string) *HierarchyNode {
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
	}
	c := &HierarchyNode{Name: name}
	n.Children = append(n.Children, c)
	return c
}

// Hierarchy is a protocol hierarchy, as tshark -z io,phs reports it: one
// tree node per protocol stack prefix. Its memory grows with the number of
// distinct stacks, not with the number of packets.
type Hierarchy struct {
	root HierarchyNode
}

// NewHierarchy returns an empty hierarchy.
func NewHierarchy() *Hierarchy { return &Hierarchy{} }

// Root returns the root node; its children are the link layers, its counts
// the totals.
func (h *Hierarchy) Root() *HierarchyNode { return &h.root }

// phsNames are tshark's protocol filter names where they differ from
// LayerName.
var phsNames = map[gopacket.LayerType]string{
	layers.LayerTypeEthernet:     "eth",
	layers.LayerTypeIPv4:         "ip",
	layers.LayerTypeLinuxSLL:     "sll",
	LayerTypeLinuxSLL2:           "sll",
	layers.LayerTypeLoopback:     "null",
	gopacket.LayerTypePayload:    "data",
	layers.LayerTypeDot1Q:        "vlan",
	layers.LayerTypeIPv6HopByHop: "ipv6.hopopts",
}

// Add counts one packet of link type t.
func (h *Hierarchy) Add(pkt *pkt.Packet, t linktype.LinkType) {
	n := &h.root
	n.Frames++
	n.Bytes += uint64(pkt.Length)
	if _, ok := LinkDecoder(t); !ok {
		n = n.child(strings.ToLower(t.Name()))
		n.Frames++
		n.Bytes += uint64(pkt.Length)
		return
	}
	gp := NewPacket(pkt.Data, t)
	for _, l := range gp.Layers() {
		name, ok := phsNames[l.LayerType()]
		if !ok {
			if _, failed := l.(*gopacket.DecodeFailure); failed {
				// tshark shows undissected bytes as data.
				name = "data"
			} else {
				name = LayerName(l.LayerType())
			}
		}
		n = n.child(name)
		n.Frames++
		n.Bytes += uint64(pkt.Length)
	}
}

// WriteText writes the hierarchy in the layout of tshark -q -z io,phs.
func (h *Hierarchy) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("\n===================================================================\n")
	bw.WriteString("Protocol Hierarchy Statistics\nFilter: \n\n")
	var walk func(n *HierarchyNode, depth int)
	walk = func(n *HierarchyNode, depth int) {
		for _, c := range n.Children {
			name := strings.Repeat("  ", depth) + c.Name
			bw.WriteString(name)
			for i := len(name); i < 40; i++ {
				bw.WriteByte(' ')
			}
			bw.WriteString(" frames:")
			bw.WriteString(strconv.FormatUint(c.Frames, 10))
			bw.WriteString(" bytes:")
			bw.WriteString(strconv.FormatUint(c.Bytes, 10))
			bw.WriteByte('\n')
			walk(c, depth+1)
		}
	}
	walk(&h.root, 0)
	bw.WriteString("===================================================================\n")
	return bw.Flush()
}

// AppendJSON appends the hierarchy as a JSON object:
// {"frames":N,"bytes":N,"protocols":[{"name":"eth","frames":N,"bytes":N,"protocols":[...]}]}.
func (h *Hierarchy) AppendJSON(b []byte) []byte {
	var node func(b []byte, n *HierarchyNode) []byte
	node = func(b []byte, n *HierarchyNode) []byte {
		b = append(b, '{')
		if n != &h.root {
			b = append(b, `"name":`...)
			b = appendJSONString(b, n.Name)
			b = append(b, ',')
		}
		b = append(b, `"frames":`...)
		b = strconv.AppendUint(b, n.Frames, 10)
		b = append(b, `,"bytes":`...)
		b = strconv.AppendUint(b, n.Bytes, 10)
		if len(n.Children) > 0 {
			b = append(b, `,"protocols":[`...)
			for i, c := range n.Children {
				if i > 0 {
					b = append(b, ',')
				}
				b = node(b, c)
			}
			b = append(b, ']')
		}
		return append(b, '}')
	}
	return node(b, &h.root)
}
