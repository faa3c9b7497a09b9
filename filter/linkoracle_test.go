package filter

import (
	"encoding/binary"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/internal/testenv"
	"github.com/pcaptool/pcaptool/linktype"
)

// The corpus has no pflog or SS7 captures and few packets with chains of
// IPv6 extension headers, so these tests make such packets (deterministic
// pseudo-random fields) and let tcpdump -r judge them, as the corpus tests
// do.

// synthCapture writes packets of link type lt to a temporary pcap file.
func synthCapture(t *testing.T, name string, lt linktype.LinkType, frames [][]byte) *capture {
	c := &capture{name: name, lt: lt, order: binary.LittleEndian}
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for i, f := range frames {
		c.pkts = append(c.pkts, packet{ts: base.Add(time.Duration(i) * time.Millisecond), orig: len(f), data: f})
	}
	writeCapture(t, t.TempDir(), c)
	c.pkts = readFilePackets(t, c.path)
	return c
}

// ipPacket is an IPv4 or IPv6 packet with a TCP, UDP or ICMP header,
// addresses and ports from small sets, sometimes a fragment or cut short.
func ipPacket(r *rand.Rand, v6 bool) []byte {
	protos := []byte{6, 17, 1, 58}
	proto := protos[r.IntN(len(protos))]
	var p []byte
	if v6 {
		p = make([]byte, 40)
		p[0] = 0x60
		p[6] = proto
		p[23] = byte(1 + r.IntN(2))
		p[39] = byte(1 + r.IntN(2))
		if r.IntN(2) == 0 {
			p[24] = 0xff
		}
	} else {
		p = make([]byte, 20)
		p[0] = 0x45
		p[8] = 64
		p[9] = proto
		copy(p[12:], []byte{10, 0, 0, byte(1 + r.IntN(2))})
		copy(p[16:], []byte{192, 168, 1, byte(1 + r.IntN(2))})
		if r.IntN(8) == 0 {
			p[7] = 8 // a later fragment
		}
		if r.IntN(8) == 0 {
			p[16] = 224
		}
	}
	l4 := make([]byte, 20)
	ports := []uint16{53, 80, 443, 1024}
	binary.BigEndian.PutUint16(l4, ports[r.IntN(len(ports))])
	binary.BigEndian.PutUint16(l4[2:], ports[r.IntN(len(ports))])
	l4[0] |= byte(r.IntN(2)) << 7 >> 7 // ICMP types 0 and 1 as well
	l4[12], l4[13] = 0x50, byte(r.IntN(64))
	p = append(p, l4...)
	return p[:len(p)-r.IntN(3)*8]
}

// encFrames are OpenBSD enc(4) headers (address family in the file's
// byte order, SPI, flags) before IPv4 and IPv6 packets.
func encFrames(r *rand.Rand) [][]byte {
	var out [][]byte
	for i := range 60 {
		h := make([]byte, 12)
		af := []uint32{2, 10, 24, 7}[i%4]
		binary.LittleEndian.PutUint32(h, af)
		out = append(out, append(h, ipPacket(r, af != 2)...))
	}
	return out
}

// pflogFrames are pfloghdr headers (64 bytes, as OpenBSD writes them)
// with varied interface, ruleset, rule numbers, reason and action, before
// an IPv4 or IPv6 packet.
func pflogFrames(r *rand.Rand) [][]byte {
	ifnames := []string{"em0", "eth0", "vlan0.1", "abcdefghijklmno", "e"}
	rulesets := []string{"", "foo", "abc", "ruleset1"}
	var out [][]byte
	for i := range 60 {
		h := make([]byte, 64)
		h[0] = []byte{61, 64, 45}[i%3] // the payload starts at the length rounded up to 4
		h[1] = []byte{2, 10, 24}[i%3]
		h[2] = byte(r.IntN(12))
		h[3] = byte(r.IntN(16))
		copy(h[pflogOffIfname:], ifnames[i%len(ifnames)])
		copy(h[pflogOffRuleset:], rulesets[r.IntN(len(rulesets))])
		binary.BigEndian.PutUint32(h[pflogOffRulenr:], uint32(r.IntN(8)))
		binary.BigEndian.PutUint32(h[pflogOffSubrulenr:], uint32(r.IntN(4)))
		h[pflogOffDir] = byte(r.IntN(3))
		h = h[:(int(h[0])+3)&^3]
		out = append(out, append(h, ipPacket(r, h[1] != 2)...))
	}
	return out
}

