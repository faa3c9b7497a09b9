// Package wireshark gives tests Wireshark's view of a capture file: the
// packets its file library, wiretap, reads — the frames tshark shows —
// with their times, lengths and bytes. Read gets them from editcap, which
// copies what wiretap reads into a nanosecond pcap or a pcapng file (as the
// input is) and starts 25 times faster
// than tshark (no dissectors); when editcap cannot write a file's packets,
// tshark's frame fields stand in. CheckTshark compares a view with tshark's
// own frame list. Views are cached on disk by file content and Wireshark
// version, so a second run starts no Wireshark program at all.
//
// Tests call Require first: it skips them (or fails them under
// PCAPTOOL_REQUIRE_ORACLES=1) when editcap or tshark is missing.
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
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pcapng"
	"github.com/pcaptool/pcaptool/pkt"
)

// Packet is one packet as Wireshark reads it.
type Packet struct {
	// Time is the packet's time. A packet without one (a pcapng simple
	// packet block) has the zero time from tshark and the epoch from
	// editcap, which writes it with time 0; Diff accepts both.
	Time time.Time
	// CapLen and Len are the captured and original lengths of the record
	// in the file, pseudo-header included.
	CapLen, Len int
	// Data is the captured bytes, pseudo-header included; nil when only
	// tshark could read the file (NoBytes).
	Data []byte
	// LinkType is the packet's link type (0 when NoBytes).
	LinkType linktype.LinkType
}

// View is what Wireshark reads from a file.
type View struct {
	// OK is true when Wireshark read the file to its end without an error.
	OK bool
	// Message is the error Wireshark reported, "" when OK.
	Message string
	// Packets are the packets read, up to the error when not OK.
	Packets []Packet
	// NoBytes is set when editcap could not copy the packets, so that
	// the view comes from tshark's frame fields: times and lengths as
	// tshark shows them (without pseudo-headers), no bytes.
	NoBytes bool
}

// Diff returns "" when a packet has the same time (to the nanosecond),
// lengths and bytes as Wireshark's, or says what differs. noTime says the
// packet has no timestamp.
func (v *View) Diff(i int, t time.Time, noTime bool, capLen, length int, data []byte) string {
	p := &v.Packets[i]
	switch {
	case noTime && !isEpochOrZero(p.Time) || !noTime && !p.Time.Equal(t):
		return fmt.Sprintf("time %s, Wireshark %s", t.UTC().Format(time.RFC3339Nano), p.Time.UTC().Format(time.RFC3339Nano))
	case v.NoBytes:
		return ""
	case capLen != p.CapLen || len(data) != p.CapLen:
		return fmt.Sprintf("captured length %d (%d bytes), Wireshark %d", capLen, len(data), p.CapLen)
	case length != p.Len:
		return fmt.Sprintf("length %d, Wireshark %d", length, p.Len)
	case !bytes.Equal(data, p.Data) && !sunATMRewrite(p, data):
		return "bytes differ"
	}
	return ""
}

// sunATMRewrite reports whether data differs from Wireshark's packet only
// in the first byte of a SunATM pseudo-header, which wiretap rebuilds from
// the fields it decodes, rewriting the flags-and-type byte.
func sunATMRewrite(p *Packet, data []byte) bool {
	return p.LinkType == linktype.SunATM && len(data) == len(p.Data) && len(data) > 0 && bytes.Equal(data[1:], p.Data[1:])
}

// isEpochOrZero reports whether t stands for "no timestamp".
func isEpochOrZero(t time.Time) bool { return t.IsZero() || t.Equal(time.Unix(0, 0)) }

// Require skips t (or fails it under PCAPTOOL_REQUIRE_ORACLES=1) unless
// editcap and tshark are installed.
func Require(t testing.TB) {
	t.Helper()
	testenv.RequireTool(t, "editcap")
	testenv.RequireTool(t, "tshark")
}

var (
	versionOnce sync.Once
	version     string
)

