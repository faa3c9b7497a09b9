package filter

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/net/bpf"
)

// DumpStyle selects one of tcpdump's program listings.
type DumpStyle int

// Listing styles.
const (
	DumpText  DumpStyle = 1 // tcpdump -d: one mnemonic per line
	DumpC     DumpStyle = 2 // tcpdump -dd: a C array of struct bpf_insn
	DumpDecim DumpStyle = 3 // tcpdump -ddd: the length, then decimal fields
)

// Dump renders prog exactly as tcpdump -d, -dd or -ddd prints a program,
// each line ending in a newline.
func Dump(prog []bpf.Instruction, style DumpStyle) (string, error) {
	raw, err := bpf.Assemble(prog)
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrProgram, err)
	}
	var b strings.Builder
	switch style {
	case DumpDecim:
		fmt.Fprintf(&b, "%d\n", len(raw))
		for _, r := range raw {
			fmt.Fprintf(&b, "%d %d %d %d\n", r.Op, r.Jt, r.Jf, r.K)
		}
	case DumpC:
		for _, r := range raw {
			fmt.Fprintf(&b, "{ 0x%x, %d, %d, 0x%08x },\n", r.Op, r.Jt, r.Jf, r.K)
		}
	default:
		for i, r := range raw {
			b.WriteString(image(r, i))
			b.WriteByte('\n')
		}
	}
	return b.String(), nil
}

// ParseDump reads a classic BPF program in the text forms tcpdump prints,
// the inverse of Dump's DumpDecim and DumpC styles:
// -ddd (a count line, then one "code jt jf k" line of decimal numbers per
// instruction) or -dd (one "{ 0x28, 0, 0, 0x0000000c }," line per
// instruction). Blank lines and lines starting with '#' are ignored. The
// program is checked with Validate; every error wraps ErrProgram.
func ParseDump(r io.Reader) ([]bpf.RawInstruction, error) {
	sc := bufio.NewScanner(r)
	var prog []bpf.RawInstruction
	count := -1
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		s = strings.TrimSuffix(s, ",")
		s = strings.TrimPrefix(s, "{")
		s = strings.TrimSuffix(s, "}")
		fields := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' })
		if len(fields) == 1 && count < 0 && len(prog) == 0 {
			n, err := strconv.ParseUint(fields[0], 0, 32)
			if err != nil {
				return nil, fmt.Errorf("%w: line %d: instruction count %q", ErrProgram, line, fields[0])
			}
			if n == 0 || n > maxProgramLen {
				return nil, fmt.Errorf("%w: line %d: instruction count %d not in 1..%d", ErrProgram, line, n, maxProgramLen)
			}
			count = int(n)
			continue
		}
		if len(fields) != 4 {
			return nil, fmt.Errorf("%w: line %d: want 4 numbers (code jt jf k), got %q", ErrProgram, line, sc.Text())
		}
		var v [4]uint64
		limits := [4]int{16, 8, 8, 32}
		for i, f := range fields {
			n, err := strconv.ParseUint(f, 0, limits[i])
			if err != nil {
				return nil, fmt.Errorf("%w: line %d: field %d %q: %v", ErrProgram, line, i+1, f, err)
			}
			v[i] = n
		}
		if len(prog) == maxProgramLen {
			return nil, fmt.Errorf("%w: more than %d instructions", ErrProgram, maxProgramLen)
		}
		prog = append(prog, bpf.RawInstruction{Op: uint16(v[0]), Jt: uint8(v[1]), Jf: uint8(v[2]), K: uint32(v[3])})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(prog) == 0 {
		return nil, fmt.Errorf("%w: no instructions", ErrProgram)
	}
	if count >= 0 && count != len(prog) {
		return nil, fmt.Errorf("%w: count line says %d instructions, found %d", ErrProgram, count, len(prog))
	}
	if err := Validate(prog); err != nil {
		return nil, err
	}
	return prog, nil
}

// ancillary names the Linux SKF_AD_* offsets as libpcap's bpf_image does.
var ancillary = map[uint32]string{
	0: "proto", 4: "type", 8: "ifidx", 12: "nla", 16: "nlan", 20: "mark", 24: "queue",
	28: "hatype", 32: "rxhash", 36: "cpu", 40: "xor_x", 44: "vlan_tci", 48: "vlanp",
	52: "poff", 56: "random", 60: "vlan_tpid",
}

const skfAdOff = 0xfffff000

func absOperand(k uint32) string {
	if k >= skfAdOff {
		if s, ok := ancillary[k-skfAdOff]; ok {
			return "[" + s + "]"
		}
	}
	return fmt.Sprintf("[%d]", int32(k))
}

