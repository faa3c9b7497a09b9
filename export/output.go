package export

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/compress/snappy"
	"github.com/parquet-go/parquet-go/compress/uncompressed"
	"github.com/parquet-go/parquet-go/compress/zstd"
)

// record is what every row type offers the writers.
type record interface {
	appendText(*rowText)
	timestamp() int64
}

// rowPtr constrains a row type's pointer.
type rowPtr[T any] interface {
	*T
	record
}

// encoder writes rows of one file in one format.
type encoder[T any] interface {
	write(rows []T) error
	close() error // finishes the file (Parquet footer) and flushes
}

const fileBufferSize = 1 << 20

func newEncoder[T any, P rowPtr[T]](w io.Writer, o *Options) encoder[T] {
	bw := bufio.NewWriterSize(w, fileBufferSize)
	if o.Format == Parquet {
		var codec compress.Codec = &zstd.Codec{Level: zstd.SpeedDefault}
		switch o.Compression {
		case Snappy:
			codec = &snappy.Codec{}
		case Uncompressed:
			codec = &uncompressed.Codec{}
		}
		pw := parquet.NewGenericWriter[T](bw,
			parquet.Compression(codec),
			parquet.MaxRowsPerRowGroup(int64(o.RowGroupRows)),
			parquet.DataPageVersion(1), // the most widely read page format
			parquet.DataPageStatistics(true),
			parquet.CreatedBy("pcaptool", "", ""),
		)
		return &parquetEncoder[T]{w: pw, bw: bw}
	}
	enc := &textEncoder[T, P]{bw: bw, t: rowText{json: o.Format == JSONLines}}
	if o.Format == CSV {
		enc.t.header = true
		var zero T
		enc.t.begin()
		P(&zero).appendText(&enc.t)
		enc.t.end()
		enc.t.header = false
	}
	return enc
}

type parquetEncoder[T any] struct {
	w  *parquet.GenericWriter[T]
	bw *bufio.Writer
}

func (e *parquetEncoder[T]) write(rows []T) error {
	_, err := e.w.Write(rows)
	return err
}

func (e *parquetEncoder[T]) close() error {
	if err := e.w.Close(); err != nil {
		return err
	}
	return e.bw.Flush()
}

type textEncoder[T any, P rowPtr[T]] struct {
	bw *bufio.Writer
	t  rowText
}

func (e *textEncoder[T, P]) write(rows []T) error {
	for i := range rows {
		e.t.begin()
		P(&rows[i]).appendText(&e.t)
		e.t.end()
		if len(e.t.b) >= 64<<10 {
			if _, err := e.bw.Write(e.t.b); err != nil {
				return err
			}
			e.t.b = e.t.b[:0]
		}
	}
	return nil
}

func (e *textEncoder[T, P]) close() error {
	if _, err := e.bw.Write(e.t.b); err != nil {
		return err
	}
	e.t.b = e.t.b[:0]
	return e.bw.Flush()
}

// files tracks the temporary files of a run: each is renamed to its
// destination at commit, or removed at abort. It is safe for concurrent
// use, so that a signal handler can abort while rows are being written.
type files struct {
	mu      sync.Mutex
	temps   map[string]*os.File // temp name -> open file (nil once closed)
	final   map[string]string   // temp name -> destination
	order   []string            // temp names in creation order
	aborted bool
}

// create opens a temporary file beside dest.
func (s *files) create(dest string) (*os.File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.aborted {
		return nil, ErrAborted
	}
	dir, base := filepath.Split(dest)
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	if st, err := os.Lstat(dest); err == nil && !st.Mode().IsRegular() && st.Mode()&os.ModeSymlink == 0 {
		return nil, fmt.Errorf("export: %s: not a regular file", dest)
	}
	f, err := createTemp(dir, base)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	if s.temps == nil {
		s.temps, s.final = make(map[string]*os.File), make(map[string]string)
	}
	s.temps[f.Name()], s.final[f.Name()] = f, dest
	s.order = append(s.order, f.Name())
	return f, nil
}

// closeFile closes f, which stays pending until commit.
func (s *files) closeFile(f *os.File) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.temps[f.Name()] = nil
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("export: %w", err)
	}
	return f.Close()
}

// commit renames every temporary file to its destination (following a
// symlink there, and keeping the mode of a file it replaces) and returns
// the destinations.
func (s *files) commit() ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var done []string
	for _, tmp := range s.order {
		dest := s.final[tmp]
		if real, err := filepath.EvalSymlinks(dest); err == nil {
			dest = real
		}
		if st, err := os.Stat(dest); err == nil {
			if err := os.Chmod(tmp, st.Mode().Perm()); err != nil {
				return done, fmt.Errorf("export: %w", err)
			}
		}
		if err := os.Rename(tmp, dest); err != nil {
			return done, fmt.Errorf("export: %w", err)
		}
		delete(s.final, tmp)
		done = append(done, dest)
	}
	s.order = nil
	return done, nil
}

