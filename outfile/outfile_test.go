//go:build linux

package outfile_test

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/pcaptool/pcaptool/outfile"
)

func write(t *testing.T, name string, opts outfile.Options, data string) *outfile.File {
	t.Helper()
	f, err := outfile.Create(name, opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte(data)); err != nil {
		t.Fatal(err)
	}
	return f
}

func mustClose(t *testing.T, f *outfile.File) {
	t.Helper()
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

func content(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// onlyFiles fails unless dir holds exactly the names given: no temporary
// file was left behind.
func onlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if len(got) != len(names) {
		t.Fatalf("%s holds %v, want %v", dir, got, names)
	}
}

func TestRegularFiles(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	tests := []struct {
		name     string
		existing fs.FileMode // 0: no file yet
		umask    int
		want     fs.FileMode
	}{
		{"new file, umask 022", 0, 0o022, 0o644},
		{"new file, umask 077", 0, 0o077, 0o600},
		{"new file, umask 002", 0, 0o002, 0o664},
		{"private file rewritten", 0o600, 0o022, 0o600},
		{"group-readable file rewritten", 0o640, 0o077, 0o640},
		{"executable file rewritten", 0o755, 0o022, 0o755},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			syscall.Umask(tt.umask)
			dir := t.TempDir()
			name := filepath.Join(dir, "out")
			if tt.existing != 0 {
				os.WriteFile(name, []byte("previous"), tt.existing)
				os.Chmod(name, tt.existing)
			}
			f := write(t, name, outfile.Options{}, "new")
			if f.Kind() != outfile.Regular || !f.Seekable() {
				t.Fatalf("kind %v, seekable %v", f.Kind(), f.Seekable())
			}
			if tt.existing != 0 && content(t, name) != "previous" {
				t.Fatal("the destination changed before Close")
			}
			mustClose(t, f)
			st, _ := os.Stat(name)
			if content(t, name) != "new" || st.Mode().Perm() != tt.want {
				t.Fatalf("%q mode %v, want \"new\" %v", content(t, name), st.Mode().Perm(), tt.want)
			}
			onlyFiles(t, dir, "out")
		})
	}
}

func TestAbortLeavesDestination(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "out")
	os.WriteFile(name, []byte("previous"), 0o600)
	f := write(t, name, outfile.Options{}, "half")
	f.Abort()
	f.Abort()
	if err := f.Close(); err != nil {
		t.Fatalf("Close after Abort: %v", err)
	}
	if content(t, name) != "previous" {
		t.Fatal("Abort changed the destination")
	}
	onlyFiles(t, dir, "out")

	var g outfile.Group
	a := write(t, filepath.Join(dir, "a"), outfile.Options{Group: &g}, "a")
	write(t, filepath.Join(dir, "b"), outfile.Options{Group: &g}, "b")
	mustClose(t, a)
	g.AbortAll()
	onlyFiles(t, dir, "a", "out")
}

func TestSymlinks(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	target := filepath.Join(dir, "sub", "target")
	os.WriteFile(target, []byte("previous"), 0o640)
	os.Symlink("sub/target", filepath.Join(dir, "link"))
	os.Symlink("link", filepath.Join(dir, "link2"))
	os.Symlink("sub/new", filepath.Join(dir, "dangling"))

	mustClose(t, write(t, filepath.Join(dir, "link2"), outfile.Options{}, "through two links"))
	if got := content(t, target); got != "through two links" {
		t.Fatalf("target holds %q", got)
	}
	if st, _ := os.Stat(target); st.Mode().Perm() != 0o640 {
		t.Fatalf("target mode %v", st.Mode().Perm())
	}
	for _, l := range []string{"link", "link2"} {
		if st, err := os.Lstat(filepath.Join(dir, l)); err != nil || st.Mode()&fs.ModeSymlink == 0 {
			t.Fatalf("%s is no longer a link", l)
		}
	}
	mustClose(t, write(t, filepath.Join(dir, "dangling"), outfile.Options{}, "created"))
	if got := content(t, filepath.Join(dir, "sub", "new")); got != "created" {
		t.Fatalf("dangling link's target holds %q", got)
	}
	onlyFiles(t, filepath.Join(dir, "sub"), "new", "target")

	os.Symlink("loop", filepath.Join(dir, "loop"))
	if _, err := outfile.Create(filepath.Join(dir, "loop"), outfile.Options{}); err == nil {
		t.Fatal("a link to itself was accepted")
	}
}

func TestSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	null := filepath.Join(dir, "null")
	if err := unix.Mknod(null, unix.S_IFCHR|0o666, int(unix.Mkdev(1, 3))); err != nil {
		t.Skipf("cannot make device nodes here (%v): needs root", err)
	}
	f := write(t, null, outfile.Options{}, "discarded")
	if f.Kind() != outfile.Special || f.Seekable() {
		t.Fatalf("kind %v, seekable %v", f.Kind(), f.Seekable())
	}
	if _, err := f.WriteAt([]byte("x"), 0); !errors.Is(err, outfile.ErrNotSeekable) {
		t.Fatalf("WriteAt on a device: %v", err)
	}
	mustClose(t, f)
	f = write(t, null, outfile.Options{}, "aborted")
	f.Abort()
	if st, err := os.Lstat(null); err != nil || st.Mode()&fs.ModeCharDevice == 0 {
		t.Fatal("the device was replaced or removed")
	}

	full := filepath.Join(dir, "full")
	unix.Mknod(full, unix.S_IFCHR|0o666, int(unix.Mkdev(1, 7)))
	f, err := outfile.Create(full, outfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write([]byte("x")); !errors.Is(err, unix.ENOSPC) {
		t.Fatalf("writing a full device: %v", err)
	}
	f.Abort()

	if _, err := outfile.Create(dir, outfile.Options{}); err == nil {
		t.Fatal("a directory was accepted as destination")
	}
}

func TestFIFOAndDescriptorLinks(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 1)
	go func() {
		r, err := os.Open(fifo)
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(r)
		r.Close()
		got <- string(b)
	}()
	f := write(t, fifo, outfile.Options{}, "through the fifo")
	mustClose(t, f)
	if s := <-got; s != "through the fifo" {
		t.Fatalf("the reader got %q", s)
	}

	// A pipe reached through /proc/self/fd/N, directly and through a link.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	proc := "/proc/self/fd/" + strconv.Itoa(int(w.Fd()))
	os.Symlink(proc, filepath.Join(dir, "fdlink"))
	for _, name := range []string{proc, filepath.Join(dir, "fdlink")} {
		if k, err := outfile.Inspect(name); err != nil || k != outfile.Special {
			t.Fatalf("Inspect(%s) = %v, %v", name, k, err)
		}
		mustClose(t, write(t, name, outfile.Options{}, name+"\n"))
	}
	w.Close()
	b, _ := io.ReadAll(r)
	if want := proc + "\n" + filepath.Join(dir, "fdlink") + "\n"; string(b) != want {
		t.Fatalf("the pipe got %q", b)
	}

	// A regular file behind a descriptor link is written through the
	// descriptor, not replaced by a new file.
	reg := filepath.Join(dir, "reg")
	os.WriteFile(reg, []byte("previous content"), 0o600)
	rf, _ := os.OpenFile(reg, os.O_RDWR, 0)
	defer rf.Close()
	before, _ := os.Stat(reg)
	mustClose(t, write(t, "/proc/self/fd/"+strconv.Itoa(int(rf.Fd())), outfile.Options{}, "via fd"))
	after, _ := os.Stat(reg)
	if content(t, reg) != "via fd" || !os.SameFile(before, after) {
		t.Fatalf("file behind the descriptor: %q, same inode %v", content(t, reg), os.SameFile(before, after))
	}
}

func TestInPlace(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "growing")
	os.WriteFile(name, []byte("previous and longer"), 0o600)
	f := write(t, name, outfile.Options{InPlace: true}, "visible")
	if content(t, name) != "visible" {
		t.Fatal("an in-place output is not visible while written")
	}
	f.Abort()
	if st, _ := os.Stat(name); content(t, name) != "visible" || st.Mode().Perm() != 0o600 {
		t.Fatalf("after Abort: %q %v", content(t, name), st.Mode().Perm())
	}
	onlyFiles(t, dir, "growing")
}

func TestReleaseReopens(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "out")
	f := write(t, name, outfile.Options{}, "one ")
	if err := f.Release(); err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("two "))
	f.Release()
	f.Release()
	f.Write([]byte("three"))
	if _, err := os.Stat(name); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("the destination appeared before Close")
	}
	f.Release()
	mustClose(t, f)
	if got := content(t, name); got != "one two three" {
		t.Fatalf("%q", got)
	}
	onlyFiles(t, dir, "out")
}

func TestStdout(t *testing.T) {
	f, err := outfile.Create("-", outfile.Options{})
	if err != nil || f.Kind() != outfile.Stdout || f.Seekable() {
		t.Fatalf("%v %v", f, err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stdout.Write(nil); err != nil {
		t.Fatal("Close closed standard output")
	}
}
