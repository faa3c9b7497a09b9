package filter

import (
	"fmt"
	"strconv"
	"strings"
)

// protoQual is the protocol qualifier of a primitive ("ip" in "ip host 10.0.0.1").
type protoQual uint8

// Protocol qualifiers, libpcap's Q_* values.
const (
	protoDefault protoQual = iota
	protoLink
	protoIP
	protoARP
	protoRARP
	protoSCTP
	protoTCP
	protoUDP
	protoICMP
	protoIGMP
	protoIGRP
	protoAtalk
	protoDecnet
	protoLAT
	protoSCA
	protoMOPRC
	protoMOPDL
	protoIPv6
	protoICMPv6
	protoAH
	protoESP
	protoPIM
	protoVRRP
	protoAARP
	protoISO
	protoESIS
	protoISIS
	protoCLNP
	protoSTP
	protoIPX
	protoNetBEUI
	protoISISL1
	protoISISL2
	protoISISIIH
	protoISISSNP
	protoISISCSNP
	protoISISPSNP
	protoISISLSP
	protoRadio
	protoCARP
	protoQualUndef protoQual = 255
)

var protoNames = map[protoQual]string{
	protoLink: "link", protoIP: "ip", protoARP: "arp", protoRARP: "rarp", protoSCTP: "sctp",
	protoTCP: "tcp", protoUDP: "udp", protoICMP: "icmp", protoIGMP: "igmp", protoIGRP: "igrp",
	protoAtalk: "atalk", protoDecnet: "decnet", protoLAT: "lat", protoSCA: "sca", protoMOPRC: "moprc",
	protoMOPDL: "mopdl", protoIPv6: "ip6", protoICMPv6: "icmp6", protoAH: "ah", protoESP: "esp",
	protoPIM: "pim", protoVRRP: "vrrp", protoAARP: "aarp", protoISO: "iso", protoESIS: "esis",
	protoISIS: "isis", protoCLNP: "clnp", protoSTP: "stp", protoIPX: "ipx", protoNetBEUI: "netbeui",
	protoISISL1: "l1", protoISISL2: "l2", protoISISIIH: "iih", protoISISSNP: "snp",
	protoISISCSNP: "csnp", protoISISPSNP: "psnp", protoISISLSP: "lsp", protoRadio: "radio",
	protoCARP: "carp",
}

// String returns the keyword of p ("" for the default).
func (p protoQual) String() string { return protoNames[p] }

var protoTokens = map[tokKind]protoQual{
	tLink: protoLink, tIP: protoIP, tArp: protoARP, tRarp: protoRARP, tSCTP: protoSCTP,
	tTCP: protoTCP, tUDP: protoUDP, tICMP: protoICMP, tIGMP: protoIGMP, tIGRP: protoIGRP,
	tPIM: protoPIM, tVRRP: protoVRRP, tCARP: protoCARP, tAtalk: protoAtalk, tAARP: protoAARP,
	tDecnet: protoDecnet, tLAT: protoLAT, tSCA: protoSCA, tMOPDL: protoMOPDL, tMOPRC: protoMOPRC,
	tIPv6: protoIPv6, tICMPv6: protoICMPv6, tAH: protoAH, tESP: protoESP, tISO: protoISO,
	tESIS: protoESIS, tISIS: protoISIS, tL1: protoISISL1, tL2: protoISISL2, tIIH: protoISISIIH,
	tLSP: protoISISLSP, tSNP: protoISISSNP, tPSNP: protoISISPSNP, tCSNP: protoISISCSNP,
	tCLNP: protoCLNP, tSTP: protoSTP, tIPX: protoIPX, tNetBEUI: protoNetBEUI, tRadio: protoRadio,
}

// dirQual is the direction qualifier ("src", "dst", "src or dst", ...).
type dirQual uint8

// Direction qualifiers.
const (
	dirDefault dirQual = iota
	dirSrc
	dirDst
	dirOr
	dirAnd
	dirAddr1
	dirAddr2
	dirAddr3
	dirAddr4
	dirRA
	dirTA
	dirUndef dirQual = 255
)

var dirNames = map[dirQual]string{dirSrc: "src", dirDst: "dst", dirOr: "src or dst", dirAnd: "src and dst",
	dirAddr1: "addr1", dirAddr2: "addr2", dirAddr3: "addr3", dirAddr4: "addr4", dirRA: "ra", dirTA: "ta"}

// String returns the qualifier's words ("" for the default).
func (d dirQual) String() string { return dirNames[d] }

// addrQual is the address-type qualifier ("host", "net", "port", ...).
type addrQual uint8

// Address-type qualifiers.
const (
	addrDefault addrQual = iota
	addrHost
	addrNet
	addrPort
	addrGateway
	addrProto
	addrProtochain
	addrPortrange
	addrUndef addrQual = 255
)

var addrNames = map[addrQual]string{addrHost: "host", addrNet: "net", addrPort: "port", addrGateway: "gateway",
	addrProto: "proto", addrProtochain: "protochain", addrPortrange: "portrange"}

// String returns the keyword ("" for the default).
func (a addrQual) String() string { return addrNames[a] }