// createTemp creates a new hidden file in dir for base with mode 0666
// less the umask, as the destination would get.
func createTemp(dir, base string) (*os.File, error) {
	for {
		name := filepath.Join(dir, "."+base+"."+strconv.FormatUint(rand.Uint64(), 36)+".tmp")
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
}

// abort removes every temporary file; later creates fail.
func (s *files) abort() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.aborted = true
	for _, tmp := range s.order {
		if f := s.temps[tmp]; f != nil {
			f.Close()
		}
		os.Remove(tmp)
	}
	s.order = nil
}

// target is one output file being written.
type target[T any] struct {
	f    *os.File // nil for a stream
	enc  encoder[T]
	rows int64
	used uint64 // for closing the least recently used
}

// outputs routes rows to their files: one, or one per partition, starting
// a new part when one reaches MaxRowsPerFile. It runs on the writer
// goroutine only.
type outputs[T any, P rowPtr[T]] struct {
	opts   *Options
	dir    string // output directory; "" writes one file or stream
	stream io.Writer
	single string
	files  *files
	open   map[int64]*target[T] // by partition key
	parts  map[int64]int        // next part number per partition
	clock  uint64
	rows   int64
}

// maxOpenPartitions bounds the files open at once when rows arrive out of
// time order; each holds up to one Parquet row group in memory.
const maxOpenPartitions = 8

func (o *outputs[T, P]) partitionKey(ts int64) int64 {
	switch o.opts.Partition {
	case ByHour:
		return floorDiv(ts, int64(time.Hour))
	case ByDay:
		return floorDiv(ts, 24*int64(time.Hour))
	}
	return 0
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

// path names part n of partition key.
func (o *outputs[T, P]) path(key int64, n int) string {
	name := fmt.Sprintf("%s-%05d%s", o.opts.PartPrefix, n, o.opts.Format.Extension())
	switch o.opts.Partition {
	case ByHour:
		t := time.Unix(0, key*int64(time.Hour)).UTC()
		return filepath.Join(o.dir, "date="+t.Format("2006-01-02"), fmt.Sprintf("hour=%02d", t.Hour()), name)
	case ByDay:
		t := time.Unix(0, key*24*int64(time.Hour)).UTC()
		return filepath.Join(o.dir, "date="+t.Format("2006-01-02"), name)
	}
	return filepath.Join(o.dir, name)
}

func (o *outputs[T, P]) target(key int64) (*target[T], error) {
	if t := o.open[key]; t != nil {
		return t, nil
	}
	if o.stream != nil {
		t := &target[T]{enc: newEncoder[T, P](o.stream, o.opts)}
		o.open[key] = t
		return t, nil
	}
	if len(o.open) >= maxOpenPartitions {
		if err := o.closeLeastRecent(); err != nil {
			return nil, err
		}
	}
	dest := o.single
	if o.dir != "" {
		dest = o.path(key, o.parts[key])
		o.parts[key]++
	}
	f, err := o.files.create(dest)
	if err != nil {
		return nil, err
	}
	t := &target[T]{f: f, enc: newEncoder[T, P](f, o.opts)}
	o.open[key] = t
	return t, nil
}

func (o *outputs[T, P]) closeLeastRecent() error {
	var oldest int64
	var ot *target[T]
	for k, t := range o.open {
		if ot == nil || t.used < ot.used {
			oldest, ot = k, t
		}
	}
	return o.closeTarget(oldest, ot)
}

func (o *outputs[T, P]) closeTarget(key int64, t *target[T]) error {
	delete(o.open, key)
	err := t.enc.close()
	if t.f != nil {
		err = errors.Join(err, o.files.closeFile(t.f))
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return nil
}

// write sends rows, in order, to their files.
func (o *outputs[T, P]) write(rows []T) error {
	for len(rows) > 0 {
		key := o.partitionKey(P(&rows[0]).timestamp())
		n := 1
		for n < len(rows) && o.partitionKey(P(&rows[n]).timestamp()) == key {
			n++
		}
		t, err := o.target(key)
		if err != nil {
			return err
		}
		if max := o.opts.MaxRowsPerFile; max > 0 && o.dir != "" && int64(n) > max-t.rows {
			n = int(max - t.rows)
		}
		if err := t.enc.write(rows[:n]); err != nil {
			return fmt.Errorf("export: %w", err)
		}
		o.clock++
		t.used = o.clock
		t.rows += int64(n)
		o.rows += int64(n)
		if max := o.opts.MaxRowsPerFile; max > 0 && o.dir != "" && t.rows >= max {
			if err := o.closeTarget(key, t); err != nil {
				return err
			}
		}
		rows = rows[n:]
	}
	return nil
}

// finish closes every open file; an empty single-file export still gets
// a file with the schema and no rows.
func (o *outputs[T, P]) finish() error {
	if len(o.open) == 0 && o.dir == "" {
		if _, err := o.target(0); err != nil {
			return err
		}
	}
	var errs []error
	for k, t := range o.open {
		errs = append(errs, o.closeTarget(k, t))
	}
	return errors.Join(errs...)
}
