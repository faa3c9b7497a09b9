package filter

import (
	"math"
	"slices"

	"golang.org/x/net/bpf"
)

// The optimizer works on the block graph: value numbering gives every
// computed value an identity (a packet load is the same value wherever
// it happens), facts about values are carried along edges, and a jump
// whose outcome the facts decide is threaded past the test. Then loads of
// values already in a register and statements whose results are never
// used are deleted, and identical blocks are merged.

type vn int32

type vkind uint8

const (
	vConst vkind = iota
	vLoad        // packet load: op, k, a (X's value for indirect loads)
	vLen
	vALU     // op, a, b
	vUnknown // a value nothing is known about: k is a serial number
	vUndef   // uninitialized scratch memory
)

type vexpr struct {
	kind vkind
	op   uint16
	k    uint32
	a, b vn
}

type vtab struct {
	ids     map[vexpr]vn
	exprs   []vexpr
	serial  uint32
	undefVN vn
}

func newVtab() *vtab {
	t := &vtab{ids: map[vexpr]vn{}}
	t.undefVN = t.get(vexpr{kind: vUndef})
	return t
}

func (t *vtab) get(e vexpr) vn {
	if v, ok := t.ids[e]; ok {
		return v
	}
	v := vn(len(t.exprs))
	t.exprs = append(t.exprs, e)
	t.ids[e] = v
	return v
}

func (t *vtab) konst(k uint32) vn { return t.get(vexpr{kind: vConst, k: k}) }

func (t *vtab) fresh() vn {
	t.serial++
	return t.get(vexpr{kind: vUnknown, k: t.serial})
}

func (t *vtab) constOf(v vn) (uint32, bool) {
	e := t.exprs[v]
	return e.k, e.kind == vConst
}

// regs is the value of every register.
type regs struct {
	a, x vn
	m    [memWords]vn
}

// fact is what is known about a value: a range, values it is not, and
// bits known to be set or clear.
type fact struct {
	lo, hi      uint32
	ne          []uint32
	ones, zeros uint32
	// anySet lists masks m for which v&m != 0 is known.
	anySet []uint32
}

type facts map[vn]fact

func (f facts) get(v vn) fact {
	if x, ok := f[v]; ok {
		return x
	}
	return fact{lo: 0, hi: math.MaxUint32}
}

// clone returns a deep copy of f, adding what it copied to *work.
func (f facts) clone(work *int) facts {
	out := make(facts, len(f)+1)
	n := len(f) + 1
	for k, v := range f {
		v.ne = slices.Clone(v.ne)
		v.anySet = slices.Clone(v.anySet)
		n += len(v.ne) + len(v.anySet)
		out[k] = v
	}
	*work += n
	return out
}

// maxFactValues bounds the values a fact lists as excluded (ne) or as
// having some bit set (anySet): a chain of "host a or host b or ..." would
// otherwise make every copy of the facts grow with the chain. Forgetting
// is sound; it only decides fewer tests.
const maxFactValues = 64

// eval decides a test from what is known, reporting ok=false when it
// cannot.
func (ft fact) eval(jt uint16, k uint32) (result, ok bool) {
	switch jt {
	case jmpJEQ:
		if ft.lo == ft.hi {
			return ft.lo == k, true
		}
		if k < ft.lo || k > ft.hi || slices.Contains(ft.ne, k) || k&ft.zeros != 0 || ^k&ft.ones != 0 {
			return false, true
		}
	case jmpJGT:
		if ft.lo > k {
			return true, true
		}
		if ft.hi <= k {
			return false, true
		}
	case jmpJGE:
		if ft.lo >= k {
			return true, true
		}
		if ft.hi < k {
			return false, true
		}
	case jmpJSET:
		if ft.lo == ft.hi {
			return ft.lo&k != 0, true
		}
		if k&ft.ones != 0 {
			return true, true
		}
		for _, m := range ft.anySet {
			if m&^k == 0 {
				return true, true
			}
		}
		if k&ft.zeros == k {
			return false, true
		}
	}
	return false, false
}

