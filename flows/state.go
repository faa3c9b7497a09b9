package flows

import (
	"net/netip"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/pcaptool/pcaptool/pkt"
)

// defragment feeds an IPv4 fragment (in t.ip4) to the defragmenter. When it
// completes a datagram, the datagram's transport header is decoded into
// t.tcp or t.udp, the frames of all its fragments are counted for the
// conversation, and done is true.
func (t *Tracker) defragment(p *pkt.Packet) (transport gopacket.LayerType, l4len int, done bool) {
	t.count.Fragments++
	ip := &t.ip4
	fk := fragKey{src: [4]byte(ip.SrcIP.To4()), dst: [4]byte(ip.DstIP.To4()), id: ip.Id, proto: ip.Protocol}
	fc := t.frags[fk]
	if fc == nil {
		fc = &fragCount{first: p.Timestamp}
		t.frags[fk] = fc
	}
	fc.packets++
	fc.bytes += uint64(p.Length)
	// The defragmenter keeps the fragment: give it copies, not views of
	// the reader's buffer.
	frag := *ip
	frag.SrcIP = append([]byte(nil), ip.SrcIP...)
	frag.DstIP = append([]byte(nil), ip.DstIP...)
	frag.Options = nil
	frag.Contents = nil
	frag.Payload = append([]byte(nil), ip.Payload...)
	out, err := t.defrag.DefragIPv4WithTimestamp(&frag, p.Timestamp)
	if err != nil {
		t.count.BadFragments++
		delete(t.frags, fk)
		return 0, 0, false
	}
	if out == nil {
		return 0, 0, false
	}
	t.count.Defragmented++
	delete(t.frags, fk)
	t.pendingPackets, t.pendingBytes = fc.packets, fc.bytes
	t.decoded = t.decoded[:0]
	first := layers.LayerTypeTCP
	switch out.Protocol {
	case layers.IPProtocolTCP:
	case layers.IPProtocolUDP:
		first = layers.LayerTypeUDP
	default:
		return 0, 0, true
	}
	parser := t.l4parsers[first]
	if parser == nil {
		parser = gopacket.NewDecodingLayerParser(first, &t.tcp, &t.udp, &t.payload)
		parser.IgnoreUnsupported = true
		t.l4parsers[first] = parser
	}
	_ = parser.DecodeLayers(out.Payload, &t.decoded)
	if len(t.decoded) == 0 {
		return 0, 0, true
	}
	return t.decoded[0], len(out.Payload), true
}

// lookup finds or starts the conversation of a packet from src to dst.
// syn marks a TCP SYN without ACK, which starts a new conversation when the
// old one with the same endpoints has closed.
func (t *Tracker) lookup(proto Protocol, src, dst netip.AddrPort, ts time.Time, syn bool) (*Conversation, Dir) {
	k, _ := makeKey(proto, src, dst)
	c := t.convs[k]
	if c != nil && syn && c.TCP.Closed {
		t.end(c, EndReused)
		c = nil
	}
	if c == nil {
		c = &Conversation{ID: t.ids[proto == UDP], Proto: proto, A: src, B: dst, Start: ts, End: ts, key: k, lastSeen: ts}
		t.ids[proto == UDP]++
		t.count.Conversations++
		t.convs[k] = c
		t.idle.pushBack(c)
	}
	d := AtoB
	if src != c.A {
		d = BtoA
	}
	if ts.Before(c.Start) {
		c.Start = ts
	}
	if ts.After(c.End) {
		c.End = ts
	}
	if !c.closedList {
		c.lastSeen = t.now
		t.idle.moveToBack(c)
	}
	return c, d
}

// count1 adds one packet (or the fragments of one datagram) to c.
func (t *Tracker) count1(c *Conversation, d Dir, p *pkt.Packet, payload int) {
	st := &c.Dir[d]
	if t.pendingPackets > 0 {
		st.Packets += t.pendingPackets
		st.Bytes += t.pendingBytes
		t.pendingPackets, t.pendingBytes = 0, 0
	} else {
		st.Packets++
		st.Bytes += uint64(p.Length)
	}
	if payload > 0 {
		st.PayloadBytes += uint64(payload)
	}
}

