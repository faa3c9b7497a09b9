//go:build linux

package main

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/pcaptool/pcaptool/internal/netns"
)

// Every command that writes a file goes through package outfile. These
// tests run each one against every kind of destination a user may name:
// devices, FIFOs and descriptor links are written directly and survive;
// symbolic links lead to the file they name; rewritten files keep their
// mode; new files follow the umask.

// writingCommand is one command whose output destination the tests vary.
type writingCommand struct {
	name string
	args func(in, in2, out string) []string
}

var writingCommands = []writingCommand{
	{"convert", func(in, _, out string) []string { return []string{"convert", in, out} }},
	{"merge", func(in, in2, out string) []string { return []string{"merge", "-w", out, in, in2} }},
	{"sort", func(in, _, out string) []string { return []string{"sort", in, out} }},
	// A window too small for the input: a regular destination is sorted
	// in a streaming pass that fails and is retried; any other must be
	// sorted once, externally.
	{"sort-small-window", func(_, in2, out string) []string { return []string{"sort", "--memory", "65536", in2, out} }},
	{"edit", func(in, _, out string) []string { return []string{"edit", in, out, "1-10"} }},
	{"filter", func(in, _, out string) []string { return []string{"filter", "tcp", in, out} }},
	{"repair", func(in, _, out string) []string { return []string{"repair", in, out} }},
	{"generate", func(_, _, out string) []string {
		return []string{"generate", "-c", "300", "--seed", "3", "--disorder", "20", out}
	}},
}

// outputInputs makes the inputs every writing command reads: two small,
// partly disordered captures.
func outputInputs(t *testing.T, dir string) (in, in2 string) {
	t.Helper()
	in, in2 = filepath.Join(dir, "in.pcapng"), filepath.Join(dir, "in2.pcap")
	mustRun(t, "generate", "-c", "300", "--seed", "1", "--disorder", "20", in)
	// in2: a later capture followed by an earlier one, out of order by
	// more than a 64 KiB sort window holds.
	early, late := filepath.Join(dir, "early.pcap"), filepath.Join(dir, "late.pcap")
	mustRun(t, "generate", "-c", "200", "--seed", "2", early)
	mustRun(t, "generate", "-c", "200", "--seed", "3", "--start", "2024-01-02T00:00:00Z", late)
	mustRun(t, "merge", "-a", "-w", in2, late, early)
	return in, in2
}

