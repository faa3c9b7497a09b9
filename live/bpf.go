package live

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"golang.org/x/net/bpf"
)

// maxBPFLen is the kernel's BPF_MAXINSNS.
const maxBPFLen = 4096

// ParseBPF reads a classic BPF program in the text forms tcpdump prints:
// -ddd (a count line, then one "code jt jf k" line of decimal numbers per
// instruction) or -dd (one "{ 0x28, 0, 0, 0x0000000c }," line per
// instruction). Blank lines and lines starting with '#' are ignored.
func ParseBPF(r io.Reader) ([]bpf.RawInstruction, error) {
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
				return nil, fmt.Errorf("%w: line %d: instruction count %q", ErrBPF, line, fields[0])
			}
			if n == 0 || n > maxBPFLen {
				return nil, fmt.Errorf("%w: line %d: instruction count %d not in 1..%d", ErrBPF, line, n, maxBPFLen)
			}
			count = int(n)
			continue
		}
		if len(fields) != 4 {
			return nil, fmt.Errorf("%w: line %d: want 4 numbers (code jt jf k), got %q", ErrBPF, line, sc.Text())
		}
		var v [4]uint64
		limits := [4]int{16, 8, 8, 32}
		for i, f := range fields {
			n, err := strconv.ParseUint(f, 0, limits[i])
			if err != nil {
				return nil, fmt.Errorf("%w: line %d: field %d %q: %v", ErrBPF, line, i+1, f, err)
			}
			v[i] = n
		}
		if len(prog) == maxBPFLen {
			return nil, fmt.Errorf("%w: more than %d instructions", ErrBPF, maxBPFLen)
		}
		prog = append(prog, bpf.RawInstruction{Op: uint16(v[0]), Jt: uint8(v[1]), Jf: uint8(v[2]), K: uint32(v[3])})
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(prog) == 0 {
		return nil, fmt.Errorf("%w: no instructions", ErrBPF)
	}
	if count >= 0 && count != len(prog) {
		return nil, fmt.Errorf("%w: count line says %d instructions, found %d", ErrBPF, count, len(prog))
	}
	if err := ValidateBPF(prog); err != nil {
		return nil, err
	}
	return prog, nil
}

// ValidateBPF checks what the kernel would reject with a bare EINVAL: jumps
// out of the program, and a program that does not end in a return.
func ValidateBPF(prog []bpf.RawInstruction) error {
	if len(prog) == 0 || len(prog) > maxBPFLen {
		return fmt.Errorf("%w: %d instructions (want 1..%d)", ErrBPF, len(prog), maxBPFLen)
	}
	const (
		classMask = 0x07
		classJmp  = 0x05
		classRet  = 0x06
		opMask    = 0xf0
		opJA      = 0x00
	)
	for i, ins := range prog {
		if ins.Op&classMask != classJmp {
			continue
		}
		var far []int
		if ins.Op&opMask == opJA {
			far = []int{int(ins.K)}
		} else {
			far = []int{int(ins.Jt), int(ins.Jf)}
		}
		for _, off := range far {
			if i+1+off >= len(prog) || off < 0 {
				return fmt.Errorf("%w: instruction %d jumps past the end", ErrBPF, i)
			}
		}
	}
	if prog[len(prog)-1].Op&classMask != classRet {
		return fmt.Errorf("%w: last instruction is not a return", ErrBPF)
	}
	return nil
}

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
