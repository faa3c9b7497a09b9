package filter

import (
	"encoding/binary"
	"errors"
	"strconv"
	"unsafe"

	"golang.org/x/net/bpf"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// Sentinel errors.
var (
	// ErrRejectsAll is returned (wrapped in a *SyntaxError) for an
	// expression that can match no packet, which libpcap refuses too.
	ErrRejectsAll = errors.New("filter: expression rejects all packets")
	// ErrLinkType reports a link type the compiler has no code for.
	ErrLinkType = errors.New("filter: link type not supported")
	// ErrProgram reports a program that is not valid classic BPF.
	ErrProgram = errors.New("filter: invalid BPF program")
)

// Options tune compilation. The zero value compiles as tcpdump -r does
// for a file written on this host.
type Options struct {
	// SnapLen is what the program returns for a matching packet; 0 means
	// pkt.DefaultSnapLen, tcpdump's default.
	SnapLen uint32
	// NullByteOrder is the byte order of the 4-byte address family in
	// DLT_NULL headers: the byte order of the capture file. nil means
	// this host's order, as libpcap assumes for a file it does not swap.
	NullByteOrder binary.ByteOrder
	// Live compiles for a live capture rather than a file: DLT_NULL/LOOP
	// "ip6" then tests only Linux's AF_INET6 instead of the three values
	// found in files.
	Live bool
	// Netmask is the network mask "ip broadcast" uses; tcpdump passes 0
	// when reading files.
	Netmask uint32
	// NoResolve makes host names ("host NAME", "ether host NAME") a
	// compile error instead of looking them up in /etc/hosts, DNS and
	// /etc/ethers, for programs that must not depend on the machine
	// compiling them. Port and protocol names are always resolved, from
	// built-in tables.
	NoResolve bool
}

func hostOrder() binary.ByteOrder {
	x := uint16(1)
	if *(*byte)(unsafe.Pointer(&x)) == 1 {
		return binary.LittleEndian
	}
	return binary.BigEndian
}

func (o *Options) nullOrder() binary.ByteOrder {
	if o.NullByteOrder != nil {
		return o.NullByteOrder
	}
	return hostOrder()
}

// Supported reports whether Compile generates code for link type lt:
// every link type libpcap 1.10 compiles for except those of libpcap's
// that pcaptool does not implement yet (see the package documentation).
func Supported(lt linktype.LinkType) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, isCompileError := r.(compileError); !isCompileError {
				panic(r)
			}
			ok = false
		}
	}()
	c := &compiler{}
	c.initLinkType(lt)
	return true
}

// Compile compiles a pcap-filter expression for packets of link type lt
// into an optimized classic BPF program that returns snaplen for
// matching packets and 0 for the others. Errors are *SyntaxError values
// that give the offset in expr they refer to.
func Compile(expr string, lt linktype.LinkType, snaplen uint32) ([]bpf.Instruction, error) {
	return CompileOptions(expr, lt, Options{SnapLen: snaplen})
}

// CompileOptions is Compile with options.
func CompileOptions(expr string, lt linktype.LinkType, opts Options) ([]bpf.Instruction, error) {
	root, err := Parse(expr)
	if err != nil {
		return nil, err
	}
	return compileNode(expr, root, lt, opts)
}

func compileNode(expr string, root Node, lt linktype.LinkType, opts Options) (prog []bpf.Instruction, err error) {
	if !Supported(lt) {
		return nil, &linkTypeError{lt}
	}
	if opts.SnapLen == 0 {
		opts.SnapLen = pkt.DefaultSnapLen
	}
	c := &compiler{expr: expr, opts: opts}
	defer func() {
		if r := recover(); r != nil {
			ce, ok := r.(compileError)
			if !ok {
				panic(r)
			}
			prog, err = nil, ce.err
		}
	}()
	c.initLinkType(lt)
	var entry *block
	hasPrologue := false
	if root == nil {
		entry = c.retBlock(opts.SnapLen)
	} else {
		f := c.gen(root)
		patch(f.t, c.retBlock(opts.SnapLen))
		patch(f.f, c.retBlock(0))
		entry = c.prologue(f.head)
		// libpcap does not optimize a program that starts by computing
		// variable offsets, and so never finds that it rejects all
		// packets.
		// pflog's prologue is straight-line code, which libpcap's
		// optimizer removes with the rest.
		// Straight-line prologues (pflog, radio header lengths alone)
		// are optimized away with the rest.
		hasPrologue = entry != f.head && (c.outer == ltPrism || c.plReg >= 0 && isWLAN(c.outer)) || c.noRejectAll
	}
	entry = optimize(entry)
	if entry.ret && entry.retOp == opRET|retK && entry.retK == 0 && !hasPrologue {
		return nil, &SyntaxError{Expr: expr, Pos: 0, Msg: "expression rejects all packets", Err: ErrRejectsAll}
	}
	return emit(entry)
}