func (ft fact) add(jt uint16, k uint32, outcome bool) fact {
	switch {
	case jt == jmpJEQ && outcome:
		ft.lo, ft.hi, ft.ones, ft.zeros = k, k, k, ^k
	case jt == jmpJEQ:
		if len(ft.ne) < maxFactValues {
			ft.ne = append(slices.Clone(ft.ne), k)
		}
	case jt == jmpJGT && outcome:
		if k < math.MaxUint32 {
			ft.lo = max(ft.lo, k+1)
		}
	case jt == jmpJGT:
		ft.hi = min(ft.hi, k)
	case jt == jmpJGE && outcome:
		ft.lo = max(ft.lo, k)
	case jt == jmpJGE:
		if k > 0 {
			ft.hi = min(ft.hi, k-1)
		}
	case jt == jmpJSET && outcome:
		if k != 0 && k&(k-1) == 0 {
			ft.ones |= k
		} else if len(ft.anySet) < maxFactValues {
			ft.anySet = append(slices.Clone(ft.anySet), k)
		}
	case jt == jmpJSET:
		ft.zeros |= k
	}
	return ft
}

func meetFact(a, b fact) fact {
	out := fact{lo: min(a.lo, b.lo), hi: max(a.hi, b.hi), ones: a.ones & b.ones, zeros: a.zeros & b.zeros}
	for _, v := range a.ne {
		if slices.Contains(b.ne, v) || v < b.lo || v > b.hi {
			out.ne = append(out.ne, v)
		}
	}
	for _, v := range b.ne {
		if (v < a.lo || v > a.hi) && !slices.Contains(out.ne, v) {
			out.ne = append(out.ne, v)
		}
	}
	for _, m := range a.anySet {
		if slices.Contains(b.anySet, m) {
			out.anySet = append(out.anySet, m)
		}
	}
	return out
}

// state is what holds on entry to a block or along an edge.
type state struct {
	r     regs
	facts facts
}

// MaxBlocks bounds the code an expression may generate before
// optimization; beyond it Compile fails with ErrTooComplex. It allows
// "host a or host b or ..." with seven thousand hosts, whose program is far
// beyond the 4096 instructions a kernel or Matcher accepts; it bounds the
// optimizer's time and memory (about a second and 100 MB at the limit).
const MaxBlocks = 1 << 16

// optimizeBudget bounds the facts the optimizer copies along edges (its
// cost grows with blocks times facts, so quadratically with the size of
// the expression). When it is spent, jump threading stops where it is:
// every change made so far is sound, and the program is correct, only
// less optimized than libpcap would make it. Expressions of a few hundred
// primitives stay well within it.
const optimizeBudget = 8 << 20

type optimizer struct {
	vt *vtab
	// work counts fact entries copied; see optimizeBudget.
	work int
}

func (o *optimizer) exhausted() bool { return o.work > optimizeBudget }

// simulate runs a block's statements symbolically from in, returning the
// registers after them and the value numbers the test compares.
func (o *optimizer) simulate(b *block, in regs) (out regs, testA, testX vn) {
	r := in
	for _, s := range b.stmts {
		o.step(&r, s)
	}
	return r, r.a, r.x
}

