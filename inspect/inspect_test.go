package inspect

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/internal/testgen"
	"github.com/pcaptool/pcaptool/synth"
)

func generate(t testing.TB, format capfile.Format, cfg synth.Config) []byte {
	t.Helper()
	name := filepath.Join(t.TempDir(), "gen")
	testgen.Write(t, name, capfile.WriterOptions{Format: format}, cfg)
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSummaryOfGenerated(t *testing.T) {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		format   capfile.Format
		fileType string
		disorder int
		order    string
	}{
		{capfile.Pcap, "nsecpcap", 0, "strict"},
		{capfile.Pcapng, "pcapng", 0, "strict"},
		{capfile.Pcapng, "pcapng", 30, "unordered"},
	} {
		t.Run(tc.fileType+"/"+tc.order, func(t *testing.T) {
			b := generate(t, tc.format, synth.Config{Packets: 500, Seed: 3, Start: start, SnapLen: 200, Disorder: tc.disorder})
			s, err := SummarizeReader(bytes.NewReader(b), "gen", Options{Hashes: []string{"sha256", "md5"}})
			if err != nil {
				t.Fatal(err)
			}
			if s.FileType != tc.fileType || s.Packets != 500 || s.FileSize != int64(len(b)) || s.TimeOrder != tc.order ||
				s.TimestampDigits != 9 || s.Encapsulation != "EN10MB" || len(s.Interfaces) != 1 ||
				s.Interfaces[0].Packets != 500 {
				t.Fatalf("unexpected summary %+v", s)
			}
			if s.TruncatedPackets == 0 || s.SnapLenInferredMax != 200 || s.CapturedBytes >= s.DataBytes {
				t.Errorf("snap length 200 not seen: %d cut, inferred max %d", s.TruncatedPackets, s.SnapLenInferredMax)
			}
			if tc.disorder == 0 && !s.FirstPacketTime.Equal(start) && s.FirstPacketTime.Before(start) {
				t.Errorf("first packet %v before the start %v", s.FirstPacketTime, start)
			}
			if len(s.Hashes["sha256"]) != 64 || len(s.Hashes["md5"]) != 32 {
				t.Errorf("hashes %v", s.Hashes)
			}
			var text strings.Builder
			if err := s.WriteText(&text); err != nil || !strings.Contains(text.String(), "Number of packets:   500\n") {
				t.Errorf("text report:\n%s", text.String())
			}
			js, err := json.Marshal(s)
			if err != nil || !strings.Contains(string(js), `"packets":500`) {
				t.Errorf("json: %s %v", js, err)
			}
		})
	}
}

func TestTruncatedFileGivesPartialSummary(t *testing.T) {
	b := generate(t, capfile.Pcapng, synth.Config{Packets: 10, Seed: 1})
	s, err := SummarizeReader(bytes.NewReader(b[:len(b)-7]), "cut", Options{Hashes: []string{"sha1"}})
	if err == nil || s == nil || s.Error == "" || s.Packets != 9 || s.FileSize != int64(len(b)-7) {
		t.Fatalf("want a partial summary of 9 packets and an error; got %v, %+v", err, s)
	}
	if len(s.Hashes["sha1"]) != 40 {
		t.Errorf("hash of the whole stream missing: %v", s.Hashes)
	}
}

func TestUnknownHash(t *testing.T) {
	if _, err := SummarizeReader(bytes.NewReader(nil), "x", Options{Hashes: []string{"crc"}}); err == nil {
		t.Fatal("unknown hash accepted")
	}
}

// TestNoAllocationPerPacket summarises files of 1,000 and 21,000 packets:
// the allocations must not grow with the packet count.
func TestNoAllocationPerPacket(t *testing.T) {
	for _, format := range []capfile.Format{capfile.Pcap, capfile.Pcapng} {
		small := generate(t, format, synth.Config{Packets: 1000, Seed: 1})
		large := generate(t, format, synth.Config{Packets: 21000, Seed: 1})
		allocs := func(b []byte) float64 {
			return testing.AllocsPerRun(3, func() {
				if _, err := SummarizeReader(bytes.NewReader(b), "x", Options{}); err != nil {
					t.Fatal(err)
				}
			})
		}
		a, c := allocs(small), allocs(large)
		if per := (c - a) / 20000; per > 0.001 {
			t.Errorf("%s: %.0f allocations for 1000 packets, %.0f for 21000: %.4f per packet", format, a, c, per)
		}
	}
}

func BenchmarkSummarize(b *testing.B) {
	for _, format := range []capfile.Format{capfile.Pcap, capfile.Pcapng} {
		data := generate(b, format, synth.Config{Packets: 50000, Seed: 1})
		b.Run(format.String(), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := SummarizeReader(bytes.NewReader(data), "x", Options{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/50000, "ns/packet")
		})
	}
}
