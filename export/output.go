package export

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/compress/snappy"
	"github.com/parquet-go/parquet-go/compress/uncompressed"
	"github.com/parquet-go/parquet-go/compress/zstd"

	"github.com/pcaptool/pcaptool/outfile"
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

// files holds the outputs of a run, each written through package outfile
// (a temporary file beside a regular destination): finished parts give up
// their descriptors but are committed, renamed onto their names, only when
// the whole export succeeded; abort discards them all. It is safe for
// concurrent use, so that a signal handler can abort while rows are being
// written.
type files struct {
	group   *outfile.Group // the caller's, for its signal handler; may be nil
	mu      sync.Mutex
	pending []*outfile.File
	aborted bool
}

// create starts the output dest, creating its directory.
func (s *files) create(dest string) (*outfile.File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.aborted {
		return nil, ErrAborted
	}
	if dir := filepath.Dir(dest); dest != "-" {
		if err := os.MkdirAll(dir, 0o777); err != nil {
			return nil, fmt.Errorf("export: %w", err)
		}
	}
	f, err := outfile.Create(dest, outfile.Options{Group: s.group})
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	s.pending = append(s.pending, f)
	return f, nil
}

// release closes a finished output's descriptor; it stays uncommitted.
func (s *files) release(f *outfile.File) error { return f.Release() }

// commit moves every output onto its name and returns the names.
func (s *files) commit() ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var done []string
	for i, f := range s.pending {
		if err := f.Close(); err != nil {
			for _, rest := range s.pending[i+1:] {
				rest.Abort()
			}
			s.pending = nil
			return done, fmt.Errorf("export: %w", err)
		}
		done = append(done, f.Name())
	}
	s.pending = nil
	return done, nil
}

// abort discards every output not yet committed; later creates fail.
func (s *files) abort() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.aborted = true
	for _, f := range s.pending {
		f.Abort()
	}
	s.pending = nil
}

// target is one output file being written.
type target[T any] struct {
	f    *outfile.File // nil for a stream
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
		err = errors.Join(err, o.files.release(t.f))
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