// mtp2Frames are SS7 signal units after a prefix of pad bytes (the
// MTP2_WITH_PHDR or ERF header): length indicators of FISUs, LSSUs and
// MSUs, and random SIO and routing labels.
func mtp2Frames(r *rand.Rand, pad int) [][]byte {
	var out [][]byte
	for i := range 80 {
		f := make([]byte, pad+16)
		for j := range f {
			f[j] = byte(r.Uint32())
		}
		f[pad+2] = byte([]int{0, 1, 2, 3, 63, 0xc0, 0x41}[i%7])
		f[pad+4] = byte([]int{0, 0x7f, 0x80, 0x81}[i%4])
		f[pad+5] = byte(i % 3)
		f[pad+3] = byte(i % 5)
		out = append(out, f[:pad+3+r.IntN(14)])
	}
	return out
}

// libpcapChainSteps follows libpcap's protochain loop on an Ethernet
// frame and returns how many headers it steps over, or -1 when it never
// stops (its AH step can land on the same header again: tcpdump hangs on
// such packets).
func libpcapChainSteps(f []byte, v6 bool) int {
	const nl = 14
	var a, x int
	switch {
	case !v6 && len(f) > nl+9:
		a, x = int(f[nl+9]), int(f[nl]&0xf)*4
	case v6 && len(f) > nl+6:
		a, x = int(f[nl+6]), 40
	default:
		return 0
	}
	for steps := 0; steps < 1000; steps++ {
		isExt := v6 && (a == 0 || a == 60 || a == 43 || a == 44)
		if !isExt && a != ipProtoAH || nl+x+1 >= len(f) {
			return steps
		}
		if isExt {
			a, x = int(f[nl+x]), x+(int(f[nl+x+1])+1)*8
		} else {
			a, x = int(f[nl+x]), (int(f[nl+x+1])+2)*4
		}
	}
	return -1
}

// ipv6ChainFrames are Ethernet frames of IPv6 packets with chains of
// extension headers (hop-by-hop, destination options, routing, fragment,
// AH) before TCP, UDP or ICMPv6, and IPv4 packets with AH headers, some
// cut short. Frames on which libpcap's walk does not stop within
// protochainDepth headers are left out: tcpdump may never finish them,
// and pcaptool's walk stops there by design.
func ipv6ChainFrames(r *rand.Rand) [][]byte {
	ext := []byte{0, 60, 43, 44, 51}
	upper := []byte{6, 17, 58, 59, 50}
	var out [][]byte
	for i := range 120 {
		f := make([]byte, 14, 400)
		if i%4 == 3 { // IPv4 with AH headers
			binary.BigEndian.PutUint16(f[12:], 0x0800)
			ip := make([]byte, 20)
			ip[0] = 0x45
			n := r.IntN(4)
			ip[9] = upper[r.IntN(len(upper))]
			if n > 0 {
				ip[9] = 51
			}
			f = append(f, ip...)
			for k := range n {
				ah := make([]byte, 24)
				ah[0] = 51
				if k == n-1 {
					ah[0] = upper[r.IntN(len(upper))]
				}
				ah[1] = byte(r.IntN(5))
				f = append(f, ah...)
			}
		} else {
			binary.BigEndian.PutUint16(f[12:], 0x86dd)
			ip := make([]byte, 40)
			ip[0] = 0x60
			n := r.IntN(protochainDepth(protoIPv6) + 1)
			types := make([]byte, n+1)
			for k := range n {
				types[k] = ext[r.IntN(len(ext))]
			}
			types[n] = upper[r.IntN(len(upper))]
			ip[6] = types[0]
			f = append(f, ip...)
			for k := 0; k < n; k++ {
				l := r.IntN(3)
				h := make([]byte, (l+1)*8)
				if types[k] == 51 {
					h = make([]byte, (l+2)*4)
				}
				h[0], h[1] = types[k+1], byte(l)
				f = append(f, h...)
			}
		}
		f = append(f, make([]byte, 20)...)
		if i%9 == 0 {
			f = f[:len(f)-20-r.IntN(10)]
		}
		if s4, s6 := libpcapChainSteps(f, false), libpcapChainSteps(f, true); s4 >= 0 && s4 <= protochainDepth(protoIP) &&
			s6 >= 0 && s6 <= protochainDepth(protoIPv6) {
			out = append(out, f)
		}
	}
	return out
}