func (o *optimizer) step(r *regs, s bpf.RawInstruction) {
	vt := o.vt
	switch s.Op & 0x07 {
	case opLD:
		switch s.Op & 0xe0 {
		case mIMM:
			r.a = vt.konst(s.K)
		case mABS:
			r.a = vt.get(vexpr{kind: vLoad, op: s.Op, k: s.K})
		case mIND:
			if x, ok := vt.constOf(r.x); ok {
				r.a = vt.get(vexpr{kind: vLoad, op: opLD | mABS | s.Op&0x18, k: s.K + x})
			} else {
				r.a = vt.get(vexpr{kind: vLoad, op: s.Op, k: s.K, a: r.x})
			}
		case mMEM:
			r.a = r.m[s.K&15]
		case mLEN:
			r.a = vt.get(vexpr{kind: vLen})
		default:
			r.a = vt.fresh()
		}
	case opLDX:
		switch s.Op & 0xe0 {
		case mIMM:
			r.x = vt.konst(s.K)
		case mMEM:
			r.x = r.m[s.K&15]
		case mLEN:
			r.x = vt.get(vexpr{kind: vLen})
		case mMSH:
			r.x = vt.get(vexpr{kind: vLoad, op: s.Op, k: s.K})
		default:
			r.x = vt.fresh()
		}
	case opST:
		r.m[s.K&15] = r.a
	case opSTX:
		r.m[s.K&15] = r.x
	case opALU:
		op := s.Op & 0xf0
		if op == aluNEG {
			if a, ok := vt.constOf(r.a); ok {
				r.a = vt.konst(-a)
			} else {
				r.a = vt.get(vexpr{kind: vALU, op: aluNEG, a: r.a})
			}
			return
		}
		b := vt.konst(s.K)
		if s.Op&srcX != 0 {
			b = r.x
		}
		a, aok := vt.constOf(r.a)
		bk, bok := vt.constOf(b)
		if aok && bok && !((op == aluDIV || op == aluMOD) && bk == 0) {
			r.a = vt.konst(foldALU(op, a, bk))
			return
		}
		// The algebra libpcap's optimizer applies, which can make a
		// packet load dead.
		if bok && bk == 0 {
			switch op {
			case aluADD, aluSUB, aluOR, aluXOR, aluLSH, aluRSH:
				return
			case aluMUL, aluAND:
				r.a = vt.konst(0)
				return
			}
		}
		if aok && a == 0 {
			switch op {
			case aluADD, aluOR, aluXOR:
				r.a = b
				return
			case aluMUL, aluDIV, aluMOD, aluAND, aluLSH, aluRSH:
				r.a = vt.konst(0)
				return
			}
		}
		r.a = vt.get(vexpr{kind: vALU, op: op, a: r.a, b: b})
	case opMISC:
		if s.Op&0xf8 == miscTXA {
			r.a = r.x
		} else {
			r.x = r.a
		}
	}
}

// decide reports the outcome of b's test given the registers and facts
// before it, if they determine it.
func (o *optimizer) decide(b *block, in state) (outcome, ok bool) {
	if b.ret {
		return false, false
	}
	if b.jt == b.jf {
		return true, true
	}
	_, a, x := o.simulate(b, in.r)
	return o.decideTest(b, a, x, in.facts)
}

func (o *optimizer) decideTest(b *block, a, x vn, f facts) (bool, bool) {
	jt := b.jop & 0xf0
	if b.jop&srcX != 0 {
		ak, aok := o.vt.constOf(a)
		xk, xok := o.vt.constOf(x)
		if aok && xok {
			return fact{lo: ak, hi: ak}.eval(jt, xk)
		}
		if a == x {
			switch jt {
			case jmpJEQ, jmpJGE:
				return true, true
			case jmpJGT:
				return false, true
			}
		}
		if xok {
			return f.get(a).eval(jt, xk)
		}
		return false, false
	}
	if ak, ok := o.vt.constOf(a); ok {
		return fact{lo: ak, hi: ak}.eval(jt, b.k)
	}
	return f.get(a).eval(jt, b.k)
}

// edgeState is the state along b's outcome edge given the state before b.
// A state without facts (eliminate's) stays without facts.
func (o *optimizer) edgeState(b *block, in state, outcome bool) state {
	r, a, x := o.simulate(b, in.r)
	if in.facts == nil {
		return state{r: r}
	}
	f := in.facts.clone(&o.work)
	jt := b.jop & 0xf0
	if b.jt != b.jf {
		if b.jop&srcX == 0 {
			if _, isConst := o.vt.constOf(a); !isConst {
				f[a] = f.get(a).add(jt, b.k, outcome)
			}
		} else if xk, ok := o.vt.constOf(x); ok {
			if _, isConst := o.vt.constOf(a); !isConst {
				f[a] = f.get(a).add(jt, xk, outcome)
			}
		}
	}
	return state{r: r, facts: f}
}

func (o *optimizer) meet(states []state) state {
	if len(states) == 0 {
		return state{facts: facts{}}
	}
	out := state{r: states[0].r}
	if states[0].facts != nil {
		out.facts = states[0].facts.clone(&o.work)
	}
	for _, s := range states[1:] {
		if out.r.a != s.r.a {
			out.r.a = o.vt.fresh()
		}
		if out.r.x != s.r.x {
			out.r.x = o.vt.fresh()
		}
		for i := range out.r.m {
			if out.r.m[i] != s.r.m[i] {
				if out.r.m[i] == o.vt.undefVN || s.r.m[i] == o.vt.undefVN {
					out.r.m[i] = o.vt.undefVN
				} else {
					out.r.m[i] = o.vt.fresh()
				}
			}
		}
		o.work += len(out.facts)
		for v, fa := range out.facts {
			fb, ok := s.facts[v]
			if !ok {
				delete(out.facts, v)
				continue
			}
			out.facts[v] = meetFact(fa, fb)
		}
	}
	return out
}

