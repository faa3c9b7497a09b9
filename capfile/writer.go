package capfile

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"runtime"
	"sync/atomic"

	"github.com/klauspost/compress/zstd"
	"github.com/klauspost/pgzip"
	"github.com/pierrec/lz4/v4"

	"github.com/pcaptool/pcaptool/internal/pipeio"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/outfile"
	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pcapng"
	"github.com/pcaptool/pcaptool/pkt"
)

// WriterOptions tune Create.
type WriterOptions struct {
	// Format of the output; FormatAuto picks it from the file name and
	// falls back to pcapng.
	Format Format
	// Compression of the output; CompressionAuto picks it from the name.
	Compression Compression
	// Resolution of stored timestamps. For pcap, Microsecond or
	// Nanosecond; 0 follows the first interface (nanoseconds when it is
	// finer than microseconds). For pcapng, 0 keeps each interface's own
	// resolution and any other value rewrites every interface to it.
	Resolution pkt.Resolution
	// ByteOrder of the output; nil means little-endian.
	ByteOrder binary.ByteOrder
	// Section describes the pcapng section header (ignored for pcap).
	Section pcapng.WriterOptions
	// InPlace writes a regular destination directly instead of through a
	// temporary file renamed on Close: live capture uses it so that the
	// file can be read while it grows.
	InPlace bool
	// Group, when set, collects the output until it is closed, so that a
	// signal handler can discard every unfinished output (see outfile).
	Group *outfile.Group
}

// Writer writes a capture file. It implements pkt.Writer. Close commits
// the file; Abort, or a failed Close, leaves the destination untouched.
// Destinations are opened by package outfile: a regular file is replaced
// only when complete, keeping its mode; a device, FIFO or /dev/stdout is
// written directly; symbolic links are followed.
type Writer struct {
	name    string
	file    *outfile.File
	out     io.Writer
	closers []io.Closer
	gate    *gate          // between a compressor and the file
	gather  *pipeio.Gather // the buffer of an uncompressed file
	opts    WriterOptions
	format  Format

	pcap     *pcap.Writer
	pcapng   *pcapng.PacketWriter
	ifaces   []pkt.Interface
	maxCap   int  // largest capture length written to a pcap file
	compress bool // output goes through a compressor
	raw      bool // made by CreateRaw: bytes come through Write
	finished bool
}

// Create prepares to write a capture file named name ("-" for standard
// output), opened as package outfile describes.
func Create(name string, opts WriterOptions) (*Writer, error) {
	w, err := create(name, opts)
	if err != nil {
		return nil, err
	}
	if err := w.startPcapng(); err != nil {
		w.Abort()
		return nil, err
	}
	return w, nil
}

// startPcapng writes the section header of pcapng output; pcap output
// starts with its first packet.
func (w *Writer) startPcapng() error {
	if w.format != Pcapng {
		return nil
	}
	so := w.opts.Section
	if so.ByteOrder == nil {
		so.ByteOrder = w.opts.ByteOrder
	}
	pw, err := pcapng.NewPacketWriter(w.out, so)
	if err != nil {
		return fmt.Errorf("%s: %w", w.name, err)
	}
	w.pcapng = pw
	return nil
}

// CreateRaw prepares the named output like Create (temporary file,
// compression) but writes no format of its own: the caller writes the bytes
// of a whole capture file through the Writer's Write method, as a
// block-by-block pcapng copy does. Close commits it.
func CreateRaw(name string, opts WriterOptions) (*Writer, error) {
	w, err := create(name, opts)
	if err != nil {
		return nil, err
	}
	w.raw = true
	return w, nil
}

func create(name string, opts WriterOptions) (*Writer, error) {
	format, comp := pickFormat(name, opts)
	w := &Writer{name: name, opts: opts, format: format}
	f, err := outfile.Create(name, outfile.Options{InPlace: opts.InPlace, Group: opts.Group})
	if err != nil {
		return nil, err
	}
	w.file, w.out = f, f
	if err := w.wrapCompression(comp); err != nil {
		w.Abort()
		return nil, err
	}
	if !w.compress {
		w.gather = pipeio.NewGather(f, pcap.DefaultBufferSize)
		if runtime.GOMAXPROCS(0) > 1 {
			// A slow write system call (for a file, the copy into the
			// page cache) runs on the other core, beside the parsing.
			w.gather.WriteBehind(writeBehindAfter)
		}
		w.out = w.gather
	}
	return w, nil
}

// writeBehindAfter is how long a write must take for the next to be
// written behind (pipeio.Gather.WriteBehind); tests set 0.
var writeBehindAfter = pipeio.SlowWrite

// pickFormat returns the format and compression opts ask for, taking from
// the name what they leave to be picked.
func pickFormat(name string, opts WriterOptions) (Format, Compression) {
	format, comp := FromName(name)
	if opts.Format != FormatAuto {
		format = opts.Format
	}
	if format == FormatAuto {
		format = Pcapng
	}
	if opts.Compression != CompressionAuto {
		comp = opts.Compression
	}
	return format, comp
}