// qualifier is the protocol, direction and address type that apply to an
// identifier, either written before it or inherited from the previous
// primitive ("host 10.0.0.1 or 10.0.0.2").
type qualifier struct {
	Proto protoQual
	Dir   dirQual
	Addr  addrQual
}

var qualErr = qualifier{protoQualUndef, dirUndef, addrUndef}

func (q qualifier) String() string {
	var parts []string
	for _, s := range []string{q.Proto.String(), q.Dir.String(), q.Addr.String()} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}

// Node is a parsed filter expression. Its tree is the compiler's business
// and stays inside the package; a caller can check an expression's syntax
// with Parse and print the result in a canonical, fully parenthesised form.
type Node interface {
	// Pos is the byte offset in the expression where the node starts.
	Pos() int
	// String renders the node as a fully parenthesised expression that
	// parses back to the same tree.
	String() string
	node()
}

// binaryOp is "and" or "or".
type binaryOp uint8

// Boolean operators; tcpdump gives them equal precedence, left to right.
const (
	opAnd binaryOp = iota
	opOr
)

// binaryNode is "X and Y" or "X or Y".
type binaryNode struct {
	Op   binaryOp
	X, Y Node
}

// notNode is "not X".
type notNode struct {
	At int
	X  Node
}

// valueKind says how an identifier was written.
type valueKind uint8

// Identifier kinds.
const (
	valueName   valueKind = iota // a name: port, protocol or host name
	valueNum                     // a number
	valueIPv4                    // dotted IPv4 address, possibly partial
	valueIPv6                    // IPv6 address
	valueMAC                     // MAC address
	valueARCnet                  // ARCnet address ($1f)
)

// primitiveNode is a qualified identifier: "host 10.0.0.1", "tcp port 80",
// "net 10.0.0.0/8", "ether src 00:11:22:33:44:55", "ip proto 6".
type primitiveNode struct {
	At    int
	Qual  qualifier
	Kind  valueKind
	Value string // source text of the identifier
	Num   uint32 // value of a ValueNum
	// Mask is the dotted mask of "net A mask M"; MaskLen the prefix length of
	// "A/N" when HasMaskLen.
	Mask       string
	MaskLen    uint32
	HasMaskLen bool
}

// protoAbbrevNode is a protocol name used alone: "tcp", "ip6", "arp".
type protoAbbrevNode struct {
	At    int
	Proto protoQual
}

// specialKind names the primitives that are neither qualified identifiers
// nor comparisons.
type specialKind uint8

// specialNode primitives.
const (
	specialBroadcast  specialKind = iota // [ether|ip] broadcast
	specialMulticast                     // [ether|ip|ip6] multicast
	specialLess                          // less N
	specialGreater                       // greater N
	specialByte                          // byte N op M
	specialInbound                       // inbound
	specialOutbound                      // outbound
	specialIfindex                       // ifindex N
	specialVLAN                          // vlan [N]
	specialMPLS                          // mpls [N]
	specialPPPoED                        // pppoed
	specialPPPoES                        // pppoes [N]
	specialLLC                           // llc [i|s|u|subtype]
	specialWLANType                      // type T [subtype S], subtype S: Num is the value, Value the mask
	specialWLANDir                       // dir D
	specialLinkAbbrev                    // ATM lane, metac, oam, ..., MTP2 fisu, lssu, msu, ...: Name
	specialLinkField                     // ATM vpi N, vci > N, MTP3 sio N, opc < N, ...: Name, Rel, Num
	specialPflog                         // ifname NAME, ruleset NAME, rnr N, srnr N, reason N, action N: Name, Arg, Num
	specialGeneve                        // geneve [VNI]
)

// specialNode is one of the SpecialKind primitives.
type specialNode struct {
	At     int
	Kind   specialKind
	Proto  protoQual // qualifier of broadcast and multicast
	Num    uint32    // argument of less, greater, byte, ifindex, vlan, mpls, pppoes
	HasNum bool
	ByteOp byte   // &, |, <, >, = of byte
	Value  uint32 // right operand of byte
	Name   string // llc subtype, ATM or MTP keyword or field, pflog primitive
	Arg    string // interface or ruleset name of a pflog primitive
	Rel    relOp  // comparison of an ATM field
}

// relOp is a comparison operator.
type relOp uint8

// Comparison operators.
const (
	relGT relOp = iota
	relGE
	relEQ
	relLE
	relLT
	relNE
)

var relNames = [...]string{">", ">=", "=", "<=", "<", "!="}

// relationNode is a comparison of two arithmetic expressions: "ip[0] & 0xf != 5".
type relationNode struct {
	At   int
	Op   relOp
	X, Y arithNode
}

// arithNode is an arithmetic expression.
type arithNode interface {
	Pos() int
	String() string
	arith()
}

// numberNode is a constant.
type numberNode struct {
	At    int
	Value uint32
}

// lengthNode is "len", the packet's length on the wire.
type lengthNode struct{ At int }

// loadNode is a packet access "proto[index:size]".
type loadNode struct {
	At    int
	Proto protoQual
	Index arithNode
	Size  uint32
}