// topo returns the blocks reachable from root, each after all of its
// predecessors.
func topo(root *block) []*block {
	var post []*block
	seen := map[*block]bool{}
	var visit func(b *block)
	visit = func(b *block) {
		if b == nil || seen[b] {
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
	slices.Reverse(post)
	return post
}

// Register masks for liveness: bit 0 is A, bit 1 X, bits 2..17 M[0..15].
const (
	liveA = 1 << 0
	liveX = 1 << 1
)

func liveM(k uint32) uint32 { return 1 << (2 + k&15) }

// useDef returns the registers a statement reads and writes.
func useDef(s bpf.RawInstruction) (use, def uint32) {
	switch s.Op & 0x07 {
	case opLD:
		switch s.Op & 0xe0 {
		case mIND:
			return liveX, liveA
		case mMEM:
			return liveM(s.K), liveA
		}
		return 0, liveA
	case opLDX:
		if s.Op&0xe0 == mMEM {
			return liveM(s.K), liveX
		}
		return 0, liveX
	case opST:
		return liveA, liveM(s.K)
	case opSTX:
		return liveX, liveM(s.K)
	case opALU:
		if s.Op&0xf0 != aluNEG && s.Op&srcX != 0 {
			return liveA | liveX, liveA
		}
		return liveA, liveA
	case opMISC:
		if s.Op&0xf8 == miscTXA {
			return liveX, liveA
		}
		return liveA, liveX
	}
	return 0, 0
}

func testUse(b *block) uint32 {
	if b.ret {
		if b.retOp&0x18 == retA {
			return liveA
		}
		return 0
	}
	if b.jop&srcX != 0 {
		return liveA | liveX
	}
	return liveA
}

// liveness computes the registers live on entry to each block.
func liveness(order []*block) map[*block]uint32 {
	in := make(map[*block]uint32, len(order))
	for i := len(order) - 1; i >= 0; i-- {
		b := order[i]
		live := testUse(b)
		if !b.ret {
			live |= in[b.jt] | in[b.jf]
		}
		for j := len(b.stmts) - 1; j >= 0; j-- {
			u, d := useDef(b.stmts[j])
			live = live&^d | u
		}
		in[b] = live
	}
	return in
}

func defs(b *block) uint32 {
	var d uint32
	for _, s := range b.stmts {
		_, x := useDef(s)
		d |= x
	}
	return d
}

// initialState is the state at the start of the program. A and X are 0
// there, but like libpcap's optimizer we do not rely on it, so that the
// same expressions are found to reject every packet.
func initialState(vt *vtab) state {
	r := regs{a: vt.fresh(), x: vt.fresh()}
	for i := range r.m {
		r.m[i] = vt.undefVN
	}
	return state{r: r, facts: facts{}}
}

// maxThreadingPasses bounds the work on pathological expressions; every
// pass leaves a correct program.
const maxThreadingPasses = 64

// thread redirects edges past tests that the facts along the edge decide.
func (o *optimizer) thread(root *block) (*block, bool) {
	changed := false
	for pass := 0; pass < maxThreadingPasses; pass++ {
		order := topo(root)
		live := liveness(order)
		passChanged := false
		init := initialState(o.vt)
		for !root.ret {
			out, ok := o.decide(root, init)
			if !ok {
				break
			}
			next := root.jf
			if out {
				next = root.jt
			}
			if defs(root)&live[next] != 0 {
				break
			}
			root = next
			passChanged = true
			order = topo(root)
			live = liveness(order)
		}
		incoming := map[*block][]state{root: {init}}
		for _, p := range order {
			if o.exhausted() {
				return root, true
			}
			if p.ret || len(incoming[p]) == 0 {
				continue
			}
			in := o.meet(incoming[p])
			delete(incoming, p) // every predecessor is done: free the states

			for _, outcome := range []bool{true, false} {
				es := o.edgeState(p, in, outcome)
				for {
					t := p.jf
					if outcome {
						t = p.jt
					}
					res, ok := o.decide(t, es)
					if !ok {
						break
					}
					next := t.jf
					if res {
						next = t.jt
					}
					if defs(t)&live[next] != 0 {
						break
					}
					if outcome {
						p.jt = next
					} else {
						p.jf = next
					}
					passChanged = true
				}
				t := p.jf
				if outcome {
					t = p.jt
				}
				incoming[t] = append(incoming[t], es)
			}
		}
		if !passChanged {
			break
		}
		changed = true
	}
	return root, changed
}

// eliminate deletes statements that reload a value a register already
// holds and statements whose result is never used.
func (o *optimizer) eliminate(root *block) bool {
	changed := false
	order := topo(root)
	// Only registers matter here: states carry no facts.
	init := initialState(o.vt)
	init.facts = nil
	incoming := map[*block][]state{root: {init}}
	for _, b := range order {
		in := o.meet(incoming[b])
		delete(incoming, b)
		r := in.r
		kept := b.stmts[:0]
		for _, s := range b.stmts {
			before := r
			o.step(&r, s)
			_, d := useDef(s)
			same := false
			switch d {
			case liveA:
				same = r.a == before.a
			case liveX:
				same = r.x == before.x
			default:
				same = r.m == before.m
			}
			if same {
				changed = true
				continue
			}
			kept = append(kept, s)
		}
		b.stmts = kept
		if !b.ret {
			for _, outcome := range []bool{true, false} {
				t := b.jf
				if outcome {
					t = b.jt
				}
				incoming[t] = append(incoming[t], o.edgeState(b, state{r: in.r, facts: in.facts}, outcome))
			}
		}
	}
	// Dead statements.
	for {
		order = topo(root)
		live := liveness(order)
		dead := false
		for _, b := range order {
			l := testUse(b)
			if !b.ret {
				l |= live[b.jt] | live[b.jf]
			}
			keep := make([]bool, len(b.stmts))
			for j := len(b.stmts) - 1; j >= 0; j-- {
				u, d := useDef(b.stmts[j])
				if d&l == 0 {
					dead = true
					continue
				}
				keep[j] = true
				l = l&^d | u
			}
			if dead {
				kept := b.stmts[:0]
				for j, s := range b.stmts {
					if keep[j] {
						kept = append(kept, s)
					}
				}
				b.stmts = kept
			}
		}
		if !dead {
			break
		}
		changed = true
	}
	return changed
}

type blockKey struct {
	stmts  string
	jop    uint16
	k      uint32
	jt, jf *block
	ret    bool
	retOp  uint16
	retK   uint32
}

// intern merges blocks with the same code and the same successors.
func intern(root *block) *block {
	order := topo(root)
	canon := map[blockKey]*block{}
	repl := map[*block]*block{}
	for i := len(order) - 1; i >= 0; i-- {
		b := order[i]
		if !b.ret {
			if r, ok := repl[b.jt]; ok {
				b.jt = r
			}
			if r, ok := repl[b.jf]; ok {
				b.jf = r
			}
		}
		key := blockKey{stmts: stmtsKey(b.stmts), jop: b.jop, k: b.k, jt: b.jt, jf: b.jf,
			ret: b.ret, retOp: b.retOp, retK: b.retK}
		if c, ok := canon[key]; ok {
			repl[b] = c
			continue
		}
		canon[key] = b
	}
	if r, ok := repl[root]; ok {
		return r
	}
	return root
}

func stmtsKey(s []bpf.RawInstruction) string {
	b := make([]byte, 0, len(s)*6)
	for _, x := range s {
		b = append(b, byte(x.Op), byte(x.Op>>8), byte(x.K), byte(x.K>>8), byte(x.K>>16), byte(x.K>>24))
	}
	return string(b)
}

// optimize returns the entry of an equivalent, shorter block graph.
func optimize(root *block) *block {
	o := &optimizer{vt: newVtab()}
	for range 8 {
		root = intern(root)
		var changed bool
		root, changed = o.thread(root)
		root = intern(root)
		if !changed || o.exhausted() {
			break
		}
	}
	for range 4 {
		if !o.eliminate(root) {
			break
		}
	}
	root = intern(root)
	return root
}
