package outfile

import (
	"errors"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/pcaptool/pcaptool/internal/pipeio"
)

// ErrNotSeekable is returned by WriteAt on a destination written as a
// stream (standard output, a device, a FIFO).
var ErrNotSeekable = errors.New("outfile: destination is not a seekable file")

// Kind says how a destination is written.
type Kind int

const (
	// Stdout is "-": the process's standard output.
	Stdout Kind = iota
	// Regular is a new file or an existing regular file (also when
	// reached through symbolic links).
	Regular
	// Special is an existing destination that is not a regular file: a
	// device, a FIFO, a socket, or a /proc or /dev/fd descriptor link.
	Special
)

func (k Kind) String() string {
	switch k {
	case Stdout:
		return "standard output"
	case Regular:
		return "regular file"
	case Special:
		return "special file"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// Options tune Create.
type Options struct {
	// InPlace truncates and writes a regular destination directly instead
	// of through a temporary file, so that the file can be read while it
	// grows. Abort then leaves what was written.
	InPlace bool
	// Perm is the mode a new file is created with, before the umask; 0
	// means 0666.
	Perm fs.FileMode
	// Group, when set, holds the File until it is closed or aborted, so
	// that Group.AbortAll can discard it.
	Group *Group
}

// File is an output being written. It is an io.Writer; WriteAt works on
// regular destinations. Close commits it.
type File struct {
	name    string // as given to Create
	target  string // the regular file the output becomes; "" for Stdout and Special
	temp    string // temporary file renamed onto target by Close; "" when written directly
	kind    Kind
	file    *os.File
	keep    *os.FileInfo // mode and owner to give the temporary file; nil for a new file
	group   *Group
	vectors vectorScratch // for WriteVectors

	mu       sync.Mutex
	finished bool
}

// Inspect tells what kind of destination name is without opening it.
func Inspect(name string) (Kind, error) {
	kind, _, err := classify(name)
	return kind, err
}

// classify tells how name is written, with its FileInfo when it exists.
func classify(name string) (Kind, fs.FileInfo, error) {
	if name == "-" {
		return Stdout, nil, nil
	}
	st, err := os.Stat(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return Regular, nil, nil
	case err != nil:
		return 0, nil, err
	case !st.Mode().IsRegular():
		return Special, st, nil
	}
	// A regular file behind a descriptor link (stdout redirected to a
	// file): the link names no path to rename onto, so it is written
	// through the descriptor, as tcpdump -w /dev/stdout writes it.
	direct, err := throughDescriptorLink(name)
	if err != nil {
		return 0, nil, err
	}
	if direct {
		return Special, st, nil
	}
	return Regular, st, nil
}

// Create opens the destination name for writing, as the package comment
// describes.
func Create(name string, opts Options) (*File, error) {
	kind, st, err := classify(name)
	f := &File{name: name, group: opts.Group}
	switch {
	case err != nil:
		return nil, err
	case kind == Stdout:
		pipeio.GrowPipe(os.Stdout)
		return &File{name: name, kind: Stdout, file: os.Stdout}, nil
	case kind == Special && st.IsDir():
		return nil, &fs.PathError{Op: "create", Path: name, Err: errors.New("is a directory")}
	case kind == Special && st.Mode().IsRegular():
		return f.openDirect(os.O_WRONLY | os.O_TRUNC)
	case kind == Special:
		return f.openDirect(os.O_WRONLY)
	}
	if opts.Perm == 0 {
		opts.Perm = 0o666
	}
	if f.target, err = resolveLinks(name); err != nil {
		return nil, err
	}
	f.kind = Regular
	if opts.InPlace {
		if f.file, err = os.OpenFile(f.target, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, opts.Perm); err != nil {
			return nil, err
		}
		return f.track(), nil
	}
	perm := opts.Perm
	if st != nil {
		f.keep = &st
		perm = 0o600 // private until Close gives it the destination's mode
	}
	if f.file, f.temp, err = createTemp(f.target, perm); err != nil {
		return nil, err
	}
	return f.track(), nil
}

func (f *File) openDirect(flag int) (*File, error) {
	file, err := os.OpenFile(f.name, flag, 0)
	if err != nil {
		return nil, err
	}
	f.kind, f.file = Special, file
	pipeio.GrowPipe(file)
	return f.track(), nil
}

func (f *File) track() *File {
	if f.group != nil {
		f.group.add(f)
	}
	return f
}

// createTemp creates a new file beside target with the given permission
// (the umask applies, as it would to target itself).
func createTemp(target string, perm fs.FileMode) (*os.File, string, error) {
	dir, base := filepath.Split(target)
	for range 10000 {
		name := dir + "." + base + "." + strconv.FormatUint(rand.Uint64()%1e10, 10) + ".tmp"
		file, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return file, name, err
	}
	return nil, "", &fs.PathError{Op: "create temporary file for", Path: target, Err: fs.ErrExist}
}

// resolveLinks follows symbolic links from name to the path of the file
// they lead to, which need not exist yet.
func resolveLinks(name string) (string, error) {
	for range maxLinks {
		next, isLink, err := followLink(name)
		if err != nil || !isLink {
			return name, err
		}
		name = next
	}
	return "", errLinkLoop(name)
}

// throughDescriptorLink reports whether name is, or leads through, one of
// the kernel's per-descriptor links (/proc/PID/fd/N, /dev/fd/N,
// /dev/stdout), whose text is not a path one can create files beside.
func throughDescriptorLink(name string) (bool, error) {
	for range maxLinks {
		next, isLink, err := followLink(name)
		if err != nil || !isLink {
			return false, err
		}
		if dir, err := filepath.EvalSymlinks(filepath.Dir(name)); err == nil &&
			strings.HasPrefix(dir, "/proc/") && filepath.Base(dir) == "fd" {
			return true, nil
		}
		name = next
	}
	return false, errLinkLoop(name)
}

// maxLinks is how many symbolic links a path may lead through, as Linux's
// limit of 40 nested links.
const maxLinks = 40

func errLinkLoop(name string) error {
	return &fs.PathError{Op: "resolve", Path: name, Err: errors.New("too many levels of symbolic links")}
}

// followLink returns the path a symbolic link name points to, or isLink
// false when name is not a link (or does not exist).
func followLink(name string) (next string, isLink bool, err error) {
	st, err := os.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return name, false, nil
	}
	if err != nil || st.Mode()&fs.ModeSymlink == 0 {
		return name, false, err
	}
	link, err := os.Readlink(name)
	if err != nil {
		return name, false, err
	}
	if !filepath.IsAbs(link) {
		// Not filepath.Join: cleaning "dir/.." lexically is wrong when
		// dir is itself a link.
		link = filepath.Dir(name) + string(filepath.Separator) + link
	}
	return link, true, nil
}

// Name returns the name the File was created with.
func (f *File) Name() string { return f.name }

// Kind returns how the destination is written.
func (f *File) Kind() Kind { return f.kind }

// Seekable reports whether WriteAt works: the output is a regular file,
// temporary or written in place.
func (f *File) Seekable() bool { return f.kind == Regular }

// Write writes to the destination (or its temporary file).
func (f *File) Write(b []byte) (int, error) {
	if f.file == nil {
		if err := f.reopen(); err != nil {
			return 0, err
		}
	}
	n, err := f.file.Write(b)
	return n, f.pathError("write", err)
}

// Release closes the descriptor of an output written through a temporary
// file without committing it, for a program that writes more files at once
// than it may keep open; the next Write reopens it to append. It does
// nothing to other outputs.
func (f *File) Release() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.temp == "" || f.file == nil || f.finished {
		return nil
	}
	err := f.file.Close()
	f.file = nil
	return f.pathError("close", err)
}

