package filter

import (
	"testing"
	"time"

	"golang.org/x/net/bpf"

	"github.com/pcaptool/pcaptool/linktype"
)

var supportedLinkTypes = []linktype.LinkType{linktype.Ethernet, linktype.LinuxSLL, linktype.LinuxSLL2,
	linktype.Raw, linktype.IPv4, linktype.IPv6, linktype.Null, linktype.Loop}

// moreLinkTypes are the other link types the fuzzers and kernel test
// compile for: 802.11 with and without radiotap, PPP, Cisco HDLC, SunATM,
// Frame Relay, ARCnet, IPNET, Juniper Ethernet, NFLOG, pflog, enc, SS7 MTP2.
var moreLinkTypes = []linktype.LinkType{linktype.IEEE80211, linktype.Radiotap, linktype.PPP, linktype.CHDLC,
	linktype.SunATM, ltFrameRelay, ltARCnetLinux, ltIPNet, 178, linktype.NFLog, ltPFLOG, ltENC, ltMTP2}

// grammarSeeds reach the link-type specific grammar (pflog, SS7, ATM
// field lists) and protochain in the forms the lists above do not.
var grammarSeeds = []string{
	"on em0 and action block", "ifname a_b-c.d or rset ruleset1", "rulenum 7 and subrulenum 2",
	"reason STATE-MISMATCH", "reason 300", "action synproxy-drop", "action accept or action DROP",
	"lsu or hfisu or hmsu", "sio (1 or 2) and opc < 100", "hdpc >= 1000 and hsls 15", "sls != 3",
	"dpc 16383 or hopc (3 or 4)", "vci (5 or 16) and vpi > 0",
	"protochain 59", "ip6 protochain 44 and not ip6 protochain 6", "ip protochain \\udp",
	"vlan and protochain 6", "mpls and ip6 protochain 58", "protochain 6 or protochain 17",
}

func fuzzSeeds(f *testing.F) {
	for _, e := range readExpressionList(f, "dev.txt") {
		f.Add(e)
	}
	for _, e := range grammarSeeds {
		f.Add(e)
	}
	for _, e := range oracleExpressions {
		f.Add(expandTemplate(e, addresses{ip4: "10.1.2.3", ip4b: "10.1.2.4", net8: "10.0.0.0", net16: "10.1",
			net24: "10.1.2", ip6: "2001:db8::1", ip6net: "2001:db8::", mac: "02:00:00:00:00:01", port: "443"}))
	}
}

// checkProgram verifies what every emitted program must satisfy: it
// assembles, passes Validate (jumps in range, ends in a return, so it is
// finite) and runs on a few packets.
func checkProgram(t *testing.T, expr string, prog []bpf.Instruction) {
	raw, err := bpf.Assemble(prog)
	if err != nil {
		t.Fatalf("%q: program does not assemble: %v", expr, err)
	}
	if err := Validate(raw); err != nil {
		t.Fatalf("%q: %v", expr, err)
	}
	m, err := NewMatcher(prog)
	if err != nil {
		t.Fatalf("%q: %v", expr, err)
	}
	for _, p := range [][]byte{nil, make([]byte, 14), make([]byte, 60), make([]byte, 1514)} {
		m.Match(p, len(p))
	}
}

func FuzzParse(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, expr string) {
		n, err := Parse(expr)
		if err != nil {
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("%q: error %T is not a *SyntaxError", expr, err)
			}
			return
		}
		if n == nil || hasUndefinedQualifier(n) {
			return
		}
		// The rendering parses back to the same rendering.
		s := n.String()
		n2, err := Parse(s)
		if err != nil {
			t.Fatalf("%q renders as %q, which does not parse: %v", expr, s, err)
		}
		if n2.String() != s {
			t.Fatalf("%q renders as %q, which renders as %q", expr, s, n2.String())
		}
	})
}

func FuzzCompile(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, expr string) {
		if len(expr) > 512 {
			return
		}
		for _, lt := range append(supportedLinkTypes, moreLinkTypes...) {
			// An expression of 512 bytes compiles in milliseconds; a
			// blow-up (once: quadratic parsing of nested parentheses,
			// optimizer cost growing with blocks times facts) shows as a
			// fuzzer stalled at "0/sec" while it minimizes slow inputs.
			start := time.Now()
			prog, err := CompileOptions(expr, lt, Options{NoResolve: true})
			if d := time.Since(start); d > 3*time.Second {
				t.Fatalf("%q on %v: compiling took %v", expr, lt, d)
			}
			if err != nil {
				continue
			}
			checkProgram(t, expr, prog)
		}
	})
}

// hasUndefinedQualifier reports a bare identifier with nothing to inherit
// a qualifier from ("(host a) or b"): it parses but does not compile, and
// has no rendering of its own.
func hasUndefinedQualifier(n Node) bool {
	switch n := n.(type) {
	case *binaryNode:
		return hasUndefinedQualifier(n.X) || hasUndefinedQualifier(n.Y)
	case *notNode:
		return hasUndefinedQualifier(n.X)
	case *primitiveNode:
		return n.Qual.Proto == protoQualUndef
	}
	return false
}