// reference runs c with a fresh regular file as destination and returns
// what it wrote: what every other destination must receive.
func reference(t *testing.T, c writingCommand, in, in2, dir string) []byte {
	t.Helper()
	out := filepath.Join(dir, "ref-"+c.name)
	if res := runTool(t, nil, c.args(in, in2, out)...); res.code > 1 {
		t.Fatalf("%s to a regular file: exit %d: %s", c.name, res.code, res.stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil || len(b) == 0 {
		t.Fatalf("%s wrote no reference output: %v", c.name, err)
	}
	return b
}

func requireMknod(t *testing.T, path string, mode uint32, dev int) {
	t.Helper()
	if err := unix.Mknod(path, mode, dev); err != nil {
		t.Skipf("cannot make device nodes here (%v): needs root", err)
	}
}

func TestOutputToCharacterDevice(t *testing.T) {
	dir := t.TempDir()
	in, in2 := outputInputs(t, dir)
	null := filepath.Join(dir, "null")
	requireMknod(t, null, unix.S_IFCHR|0o666, int(unix.Mkdev(1, 3)))
	for _, c := range writingCommands {
		t.Run(c.name, func(t *testing.T) {
			if res := runTool(t, nil, c.args(in, in2, null)...); res.code > 1 {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			st, err := os.Lstat(null)
			if err != nil || st.Mode()&fs.ModeCharDevice == 0 {
				t.Fatalf("the device was replaced: %v %v", st.Mode(), err)
			}
			if entries, _ := filepath.Glob(filepath.Join(dir, ".null*")); len(entries) != 0 {
				t.Fatalf("temporary files left: %v", entries)
			}
		})
	}
	// A device that refuses writes (/dev/full's numbers) is a clear error,
	// and it stays a device.
	full := filepath.Join(dir, "full")
	requireMknod(t, full, unix.S_IFCHR|0o666, int(unix.Mkdev(1, 7)))
	res := runTool(t, nil, "convert", in, full)
	if res.code != 2 || !strings.Contains(res.stderr, full) || !strings.Contains(res.stderr, "no space left") {
		t.Fatalf("convert to a full device: exit %d: %s", res.code, res.stderr)
	}
	if st, err := os.Lstat(full); err != nil || st.Mode()&fs.ModeCharDevice == 0 {
		t.Fatalf("the full device was replaced: %v", err)
	}
}

func TestOutputToFIFO(t *testing.T) {
	dir := t.TempDir()
	in, in2 := outputInputs(t, dir)
	for _, c := range writingCommands {
		t.Run(c.name, func(t *testing.T) {
			want := reference(t, c, in, in2, dir)
			fifo := filepath.Join(dir, "fifo-"+c.name)
			if err := unix.Mkfifo(fifo, 0o600); err != nil {
				t.Fatal(err)
			}
			got := make(chan []byte, 1)
			go func() {
				f, err := os.Open(fifo) // blocks until the writer opens it
				if err != nil {
					got <- nil
					return
				}
				defer f.Close()
				b, _ := io.ReadAll(f)
				got <- b
			}()
			if res := runTool(t, nil, c.args(in, in2, fifo)...); res.code > 1 {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			select {
			case b := <-got:
				if !bytes.Equal(b, want) {
					t.Fatalf("the reader got %d bytes, a regular file gets %d", len(b), len(want))
				}
			case <-time.After(20 * time.Second):
				t.Fatal("the FIFO's reader got nothing: the output went elsewhere")
			}
			if st, err := os.Lstat(fifo); err != nil || st.Mode()&fs.ModeNamedPipe == 0 {
				t.Fatalf("the FIFO was replaced: %v", err)
			}
		})
	}
}

func TestOutputThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	in, in2 := outputInputs(t, dir)
	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	for _, c := range writingCommands {
		t.Run(c.name, func(t *testing.T) {
			want := reference(t, c, in, in2, dir)
			target := filepath.Join(sub, "target-"+c.name)
			link := filepath.Join(dir, "link-"+c.name)
			os.WriteFile(target, []byte("previous"), 0o640)
			if err := os.Symlink(filepath.Join("sub", "target-"+c.name), link); err != nil {
				t.Fatal(err)
			}
			if res := runTool(t, nil, c.args(in, in2, link)...); res.code > 1 {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			if st, err := os.Lstat(link); err != nil || st.Mode()&fs.ModeSymlink == 0 {
				t.Fatalf("the link was replaced: %v", err)
			}
			b, _ := os.ReadFile(target)
			if !bytes.Equal(b, want) {
				t.Fatalf("the target holds %d bytes, want %d", len(b), len(want))
			}
			if st, _ := os.Stat(target); st.Mode().Perm() != 0o640 {
				t.Errorf("target mode %v, want 0640 kept", st.Mode().Perm())
			}
			if tmp, _ := filepath.Glob(filepath.Join(sub, ".*")); len(tmp) != 0 {
				t.Errorf("temporary files left: %v", tmp)
			}
		})
	}
}

func TestOutputThroughDescriptorLink(t *testing.T) {
	dir := t.TempDir()
	in, in2 := outputInputs(t, dir)
	link := filepath.Join(dir, "stdout")
	if err := os.Symlink("/proc/self/fd/1", link); err != nil {
		t.Fatal(err)
	}
	for _, c := range writingCommands {
		t.Run(c.name, func(t *testing.T) {
			want := reference(t, c, in, in2, dir)
			res := runTool(t, nil, c.args(in, in2, link)...)
			if res.code > 1 {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			if !bytes.Equal([]byte(res.stdout), want) {
				t.Fatalf("standard output got %d bytes, want %d", len(res.stdout), len(want))
			}
			if st, err := os.Lstat(link); err != nil || st.Mode()&fs.ModeSymlink == 0 {
				t.Fatalf("the link was replaced: %v", err)
			}
		})
	}
}

func TestOutputKeepsPermissions(t *testing.T) {
	dir := t.TempDir()
	in, in2 := outputInputs(t, dir)
	for _, c := range writingCommands {
		t.Run(c.name+"/private file rewritten", func(t *testing.T) {
			want := reference(t, c, in, in2, dir)
			out := filepath.Join(dir, "private-"+c.name)
			os.WriteFile(out, []byte("secret"), 0o600)
			os.Chmod(out, 0o600)
			if res := runTool(t, nil, c.args(in, in2, out)...); res.code > 1 {
				t.Fatalf("exit %d: %s", res.code, res.stderr)
			}
			if b, _ := os.ReadFile(out); !bytes.Equal(b, want) {
				t.Fatalf("wrote %d bytes, want %d", len(b), len(want))
			}
			if st, _ := os.Stat(out); st.Mode().Perm() != 0o600 {
				t.Fatalf("mode %v after rewriting a 0600 file", st.Mode().Perm())
			}
		})
		t.Run(c.name+"/new file under umask 077", func(t *testing.T) {
			out := filepath.Join(dir, "umask-"+c.name)
			args := append([]string{"-c", `umask 077 && exec "$0" "$@"`, pcaptoolBin}, c.args(in, in2, out)...)
			cmd := exec.Command("sh", args...)
			if b, err := cmd.CombinedOutput(); err != nil {
				var ee *exec.ExitError
				if !errors.As(err, &ee) || ee.ExitCode() > 1 {
					t.Fatalf("%v: %s", err, b)
				}
			}
			if st, err := os.Stat(out); err != nil || st.Mode().Perm() != 0o600 {
				t.Fatalf("new file under umask 077: %v %v, want 0600", st.Mode().Perm(), err)
			}
		})
	}
	// sort and convert rewriting their own input keep a private file private.
	for _, name := range []string{"sort", "convert"} {
		t.Run(name+"/in place", func(t *testing.T) {
			f := filepath.Join(dir, "self-"+name+".pcapng")
			mustRun(t, "generate", "-c", "100", "--disorder", "10", f)
			os.Chmod(f, 0o600)
			mustRun(t, name, f, f)
			if st, _ := os.Stat(f); st.Mode().Perm() != 0o600 {
				t.Fatalf("mode %v after %s x x", st.Mode().Perm(), name)
			}
			if pkts, _ := packets(t, f); len(pkts) != 100 {
				t.Fatalf("%d packets after %s x x", len(pkts), name)
			}
		})
	}
}

// TestCaptureDestinations captures 30 frames into each kind of
// destination: the frames reach devices, FIFOs and descriptor links
// directly, a link's target file, a rewritten private file keeping 0600 and
// a new file following the umask; rotation into a device is refused.
func TestCaptureDestinations(t *testing.T) {
	p := newVethPair(t)
	dir := t.TempDir()
	const frames = 30
	capture := func(t *testing.T, dest string, stdout io.Writer, umask077 bool) {
		t.Helper()
		args := []string{"capture", "-i", p.vb, "-c", strconv.Itoa(frames), "--immediate", "-w", dest}
		cmdArgs := append([]string{"-c", `umask 022; [ "$UMASK077" = 1 ] && umask 077; exec "$0" "$@"`, pcaptoolBin}, args...)
		b := &bg{cmd: netns.Exec(p.b, "sh", cmdArgs...), done: make(chan struct{})}
		b.cmd.Env = append(os.Environ(), "UMASK077="+map[bool]string{true: "1"}[umask077])
		b.cmd.Stderr = &syncWriter{b: &b.stderr}
		b.cmd.Stdout = stdout
		if err := b.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() { b.err = b.cmd.Wait(); close(b.done) }()
		t.Cleanup(func() { b.cmd.Process.Kill(); <-b.done })
		b.waitListening(t)
		goSender(t, p.a, p.va, frames)
		select {
		case <-b.done:
			if b.err != nil {
				t.Fatalf("capture: %v: %s", b.err, b.errText())
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("capture did not stop after %d frames: %s", frames, b.errText())
		}
	}
	countFrames := func(t *testing.T, data []byte) int {
		t.Helper()
		name := filepath.Join(t.TempDir(), "got.pcap")
		os.WriteFile(name, data, 0o600)
		pkts, _ := packets(t, name)
		return len(pkts)
	}

	t.Run("character device", func(t *testing.T) {
		null := filepath.Join(dir, "null")
		requireMknod(t, null, unix.S_IFCHR|0o666, int(unix.Mkdev(1, 3)))
		capture(t, null, nil, false)
		if st, err := os.Lstat(null); err != nil || st.Mode()&fs.ModeCharDevice == 0 {
			t.Fatal("the device was replaced")
		}
		res := runTool(t, nil, "capture", "-i", "lo", "-C", "1", "-w", null)
		if res.code != 2 || !strings.Contains(res.stderr, "rotate regular files") {
			t.Fatalf("rotation into a device: exit %d: %s", res.code, res.stderr)
		}
	})
	t.Run("FIFO with a reader", func(t *testing.T) {
		fifo := filepath.Join(dir, "fifo")
		unix.Mkfifo(fifo, 0o600)
		got := make(chan []byte, 1)
		go func() {
			f, err := os.Open(fifo)
			if err != nil {
				got <- nil
				return
			}
			b, _ := io.ReadAll(f)
			f.Close()
			got <- b
		}()
		capture(t, fifo, nil, false)
		if n := countFrames(t, <-got); n != frames {
			t.Fatalf("the FIFO's reader got %d frames, want %d", n, frames)
		}
		if st, _ := os.Lstat(fifo); st.Mode()&fs.ModeNamedPipe == 0 {
			t.Fatal("the FIFO was replaced")
		}
	})
	t.Run("symlink to a file", func(t *testing.T) {
		target := filepath.Join(dir, "target.pcap")
		os.WriteFile(target, []byte("previous"), 0o640)
		link := filepath.Join(dir, "link.pcap")
		os.Symlink("target.pcap", link)
		capture(t, link, nil, false)
		if st, _ := os.Lstat(link); st.Mode()&fs.ModeSymlink == 0 {
			t.Fatal("the link was replaced")
		}
		if pkts, _ := packets(t, target); len(pkts) != frames {
			t.Fatalf("the target holds %d frames", len(pkts))
		}
		if st, _ := os.Stat(target); st.Mode().Perm() != 0o640 {
			t.Fatalf("target mode %v", st.Mode().Perm())
		}
	})
	t.Run("symlink to /proc/self/fd/1", func(t *testing.T) {
		link := filepath.Join(dir, "stdout")
		os.Symlink("/proc/self/fd/1", link)
		var out bytes.Buffer
		capture(t, link, &out, false)
		if n := countFrames(t, out.Bytes()); n != frames {
			t.Fatalf("standard output got %d frames", n)
		}
	})
	t.Run("private file rewritten", func(t *testing.T) {
		priv := filepath.Join(dir, "private.pcap")
		os.WriteFile(priv, []byte("previous"), 0o600)
		os.Chmod(priv, 0o600)
		capture(t, priv, nil, false)
		if st, _ := os.Stat(priv); st.Mode().Perm() != 0o600 {
			t.Fatalf("mode %v after rewriting a 0600 file", st.Mode().Perm())
		}
		if pkts, _ := packets(t, priv); len(pkts) != frames {
			t.Fatalf("%d frames", len(pkts))
		}
	})
	t.Run("new file under umask 077", func(t *testing.T) {
		name := filepath.Join(dir, "new.pcap")
		capture(t, name, nil, true)
		if st, err := os.Stat(name); err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("mode %v (%v), want 0600", st.Mode().Perm(), err)
		}
	})
}