func (f *File) reopen() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.finished {
		return f.pathError("write", fs.ErrClosed)
	}
	file, err := os.OpenFile(f.temp, os.O_WRONLY, 0)
	if err == nil {
		_, err = file.Seek(0, io.SeekEnd)
	}
	if err != nil {
		return f.pathError("write", err)
	}
	f.file = file
	return nil
}

// WriteAt writes at an offset of a regular destination (to patch a header
// once the whole file is known).
func (f *File) WriteAt(b []byte, off int64) (int, error) {
	if f.file == nil {
		if err := f.reopen(); err != nil {
			return 0, err
		}
	}
	if !f.Seekable() {
		return 0, &fs.PathError{Op: "write", Path: f.name, Err: ErrNotSeekable}
	}
	n, err := f.file.WriteAt(b, off)
	return n, f.pathError("write", err)
}

// pathError names the destination in err instead of the temporary file,
// whose name would only confuse a user.
func (f *File) pathError(op string, err error) error {
	if err == nil {
		return nil
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return &fs.PathError{Op: op, Path: f.name, Err: err}
}

// Close finishes the output. A temporary file gets the destination's mode
// (and owner and group, where permitted) and is renamed onto it; when that
// fails the temporary file is removed and the destination left as it was.
// Standard output is not closed. Close after Close or Abort does nothing.
func (f *File) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.finished {
		return nil
	}
	f.finished = true
	f.untrack()
	if f.kind == Stdout {
		return nil
	}
	if f.file == nil {
		var err error
		if f.file, err = os.OpenFile(f.temp, os.O_WRONLY, 0); err != nil {
			os.Remove(f.temp)
			return f.pathError("close", err)
		}
	}
	err := f.keepAttributes()
	if cerr := f.file.Close(); err == nil && cerr != nil {
		err = f.pathError("close", cerr)
	}
	if f.temp == "" {
		return err
	}
	if err == nil {
		if err = os.Rename(f.temp, f.target); err == nil {
			return nil
		}
		err = f.pathError("rename", err)
	}
	os.Remove(f.temp)
	return err
}