func wiresharkVersion() string {
	versionOnce.Do(func() {
		out, err := exec.Command("editcap", "-V").Output()
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
// when it holds one for the file's content and this Wireshark version. tmp
// is a directory for editcap's output. It may be called from several
// goroutines.
func Read(path, tmp string) (*View, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(append([]byte(wiresharkVersion()+"\x00view-v3\x00"), data...))
	cached := ""
	if dir := cacheDir(); dir != "" {
		cached = filepath.Join(dir, hex.EncodeToString(sum[:16])+".gob")
		if v, err := load(cached); err == nil {
			return v, nil
		}
	}
	isPcapng := pcapng.IsPcapng(data)
	v, err := readEditcap(path, tmp, isPcapng)
	if err == nil && !v.OK {
		// editcap fails on a packet it cannot write as well as on one
		// wiretap cannot read: ask tshark, which only reads.
		v, err = readTshark(path, isPcapng)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if cached != "" {
		store(cached, v) // a cache that cannot be written only costs time
	}
	return v, nil
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

// run runs a Wireshark program and returns its standard output, its error
// output (without the warning about running as root) and whether it
// succeeded.
func run(name string, args ...string) (string, string, bool, error) {
	cmd := exec.Command(name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		return "", "", false, err
	}
	msg := strings.ReplaceAll(stderr.String(), `Running as user "root" and group "root". This could be dangerous.`, "")
	return stdout.String(), strings.TrimSpace(msg), err == nil, nil
}

// readEditcap copies the file with editcap into a nanosecond pcap file
// (pcap input: one link type, and no loss of a microsecond field out of
// range) or a pcapng file (pcapng input: every link type and resolution
// kept) and reads that.
func readEditcap(path, tmp string, isPcapng bool) (*View, error) {
	format := "nsecpcap"
	if isPcapng {
		format = "pcapng"
	}
	out, err := os.CreateTemp(tmp, "editcap-*")
	if err != nil {
		return nil, err
	}
	out.Close()
	defer os.Remove(out.Name())
	_, msg, ok, err := run("editcap", "-F", format, path, out.Name())
	if err != nil {
		return nil, err
	}
	if !ok {
		return &View{Message: msg}, nil
	}
	f, err := os.Open(out.Name())
	if err != nil {
		return nil, err
	}
	defer f.Close()
	v := &View{OK: true}
	if err := readCopy(f, isPcapng, v); err != nil {
		return nil, fmt.Errorf("reading editcap's output: %w", err)
	}
	return v, nil
}

// readCopy reads editcap's output into v.
func readCopy(f io.Reader, isPcapng bool, v *View) error {
	var r pkt.Reader
	var err error
	if isPcapng {
		r, err = pcapng.NewPacketReader(f, pcapng.ReaderOptions{})
	} else {
		r, err = pcap.NewReader(f)
	}
	if err != nil {
		return err
	}
	for p, err := range pkt.All(r) {
		if err != nil {
			return err
		}
		v.Packets = append(v.Packets, Packet{Time: p.Timestamp.UTC(), CapLen: len(p.Data), Len: p.Length,
			Data: bytes.Clone(p.Data), LinkType: r.Interfaces()[p.Interface].LinkType})
	}
	return nil
}

// Frame is one line of tshark's frame list.
type Frame struct {
	Time        time.Time // zero when tshark shows no time
	CapLen, Len int
}

// Frames returns the frames tshark shows for path (records that are not
// packets, such as pcapng custom blocks, left out), its error message and
// whether it read the file without error.
func Frames(path string, isPcapng bool) ([]Frame, string, bool, error) {
	out, msg, ok, err := run("tshark", "-n", "-r", path, "-T", "fields",
		"-e", "frame.time_epoch", "-e", "frame.cap_len", "-e", "frame.len", "-e", "frame.interface_id")
	if err != nil {
		return nil, "", false, err
	}
	var frames []Frame
	for _, line := range strings.Split(out, "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 4 || isPcapng && f[3] == "" {
			continue // not a packet: a custom block or journal entry shown as a record
		}
		var fr Frame
		if f[0] != "" {
			if fr.Time, err = parseEpoch(f[0]); err != nil {
				return nil, "", false, fmt.Errorf("tshark time %q: %v", f[0], err)
			}
		}
		fr.CapLen, _ = strconv.Atoi(f[1])
		fr.Len, _ = strconv.Atoi(f[2])
		frames = append(frames, fr)
	}
	return frames, msg, ok, nil
}

func readTshark(path string, isPcapng bool) (*View, error) {
	frames, msg, ok, err := Frames(path, isPcapng)
	if err != nil {
		return nil, err
	}
	v := &View{OK: ok, NoBytes: true}
	if !ok {
		v.Message = msg
	}
	for _, f := range frames {
		v.Packets = append(v.Packets, Packet{Time: f.Time, CapLen: f.CapLen, Len: f.Len})
	}
	return v, nil
}

// CheckTshark returns "" when tshark shows the packets of v (same count
// and times; lengths too when v came from tshark) and the same verdict, or
// what differs.
func CheckTshark(path string, v *View) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	frames, msg, ok, err := Frames(path, pcapng.IsPcapng(data))
	if err != nil {
		return err.Error()
	}
	if ok != v.OK {
		return fmt.Sprintf("tshark ok=%v (%s), view ok=%v (%s)", ok, msg, v.OK, v.Message)
	}
	if len(frames) != len(v.Packets) {
		return fmt.Sprintf("tshark shows %d frames, view has %d packets", len(frames), len(v.Packets))
	}
	for i, f := range frames {
		if !f.Time.Equal(v.Packets[i].Time) && !(f.Time.IsZero() && isEpochOrZero(v.Packets[i].Time)) {
			return fmt.Sprintf("frame %d: tshark time %v, view %v", i, f.Time, v.Packets[i].Time)
		}
	}
	return ""
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
