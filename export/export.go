package export

import (
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/pcaptool/pcaptool/flows"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/outfile"
	"github.com/pcaptool/pcaptool/pkt"
)

// Errors.
var (
	// ErrAborted: the export was aborted (Exporter.Abort).
	ErrAborted = errors.New("export: aborted")
	// ErrOptions: the options do not make sense together.
	ErrOptions = errors.New("export: bad options")
)

// Table is what a row stands for.
type Table uint8

// Tables.
const (
	Packets Table = iota // one row per packet (PacketRow)
	Flows                // one row per TCP or UDP conversation (FlowRow)
)

// Format is the file format written.
type Format uint8

// Formats.
const (
	Parquet   Format = iota
	CSV              // RFC 4180, header line, empty for NULL
	JSONLines        // one JSON object per line, null for NULL
)

// Extension returns the usual file name extension of f.
func (f Format) Extension() string {
	return [...]string{".parquet", ".csv", ".jsonl"}[f]
}

// Partition chooses the directory tree rows are written into.
type Partition uint8

// Partitionings, by the row's time (packets: ts; flows: start), UTC.
const (
	NoPartition Partition = iota
	ByHour                // date=YYYY-MM-DD/hour=HH/
	ByDay                 // date=YYYY-MM-DD/
)

// Compression is the Parquet compression codec.
type Compression uint8

// Codecs.
const (
	Zstd Compression = iota
	Snappy
	Uncompressed
)

// Parse functions for the names the command line uses.
var (
	tableNames       = map[string]Table{"packets": Packets, "flows": Flows}
	formatNames      = map[string]Format{"parquet": Parquet, "csv": CSV, "jsonl": JSONLines, "json": JSONLines, "ndjson": JSONLines}
	partitionNames   = map[string]Partition{"": NoPartition, "none": NoPartition, "hour": ByHour, "day": ByDay}
	compressionNames = map[string]Compression{"zstd": Zstd, "snappy": Snappy, "none": Uncompressed}
)

func parseName[T any](what, s string, names map[string]T) (T, error) {
	v, ok := names[strings.ToLower(s)]
	if !ok {
		var keys []string
		for k := range names {
			if k != "" {
				keys = append(keys, k)
			}
		}
		return v, fmt.Errorf("%w: unknown %s %q (want one of %s)", ErrOptions, what, s, strings.Join(slices.Sorted(slices.Values(keys)), ", "))
	}
	return v, nil
}

// ParseTable parses "packets" or "flows".
func ParseTable(s string) (Table, error) { return parseName("table", s, tableNames) }

// ParseFormat parses "parquet", "csv" or "jsonl".
func ParseFormat(s string) (Format, error) { return parseName("format", s, formatNames) }

// ParsePartition parses "hour", "day" or "none".
func ParsePartition(s string) (Partition, error) { return parseName("partitioning", s, partitionNames) }

// ParseCompression parses "zstd", "snappy" or "none".
func ParseCompression(s string) (Compression, error) {
	return parseName("compression", s, compressionNames)
}

// Options tune an export. The zero value writes the packets table to one
// zstd-compressed Parquet file.
type Options struct {
	Table       Table
	Format      Format
	Compression Compression // Parquet only
	// WithData adds the captured bytes as column "data" (packets table).
	WithData bool
	// Partition writes a Hive-style directory tree; the output is then a
	// directory.
	Partition Partition
	// MaxRowsPerFile starts a new part file after this many rows; the
	// output is then a directory. 0 means no limit.
	MaxRowsPerFile int64
	// RowGroupRows is the most rows a Parquet row group holds, and
	// bounds the memory of each open file; 0 means 131072.
	RowGroupRows int
	// PartPrefix begins part file names ("part" when empty): exports of
	// different shards into one directory tree need different prefixes.
	PartPrefix string
	// Flows tunes the conversation tracker (timeouts); its OnEnd and
	// Streams are the exporter's.
	Flows flows.Config
	// Group, when set, holds the files being written until they are
	// committed, so that the caller's signal handler can discard them
	// (outfile.Group.AbortAll).
	Group *outfile.Group
}

