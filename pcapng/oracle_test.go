package pcapng

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
	"time"

	"github.com/pcaptool/pcaptool/internal/testcap"
	"github.com/pcaptool/pcaptool/internal/testenv"
)

// runTool runs an oracle program and returns its standard output, standard
// error and whether it exited with status 0.
func runTool(t testing.TB, name string, args ...string) (string, string, bool) {
	t.Helper()
	cmd := exec.Command(name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("running %s: %v", name, err)
	}
	return stdout.String(), stderr.String(), err == nil
}

// epochString formats t as Wireshark's frame.time_epoch does.
func epochString(t time.Time) string {
	sec, ns := t.Unix(), t.Nanosecond()
	if sec < 0 && ns > 0 {
		return fmt.Sprintf("-%d.%09d", -(sec + 1), 1_000_000_000-ns)
	}
	return fmt.Sprintf("%d.%09d", sec, ns)
}

// ourFields reads data at packet level and returns tshark-style lines
// (time, captured length, length, section number, interface id within the
// section, as Wireshark numbers them), the packet bytes, the global
// interface indexes, and the error that stopped reading, if any.
func ourFields(data []byte) ([]string, [][]byte, []int, error) {
	r, err := NewPacketReader(bytes.NewReader(data), ReaderOptions{})
	if err != nil {
		return nil, nil, nil, err
	}
	var lines []string
	var payloads [][]byte
	var ifaces []int
	for {
		p, err := r.ReadPacket()
		if err == io.EOF {
			return lines, payloads, ifaces, nil
		}
		if err != nil {
			return lines, payloads, ifaces, err
		}
		secs := r.Sections()
		sec := len(secs) - 1
		for sec > 0 && secs[sec].FirstInterface > p.Interface {
			sec--
		}
		lines = append(lines, fmt.Sprintf("%s\t%d\t%d\t%d\t%d", epochString(p.Timestamp), len(p.Data), p.Length,
			sec+1, p.Interface-secs[sec].FirstInterface))
		payloads = append(payloads, bytes.Clone(p.Data))
		ifaces = append(ifaces, p.Interface)
	}
}

// tsharkFields runs tshark on path and returns its lines for packets and
// whether it read the file without error. Records without an interface
// (custom blocks, journal entries, which Wireshark also shows as frames)
// are left out.
func tsharkFields(t testing.TB, path string) ([]string, string, bool) {
	out, stderr, ok := runTool(t, "tshark", "-r", path, "-T", "fields",
		"-e", "frame.time_epoch", "-e", "frame.cap_len", "-e", "frame.len", "-e", "frame.section_number",
		"-e", "frame.interface_id")
	var lines []string
	for _, l := range strings.Split(out, "\n") {
		if l != "" && !strings.HasSuffix(l, "\t") {
			lines = append(lines, l)
		}
	}
	return lines, stderr, ok
}

// compareWithTshark checks our packets against tshark's and our verdict
// against its verdict. Simple packet blocks have no timestamp: tshark
// prints an empty time where we give the epoch.
func compareWithTshark(t *testing.T, path string, data []byte) (ours []string, payloads [][]byte, ifaces []int, ourErr error) {
	t.Helper()
	ours, payloads, ifaces, ourErr = ourFields(data)
	theirs, stderr, ok := tsharkFields(t, path)
	if ok != (ourErr == nil) {
		t.Errorf("verdicts differ: our error %v; tshark ok=%v, stderr %q", ourErr, ok, strings.TrimSpace(stderr))
	}
	if len(ours) != len(theirs) {
		t.Errorf("we read %d packets, tshark %d", len(ours), len(theirs))
	}
	for i := range min(len(ours), len(theirs)) {
		want := theirs[i]
		if strings.HasPrefix(want, "\t") {
			want = "0.000000000" + want
		}
		if ours[i] != want {
			t.Errorf("packet %d: ours %q, tshark %q", i, ours[i], theirs[i])
			break
		}
	}
	return ours, payloads, ifaces, ourErr
}

// TestCorpusAgainstWireshark reads every corpus pcapng file at packet level
// and compares timestamps (to the nanosecond), lengths, interface ids and
// the error-or-not verdict with tshark, and the packet bytes with what
// editcap writes to a pcap file when all interfaces share a link type.
func TestCorpusAgainstWireshark(t *testing.T) {
	testenv.RequireLong(t)
	files := corpusPcapngFiles(t)
	testenv.RequireTool(t, "tshark")
	testenv.RequireTool(t, "editcap")
	sem := make(chan struct{}, 2) // tshark is slow and the machine has 2 cores
	var mu sync.Mutex
	agree, packets, bytesChecked := 0, 0, 0
	t.Run("files", func(t *testing.T) {
		for _, f := range files {
			t.Run(corpusName(f), func(t *testing.T) {
				t.Parallel()
				sem <- struct{}{}
				defer func() { <-sem }()
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				ours, payloads, _, ourErr := compareWithTshark(t, f, data)
				checked := 0
				if ourErr == nil && sameLinkType(data) && !hasCustomBlocks(data) {
					checked = compareEditcapBytes(t, f, payloads)
				}
				mu.Lock()
				defer mu.Unlock()
				if !t.Failed() {
					agree++
				}
				packets += len(ours)
				bytesChecked += checked
			})
		}
	})
	t.Logf("%d/%d corpus pcapng files agree with tshark (%d packets); %d packets' bytes checked against editcap -F pcap",
		agree, len(files), packets, bytesChecked)
}

// hasCustomBlocks reports whether data holds blocks that Wireshark shows as
// records but cannot save in a pcap file.
func hasCustomBlocks(data []byte) bool {
	r, err := NewReader(bytes.NewReader(data))
	if err != nil {
		return false
	}
	for b, err := range r.All() {
		if err != nil {
			return false
		}
		switch b.Type() {
		case TypeCustom, TypeCustomNoCopy, TypeSystemdJournalExport:
			return true
		}
	}
	return false
}

// sameLinkType reports whether every interface of the file has one link type.
func sameLinkType(data []byte) bool {
	r, err := NewPacketReader(bytes.NewReader(data), ReaderOptions{})
	if err != nil {
		return false
	}
	for {
		if _, err := r.ReadPacket(); err != nil {
			break
		}
	}
	ifs := r.Interfaces()
	for _, ifc := range ifs {
		if ifc.LinkType != ifs[0].LinkType {
			return false
		}
	}
	return len(ifs) > 0
}

// compareEditcapBytes converts path to pcap with editcap and compares every
// record's bytes with ours; it returns the number of packets compared.
func compareEditcapBytes(t *testing.T, path string, payloads [][]byte) int {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out.pcap")
	if _, stderr, ok := runTool(t, "editcap", "-F", "pcap", path, out); !ok {
		t.Errorf("editcap failed on a file we read: %s", stderr)
		return 0
	}
	_, recs := testcap.ReadPcap(t, out)
	if len(recs) != len(payloads) {
		t.Fatalf("editcap wrote %d packets, we read %d", len(recs), len(payloads))
	}
	for n, rec := range recs {
		if !bytes.Equal(rec.Data, payloads[n]) {
			t.Fatalf("packet %d bytes differ from editcap's", n)
		}
	}
	return len(recs)
}
