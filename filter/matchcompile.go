package filter

import (
	"encoding/binary"
	"math"

	"golang.org/x/net/bpf"
)

// This file turns a validated classic BPF program into a threaded form
// that Matcher.Run executes: one operation per instruction, indexed like
// the program, where an operation may do the work of several
// instructions ("superinstructions"), so that a packet costs one dispatch
// per operation on its path instead of one decode-and-dispatch per
// instruction. Closures calling closures were tried first and measured
// slower than this (an indirect call per step costs more than a jump
// table entry).
//
// What makes the common programs cheap:
//   - a load followed by a conditional jump on the loaded value is one
//     operation ("ldh [12]; jeq #0x800" is tcpdump's first test), and
//     tcpdump's port test "ldxb 4*([14]&0xf); ldh [x+14]; jeq #80" is one;
//   - bounds checks are hoisted: the first operation of a basic block
//     checks once that the packet holds every byte that the block's
//     absolute loads read, and a load inside the block checks nothing of
//     its own. That is exact, not an approximation: once a block starts,
//     each of its instructions runs unless an earlier one rejects the
//     packet, so a load past the end anywhere in the block means the
//     result is 0 whichever instruction produces it;
//   - jump offsets are resolved to operation indexes once.
//
// Semantics are libpcap's bpf_filter, as the interpreter this replaced:
// A and X start at 0, a load past the captured bytes or a division by
// X = 0 rejects the packet, shifts use the low five bits of the count,
// and "len" is the original length.

// opKind says what an operation does.
type opKind uint8

const (
	kReject opKind = iota // unknown opcode: reject
	kRetK
	kRetA
	kLdAbsB // A = P[k:1], after checking the block's need
	kLdAbsH
	kLdAbsW
	kLdAbsBJeq // A = P[k:1]; jump on A == v
	kLdAbsHJeq
	kLdAbsWJeq
	kLdAbsHJeq2 // A = P[k:2]; A == v: t; else A == v2: t2; else f2
	kLdAbsBJmp  // A = P[k:1]; jump on cond(A, v)
	kLdAbsHJmp
	kLdAbsWJmp
	kLdIndB // A = P[x+k:1]
	kLdIndH
	kLdIndW
	kLdIndHJmp    // A = P[x+k:2]; jump on cond(A, v)
	kMshLdIndHJmp // X = 4*(P[k2]&0xf); A = P[x+k:2]; jump on cond(A, v)
	kMsh          // X = 4*(P[k]&0xf)
	kLdLen
	kLdImm
	kLdxImm
	kLdMem
	kLdxMem
	kSt
	kStx
	kJa
	kJeqK
	kJmpK // jump on cond(A, v)
	kJmpX // jump on cond(A, X)
	kALUK // A = aluop(A, v)
	kALUX // A = aluop(A, X), rejecting a division by 0
	kNeg
	kTax
	kTxa
)

// operation is one step of the threaded program.
type operation struct {
	kind opKind
	cond uint16 // jump test (jmpJEQ...) or ALU operation (aluADD...)
	need uint32 // bytes the packet must hold when the operation runs; 0: none
	k    uint32 // load offset or constant
	k2   uint32 // second offset of a fused operation
	v    uint32 // value compared, or ALU operand
	t, f int32  // jump targets (operation indexes); t is the next one otherwise
	v2   uint32 // kLdAbsHJeq2: the second value compared
	t2   int32  // kLdAbsHJeq2: the second test's targets
	f2   int32
}

// compileProgram builds the threaded form of raw, which must have passed
// Validate. It also reports whether the program reads scratch memory.
func compileProgram(raw []bpf.RawInstruction) (ops []operation, readsMem bool) {
	leader := findLeaders(raw)
	ops = make([]operation, len(raw))
	var need uint64 // the current block's hoisted need
	for i := range raw {
		if leader[i] {
			need = blockNeed(raw, leader, i)
		}
		ops[i] = buildOperation(raw, leader, i)
		switch {
		case !leader[i]:
			ops[i].need = 0 // the leader checked
		case need > math.MaxUint32:
			ops[i] = operation{kind: kReject}
		default:
			ops[i].need = uint32(need)
		}
		if op := raw[i].Op; op&0x07 <= opLDX && op&0xe0 == mMEM {
			readsMem = true
		}
	}
	return ops, readsMem
}

