package pcap

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pcaptool/pcaptool/internal/testenv"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// readAll reads every record of a file (copies), returning the records
// before the first error and that error (nil at a clean end).
func readAll(name string) (FileHeader, []pkt.Packet, error) {
	f, err := os.Open(name)
	if err != nil {
		return FileHeader{}, nil, err
	}
	defer f.Close()
	r, err := NewReader(f)
	if err != nil {
		return FileHeader{}, nil, err
	}
	var recs []pkt.Packet
	for {
		rec, err := r.ReadPacket()
		if err == io.EOF {
			return r.Header(), recs, nil
		}
		if err != nil {
			return r.Header(), recs, err
		}
		c := *rec
		c.Data = bytes.Clone(rec.Data)
		recs = append(recs, c)
	}
}

func isPcapFile(name string) bool {
	f, err := os.Open(name)
	if err != nil {
		return false
	}
	defer f.Close()
	b := make([]byte, 4)
	if _, err := io.ReadFull(f, b); err != nil {
		return false
	}
	return IsPcap(b)
}

func diffRecords(ours, theirs []pkt.Packet) string {
	if len(ours) != len(theirs) {
		return fmt.Sprintf("%d packets, oracle %d", len(ours), len(theirs))
	}
	for i := range ours {
		a, b := &ours[i], &theirs[i]
		switch {
		case !a.Timestamp.Equal(b.Timestamp):
			return fmt.Sprintf("packet %d: timestamp %d, oracle %d", i, a.Timestamp.UnixNano(), b.Timestamp.UnixNano())
		case len(a.Data) != len(b.Data):
			return fmt.Sprintf("packet %d: caplen %d, oracle %d", i, len(a.Data), len(b.Data))
		case a.Length != b.Length:
			return fmt.Sprintf("packet %d: length %d, oracle %d", i, a.Length, b.Length)
		case !bytes.Equal(a.Data, b.Data):
			return fmt.Sprintf("packet %d: data differs", i)
		}
	}
	return ""
}

type oracleResult struct {
	recs    []pkt.Packet
	failed  bool   // the oracle reported an error reading the input
	skip    string // the oracle cannot judge this file
	message string
}

// runOracle runs an oracle that rewrites the input as a nanosecond pcap and
// reads its output back.
func runOracle(tmp string, args ...string) oracleResult {
	out := filepath.Join(tmp, "out.pcap")
	os.Remove(out)
	cmd := exec.Command(args[0], append(args[1:], out)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	res := oracleResult{message: strings.TrimSpace(stderr.String())}
	if err != nil {
		res.failed = true
	}
	if _, statErr := os.Stat(out); statErr == nil {
		_, recs, rerr := readAll(out)
		if rerr != nil {
			res.skip = "cannot read the oracle's output: " + rerr.Error()
		}
		res.recs = recs
	}
	return res
}

// TestCorpusAgainstOracles compares every pcap file of the tcpdump corpus
// with what Wireshark's wiretap (through editcap) and libpcap (through
// tcpdump) read: the same packets — nanosecond timestamps, capture and
// original lengths, bytes — and the same verdict on errors.
func TestCorpusAgainstOracles(t *testing.T) {
	files := testenv.CorpusFiles(t, "tcpdump")
	editcap := testenv.RequireTool(t, "editcap")
	tcpdump := testenv.RequireTool(t, "tcpdump")

	type outcome struct{ file, oracle, problem string }
	var (
		mu       sync.Mutex
		problems []outcome
		stats    = map[string]int{}
	)
	record := func(file, oracle, problem string) {
		mu.Lock()
		defer mu.Unlock()
		if problem == "" {
			stats[oracle+" agree"]++
			return
		}
		if strings.HasPrefix(problem, "skip:") {
			stats[oracle+" cannot judge"]++
			return
		}
		problems = append(problems, outcome{file, oracle, problem})
	}

	jobs := make(chan string)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tmp, err := os.MkdirTemp(t.TempDir(), "oracle")
			if err != nil {
				t.Error(err)
				return
			}
			for file := range jobs {
				hdr, ours, ourErr := readAll(file)
				oracles := map[string][]string{
					"editcap": {editcap, "-F", "nsecpcap", file},
					"tcpdump": {tcpdump, "-r", file, "--time-stamp-precision=nano", "-w"},
				}
				for name, args := range oracles {
					res := runOracle(tmp, args...)
					record(file, name, compareOracle(name, hdr, ours, ourErr, res))
				}
			}
		}()
	}
	n := 0
	for _, f := range files {
		if isPcapFile(f) {
			jobs <- f
			n++
		}
	}
	close(jobs)
	wg.Wait()
	t.Logf("%d pcap files; %v", n, stats)
	for _, p := range problems {
		t.Errorf("%s: %s: %s", filepath.Base(p.file), p.oracle, p.problem)
	}
}

func compareOracle(oracle string, hdr FileHeader, ours []pkt.Packet, ourErr error, res oracleResult) string {
	if res.skip != "" {
		return "skip: " + res.skip
	}
	if oracle == "editcap" && res.failed && strings.Contains(res.message, "unknown or unsupported") {
		// Wireshark does not know the link type (the corpus README
		// lists 14 such files); libpcap still judges them.
		return "skip: " + res.message
	}
	if oracle == "editcap" && hdr.LinkType == linktype.SunATM {
		// wiretap rebuilds the 4-byte SunATM pseudo-header from the
		// fields it decodes, rewriting the flags-and-type byte.
		res.recs = undoSunATMRewrite(ours, res.recs)
	}
	if oracle == "tcpdump" {
		// libpcap cuts a record longer than the file's snap length
		// down to the snap length; Wireshark and pcaptool keep it.
		res.recs = undoSnaplenCut(hdr, ours, res.recs)
	}
	if (ourErr != nil) != res.failed {
		return fmt.Sprintf("verdict differs: ours %v, oracle failed=%v (%s)", ourErr, res.failed, res.message)
	}
	if d := diffRecords(ours, res.recs); d != "" {
		return d
	}
	if ourErr != nil {
		var fe *FormatError
		if !errors.As(ourErr, &fe) {
			return fmt.Sprintf("error %v carries no offset", ourErr)
		}
	}
	return ""
}

// undoSnaplenCut replaces libpcap's snap-length-cut copies of records by
// ours when that is the only difference.
func undoSnaplenCut(hdr FileHeader, ours, theirs []pkt.Packet) []pkt.Packet {
	if hdr.SnapLen == 0 || len(ours) != len(theirs) {
		return theirs
	}
	fixed := theirs
	for i := range ours {
		if len(ours[i].Data) > int(hdr.SnapLen) && len(theirs[i].Data) == int(hdr.SnapLen) &&
			bytes.HasPrefix(ours[i].Data, theirs[i].Data) && ours[i].Timestamp.Equal(theirs[i].Timestamp) {
			if &fixed[0] == &theirs[0] {
				fixed = append([]pkt.Packet(nil), theirs...)
			}
			fixed[i] = ours[i]
		}
	}
	return fixed
}

// undoSunATMRewrite accepts wiretap's copy of a SunATM record when it
// differs from ours only in the first pseudo-header byte (flags and type).
func undoSunATMRewrite(ours, theirs []pkt.Packet) []pkt.Packet {
	if len(ours) != len(theirs) {
		return theirs
	}
	fixed := append([]pkt.Packet(nil), theirs...)
	for i := range ours {
		a, b := ours[i].Data, theirs[i].Data
		if len(a) == len(b) && len(a) > 0 && bytes.Equal(a[1:], b[1:]) {
			fixed[i] = ours[i]
		}
	}
	return fixed
}
