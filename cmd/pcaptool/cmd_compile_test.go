package main

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/pcaptool/pcaptool/internal/testenv"
)

// TestCompileMatchesTcpdump compares pcaptool compile's listings with
// tcpdump's for expressions whose optimized programs are identical.
func TestCompileMatchesTcpdump(t *testing.T) {
	testenv.RequireTool(t, "tcpdump")
	for _, tc := range []struct{ lt, flag, expr string }{
		{"EN10MB", "-d", "tcp port 80"},
		{"EN10MB", "-dd", "host 1.2.3.4"},
		{"EN10MB", "-ddd", "ip[0] & 0xf != 5"},
		{"LINUX_SLL2", "-d", "ip"},
		{"EN10MB", "-d", "vlan 10 and tcp"},
	} {
		want, err := exec.Command("tcpdump", "-y", tc.lt, tc.flag, tc.expr).Output()
		if err != nil {
			t.Fatalf("tcpdump %v: %v", tc, err)
		}
		got := mustRun(t, "compile", "-y", tc.lt, tc.flag, tc.expr).stdout
		if got != string(want) {
			t.Errorf("%v:\npcaptool:\n%s\ntcpdump:\n%s", tc, got, want)
		}
	}
	if out := mustRun(t, "compile", "ip", "and", "tcp").stdout; !strings.Contains(out, "jeq") {
		t.Errorf("joined arguments: %s", out)
	}
}