// findLeaders marks the instructions that start a basic block.
func findLeaders(raw []bpf.RawInstruction) []bool {
	leader := make([]bool, len(raw))
	leader[0] = true
	for i, r := range raw {
		switch r.Op & 0x07 {
		case opRET:
			if i+1 < len(raw) {
				leader[i+1] = true
			}
		case opJMP:
			if i+1 < len(raw) {
				leader[i+1] = true
			}
			if r.Op&0xf0 == jmpJA {
				leader[i+1+int(r.K)] = true
			} else {
				leader[i+1+int(r.Jt)] = true
				leader[i+1+int(r.Jf)] = true
			}
		}
	}
	return leader
}

// blockNeed returns the packet length that the absolute loads of the
// block starting at i need.
func blockNeed(raw []bpf.RawInstruction, leader []bool, i int) uint64 {
	var need uint64
	for j := i; j < len(raw) && (j == i || !leader[j]); j++ {
		need = max(need, absoluteNeed(raw[j]))
	}
	return need
}

// absoluteNeed returns the packet length an absolute load needs, or 0 for
// any other instruction.
func absoluteNeed(r bpf.RawInstruction) uint64 {
	switch r.Op {
	case opLD | szW | mABS:
		return uint64(r.K) + 4
	case opLD | szH | mABS:
		return uint64(r.K) + 2
	case opLD | szB | mABS, opLDX | mMSH | szB:
		return uint64(r.K) + 1
	}
	return 0
}

// fusable reports whether instruction i+1 exists, runs only after i (it
// is not a jump target) and is a conditional jump on A against K.
func fusable(raw []bpf.RawInstruction, leader []bool, i int) bool {
	if i+1 >= len(raw) || leader[i+1] {
		return false
	}
	j := raw[i+1].Op
	return j&0x07 == opJMP && j&0xf0 != jmpJA && j&srcX == 0
}

// buildOperation returns the operation for instruction i, fused with
// the instructions after it where it can be.
func buildOperation(raw []bpf.RawInstruction, leader []bool, i int) operation {
	r := raw[i]
	next := int32(i + 1)
	o := operation{k: r.K, t: next}
	if fusable(raw, leader, i) {
		j := raw[i+1]
		fused := operation{k: r.K, cond: j.Op & 0xf0, v: j.K, t: int32(i + 2 + int(j.Jt)), f: int32(i + 2 + int(j.Jf))}
		if kind, ok := fusedLoadJump(r.Op, fused.cond); ok {
			fused.kind = kind
			if kind == kLdAbsHJeq {
				fuseSecondTest(raw, &fused)
			}
			return fused
		}
	}
	if r.Op == opLDX|mMSH|szB && i+2 < len(raw) && !leader[i+1] && raw[i+1].Op == opLD|szH|mIND && fusable(raw, leader, i+1) {
		j := raw[i+2]
		return operation{kind: kMshLdIndHJmp, k2: r.K, k: raw[i+1].K, cond: j.Op & 0xf0, v: j.K,
			t: int32(i + 3 + int(j.Jt)), f: int32(i + 3 + int(j.Jf))}
	}
	switch r.Op & 0x07 {
	case opRET:
		o.kind = kRetK
		if r.Op == opRET|retA {
			o.kind = kRetA
		}
	case opJMP:
		o.cond, o.v = r.Op&0xf0, r.K
		o.t, o.f = int32(i+1+int(r.Jt)), int32(i+1+int(r.Jf))
		switch {
		case o.cond == jmpJA:
			o.kind, o.t = kJa, int32(i+1+int(r.K))
		case r.Op&srcX != 0:
			o.kind = kJmpX
		case o.cond == jmpJEQ:
			o.kind = kJeqK
		default:
			o.kind = kJmpK
		}
	case opALU:
		o.cond, o.v = r.Op&0xf0, r.K
		switch {
		case o.cond == aluNEG:
			o.kind = kNeg
		case r.Op&srcX != 0:
			o.kind = kALUX
		default:
			o.kind = kALUK
		}
	default:
		o.kind = simpleKinds[r.Op]
	}
	return o
}

