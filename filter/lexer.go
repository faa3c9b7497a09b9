package filter

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// tokKind is a token of the pcap-filter language, as libpcap's scanner.l
// produces them.
type tokKind int

const (
	tEOF tokKind = iota
	tLexError
	tNum  // number, or a named number such as tcpflags or icmp-echo
	tID   // name
	tHID  // dotted IPv4 address, possibly partial (10.1)
	tHID6 // IPv6 address
	tEID  // MAC address
	tAID  // ARCnet address ($1f)

	// Punctuation.
	tPlus   // +
	tMinus  // -
	tStar   // *
	tSlash  // /
	tPct    // %
	tColon  // :
	tLBrack // [
	tRBrack // ]
	tBang   // ! or not
	tLT     // <
	tGT     // >
	tLParen // (
	tRParen // )
	tAmp    // &
	tPipe   // |
	tCaret  // ^
	tEQ     // = or ==
	tGEQ    // >=
	tLEQ    // <=
	tNEQ    // !=
	tLSH    // <<
	tRSH    // >>
	tAnd    // and, &&
	tOr     // or, ||

	// Keywords.
	tDst
	tSrc
	tLink
	tArp
	tRarp
	tIP
	tSCTP
	tTCP
	tUDP
	tICMP
	tIGMP
	tIGRP
	tPIM
	tVRRP
	tCARP
	tRadio
	tIPv6
	tICMPv6
	tAH
	tESP
	tAtalk
	tAARP
	tDecnet
	tLAT
	tSCA
	tMOPRC
	tMOPDL
	tISO
	tESIS
	tISIS
	tL1
	tL2
	tIIH
	tLSP
	tSNP
	tCSNP
	tPSNP
	tCLNP
	tSTP
	tIPX
	tNetBEUI
	tHost
	tNet
	tNetmask
	tPort
	tPortrange
	tProto
	tProtochain
	tGateway
	tType
	tSubtype
	tDir
	tAddr1
	tAddr2
	tAddr3
	tAddr4
	tRA
	tTA
	tLess
	tGreater
	tByte
	tBroadcast
	tMulticast
	tLen
	tInbound
	tOutbound
	tIfindex
	tVLAN
	tMPLS
	tPPPoED
	tPPPoES
	tGeneve
	tLLC
	tLinkKeyword // keywords of primitives for one family of link types (ATM, SS7 MTP, pflog)
)

var keywords = map[string]tokKind{
	"dst": tDst, "src": tSrc,
	"link": tLink, "ether": tLink, "ppp": tLink, "slip": tLink, "fddi": tLink, "tr": tLink, "wlan": tLink,
	"arp": tArp, "rarp": tRarp, "ip": tIP, "sctp": tSCTP, "tcp": tTCP, "udp": tUDP, "icmp": tICMP,
	"igmp": tIGMP, "igrp": tIGRP, "pim": tPIM, "vrrp": tVRRP, "carp": tCARP, "radio": tRadio,
	"ip6": tIPv6, "icmp6": tICMPv6, "ah": tAH, "esp": tESP,
	"atalk": tAtalk, "aarp": tAARP, "decnet": tDecnet, "lat": tLAT, "sca": tSCA, "moprc": tMOPRC, "mopdl": tMOPDL,
	"iso": tISO, "esis": tESIS, "es-is": tESIS, "isis": tISIS, "is-is": tISIS,
	"l1": tL1, "l2": tL2, "iih": tIIH, "lsp": tLSP, "snp": tSNP, "csnp": tCSNP, "psnp": tPSNP,
	"clnp": tCLNP, "stp": tSTP, "ipx": tIPX, "netbeui": tNetBEUI,
	"host": tHost, "net": tNet, "mask": tNetmask, "port": tPort, "portrange": tPortrange,
	"proto": tProto, "protochain": tProtochain, "gateway": tGateway,
	"type": tType, "subtype": tSubtype, "direction": tDir, "dir": tDir,
	"address1": tAddr1, "addr1": tAddr1, "address2": tAddr2, "addr2": tAddr2,
	"address3": tAddr3, "addr3": tAddr3, "address4": tAddr4, "addr4": tAddr4, "ra": tRA, "ta": tTA,
	"less": tLess, "greater": tGreater, "byte": tByte, "broadcast": tBroadcast, "multicast": tMulticast,
	"and": tAnd, "or": tOr, "not": tBang,
	"len": tLen, "length": tLen, "inbound": tInbound, "outbound": tOutbound, "ifindex": tIfindex,
	"vlan": tVLAN, "mpls": tMPLS, "pppoed": tPPPoED, "pppoes": tPPPoES, "geneve": tGeneve,
	"llc": tLLC,
}

