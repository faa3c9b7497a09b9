package filter

import (
	"encoding/binary"

	"golang.org/x/net/bpf"
)

// interpret is the instruction-at-a-time interpreter that the compiled
// Matcher replaced, kept as the reference the compiled form must agree
// with. Scratch memory starts zeroed, as Matcher.Run's does.
func interpret(raw []bpf.RawInstruction, data []byte, origLen int) uint32 {
	var a, x uint32
	var mem [memWords]uint32
	n := uint32(len(data))
	for pc := 0; pc < len(raw); pc++ {
		in := &raw[pc]
		switch in.Op {
		case opRET | retK:
			return in.K
		case opRET | retA:
			return a
		case opLD | szW | mABS:
			k := in.K
			if k > n || n-k < 4 {
				return 0
			}
			a = binary.BigEndian.Uint32(data[k:])
		case opLD | szH | mABS:
			k := in.K
			if k > n || n-k < 2 {
				return 0
			}
			a = uint32(binary.BigEndian.Uint16(data[k:]))
		case opLD | szB | mABS:
			if in.K >= n {
				return 0
			}
			a = uint32(data[in.K])
		case opLD | szW | mLEN:
			a = uint32(origLen)
		case opLDX | szW | mLEN:
			x = uint32(origLen)
		case opLD | szW | mIND:
			k := x + in.K
			if in.K > n || x > n-in.K || n-k < 4 {
				return 0
			}
			a = binary.BigEndian.Uint32(data[k:])
		case opLD | szH | mIND:
			k := x + in.K
			if in.K > n || x > n-in.K || n-k < 2 {
				return 0
			}
			a = uint32(binary.BigEndian.Uint16(data[k:]))
		case opLD | szB | mIND:
			k := x + in.K
			if in.K >= n || x >= n-in.K {
				return 0
			}
			a = uint32(data[k])
		case opLDX | mMSH | szB:
			if in.K >= n {
				return 0
			}
			x = uint32(data[in.K]&0xf) << 2
		case opLD | mIMM:
			a = in.K
		case opLDX | mIMM:
			x = in.K
		case opLD | mMEM:
			a = mem[in.K&15]
		case opLDX | mMEM:
			x = mem[in.K&15]
		case opST:
			mem[in.K&15] = a
		case opSTX:
			mem[in.K&15] = x
		case opJMP | jmpJA:
			pc += int(in.K)
		case opJMP | jmpJGT | srcK:
			pc += int(pick(a > in.K, in.Jt, in.Jf))
		case opJMP | jmpJGE | srcK:
			pc += int(pick(a >= in.K, in.Jt, in.Jf))
		case opJMP | jmpJEQ | srcK:
			pc += int(pick(a == in.K, in.Jt, in.Jf))
		case opJMP | jmpJSET | srcK:
			pc += int(pick(a&in.K != 0, in.Jt, in.Jf))
		case opJMP | jmpJGT | srcX:
			pc += int(pick(a > x, in.Jt, in.Jf))
		case opJMP | jmpJGE | srcX:
			pc += int(pick(a >= x, in.Jt, in.Jf))
		case opJMP | jmpJEQ | srcX:
			pc += int(pick(a == x, in.Jt, in.Jf))
		case opJMP | jmpJSET | srcX:
			pc += int(pick(a&x != 0, in.Jt, in.Jf))
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
			a += in.K
		case opALU | aluSUB | srcK:
			a -= in.K
		case opALU | aluMUL | srcK:
			a *= in.K
		case opALU | aluDIV | srcK:
			a /= in.K
		case opALU | aluMOD | srcK:
			a %= in.K
		case opALU | aluAND | srcK:
			a &= in.K
		case opALU | aluOR | srcK:
			a |= in.K
		case opALU | aluXOR | srcK:
			a ^= in.K
		case opALU | aluLSH | srcK:
			a <<= in.K & 31
		case opALU | aluRSH | srcK:
			a >>= in.K & 31
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
