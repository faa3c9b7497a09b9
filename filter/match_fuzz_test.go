package filter

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"

	"golang.org/x/net/bpf"

	"github.com/pcaptool/pcaptool/pkt"
)

// matcherOpcodes is every opcode the Matcher accepts.
var matcherOpcodes = []uint16{
	opRET | retK, opRET | retA,
	opLD | szW | mABS, opLD | szH | mABS, opLD | szB | mABS,
	opLD | szW | mIND, opLD | szH | mIND, opLD | szB | mIND,
	opLD | szW | mLEN, opLDX | mMSH | szB,
	opLD | mIMM, opLDX | mIMM, opLD | mMEM, opLDX | mMEM, opST, opSTX,
	opJMP | jmpJA,
	opJMP | jmpJEQ | srcK, opJMP | jmpJGT | srcK, opJMP | jmpJGE | srcK, opJMP | jmpJSET | srcK,
	opJMP | jmpJEQ | srcX, opJMP | jmpJGT | srcX, opJMP | jmpJGE | srcX, opJMP | jmpJSET | srcX,
	opALU | aluADD | srcK, opALU | aluSUB | srcK, opALU | aluMUL | srcK, opALU | aluDIV | srcK,
	opALU | aluMOD | srcK, opALU | aluAND | srcK, opALU | aluOR | srcK, opALU | aluXOR | srcK,
	opALU | aluLSH | srcK, opALU | aluRSH | srcK,
	opALU | aluADD | srcX, opALU | aluSUB | srcX, opALU | aluMUL | srcX, opALU | aluDIV | srcX,
	opALU | aluMOD | srcX, opALU | aluAND | srcX, opALU | aluOR | srcX, opALU | aluXOR | srcX,
	opALU | aluLSH | srcX, opALU | aluRSH | srcX, opALU | aluNEG,
	opMISC | miscTAX, opMISC | miscTXA,
}

// programFromBytes decodes a valid program from fuzz input, 4 bytes an
// instruction: opcode, jump offsets and a constant that is usually a
// small packet offset, so that loads hit and miss the packet's end.
func programFromBytes(b []byte) []bpf.RawInstruction {
	var prog []bpf.RawInstruction
	for len(b) >= 4 && len(prog) < 64 {
		op := matcherOpcodes[int(b[0])%len(matcherOpcodes)]
		k := uint32(b[3])
		switch b[2] >> 6 {
		case 1:
			k = uint32(b[2]&0x3f)<<8 | k
		case 2:
			k = binary.BigEndian.Uint32([]byte{b[2] & 0x3f, b[3], b[1], b[0]}) // wide constants
		}
		prog = append(prog, bpf.RawInstruction{Op: op, Jt: b[1] & 7, Jf: b[1] >> 5, K: k})
		b = b[4:]
	}
	prog = append(prog, bpf.RawInstruction{Op: opRET | retA})
	for i := range prog {
		fixInstruction(&prog[i], len(prog)-i-1)
	}
	return prog
}

// fixInstruction makes an instruction valid where left instructions
// follow it: jumps in range, scratch slots below 16, constant divisors
// not 0, constant shifts below 32.
func fixInstruction(r *bpf.RawInstruction, left int) {
	switch r.Op & 0x07 {
	case opJMP:
		if left == 0 {
			r.Op = opRET | retK
			return
		}
		r.Jt %= uint8(min(left, 255))
		r.Jf %= uint8(min(left, 255))
		if r.Op&0xf0 == jmpJA {
			r.K %= uint32(left)
		}
	case opLD, opLDX:
		if r.Op&0xe0 == mMEM {
			r.K &= 15
		}
		if r.Op&0xe0 == mABS || r.Op&0xe0 == mIND || r.Op&0xe0 == mMSH {
			r.K &= 0xffff // above 0xfffff000 are Linux extensions
		}
	case opST, opSTX:
		r.K &= 15
	case opALU:
		switch r.Op & 0xf0 {
		case aluDIV, aluMOD:
			if r.Op&srcX == 0 && r.K == 0 {
				r.K = 1
			}
		case aluLSH, aluRSH:
			if r.Op&srcX == 0 {
				r.K &= 31
			}
		}
	}
}