// TestSynthOracle compares pflog, SS7 and protochain verdicts with
// tcpdump's on made-up packets, and "net NAME" with the names of
// /etc/networks (both sides read the same file).
func TestSynthOracle(t *testing.T) {
	testenv.RequireTool(t, "tcpdump")
	r := rand.New(rand.NewPCG(15, 15))
	pflogExprs := []string{"on em0", "ifname eth0", "on vlan0.1", "ifname abcdefghijklmno", "on e", "rset foo",
		"ruleset abc", "rnr 3", "rulenum 0", "srnr 2", "subrulenum 1", "reason match", "reason 3",
		"reason state-mismatch", "action pass", "action block", "action nat", "action 1", "on em0 and action drop",
		"not rnr 5 or reason short", "len > 100 and ifname em0", "reason foo", "on abcdefghijklmnop", "sio 3",
		"inbound", "outbound", "not inbound and ip6"}
	// Protocol tests on pflog (payload after the rounded-up header
	// length) and enc (12-byte header).
	ipExprs := []string{"ip", "ip6", "tcp", "udp port 53", "tcp port 80 or udp port 443", "host 10.0.0.1",
		"src net 192.168.1.0/24", "ip6 host ::1", "ip6 dst host ::2", "icmp", "icmp6", "ip[9] = 17",
		"tcp[13] & 0x12 != 0", "tcp[tcpflags] & tcp-syn != 0", "ip6[6] = 6", "portrange 50-100",
		"ip multicast", "ip6 multicast", "ip proto 1", "ip6 proto 17", "len > 60 and ip", "arp",
		"ip[ip[0] & 0xf] = 0", "udp[0:2] = 53", "not ip and not ip6", "vlan", "protochain 6"}
	mtpExprs := []string{"fisu", "lssu", "lsu", "msu", "hfisu", "hlssu", "hmsu", "sio 3", "sio > 2", "sio <= 1",
		"sio != 3", "sio (1 or 4)", "opc 1", "opc < 100", "dpc 2", "dpc >= 300", "sls 3", "sls > 8", "hsio 3",
		"hopc 5", "hdpc (1 or 2)", "hsls 2", "msu and sio 3", "not fisu", "sio 256", "on em0"}
	chainExprs := []string{"protochain 6", "ip6 protochain 17", "ip protochain 6", "ip6 protochain 58",
		"protochain 59", "ip6 protochain 44", "ip6 protochain 51", "ip protochain 51", "protochain 50",
		"protochain 6 or udp", "not ip6 protochain 6", "protochain \\udp and ip6", "tcp protochain 6",
		"vlan and protochain 6"}
	netExprs := []string{"net loopback", "net link-local", "src net localnet", "net default", "ip net loopback",
		"net nosuchnetwork"}
	ether := synthCapture(t, "ipv6chains", linktype.Ethernet, ipv6ChainFrames(r))
	pflog := synthCapture(t, "pflog", ltPFLOG, pflogFrames(r))
	cases := []struct {
		c     *capture
		exprs []string
	}{
		{pflog, pflogExprs},
		{pflog, ipExprs},
		{pflog, []string{"on em0 and tcp port 80", "action pass and ip6", "rnr 3 or icmp"}},
		{synthCapture(t, "enc", ltENC, encFrames(r)), ipExprs},
		{synthCapture(t, "mtp2", ltMTP2, mtp2Frames(r, 0)), mtpExprs},
		{synthCapture(t, "mtp2_phdr", ltMTP2WithPHdr, mtp2Frames(r, 4)), mtpExprs},
		{synthCapture(t, "erf", ltERF, mtp2Frames(r, 20)), mtpExprs},
		{ether, chainExprs},
		{ether, netExprs},
	}
	if _, err := os.Stat(networksFile); err != nil {
		t.Logf("%s: %v: the net NAME expressions only check that both reject", networksFile, err)
	}
	for _, tc := range cases {
		for _, e := range tc.exprs {
			if res := runOracle(t, tc.c, e); !res.agree {
				t.Errorf("%s: %q: tcpdump %s, pcaptool %s", tc.c.name, e, res.theirs, res.ours)
			}
		}
	}
}

