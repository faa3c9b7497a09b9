package filter

import (
	"slices"

	"golang.org/x/net/bpf"
)

// protochainDepth is how many headers "protochain" walks past before it
// gives up: libpcap's code loops with a backward jump, which the kernel's
// checker refuses and which never ends on some crafted packets (its AH
// step can land on the same header again); pcaptool unrolls the loop
// instead, so that the program stays classic, forward-only BPF. For IPv6,
// six headers are what RFC 8200's recommended order chains (hop-by-hop,
// destination options, routing, fragment, AH, destination options)
// before the upper-layer header; for IPv4 only AH headers are walked,
// and after libpcap's first AH step the offsets it computes no longer
// point at headers anyway.
func protochainDepth(proto protoQual) int {
	if proto == protoIPv6 {
		return 6
	}
	return 3
}

// IPv6 extension headers that "protochain" steps over (IPPROTO_HOPOPTS,
// _DSTOPTS, _ROUTING, _FRAGMENT), in the order libpcap tests them, and
// the authentication header, which it steps over for IPv4 too.
var protochainExtHeaders = [...]uint32{0, 60, 43, 44}

const ipProtoAH = 51

// protochain compiles "[ip|ip6] protochain v": true when the packet's
// protocol, or that of a header reached by walking IPv6 extension headers
// and AH headers, is v; libpcap's gen_protochain. The walk is unrolled to
// protochainDepth headers; each step computes what libpcap's loop
// computes, including its AH step, which sets the next header's offset to
// the AH header's length rather than adding it to the AH header's own
// offset, so that the verdicts are libpcap's.
func (c *compiler) protochain(v uint32, proto protoQual) *frag {
	switch proto {
	case protoDefault:
		b0 := c.protochain(v, protoIP)
		return or(b0, c.protochain(v, protoIPv6))
	case protoIP, protoIPv6:
	default:
		c.fail("bad protocol applied for 'protochain'")
	}
	if c.plVar {
		c.fail("'protochain' not supported with variable length headers")
	}
	// libpcap does not optimize programs with protochain.
	c.noRejectAll = true
	nl := c.offLinkPl + c.offNl
	r := c.allocReg()
	defer c.freeReg(r)

	var b0 *frag
	var first []bpf.RawInstruction
	if proto == protoIP {
		b0 = c.linkType(etherTypeIP)
		first = []bpf.RawInstruction{stmt(opLD|mABS|szB, nl+9), stmt(opLDX|mMSH|szB, nl)}
	} else {
		b0 = c.linkType(etherTypeIPv6)
		first = []bpf.RawInstruction{stmt(opLD|mABS|szB, nl+6), stmt(opLDX|mIMM, 40)}
	}
	// Each step leaves the header's type in A and its offset from the
	// network-layer header in X: it computes the next offset into A
	// (an extension header's length is in 8-byte units past the first 8,
	// an AH header's in 4-byte units past the first 8), then moves on.
	extOffset := []bpf.RawInstruction{
		stmt(opLD|mIND|szB, nl+1), stmt(opALU|aluADD|srcK, 1), stmt(opALU|aluLSH|srcK, 3),
		stmt(opALU|aluADD|srcX, 0),
	}
	ahOffset := []bpf.RawInstruction{
		stmt(opLD|mIND|szB, nl+1), stmt(opALU|aluADD|srcK, 2), stmt(opALU|aluLSH|srcK, 2),
	}
	moveOn := []bpf.RawInstruction{stmt(opST, r), stmt(opLD|mIND|szB, nl), stmt(opLDX|mMEM, r)}

	var ts, fs *exits
	// check runs stmts, then is true when A is v and goes on to rest,
	// the tests of the header's type, otherwise (false when rest is nil).
	check := func(stmts []bpf.RawInstruction, rest *block) *block {
		// Each block gets its own copy: the optimizer edits statements
		// in place.
		b := c.testBlock(slices.Clone(stmts), opJMP|jmpJEQ|srcK, v, nil, rest)
		ts = union(ts, oneExit(b, true))
		if rest == nil {
			fs = union(fs, oneExit(b, false))
		}
		return b
	}
	// Built from the deepest header back to the first.
	var rest *block
	for range protochainDepth(proto) {
		deeper := rest
		if proto == protoIP {
			ah := check(slices.Concat(ahOffset, moveOn), deeper)
			rest = c.testBlock(nil, opJMP|jmpJEQ|srcK, ipProtoAH, ah, nil)
			fs = union(fs, oneExit(rest, false))
			continue
		}
		// IPv6: both kinds of step share the move and the test.
		next := check(moveOn, deeper)
		ah := c.jumpBlock(slices.Clone(ahOffset), next)
		ext := c.jumpBlock(slices.Clone(extOffset), next)
		rest = c.testBlock(nil, opJMP|jmpJEQ|srcK, ipProtoAH, ah, nil)
		fs = union(fs, oneExit(rest, false))
		for i := len(protochainExtHeaders) - 1; i >= 0; i-- {
			rest = c.testBlock(nil, opJMP|jmpJEQ|srcK, protochainExtHeaders[i], ext, rest)
		}
	}
	return and(b0, &frag{head: check(first, rest), t: ts, f: fs})
}
