package main

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/net/bpf"

	"github.com/pcaptool/pcaptool/filter"
	"github.com/pcaptool/pcaptool/live"
	"github.com/pcaptool/pcaptool/outfile"
	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pcapng"
	"github.com/pcaptool/pcaptool/pkt"
)

type captureFlags struct {
	iface      string
	count      int64
	snaplen    int
	noPromisc  bool
	write      string
	format     string
	fileSize   float64
	rotateSecs int
	fileCount  int
	immediate  bool
	bufferKiB  int
	bpfFile    string
	direction  string
	method     string
	precision  string
	packetBuf  bool
	bufTimeout time.Duration
}

func init() {
	var f captureFlags
	cmd := &cobra.Command{
		Use:   "capture [flags] [EXPRESSION...]",
		Short: "Capture packets from a network interface, like tcpdump -w",
		Long: `capture reads packets from a network interface with AF_PACKET sockets (no
libpcap needed) and writes them to a file, or prints one line per packet.

EXPRESSION is a pcap-filter expression (as tcpdump takes), compiled in
pure Go and attached in the kernel so that unwanted packets never reach
the program. --bpf-file instead reads a compiled program in tcpdump -ddd
(or -dd) form; an EXPRESSION given with it is only recorded (if_filter).

Rotation follows tcpdump: -C starts a new file when the current one exceeds
SIZE million bytes (FILE, FILE1, FILE2, ...); -W N with -C keeps N files
(FILE0..FILE<N-1>) and overwrites the oldest; -G SECONDS starts a new file
every SECONDS, FILE being a strftime pattern; -W N with -G stops after N
files.

SIGINT and SIGTERM stop the capture: the file is flushed and closed
(pcapng files end with an Interface Statistics Block), the statistics are
printed and the exit status is 0. Without --immediate the file is flushed
at least every second, so a capture killed outright is readable up to the
last second.

Capturing needs CAP_NET_RAW (and CAP_NET_ADMIN for promiscuous mode):
  setcap cap_net_raw,cap_net_admin+ep ./pcaptool`,
		Annotations: map[string]string{"signals": "self"}, // capture handles SIGINT/SIGTERM itself
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCapture(cmd, &f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.iface, "interface", "i", "", `interface to capture on, or "any" (default: the first up, running, non-loopback interface)`)
	fl.Int64VarP(&f.count, "count", "c", 0, "stop after this many packets")
	fl.IntVarP(&f.snaplen, "snapshot-length", "s", 0, "bytes kept per packet (default 262144)")
	fl.BoolVarP(&f.noPromisc, "no-promiscuous-mode", "p", false, "do not put the interface in promiscuous mode")
	fl.StringVarP(&f.write, "write", "w", "", `write packets to FILE ("-" for standard output) instead of printing them`)
	fl.StringVarP(&f.format, "format", "F", "", "file format: pcap or pcapng (default: pcapng for .pcapng/.ntar names, else pcap)")
	fl.Float64VarP(&f.fileSize, "file-size", "C", 0, "start a new file when the current one exceeds this many million bytes")
	fl.IntVarP(&f.rotateSecs, "rotate-seconds", "G", 0, "start a new file every this many seconds (FILE is a strftime pattern)")
	fl.IntVarP(&f.fileCount, "file-count", "W", 0, "with -C: number of files in the ring; with -G: stop after this many files")
	fl.BoolVar(&f.immediate, "immediate", false, "deliver and write every packet at once (flush the file after each packet)")
	fl.IntVarP(&f.bufferKiB, "buffer-size", "B", 0, "kernel capture buffer in KiB (default 2048)")
	fl.StringVar(&f.bpfFile, "bpf-file", "", "read the filter as a BPF program in tcpdump -ddd or -dd form")
	fl.StringVarP(&f.direction, "direction", "Q", "inout", "packets to capture: in, out or inout")
	fl.StringVar(&f.method, "method", "auto", "how to read packets: ring (TPACKET_V3), recvmsg, or auto (ring; recvmsg with --immediate)")
	fl.StringVar(&f.precision, "time-stamp-precision", "micro", "timestamp precision of pcap files: micro or nano (pcapng files always store nanoseconds)")
	fl.BoolVarP(&f.packetBuf, "packet-buffered", "U", false, "flush the file after every packet (as --immediate does for the file)")
	fl.DurationVar(&f.bufTimeout, "buffer-timeout", 100*time.Millisecond, "without --immediate, how long the kernel may hold packets to hand them over in batches")
	rootCmd.AddCommand(cmd)
}

func runCapture(cmd *cobra.Command, f *captureFlags, args []string) error {
	usage := func(format string, a ...any) error {
		return withExitCode(exitFailure, fmt.Errorf("capture: "+format, a...))
	}
	if f.fileCount < 0 || f.rotateSecs < 0 || f.fileSize < 0 || f.count < 0 || f.bufferKiB < 0 {
		return usage("negative -c, -C, -G, -W or -B")
	}
	if f.fileCount > 0 && f.fileSize == 0 && f.rotateSecs == 0 {
		return usage("-W needs -C or -G")
	}
	if (f.fileSize > 0 || f.rotateSecs > 0) && (f.write == "" || f.write == "-") {
		return usage("-C and -G need -w FILE")
	}
	if f.fileSize > 0 || f.rotateSecs > 0 {
		if kind, err := outfile.Inspect(f.write); err != nil {
			return usage("%v", err)
		} else if kind != outfile.Regular {
			return usage("-C and -G rotate regular files; %s is a %s", f.write, kind)
		}
	}
	cfg := live.Config{
		SnapLen:       f.snaplen,
		NoPromiscuous: f.noPromisc,
		Immediate:     f.immediate,
		BufferSize:    f.bufferKiB << 10,
		Timeout:       f.bufTimeout,
	}
	var err error
	if cfg.Direction, err = live.ParseDirection(f.direction); err != nil {
		return usage("%v", err)
	}
	switch f.method {
	case "auto", "":
	case "ring":
		cfg.Method = live.MethodRing
	case "recvmsg":
		cfg.Method = live.MethodRecvmsg
	default:
		return usage("--method must be ring, recvmsg or auto")
	}
	format, err := captureFormat(f)
	if err != nil {
		return usage("%v", err)
	}
	nano := format == "pcapng"
	switch f.precision {
	case "micro", "":
	case "nano":
		nano = true
	default:
		return usage("--time-stamp-precision must be micro or nano")
	}

	if f.iface == "" {
		if f.iface, err = defaultInterface(); err != nil {
			return withExitCode(exitFailure, err)
		}
	}
	ifi, err := live.InterfaceByName(f.iface)
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	expr := strings.Join(args, " ")
	if f.bpfFile != "" {
		fh, err := os.Open(f.bpfFile)
		if err != nil {
			return withExitCode(exitFailure, err)
		}
		cfg.Filter, err = filter.ParseDump(fh)
		fh.Close()
		if err != nil {
			return withExitCode(exitFailure, fmt.Errorf("%s: %w", f.bpfFile, err))
		}
		cfg.FilterText = expr
	} else if expr != "" {
		snaplen := f.snaplen
		if snaplen == 0 {
			snaplen = pkt.DefaultSnapLen
		}
		prog, err := filter.Compile(expr, ifi.LinkType, uint32(snaplen))
		if err != nil {
			return withExitCode(exitFailure, fmt.Errorf("capture: filter: %w", err))
		}
		if cfg.Filter, err = bpf.Assemble(prog); err != nil {
			return withExitCode(exitFailure, fmt.Errorf("capture: filter: %w", err))
		}
		cfg.FilterText = expr
	}
	h, err := live.Open(f.iface, &cfg)
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	defer h.Close()

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	c := &capturer{
		h: h, f: f, format: format, nano: nano, ifi: ifi,
		start: time.Now(), out: cmd.OutOrStdout(),
	}
	go func() {
		if _, ok := <-sigs; ok {
			c.stop()
		}
	}()

	stderr := cmd.ErrOrStderr()
	if asked := cmp.Or(cfg.BufferSize, live.DefaultBufferSize); h.BufferSize() < asked {
		fmt.Fprintf(stderr, "pcaptool: warning: the kernel gave a %d KiB capture buffer, not the %d KiB asked for%s; bursts may be dropped\n",
			h.BufferSize()>>10, asked>>10, bufferLimitHint(h.Method()))
	}
	fmt.Fprintf(stderr, "pcaptool: listening on %s, link-type %s (%s), snapshot length %d bytes\n",
		f.iface, h.Interfaces()[0].LinkType.Name(), h.Interfaces()[0].LinkType.Description(), h.SnapLen())

	runErr := c.run()
	st, _ := h.Stats()
	finErr := c.finish(st)
	fmt.Fprintf(stderr, "%d packets captured\n", c.captured)
	fmt.Fprintf(stderr, "%d packets received by filter\n", st.Received)
	fmt.Fprintf(stderr, "%d packets dropped by kernel\n", st.Dropped)
	if st.InterfaceDropped != 0 {
		fmt.Fprintf(stderr, "%d packets dropped by interface\n", st.InterfaceDropped)
	}
	if err := errors.Join(runErr, finErr); err != nil {
		return withExitCode(exitFailure, err)
	}
	return nil
}

func captureFormat(f *captureFlags) (string, error) {
	switch strings.ToLower(f.format) {
	case "pcap", "libpcap":
		return "pcap", nil
	case "pcapng", "ng":
		return "pcapng", nil
	case "":
		n := strings.ToLower(f.write)
		if strings.HasSuffix(n, ".pcapng") || strings.HasSuffix(n, ".ntar") {
			return "pcapng", nil
		}
		return "pcap", nil
	}
	return "", fmt.Errorf("-F must be pcap or pcapng, not %q", f.format)
}

// defaultInterface picks the interface tcpdump would: the first in -D order
// that is up, running and not a loopback.
func defaultInterface() (string, error) {
	ifs, err := live.Interfaces()
	if err != nil {
		return "", err
	}
	for _, i := range ifs {
		if i.Up() && i.Running() && !i.Loopback() && i.Name != live.AnyDevice {
			return i.Name, nil
		}
	}
	return "", errors.New("capture: no suitable interface found; use -i")
}

// capturer moves packets from the handle to the current output file (or to
// summary lines) and rotates files as tcpdump does.
type capturer struct {
	h      *live.Handle
	f      *captureFlags
	format string
	nano   bool
	ifi    *live.Interface
	out    io.Writer
	start  time.Time

	sink      captureSink
	fileStart time.Time
	sizeCount int // -C files opened since the last -G rotation
	timeCount int // -G files opened
	baseName  string
	captured  uint64
	lastFlush time.Time
	dirty     bool
	names     map[int]string
	lines     *bufio.Writer
	stopAt    atomic.Int64 // UnixNano after which to stop; 0 while running
}

// stop ends the capture after draining what the kernel already holds: a
// ring hands packets over in blocks, retired at the latest two batching
// timeouts after they filled, so stopping at once would lose the last ones.
func (c *capturer) stop() {
	drain := 2*c.f.bufTimeout + 50*time.Millisecond
	if c.h.Method() != live.MethodRing {
		drain = 0
	}
	at := time.Now().Add(drain)
	c.stopAt.Store(at.UnixNano())
	if drain == 0 {
		c.h.Break()
		return
	}
	c.h.SetReadDeadline(at)
}

// setDeadline sets the read deadline for flushing, never later than the
// stop time; the re-check catches a stop that raced with the call.
func (c *capturer) setDeadline(t time.Time) {
	if s := c.stopAt.Load(); s != 0 && (t.IsZero() || t.UnixNano() > s) {
		t = time.Unix(0, s)
	}
	c.h.SetReadDeadline(t)
	if s := c.stopAt.Load(); s != 0 && (t.IsZero() || t.UnixNano() > s) {
		c.h.SetReadDeadline(time.Unix(0, s))
	}
}

func (c *capturer) stopping() bool {
	s := c.stopAt.Load()
	return s != 0 && time.Now().UnixNano() >= s
}

func (c *capturer) run() error {
	if c.f.write == "" {
		c.lines = bufio.NewWriter(c.out)
		defer c.lines.Flush()
	} else if err := c.openFile(time.Now()); err != nil {
		return err
	}
	flushEvery := !c.f.immediate && !c.f.packetBuf
	for c.f.count == 0 || c.captured < uint64(c.f.count) {
		if c.stopping() {
			return nil
		}
		p, err := c.h.ReadPacket()
		if errors.Is(err, os.ErrDeadlineExceeded) {
			if err := c.flush(); err != nil {
				return err
			}
			continue
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if c.sink == nil {
			c.printLine(p)
			continue
		}
		if err := c.maybeRotate(p.Timestamp); err != nil {
			return err
		}
		if err := c.sink.WritePacket(p); err != nil {
			return err
		}
		c.captured++
		if !flushEvery {
			if err := c.sink.Flush(); err != nil {
				return err
			}
			continue
		}
		if !c.dirty {
			c.dirty = true
			c.setDeadline(c.lastFlush.Add(time.Second))
		} else if time.Since(c.lastFlush) >= time.Second {
			if err := c.flush(); err != nil {
				return err
			}
		}
	}
	return nil
}

func (c *capturer) flush() error {
	c.dirty = false
	c.lastFlush = time.Now()
	c.setDeadline(time.Time{})
	if c.sink != nil {
		return c.sink.Flush()
	}
	return nil
}

func (c *capturer) printLine(p *pkt.Packet) {
	c.captured++
	info := c.h.Info()
	name := c.f.iface
	if c.f.iface == live.AnyDevice {
		if c.names == nil {
			c.names = map[int]string{}
		}
		n, ok := c.names[info.IfIndex]
		if !ok {
			n = strconv.Itoa(info.IfIndex)
			if i, err := interfaceName(info.IfIndex); err == nil {
				n = i
			}
			c.names[info.IfIndex] = n
		}
		name = n
	}
	fmt.Fprintf(c.lines, "%s %s %-3s ethertype 0x%04x, length %d\n",
		p.Timestamp.Format("15:04:05.000000000"), name, info.Type, info.Protocol, p.Length)
	c.lines.Flush()
}

// maybeRotate opens the next file when -G's period or -C's size is reached,
// before the packet that crosses the limit is written, as tcpdump does.
func (c *capturer) maybeRotate(now time.Time) error {
	if c.f.rotateSecs > 0 && now.Sub(c.fileStart) >= time.Duration(c.f.rotateSecs)*time.Second {
		if c.f.fileCount > 0 && c.timeCount >= c.f.fileCount {
			c.h.Break()
			return nil
		}
		if err := c.closeFile(); err != nil {
			return err
		}
		c.sizeCount = 0
		return c.openFile(now)
	}
	if c.f.fileSize > 0 && float64(c.sink.Size()) > c.f.fileSize*1e6 {
		if err := c.closeFile(); err != nil {
			return err
		}
		c.sizeCount++
		if c.f.fileCount > 0 && c.sizeCount >= c.f.fileCount {
			c.sizeCount = 0
		}
		return c.openFile(c.fileStart)
	}
	return nil
}

// fileName builds tcpdump's file names: the -G pattern expanded for the
// file's start time, then the -C counter, zero-padded to the digits -W
// needs, appended when there is one.
func (c *capturer) fileName() string {
	digits := 0
	for x := c.f.fileCount - 1; x > 0; x /= 10 {
		digits++
	}
	name := c.baseName
	if c.f.fileSize == 0 || (c.sizeCount == 0 && digits == 0) {
		return name
	}
	return fmt.Sprintf("%s%0*d", name, digits, c.sizeCount)
}

func (c *capturer) openFile(start time.Time) error {
	if c.sizeCount == 0 {
		c.fileStart = start
		c.baseName = c.f.write
		if c.f.rotateSecs > 0 {
			c.baseName = strftime(c.f.write, start)
			c.timeCount++
		}
	}
	name := c.fileName()
	var w io.Writer
	var file *outfile.File
	if name == "-" {
		w = os.Stdout
	} else {
		var err error
		// In place, not through a temporary file: the capture must be
		// readable while it grows, as tcpdump's is.
		if file, err = outfile.Create(name, outfile.Options{InPlace: true}); err != nil {
			return err
		}
		w = file
	}
	sink, err := newSink(c.format, w, file, c.h, c.ifi, c.nano)
	if err != nil {
		if file != nil {
			file.Close()
		}
		return err
	}
	c.sink = sink
	c.lastFlush = time.Now()
	return c.flush()
}

func (c *capturer) closeFile() error {
	st, _ := c.h.Stats()
	err := c.sink.Close(st, c.captured, c.start)
	c.sink = nil
	return err
}

func (c *capturer) finish(st live.Stats) error {
	if c.sink == nil {
		return nil
	}
	err := c.sink.Close(st, c.captured, c.start)
	c.sink = nil
	return err
}

// captureSink writes one output file.
type captureSink interface {
	WritePacket(p *pkt.Packet) error
	Flush() error
	// Size is the file's size including buffered bytes, as ftell reports it.
	Size() int64
	// Close writes the closing statistics (pcapng), flushes and closes.
	Close(st live.Stats, captured uint64, start time.Time) error
}

func newSink(format string, w io.Writer, file *outfile.File, h *live.Handle, ifi *live.Interface, nano bool) (captureSink, error) {
	ifc := h.Interfaces()[0]
	if format == "pcap" {
		hdr := pcap.FileHeader{SnapLen: ifc.SnapLen, LinkType: ifc.LinkType, FCSLen: -1}
		if nano {
			hdr.Resolution = pkt.Nanosecond
		}
		pw, err := pcap.NewWriterSize(w, hdr, 1<<20)
		if err != nil {
			return nil, err
		}
		return &pcapSink{w: pw, file: file, size: pcap.FileHeaderLen}, nil
	}
	cw := &countingWriter{w: w}
	s := &pcapngSink{w: pcapng.NewWriterSize(cw, 1<<20), file: file}
	shb := &pcapng.SectionHeader{VersionMajor: 1, SectionLength: -1}
	shb.AddString(pkt.OptSHBOS, live.OSDescription())
	shb.AddString(pkt.OptSHBUserAppl, "pcaptool capture")
	shb.EndOfOptions = true
	if err := s.write(shb); err != nil {
		return nil, err
	}
	idb := &pcapng.InterfaceDescription{LinkType: ifc.LinkType, SnapLen: ifc.SnapLen}
	idb.AddString(pkt.OptIfName, ifc.Name())
	desc := ifc.Description()
	if desc == "" {
		desc = interfaceDescriptionText(ifi)
	}
	idb.AddString(pkt.OptIfDescription, desc)
	if len(ifi.HardwareAddr) == 6 {
		idb.Add(pkt.OptIfMACAddr, ifi.HardwareAddr)
	}
	idb.Add(pkt.OptIfTsresol, []byte{9})
	if v := pkt.FindOption(ifc.Options, pkt.OptIfFilter); v != nil {
		idb.Add(pkt.OptIfFilter, v)
	}
	idb.AddString(pkt.OptIfOS, live.OSDescription())
	idb.EndOfOptions = true
	if err := s.write(idb); err != nil {
		return nil, err
	}
	// Flush the headers so that their size is known exactly; packets are
	// then counted as they are written.
	if err := s.w.Flush(); err != nil {
		return nil, err
	}
	s.size = cw.n
	s.epb.Options = make([]pcapng.Option, 0, 1)
	return s, nil
}

func interfaceDescriptionText(ifi *live.Interface) string {
	return fmt.Sprintf("%s, index %d, MTU %d", ifi.LinkType.Description(), ifi.Index, ifi.MTU)
}

type pcapSink struct {
	w    *pcap.Writer
	file *outfile.File
	size int64
}

func (s *pcapSink) WritePacket(p *pkt.Packet) error {
	s.size += pcap.RecordHeaderLen + int64(len(p.Data))
	return s.w.WritePacket(p)
}
func (s *pcapSink) Flush() error { return s.w.Flush() }
func (s *pcapSink) Size() int64  { return s.size }
func (s *pcapSink) Close(live.Stats, uint64, time.Time) error {
	err := s.w.Close()
	if s.file != nil {
		err = errors.Join(err, s.file.Close())
	}
	return err
}

type pcapngSink struct {
	w    *pcapng.Writer
	file *outfile.File
	size int64
	epb  pcapng.EnhancedPacket
}

func (s *pcapngSink) write(b pcapng.Block) error { return s.w.WriteBlock(b) }

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

// interfaceName names an interface by index for summary lines.
func interfaceName(index int) (string, error) {
	ifi, err := net.InterfaceByIndex(index)
	if err != nil {
		return "", err
	}
	return ifi.Name, nil
}

func (s *pcapngSink) WritePacket(p *pkt.Packet) error {
	s.epb.Timestamp = uint64(p.Timestamp.UnixNano())
	s.epb.OriginalLength = uint32(p.Length)
	s.epb.Data = p.Data
	s.epb.Options = s.epb.Options[:0]
	s.epb.EndOfOptions = false
	if v := pkt.FindOption(p.Options, pkt.OptEPBFlags); v != nil {
		s.epb.Options = append(s.epb.Options, pcapng.Option{Code: pkt.OptEPBFlags, Value: v})
		s.epb.EndOfOptions = true
	}
	// Block header and fixed fields (28), padded data, trailer (4), and
	// epb_flags (8) plus the end-of-options marker (4) when present.
	s.size += 28 + int64((len(p.Data)+3)&^3) + 4
	if len(s.epb.Options) > 0 {
		s.size += 12
	}
	return s.w.WriteBlock(&s.epb)
}

func (s *pcapngSink) Flush() error { return s.w.Flush() }
func (s *pcapngSink) Size() int64  { return s.size }

func (s *pcapngSink) Close(st live.Stats, captured uint64, start time.Time) error {
	isb := &pcapng.InterfaceStatistics{Timestamp: uint64(time.Now().UnixNano())}
	u64 := func(v uint64) []byte { return binary.LittleEndian.AppendUint64(nil, v) }
	ts := func(t time.Time) []byte {
		ns := uint64(t.UnixNano())
		b := binary.LittleEndian.AppendUint32(nil, uint32(ns>>32))
		return binary.LittleEndian.AppendUint32(b, uint32(ns))
	}
	isb.Add(pkt.OptISBStartTime, ts(start))
	isb.Add(pkt.OptISBEndTime, ts(time.Now()))
	isb.Add(pkt.OptISBIfRecv, u64(st.Received))
	isb.Add(pkt.OptISBIfDrop, u64(st.InterfaceDropped))
	isb.Add(pkt.OptISBFilterAccept, u64(st.Received))
	isb.Add(pkt.OptISBOSDrop, u64(st.Dropped))
	isb.Add(pkt.OptISBUsrDeliv, u64(captured))
	isb.EndOfOptions = true
	err := s.w.WriteBlock(isb)
	err = errors.Join(err, s.w.Flush())
	if s.file != nil {
		err = errors.Join(err, s.file.Close())
	}
	return err
}

// strftime expands the conversions of C's strftime that capture file
// names use; others are kept as written.
func strftime(pattern string, t time.Time) string {
	if !strings.Contains(pattern, "%") {
		return pattern
	}
	var b strings.Builder
	for i := 0; i < len(pattern); i++ {
		ch := pattern[i]
		if ch != '%' || i+1 == len(pattern) {
			b.WriteByte(ch)
			continue
		}
		i++
		switch pattern[i] {
		case 'Y':
			fmt.Fprintf(&b, "%04d", t.Year())
		case 'y':
			fmt.Fprintf(&b, "%02d", t.Year()%100)
		case 'm':
			fmt.Fprintf(&b, "%02d", int(t.Month()))
		case 'd':
			fmt.Fprintf(&b, "%02d", t.Day())
		case 'e':
			fmt.Fprintf(&b, "%2d", t.Day())
		case 'H':
			fmt.Fprintf(&b, "%02d", t.Hour())
		case 'I':
			fmt.Fprintf(&b, "%02d", (t.Hour()+11)%12+1)
		case 'M':
			fmt.Fprintf(&b, "%02d", t.Minute())
		case 'S':
			fmt.Fprintf(&b, "%02d", t.Second())
		case 'j':
			fmt.Fprintf(&b, "%03d", t.YearDay())
		case 's':
			fmt.Fprintf(&b, "%d", t.Unix())
		case 'p':
			b.WriteString(t.Format("PM"))
		case 'b', 'h':
			b.WriteString(t.Format("Jan"))
		case 'B':
			b.WriteString(t.Format("January"))
		case 'a':
			b.WriteString(t.Format("Mon"))
		case 'A':
			b.WriteString(t.Format("Monday"))
		case 'Z':
			b.WriteString(t.Format("MST"))
		case 'z':
			b.WriteString(t.Format("-0700"))
		case 'F':
			b.WriteString(t.Format("2006-01-02"))
		case 'T':
			b.WriteString(t.Format("15:04:05"))
		case '%':
			b.WriteByte('%')
		default:
			b.WriteByte('%')
			b.WriteByte(pattern[i])
		}
	}
	return b.String()
}

// bufferLimitHint says why the kernel may give a smaller buffer than asked.
func bufferLimitHint(m live.Method) string {
	if m == live.MethodRecvmsg {
		return " (net.core.rmem_max caps it without CAP_NET_ADMIN in the initial user namespace)"
	}
	return " (not enough memory for the ring)"
}