// linkKeywords are reserved words of the language whose primitives
// apply only to one family of link types (ATM, SS7, pflog).
var linkKeywords = []string{
	"lane", "metac", "bcc", "oam", "oamf4", "oamf4ec", "oamf4sc", "sc", "ilmic", "vpi", "vci",
	"connectmsg", "metaconnect", "on", "ifname", "rset", "ruleset", "rnr", "rulenum", "srnr",
	"subrulenum", "reason", "action", "fisu", "lssu", "lsu", "msu", "hfisu", "hlssu", "hmsu",
	"sio", "opc", "dpc", "sls", "hsio", "hopc", "hdpc", "hsls",
}

// namedNumbers are the scanner's words that stand for numbers.
var namedNumbers = map[string]uint32{
	"icmptype": 0, "icmpcode": 1,
	"icmp-echoreply": 0, "icmp-unreach": 3, "icmp-sourcequench": 4, "icmp-redirect": 5,
	"icmp-echo": 8, "icmp-routeradvert": 9, "icmp-routersolicit": 10, "icmp-timxceed": 11,
	"icmp-paramprob": 12, "icmp-tstamp": 13, "icmp-tstampreply": 14, "icmp-ireq": 15,
	"icmp-ireqreply": 16, "icmp-maskreq": 17, "icmp-maskreply": 18,
	"icmp6type": 0, "icmp6code": 1,
	"icmp6-destinationunreach": 1, "icmp6-packettoobig": 2, "icmp6-timeexceeded": 3,
	"icmp6-parameterproblem": 4, "icmp6-echo": 128, "icmp6-echoreply": 129,
	"icmp6-multicastlistenerquery": 130, "icmp6-multicastlistenerreportv1": 131,
	"icmp6-multicastlistenerdone": 132, "icmp6-routersolicit": 133, "icmp6-routeradvert": 134,
	"icmp6-neighborsolicit": 135, "icmp6-neighboradvert": 136, "icmp6-redirect": 137,
	"icmp6-routerrenum": 138, "icmp6-nodeinformationquery": 139,
	"icmp6-nodeinformationresponse": 140, "icmp6-ineighbordiscoverysolicit": 141,
	"icmp6-ineighbordiscoveryadvert": 142, "icmp6-multicastlistenerreportv2": 143,
	"icmp6-homeagentdiscoveryrequest": 144, "icmp6-homeagentdiscoveryreply": 145,
	"icmp6-mobileprefixsolicit": 146, "icmp6-mobileprefixadvert": 147,
	"icmp6-certpathsolicit": 148, "icmp6-certpathadvert": 149,
	"icmp6-multicastrouteradvert": 151, "icmp6-multicastroutersolicit": 152,
	"icmp6-multicastrouterterm": 153,
	"tcpflags":                  13, "tcp-fin": 0x01, "tcp-syn": 0x02, "tcp-rst": 0x04, "tcp-push": 0x08,
	"tcp-ack": 0x10, "tcp-urg": 0x20, "tcp-ece": 0x40, "tcp-cwr": 0x80,
}

func init() {
	for _, k := range linkKeywords {
		keywords[k] = tLinkKeyword
	}
}

// token is one lexeme with its byte offset in the expression.
type token struct {
	kind tokKind
	pos  int
	text string // the source text (without the backslash of an escaped name)
	num  uint32 // value of tNum
	err  string // message of tLexError
}