// Write writes raw bytes to an output made by CreateRaw.
func (w *Writer) Write(b []byte) (int, error) {
	if !w.raw {
		return 0, fmt.Errorf("%s: capfile: Write on a Writer not made by CreateRaw", w.name)
	}
	return w.out.Write(b)
}

// gzipBlockSize is the block pgzip compresses at a time, per core. Each
// block starts with the previous one's tail as dictionary, so a quarter of
// pgzip's default 1 MiB loses nothing measurable in ratio and holds less
// memory (a 150 MB capture: 36 MiB peak RSS, 45 MiB with 1 MiB blocks).
const gzipBlockSize = 256 << 10

func (w *Writer) wrapCompression(c Compression) error {
	w.compress = c == Gzip || c == Zstd || c == LZ4
	if w.compress {
		w.gate = &gate{w: w.out}
		w.out = w.gate
	}
	switch c {
	case Gzip:
		// pgzip compresses blocks on every core (its output is one
		// ordinary gzip member), with a writer goroutine of its own.
		zw := pgzip.NewWriter(w.out)
		if err := zw.SetConcurrency(gzipBlockSize, max(2, runtime.GOMAXPROCS(0))); err != nil {
			return err
		}
		w.closers = append(w.closers, zw)
		w.out = zw
	case Zstd:
		zw, err := zstd.NewWriter(w.out, zstd.WithEncoderConcurrency(2), zstd.WithWindowSize(2<<20), zstd.WithLowerEncoderMem(true))
		if err != nil {
			return err
		}
		w.closers = append(w.closers, zw)
		w.out = zw
	case LZ4:
		zw := lz4.NewWriter(w.out)
		if err := zw.Apply(lz4.BlockSizeOption(lz4.Block64Kb), lz4.ConcurrencyOption(max(2, runtime.GOMAXPROCS(0)))); err != nil {
			return err
		}
		w.closers = append(w.closers, zw)
		w.out = zw
	}
	return nil
}

// gate passes a compressor's output to the file until the Writer is
// aborted, and swallows it after, so that compressors closed by Abort stop
// their goroutines without writing to the abandoned output. Compressors
// write from goroutines of their own, hence the atomic.
type gate struct {
	w    io.Writer
	shut atomic.Bool
}

func (g *gate) Write(p []byte) (int, error) {
	if g.shut.Load() {
		return len(p), nil
	}
	return g.w.Write(p)
}

// Borrow lets w pass on the bytes of packets read from r without copying
// them: they go to the file in place, from the ring r reads ahead into,
// and w writes what it holds before r reuses that memory. It does nothing
// unless r reads ahead (a plain regular file on two cores or more) and w
// writes an uncompressed file. Packets from r must be written before the
// next ReadPacket, as usual.
func (w *Writer) Borrow(r *Reader) {
	if w.gather == nil || r.ahead == nil {
		return
	}
	g := w.gather
	g.Lend(r.ahead)
	r.ahead.AddRecycle(g.FlushThen) // an error comes back from the next write
}

// Format returns the format being written.
func (w *Writer) Format() Format { return w.format }

// Name returns the destination name.
func (w *Writer) Name() string { return w.name }

// AddInterface declares the next interface.
//
// A pcap file has one link type, so pcap output is described by the
// interface of the first packet written: its link type, and the largest
// snap length and finest resolution among the interfaces of that link type.
// A later packet of another link type fails with pcap.ErrMixedLinkTypes.
func (w *Writer) AddInterface(ifc pkt.Interface) error {
	if w.format == Pcapng {
		if w.opts.Resolution != 0 {
			ifc.Resolution = w.opts.Resolution
		}
		w.ifaces = append(w.ifaces, ifc)
		return w.wrap(w.pcapng.AddInterface(ifc))
	}
	w.ifaces = append(w.ifaces, ifc)
	return nil
}

// startPcap writes the pcap file header for packets of interface first.
func (w *Writer) startPcap(first int) error {
	ifc := w.ifaces[first]
	hdr := pcap.FileHeader{
		ByteOrder: w.opts.ByteOrder,
		LinkType:  ifc.LinkType,
		FCSLen:    -1,
	}
	if ifc.FCSLen >= 0 && ifc.FCSLen <= 30 && ifc.FCSLen%2 == 0 {
		hdr.FCSLen = ifc.FCSLen
	}
	finest := uint64(1_000_000)
	for _, other := range w.ifaces {
		if other.LinkType != ifc.LinkType {
			continue
		}
		snap := other.SnapLen
		if snap == 0 {
			snap = uint32(other.LinkType.MaxPacketSize())
		}
		hdr.SnapLen = max(hdr.SnapLen, snap)
		if ups, ok := other.Resolution.UnitsPerSecond(); !ok {
			finest = ^uint64(0)
		} else {
			finest = max(finest, ups)
		}
	}
	switch res := w.opts.Resolution; {
	case res == pkt.Nanosecond:
		hdr.Resolution = pkt.Nanosecond
	case res == pkt.Microsecond:
		hdr.Resolution = pkt.Microsecond
	case res != 0:
		return fmt.Errorf("%s: pcap stores microseconds or nanoseconds, not %s", w.name, res)
	case finest > 1_000_000:
		hdr.Resolution = pkt.Nanosecond
	}
	pw, err := pcap.NewWriter(w.out, hdr)
	if err != nil {
		return fmt.Errorf("%s: %w", w.name, err)
	}
	w.pcap = pw
	return nil
}

