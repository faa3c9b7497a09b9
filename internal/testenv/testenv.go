// Package testenv finds the shared capture corpus and the oracle tools
// (tshark, editcap, tcpdump, ...) for tests, skipping a test with a reason
// when they are absent and failing it instead when PCAPTOOL_REQUIRE_ORACLES=1,
// as CI sets it.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

// Required reports whether missing oracles or corpus must fail tests.
func Required() bool { return os.Getenv("PCAPTOOL_REQUIRE_ORACLES") == "1" }

func skipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	if Required() {
		t.Fatalf(format+" (PCAPTOOL_REQUIRE_ORACLES=1)", args...)
	}
	t.Skipf(format, args...)
}

var (
	rootOnce sync.Once
	root     string
)

// RepoRoot returns the directory holding go.mod, found by walking up from
// the working directory; "" when there is none.
func RepoRoot() string {
	rootOnce.Do(func() {
		dir, err := os.Getwd()
		if err != nil {
			return
		}
		for {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				root = dir
				return
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				return
			}
			dir = parent
		}
	})
	return root
}

// CorpusDir returns ../shared/corpus/<sub> beside the repository, skipping
// (or failing) t when it is absent.
func CorpusDir(t testing.TB, sub string) string {
	t.Helper()
	dir := filepath.Join(RepoRoot(), "..", "shared", "corpus", sub)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		skipOrFail(t, "capture corpus %s not found", dir)
	}
	return dir
}

// CorpusFiles returns the capture files (.pcap, .pcapng, .cap, .ntar) under
// ../shared/corpus/<sub>, recursively, sorted.
func CorpusFiles(t testing.TB, sub string) []string {
	t.Helper()
	dir := CorpusDir(t, sub)
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".pcap", ".pcapng", ".cap", ".ntar":
			if !d.IsDir() {
				files = append(files, path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	if len(files) == 0 {
		skipOrFail(t, "no capture files under %s", dir)
	}
	return files
}

// RequireTool returns the path of an oracle program, skipping (or failing)
// t when it is not installed.
func RequireTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		skipOrFail(t, "%s not installed: apt-get install -y tshark tcpdump", name)
	}
	return p
}

// RequireLong skips t in -short mode.
func RequireLong(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("skipped in -short mode")
	}
}