// The scanner classes that are regular expressions, compiled for
// leftmost-longest matching as flex does.
var (
	reN    = `(0[xX][0-9A-Fa-f]+|[0-9]+)`
	reB    = `[0-9A-Fa-f][0-9A-Fa-f]?`
	reB2   = `[0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f][0-9A-Fa-f]`
	reW    = `[0-9A-Fa-f][0-9A-Fa-f]?[0-9A-Fa-f]?[0-9A-Fa-f]?`
	reIPv4 = reN + `\.` + reN + `\.` + reN + `\.` + reN
)

// scannerRegexps are the compiled scanner classes.
type scannerRegexps struct {
	aid, mac, n, hid, v6, bogusMAC, id *regexp.Regexp
}

// scannerClasses compiles the classes on first use rather than at program
// start: every pcaptool command links this package, few compile filters,
// and the IPv6 class alone takes milliseconds and about a megabyte.
var scannerClasses = sync.OnceValue(func() *scannerRegexps {
	return &scannerRegexps{
		aid:      longest(`\$` + reB),
		mac:      longest(fmt.Sprintf(`(%[1]s:%[1]s:%[1]s:%[1]s:%[1]s:%[1]s|%[1]s-%[1]s-%[1]s-%[1]s-%[1]s-%[1]s|%[1]s\.%[1]s\.%[1]s\.%[1]s\.%[1]s\.%[1]s|%[2]s\.%[2]s\.%[2]s|%[2]s%[2]s%[2]s)`, reB, reB2)),
		n:        longest(reN),
		hid:      longest(`(` + reN + `\.` + reN + `|` + reN + `\.` + reN + `\.` + reN + `|` + reIPv4 + `)`),
		v6:       longest(ipv6Pattern()),
		bogusMAC: longest(reB + `:+(` + reB + `:+)+`),
		id:       longest(`[A-Za-z0-9]([-_.A-Za-z0-9]*[.A-Za-z0-9])?`),
	}
})

func longest(expr string) *regexp.Regexp {
	r := regexp.MustCompile(`^(?:` + expr + `)`)
	r.Longest()
	return r
}

// ipv6Pattern builds scanner.l's V6 alternatives: eight groups, or fewer
// around one "::", optionally ending in a dotted IPv4 address.
func ipv6Pattern() string {
	var alts []string
	w := reW
	group := func(n int) string { return strings.TrimSuffix(strings.Repeat(w+":", n), ":") }
	alts = append(alts, group(8))
	for total := 7; total >= 0; total-- {
		for left := 0; left <= total; left++ {
			right := total - left
			alts = append(alts, group(left)+"::"+group(right))
		}
	}
	alts = append(alts, strings.Repeat(w+":", 6)+reIPv4)
	for total := 5; total >= 0; total-- {
		for left := 0; left <= total; left++ {
			right := total - left
			r := ""
			if right > 0 {
				r = group(right) + ":"
			}
			alts = append(alts, group(left)+"::"+r+reIPv4)
		}
	}
	return "(" + strings.Join(alts, "|") + ")"
}

