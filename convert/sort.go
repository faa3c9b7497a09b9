package convert

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"unsafe"

	"github.com/pcaptool/pcaptool/internal/hugepage"
	"github.com/pcaptool/pcaptool/pkt"
)

// DefaultSortMemory is the packet memory Sort uses when SortOptions leaves
// it zero: 40 MiB, so that pcaptool sort, whose binary, runtime and I/O
// buffers take about 30 MiB more, peaks well under 80 MiB at its default
// settings, external sort included.
const DefaultSortMemory = 40 << 20

// ErrSortWindow reports, in streaming mode, a packet earlier than one Sort
// has already returned (the input is more out of order than the memory
// window allows) or a packet larger than the whole window. Sort it again
// without Streaming: the external sort has neither limit.
var ErrSortWindow = errors.New("convert: input cannot be sorted in the streaming window")

// SortOptions tune Sort.
type SortOptions struct {
	// Memory bounds the bytes of packets held in memory, with their
	// index (which gets an eighth of it); 0 means DefaultSortMemory.
	Memory int64
	// TempDir holds the sorted runs spilled when the input does not fit
	// in Memory; "" means os.TempDir().
	TempDir string
	// Streaming sorts within a sliding window of Memory bytes and returns
	// packets as soon as no later input can precede them: no temporary
	// files, output starts at once, but a packet that arrives after a
	// later-stamped one has been returned fails with ErrSortWindow.
	Streaming bool
	// MaxRuns is the most runs merged at once (0 means 128); more runs
	// are merged in several passes.
	MaxRuns int
}

// memory returns Memory, or DefaultSortMemory when it is not set.
func (o SortOptions) memory() int64 {
	if o.Memory <= 0 {
		return DefaultSortMemory
	}
	return o.Memory
}

// Sort returns the packets of its source in timestamp order, keeping the
// input order of packets with equal timestamps (a stable sort, as
// reordercap's). Packets without a timestamp (Packet.NoTimestamp) come
// first, as reordercap puts them. Memory stays within SortOptions.Memory: an input that does
// not fit is cut into sorted runs spilled to temporary files, which are then
// merged. Close removes them.
type Sort struct {
	src   pkt.Reader
	opts  SortOptions
	err   error
	pkt   pkt.Packet
	opts2 []pkt.Option

	started bool
	next    func() (*pkt.Packet, error)

	// External mode.
	arena  sortArena
	index  []sortEntry
	seq    uint64
	runs   []*runFile
	spillW *bufio.Writer // reused by every run written
	merger *runMerger
	memPos int // next index entry when everything fit in memory

	// Streaming mode.
	win *sortWindow
}

type sortEntry struct {
	sec   int64
	nsec  uint32
	seq   uint64
	chunk int32
	off   int32
	size  int32
}

const sortEntrySize = int64(unsafe.Sizeof(sortEntry{})) // bytes an entry costs, counted against Memory

// NewSort returns a sorted view of src.
func NewSort(src pkt.Reader, opts SortOptions) *Sort {
	opts.Memory = opts.memory()
	if opts.MaxRuns <= 1 {
		opts.MaxRuns = 128
	}
	s := &Sort{src: src, opts: opts}
	s.arena.chunkSize = int(min(s.arenaMemory(), maxArenaChunk))
	return s
}

// Interfaces returns the source's interfaces.
func (s *Sort) Interfaces() []pkt.Interface { return s.src.Interfaces() }

// Runs returns how many sorted runs were spilled to temporary files (0 when
// the input fitted in memory or in streaming mode).
func (s *Sort) Runs() int { return len(s.runs) }

// ReadPacket returns the next packet in timestamp order.
func (s *Sort) ReadPacket() (*pkt.Packet, error) {
	if s.err != nil {
		return nil, s.err
	}
	if !s.started {
		s.started = true
		if s.opts.Streaming {
			s.win = newSortWindow(s.src, s.opts.Memory)
			s.next = s.win.next
		} else if err := s.fill(); err != nil {
			s.err = err
			return nil, err
		}
	}
	p, err := s.next()
	if err != nil {
		s.err = err
	}
	return p, err
}

