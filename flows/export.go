package flows

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// Exporter is a StreamHandler that writes each direction of every TCP
// conversation to its own file in a directory, as gopacket's reassemblydump
// example does. File names are
//
//	<id>-<sender>-<receiver>.bin
//
// with endpoints written address.port (IPv6 colons replaced by '-'). At most
// MaxOpen files are open at once; others are reopened for appending.
type Exporter struct {
	dir     string
	MaxOpen int
	open    map[fileKey]*exportFile
	clock   uint64
	err     error
	written map[fileKey]bool
}

type fileKey struct {
	id uint64
	d  Dir
}

type exportFile struct {
	f    *os.File
	used uint64
}

// NewExporter writes streams into dir, creating it when needed.
func NewExporter(dir string) (*Exporter, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &Exporter{dir: dir, MaxOpen: 256, open: make(map[fileKey]*exportFile), written: make(map[fileKey]bool)}, nil
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
	ef := e.open[k]
	if ef == nil {
		if len(e.open) >= e.MaxOpen {
			e.closeLeastRecent()
		}
		flags := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
		if e.written[k] {
			flags = os.O_WRONLY | os.O_APPEND
		}
		f, err := os.OpenFile(filepath.Join(e.dir, FileName(c, d)), flags, 0o644)
		if err != nil {
			e.err = fmt.Errorf("flows: export: %w", err)
			return
		}
		e.written[k] = true
		ef = &exportFile{f: f}
		e.open[k] = ef
	}
	e.clock++
	ef.used = e.clock
	if _, err := ef.f.Write(data); err != nil {
		e.err = fmt.Errorf("flows: export: %w", err)
	}
}

// StreamEnd closes the conversation's files.
func (e *Exporter) StreamEnd(c *Conversation) {
	for _, d := range []Dir{AtoB, BtoA} {
		k := fileKey{c.ID, d}
		if ef := e.open[k]; ef != nil {
			e.closeFile(k, ef)
		}
		delete(e.written, k)
	}
}

func (e *Exporter) closeLeastRecent() {
	var oldest fileKey
	var of *exportFile
	for k, ef := range e.open {
		if of == nil || ef.used < of.used {
			oldest, of = k, ef
		}
	}
	if of != nil {
		e.closeFile(oldest, of)
	}
}

func (e *Exporter) closeFile(k fileKey, ef *exportFile) {
	if err := ef.f.Close(); err != nil && e.err == nil {
		e.err = fmt.Errorf("flows: export: %w", err)
	}
	delete(e.open, k)
}

// Close closes every open file and returns the first error met.
func (e *Exporter) Close() error {
	var errs []error
	for k, ef := range e.open {
		if err := ef.f.Close(); err != nil {
			errs = append(errs, err)
		}
		delete(e.open, k)
	}
	if e.err != nil {
		return e.err
	}
	return errors.Join(errs...)
}