func (t *Tracker) addTCP(p *pkt.Packet, src, dst netip.Addr, payload int) *Conversation {
	tcp := &t.tcp
	c, d := t.lookup(TCP, netip.AddrPortFrom(src, uint16(tcp.SrcPort)), netip.AddrPortFrom(dst, uint16(tcp.DstPort)), p.Timestamp, tcp.SYN && !tcp.ACK)
	t.count1(c, d, p, payload)
	st := &c.Dir[d]
	if payload < 0 {
		payload = 0
	}
	span := payload
	if tcp.SYN {
		span++
	}
	if tcp.FIN {
		span++
		st.FINs++
	}
	if tcp.RST {
		st.RSTs++
	}
	if !tcp.RST {
		retr, ooo := c.seq[d].segment(tcp.Seq, span)
		if retr {
			st.Retransmissions++
		}
		if ooo {
			st.OutOfOrder++
		}
	}
	switch {
	case tcp.SYN && !tcp.ACK && d == AtoB:
		c.TCP.SYN = true
	case tcp.SYN && tcp.ACK && d == BtoA && c.TCP.SYN:
		c.TCP.SYNACK = true
		c.synackSeq = tcp.Seq
	case !tcp.SYN && tcp.ACK && d == AtoB && c.TCP.SYNACK && tcp.Ack == c.synackSeq+1:
		c.TCP.Handshake = true
	}
	if !c.TCP.Closed && (tcp.RST || (c.Dir[0].FINs > 0 && c.Dir[1].FINs > 0)) {
		c.TCP.Closed = true
		c.closedAt = t.now
		if tcp.RST {
			c.Reason = EndRST
		} else {
			c.Reason = EndFIN
		}
		t.idle.remove(c)
		t.done.pushBack(c)
		c.closedList = true
	}
	t.ctx.conv = c
	t.ctx.ci = gopacket.CaptureInfo{Timestamp: p.Timestamp, CaptureLength: len(p.Data), Length: p.Length}
	t.assembler.AssembleWithContext(c.netFlow(d), tcp, &t.ctx)
	return c
}

// maintain ends idle and closed conversations, lets reassembly skip
// segments lost for longer than LossTimeout, and drops stale fragments.
func (t *Tracker) maintain() {
	t.last = t.now
	idleCut := t.now.Add(-t.cfg.IdleTimeout)
	t.assembler.FlushWithOptions(reassemblyFlush(t.now.Add(-t.cfg.LossTimeout), idleCut))
	for c := t.idle.head; c != nil && c.lastSeen.Before(idleCut); c = t.idle.head {
		t.end(c, EndIdle)
	}
	closedCut := t.now.Add(-t.cfg.ClosedTimeout)
	for c := t.done.head; c != nil && c.closedAt.Before(closedCut); c = t.done.head {
		t.end(c, c.Reason)
	}
	fragCut := t.now.Add(-t.cfg.FragmentTimeout)
	if len(t.frags) > 0 {
		t.defrag.DiscardOlderThan(fragCut)
		for k, fc := range t.frags {
			if fc.first.Before(fragCut) {
				delete(t.frags, k)
			}
		}
	}
}

// end reports c and forgets it.
func (t *Tracker) end(c *Conversation, r EndReason) {
	c.Reason = r
	if c.closedList {
		t.done.remove(c)
	} else {
		t.idle.remove(c)
	}
	delete(t.convs, c.key)
	if t.cfg.OnEnd != nil {
		t.cfg.OnEnd(c)
	}
}

// Flush delivers all buffered TCP data and ends every conversation still
// held, as at the end of a capture: closed ones first, then open ones from
// the least recently active.
func (t *Tracker) Flush() {
	t.assembler.FlushAll()
	for c := t.done.head; c != nil; c = t.done.head {
		t.end(c, c.Reason)
	}
	for c := t.idle.head; c != nil; c = t.idle.head {
		t.end(c, EndOpen)
	}
	t.frags = make(map[fragKey]*fragCount)
}

// convList is an intrusive doubly linked list of conversations.
type convList struct{ head, tail *Conversation }

func (l *convList) pushBack(c *Conversation) {
	c.prev, c.next = l.tail, nil
	if l.tail != nil {
		l.tail.next = c
	} else {
		l.head = c
	}
	l.tail = c
}

func (l *convList) remove(c *Conversation) {
	if c.prev != nil {
		c.prev.next = c.next
	} else if l.head == c {
		l.head = c.next
	}
	if c.next != nil {
		c.next.prev = c.prev
	} else if l.tail == c {
		l.tail = c.prev
	}
	c.prev, c.next = nil, nil
}

func (l *convList) moveToBack(c *Conversation) {
	if l.tail == c {
		return
	}
	l.remove(c)
	l.pushBack(c)
}
