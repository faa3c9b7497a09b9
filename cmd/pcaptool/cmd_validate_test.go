package main

import (
	"encoding/binary"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// genCapture writes a generated capture with pcaptool generate.
func genCapture(t *testing.T, name string, packets string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), name)
	mustRun(t, "generate", "-c", packets, out)
	return out
}

func TestInfoCommand(t *testing.T) {
	f := genCapture(t, "x.pcapng", "200")
	res := mustRun(t, "info", "--hash", "sha256", f)
	for _, want := range []string{"File type:           pcapng", "Number of packets:   200", "SHA256:", "Strict time order:   True"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("info output lacks %q:\n%s", want, res.stdout)
		}
	}
	res = mustRun(t, "info", "--json", f, f)
	lines := strings.Split(strings.TrimSpace(res.stdout), "\n")
	if len(lines) != 2 {
		t.Fatalf("want one JSON object per file, got %d lines", len(lines))
	}
	var s struct {
		Packets  int    `json:"packets"`
		FileType string `json:"file_type"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &s); err != nil || s.Packets != 200 || s.FileType != "pcapng" {
		t.Errorf("json %s: %v", lines[0], err)
	}
	if r := runTool(t, nil, "info", filepath.Join(t.TempDir(), "missing.pcap")); r.code != exitFailure {
		t.Errorf("missing file: exit %d", r.code)
	}
	if r := runTool(t, nil, "info", "--hash", "crc32", f); r.code != exitFailure {
		t.Errorf("bad --hash: exit %d", r.code)
	}
	// From standard input.
	b, _ := os.ReadFile(f)
	if r := runTool(t, b, "info", "-"); r.code != 0 || !strings.Contains(r.stdout, "Number of packets:   200") {
		t.Errorf("stdin: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestValidateAndRepairCommands(t *testing.T) {
	good := genCapture(t, "good.pcap", "20")
	if r := runTool(t, nil, "validate", good); r.code != 0 || !strings.Contains(r.stdout, ": ok") {
		t.Fatalf("clean file: exit %d\n%s", r.code, r.stdout)
	}
	// Damage record 3's captured length: record 4 starting where record
	// 3's original length ends restores it.
	b, _ := os.ReadFile(good)
	off := 24
	for range 3 {
		off += 16 + int(binary.LittleEndian.Uint32(b[off+8:]))
	}
	binary.LittleEndian.PutUint32(b[off+8:], 0x7fffffff)
	bad := filepath.Join(t.TempDir(), "bad.pcap")
	os.WriteFile(bad, b, 0o644)

	r := runTool(t, nil, "validate", "--format", "github", bad)
	if r.code != exitFindings || !strings.HasPrefix(r.stdout, "::error file="+githubProperty(bad)+",line=1,title=offset ") {
		t.Fatalf("github format: exit %d\n%s", r.code, r.stdout)
	}
	r = runTool(t, nil, "validate", "--json", bad, good)
	if r.code != exitFindings {
		t.Fatalf("json: exit %d", r.code)
	}
	var rep struct {
		Errors   int `json:"errors"`
		Findings []struct {
			Severity string `json:"severity"`
			Code     string `json:"code"`
			Offset   int64  `json:"offset"`
		} `json:"findings"`
	}
	first := strings.Split(r.stdout, "\n")[0]
	if err := json.Unmarshal([]byte(first), &rep); err != nil || rep.Errors == 0 ||
		rep.Findings[0].Code != "capture-length" || rep.Findings[0].Offset != int64(off+8) || rep.Findings[0].Severity != "error" {
		t.Fatalf("json report %s: %v", first, err)
	}
	if r := runTool(t, nil, "validate", "--format", "xml", good); r.code != exitFailure {
		t.Errorf("bad --format: exit %d", r.code)
	}

	fixed := filepath.Join(t.TempDir(), "fixed.pcap")
	r = runTool(t, nil, "repair", bad, fixed)
	if r.code != exitFindings || !strings.Contains(r.stderr, "kept 20 packets") {
		t.Fatalf("repair: exit %d\n%s", r.code, r.stderr)
	}
	if r := runTool(t, nil, "validate", "--strict", fixed); r.code != 0 {
		t.Errorf("repaired file does not validate: %s", r.stdout)
	}
	if r := runTool(t, nil, "repair", good, filepath.Join(t.TempDir(), "same.pcap")); r.code != 0 {
		t.Errorf("repair of a clean file: exit %d\n%s", r.code, r.stderr)
	}
	txt := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(txt, []byte("not a capture"), 0o644)
	if r := runTool(t, nil, "repair", txt, filepath.Join(t.TempDir(), "o.pcap")); r.code != exitFailure {
		t.Errorf("repair of a text file: exit %d", r.code)
	}
}