func (o *Options) check() error {
	if o.RowGroupRows <= 0 {
		o.RowGroupRows = 128 << 10
	}
	if o.PartPrefix == "" {
		o.PartPrefix = "part"
	}
	if strings.ContainsAny(o.PartPrefix, `/\`) {
		return fmt.Errorf("%w: part prefix %q contains a path separator", ErrOptions, o.PartPrefix)
	}
	if o.WithData && o.Table != Packets {
		return fmt.Errorf("%w: data is a column of the packets table only", ErrOptions)
	}
	if o.MaxRowsPerFile < 0 {
		return fmt.Errorf("%w: negative rows per file", ErrOptions)
	}
	return nil
}

// Directory reports whether the options write a directory tree rather
// than one file.
func (o Options) Directory() bool { return o.Partition != NoPartition || o.MaxRowsPerFile > 0 }

// Source is a stream of packets: capfile.Reader, live captures and the
// stages of package convert are sources.
type Source = pkt.Reader

// Exporter writes the rows of the captures added to it. Use Create for
// files or New for a stream, AddCapture for each input, then Close (or
// Abort). It is not safe for concurrent use, except Abort.
type Exporter struct {
	opts  Options
	table table
	files *files
	names []string // files written, after Close
	err   error    // the first AddCapture error: Close then aborts
}

// table is a pipeline of one row type.
type table interface {
	addCapture(name string, src Source) error
	close() error // flushes the rows and closes every file
	rows() int64
}

// Create exports into out: a file, or with Options.Directory a directory
// (created when needed) holding the part files. Files go through package
// outfile: "-" is standard output, devices and FIFOs are written directly,
// and regular files appear under their names only when Close succeeds.
func Create(out string, opts Options) (*Exporter, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	if out == "-" && opts.Directory() {
		return nil, fmt.Errorf("%w: partitioned or split output needs a directory, not -", ErrOptions)
	}
	e := &Exporter{opts: opts, files: &files{group: opts.Group}}
	if opts.Directory() {
		if st, err := os.Stat(out); err == nil && !st.IsDir() {
			return nil, fmt.Errorf("export: %s: not a directory (partitioned or split output is a directory tree)", out)
		}
		e.table = newTable(&e.opts, func(o *outputDest) { o.dir, o.files = out, e.files })
	} else {
		e.table = newTable(&e.opts, func(o *outputDest) { o.single, o.files = out, e.files })
	}
	return e, nil
}

// New exports into the stream w as one file.
func New(w io.Writer, opts Options) (*Exporter, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	if opts.Directory() {
		return nil, fmt.Errorf("%w: a stream cannot be partitioned or split", ErrOptions)
	}
	e := &Exporter{opts: opts}
	e.table = newTable(&e.opts, func(o *outputDest) { o.stream = w })
	return e, nil
}

// outputDest says where a table's rows go.
type outputDest struct {
	dir, single string
	stream      io.Writer
	files       *files
}

func newTable(o *Options, dest func(*outputDest)) table {
	var d outputDest
	dest(&d)
	switch {
	case o.Table == Flows:
		return newFlowTable(o, d)
	case o.WithData:
		return newPacketTable[PacketDataRow](o, d)
	}
	return newPacketTable[PacketRow](o, d)
}

// AddCapture reads src to its end and exports its rows; name fills the
// file column.
// After an error the export can only be closed, which aborts it.
func (e *Exporter) AddCapture(name string, src Source) error {
	if e.err != nil {
		return e.err
	}
	e.err = e.table.addCapture(name, src)
	return e.err
}

// Rows returns the rows written so far (all of them after Close).
func (e *Exporter) Rows() int64 { return e.table.rows() }

// Files returns the files Close wrote, in the order they were started.
func (e *Exporter) Files() []string { return e.names }

// Close writes the remaining rows, finishes every file and moves them to
// their names. On error nothing is left behind.
func (e *Exporter) Close() error {
	if err := errors.Join(e.err, e.table.close()); err != nil {
		e.Abort()
		return err
	}
	if e.files == nil {
		return nil
	}
	names, err := e.files.commit()
	e.names = names
	if err != nil {
		e.Abort()
	}
	return err
}

// Abort removes every file the export started. It may be called from
// another goroutine (a signal handler) while the export runs.
func (e *Exporter) Abort() {
	if e.files != nil {
		e.files.abort()
	}
}

// batchRows is how many rows travel together to the writer goroutine.
const batchRows = 4096

type batch[T any] struct {
	rows []T
	n    int
}

// pipeline fills rows on the caller's goroutine and encodes them on
// another, through three recycled batches: memory stays constant.
type pipeline[T any, P rowPtr[T]] struct {
	out        *outputs[T, P]
	cur        *batch[T]
	full, free chan *batch[T]
	done       chan struct{}
	mu         sync.Mutex
	err        error
	closed     bool
	filled     int64
}

func newPipeline[T any, P rowPtr[T]](o *Options, d outputDest) *pipeline[T, P] {
	pl := &pipeline[T, P]{
		out: &outputs[T, P]{opts: o, dir: d.dir, single: d.single, stream: d.stream, files: d.files,
			open: make(map[int64]*target[T]), parts: make(map[int64]int)},
		full: make(chan *batch[T], 2),
		free: make(chan *batch[T], 3), // room for every batch
		done: make(chan struct{}),
	}
	pl.cur = &batch[T]{rows: make([]T, batchRows)}
	for range 2 {
		pl.free <- &batch[T]{rows: make([]T, batchRows)}
	}
	go pl.run()
	return pl
}

func (pl *pipeline[T, P]) run() {
	defer close(pl.done)
	for b := range pl.full {
		if pl.failed() == nil {
			if err := pl.out.write(b.rows[:b.n]); err != nil {
				pl.fail(err)
			}
		}
		b.n = 0
		pl.free <- b
	}
	if pl.failed() == nil {
		if err := pl.out.finish(); err != nil {
			pl.fail(err)
		}
	}
}

func (pl *pipeline[T, P]) fail(err error) {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	if pl.err == nil {
		pl.err = err
	}
}

func (pl *pipeline[T, P]) failed() error {
	pl.mu.Lock()
	defer pl.mu.Unlock()
	return pl.err
}

// next returns the row to fill next.
func (pl *pipeline[T, P]) next() *T {
	if pl.cur.n == len(pl.cur.rows) {
		pl.full <- pl.cur
		pl.cur = <-pl.free
	}
	pl.cur.n++
	pl.filled++
	return &pl.cur.rows[pl.cur.n-1]
}

func (pl *pipeline[T, P]) close() error {
	if !pl.closed {
		pl.closed = true
		pl.full <- pl.cur
		close(pl.full)
		<-pl.done
	}
	return pl.failed()
}

func (pl *pipeline[T, P]) rows() int64 { return pl.filled }

// readPackets feeds every packet of src, with its link type, to add.
func readPackets(name string, src Source, check func() error, add func(p *pkt.Packet, lt linktype.LinkType)) error {
	for {
		p, err := src.ReadPacket()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("export: %s: %w", name, err)
		}
		ifaces := src.Interfaces()
		if p.Interface < 0 || p.Interface >= len(ifaces) {
			return fmt.Errorf("export: %s: packet refers to interface %d of %d", name, p.Interface, len(ifaces))
		}
		add(p, ifaces[p.Interface].LinkType)
		if err := check(); err != nil {
			return err
		}
	}
}

// packetRecord is a row of the packets table, with or without data.
type packetRecord interface {
	packet() *PacketRow
	setData([]byte)
}

func (r *PacketRow) packet() *PacketRow { return r }
func (r *PacketRow) setData([]byte)     {}
func (r *PacketDataRow) setData(b []byte) {
	r.store.data = append(r.store.data[:0], b...)
	r.Data = r.store.data
}

type packetTable[T any, P interface {
	rowPtr[T]
	packetRecord
}] struct {
	*pipeline[T, P]
	opts   *Options
	filler packetFiller
}

func newPacketTable[T any, P interface {
	rowPtr[T]
	packetRecord
}](o *Options, d outputDest) *packetTable[T, P] {
	return &packetTable[T, P]{pipeline: newPipeline[T, P](o, d), opts: o}
}

func (pt *packetTable[T, P]) addCapture(name string, src Source) error {
	cfg := pt.opts.Flows
	cfg.OnEnd, cfg.Streams = nil, nil
	tracker := flows.New(cfg)
	var number int64
	return readPackets(name, src, pt.failed, func(p *pkt.Packet, lt linktype.LinkType) {
		number++
		tracker.Add(p, lt)
		row := P(pt.next())
		pt.filler.fill(row.packet(), name, number, p, lt, tracker.Last())
		row.setData(p.Data)
	})
}

type flowTable struct {
	*pipeline[FlowRow, *FlowRow]
	opts  *Options
	addrs interner[netip.Addr]
}

func newFlowTable(o *Options, d outputDest) *flowTable {
	return &flowTable{pipeline: newPipeline[FlowRow, *FlowRow](o, d), opts: o}
}

func (ft *flowTable) addCapture(name string, src Source) error {
	cfg := ft.opts.Flows
	cfg.Streams = nil
	cfg.OnEnd = func(c *flows.Conversation) {
		fillFlow(ft.next(), name, c, &ft.addrs)
	}
	tracker := flows.New(cfg)
	err := readPackets(name, src, ft.failed, func(p *pkt.Packet, lt linktype.LinkType) { tracker.Add(p, lt) })
	tracker.Flush()
	return err
}