// CheckSortWindow reads src through the window a streaming Sort with
// opts.Memory would use, placing and ordering every packet as it would
// but copying none, and returns nil when that Sort would succeed, an
// error wrapping ErrSortWindow when it would not, or the error reading
// src. An output that cannot be discarded after a failed streaming pass
// (a pipe, a device) can so be streamed only when it will succeed.
func CheckSortWindow(src pkt.Reader, opts SortOptions) error {
	w := newSortWindow(src, opts.memory())
	w.dry = true
	for {
		_, err := w.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// Close removes the temporary run files.
func (s *Sort) Close() error {
	var errs []error
	for _, r := range s.runs {
		errs = append(errs, r.close())
	}
	s.runs = nil
	return errors.Join(errs...)
}

// indexEntries is the capacity of the index: an eighth of Memory, as in the
// streaming window.
func (s *Sort) indexEntries() int {
	return int(max(s.opts.Memory/8/sortEntrySize, 64))
}

// arenaMemory is what Memory leaves to the packets once the index has its
// share.
func (s *Sort) arenaMemory() int64 {
	return max(s.opts.Memory-int64(s.indexEntries())*sortEntrySize, 1)
}

// fill reads the whole input, spilling sorted runs when memory is full, and
// prepares the final merge. The index is allocated once at its full
// capacity and the arena is reused, so that sorting makes no garbage
// whatever the input: memory stays at Memory plus the I/O buffers.
func (s *Sort) fill() error {
	used, budget := int64(0), s.arenaMemory()
	s.index = hugepage.Make[sortEntry](s.indexEntries())[:0]
	for {
		p, err := s.src.ReadPacket()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		size := recordSize(p)
		if used > 0 && (used+int64(size) > budget || len(s.index) == cap(s.index)) {
			if err := s.spill(); err != nil {
				return err
			}
			used = 0
		}
		chunk, off, b := s.arena.alloc(size)
		putRecord(b, p)
		sec, nsec := recordKey(b)
		s.index = append(s.index, sortEntry{sec: sec, nsec: nsec, seq: s.seq, chunk: int32(chunk), off: int32(off), size: int32(size)})
		s.seq++
		used += int64(size)
	}
	s.sortIndex()
	if len(s.runs) == 0 {
		s.next = s.nextInMemory
		return nil
	}
	// The last batch stays in memory as the final (and latest) run.
	for len(s.runs) > s.opts.MaxRuns-1 {
		if err := s.mergeSomeRuns(); err != nil {
			return err
		}
	}
	sources := make([]runSource, 0, len(s.runs)+1)
	for _, r := range s.runs {
		if err := r.rewind(s.runReadBuffer(len(s.runs))); err != nil {
			return err
		}
		sources = append(sources, r)
	}
	sources = append(sources, &memRun{s: s})
	m, err := newRunMerger(sources)
	if err != nil {
		return err
	}
	s.merger = m
	s.next = s.nextMerged
	return nil
}

func (s *Sort) sortIndex() {
	slices.SortFunc(s.index, func(a, b sortEntry) int {
		if keyLess(a.sec, a.nsec, a.seq, b.sec, b.nsec, b.seq) {
			return -1
		}
		return 1
	})
}

func (s *Sort) record(e *sortEntry) []byte {
	return s.arena.chunks[e.chunk][e.off : e.off+e.size]
}

// spill sorts what is in memory and writes it out as a run.
func (s *Sort) spill() error {
	s.sortIndex()
	r, err := s.newRunFile()
	if err != nil {
		return err
	}
	s.runs = append(s.runs, r)
	for i := range s.index {
		if err := r.write(s.record(&s.index[i])); err != nil {
			return err
		}
	}
	if err := r.finish(); err != nil {
		return err
	}
	s.index = s.index[:0]
	s.arena.reset()
	return nil
}

// mergeSomeRuns merges the first MaxRuns runs into one, so that the final
// merge reads from few enough files at once.
func (s *Sort) mergeSomeRuns() error {
	n := min(s.opts.MaxRuns, len(s.runs))
	group := s.runs[:n]
	sources := make([]runSource, n)
	for i, r := range group {
		if err := r.rewind(s.runReadBuffer(n)); err != nil {
			return err
		}
		sources[i] = r
	}
	out, err := s.newRunFile()
	if err != nil {
		return err
	}
	m, err := newRunMerger(sources)
	if err != nil {
		out.close()
		return err
	}
	for {
		b, err := m.nextRecord()
		if err == io.EOF {
			break
		}
		if err != nil {
			out.close()
			return err
		}
		if err := out.write(b); err != nil {
			out.close()
			return err
		}
	}
	if err := out.finish(); err != nil {
		out.close()
		return err
	}
	for _, r := range group {
		r.close()
	}
	// Earlier runs hold earlier input, so the merged run goes first to keep
	// the sort stable.
	s.runs = append([]*runFile{out}, s.runs[n:]...)
	return nil
}

func (s *Sort) nextInMemory() (*pkt.Packet, error) {
	if s.memPos >= len(s.index) {
		return nil, io.EOF
	}
	e := &s.index[s.memPos]
	s.memPos++
	return s.decode(s.record(e))
}

func (s *Sort) nextMerged() (*pkt.Packet, error) {
	b, err := s.merger.nextRecord()
	if err != nil {
		return nil, err
	}
	return s.decode(b)
}

func (s *Sort) decode(b []byte) (*pkt.Packet, error) {
	var err error
	s.opts2, err = decodeRecord(b, &s.pkt, s.opts2)
	if err != nil {
		return nil, err
	}
	return &s.pkt, nil
}

// sortArena hands out record space from large chunks, reused across runs,
// so that buffering packets allocates nothing per packet.
type sortArena struct {
	chunks    [][]byte
	cur       int // chunk being filled
	pos       int // fill position in it
	chunkSize int // 0 until the first alloc
}

// maxArenaChunk bounds one arena chunk. A chunk is allocated whole but
// only the part filled takes memory; it is advised for huge pages, so that
// filling it faults about once per 2 MiB (see internal/hugepage), and
// chunks this large leave few partial huge pages at their ends.
const maxArenaChunk = 64 << 20

func (a *sortArena) alloc(n int) (chunk, off int, b []byte) {
	if len(a.chunks) == 0 {
		a.chunks = append(a.chunks, hugepage.Make[byte](max(a.chunkSize, n)))
		a.cur, a.pos = 0, 0
	}
	for a.pos+n > len(a.chunks[a.cur]) {
		a.cur++
		a.pos = 0
		if a.cur == len(a.chunks) {
			a.chunks = append(a.chunks, hugepage.Make[byte](max(a.chunkSize, n)))
		} else if len(a.chunks[a.cur]) < n {
			a.chunks[a.cur] = hugepage.Make[byte](n)
		}
	}
	off = a.pos
	a.pos += n
	return a.cur, off, a.chunks[a.cur][off:a.pos]
}

func (a *sortArena) reset() { a.cur, a.pos = 0, 0 }

// runSource yields encoded records in sorted order.
type runSource interface {
	nextRecord() ([]byte, error)
}

// memRun yields the in-memory batch in index order.
type memRun struct {
	s   *Sort
	pos int
}

func (m *memRun) nextRecord() ([]byte, error) {
	if m.pos >= len(m.s.index) {
		return nil, io.EOF
	}
	e := &m.s.index[m.pos]
	m.pos++
	return m.s.record(e), nil
}

// runFile is a temporary file of length-prefixed records, unlinked as soon
// as it is created where the system allows it so that nothing is left
// behind even if the process dies.
type runFile struct {
	f       *os.File
	name    string
	removed bool
	w       *bufio.Writer
	r       *bufio.Reader
	buf     []byte
	lenBuf  [4]byte
}

// runBufferSize is the buffer of the run being written, and the most
// each run being read gets.
const runBufferSize = 256 << 10

// runReadBuffer sizes the read buffer of each of n runs merged at once:
// together they take at most a sixteenth of Memory (at least 16 KiB each),
// so that the merge stays near the memory bound however many runs there
// are.
func (s *Sort) runReadBuffer(n int) int {
	return int(min(max(s.opts.Memory/16/int64(max(n, 1)), 16<<10), runBufferSize))
}

// newRunFile creates a temporary run file, written through the Sort's one
// write buffer.
func (s *Sort) newRunFile() (*runFile, error) {
	f, err := os.CreateTemp(s.opts.TempDir, "pcaptool-sort-*.run")
	if err != nil {
		return nil, fmt.Errorf("convert: sort: %w", err)
	}
	r := &runFile{f: f, name: f.Name()}
	r.removed = os.Remove(f.Name()) == nil
	if s.spillW == nil {
		s.spillW = bufio.NewWriterSize(f, runBufferSize)
	} else {
		s.spillW.Reset(f)
	}
	r.w = s.spillW
	return r, nil
}

func (r *runFile) write(rec []byte) error {
	binary.LittleEndian.PutUint32(r.lenBuf[:], uint32(len(rec)))
	if _, err := r.w.Write(r.lenBuf[:]); err != nil {
		return fmt.Errorf("convert: sort: writing run: %w", err)
	}
	if _, err := r.w.Write(rec); err != nil {
		return fmt.Errorf("convert: sort: writing run: %w", err)
	}
	return nil
}

func (r *runFile) finish() error {
	if err := r.w.Flush(); err != nil {
		return fmt.Errorf("convert: sort: writing run: %w", err)
	}
	r.w = nil
	return nil
}

// rewind starts reading the run from its beginning, through a buffer of
// bufSize bytes.
func (r *runFile) rewind(bufSize int) error {
	if _, err := r.f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("convert: sort: %w", err)
	}
	if r.r == nil || r.r.Size() != bufSize {
		r.r = bufio.NewReaderSize(r.f, bufSize)
	} else {
		r.r.Reset(r.f)
	}
	return nil
}

func (r *runFile) nextRecord() ([]byte, error) {
	if _, err := io.ReadFull(r.r, r.lenBuf[:]); err != nil {
		if err == io.EOF {
			return nil, io.EOF
		}
		return nil, fmt.Errorf("convert: sort: reading run: %w", err)
	}
	n := int(binary.LittleEndian.Uint32(r.lenBuf[:]))
	if n < recordHeaderLen || n > 1<<30 {
		return nil, fmt.Errorf("%w: length %d", errRecord, n)
	}
	if cap(r.buf) < n {
		r.buf = make([]byte, n)
	}
	r.buf = r.buf[:n]
	if _, err := io.ReadFull(r.r, r.buf); err != nil {
		return nil, fmt.Errorf("convert: sort: reading run: %w", err)
	}
	return r.buf, nil
}

func (r *runFile) close() error {
	err := r.f.Close()
	if !r.removed {
		os.Remove(r.name)
	}
	return err
}

// runMerger merges sorted runs; on equal timestamps the earlier run wins,
// which keeps the sort stable because earlier runs hold earlier input.
type runMerger struct {
	srcs []runSource
	cur  [][]byte // current record of each source
	heap []int    // source indexes, min-heap by (timestamp, index)
	last int      // source whose record was returned last; -1 for none
}

func newRunMerger(srcs []runSource) (*runMerger, error) {
	m := &runMerger{srcs: srcs, cur: make([][]byte, len(srcs)), last: -1}
	for i, src := range srcs {
		b, err := src.nextRecord()
		if err == io.EOF {
			continue
		}
		if err != nil {
			return nil, err
		}
		m.cur[i] = b
		m.heap = append(m.heap, i)
	}
	for i := len(m.heap)/2 - 1; i >= 0; i-- {
		m.down(i)
	}
	return m, nil
}

func (m *runMerger) less(a, b int) bool {
	ia, ib := m.heap[a], m.heap[b]
	as, an := recordKey(m.cur[ia])
	bs, bn := recordKey(m.cur[ib])
	return keyLess(as, an, uint64(ia), bs, bn, uint64(ib))
}

func (m *runMerger) down(i int) {
	n := len(m.heap)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		j := l
		if r := l + 1; r < n && m.less(r, l) {
			j = r
		}
		if !m.less(j, i) {
			return
		}
		m.heap[i], m.heap[j] = m.heap[j], m.heap[i]
		i = j
	}
}

// nextRecord returns the smallest record; it stays valid until the next
// call.
func (m *runMerger) nextRecord() ([]byte, error) {
	if m.last >= 0 {
		i := m.last
		m.last = -1
		b, err := m.srcs[i].nextRecord()
		switch {
		case err == io.EOF:
			m.cur[i] = nil
			n := len(m.heap) - 1
			m.heap[0] = m.heap[n]
			m.heap = m.heap[:n]
		case err != nil:
			return nil, err
		default:
			m.cur[i] = b
		}
		if len(m.heap) > 0 {
			m.down(0)
		}
	}
	if len(m.heap) == 0 {
		return nil, io.EOF
	}
	i := m.heap[0]
	m.last = i
	return m.cur[i], nil
}
