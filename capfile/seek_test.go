package capfile_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"path/filepath"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/internal/testenv"
	"github.com/pcaptool/pcaptool/internal/testgen"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

// packetsFrom reads what OpenFrom returns, as text lines.
func packetsFrom(t *testing.T, name string, start time.Time, opts capfile.SeekOptions) ([]string, capfile.SeekResult) {
	t.Helper()
	r, res, err := capfile.OpenFrom(name, start, opts)
	if err != nil {
		t.Fatalf("%s: %v", filepath.Base(name), err)
	}
	defer r.Close()
	return readLines(t, r), res
}

// streamedFrom reads the whole file and keeps what TimeWindow keeps from
// start on: the streaming path's answer.
func streamedFrom(t *testing.T, name string, start time.Time) []string {
	t.Helper()
	r, err := capfile.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	return readLines(t, skipUntil(r, start))
}

// skipUntil drops packets until the first stamped at or after start.
func skipUntil(r pkt.Reader, start time.Time) pkt.Reader {
	return &skipper{r: r, start: start}
}

type skipper struct {
	r       pkt.Reader
	start   time.Time
	started bool
}

func (s *skipper) Interfaces() []pkt.Interface { return s.r.Interfaces() }
func (s *skipper) ReadPacket() (*pkt.Packet, error) {
	for {
		p, err := s.r.ReadPacket()
		if err != nil || s.started {
			return p, err
		}
		if !p.NoTimestamp && !p.Timestamp.Before(s.start) {
			s.started = true
			return p, nil
		}
	}
}

func readLines(t *testing.T, r pkt.Reader) []string {
	t.Helper()
	var out []string
	for {
		p, err := r.ReadPacket()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%d %s %d %d %08x", p.Interface, p.Timestamp.UTC().Format(time.RFC3339Nano), p.Length, len(p.Data), crc32.ChecksumIEEE(p.Data)))
	}
}

func sameLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d packets, streaming gives %d", what, len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: packet %d differs:\n got %.120s\nwant %.120s", what, i, got[i], want[i])
		}
	}
}

// TestOpenFromGenerated compares seeking with streaming on generated
// files of both formats and byte orders, in and out of time order, at
// start times before, inside and after the capture.
func TestOpenFromGenerated(t *testing.T) {
	dir := t.TempDir()
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name     string
		disorder int
		order    binary.ByteOrder
		res      pkt.Resolution
	}{
		{"a.pcap", 0, binary.LittleEndian, 0},
		{"b.pcap", 0, binary.BigEndian, pkt.Microsecond},
		{"a.pcapng", 0, binary.LittleEndian, 0},
		{"b.pcapng", 0, binary.BigEndian, pkt.Microsecond},
		{"disordered.pcap", 30, binary.LittleEndian, 0},
		{"disordered.pcapng", 5, binary.LittleEndian, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := filepath.Join(dir, tc.name)
			testgen.Write(t, name, capfile.WriterOptions{ByteOrder: tc.order}, synth.Config{Packets: 20000,
				MeanGap: time.Millisecond, Disorder: tc.disorder, DisorderWindow: 50 * time.Millisecond, Resolution: tc.res})
			seeked := 0
			probes := []int{0, 512, 4096}
			if testing.Short() {
				probes = probes[1:2]
			}
			for _, at := range []time.Duration{-time.Second, 0, 1, 3 * time.Second, 7*time.Second + 1234567,
				10 * time.Second, 19 * time.Second, time.Hour} {
				start := base.Add(at)
				want := streamedFrom(t, name, start)
				for _, probe := range probes {
					got, res := packetsFrom(t, name, start, capfile.SeekOptions{MinSize: -1, ProbeSize: probe})
					sameLines(t, fmt.Sprintf("start %v probe %d (%+v)", at, probe, res), got, want)
					if res.Seeked {
						seeked++
					}
				}
			}
			if tc.disorder == 0 && seeked < 4*len(probes) {
				t.Errorf("seeked in %d of %d cases of an ordered file", seeked, 8*len(probes))
			}
		})
	}
}

// TestOpenFromReadsLittle checks the point of seeking: a start time in
// the middle of a large ordered file costs a few probes, not the file.
func TestOpenFromReadsLittle(t *testing.T) {
	name := filepath.Join(t.TempDir(), "big.pcapng")
	testgen.Write(t, name, capfile.WriterOptions{}, synth.Config{Packets: 60000, MeanGap: time.Millisecond})
	start := time.Date(2024, 1, 1, 0, 0, 30, 0, time.UTC)
	r, res, err := capfile.OpenFrom(name, start, capfile.SeekOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	size := r.Size()
	if !res.Seeked || r.BytesRead() > size/4 {
		t.Errorf("%+v: read %d of %d bytes", res, r.BytesRead(), size)
	}
}

// TestOpenFromCorpus compares seeking with streaming on the corpus at the
// time of the middle packet of each file (a sample in -short mode).
func TestOpenFromCorpus(t *testing.T) {
	files := testenv.CorpusFiles(t, "")
	step := 1
	if testing.Short() {
		step = 7
	}
	seeked := 0
	for i := 0; i < len(files); i += step {
		name := files[i]
		all := streamedFrom(t, name, time.Time{})
		if len(all) < 4 {
			continue
		}
		mid := all[len(all)/2]
		var ifc int
		var ts string
		fmt.Sscan(mid, &ifc, &ts)
		start, err := time.Parse(time.RFC3339Nano, ts)
		if err != nil {
			continue
		}
		want := streamedFrom(t, name, start)
		got, res := packetsFrom(t, name, start, capfile.SeekOptions{MinSize: -1, ProbeSize: 256, Backoff: 512})
		if res.Seeked {
			seeked++
		}
		if !bytes.Equal([]byte(fmt.Sprint(got)), []byte(fmt.Sprint(want))) {
			sameLines(t, fmt.Sprintf("%s (%+v)", name, res), got, want)
		}
	}
	t.Logf("seeked in %d files", seeked)
}