// fuseSecondTest folds into a load-and-compare the test its false
// branch goes to when that is a lone "jeq #v2" on the same A, as in
// tcpdump's "ldh [12]; jeq #0x86dd ...; jeq #0x800": a 2-way switch on
// the EtherType in one operation.
func fuseSecondTest(raw []bpf.RawInstruction, o *operation) {
	j := raw[o.f]
	if j.Op != opJMP|jmpJEQ|srcK {
		return
	}
	o.kind, o.v2 = kLdAbsHJeq2, j.K
	o.t2, o.f2 = o.f+1+int32(j.Jt), o.f+1+int32(j.Jf)
}

// fusedLoadJump returns the fused kind for a load opcode followed by a
// conditional jump with the test cond.
func fusedLoadJump(load, cond uint16) (opKind, bool) {
	eq := cond == jmpJEQ
	switch load {
	case opLD | szB | mABS:
		return pickKind(eq, kLdAbsBJeq, kLdAbsBJmp), true
	case opLD | szH | mABS:
		return pickKind(eq, kLdAbsHJeq, kLdAbsHJmp), true
	case opLD | szW | mABS:
		return pickKind(eq, kLdAbsWJeq, kLdAbsWJmp), true
	case opLD | szH | mIND:
		return kLdIndHJmp, true
	}
	return 0, false
}

func pickKind(c bool, t, f opKind) opKind {
	if c {
		return t
	}
	return f
}

// simpleKinds maps the opcodes of loads, stores and register moves to
// their operations; any other opcode maps to kReject.
var simpleKinds = map[uint16]opKind{
	opLD | szW | mABS: kLdAbsW, opLD | szH | mABS: kLdAbsH, opLD | szB | mABS: kLdAbsB,
	opLD | szW | mIND: kLdIndW, opLD | szH | mIND: kLdIndH, opLD | szB | mIND: kLdIndB,
	opLDX | mMSH | szB: kMsh, opLD | szW | mLEN: kLdLen,
	opLD | mIMM: kLdImm, opLDX | mIMM: kLdxImm, opLD | mMEM: kLdMem, opLDX | mMEM: kLdxMem,
	opST: kSt, opSTX: kStx, opMISC | miscTAX: kTax, opMISC | miscTXA: kTxa,
}

// runProgram executes ops over a packet.
func runProgram(ops []operation, d []byte, m *machine) uint32 {
	var a, x uint32
	n := uint32(len(d))
	pc := int32(0)
	for {
		o := &ops[pc]
		if n < o.need {
			return 0
		}
		pc++
		switch o.kind {
		case kRetK:
			return o.k
		case kRetA:
			return a
		case kLdAbsHJeq:
			a = uint32(binary.BigEndian.Uint16(d[o.k:]))
			pc = pickTarget(a == o.v, o.t, o.f)
		case kLdAbsHJeq2:
			a = uint32(binary.BigEndian.Uint16(d[o.k:]))
			switch a {
			case o.v:
				pc = o.t
			case o.v2:
				pc = o.t2
			default:
				pc = o.f2
			}
		case kLdAbsBJeq:
			a = uint32(d[o.k])
			pc = pickTarget(a == o.v, o.t, o.f)
		case kJeqK:
			pc = pickTarget(a == o.v, o.t, o.f)
		case kMshLdIndHJmp:
			x = uint32(d[o.k2]&0xf) << 2
			if o.k > n || x > n-o.k || n-(x+o.k) < 2 {
				return 0
			}
			a = uint32(binary.BigEndian.Uint16(d[x+o.k:]))
			pc = pickTarget(test(o.cond, a, o.v), o.t, o.f)
		case kLdIndHJmp:
			if o.k > n || x > n-o.k || n-(x+o.k) < 2 {
				return 0
			}
			a = uint32(binary.BigEndian.Uint16(d[x+o.k:]))
			pc = pickTarget(test(o.cond, a, o.v), o.t, o.f)
		case kLdAbsWJeq:
			a = binary.BigEndian.Uint32(d[o.k:])
			pc = pickTarget(a == o.v, o.t, o.f)
		case kLdAbsBJmp:
			a = uint32(d[o.k])
			pc = pickTarget(test(o.cond, a, o.v), o.t, o.f)
		case kLdAbsHJmp:
			a = uint32(binary.BigEndian.Uint16(d[o.k:]))
			pc = pickTarget(test(o.cond, a, o.v), o.t, o.f)
		case kLdAbsWJmp:
			a = binary.BigEndian.Uint32(d[o.k:])
			pc = pickTarget(test(o.cond, a, o.v), o.t, o.f)
		case kJmpK:
			pc = pickTarget(test(o.cond, a, o.v), o.t, o.f)
		case kJmpX:
			pc = pickTarget(test(o.cond, a, x), o.t, o.f)
		case kJa:
			pc = o.t
		default:
			var ok bool
			if a, x, ok = runSimple(o, d, a, x, m); !ok {
				return 0
			}
		}
	}
}

