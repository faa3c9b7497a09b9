package filter

import (
	"encoding/binary"
	"fmt"

	"golang.org/x/net/bpf"
)

// Matcher runs a classic BPF program over packets. It is a small
// interpreter of its own, measured faster than x/net/bpf's VM (see
// BenchmarkMatch), with libpcap's bpf_filter semantics: A and X start at
// 0, a load past the captured bytes or a division by zero rejects the
// packet, and "len" is the original length on the wire. It does not
// allocate per packet. A Matcher is not safe for concurrent use.
type Matcher struct {
	insns []minsn
	mem   [memWords]uint32
}

// minsn is a pre-decoded instruction.
type minsn struct {
	op     uint16
	jt, jf uint8
	k      uint32
}

// NewMatcher validates prog and prepares it for Match.
func NewMatcher(prog []bpf.Instruction) (*Matcher, error) {
	raw, err := bpf.Assemble(prog)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrProgram, err)
	}
	if err := Validate(raw); err != nil {
		return nil, err
	}
	m := &Matcher{insns: make([]minsn, len(raw))}
	for i, r := range raw {
		m.insns[i] = minsn{op: r.Op, jt: r.Jt, jf: r.Jf, k: r.K}
	}
	return m, nil
}

// maxProgramLen is the kernel's BPF_MAXINSNS.
const maxProgramLen = 4096

// Validate checks what the kernel's classic BPF checker checks: a
// non-empty program of at most 4096 known instructions, jumps that stay
// inside it, scratch memory indexes below 16, no constant division by
// zero, and a return as the last instruction. It is the one validator of
// the module: live capture checks programs with it before attaching them.
// Errors wrap ErrProgram.

func Validate(raw []bpf.RawInstruction) error {
	if len(raw) == 0 || len(raw) > maxProgramLen {
		return fmt.Errorf("%w: %d instructions (want 1..%d)", ErrProgram, len(raw), maxProgramLen)
	}
	for i, r := range raw {
		bad := func(why string) error {
			return fmt.Errorf("%w: instruction %d (%s): %s", ErrProgram, i, image(r, i), why)
		}
		switch r.Op & 0x07 {
		case opLD, opLDX:
			if r.Op&0xe0 == mMEM && r.K >= memWords {
				return bad("scratch memory index out of range")
			}
		case opST, opSTX:
			if r.K >= memWords {
				return bad("scratch memory index out of range")
			}
		case opALU:
			if (r.Op&0xf0 == aluDIV || r.Op&0xf0 == aluMOD) && r.Op&srcX == 0 && r.K == 0 {
				return bad("division by zero")
			}
		case opJMP:
			if r.Op&0xf0 == jmpJA {
				if uint64(i)+1+uint64(r.K) >= uint64(len(raw)) {
					return bad("jump out of range")
				}
			} else if i+1+int(r.Jt) >= len(raw) || i+1+int(r.Jf) >= len(raw) {
				return bad("jump out of range")
			}
		}
		if image(r, i)[6:11] == "unimp" {
			return bad("unknown opcode")
		}
	}
	if last := raw[len(raw)-1]; last.Op&0x07 != opRET {
		return fmt.Errorf("%w: last instruction is not a return", ErrProgram)
	}
	return nil
}

// Match reports whether the program accepts a packet whose captured
// bytes are data and whose original length was origLen.
func (m *Matcher) Match(data []byte, origLen int) bool { return m.Run(data, origLen) != 0 }