// vmComparable reports whether x/net/bpf's VM should agree with the
// Matcher on prog: the VM does not implement "neg", and shifts by X of
// 32 or more give 0 in Go where libpcap's semantics (ours) use the low
// five bits.
func vmComparable(prog []bpf.RawInstruction) bool {
	for _, r := range prog {
		if r.Op == opALU|aluNEG || r.Op == opALU|aluLSH|srcX || r.Op == opALU|aluRSH|srcX {
			return false
		}
	}
	return true
}

// checkAgainstReferences runs prog over pkt in the compiled Matcher, the
// reference interpreter and (where comparable) x/net/bpf's VM.
func checkAgainstReferences(t *testing.T, prog []bpf.RawInstruction, pkt []byte) {
	t.Helper()
	if err := Validate(prog); err != nil {
		t.Fatalf("generated an invalid program: %v", err)
	}
	insns, ok := bpf.Disassemble(prog)
	if !ok {
		t.Fatalf("program does not disassemble")
	}
	m, err := NewMatcher(insns)
	if err != nil {
		t.Fatal(err)
	}
	var vm *bpf.VM
	if vmComparable(prog) {
		if vm, err = bpf.NewVM(insns); err != nil {
			t.Fatalf("VM refuses the program: %v", err)
		}
	}
	for _, cut := range []int{len(pkt), len(pkt) / 2, 1, 0} {
		p := pkt[:cut]
		got := m.Run(p, len(p))
		if want := interpret(prog, p, len(p)); got != want {
			t.Fatalf("packet of %d bytes: compiled %d, interpreter %d\n%s", cut, got, want, dumpProgram(prog))
		}
		if vm == nil {
			continue
		}
		want, err := vm.Run(p)
		if err != nil {
			t.Fatal(err)
		}
		if int(got) != want {
			t.Fatalf("packet of %d bytes: compiled %d, x/net/bpf VM %d\n%s", cut, got, want, dumpProgram(prog))
		}
	}
}

func dumpProgram(prog []bpf.RawInstruction) string {
	s := ""
	for i, r := range prog {
		s += image(r, i) + "\n"
	}
	return s
}

// FuzzMatcherDifferential runs random programs over random packets in the
// compiled Matcher, the interpreter it replaced and x/net/bpf's VM.
func FuzzMatcherDifferential(f *testing.F) {
	f.Add([]byte{0x02, 0, 0, 12, 0x12, 0x21, 0, 0x08}, []byte{12: 8, 13: 0, 30: 1})
	f.Add([]byte{0x0a, 0, 0, 14, 0x06, 0, 0, 14, 0x12, 0x10, 0x40, 0x50}, make([]byte, 60))
	f.Fuzz(func(t *testing.T, code, pkt []byte) {
		checkAgainstReferences(t, programFromBytes(code), pkt)
	})
}

// TestMatcherRandomPrograms is the fuzz target's check over a fixed set
// of pseudo-random programs, packets of Ethernet-like headers, for every
// test run.
func TestMatcherRandomPrograms(t *testing.T) {
	rng := rand.New(rand.NewPCG(20, 20))
	n := 5000
	if testing.Short() {
		n = 500
	}
	code := make([]byte, 4*40)
	for range n {
		for i := range code {
			code[i] = byte(rng.Uint32())
			if i%4 == 3 && rng.IntN(2) == 0 {
				code[i] %= 80
			}
		}
		pkts := benchPackets(12) // IPv4 TCP and UDP, to port 80 or not
		pkt := pkts[rng.IntN(len(pkts))]
		for range rng.IntN(4) {
			pkt[rng.IntN(len(pkt))] = byte(rng.Uint32())
		}
		checkAgainstReferences(t, programFromBytes(code[:4*(1+rng.IntN(40))]), pkt)
	}
}

// TestMatcherAgreesWithInterpreter runs compiled filters of the oracle
// expressions over generated packets, cut at every length, in the
// compiled Matcher and the reference interpreter.
func TestMatcherAgreesWithInterpreter(t *testing.T) {
	pkts := benchPackets(16)
	for _, e := range []string{benchExpr, "tcp port 80", "udp or icmp", "ip[0] & 0xf != 5", "len > 60",
		"tcp[tcp[0]&7] = 0", "ip[1] / ip[9] = 0", "ip6 or arp", "ip[2:2] << ip[9] > 7", "vlan and tcp"} {
		prog, err := Compile(e, 1, pkt.DefaultSnapLen)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := bpf.Assemble(prog)
		for _, p := range pkts {
			for cut := range len(p) + 1 {
				checkAgainstReferences(t, raw, p[:cut])
			}
		}
	}
}