// runSimple executes the operations that neither jump nor return. It
// reports false when the operation rejects the packet.
func runSimple(o *operation, d []byte, a, x uint32, m *machine) (uint32, uint32, bool) {
	n := uint32(len(d))
	switch o.kind {
	case kLdAbsB:
		a = uint32(d[o.k])
	case kLdAbsH:
		a = uint32(binary.BigEndian.Uint16(d[o.k:]))
	case kLdAbsW:
		a = binary.BigEndian.Uint32(d[o.k:])
	case kMsh:
		x = uint32(d[o.k]&0xf) << 2
	case kLdIndB:
		if o.k >= n || x >= n-o.k {
			return 0, 0, false
		}
		a = uint32(d[x+o.k])
	case kLdIndH:
		if o.k > n || x > n-o.k || n-(x+o.k) < 2 {
			return 0, 0, false
		}
		a = uint32(binary.BigEndian.Uint16(d[x+o.k:]))
	case kLdIndW:
		if o.k > n || x > n-o.k || n-(x+o.k) < 4 {
			return 0, 0, false
		}
		a = binary.BigEndian.Uint32(d[x+o.k:])
	case kLdLen:
		a = m.wire
	case kLdImm:
		a = o.k
	case kLdxImm:
		x = o.k
	case kLdMem:
		a = m.mem[o.k&15]
	case kLdxMem:
		x = m.mem[o.k&15]
	case kSt:
		m.mem[o.k&15] = a
	case kStx:
		m.mem[o.k&15] = x
	case kALUK:
		a = alu(o.cond, a, o.v)
	case kALUX:
		if x == 0 && (o.cond == aluDIV || o.cond == aluMOD) {
			return 0, 0, false
		}
		a = alu(o.cond, a, x)
	case kNeg:
		a = -a
	case kTax:
		x = a
	case kTxa:
		a = x
	default:
		return 0, 0, false
	}
	return a, x, true
}

func pickTarget(c bool, t, f int32) int32 {
	if c {
		return t
	}
	return f
}

// test evaluates a conditional jump's test.
func test(cond uint16, a, v uint32) bool {
	switch cond {
	case jmpJEQ:
		return a == v
	case jmpJGT:
		return a > v
	case jmpJGE:
		return a >= v
	default: // jmpJSET
		return a&v != 0
	}
}

// alu applies an arithmetic operation; a division's divisor is not 0.
func alu(op uint16, a, v uint32) uint32 {
	switch op {
	case aluADD:
		return a + v
	case aluSUB:
		return a - v
	case aluMUL:
		return a * v
	case aluDIV:
		return a / v
	case aluMOD:
		return a % v
	case aluAND:
		return a & v
	case aluOR:
		return a | v
	case aluXOR:
		return a ^ v
	case aluLSH:
		return a << (v & 31)
	case aluRSH:
		return a >> (v & 31)
	}
	return a
}

// machine is the state of a run that does not live in registers.
type machine struct {
	mem  [memWords]uint32
	wire uint32 // original length, for "ld len"
}
