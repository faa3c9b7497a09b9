package pcapgo

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pcaptool/pcaptool/internal/testenv"
)

// gopacketSuite are gopacket v1.1.19's pcapgo test files run against this
// package; capture_test.go holds a compile-only example of EthernetHandle.
var gopacketSuite = []string{
	"read_test.go", "write_test.go", "ngread_test.go", "ngwrite_test.go", "snoop_test.go", "capture_test.go",
}

// gopacketPcapgoDir returns gopacket's pcapgo directory in the module cache,
// downloading the module first when PCAPTOOL_REQUIRE_ORACLES=1.
func gopacketPcapgoDir(t *testing.T, root string) string {
	t.Helper()
	dir := func() string {
		cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/google/gopacket")
		cmd.Dir = root
		out, err := cmd.Output()
		if err != nil {
			return ""
		}
		return strings.TrimSpace(string(out))
	}
	d := dir()
	if d == "" && testenv.Required() {
		cmd := exec.Command("go", "mod", "download", "github.com/google/gopacket")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go mod download github.com/google/gopacket: %v\n%s", err, out)
		}
		d = dir()
	}
	if d == "" {
		if testenv.Required() {
			t.Fatal("github.com/google/gopacket is not in the module cache")
		}
		t.Skip("github.com/google/gopacket is not in the module cache (go mod download github.com/google/gopacket)")
	}
	return filepath.Join(d, "pcapgo")
}

// TestGopacketSuite runs gopacket v1.1.19's own pcapgo tests, with only
// their import path changed, against a copy of this package in a throwaway
// module that replaces this module with the working tree. The tests are
// not ours to commit, so they are copied from the module cache at test
// time; they use a few unexported names (the snoop error texts, the
// timestamp-scaling fields of NgInterface, NgReader's source reader), which
// this package therefore defines.
func TestGopacketSuite(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a separate module; skipped in -short mode")
	}
	root := testenv.RepoRoot()
	if root == "" {
		t.Skip("not inside the module")
	}
	src := gopacketPcapgoDir(t, root)
	tmp := t.TempDir()
	pkg := filepath.Join(tmp, "pcapgo")
	if err := os.CopyFS(filepath.Join(pkg, "tests"), os.DirFS(filepath.Join(src, "tests"))); err != nil {
		t.Fatal(err)
	}
	ours, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ours {
		if !strings.HasSuffix(f, "_test.go") {
			copyFile(t, f, filepath.Join(pkg, f), nil)
		}
	}
	rewrite := func(b []byte) []byte {
		return bytes.ReplaceAll(b, []byte(`"github.com/google/gopacket/pcapgo"`), []byte(`"gopacketsuite/pcapgo"`))
	}
	for _, f := range gopacketSuite {
		copyFile(t, filepath.Join(src, f), filepath.Join(pkg, f), rewrite)
	}
	gomod := "module gopacketsuite\n\ngo 1.26.0\n\nrequire github.com/pcaptool/pcaptool v0.0.0\n\n" +
		"replace github.com/pcaptool/pcaptool => " + root + "\n"
	if err := os.WriteFile(filepath.Join(tmp, "go.mod"), []byte(gomod), 0o644); err != nil {
		t.Fatal(err)
	}
	copyFile(t, filepath.Join(root, "go.sum"), filepath.Join(tmp, "go.sum"), nil)

	cmd := exec.Command("go", "test", "-mod=mod", "-count=1", "-v", "./pcapgo")
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	out, err := cmd.CombinedOutput()
	passed := len(regexp.MustCompile(`(?m)^--- PASS`).FindAll(out, -1))
	failed := regexp.MustCompile(`(?m)^\s*--- FAIL.*$`).FindAll(out, -1)
	if err != nil || len(failed) > 0 {
		t.Fatalf("gopacket's pcapgo tests fail against pcaptool/pcapgo (%d passed, %d failed): %v\n%s", passed, len(failed), err, out)
	}
	t.Logf("gopacket v1.1.19's pcapgo tests: %d passed, 0 failed", passed)
}

func copyFile(t *testing.T, from, to string, edit func([]byte) []byte) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		b = edit(b)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