// WritePacket writes one packet.
func (w *Writer) WritePacket(p *pkt.Packet) error {
	if w.pcapng != nil {
		return w.wrap(w.pcapng.WritePacket(p))
	}
	if p.Interface < 0 || p.Interface >= len(w.ifaces) {
		return fmt.Errorf("%s: %w", w.name, pkt.ErrInterfaceIndex)
	}
	if w.pcap == nil {
		if err := w.startPcap(p.Interface); err != nil {
			return err
		}
	}
	if lt := w.ifaces[p.Interface].LinkType; lt != w.pcap.Header().LinkType {
		return fmt.Errorf("%s: %w (a packet of interface %d is %s, earlier packets are %s)", w.name, pcap.ErrMixedLinkTypes,
			p.Interface, lt, w.pcap.Header().LinkType)
	}
	w.maxCap = max(w.maxCap, len(p.Data))
	return w.wrap(w.pcap.WritePacket(p))
}

func (w *Writer) wrap(err error) error {
	if err == nil || namesFile(err, w.name) {
		return err
	}
	return fmt.Errorf("%s: %w", w.name, err)
}

// namesFile reports whether err already names the file (outfile's errors
// do).
func namesFile(err error, name string) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) && pe.Path == name
}

// Flush pushes buffered packets to the file (or compressor). A pcap file
// to which no packet has been written yet gets its file header, described
// by the first interface, so that a file being captured to is valid from
// the start.
func (w *Writer) Flush() error {
	if w.format == Pcap && w.pcap == nil && !w.raw && len(w.ifaces) > 0 {
		if err := w.startPcap(0); err != nil {
			return err
		}
	}
	var err error
	switch {
	case w.pcapng != nil:
		err = w.pcapng.Flush()
	case w.pcap != nil:
		err = w.pcap.Flush()
	}
	if err == nil && w.gather != nil {
		err = w.gather.Flush() // what CreateRaw's Write queued
	}
	return w.wrap(err)
}

// Close flushes everything, closes the file and renames it into place.
// After a failed Close the destination is untouched and the temporary file
// is removed.
func (w *Writer) Close() error {
	if w.finished {
		return nil
	}
	if w.format == Pcap && w.pcap == nil && !w.raw {
		// No packet was written: still write a valid, empty file, as
		// editcap does, described by the first interface (Ethernet when
		// there is none).
		if len(w.ifaces) == 0 {
			w.ifaces = append(w.ifaces, pkt.Interface{LinkType: linktype.Ethernet, FCSLen: -1})
		}
		if err := w.startPcap(0); err != nil {
			w.Abort()
			return err
		}
	}
	err := w.Flush()
	if err == nil {
		err = w.widenSnapLen()
	}
	for i := len(w.closers) - 1; i >= 0; i-- {
		if cerr := w.closers[i].Close(); cerr != nil && err == nil {
			err = w.wrap(cerr)
		}
	}
	w.closers = nil
	if err != nil {
		w.Abort()
		return err
	}
	if w.gather != nil {
		w.gather.Stop() // flushed above
	}
	w.finished = true
	if w.file == nil { // made by NewWriter: the caller owns out
		return nil
	}
	return w.file.Close()
}

// widenSnapLen raises the snap length in a pcap header written before a
// larger packet arrived (from an interface described later), because
// libpcap cuts records to the header's snap length when it reads them. It
// needs a plain, seekable file; a pipe or compressed output keeps the
// original header.
func (w *Writer) widenSnapLen() error {
	if w.pcap == nil || w.file == nil || !w.file.Seekable() || w.compress || w.maxCap <= int(w.pcap.Header().SnapLen) {
		return nil
	}
	hdr := w.pcap.Header()
	var b [4]byte
	hdr.ByteOrder.PutUint32(b[:], uint32(w.maxCap))
	_, err := w.file.WriteAt(b[:], 16)
	return w.wrap(err)
}

// Abort discards the output: the temporary file is removed and the
// destination left as it was. It is safe to call after Close (it does
// nothing then) and more than once.
func (w *Writer) Abort() {
	if w.finished {
		return
	}
	w.finished = true
	if w.gather != nil {
		w.gather.Stop()
	}
	if w.gate != nil {
		w.gate.shut.Store(true)
		for i := len(w.closers) - 1; i >= 0; i-- {
			w.closers[i].Close() // into the shut gate: stops the compressor's goroutines
		}
		w.closers = nil
	}
	if w.file != nil {
		w.file.Abort()
	}
}
