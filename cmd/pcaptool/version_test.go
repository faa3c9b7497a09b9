package main

import (
	"os"
	"os/exec"
	"runtime/debug"
	"strings"
	"testing"
)

func TestDescribeBuild(t *testing.T) {
	tests := []struct {
		name string
		info debug.BuildInfo
		want string
	}{
		{
			name: "checkout",
			info: debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
				{Key: "GOOS", Value: "linux"}, {Key: "GOARCH", Value: "amd64"}, {Key: "CGO_ENABLED", Value: "0"},
				{Key: "vcs.revision", Value: "ad1d7520f00dfeedbeefcafe0123456789abcdef"},
				{Key: "vcs.time", Value: "2026-11-24T23:40:00Z"}, {Key: "vcs.modified", Value: "true"},
			}},
			want: "(devel) (commit ad1d7520f00d+modified, 2026-11-24T23:40:00Z, go1.26.8, linux/amd64)",
		},
		{
			name: "pseudo-version",
			info: debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261124234834-b960c79d7837+dirty"}, Settings: []debug.BuildSetting{
				{Key: "GOOS", Value: "linux"}, {Key: "GOARCH", Value: "amd64"}, {Key: "CGO_ENABLED", Value: "0"},
				{Key: "vcs.revision", Value: "b960c79d7837aaaaaaaaaaaaaaaaaaaaaaaaaaaa"}, {Key: "vcs.time", Value: "2026-11-24T23:48:34Z"},
			}},
			want: "v0.0.0-20261124234834-b960c79d7837+dirty (2026-11-24T23:48:34Z, go1.26.8, linux/amd64)",
		},
		{
			name: "go install module@version",
			info: debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.3"}, Settings: []debug.BuildSetting{
				{Key: "GOOS", Value: "darwin"}, {Key: "GOARCH", Value: "arm64"}, {Key: "CGO_ENABLED", Value: "1"},
			}},
			want: "v1.2.3 (go1.26.8, darwin/arm64, cgo)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := describeBuild(&tt.info); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestVersionFlag(t *testing.T) {
	res := mustRun(t, "--version")
	if !strings.HasPrefix(res.stdout, "pcaptool ") || !strings.Contains(res.stdout, "go1.") {
		t.Errorf("--version printed %q", res.stdout)
	}
}

// TestStartupAdvisesFirst checks that internal/startup's init, which advises
// .bss for huge pages, runs before gopacket/layers' init fills its tables
// there: afterwards the advice would come too late to matter.
func TestStartupAdvisesFirst(t *testing.T) {
	cmd := exec.Command(pcaptoolBin, "--version")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	order := map[string]int{}
	for i, line := range strings.Split(string(out), "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[0] == "init" {
			order[f[1]] = i + 1
		}
	}
	const startup, layers = "github.com/pcaptool/pcaptool/internal/startup", "github.com/google/gopacket/layers"
	if order[startup] == 0 || order[layers] == 0 {
		t.Fatalf("GODEBUG=inittrace=1 does not show both %s and %s:\n%s", startup, layers, out)
	}
	if order[startup] > order[layers] {
		t.Errorf("%s is initialized after %s (lines %d and %d of the init trace)", startup, layers, order[startup], order[layers])
	}
}
