package filter

import (
	"fmt"
	"strconv"
	"strings"
)

// Proto is the protocol qualifier of a primitive ("ip" in "ip host 10.0.0.1").
type Proto uint8

// Protocol qualifiers, libpcap's Q_* values.
const (
	ProtoDefault Proto = iota
	ProtoLink
	ProtoIP
	ProtoARP
	ProtoRARP
	ProtoSCTP
	ProtoTCP
	ProtoUDP
	ProtoICMP
	ProtoIGMP
	ProtoIGRP
	ProtoAtalk
	ProtoDecnet
	ProtoLAT
	ProtoSCA
	ProtoMOPRC
	ProtoMOPDL
	ProtoIPv6
	ProtoICMPv6
	ProtoAH
	ProtoESP
	ProtoPIM
	ProtoVRRP
	ProtoAARP
	ProtoISO
	ProtoESIS
	ProtoISIS
	ProtoCLNP
	ProtoSTP
	ProtoIPX
	ProtoNetBEUI
	ProtoISISL1
	ProtoISISL2
	ProtoISISIIH
	ProtoISISSNP
	ProtoISISCSNP
	ProtoISISPSNP
	ProtoISISLSP
	ProtoRadio
	ProtoCARP
	ProtoUndef Proto = 255
)

var protoNames = map[Proto]string{
	ProtoLink: "link", ProtoIP: "ip", ProtoARP: "arp", ProtoRARP: "rarp", ProtoSCTP: "sctp",
	ProtoTCP: "tcp", ProtoUDP: "udp", ProtoICMP: "icmp", ProtoIGMP: "igmp", ProtoIGRP: "igrp",
	ProtoAtalk: "atalk", ProtoDecnet: "decnet", ProtoLAT: "lat", ProtoSCA: "sca", ProtoMOPRC: "moprc",
	ProtoMOPDL: "mopdl", ProtoIPv6: "ip6", ProtoICMPv6: "icmp6", ProtoAH: "ah", ProtoESP: "esp",
	ProtoPIM: "pim", ProtoVRRP: "vrrp", ProtoAARP: "aarp", ProtoISO: "iso", ProtoESIS: "esis",
	ProtoISIS: "isis", ProtoCLNP: "clnp", ProtoSTP: "stp", ProtoIPX: "ipx", ProtoNetBEUI: "netbeui",
	ProtoISISL1: "l1", ProtoISISL2: "l2", ProtoISISIIH: "iih", ProtoISISSNP: "snp",
	ProtoISISCSNP: "csnp", ProtoISISPSNP: "psnp", ProtoISISLSP: "lsp", ProtoRadio: "radio",
	ProtoCARP: "carp",
}

// String returns the keyword of p ("" for the default).
func (p Proto) String() string { return protoNames[p] }

var protoTokens = map[tokKind]Proto{
	tLink: ProtoLink, tIP: ProtoIP, tArp: ProtoARP, tRarp: ProtoRARP, tSCTP: ProtoSCTP,
	tTCP: ProtoTCP, tUDP: ProtoUDP, tICMP: ProtoICMP, tIGMP: ProtoIGMP, tIGRP: ProtoIGRP,
	tPIM: ProtoPIM, tVRRP: ProtoVRRP, tCARP: ProtoCARP, tAtalk: ProtoAtalk, tAARP: ProtoAARP,
	tDecnet: ProtoDecnet, tLAT: ProtoLAT, tSCA: ProtoSCA, tMOPDL: ProtoMOPDL, tMOPRC: ProtoMOPRC,
	tIPv6: ProtoIPv6, tICMPv6: ProtoICMPv6, tAH: ProtoAH, tESP: ProtoESP, tISO: ProtoISO,
	tESIS: ProtoESIS, tISIS: ProtoISIS, tL1: ProtoISISL1, tL2: ProtoISISL2, tIIH: ProtoISISIIH,
	tLSP: ProtoISISLSP, tSNP: ProtoISISSNP, tPSNP: ProtoISISPSNP, tCSNP: ProtoISISCSNP,
	tCLNP: ProtoCLNP, tSTP: ProtoSTP, tIPX: ProtoIPX, tNetBEUI: ProtoNetBEUI, tRadio: ProtoRadio,
}

// Dir is the direction qualifier ("src", "dst", "src or dst", ...).
type Dir uint8

// Direction qualifiers.
const (
	DirDefault Dir = iota
	DirSrc
	DirDst
	DirOr
	DirAnd
	DirAddr1
	DirAddr2
	DirAddr3
	DirAddr4
	DirRA
	DirTA
	DirUndef Dir = 255
)

var dirNames = map[Dir]string{DirSrc: "src", DirDst: "dst", DirOr: "src or dst", DirAnd: "src and dst",
	DirAddr1: "addr1", DirAddr2: "addr2", DirAddr3: "addr3", DirAddr4: "addr4", DirRA: "ra", DirTA: "ta"}

