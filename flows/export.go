package flows

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/pcaptool/pcaptool/outfile"
)

// Exporter is a StreamHandler that writes each direction of every TCP
// conversation to its own file in a directory, as gopacket's reassemblydump
// example does. File names are
//
//	<id>-<sender>-<receiver>.bin
//
// with endpoints written address.port (IPv6 colons replaced by '-'). Each
// file is written through package outfile: it appears, complete, when its
// conversation ends (or at Close), and an existing file of that name is
// replaced only then. At most MaxOpen descriptors are open at once; other
// files are reopened to append.
type Exporter struct {
	dir     string
	MaxOpen int
	// Group, when set, collects the files not yet committed so that a
	// signal handler can discard them.
	Group *outfile.Group
	files map[fileKey]*exportFile // every stream not yet ended
	open  int                     // how many of files hold a descriptor
	clock uint64
	err   error
}

type fileKey struct {
	id uint64
	d  Dir
}

type exportFile struct {
	f    *outfile.File
	used uint64 // clock of the last write; 0 once released
}

// NewExporter writes streams into dir, creating it when needed.
func NewExporter(dir string) (*Exporter, error) {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, err
	}
	return &Exporter{dir: dir, MaxOpen: 256, files: make(map[fileKey]*exportFile)}, nil
}

// FileName returns the name (within the export directory) of the file
// holding direction d of c.
func FileName(c *Conversation, d Dir) string {
	src, dst := c.A, c.B
	if d == BtoA {
		src, dst = dst, src
	}
	ep := func(s string) string { return strings.ReplaceAll(s, ":", "-") }
	return strconv.FormatUint(c.ID, 10) + "-" + ep(src.Addr().String()) + "." + strconv.Itoa(int(src.Port())) +
		"-" + ep(dst.Addr().String()) + "." + strconv.Itoa(int(dst.Port())) + ".bin"
}

// StreamData appends data to the direction's file.
func (e *Exporter) StreamData(c *Conversation, d Dir, data []byte, _ int) {
	if e.err != nil || len(data) == 0 {
		return
	}
	k := fileKey{c.ID, d}
	ef := e.files[k]
	if ef == nil {
		f, err := outfile.Create(filepath.Join(e.dir, FileName(c, d)), outfile.Options{Group: e.Group})
		if err != nil {
			e.err = fmt.Errorf("flows: export: %w", err)
			return
		}
		ef = &exportFile{f: f}
		e.files[k] = ef
		e.open++
	} else if ef.used == 0 {
		e.open++ // Write reopens it
	}
	if e.open > e.MaxOpen {
		e.releaseLeastRecent(ef)
	}
	e.clock++
	ef.used = e.clock
	if _, err := ef.f.Write(data); err != nil {
		e.err = fmt.Errorf("flows: export: %w", err)
	}
}

// StreamEnd commits the conversation's files.
func (e *Exporter) StreamEnd(c *Conversation) {
	for _, d := range []Dir{AtoB, BtoA} {
		k := fileKey{c.ID, d}
		if ef := e.files[k]; ef != nil {
			e.commit(k, ef)
		}
	}
}

// releaseLeastRecent closes the descriptor of the open file written least
// recently, other than keep.
func (e *Exporter) releaseLeastRecent(keep *exportFile) {
	var oldest *exportFile
	for _, ef := range e.files {
		if ef != keep && ef.used != 0 && (oldest == nil || ef.used < oldest.used) {
			oldest = ef
		}
	}
	if oldest == nil {
		return
	}
	if err := oldest.f.Release(); err != nil && e.err == nil {
		e.err = fmt.Errorf("flows: export: %w", err)
	}
	oldest.used = 0
	e.open--
}

func (e *Exporter) commit(k fileKey, ef *exportFile) {
	if err := ef.f.Close(); err != nil && e.err == nil {
		e.err = fmt.Errorf("flows: export: %w", err)
	}
	if ef.used != 0 {
		e.open--
	}
	delete(e.files, k)
}

// Close commits every file still being written and returns the first error
// met.
func (e *Exporter) Close() error {
	for k, ef := range e.files {
		e.commit(k, ef)
	}
	return e.err
}

// Abort discards every file not yet committed.
func (e *Exporter) Abort() {
	for k, ef := range e.files {
		ef.f.Abort()
		delete(e.files, k)
	}
	e.open = 0
}