type linkTypeError struct{ lt linktype.LinkType }

func (e *linkTypeError) Error() string {
	return "filter: unknown data link type " + e.lt.Name() + " (" + strconv.Itoa(int(e.lt)) + ")"
}

func (e *linkTypeError) Unwrap() error { return ErrLinkType }

// aval is a compiled arithmetic expression: statements that leave its
// value in A, or a constant, plus the protocol tests its packet accesses
// need (libpcap's struct arth).
type aval struct {
	isConst bool
	k       uint32
	stmts   []bpf.RawInstruction
	usesX   bool
	cond    *frag
	// firstImm is set when libpcap's first statement for this expression
	// is "ld #firstK": libpcap rejects a division by zero or a long shift
	// by looking at that statement alone.
	firstImm bool
	firstK   uint32
}

func (v *aval) code() []bpf.RawInstruction {
	if v.isConst {
		return []bpf.RawInstruction{stmt(opLD|mIMM, v.k)}
	}
	return v.stmts
}

func (c *compiler) allocReg() uint32 {
	for range memWords {
		if !c.regUsed[c.curReg] {
			c.regUsed[c.curReg] = true
			return uint32(c.curReg)
		}
		c.curReg = (c.curReg + 1) % memWords
	}
	c.fail("too many registers needed to evaluate expression")
	return 0
}

func (c *compiler) freeReg(r uint32) { c.regUsed[r] = false }

// loadXThenA returns statements leaving b in X and a in A.
func (c *compiler) loadXThenA(a, b *aval) []bpf.RawInstruction {
	s := append([]bpf.RawInstruction{}, b.code()...)
	if a.isConst || !a.usesX {
		s = append(s, stmt(opMISC|miscTAX, 0))
		return append(s, a.code()...)
	}
	r := c.allocReg()
	s = append(s, stmt(opST, r))
	s = append(s, a.stmts...)
	s = append(s, stmt(opLDX|mMEM, r))
	c.freeReg(r)
	return s
}

var aluOps = map[string]uint16{"+": aluADD, "-": aluSUB, "*": aluMUL, "/": aluDIV, "%": aluMOD,
	"&": aluAND, "|": aluOR, "^": aluXOR, "<<": aluLSH, ">>": aluRSH}

func foldALU(op uint16, a, b uint32) uint32 {
	switch op {
	case aluADD:
		return a + b
	case aluSUB:
		return a - b
	case aluMUL:
		return a * b
	case aluDIV:
		return a / b
	case aluMOD:
		return a % b
	case aluAND:
		return a & b
	case aluOR:
		return a | b
	case aluXOR:
		return a ^ b
	case aluLSH:
		if b < 32 {
			return a << b
		}
		return 0
	case aluRSH:
		if b < 32 {
			return a >> b
		}
		return 0
	}
	return 0
}

func (c *compiler) arith(e arithNode) *aval {
	c.pos = e.Pos()
	switch e := e.(type) {
	case *numberNode:
		return &aval{isConst: true, k: e.Value, firstImm: true, firstK: e.Value}
	case *lengthNode:
		return &aval{stmts: []bpf.RawInstruction{stmt(opLD|mLEN|szW, 0)}}
	case *negateNode:
		v := c.arith(e.X)
		if v.isConst {
			return &aval{isConst: true, k: -v.k, cond: v.cond, firstImm: v.firstImm, firstK: v.firstK}
		}
		v.stmts = append(v.stmts, stmt(opALU|aluNEG, 0))
		return v
	case *loadNode:
		return c.load(e)
	case *arithBinaryNode:
		a := c.arith(e.X)
		b := c.arith(e.Y)
		c.pos = e.Y.Pos()
		return c.binop(aluOps[e.Op], a, b)
	}
	c.fail("unknown arithmetic node %T", e)
	return nil
}