// String returns the qualifier's words ("" for the default).
func (d Dir) String() string { return dirNames[d] }

// Addr is the address-type qualifier ("host", "net", "port", ...).
type Addr uint8

// Address-type qualifiers.
const (
	AddrDefault Addr = iota
	AddrHost
	AddrNet
	AddrPort
	AddrGateway
	AddrProto
	AddrProtochain
	AddrPortrange
	AddrUndef Addr = 255
)

var addrNames = map[Addr]string{AddrHost: "host", AddrNet: "net", AddrPort: "port", AddrGateway: "gateway",
	AddrProto: "proto", AddrProtochain: "protochain", AddrPortrange: "portrange"}

// String returns the keyword ("" for the default).
func (a Addr) String() string { return addrNames[a] }

// Qualifier is the protocol, direction and address type that apply to an
// identifier, either written before it or inherited from the previous
// primitive ("host 10.0.0.1 or 10.0.0.2").
type Qualifier struct {
	Proto Proto
	Dir   Dir
	Addr  Addr
}

var qualErr = Qualifier{ProtoUndef, DirUndef, AddrUndef}

func (q Qualifier) String() string {
	var parts []string
	for _, s := range []string{q.Proto.String(), q.Dir.String(), q.Addr.String()} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, " ")
}

// Node is a parsed filter expression.
type Node interface {
	// Pos is the byte offset in the expression where the node starts.
	Pos() int
	// String renders the node as a fully parenthesised expression that
	// parses back to the same tree.
	String() string
	node()
}

// BinaryOp is "and" or "or".
type BinaryOp uint8

// Boolean operators; tcpdump gives them equal precedence, left to right.
const (
	OpAnd BinaryOp = iota
	OpOr
)

// Binary is "X and Y" or "X or Y".
type Binary struct {
	Op   BinaryOp
	X, Y Node
}

// Not is "not X".
type Not struct {
	At int
	X  Node
}

// ValueKind says how an identifier was written.
type ValueKind uint8

// Identifier kinds.
const (
	ValueName   ValueKind = iota // a name: port, protocol or host name
	ValueNum                     // a number
	ValueIPv4                    // dotted IPv4 address, possibly partial
	ValueIPv6                    // IPv6 address
	ValueMAC                     // MAC address
	ValueARCnet                  // ARCnet address ($1f)
)

// Primitive is a qualified identifier: "host 10.0.0.1", "tcp port 80",
// "net 10.0.0.0/8", "ether src 00:11:22:33:44:55", "ip proto 6".
type Primitive struct {
	At    int
	Qual  Qualifier
	Kind  ValueKind
	Value string // source text of the identifier
	Num   uint32 // value of a ValueNum
	// Mask is the dotted mask of "net A mask M"; MaskLen the prefix length of
	// "A/N" when HasMaskLen.
	Mask       string
	MaskLen    uint32
	HasMaskLen bool
}

// ProtoAbbrev is a protocol name used alone: "tcp", "ip6", "arp".
type ProtoAbbrev struct {
	At    int
	Proto Proto
}

// SpecialKind names the primitives that are neither qualified identifiers
// nor comparisons.
type SpecialKind uint8

// Special primitives.
const (
	SpecialBroadcast SpecialKind = iota // [ether|ip] broadcast
	SpecialMulticast                    // [ether|ip|ip6] multicast
	SpecialLess                         // less N
	SpecialGreater                      // greater N
	SpecialByte                         // byte N op M
	SpecialInbound                      // inbound
	SpecialOutbound                     // outbound
	SpecialIfindex                      // ifindex N
	SpecialVLAN                         // vlan [N]
	SpecialMPLS                         // mpls [N]
	SpecialPPPoED                       // pppoed
	SpecialPPPoES                       // pppoes [N]
	SpecialLLC                          // llc [i|s|u|subtype]
	SpecialWLANType                     // type T [subtype S], subtype S: Num is the value, Value the mask
	SpecialWLANDir                      // dir D
	SpecialATM                          // lane, metac, bcc, oam, oamf4, ...: Name
	SpecialATMField                     // vpi N, vci > N: Name, Rel, Num
	SpecialGeneve                       // geneve [VNI]
)

// Special is one of the SpecialKind primitives.
type Special struct {
	At     int
	Kind   SpecialKind
	Proto  Proto  // qualifier of broadcast and multicast
	Num    uint32 // argument of less, greater, byte, ifindex, vlan, mpls, pppoes
	HasNum bool
	ByteOp byte   // &, |, <, >, = of byte
	Value  uint32 // right operand of byte
	Name   string // llc subtype, ATM keyword or field
	Rel    RelOp  // comparison of an ATM field
}

// RelOp is a comparison operator.
type RelOp uint8

// Comparison operators.
const (
	RelGT RelOp = iota
	RelGE
	RelEQ
	RelLE
	RelLT
	RelNE
)

