package filter

import (
	"errors"
	"fmt"
	"strings"
)

// SyntaxError reports an expression that cannot be parsed or compiled,
// with the byte offset in the expression it refers to.
type SyntaxError struct {
	Expr string // the expression
	Pos  int    // byte offset of the offending token
	Msg  string
	// Err is a sentinel the error wraps (ErrRejectsAll), or nil.
	Err error
}

// Unwrap returns the wrapped sentinel, if any.
func (e *SyntaxError) Unwrap() error { return e.Err }

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("filter: %s at offset %d", e.Msg, e.Pos)
}

// Caret returns the expression and a second line with a caret under the
// offending position, for command-line diagnostics.
func (e *SyntaxError) Caret() string {
	pos := min(max(e.Pos, 0), len(e.Expr))
	return e.Expr + "\n" + strings.Repeat(" ", pos) + "^"
}

// MaxNesting is the deepest nesting of parentheses, negations, brackets and
// right-recursive operators an expression may have. libpcap's parser stops
// at the same depth (its yacc stack of 10000 entries: "memory exhausted");
// the limit keeps the recursive parser's stack and time bounded.
const MaxNesting = 10000

// ErrTooComplex is returned (wrapped in a *SyntaxError) for an expression
// nested deeper than MaxNesting or generating more code than MaxBlocks.
var ErrTooComplex = errors.New("filter: expression too complex")

type parser struct {
	expr string
	toks []token
	i    int
	// far is the furthest error seen, reported when every alternative fails.
	far *SyntaxError
	// depth is the current nesting; tooDeep, once set, is the error.
	depth   int
	tooDeep *SyntaxError
	// parenArith memoizes "( arith )" by the index of its "(" token: a
	// parenthesis is first tried as a boolean group and, when that
	// fails, parsed again as arithmetic, which made nested parentheses
	// quadratic.
	parenArith map[int]parenMemo
}

type parenMemo struct {
	x   arithNode
	end int
	err error
}