// image formats one instruction as libpcap's bpf_image.
func image(p bpf.RawInstruction, n int) string {
	var op, operand string
	aluK := map[uint16]string{aluADD: "add", aluSUB: "sub", aluMUL: "mul", aluDIV: "div", aluMOD: "mod",
		aluAND: "and", aluOR: "or", aluXOR: "xor", aluLSH: "lsh", aluRSH: "rsh"}
	hexK := map[uint16]bool{aluAND: true, aluOR: true, aluXOR: true}
	switch {
	case p.Op == opRET|retK:
		op, operand = "ret", fmt.Sprintf("#%d", int32(p.K))
	case p.Op == opRET|retA:
		op = "ret"
	case p.Op == opLD|szW|mABS:
		op, operand = "ld", absOperand(p.K)
	case p.Op == opLD|szH|mABS:
		op, operand = "ldh", absOperand(p.K)
	case p.Op == opLD|szB|mABS:
		op, operand = "ldb", absOperand(p.K)
	case p.Op == opLD|szW|mLEN:
		op, operand = "ld", "#pktlen"
	case p.Op == opLD|szW|mIND:
		op, operand = "ld", fmt.Sprintf("[x + %d]", int32(p.K))
	case p.Op == opLD|szH|mIND:
		op, operand = "ldh", fmt.Sprintf("[x + %d]", int32(p.K))
	case p.Op == opLD|szB|mIND:
		op, operand = "ldb", fmt.Sprintf("[x + %d]", int32(p.K))
	case p.Op == opLD|mIMM:
		op, operand = "ld", fmt.Sprintf("#0x%x", p.K)
	case p.Op == opLDX|mIMM:
		op, operand = "ldx", fmt.Sprintf("#0x%x", p.K)
	case p.Op == opLDX|mMSH|szB:
		op, operand = "ldxb", fmt.Sprintf("4*([%d]&0xf)", int32(p.K))
	case p.Op == opLD|mMEM:
		op, operand = "ld", fmt.Sprintf("M[%d]", int32(p.K))
	case p.Op == opLDX|mMEM:
		op, operand = "ldx", fmt.Sprintf("M[%d]", int32(p.K))
	case p.Op == opST:
		op, operand = "st", fmt.Sprintf("M[%d]", int32(p.K))
	case p.Op == opSTX:
		op, operand = "stx", fmt.Sprintf("M[%d]", int32(p.K))
	case p.Op == opJMP|jmpJA:
		op, operand = "ja", fmt.Sprintf("%d", n+1+int(int32(p.K)))
	case p.Op == opJMP|jmpJGT|srcK:
		op, operand = "jgt", fmt.Sprintf("#0x%x", p.K)
	case p.Op == opJMP|jmpJGE|srcK:
		op, operand = "jge", fmt.Sprintf("#0x%x", p.K)
	case p.Op == opJMP|jmpJEQ|srcK:
		op, operand = "jeq", fmt.Sprintf("#0x%x", p.K)
	case p.Op == opJMP|jmpJSET|srcK:
		op, operand = "jset", fmt.Sprintf("#0x%x", p.K)
	case p.Op == opJMP|jmpJGT|srcX:
		op, operand = "jgt", "x"
	case p.Op == opJMP|jmpJGE|srcX:
		op, operand = "jge", "x"
	case p.Op == opJMP|jmpJEQ|srcX:
		op, operand = "jeq", "x"
	case p.Op == opJMP|jmpJSET|srcX:
		op, operand = "jset", "x"
	case p.Op == opALU|aluNEG:
		op = "neg"
	case p.Op == opMISC|miscTAX:
		op = "tax"
	case p.Op == opMISC|miscTXA:
		op = "txa"
	case p.Op&0x07 == opALU && aluK[p.Op&0xf0] != "" && p.Op&^0xf0 == opALU|srcX:
		op, operand = aluK[p.Op&0xf0], "x"
	case p.Op&0x07 == opALU && aluK[p.Op&0xf0] != "" && p.Op&^0xf0 == opALU|srcK:
		op = aluK[p.Op&0xf0]
		if hexK[p.Op&0xf0] {
			operand = fmt.Sprintf("#0x%x", p.K)
		} else {
			operand = fmt.Sprintf("#%d", int32(p.K))
		}
	default:
		op, operand = "unimp", fmt.Sprintf("0x%x", p.Op)
	}
	if p.Op&0x07 == opJMP && p.Op&0xf0 != jmpJA {
		return fmt.Sprintf("(%03d) %-8s %-16s jt %d\tjf %d", n, op, operand, n+1+int(p.Jt), n+1+int(p.Jf))
	}
	return fmt.Sprintf("(%03d) %-8s %s", n, op, operand)
}
