package main

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

// synthPcap writes n synthetic packets to a pcap file for the decode
// commands' tests.
func synthPcap(t *testing.T, n int) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "synth.pcap")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	w, err := pcap.NewWriter(f, pcap.FileHeader{SnapLen: 65535, LinkType: linktype.Ethernet})
	if err != nil {
		t.Fatal(err)
	}
	src := synth.New(synth.Config{Packets: n, Seed: 9})
	for {
		p, err := src.ReadPacket()
		if err == io.EOF {
			break
		}
		if err := w.WritePacket(&pkt.Packet{Timestamp: p.Timestamp, Length: p.Length, Data: p.Data}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return name
}

func TestPrintCommand(t *testing.T) {
	name := synthPcap(t, 200)
	for _, tc := range []struct {
		name  string
		args  []string
		lines int
		check func(t *testing.T, line string)
	}{
		{"all", []string{"print", "--utc", name}, 200, func(t *testing.T, l string) {
			if !strings.Contains(l, " IP") {
				t.Errorf("line without IP: %q", l)
			}
		}},
		{"count", []string{"print", "-c", "7", name}, 7, nil},
		{"filter", []string{"print", name, "udp"}, -1, func(t *testing.T, l string) {
			// UDP lines name the application (DNS, NTP, ...) or say "UDP";
			// none is a TCP line.
			if strings.Contains(l, "Flags [") || !strings.Contains(l, " > ") {
				t.Errorf("filter udp printed %q", l)
			}
		}},
		{"json", []string{"print", "--json", name}, 200, func(t *testing.T, l string) {
			var v struct {
				Frame  int `json:"frame"`
				Layers []struct {
					Type string `json:"type"`
				} `json:"layers"`
			}
			if err := json.Unmarshal([]byte(l), &v); err != nil || v.Frame == 0 || len(v.Layers) < 3 || v.Layers[0].Type != "ethernet" {
				t.Errorf("bad JSON line %q: %v", l, err)
			}
		}},
		{"stdin", []string{"print", "-c", "3", "-"}, 3, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdin []byte
			if tc.name == "stdin" {
				stdin, _ = os.ReadFile(name)
			}
			res := runTool(t, stdin, tc.args...)
			if res.code != 0 {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			lines := strings.Split(strings.TrimSuffix(res.stdout, "\n"), "\n")
			if tc.lines >= 0 && len(lines) != tc.lines {
				t.Errorf("%d lines, want %d", len(lines), tc.lines)
			}
			if tc.lines < 0 && (len(lines) == 0 || len(lines) >= 200) {
				t.Errorf("filter kept %d of 200 packets", len(lines))
			}
			for _, l := range lines {
				if tc.check != nil {
					tc.check(t, l)
				}
			}
		})
	}
	if res := runTool(t, nil, "print", filepath.Join(t.TempDir(), "missing.pcap")); res.code != exitFailure {
		t.Errorf("missing file: exit %d, want %d", res.code, exitFailure)
	}
}