// enter counts one more level of nesting, failing past MaxNesting; leave
// undoes it.
func (p *parser) enter() error {
	p.depth++
	if p.tooDeep != nil {
		// Fail every alternative at once: backtracking through ten
		// thousand levels must not try each of them again.
		return p.tooDeep
	}
	if p.depth > MaxNesting {
		if p.tooDeep == nil {
			p.tooDeep = &SyntaxError{Expr: p.expr, Pos: p.tok().pos, Err: ErrTooComplex,
				Msg: fmt.Sprintf("expression nested too deeply (more than %d levels)", MaxNesting)}
		}
		return p.tooDeep
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// Parse parses a pcap-filter expression (see pcap-filter(7)): it reports a
// syntax error as a *SyntaxError with the offset it refers to, without
// compiling for a link type. An empty expression parses to nil, which
// matches every packet.
func Parse(expr string) (Node, error) {
	p := &parser{expr: expr, toks: lex(expr)}
	if p.tok().kind == tEOF {
		return nil, nil
	}
	n, _, err := p.parseExpr(qualErr)
	if err == nil && p.tok().kind != tEOF {
		err = p.unexpected()
	}
	if p.tooDeep != nil {
		return nil, p.tooDeep
	}
	if err != nil {
		return nil, p.furthest(err)
	}
	return n, nil
}

func (p *parser) tok() token { return p.toks[p.i] }

func (p *parser) peek(n int) token {
	if p.i+n < len(p.toks) {
		return p.toks[p.i+n]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.toks[p.i]
	if p.i < len(p.toks)-1 {
		p.i++
	}
	return t
}

func (p *parser) errorf(pos int, format string, args ...any) *SyntaxError {
	e := &SyntaxError{Expr: p.expr, Pos: pos, Msg: fmt.Sprintf(format, args...)}
	if p.far == nil || e.Pos > p.far.Pos {
		p.far = e
	}
	return e
}

func (p *parser) unexpected() *SyntaxError {
	t := p.tok()
	switch t.kind {
	case tEOF:
		return p.errorf(t.pos, "syntax error: unexpected end of expression")
	case tLexError:
		return p.errorf(t.pos, "syntax error: %s", t.err)
	}
	return p.errorf(t.pos, "syntax error: unexpected %q", t.text)
}

// furthest returns the error that got furthest into the expression: when
// alternatives were tried, that is the one that explains the problem.
func (p *parser) furthest(err error) error {
	if se, ok := err.(*SyntaxError); ok && p.far != nil && p.far.Pos > se.Pos {
		return p.far
	}
	return err
}

func (p *parser) expect(k tokKind) error {
	if p.tok().kind != k {
		return p.unexpected()
	}
	p.next()
	return nil
}

// parseExpr parses "term { (and|or) (term|id) }". q0 is the qualifier in
// force before the expression; the returned qualifier is the one a
// following bare identifier inherits.
func (p *parser) parseExpr(q0 qualifier) (Node, qualifier, error) {
	x, q, err := p.parseTerm(q0)
	if err != nil {
		return nil, q, err
	}
	for {
		var op binaryOp
		switch p.tok().kind {
		case tAnd:
			op = opAnd
		case tOr:
			op = opOr
		default:
			return x, q, nil
		}
		p.next()
		y, q2, err := p.parseTermOrID(q)
		if err != nil {
			return nil, q, err
		}
		x = &binaryNode{Op: op, X: x, Y: y}
		q = q2
	}
}

func startsID(k tokKind) bool {
	switch k {
	case tID, tHID, tHID6, tEID, tAID, tNum, tLParen, tBang:
		return true
	}
	return false
}

// parseTermOrID parses what follows "and"/"or": a bare identifier that
// inherits q, or a full term.
func (p *parser) parseTermOrID(q qualifier) (Node, qualifier, error) {
	save := p.i
	var idErr error
	if startsID(p.tok().kind) {
		n, err := p.parseID(q)
		if err == nil {
			switch p.tok().kind {
			case tAnd, tOr, tRParen, tEOF:
				return n, q, nil
			}
			err = p.unexpected()
		}
		idErr = err
		p.i = save
	}
	n, q2, err := p.parseTerm(q)
	if err != nil && idErr != nil {
		if ie, ok := idErr.(*SyntaxError); ok {
			if te, ok := err.(*SyntaxError); ok && ie.Pos > te.Pos {
				return nil, q, idErr
			}
		}
	}
	return n, q2, err
}

func (p *parser) parseTerm(q0 qualifier) (Node, qualifier, error) {
	if err := p.enter(); err != nil {
		return nil, q0, err
	}
	defer p.leave()
	if t := p.tok(); t.kind == tBang {
		p.next()
		x, q, err := p.parseTerm(q0)
		if err != nil {
			return nil, q, err
		}
		return &notNode{At: t.pos, X: x}, q, nil
	}
	return p.parseRterm(q0)
}

func isDirToken(k tokKind) bool {
	switch k {
	case tSrc, tDst, tAddr1, tAddr2, tAddr3, tAddr4, tRA, tTA:
		return true
	}
	return false
}

func isAddrToken(k tokKind) bool {
	switch k {
	case tHost, tNet, tPort, tPortrange:
		return true
	}
	return false
}

func (p *parser) parseRterm(q0 qualifier) (Node, qualifier, error) {
	t := p.tok()
	if _, ok := protoTokens[t.kind]; ok {
		switch nk := p.peek(1).kind; {
		case isDirToken(nk), isAddrToken(nk), nk == tProto, nk == tProtochain, nk == tGateway:
			return p.parseHeadID()
		case nk == tLBrack:
			n, err := p.parseRelation()
			return n, qualErr, err
		case nk == tBroadcast, nk == tMulticast:
			return p.parseSpecial()
		case nk == tType, nk == tSubtype, nk == tDir:
			// The protocol before an 802.11 test is accepted and
			// ignored, as libpcap's grammar does.
			p.next()
			n, err := p.parseWLAN()
			return n, qualErr, err
		}
		p.next()
		return &protoAbbrevNode{At: t.pos, Proto: protoTokens[t.kind]}, qualErr, nil
	}
	switch {
	case isDirToken(t.kind), isAddrToken(t.kind), t.kind == tProto, t.kind == tProtochain, t.kind == tGateway:
		return p.parseHeadID()
	}
	switch t.kind {
	case tLParen:
		save := p.i
		p.next()
		x, _, err := p.parseExpr(q0)
		if err == nil && p.tok().kind == tRParen {
			p.next()
			return x, q0, nil
		}
		p.i = save
		n, err2 := p.parseRelation()
		if err2 != nil {
			if err == nil {
				err = p.unexpected()
			}
			return nil, q0, pickFurther(err, err2)
		}
		return n, qualErr, nil
	case tNum, tMinus, tLen:
		n, err := p.parseRelation()
		return n, qualErr, err
	case tLess, tGreater, tByte, tInbound, tOutbound, tIfindex, tVLAN, tMPLS, tPPPoED, tPPPoES,
		tBroadcast, tMulticast, tLLC, tGeneve:
		return p.parseSpecial()
	case tType, tSubtype, tDir:
		n, err := p.parseWLAN()
		return n, qualErr, err
	case tLinkKeyword:
		if _, ok := pflogKeywords[t.text]; ok {
			n, err := p.parsePflog()
			return n, qualErr, err
		}
		n, err := p.parseLinkKeyword()
		return n, qualErr, err
	}
	return nil, qualErr, p.unexpected()
}

func pickFurther(a, b error) error {
	ae, aok := a.(*SyntaxError)
	be, bok := b.(*SyntaxError)
	if aok && bok && be.Pos > ae.Pos {
		return b
	}
	if aok && bok {
		return a
	}
	return b
}

// parseHeadID parses "[proto] [dir] [addr] id", "[proto] proto id",
// "[proto] protochain id" and "[proto] gateway id".
func (p *parser) parseHeadID() (Node, qualifier, error) {
	q := qualifier{}
	if pr, ok := protoTokens[p.tok().kind]; ok {
		q.Proto = pr
		p.next()
	}
	hasDir := false
	switch p.tok().kind {
	case tSrc, tDst:
		first := p.next().kind
		q.Dir = dirSrc
		if first == tDst {
			q.Dir = dirDst
		}
		if k := p.tok().kind; (k == tOr || k == tAnd) && (p.peek(1).kind == tSrc || p.peek(1).kind == tDst) && p.peek(1).kind != first {
			if k == tOr {
				q.Dir = dirOr
			} else {
				q.Dir = dirAnd
			}
			p.next()
			p.next()
		}
		hasDir = true
	case tAddr1, tAddr2, tAddr3, tAddr4, tRA, tTA:
		q.Dir = map[tokKind]dirQual{tAddr1: dirAddr1, tAddr2: dirAddr2, tAddr3: dirAddr3, tAddr4: dirAddr4, tRA: dirRA, tTA: dirTA}[p.next().kind]
		hasDir = true
	}
	switch k := p.tok().kind; {
	case isAddrToken(k):
		q.Addr = map[tokKind]addrQual{tHost: addrHost, tNet: addrNet, tPort: addrPort, tPortrange: addrPortrange}[k]
		p.next()
	case !hasDir && k == tProto:
		q.Addr = addrProto
		p.next()
	case !hasDir && k == tProtochain:
		q.Addr = addrProtochain
		p.next()
	case !hasDir && k == tGateway:
		q.Addr = addrGateway
		p.next()
	case !hasDir:
		return nil, q, p.unexpected()
	}
	n, err := p.parseID(q)
	return n, q, err
}

// parseID parses an identifier that takes qualifier q: a name, an
// address, a number, "not id" or a parenthesised list of identifiers.
func (p *parser) parseID(q qualifier) (Node, error) {
	t := p.tok()
	switch t.kind {
	case tNum:
		p.next()
		return &primitiveNode{At: t.pos, Qual: q, Kind: valueNum, Value: t.text, Num: t.num}, nil
	case tLParen:
		p.next()
		n, err := p.parsePid(q)
		if err != nil {
			return nil, err
		}
		if err := p.expect(tRParen); err != nil {
			return nil, err
		}
		return n, nil
	}
	return p.parseNID(q)
}

// parsePid parses the inside of "( id and id or ... )": the first element
// may be a number or an identifier, the rest are full identifiers.
func (p *parser) parsePid(q qualifier) (Node, error) {
	var x Node
	var err error
	if k := p.tok().kind; k == tNum || k == tLParen {
		x, err = p.parsePnumPrimitive(q)
	} else {
		x, err = p.parseNID(q)
	}
	if err != nil {
		return nil, err
	}
	for {
		var op binaryOp
		switch p.tok().kind {
		case tAnd:
			op = opAnd
		case tOr:
			op = opOr
		default:
			return x, nil
		}
		p.next()
		y, err := p.parseID(q)
		if err != nil {
			return nil, err
		}
		x = &binaryNode{Op: op, X: x, Y: y}
	}
}

func (p *parser) parsePnumPrimitive(q qualifier) (Node, error) {
	at := p.tok().pos
	v, err := p.parsePnum()
	if err != nil {
		return nil, err
	}
	return &primitiveNode{At: at, Qual: q, Kind: valueNum, Value: fmt.Sprint(v), Num: v}, nil
}

// parsePnum parses "NUM" or "( pnum )".
func (p *parser) parsePnum() (uint32, error) {
	switch t := p.tok(); t.kind {
	case tNum:
		p.next()
		return t.num, nil
	case tLParen:
		p.next()
		v, err := p.parsePnum()
		if err != nil {
			return 0, err
		}
		return v, p.expect(tRParen)
	}
	return 0, p.unexpected()
}

func (p *parser) parseNID(q qualifier) (Node, error) {
	t := p.tok()
	switch t.kind {
	case tID:
		p.next()
		return &primitiveNode{At: t.pos, Qual: q, Kind: valueName, Value: t.text}, nil
	case tHID:
		p.next()
		n := &primitiveNode{At: t.pos, Qual: q, Kind: valueIPv4, Value: t.text}
		switch p.tok().kind {
		case tSlash:
			p.next()
			m := p.tok()
			if m.kind != tNum {
				return nil, p.unexpected()
			}
			p.next()
			n.MaskLen, n.HasMaskLen = m.num, true
			return n, nil
		case tNetmask:
			p.next()
			m := p.tok()
			if m.kind != tHID {
				return nil, p.unexpected()
			}
			p.next()
			n.Mask = m.text
			return n, nil
		}
		switch q.Addr {
		case addrPort:
			return nil, p.errorf(t.pos, "'port' modifier applied to ip host")
		case addrPortrange:
			return nil, p.errorf(t.pos, "'portrange' modifier applied to ip host")
		case addrProto:
			return nil, p.errorf(t.pos, "'proto' modifier applied to ip host")
		case addrProtochain:
			return nil, p.errorf(t.pos, "'protochain' modifier applied to ip host")
		}
		return n, nil
	case tHID6:
		p.next()
		n := &primitiveNode{At: t.pos, Qual: q, Kind: valueIPv6, Value: t.text}
		if p.tok().kind == tSlash {
			p.next()
			m := p.tok()
			if m.kind != tNum {
				return nil, p.unexpected()
			}
			p.next()
			n.MaskLen, n.HasMaskLen = m.num, true
		}
		return n, nil
	case tEID:
		p.next()
		return &primitiveNode{At: t.pos, Qual: q, Kind: valueMAC, Value: t.text}, nil
	case tAID:
		p.next()
		return &primitiveNode{At: t.pos, Qual: q, Kind: valueARCnet, Value: t.text}, nil
	case tBang:
		p.next()
		x, err := p.parseID(q)
		if err != nil {
			return nil, err
		}
		return &notNode{At: t.pos, X: x}, nil
	}
	return nil, p.unexpected()
}

func (p *parser) parseSpecial() (Node, qualifier, error) {
	t := p.tok()
	n := &specialNode{At: t.pos}
	if pr, ok := protoTokens[t.kind]; ok {
		n.Proto = pr
		p.next()
		t = p.tok()
	}
	p.next()
	num := func() error {
		m := p.tok()
		if m.kind != tNum {
			return p.unexpected()
		}
		p.next()
		n.Num, n.HasNum = m.num, true
		return nil
	}
	optPnum := func() error {
		if k := p.tok().kind; k == tNum || k == tLParen {
			v, err := p.parsePnum()
			if err != nil {
				return err
			}
			n.Num, n.HasNum = v, true
		}
		return nil
	}
	var err error
	switch t.kind {
	case tBroadcast:
		n.Kind = specialBroadcast
	case tMulticast:
		n.Kind = specialMulticast
	case tLess:
		n.Kind = specialLess
		err = num()
	case tGreater:
		n.Kind = specialGreater
		err = num()
	case tByte:
		n.Kind = specialByte
		if err = num(); err != nil {
			break
		}
		switch op := p.tok(); op.kind {
		case tAmp, tPipe, tLT, tGT, tEQ:
			n.ByteOp = op.text[0]
			p.next()
		default:
			return nil, qualErr, p.unexpected()
		}
		v := p.tok()
		if v.kind != tNum {
			return nil, qualErr, p.unexpected()
		}
		p.next()
		n.Value = v.num
	case tInbound:
		n.Kind = specialInbound
	case tOutbound:
		n.Kind = specialOutbound
	case tIfindex:
		n.Kind = specialIfindex
		err = num()
	case tVLAN:
		n.Kind = specialVLAN
		err = optPnum()
	case tMPLS:
		n.Kind = specialMPLS
		err = optPnum()
	case tGeneve:
		n.Kind = specialGeneve
		err = optPnum()
	case tPPPoED:
		n.Kind = specialPPPoED
	case tPPPoES:
		n.Kind = specialPPPoES
		err = optPnum()
	case tLLC:
		n.Kind = specialLLC
		if m := p.tok(); m.kind == tID {
			p.next()
			n.Name = m.text
		} else if m.kind == tLinkKeyword && (m.text == "rnr" || m.text == "rulenum") {
			p.next()
			n.Name = "rnr"
		}
	default:
		return nil, qualErr, p.unexpected()
	}
	if err != nil {
		return nil, qualErr, err
	}
	return n, qualErr, nil
}

// parseRelation parses "arth relop arth".
func (p *parser) parseRelation() (Node, error) {
	at := p.tok().pos
	x, err := p.parseArith(0)
	if err != nil {
		return nil, err
	}
	var op relOp
	switch p.tok().kind {
	case tGT:
		op = relGT
	case tGEQ:
		op = relGE
	case tEQ:
		op = relEQ
	case tLEQ:
		op = relLE
	case tLT:
		op = relLT
	case tNEQ:
		op = relNE
	default:
		return nil, p.unexpected()
	}
	p.next()
	y, err := p.parseArith(0)
	if err != nil {
		return nil, err
	}
	return &relationNode{At: at, Op: op, X: x, Y: y}, nil
}

const precUnary = 6

// arithPrec returns the yacc precedence of a binary arithmetic operator,
// 0 for tokens that are not one. '%' and '^' have no precedence in
// libpcap's grammar, so yacc always shifts them: they take everything to
// their right as their right operand (handled in parseArith).
func arithPrec(k tokKind) int {
	switch k {
	case tPipe:
		return 1
	case tAmp:
		return 2
	case tLSH, tRSH:
		return 3
	case tPlus, tMinus:
		return 4
	case tStar, tSlash:
		return 5
	}
	return 0
}

func (p *parser) parseArith(minPrec int) (arithNode, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	x, err := p.parseArithPrimary()
	if err != nil {
		return nil, err
	}
	for {
		t := p.tok()
		if t.kind == tPct || t.kind == tCaret {
			p.next()
			y, err := p.parseArith(0)
			if err != nil {
				return nil, err
			}
			x = &arithBinaryNode{Op: t.text, X: x, Y: y}
			continue
		}
		prec := arithPrec(t.kind)
		if prec == 0 || prec < minPrec {
			return x, nil
		}
		p.next()
		y, err := p.parseArith(prec + 1)
		if err != nil {
			return nil, err
		}
		x = &arithBinaryNode{Op: t.text, X: x, Y: y}
	}
}

func (p *parser) parseArithPrimary() (arithNode, error) {
	t := p.tok()
	switch t.kind {
	case tMinus:
		p.next()
		x, err := p.parseArith(precUnary)
		if err != nil {
			return nil, err
		}
		return &negateNode{At: t.pos, X: x}, nil
	case tNum:
		p.next()
		return &numberNode{At: t.pos, Value: t.num}, nil
	case tLen:
		p.next()
		return &lengthNode{At: t.pos}, nil
	case tLParen:
		start := p.i
		if m, ok := p.parenArith[start]; ok {
			p.i = m.end
			return m.x, m.err
		}
		p.next()
		x, err := p.parseArith(0)
		if err == nil {
			err = p.expect(tRParen)
		}
		if err != nil {
			x = nil
		}
		if p.parenArith == nil {
			p.parenArith = map[int]parenMemo{}
		}
		p.parenArith[start] = parenMemo{x: x, end: p.i, err: err}
		return x, err
	}
	if pr, ok := protoTokens[t.kind]; ok && p.peek(1).kind == tLBrack {
		p.next()
		p.next()
		idx, err := p.parseArith(0)
		if err != nil {
			return nil, err
		}
		size := uint32(1)
		if p.tok().kind == tColon {
			p.next()
			m := p.tok()
			if m.kind != tNum {
				return nil, p.unexpected()
			}
			p.next()
			size = m.num
		}
		if err := p.expect(tRBrack); err != nil {
			return nil, err
		}
		return &loadNode{At: t.pos, Proto: pr, Index: idx, Size: size}, nil
	}
	return nil, p.unexpected()
}

// parseWLAN parses "type T [subtype S]", "subtype S" and "dir D", where T
// is a number or mgt, ctl, data, S a number (after a type) or a subtype
// name, and D a number or nods, tods, fromds, dstods.
func (p *parser) parseWLAN() (Node, error) {
	kw := p.next()
	n := &specialNode{At: kw.pos}
	arg := p.tok()
	if arg.kind != tNum && arg.kind != tID {
		return nil, p.unexpected()
	}
	p.next()
	switch kw.kind {
	case tDir:
		n.Kind = specialWLANDir
		n.Num = arg.num
		if arg.kind == tID {
			v, ok := wlanDirections[strings.ToLower(arg.text)]
			if !ok {
				return nil, p.errorf(arg.pos, "unknown 802.11 direction")
			}
			n.Num = v
		}
		return n, nil
	case tSubtype:
		if arg.kind != tID {
			return nil, p.errorf(arg.pos, "syntax error")
		}
		v, ok := lookupWLANSubtype(arg.text, 0, true)
		if !ok {
			return nil, p.errorf(arg.pos, "unknown 802.11 type name")
		}
		n.Kind, n.Num, n.Value = specialWLANType, v, wlanTypeMask|wlanSubtypeMask
		return n, nil
	}
	typ := arg.num
	if arg.kind == tID {
		v, ok := wlanTypes[strings.ToLower(arg.text)]
		if !ok {
			return nil, p.errorf(arg.pos, "unknown 802.11 type name \"%s\"", arg.text)
		}
		typ = v
	} else if typ&^wlanTypeMask != 0 {
		return nil, p.errorf(arg.pos, "invalid 802.11 type value 0x%02x", typ)
	}
	n.Kind, n.Num, n.Value = specialWLANType, typ, wlanTypeMask
	if p.tok().kind != tSubtype {
		return n, nil
	}
	p.next()
	sub := p.tok()
	switch sub.kind {
	case tNum:
		if sub.num&^wlanSubtypeMask != 0 {
			return nil, p.errorf(sub.pos, "invalid 802.11 subtype value 0x%02x", sub.num)
		}
		n.Num |= sub.num
	case tID:
		v, ok := lookupWLANSubtype(sub.text, typ, false)
		if !ok {
			if _, known := wlanTypes[strings.ToLower(arg.text)]; arg.kind == tNum && !known && typ&0x0c == 0x0c {
				return nil, p.errorf(sub.pos, "unknown 802.11 type")
			}
			return nil, p.errorf(sub.pos, "unknown 802.11 subtype name \"%s\"", sub.text)
		}
		n.Num = v
	default:
		return nil, p.unexpected()
	}
	p.next()
	n.Value = wlanTypeMask | wlanSubtypeMask
	return n, nil
}

// atmAbbrevs are the ATM keywords that stand alone, mtp2Abbrevs the SS7
// ones.
var (
	atmAbbrevs = map[string]bool{"lane": true, "metac": true, "bcc": true, "oamf4ec": true, "oamf4sc": true,
		"sc": true, "ilmic": true, "oam": true, "oamf4": true, "connectmsg": true, "metaconnect": true}
	mtp2Abbrevs = map[string]bool{"fisu": true, "lssu": true, "lsu": true, "msu": true, "hfisu": true,
		"hlssu": true, "hmsu": true}
)

// parsePflog parses a pflog primitive: "on"/"ifname" and "rset"/"ruleset"
// with a name, "rnr"/"rulenum" and "srnr"/"subrulenum" with a number,
// "reason" with a number or a reason name, "action" with an action name.
// Reason and action names are checked here, as libpcap's grammar does,
// whatever the link type.
func (p *parser) parsePflog() (Node, error) {
	t := p.tok()
	p.next()
	n := &specialNode{At: t.pos, Kind: specialPflog, Name: pflogKeywords[t.text]}
	a := p.tok()
	switch {
	case (n.Name == "ifname" || n.Name == "ruleset") && a.kind == tID:
		n.Arg = a.text
	case (n.Name == "rnr" || n.Name == "srnr" || n.Name == "reason") && a.kind == tNum:
		n.Num, n.HasNum = a.num, true
	case n.Name == "reason" && a.kind == tID:
		v, ok := lookupPflogName(pflogReasons, a.text)
		if !ok {
			return nil, p.errorf(a.pos, "unknown PF reason \"%s\"", a.text)
		}
		n.Num, n.HasNum = v, true
	case n.Name == "action" && a.kind == tID:
		v, ok := lookupPflogName(pflogActions, a.text)
		if !ok {
			return nil, p.errorf(a.pos, "unknown PF action \"%s\"", a.text)
		}
		n.Num = v
	default:
		return nil, p.unexpected()
	}
	p.next()
	return n, nil
}

// parseLinkKeyword parses the ATM and SS7 primitives: a keyword of
// atmAbbrevs or mtp2Abbrevs, or a field ("vpi", "vci", "sio", "opc",
// "dpc", "sls" and the "h" forms of the last four) followed by a number,
// a comparison with a number, or a parenthesised list of numbers joined
// by "or".
func (p *parser) parseLinkKeyword() (n Node, err error) {
	t := p.tok()
	p.next()
	if atmAbbrevs[t.text] || mtp2Abbrevs[t.text] {
		return &specialNode{At: t.pos, Kind: specialLinkAbbrev, Name: t.text}, nil
	}
	field := func(op relOp) (Node, error) {
		v := p.tok()
		if v.kind != tNum {
			return nil, p.unexpected()
		}
		p.next()
		return &specialNode{At: t.pos, Kind: specialLinkField, Name: t.text, Num: v.num, HasNum: true, Rel: op}, nil
	}
	rels := map[tokKind]relOp{tGT: relGT, tGEQ: relGE, tEQ: relEQ, tLEQ: relLE, tLT: relLT, tNEQ: relNE}
	switch k := p.tok().kind; {
	case k == tNum:
		n, err = field(relEQ)
		return n, err
	case rels[k] != 0 || k == tGT:
		p.next()
		n, err = field(rels[k])
		return n, err
	case k == tLParen:
		p.next()
		var list Node
		for {
			f, err := field(relEQ)
			if err != nil {
				return nil, err
			}
			if list == nil {
				list = f
			} else {
				list = &binaryNode{Op: opOr, X: list, Y: f}
			}
			if p.tok().kind != tOr {
				break
			}
			p.next()
		}
		if err := p.expect(tRParen); err != nil {
			return nil, err
		}
		return list, nil
	}
	return nil, p.unexpected()
}