// arithBinaryNode is "X op Y" with op one of + - * / % & | ^ << >>.
type arithBinaryNode struct {
	Op   string
	X, Y arithNode
}

// negateNode is "-X".
type negateNode struct {
	At int
	X  arithNode
}

func (n *binaryNode) Pos() int      { return n.X.Pos() }
func (n *notNode) Pos() int         { return n.At }
func (n *primitiveNode) Pos() int   { return n.At }
func (n *protoAbbrevNode) Pos() int { return n.At }
func (n *specialNode) Pos() int     { return n.At }
func (n *relationNode) Pos() int    { return n.At }
func (n *numberNode) Pos() int      { return n.At }
func (n *lengthNode) Pos() int      { return n.At }
func (n *loadNode) Pos() int        { return n.At }
func (n *arithBinaryNode) Pos() int { return n.X.Pos() }
func (n *negateNode) Pos() int      { return n.At }

func (*binaryNode) node()       {}
func (*notNode) node()          {}
func (*primitiveNode) node()    {}
func (*protoAbbrevNode) node()  {}
func (*specialNode) node()      {}
func (*relationNode) node()     {}
func (*numberNode) arith()      {}
func (*lengthNode) arith()      {}
func (*loadNode) arith()        {}
func (*arithBinaryNode) arith() {}
func (*negateNode) arith()      {}

func (n *binaryNode) String() string {
	op := "and"
	if n.Op == opOr {
		op = "or"
	}
	return "(" + n.X.String() + " " + op + " " + n.Y.String() + ")"
}

func (n *notNode) String() string { return "not " + n.X.String() }

func (n *primitiveNode) String() string {
	var b strings.Builder
	if q := n.Qual.String(); q != "" {
		b.WriteString(q)
		b.WriteByte(' ')
	}
	switch {
	case n.Kind == valueNum:
		b.WriteString(strconv.FormatUint(uint64(n.Num), 10))
	case n.Kind == valueName && needsEscape(n.Value):
		b.WriteString(`\` + n.Value)
	default:
		b.WriteString(n.Value)
	}
	if n.Mask != "" {
		b.WriteString(" mask " + n.Mask)
	}
	if n.HasMaskLen {
		b.WriteString("/" + strconv.FormatUint(uint64(n.MaskLen), 10))
	}
	return b.String()
}

// needsEscape reports whether a name would not scan back as a name.
func needsEscape(s string) bool {
	t := lex(s)
	return len(t) != 2 || t[0].kind != tID || t[0].text != s
}

func (n *protoAbbrevNode) String() string { return n.Proto.String() }

func (n *specialNode) String() string {
	prefix := ""
	if n.Proto != protoDefault {
		prefix = n.Proto.String() + " "
	}
	num := func(s string) string {
		if n.HasNum {
			return s + " " + strconv.FormatUint(uint64(n.Num), 10)
		}
		return s
	}
	switch n.Kind {
	case specialBroadcast:
		return prefix + "broadcast"
	case specialMulticast:
		return prefix + "multicast"
	case specialLess:
		return num("less")
	case specialGreater:
		return num("greater")
	case specialByte:
		return fmt.Sprintf("byte %d %c %d", n.Num, n.ByteOp, n.Value)
	case specialInbound:
		return "inbound"
	case specialOutbound:
		return "outbound"
	case specialIfindex:
		return num("ifindex")
	case specialVLAN:
		return num("vlan")
	case specialMPLS:
		return num("mpls")
	case specialPPPoED:
		return "pppoed"
	case specialPPPoES:
		return num("pppoes")
	case specialWLANType:
		if n.Value == wlanTypeMask {
			return fmt.Sprintf("type %d", n.Num)
		}
		return fmt.Sprintf("type %d subtype %d", n.Num&wlanTypeMask, n.Num&wlanSubtypeMask)
	case specialWLANDir:
		return fmt.Sprintf("dir %d", n.Num)
	case specialLinkAbbrev:
		return n.Name
	case specialGeneve:
		return num("geneve")
	case specialLinkField:
		return fmt.Sprintf("%s %s %d", n.Name, relNames[n.Rel], n.Num)
	case specialPflog:
		switch n.Name {
		case "ifname", "ruleset":
			return n.Name + " " + n.Arg
		case "action":
			return "action " + pflogActions[n.Num]
		}
		return num(n.Name)
	case specialLLC:
		if n.Name != "" && needsEscape(n.Name) {
			return `llc \` + n.Name
		}
		if n.Name != "" {
			return "llc " + n.Name
		}
		return "llc"
	}
	return "?"
}

func (n *relationNode) String() string {
	return n.X.String() + " " + relNames[n.Op] + " " + n.Y.String()
}

func (n *numberNode) String() string { return strconv.FormatUint(uint64(n.Value), 10) }
func (n *lengthNode) String() string { return "len" }
func (n *loadNode) String() string {
	return fmt.Sprintf("%s[%s:%d]", n.Proto, n.Index, n.Size)
}
func (n *arithBinaryNode) String() string {
	return "(" + n.X.String() + " " + n.Op + " " + n.Y.String() + ")"
}
func (n *negateNode) String() string { return "(-" + n.X.String() + ")" }
