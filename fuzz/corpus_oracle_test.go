package fuzz

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pcaptool/pcaptool/internal/testenv"
	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pcapng"
)

// damage is one way of breaking a valid capture at packet k.
type damage struct {
	name string
	// apply returns the damaged copy and the offset of the record or
	// block the error must name.
	apply func(data []byte, l layout, k int) ([]byte, int)
}

// lengthField is the offset of the length field to overwrite in the
// record or block at off: a pcap record's captured length, a pcapng
// block's total length.
func lengthField(data []byte, off int) int {
	if pcap.IsPcap(data) {
		return off + 8
	}
	return off + 4
}

// byteOrderAt returns the byte order of the pcap file, or of the pcapng
// section holding off (the last section header before it).
func byteOrderAt(data []byte, off int) binary.ByteOrder {
	if pcap.IsPcap(data) {
		if binary.LittleEndian.Uint32(data) == 0xa1b2c3d4 || binary.LittleEndian.Uint32(data) == 0xa1b23c4d {
			return binary.LittleEndian
		}
		return binary.BigEndian
	}
	order := binary.ByteOrder(binary.LittleEndian)
	for p := 0; p+12 <= off; {
		if binary.LittleEndian.Uint32(data[p:]) == 0x0a0d0d0a {
			if binary.LittleEndian.Uint32(data[p+8:]) == 0x1a2b3c4d {
				order = binary.LittleEndian
			} else {
				order = binary.BigEndian
			}
		}
		n := int(order.Uint32(data[p+4:]))
		if n < 12 {
			break
		}
		p += n
	}
	return order
}

var damages = []damage{
	{"cut inside packet", func(data []byte, l layout, k int) ([]byte, int) {
		start, end := l.packetStarts[k], l.packetEnds[k]
		cut := start + 1 + (end-start-1)/2
		return bytes.Clone(data[:cut]), start
	}},
	{"length 0xfffffff0", func(data []byte, l layout, k int) ([]byte, int) {
		b := bytes.Clone(data)
		off := l.packetStarts[k]
		byteOrderAt(b, off).PutUint32(b[lengthField(b, off):], 0xfffffff0)
		return b, off
	}},
	{"length past the end", func(data []byte, l layout, k int) ([]byte, int) {
		b := bytes.Clone(data)
		off := l.packetStarts[k]
		// A plausible length (a multiple of 4, below every limit) that
		// runs past the end of the file.
		n := (len(b)-off+4096)&^3 + 64
		byteOrderAt(b, off).PutUint32(b[lengthField(b, off):], uint32(n))
		return b, off
	}},
}

// oracleCount returns how many packets tcpdump (or tshark) reads from
// path before it stops.
func oracleCount(t *testing.T, tool, path string) (int, string) {
	t.Helper()
	switch tool {
	case "tcpdump":
		// What tcpdump writes is what libpcap read before the damage.
		out := path + ".tcpdump.pcap"
		cmd := exec.Command("tcpdump", "-r", path, "-w", out)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		cmd.Run()
		defer os.Remove(out)
		data, err := os.ReadFile(out)
		if err != nil || len(data) == 0 {
			return 0, stderr.String()
		}
		l, err := layoutOf(data)
		if err != nil {
			t.Fatalf("tcpdump's output of %s is unreadable: %v", path, err)
		}
		return len(l.packetEnds), strings.TrimSpace(stderr.String())
	default:
		cmd := exec.Command("tshark", "-n", "-r", path, "-T", "fields", "-e", "frame.number")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		cmd.Run()
		return strings.Count(stdout.String(), "\n"), strings.TrimSpace(stderr.String())
	}
}

// oursCount reads path through capfile and returns the packets before the
// error and the offset the error names (-1 for none).
func oursCount(data []byte) (int, int64, error) {
	in := readCapture(data)
	if in == nil {
		return 0, -1, errors.New("not a capture")
	}
	var pe *pcap.FormatError
	var ne *pcapng.FormatError
	switch {
	case in.err == nil:
		return len(in.list.pkts), -1, nil
	case errors.As(in.err, &pe):
		return len(in.list.pkts), pe.Offset, in.err
	case errors.As(in.err, &ne):
		return len(in.list.pkts), ne.Offset, in.err
	}
	return len(in.list.pkts), -1, in.err
}

