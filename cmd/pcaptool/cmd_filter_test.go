package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/pcaptool/pcaptool/internal/testenv"
)

// TestFilterMatchesTcpdump checks that pcaptool filter writes the same
// file as tcpdump -r IN -w OUT EXPR.
func TestFilterMatchesTcpdump(t *testing.T) {
	testenv.RequireTool(t, "tcpdump")
	in := filepath.Join(testenv.CorpusDir(t, "tcpdump"), "afs.pcap")
	dir := t.TempDir()
	for i, expr := range []string{"tcp port 80", "udp", "not ip", "host 192.168.1.1 or port 7000"} {
		ours := filepath.Join(dir, "ours.pcap")
		theirs := filepath.Join(dir, "theirs.pcap")
		res := runTool(t, nil, "filter", "--json-stats", expr, in, ours)
		if res.code != 0 && res.code != 1 {
			t.Fatalf("%q: exit %d: %s", expr, res.code, res.stderr)
		}
		if err := exec.Command("tcpdump", "-r", in, "-w", theirs, "--", expr).Run(); err != nil {
			t.Fatal(err)
		}
		a, _ := os.ReadFile(ours)
		b, _ := os.ReadFile(theirs)
		if !bytes.Equal(a, b) {
			t.Errorf("case %d %q: output differs from tcpdump's (%d vs %d bytes)", i, expr, len(a), len(b))
		}
	}
	if res := runTool(t, nil, "filter", "host", in, filepath.Join(dir, "x.pcap")); res.code != 2 {
		t.Errorf("bad expression: exit %d, want 2", res.code)
	}
}