func (c *compiler) binop(op uint16, a, b *aval) *aval {
	if b.firstImm {
		switch {
		case op == aluDIV && b.firstK == 0:
			c.fail("division by zero")
		case op == aluMOD && b.firstK == 0:
			c.fail("modulus by zero")
		case (op == aluLSH || op == aluRSH) && b.firstK > 31:
			c.fail("shift by more than 31 bits")
		}
	}
	// The right operand's protocol tests are dropped, as libpcap's
	// gen_arth does.
	r := &aval{cond: a.cond, firstImm: a.firstImm, firstK: a.firstK}
	switch {
	case a.isConst && b.isConst:
		if b.k == 0 && op == aluDIV {
			c.fail("division by zero")
		}
		if b.k == 0 && op == aluMOD {
			c.fail("modulus by zero")
		}
		r.isConst, r.k = true, foldALU(op, a.k, b.k)
		return r
	case b.isConst:
		if b.k == 0 {
			switch op {
			case aluADD, aluSUB, aluLSH, aluRSH, aluOR, aluXOR:
				r.stmts, r.usesX = a.stmts, a.usesX
				return r
			case aluMUL, aluAND:
				r.isConst, r.k = true, 0
				return r
			case aluDIV:
				c.fail("division by zero")
			case aluMOD:
				c.fail("modulus by zero")
			}
		}
		if (op == aluLSH || op == aluRSH) && b.k > 31 {
			c.fail("shift by more than 31 bits")
		}
		r.stmts = append(append([]bpf.RawInstruction{}, a.stmts...), stmt(opALU|op|srcK, b.k))
		r.usesX = a.usesX
		return r
	case a.isConst && a.k == 0:
		switch op {
		case aluADD, aluOR, aluXOR:
			r.stmts, r.usesX = b.stmts, b.usesX
			return r
		case aluMUL, aluDIV, aluMOD, aluAND, aluLSH, aluRSH:
			r.isConst, r.k = true, 0
			return r
		}
	}
	r.stmts = append(c.loadXThenA(a, b), stmt(opALU|op|srcX, 0))
	r.usesX = true
	return r
}

func (c *compiler) load(e *loadNode) *aval {
	idx := c.arith(e.Index)
	c.pos = e.At
	var sz uint16
	switch e.Size {
	case 1:
		sz = szB
	case 2:
		sz = szH
	case 4:
		sz = szW
	default:
		c.fail("data size must be 1, 2, or 4")
	}
	r := &aval{firstImm: idx.firstImm, firstK: idx.firstK, usesX: true}
	// base is the offset the index is relative to; tran selects the
	// variable-length IPv4 header.
	var base uint32
	tran := false
	// varReg is the register holding the variable part of base, if any.
	varReg := -1
	switch e.Proto {
	case protoRadio:
		if c.outer != linktype.Radiotap && c.outer != ltAVS && c.outer != ltPrism {
			c.fail("radio information not present in capture")
		}
		r.cond = idx.cond
	case protoLink:
		base = c.offLinkHdr
		if c.hdrVar {
			varReg = int(c.hdrRegister())
		}
		r.cond = idx.cond
	case protoIP, protoARP, protoRARP, protoAtalk, protoDecnet, protoSCA, protoLAT, protoMOPRC,
		protoMOPDL, protoIPv6:
		base = c.offLinkPl + c.offNl
		if c.plVar {
			varReg = int(c.plRegister())
		}
		b := c.protoAbbrev(e.Proto)
		if idx.cond != nil {
			b = and(idx.cond, b)
		}
		r.cond = b
	case protoSCTP, protoTCP, protoUDP, protoICMP, protoIGMP, protoIGRP, protoPIM, protoVRRP, protoCARP:
		base = c.offLinkPl + c.offNl
		tran = true
		b := and(c.protoAbbrev(e.Proto), c.ipFrag())
		if idx.cond != nil {
			b = and(idx.cond, b)
		}
		r.cond = and(c.protoAbbrev(protoIP), b)
	case protoICMPv6:
		base = c.offLinkPl + c.offNl + 40
		if c.plVar {
			varReg = int(c.plRegister())
		}
		b := c.protoAbbrev(protoIPv6)
		if idx.cond != nil {
			b = and(idx.cond, b)
		}
		r.cond = and(b, c.cmp(orLinkPl, 6, szB, ipProtoICMP6))
	default:
		c.fail("unsupported index operation")
	}
	if tran && c.plVar {
		r.stmts = c.varTransportLoad(idx, base, sz)
		return r
	}
	switch {
	case idx.isConst && varReg >= 0:
		r.stmts = varLoad(uint32(varReg), base+idx.k, sz)
	case varReg >= 0:
		r.stmts = append(append([]bpf.RawInstruction{}, idx.stmts...), stmt(opLDX|mMEM, uint32(varReg)),
			stmt(opALU|aluADD|srcX, 0), stmt(opMISC|miscTAX, 0), stmt(opLD|mIND|sz, base))
	case idx.isConst && !tran:
		r.stmts = []bpf.RawInstruction{stmt(opLD|mABS|sz, base+idx.k)}
		r.usesX = false
	case idx.isConst:
		r.stmts = []bpf.RawInstruction{stmt(opLDX|mMSH|szB, base), stmt(opLD|mIND|sz, base+idx.k)}
	case !tran:
		r.stmts = append(append([]bpf.RawInstruction{}, idx.stmts...), stmt(opMISC|miscTAX, 0), stmt(opLD|mIND|sz, base))
	default:
		r.stmts = append(append([]bpf.RawInstruction{}, idx.stmts...),
			stmt(opLDX|mMSH|szB, base), stmt(opALU|aluADD|srcX, 0), stmt(opMISC|miscTAX, 0), stmt(opLD|mIND|sz, base))
	}
	return r
}

