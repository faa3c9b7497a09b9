package flows_test

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/pcaptool/pcaptool/flows"
	"github.com/pcaptool/pcaptool/internal/testenv"
)

// track runs a Tracker over a pcap file and returns its conversations by
// "proto id".
func track(t testing.TB, name string, streams flows.StreamHandler) map[string]*flows.Conversation {
	t.Helper()
	got := map[string]*flows.Conversation{}
	tr := flows.New(flows.Config{Streams: streams, OnEnd: func(c *flows.Conversation) {
		got[c.Proto.String()+" "+c.A.String()+" "+c.B.String()] = c
	}})
	r := openPcap(t, name)
	for {
		p, err := r.ReadPacket()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		tr.Add(p, r.Interfaces()[0].LinkType)
	}
	tr.Flush()
	return got
}

type tsharkConv struct {
	a, b           string
	packets, bytes [2]uint64
	stream         int
	proto          string
}

// tsharkConversations aggregates tshark's per-frame fields into
// conversations keyed like track's, counting IPv4 fragments for the
// conversation of the frame that reassembles them.
func tsharkConversations(t testing.TB, name string) map[string]*tsharkConv {
	t.Helper()
	tshark := testenv.RequireTool(t, "tshark")
	out, err := exec.Command(tshark, "-2", "-r", name, "-T", "fields", "-E", "separator=|",
		"-e", "frame.number", "-e", "frame.len", "-e", "tcp.stream", "-e", "udp.stream",
		"-e", "ip.src", "-e", "ipv6.src", "-e", "tcp.srcport", "-e", "udp.srcport",
		"-e", "ip.dst", "-e", "ipv6.dst", "-e", "tcp.dstport", "-e", "udp.dstport",
		"-e", "ip.reassembled_in").Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	type fragFrame struct{ in, length int }
	var frags []fragFrame
	frameConv := map[int]*tsharkConv{}
	frameDir := map[int]int{}
	convs := map[string]*tsharkConv{}
	byStream := map[string]*tsharkConv{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Split(line, "|")
		num, _ := strconv.Atoi(f[0])
		length, _ := strconv.Atoi(f[1])
		first := func(s string) string { return strings.Split(s, ",")[0] }
		src, dst := f[4]+f[5], f[8]+f[9]
		src, dst = first(src), first(dst)
		proto, stream, sp, dp := "tcp", f[2], f[6], f[10]
		if stream == "" {
			proto, stream, sp, dp = "udp", f[3], f[7], f[11]
		}
		if stream == "" {
			if in, err := strconv.Atoi(f[12]); err == nil && in != num {
				frags = append(frags, fragFrame{in, length})
			}
			continue
		}
		s := byStream[proto+stream]
		if s == nil {
			id, _ := strconv.Atoi(stream)
			s = &tsharkConv{a: joinHostPort(src, sp), b: joinHostPort(dst, dp), stream: id, proto: proto}
			byStream[proto+stream] = s
			convs[proto+" "+s.a+" "+s.b] = s
		}
		d := 0
		if joinHostPort(src, sp) != s.a {
			d = 1
		}
		s.packets[d]++
		s.bytes[d] += uint64(length)
		frameConv[num], frameDir[num] = s, d
	}
	for _, fr := range frags {
		if s := frameConv[fr.in]; s != nil {
			s.packets[frameDir[fr.in]]++
			s.bytes[frameDir[fr.in]] += uint64(fr.length)
		}
	}
	return convs
}

// bracketV6 turns tshark's "2001:db8::1:80" into "[2001:db8::1]:80".
func bracketV6(s string) string {
	i := strings.LastIndexByte(s, ':')
	if i < 0 || !strings.Contains(s[:i], ":") {
		return s
	}
	return "[" + s[:i] + "]" + s[i:]
}

func joinHostPort(h, p string) string {
	if strings.Contains(h, ":") {
		return "[" + h + "]:" + p
	}
	return h + ":" + p
}

// TestConversationsMatchTshark compares conversations of generated TCP
// sessions (with reordering, retransmissions, losses, resets) and UDP
// exchanges (with IPv4 fragments) with tshark's.
func TestConversationsMatchTshark(t *testing.T) {
	g := standardSessions(1, 48)
	name := g.write(t)
	got := track(t, name, nil)
	want := tsharkConversations(t, name)
	if len(got) != len(want) {
		t.Errorf("%d conversations, tshark has %d", len(got), len(want))
	}
	for k, w := range want {
		c := got[k]
		if c == nil {
			t.Errorf("missing conversation %s", k)
			continue
		}
		for d := range 2 {
			if c.Dir[d].Packets != w.packets[d] || c.Dir[d].Bytes != w.bytes[d] {
				t.Errorf("%s dir %d: %d packets %d bytes, tshark %d packets %d bytes",
					k, d, c.Dir[d].Packets, c.Dir[d].Bytes, w.packets[d], w.bytes[d])
			}
		}
		if c.Proto == flows.TCP && int(c.ID) >= 0 && !c.TCP.Handshake {
			t.Errorf("%s: handshake not recognised", k)
		}
	}
	t.Logf("%d conversations agree with tshark", len(want))
}

var convRow = regexp.MustCompile(`^(\S+)\s+<->\s+(\S+)\s+(\d+)\s+\S+\s+\S+\s+(\d+)\s+\S+\s+\S+\s+(\d+)`)