// lex splits expr into tokens the way libpcap's flex scanner does: the
// longest match wins, and among equally long matches the rule listed
// first in scanner.l.
func lex(expr string) []token {
	var toks []token
	i := 0
	for {
		for i < len(expr) && strings.IndexByte(" \r\n\t", expr[i]) >= 0 {
			i++
		}
		if i >= len(expr) {
			toks = append(toks, token{kind: tEOF, pos: i})
			return toks
		}
		t := lexOne(expr[i:])
		t.pos = i
		toks = append(toks, t)
		if t.kind == tLexError {
			toks = append(toks, token{kind: tEOF, pos: len(expr)})
			return toks
		}
		i += max(len(t.text), 1)
		if t.kind == tID && strings.HasPrefix(expr[t.pos:], `\`) {
			i++
		}
	}
}

func lexOne(s string) token {
	// Candidates in scanner.l rule order; a later one wins only when longer.
	best := token{kind: tLexError, text: s[:1], err: fmt.Sprintf("unexpected character %q", s[:1])}
	bestLen := 0
	consider := func(n int, t token) {
		if n > bestLen {
			bestLen = n
			best = t
		}
	}
	// Keywords are literal rules listed first.
	for kw, k := range keywords {
		if strings.HasPrefix(s, kw) {
			consider(len(kw), token{kind: k, text: kw})
		}
	}
	// Punctuation.
	if len(s) >= 2 {
		switch s[:2] {
		case "&&":
			consider(2, token{kind: tAnd, text: "&&"})
		case "||":
			consider(2, token{kind: tOr, text: "||"})
		case ">=":
			consider(2, token{kind: tGEQ, text: ">="})
		case "<=":
			consider(2, token{kind: tLEQ, text: "<="})
		case "!=":
			consider(2, token{kind: tNEQ, text: "!="})
		case "==":
			consider(2, token{kind: tEQ, text: "=="})
		case "<<":
			consider(2, token{kind: tLSH, text: "<<"})
		case ">>":
			consider(2, token{kind: tRSH, text: ">>"})
		}
	}
	if k, ok := punct[s[0]]; ok {
		consider(1, token{kind: k, text: s[:1]})
	}
	rx := scannerClasses()
	if m := rx.aid.FindString(s); m != "" {
		consider(len(m), token{kind: tAID, text: m})
	}
	if m := rx.mac.FindString(s); m != "" {
		consider(len(m), token{kind: tEID, text: m})
	}
	if m := rx.n.FindString(s); m != "" {
		n, err := parseNumber(m)
		if err != "" {
			consider(len(m), token{kind: tLexError, text: m, err: err})
		} else {
			consider(len(m), token{kind: tNum, text: m, num: n})
		}
	}
	if m := rx.hid.FindString(s); m != "" {
		consider(len(m), token{kind: tHID, text: m})
	}
	if m := rx.v6.FindString(s); m != "" {
		consider(len(m), token{kind: tHID6, text: m})
	}
	if m := rx.bogusMAC.FindString(s); m != "" {
		consider(len(m), token{kind: tLexError, text: m, err: "bogus ethernet address " + m})
	}
	if m := rx.id.FindString(s); m != "" {
		if v, ok := namedNumbers[m]; ok {
			consider(len(m), token{kind: tNum, text: m, num: v})
		}
		for name, v := range namedNumbers {
			if strings.HasPrefix(s, name) {
				consider(len(name), token{kind: tNum, text: name, num: v})
			}
		}
		consider(len(m), token{kind: tID, text: m})
	}
	if s[0] == '\\' {
		j := 1
		for j < len(s) && strings.IndexByte(" !()\n\t", s[j]) < 0 {
			j++
		}
		if j > 1 {
			consider(j, token{kind: tID, text: s[1:j]})
		}
	}
	return best
}

var punct = map[byte]tokKind{
	'+': tPlus, '-': tMinus, '*': tStar, '/': tSlash, '%': tPct, ':': tColon, '[': tLBrack,
	']': tRBrack, '!': tBang, '<': tLT, '>': tGT, '(': tLParen, ')': tRParen, '&': tAmp,
	'|': tPipe, '^': tCaret, '=': tEQ,
}

// parseNumber converts decimal, 0x-hex or 0-octal text as libpcap's stou
// does, reporting overflow and bad octal digits.
func parseNumber(s string) (uint32, string) {
	var n uint64
	switch {
	case len(s) > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'):
		for _, c := range s[2:] {
			var d uint64
			switch {
			case c >= '0' && c <= '9':
				d = uint64(c - '0')
			case c >= 'a' && c <= 'f':
				d = uint64(c-'a') + 10
			default:
				d = uint64(c-'A') + 10
			}
			n = n<<4 + d
			if n > 0xffffffff {
				return 0, fmt.Sprintf("number %s overflows 32 bits", s)
			}
		}
	case s[0] == '0':
		for _, c := range s[1:] {
			if c > '7' {
				return 0, fmt.Sprintf("number %s contains non-octal digit", s)
			}
			n = n<<3 + uint64(c-'0')
			if n > 0xffffffff {
				return 0, fmt.Sprintf("number %s overflows 32 bits", s)
			}
		}
	default:
		for _, c := range s {
			n = n*10 + uint64(c-'0')
			if n > 0xffffffff {
				return 0, fmt.Sprintf("number %s overflows 32 bits", s)
			}
		}
	}
	return uint32(n), ""
}