var relNames = [...]string{">", ">=", "=", "<=", "<", "!="}

// Relation is a comparison of two arithmetic expressions: "ip[0] & 0xf != 5".
type Relation struct {
	At   int
	Op   RelOp
	X, Y Arith
}

// Arith is an arithmetic expression.
type Arith interface {
	Pos() int
	String() string
	arith()
}

// Number is a constant.
type Number struct {
	At    int
	Value uint32
}

// Length is "len", the packet's length on the wire.
type Length struct{ At int }

// Load is a packet access "proto[index:size]".
type Load struct {
	At    int
	Proto Proto
	Index Arith
	Size  uint32
}

// ArithBinary is "X op Y" with op one of + - * / % & | ^ << >>.
type ArithBinary struct {
	Op   string
	X, Y Arith
}

// Negate is "-X".
type Negate struct {
	At int
	X  Arith
}

func (n *Binary) Pos() int      { return n.X.Pos() }
func (n *Not) Pos() int         { return n.At }
func (n *Primitive) Pos() int   { return n.At }
func (n *ProtoAbbrev) Pos() int { return n.At }
func (n *Special) Pos() int     { return n.At }
func (n *Relation) Pos() int    { return n.At }
func (n *Number) Pos() int      { return n.At }
func (n *Length) Pos() int      { return n.At }
func (n *Load) Pos() int        { return n.At }
func (n *ArithBinary) Pos() int { return n.X.Pos() }
func (n *Negate) Pos() int      { return n.At }

func (*Binary) node()       {}
func (*Not) node()          {}
func (*Primitive) node()    {}
func (*ProtoAbbrev) node()  {}
func (*Special) node()      {}
func (*Relation) node()     {}
func (*Number) arith()      {}
func (*Length) arith()      {}
func (*Load) arith()        {}
func (*ArithBinary) arith() {}
func (*Negate) arith()      {}

func (n *Binary) String() string {
	op := "and"
	if n.Op == OpOr {
		op = "or"
	}
	return "(" + n.X.String() + " " + op + " " + n.Y.String() + ")"
}

func (n *Not) String() string { return "not " + n.X.String() }

func (n *Primitive) String() string {
	var b strings.Builder
	if q := n.Qual.String(); q != "" {
		b.WriteString(q)
		b.WriteByte(' ')
	}
	switch {
	case n.Kind == ValueNum:
		b.WriteString(strconv.FormatUint(uint64(n.Num), 10))
	case n.Kind == ValueName && needsEscape(n.Value):
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

func (n *ProtoAbbrev) String() string { return n.Proto.String() }

func (n *Special) String() string {
	prefix := ""
	if n.Proto != ProtoDefault {
		prefix = n.Proto.String() + " "
	}
	num := func(s string) string {
		if n.HasNum {
			return s + " " + strconv.FormatUint(uint64(n.Num), 10)
		}
		return s
	}
	switch n.Kind {
	case SpecialBroadcast:
		return prefix + "broadcast"
	case SpecialMulticast:
		return prefix + "multicast"
	case SpecialLess:
		return num("less")
	case SpecialGreater:
		return num("greater")
	case SpecialByte:
		return fmt.Sprintf("byte %d %c %d", n.Num, n.ByteOp, n.Value)
	case SpecialInbound:
		return "inbound"
	case SpecialOutbound:
		return "outbound"
	case SpecialIfindex:
		return num("ifindex")
	case SpecialVLAN:
		return num("vlan")
	case SpecialMPLS:
		return num("mpls")
	case SpecialPPPoED:
		return "pppoed"
	case SpecialPPPoES:
		return num("pppoes")
	case SpecialWLANType:
		if n.Value == wlanTypeMask {
			return fmt.Sprintf("type %d", n.Num)
		}
		return fmt.Sprintf("type %d subtype %d", n.Num&wlanTypeMask, n.Num&wlanSubtypeMask)
	case SpecialWLANDir:
		return fmt.Sprintf("dir %d", n.Num)
	case SpecialATM:
		return n.Name
	case SpecialGeneve:
		return num("geneve")
	case SpecialATMField:
		return fmt.Sprintf("%s %s %d", n.Name, relNames[n.Rel], n.Num)
	case SpecialLLC:
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

func (n *Relation) String() string {
	return n.X.String() + " " + relNames[n.Op] + " " + n.Y.String()
}

func (n *Number) String() string { return strconv.FormatUint(uint64(n.Value), 10) }
func (n *Length) String() string { return "len" }
func (n *Load) String() string {
	return fmt.Sprintf("%s[%s:%d]", n.Proto, n.Index, n.Size)
}
func (n *ArithBinary) String() string {
	return "(" + n.X.String() + " " + n.Op + " " + n.Y.String() + ")"
}
func (n *Negate) String() string { return "(-" + n.X.String() + ")" }
