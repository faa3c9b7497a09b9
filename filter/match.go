package filter

import (
	"fmt"

	"golang.org/x/net/bpf"
)

// Matcher runs a classic BPF program over packets with libpcap's
// bpf_filter semantics: A and X start at 0, a load past the captured bytes
// or a division by zero rejects the packet, and "len" is the original
// length on the wire. NewMatcher compiles the program once into Go
// a threaded form of fused operations with hoisted bounds checks (see
// matchcompile.go), several times faster than an
// instruction-at-a-time interpreter such as x/net/bpf's VM (see
// BenchmarkMatch). Match does not allocate. A Matcher is not safe for
// concurrent use.
type Matcher struct {
	ops      []operation
	readsMem bool // the program loads scratch memory: clear it per packet
	m        machine
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
	ops, readsMem := compileProgram(raw)
	return &Matcher{ops: ops, readsMem: readsMem}, nil
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
// keep, 0 to reject. Scratch memory starts zeroed for every packet, so a
// program that reads a slot before storing it reads 0 (the kernel refuses
// such programs; x/net/bpf's VM reads 0 too).
func (m *Matcher) Run(data []byte, origLen int) uint32 {
	if m.readsMem {
		m.m.mem = [memWords]uint32{}
	}
	m.m.wire = uint32(origLen)
	return runProgram(m.ops, data, &m.m)
}
