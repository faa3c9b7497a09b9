package filter

import (
	"fmt"

	"golang.org/x/net/bpf"
)

// layout orders blocks as libpcap's icode_to_fcode does: each block
// before the code of its true branch, which comes before that of its
// false branch.
func layout(root *block) []*block {
	var post []*block
	seen := map[*block]bool{}
	var visit func(b *block)
	visit = func(b *block) {
		if seen[b] {
			return
		}
		seen[b] = true
		if !b.ret {
			visit(b.jf)
			visit(b.jt)
		}
		post = append(post, b)
	}
	visit(root)
	for i, j := 0, len(post)-1; i < j; i, j = i+1, j-1 {
		post[i], post[j] = post[j], post[i]
	}
	return post
}

// emit linearizes the block graph into instructions, adding an
// unconditional jump where a branch is too far for an 8-bit offset.
func emit(root *block) ([]bpf.Instruction, error) {
	blocks := layout(root)
	// An unconditional block (both branches alike) falls through to the
	// next block in the layout or ends with a ja.
	fallsThrough := map[*block]bool{}
	uncond := func(b *block) bool { return !b.ret && b.jt == b.jf }
	for i, b := range blocks {
		if uncond(b) && i+1 < len(blocks) && blocks[i+1] == b.jt {
			fallsThrough[b] = true
		}
	}
	longT := map[*block]bool{}
	longF := map[*block]bool{}
	var start map[*block]int
	var jumpAt map[*block]int
	for {
		start = map[*block]int{}
		jumpAt = map[*block]int{}
		pc := 0
		for _, b := range blocks {
			start[b] = pc
			pc += len(b.stmts)
			jumpAt[b] = pc
			if !fallsThrough[b] {
				pc++
			}
			if longT[b] {
				pc++
			}
			if longF[b] {
				pc++
			}
		}
		grew := false
		for _, b := range blocks {
			if b.ret || uncond(b) {
				continue
			}
			if !longT[b] && start[b.jt]-jumpAt[b]-1 > 255 {
				longT[b], grew = true, true
			}
			if !longF[b] && start[b.jf]-jumpAt[b]-1 > 255 {
				longF[b], grew = true, true
			}
		}
		if !grew {
			break
		}
	}
	var raw []bpf.RawInstruction
	for _, b := range blocks {
		raw = append(raw, b.stmts...)
		if b.ret {
			raw = append(raw, bpf.RawInstruction{Op: b.retOp, K: b.retK})
			continue
		}
		pc := len(raw)
		if uncond(b) {
			if !fallsThrough[b] {
				raw = append(raw, bpf.RawInstruction{Op: opJMP | jmpJA, K: uint32(start[b.jt] - pc - 1)})
			}
			continue
		}
		ins := bpf.RawInstruction{Op: b.jop, K: b.k}
		extra := 0
		var tail []bpf.RawInstruction
		if longT[b] {
			ins.Jt = 0
			extra++
			tail = append(tail, bpf.RawInstruction{Op: opJMP | jmpJA})
		} else {
			ins.Jt = uint8(start[b.jt] - pc - 1)
		}
		if longF[b] {
			ins.Jf = uint8(extra)
			tail = append(tail, bpf.RawInstruction{Op: opJMP | jmpJA})
		} else {
			off := start[b.jf] - pc - 1
			if off > 255 {
				return nil, fmt.Errorf("%w: branch offset %d", ErrProgram, off)
			}
			ins.Jf = uint8(off)
		}
		raw = append(raw, ins)
		for i := range tail {
			here := len(raw)
			target := b.jt
			if !longT[b] || i == 1 {
				target = b.jf
			}
			tail[i].K = uint32(start[target] - here - 1)
			raw = append(raw, tail[i])
		}
	}
	prog := make([]bpf.Instruction, len(raw))
	for i, r := range raw {
		prog[i] = r.Disassemble()
	}
	if _, err := bpf.Assemble(prog); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrProgram, err)
	}
	return prog, nil
}