// TestCorpusDamageLikeOracles damages a seeded-random sample of the
// corpus (cut inside a packet, a length field overwritten with a huge
// value or one running past the end) and compares with libpcap
// (tcpdump -r) and Wireshark (tshark -r): pcaptool returns the same
// packets before the damage, then an error naming the damaged record or
// block's offset.
func TestCorpusDamageLikeOracles(t *testing.T) {
	testenv.RequireTool(t, "tcpdump")
	testenv.RequireTool(t, "tshark")
	files := append(testenv.CorpusFiles(t, "tcpdump"), testenv.CorpusFiles(t, "pcapng-test-generator")...)
	rng := rand.New(rand.NewPCG(10, 10))
	rng.Shuffle(len(files), func(i, j int) { files[i], files[j] = files[j], files[i] })
	// Both formats, and tshark on a few of each.
	const wantPcap, wantPcapng, tsharkEach = 16, 8, 3
	wantFiles := wantPcap + wantPcapng
	dir := t.TempDir()
	type job struct {
		name, path string
		want       int // packets before the damage
		off        int // the damaged record or block
		tshark     bool
		data       []byte
	}
	var jobs []job
	used, ng, tsPcap, tsNg := 0, 0, 0, 0
	for _, f := range files {
		if used == wantFiles {
			break
		}
		data, err := os.ReadFile(f)
		if err != nil || len(data) > 4<<20 || len(data) < 4 {
			continue
		}
		isNg := !pcap.IsPcap(data)
		if isNg && ng == wantPcapng || !isNg && used-ng == wantPcap {
			continue
		}
		if pcap.IsPcap(data) {
			r, err := pcap.NewReader(bytes.NewReader(data))
			if err != nil || r.Header().Modified || r.Header().VersionMajor != 2 || r.Header().VersionMinor < 3 {
				continue
			}
		}
		l, err := layoutOf(data)
		if err != nil || len(l.packetStarts) < 2 {
			continue // damaged already, or too small to damage in the middle
		}
		if n, _ := oracleCount(t, "tcpdump", writeTemp(t, dir, "orig", data)); n != len(l.packetStarts) {
			continue // libpcap does not read it all (several link types, ...)
		}
		// tshark on the first few of each format that it reads whole
		// (Wireshark lacks some link types libpcap has).
		tshark := false
		if isNg && tsNg < tsharkEach || !isNg && tsPcap < tsharkEach {
			if n, _ := oracleCount(t, "tshark", writeTemp(t, dir, "orig", data)); n == len(l.packetStarts) {
				tshark = true
				if isNg {
					tsNg++
				} else {
					tsPcap++
				}
			}
		}
		used++
		if isNg {
			ng++
		}
		for _, d := range damages {
			k := 1 + rng.IntN(len(l.packetStarts)-1)
			b, off := d.apply(data, l, k)
			name := fmt.Sprintf("%s/%s@%d", filepath.Base(f), d.name, k)
			jobs = append(jobs, job{name: name, path: writeTemp(t, dir, fmt.Sprintf("d%d", len(jobs)), b),
				want: k, off: off, tshark: tshark, data: b})
		}
	}
	if used < wantFiles/2 {
		t.Fatalf("only %d usable corpus files", used)
	}
	type result struct {
		tcpdump, tshark int
		tdMsg, tsMsg    string
	}
	results := make([]result, len(jobs))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for i, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			results[i].tcpdump, results[i].tdMsg = oracleCount(t, "tcpdump", j.path)
			results[i].tshark = -1
			if j.tshark {
				results[i].tshark, results[i].tsMsg = oracleCount(t, "tshark", j.path)
			}
		}()
	}
	wg.Wait()
	agree := 0
	for i, j := range jobs {
		n, off, err := oursCount(j.data)
		r := results[i]
		ok := true
		if n != j.want || err == nil || off != int64(j.off) {
			t.Errorf("%s: pcaptool %d packets, error at offset %d (%v); want %d packets, an error at offset %d",
				j.name, n, off, err, j.want, j.off)
			ok = false
		}
		if r.tcpdump != n {
			t.Errorf("%s: pcaptool %d packets, tcpdump %d (%s)", j.name, n, r.tcpdump, r.tdMsg)
			ok = false
		}
		if r.tshark >= 0 && r.tshark != n {
			t.Errorf("%s: pcaptool %d packets, tshark %d (%s)", j.name, n, r.tshark, r.tsMsg)
			ok = false
		}
		if ok {
			agree++
			if testing.Verbose() && r.tshark >= 0 {
				t.Logf("%s: %d packets; pcaptool: %v; tcpdump: %s; tshark: %s", j.name, n, err, r.tdMsg, r.tsMsg)
			}
		}
	}
	t.Logf("%d/%d damaged copies of %d corpus files (%d pcapng) agree with tcpdump (and, for %d pcap and %d pcapng files, tshark) on the packets before the damage",
		agree, len(jobs), used, ng, tsPcap, tsNg)
}