// TestConvTableMatchesTshark checks rows of tshark -q -z conv,tcp and
// conv,udp (endpoints and frames each way) against the tracker, on
// traffic without fragments, where tshark's frame counts are ours.
func TestConvTableMatchesTshark(t *testing.T) {
	tshark := testenv.RequireTool(t, "tshark")
	name := standardSessions(2, 24).write(t)
	got := track(t, name, nil)
	out, err := exec.Command(tshark, "-r", name, "-q", "-z", "conv,tcp", "-z", "conv,udp").Output()
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for _, line := range strings.Split(string(out), "\n") {
		m := convRow.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		rows++
		m[1], m[2] = bracketV6(m[1]), bracketV6(m[2])
		fromB, _ := strconv.ParseUint(m[3], 10, 64)
		fromA, _ := strconv.ParseUint(m[4], 10, 64)
		var c *flows.Conversation
		for _, p := range []string{"tcp", "udp"} {
			if c == nil {
				c = got[p+" "+m[1]+" "+m[2]]
			}
			if c == nil {
				c = got[p+" "+m[2]+" "+m[1]]
				if c != nil {
					fromA, fromB = fromB, fromA
				}
			}
		}
		if c == nil {
			t.Errorf("tshark row %q: no such conversation", line)
			continue
		}
		// tshark counts a fragmented datagram once; we count its frames.
		if c.Proto == flows.UDP {
			continue
		}
		if c.Dir[0].Packets != fromA || c.Dir[1].Packets != fromB {
			t.Errorf("%s <-> %s: %d/%d frames, tshark %d/%d", m[1], m[2], c.Dir[0].Packets, c.Dir[1].Packets, fromA, fromB)
		}
	}
	if rows != len(got) {
		t.Errorf("tshark lists %d conversations, tracker %d", rows, len(got))
	}
}

// TestStreamsMatchTsharkFollow exports reassembled streams and compares
// them with tshark -z follow,tcp,raw for every TCP session, including the
// reordered and retransmitted ones; sessions with a lost segment are
// compared too, tshark leaving out the missing bytes as we do.
func TestStreamsMatchTsharkFollow(t *testing.T) {
	tshark := testenv.RequireTool(t, "tshark")
	g := standardSessions(3, 24)
	name := g.write(t)
	dir := t.TempDir()
	exp, err := flows.NewExporter(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := track(t, name, exp)
	if err := exp.Close(); err != nil {
		t.Fatal(err)
	}
	var tcpConvs []*flows.Conversation
	for _, c := range got {
		if c.Proto == flows.TCP {
			tcpConvs = append(tcpConvs, c)
		}
	}
	args := []string{"-r", name, "-q"}
	for _, c := range tcpConvs {
		args = append(args, "-z", fmt.Sprintf("follow,tcp,raw,%d", c.ID))
	}
	out, err := exec.Command(tshark, args...).Output()
	if err != nil {
		t.Fatal(err)
	}
	follow := parseFollow(t, string(out))
	agree := 0
	for _, c := range tcpConvs {
		w, ok := follow[c.A.String()]
		if !ok {
			t.Errorf("tshark follow has no stream from %s", c.A)
			continue
		}
		for d, want := range [2][]byte{w[0], w[1]} {
			// tshark writes a note where bytes are missing; we skip them.
			var noted uint64
			want = missingNote.ReplaceAllFunc(want, func(m []byte) []byte {
				n, _ := strconv.ParseUint(string(missingNote.FindSubmatch(m)[1]), 10, 64)
				noted += n
				return nil
			})
			if noted != c.Dir[d].MissingBytes {
				t.Errorf("stream %d dir %d: %d bytes missing, tshark notes %d", c.ID, d, c.Dir[d].MissingBytes, noted)
			}
			gotBytes, _ := os.ReadFile(filepath.Join(dir, flows.FileName(c, flows.Dir(d))))
			if !bytes.Equal(gotBytes, want) {
				t.Errorf("stream %d %s dir %d: %d bytes exported, tshark follows %d", c.ID, c.A, d, len(gotBytes), len(want))
				continue
			}
			key := c.Endpoint(flows.Dir(d)).String() + ">" + c.Endpoint(flows.Dir(1-d)).String()
			if gen := g.want[key]; !g.lossy[key] && !bytes.Equal(gotBytes, gen) {
				t.Errorf("stream %d dir %d: exported bytes differ from the generated ones", c.ID, d)
			}
			agree++
		}
	}
	t.Logf("%d stream directions agree with tshark follow", agree)
}

var missingNote = regexp.MustCompile(`\[(\d+) bytes missing in capture file\]\x00?`)

// parseFollow reads tshark follow,tcp,raw blocks, keyed by node 0.
func parseFollow(t testing.TB, out string) map[string][2][]byte {
	res := map[string][2][]byte{}
	var node0 string
	var data [2][]byte
	for _, line := range strings.Split(out, "\n") {
		switch {
		case strings.HasPrefix(line, "Node 0: "):
			node0 = strings.TrimPrefix(line, "Node 0: ")
			data = [2][]byte{}
		case strings.HasPrefix(line, "Node 1: "), strings.HasPrefix(line, "Follow:"), strings.HasPrefix(line, "Filter:"), line == "":
		case strings.HasPrefix(line, "====="):
			if node0 != "" {
				res[node0] = data
				node0 = ""
			}
		default:
			d := 0
			if strings.HasPrefix(line, "\t") {
				d = 1
			}
			b, err := hex.DecodeString(strings.TrimSpace(line))
			if err != nil {
				t.Fatalf("follow line %q: %v", line, err)
			}
			data[d] = append(data[d], b...)
		}
	}
	return res
}