// radioHeaderFrames puts the corpus's 802.11 frames behind an AVS header
// (64 bytes, its length at 4) or, for Prism, behind a 144-byte Prism
// header, one frame in three behind an AVS header instead (Prism
// captures may hold either; the message code tells them apart).
func radioHeaderFrames(frames []packet, prism bool) [][]byte {
	var out [][]byte
	for i, p := range frames {
		avs := !prism || i%3 == 0
		n := 144
		if avs {
			n = 64
		}
		h := make([]byte, n, n+len(p.data))
		if avs {
			binary.BigEndian.PutUint32(h, 0x80211001)
			binary.BigEndian.PutUint32(h[4:], 64)
		} else {
			binary.LittleEndian.PutUint32(h, 0x44) // DIDmsg_lnxind_wlansniffrm
			binary.LittleEndian.PutUint32(h[4:], 144)
		}
		h[20] = byte(i) // something for radio[] to see
		out = append(out, append(h, p.data...))
	}
	return out
}

// TestRadioHeaderOracle compares the development list's verdicts with
// tcpdump's on 802.11 frames behind AVS and Prism headers, which the
// corpus has no captures of (one expression in three unless
// PCAPTOOL_FILTER_FULL=1).
func TestRadioHeaderOracle(t *testing.T) {
	testenv.RequireTool(t, "tcpdump")
	dir := testenv.CorpusDir(t, "tcpdump")
	frames := readCorpusPackets(t, dir, linktype.IEEE80211, 10)
	if len(frames) == 0 {
		t.Skip("no 802.11 captures in the corpus")
	}
	caps := []*capture{
		synthCapture(t, "avs", ltAVS, radioHeaderFrames(frames, false)),
		synthCapture(t, "prism", ltPrism, radioHeaderFrames(frames, true)),
	}
	full := os.Getenv("PCAPTOOL_FILTER_FULL") == "1"
	kept := 0
	for i, e := range readExpressionList(t, "dev.txt") {
		if !full && i%3 != 0 {
			continue
		}
		for _, c := range caps {
			res := runOracle(t, c, e)
			if !res.agree {
				t.Errorf("%s: %q: tcpdump %s, pcaptool %s", c.name, e, res.theirs, res.ours)
			}
			if strings.HasSuffix(res.theirs, " packets") && !strings.HasPrefix(res.theirs, "0 ") {
				kept++
			}
		}
	}
	// The frames must reach libpcap's 802.11 code, not be rejected whole.
	if kept < 10 {
		t.Errorf("only %d (capture, expression) pairs keep a packet", kept)
	}
	t.Logf("%d (capture, expression) pairs keep packets", kept)
}