// varTransportLoad loads a transport-header field at index idx when the
// link-layer payload's offset is variable: X gets that offset plus the
// IPv4 header's length, then the index is added.
func (c *compiler) varTransportLoad(idx *aval, base uint32, sz uint16) []bpf.RawInstruction {
	if idx.isConst {
		return append(c.loadXIPHdrLen(), stmt(opLD|mIND|sz, base+idx.k))
	}
	tmp := c.allocReg()
	s := append(append([]bpf.RawInstruction{}, idx.stmts...), stmt(opST, tmp))
	s = append(s, c.loadXIPHdrLen()...)
	s = append(s, stmt(opLD|mMEM, tmp), stmt(opALU|aluADD|srcX, 0), stmt(opMISC|miscTAX, 0), stmt(opLD|mIND|sz, base))
	c.freeReg(tmp)
	return s
}

func (c *compiler) relation(n *relationNode) *frag {
	a0 := c.arith(n.X)
	a1 := c.arith(n.Y)
	c.pos = n.At
	var jtype uint16
	reversed := false
	switch n.Op {
	case relGT:
		jtype = jmpJGT
	case relGE:
		jtype = jmpJGE
	case relEQ:
		jtype = jmpJEQ
	case relLE:
		jtype, reversed = jmpJGT, true
	case relLT:
		jtype, reversed = jmpJGE, true
	case relNE:
		jtype, reversed = jmpJEQ, true
	}
	var b *frag
	switch {
	case a1.isConst:
		b = c.newBlock(a0.code(), opJMP|jtype|srcK, a1.k)
	case a0.isConst:
		// k OP a1 becomes a test of a1 against k.
		switch jtype {
		case jmpJEQ:
			b = c.newBlock(a1.code(), opJMP|jmpJEQ|srcK, a0.k)
		case jmpJGT: // k > a1  ==  !(a1 >= k)
			b = not(c.newBlock(a1.code(), opJMP|jmpJGE|srcK, a0.k))
		case jmpJGE: // k >= a1  ==  !(a1 > k)
			b = not(c.newBlock(a1.code(), opJMP|jmpJGT|srcK, a0.k))
		}
	default:
		b = c.newBlock(c.loadXThenA(a0, a1), opJMP|jtype|srcX, 0)
	}
	if reversed {
		b = not(b)
	}
	var cond *frag
	switch {
	case a0.cond != nil && a1.cond != nil:
		cond = and(a0.cond, a1.cond)
	case a0.cond != nil:
		cond = a0.cond
	default:
		cond = a1.cond
	}
	if cond != nil {
		b = and(cond, b)
	}
	return b
}
