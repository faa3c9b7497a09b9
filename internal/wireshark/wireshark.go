// Package wireshark gives tests Wireshark's view of a capture file: the
// packets tshark shows (their count, times and lengths) with their bytes as
// tshark writes them back out, cached on disk by file content and tshark
// version so that a second run starts no tshark at all.
//
// Oracle tests compare a reader's packets with a View; View skips the test
// (or fails it under PCAPTOOL_REQUIRE_ORACLES=1) when tshark is missing.
package wireshark

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/internal/testenv"
	"github.com/pcaptool/pcaptool/pcapng"
)

// Packet is one packet as Wireshark reads it.
type Packet struct {
	// Time is frame.time_epoch; the zero time when tshark shows none (a
	// pcapng simple packet block).
	Time time.Time
	// CapLen and Len are the captured and original lengths of the record
	// in the file, as tshark writes them back: frame.cap_len and
	// frame.len plus any pseudo-header wiretap moves out of the packet.
	CapLen, Len int
	// Data is the captured bytes, pseudo-header included.
	Data []byte
}

// View is what Wireshark reads from a file.
type View struct {
	// OK is true when tshark read the file to its end without an error.
	OK bool
	// Message is tshark's error output, "" when OK.
	Message string
	// Packets are the packets tshark read, up to an error when not OK.
	Packets []Packet
}

// Diff reports how a packet differs from Wireshark's: "" when it has the
// same time (to the nanosecond), lengths and bytes. noTime says the packet
// has no timestamp.
func (p *Packet) Diff(t time.Time, noTime bool, capLen, length int, data []byte) string {
	switch {
	case p.Time.IsZero() != noTime || !noTime && !p.Time.Equal(t):
		return fmt.Sprintf("time %s, Wireshark %s", t.UTC().Format(time.RFC3339Nano), p.Time.UTC().Format(time.RFC3339Nano))
	case capLen != p.CapLen || len(data) != p.CapLen:
		return fmt.Sprintf("captured length %d (%d bytes), Wireshark %d", capLen, len(data), p.CapLen)
	case length != p.Len:
		return fmt.Sprintf("length %d, Wireshark %d", length, p.Len)
	case !bytes.Equal(data, p.Data):
		return "bytes differ"
	}
	return ""
}

var (
	versionOnce sync.Once
	version     string
)

func tsharkVersion(tshark string) string {
	versionOnce.Do(func() {
		out, err := exec.Command(tshark, "--version").Output()
		if err == nil {
			version, _, _ = strings.Cut(string(out), "\n")
		}
	})
	return version
}

// cacheDir is where views are kept: $PCAPTOOL_ORACLE_CACHE, or
// pcaptool/wireshark under the user's cache directory; "" for none.
func cacheDir() string {
	if d := os.Getenv("PCAPTOOL_ORACLE_CACHE"); d != "" {
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "pcaptool", "wireshark")
}

// Read returns Wireshark's view of the capture file at path, from the cache
// when it holds one for the file's content and this tshark version.
func Read(t testing.TB, path string) *View {
	t.Helper()
	tshark := testenv.RequireTool(t, "tshark")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(append([]byte(tsharkVersion(tshark)+"\x00view-v1\x00"), data...))
	cached := ""
	if dir := cacheDir(); dir != "" {
		cached = filepath.Join(dir, hex.EncodeToString(sum[:16])+".gob")
		if v, err := load(cached); err == nil {
			return v
		}
	}
	v, err := run(tshark, path, pcapng.IsPcapng(data), t.TempDir())
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if cached != "" {
		store(cached, v) // a cache that cannot be written only costs time
	}
	return v
}

func load(name string) (*View, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var v View
	return &v, gob.NewDecoder(f).Decode(&v)
}

func store(name string, v *View) {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return
	}
	f, err := os.CreateTemp(filepath.Dir(name), ".view-*")
	if err != nil {
		return
	}
	err = gob.NewEncoder(f).Encode(v)
	if cerr := f.Close(); err == nil && cerr == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		os.Remove(f.Name())
	}
}

// run has tshark print every packet's time and lengths while it writes the
// packets to a pcapng file (which keeps every link type), then reads that
// file for the bytes.
func run(tshark, path string, isPcapng bool, tmp string) (*View, error) {
	out := filepath.Join(tmp, "wireshark.pcapng")
	cmd := exec.Command(tshark, "-n", "-r", path, "-w", out, "-F", "pcapng", "-P", "-T", "fields",
		"-e", "frame.time_epoch", "-e", "frame.cap_len", "-e", "frame.len", "-e", "frame.interface_id")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var exit *exec.ExitError
	if runErr != nil && !errors.As(runErr, &exit) {
		return nil, runErr
	}
	v := &View{OK: runErr == nil}
	if !v.OK {
		v.Message = strings.TrimSpace(strings.ReplaceAll(stderr.String(), `Running as user "root" and group "root". This could be dangerous.`, ""))
	}
	var times []time.Time
	for _, line := range strings.Split(stdout.String(), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 4 || isPcapng && f[3] == "" {
			continue // not a packet: a custom block or journal entry shown as a record
		}
		var ts time.Time
		if f[0] != "" {
			var err error
			if ts, err = parseEpoch(f[0]); err != nil {
				return nil, fmt.Errorf("tshark time %q: %v", f[0], err)
			}
		}
		times = append(times, ts)
	}
	pkts, err := readPackets(out)
	if err != nil && len(times) > 0 {
		return nil, fmt.Errorf("reading tshark's output: %v", err)
	}
	if len(pkts) != len(times) {
		return nil, fmt.Errorf("tshark printed %d packets but wrote %d", len(times), len(pkts))
	}
	for i := range pkts {
		pkts[i].Time = times[i]
	}
	v.Packets = pkts
	return v, nil
}

// parseEpoch parses frame.time_epoch ("-12.000000500" or "1.5") exactly.
func parseEpoch(s string) (time.Time, error) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	sec, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return time.Time{}, err
	}
	var ns int64
	if frac != "" {
		frac = (frac + "000000000")[:9]
		if ns, err = strconv.ParseInt(frac, 10, 64); err != nil {
			return time.Time{}, err
		}
	}
	if neg {
		sec, ns = -sec, -ns
	}
	return time.Unix(sec, ns).UTC(), nil
}

func readPackets(name string) ([]Packet, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := pcapng.NewPacketReader(f, pcapng.ReaderOptions{})
	if err != nil {
		return nil, err
	}
	var pkts []Packet
	for {
		p, err := r.ReadPacket()
		if err == io.EOF {
			return pkts, nil
		}
		if err != nil {
			return pkts, err
		}
		pkts = append(pkts, Packet{CapLen: len(p.Data), Len: p.Length, Data: bytes.Clone(p.Data)})
	}
}
