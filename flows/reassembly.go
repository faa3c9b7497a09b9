package flows

import (
	"encoding/binary"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/reassembly"
)

// endpointConversation is a gopacket endpoint type naming one side of a
// conversation by ID. Reassembly keys connections by network and transport
// flows; keying them by conversation instead of addresses gives a
// conversation that reuses the ports of a closed one a fresh stream.
var endpointConversation = gopacket.RegisterEndpointType(2276, gopacket.EndpointTypeMetadata{
	Name: "pcaptool-conversation",
	Formatter: func(b []byte) string {
		return "conv" + string(rune('A'+b[8]))
	},
})

// netFlow returns the reassembly flow of direction d of c.
func (c *Conversation) netFlow(d Dir) gopacket.Flow {
	var a, b [9]byte
	binary.BigEndian.PutUint64(a[:], c.ID)
	binary.BigEndian.PutUint64(b[:], c.ID)
	a[8], b[8] = 0, 1
	if d == BtoA {
		a, b = b, a
	}
	return gopacket.NewFlow(endpointConversation, a[:], b[:])
}

// assemblyContext passes the conversation of the packet being assembled to
// the stream factory.
type assemblyContext struct {
	ci   gopacket.CaptureInfo
	conv *Conversation
}

func (a *assemblyContext) GetCaptureInfo() gopacket.CaptureInfo { return a.ci }

type streamFactory struct{ t *Tracker }

func (f *streamFactory) New(netFlow, _ gopacket.Flow, _ *layers.TCP, ac reassembly.AssemblerContext) reassembly.Stream {
	c := ac.(*assemblyContext).conv
	s := &stream{t: f.t, conv: c}
	// The connection's client side is whoever sent the first packet the
	// assembler saw; that is A unless reordering put B first.
	if netFlow.Src().Raw()[8] == 1 {
		s.clientDir = BtoA
	}
	return s
}

type stream struct {
	t         *Tracker
	conv      *Conversation
	clientDir Dir
	started   [2]bool
}

func (s *stream) dir(d reassembly.TCPFlowDirection) Dir {
	if d == reassembly.TCPDirClientToServer {
		return s.clientDir
	}
	return 1 - s.clientDir
}

func (s *stream) Accept(tcp *layers.TCP, _ gopacket.CaptureInfo, dir reassembly.TCPFlowDirection, _ reassembly.Sequence, start *bool, _ reassembly.AssemblerContext) bool {
	// Captures often start mid-connection: take the first segment of a
	// direction without SYN as its start.
	d := s.dir(dir)
	if !s.started[d] && !tcp.SYN {
		*start = true
	}
	s.started[d] = true
	return true
}

func (s *stream) ReassembledSG(sg reassembly.ScatterGather, _ reassembly.AssemblerContext) {
	n, _ := sg.Lengths()
	dir, _, _, skip := sg.Info()
	d := s.dir(dir)
	st := &s.conv.Dir[d]
	if skip > 0 {
		st.MissingBytes += uint64(skip)
	} else {
		skip = 0
	}
	if n == 0 {
		return
	}
	st.StreamBytes += uint64(n)
	if h := s.t.cfg.Streams; h != nil {
		h.StreamData(s.conv, d, sg.Fetch(n), skip)
	}
}

func (s *stream) ReassemblyComplete(reassembly.AssemblerContext) bool {
	if h := s.t.cfg.Streams; h != nil {
		h.StreamEnd(s.conv)
	}
	return true
}

func reassemblyFlush(lossCut, closeCut time.Time) reassembly.FlushOptions {
	return reassembly.FlushOptions{T: lossCut, TC: closeCut}
}
