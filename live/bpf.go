package live

import "golang.org/x/net/bpf"

// Linux's ancillary-data load offsets (linux/filter.h): a cooked socket's
// filter sees the packet from its network header on, so loads from the
// cooked header must read these instead.
const (
	skfAdOff      = 0xfffff000 // SKF_AD_OFF (-4096)
	skfAdProtocol = 0
	skfAdPktType  = 4
	skfAdIfIndex  = 8
)

// fixCooked rewrites a program compiled for LINUX_SLL or LINUX_SLL2 so the
// kernel can run it on a cooked socket, as libpcap's fix_program does:
// offsets past the cooked header move back by its length and loads of its
// protocol, packet type and interface index fields become ancillary loads.
// ok is false when the program reads another header field; it must then
// run in user space.
func fixCooked(prog []bpf.RawInstruction, sll2 bool) (fixed []bpf.RawInstruction, ok bool) {
	const (
		classLD  = 0x00
		classLDX = 0x01
		modeABS  = 0x20
		modeIND  = 0x40
		modeMSH  = 0xa0
	)
	fixed = make([]bpf.RawInstruction, len(prog))
	copy(fixed, prog)
	for i := range fixed {
		p := &fixed[i]
		class, mode := p.Op&0x07, p.Op&0xe0
		if class != classLD && class != classLDX {
			continue
		}
		if mode != modeABS && mode != modeIND && mode != modeMSH {
			continue
		}
		if p.K >= skfAdOff {
			continue
		}
		if sll2 {
			switch {
			case p.K >= SLL2HeaderLen:
				p.K -= SLL2HeaderLen
			case p.K == 0:
				p.K = skfAdOff + skfAdProtocol
			case p.K == 4:
				p.K = skfAdOff + skfAdIfIndex
			case p.K == 10:
				p.K = skfAdOff + skfAdPktType
			case int32(p.K) > 0:
				return nil, false
			}
			continue
		}
		switch {
		case p.K >= SLLHeaderLen:
			p.K -= SLLHeaderLen
		case p.K == 0:
			p.K = skfAdOff + skfAdPktType
		case p.K == 14:
			p.K = skfAdOff + skfAdProtocol
		case int32(p.K) > 0:
			return nil, false
		}
	}
	return fixed, true
}