// keepAttributes gives the temporary file the replaced file's owner, group
// and mode. Owner and group are kept only where the process may set them,
// as cp -p does; the mode always.
func (f *File) keepAttributes() error {
	if f.keep == nil || f.temp == "" {
		return nil
	}
	st := *f.keep
	if uid, gid, ok := owner(st); ok {
		// Before Chmod: chown clears set-user-ID bits.
		_ = f.file.Chown(uid, gid)
	}
	mode := st.Mode() & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)
	if err := f.file.Chmod(mode); err != nil {
		return f.pathError("chmod", err)
	}
	return nil
}

// Abort discards the output: a temporary file is removed and the
// destination left as it was; a destination written directly is closed
// with what it received. Abort after Close or Abort does nothing; it may be
// called from another goroutine while a Write is under way.
func (f *File) Abort() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.finished {
		return
	}
	f.finished = true
	f.untrack()
	if f.kind == Stdout {
		return
	}
	if f.file != nil {
		f.file.Close()
	}
	if f.temp != "" {
		os.Remove(f.temp)
	}
}

func (f *File) untrack() {
	if f.group != nil {
		f.group.remove(f)
	}
}

// Group collects the Files created with it that are not yet closed or
// aborted, so that a signal handler can discard them all. The zero Group is
// ready to use.
type Group struct {
	mu    sync.Mutex
	files map[*File]struct{}
}

func (g *Group) add(f *File) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.files == nil {
		g.files = map[*File]struct{}{}
	}
	g.files[f] = struct{}{}
}

func (g *Group) remove(f *File) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.files, f)
}

// AbortAll aborts every File of the group still open.
func (g *Group) AbortAll() {
	g.mu.Lock()
	files := make([]*File, 0, len(g.files))
	for f := range g.files {
		files = append(files, f)
	}
	g.mu.Unlock()
	for _, f := range files {
		f.Abort()
	}
}
