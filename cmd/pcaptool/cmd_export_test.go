package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestExportCommand(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.pcapng")
	mustRun(t, "generate", "-c", "300", in)
	tests := []struct {
		name string
		args []string
		want func(t *testing.T, res toolResult)
	}{
		{"schema", []string{"export", "--schema"}, func(t *testing.T, res toolResult) {
			if !strings.Contains(res.stdout, "ts           TIMESTAMP(NANOS,UTC)") || !strings.Contains(res.stdout, "message PacketRow") {
				t.Errorf("schema output:\n%s", res.stdout)
			}
		}},
		{"csv to stdout", []string{"export", "-F", "csv", "-o", "-", in}, func(t *testing.T, res toolResult) {
			if lines := strings.Count(res.stdout, "\n"); lines != 301 {
				t.Errorf("%d lines, want a header and 300 rows", lines)
			}
		}},
		{"format from name", []string{"export", "--table", "flows", "-o", filepath.Join(dir, "f.jsonl"), in}, func(t *testing.T, _ toolResult) {
			b, err := os.ReadFile(filepath.Join(dir, "f.jsonl"))
			if err != nil || !strings.HasPrefix(string(b), `{"file":`) {
				t.Errorf("f.jsonl: %v %.80q", err, b)
			}
		}},
		{"partitioned", []string{"export", "--partition-by", "day", "-o", filepath.Join(dir, "t"), in}, func(t *testing.T, _ toolResult) {
			if _, err := os.Stat(filepath.Join(dir, "t", "date=2024-01-01", "part-00000.parquet")); err != nil {
				t.Error(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.want(t, mustRun(t, tt.args...)) })
	}
	t.Run("bad input leaves no output", func(t *testing.T) {
		bad := filepath.Join(dir, "bad.pcap")
		os.WriteFile(bad, []byte("not a capture at all, not even close"), 0o644)
		out := filepath.Join(dir, "bad.parquet")
		if res := runTool(t, nil, "export", "-o", out, in, bad); res.code != exitFailure {
			t.Errorf("exit %d, want %d", res.code, exitFailure)
		}
		if left, _ := filepath.Glob(filepath.Join(dir, "*bad.parquet*")); len(left) > 0 {
			t.Errorf("left behind: %v", left)
		}
	})
	t.Run("interrupted leaves no output", func(t *testing.T) {
		out := filepath.Join(dir, "int.parquet")
		cmd := exec.Command(pcaptoolBin, "export", "-o", out, "-")
		stdin, _ := cmd.StdinPipe()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(in)
		stdin.Write(data) // the export waits for more input
		time.Sleep(500 * time.Millisecond)
		cmd.Process.Signal(syscall.SIGTERM)
		err := cmd.Wait()
		stdin.Close()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitInterrupted {
			t.Errorf("exit %v, want %d", err, exitInterrupted)
		}
		if left, _ := filepath.Glob(filepath.Join(dir, "*int.parquet*")); len(left) > 0 {
			t.Errorf("left behind: %v", left)
		}
	})
}