// Run returns the program's result for a packet: the number of bytes to
// keep, 0 to reject.
func (m *Matcher) Run(data []byte, origLen int) uint32 {
	var a, x uint32
	n := uint32(len(data))
	insns := m.insns
	for pc := 0; pc < len(insns); pc++ {
		in := &insns[pc]
		switch in.op {
		case opRET | retK:
			return in.k
		case opRET | retA:
			return a
		case opLD | szW | mABS:
			k := in.k
			if k > n || n-k < 4 {
				return 0
			}
			a = binary.BigEndian.Uint32(data[k:])
		case opLD | szH | mABS:
			k := in.k
			if k > n || n-k < 2 {
				return 0
			}
			a = uint32(binary.BigEndian.Uint16(data[k:]))
		case opLD | szB | mABS:
			if in.k >= n {
				return 0
			}
			a = uint32(data[in.k])
		case opLD | szW | mLEN:
			a = uint32(origLen)
		case opLDX | szW | mLEN:
			x = uint32(origLen)
		case opLD | szW | mIND:
			k := x + in.k
			if in.k > n || x > n-in.k || n-k < 4 {
				return 0
			}
			a = binary.BigEndian.Uint32(data[k:])
		case opLD | szH | mIND:
			k := x + in.k
			if in.k > n || x > n-in.k || n-k < 2 {
				return 0
			}
			a = uint32(binary.BigEndian.Uint16(data[k:]))
		case opLD | szB | mIND:
			k := x + in.k
			if in.k >= n || x >= n-in.k {
				return 0
			}
			a = uint32(data[k])
		case opLDX | mMSH | szB:
			if in.k >= n {
				return 0
			}
			x = uint32(data[in.k]&0xf) << 2
		case opLD | mIMM:
			a = in.k
		case opLDX | mIMM:
			x = in.k
		case opLD | mMEM:
			a = m.mem[in.k&15]
		case opLDX | mMEM:
			x = m.mem[in.k&15]
		case opST:
			m.mem[in.k&15] = a
		case opSTX:
			m.mem[in.k&15] = x
		case opJMP | jmpJA:
			pc += int(in.k)
		case opJMP | jmpJGT | srcK:
			pc += int(pick(a > in.k, in.jt, in.jf))
		case opJMP | jmpJGE | srcK:
			pc += int(pick(a >= in.k, in.jt, in.jf))
		case opJMP | jmpJEQ | srcK:
			pc += int(pick(a == in.k, in.jt, in.jf))
		case opJMP | jmpJSET | srcK:
			pc += int(pick(a&in.k != 0, in.jt, in.jf))
		case opJMP | jmpJGT | srcX:
			pc += int(pick(a > x, in.jt, in.jf))
		case opJMP | jmpJGE | srcX:
			pc += int(pick(a >= x, in.jt, in.jf))
		case opJMP | jmpJEQ | srcX:
			pc += int(pick(a == x, in.jt, in.jf))
		case opJMP | jmpJSET | srcX:
			pc += int(pick(a&x != 0, in.jt, in.jf))
		case opALU | aluADD | srcX:
			a += x
		case opALU | aluSUB | srcX:
			a -= x
		case opALU | aluMUL | srcX:
			a *= x
		case opALU | aluDIV | srcX:
			if x == 0 {
				return 0
			}
			a /= x
		case opALU | aluMOD | srcX:
			if x == 0 {
				return 0
			}
			a %= x
		case opALU | aluAND | srcX:
			a &= x
		case opALU | aluOR | srcX:
			a |= x
		case opALU | aluXOR | srcX:
			a ^= x
		case opALU | aluLSH | srcX:
			a <<= x & 31
		case opALU | aluRSH | srcX:
			a >>= x & 31
		case opALU | aluADD | srcK:
			a += in.k
		case opALU | aluSUB | srcK:
			a -= in.k
		case opALU | aluMUL | srcK:
			a *= in.k
		case opALU | aluDIV | srcK:
			a /= in.k
		case opALU | aluMOD | srcK:
			a %= in.k
		case opALU | aluAND | srcK:
			a &= in.k
		case opALU | aluOR | srcK:
			a |= in.k
		case opALU | aluXOR | srcK:
			a ^= in.k
		case opALU | aluLSH | srcK:
			a <<= in.k & 31
		case opALU | aluRSH | srcK:
			a >>= in.k & 31
		case opALU | aluNEG:
			a = -a
		case opMISC | miscTAX:
			x = a
		case opMISC | miscTXA:
			a = x
		default:
			return 0
		}
	}
	return 0
}

func pick(c bool, t, f uint8) uint8 {
	if c {
		return t
	}
	return f
}
