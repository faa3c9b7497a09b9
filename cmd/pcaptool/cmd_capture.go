package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/net/bpf"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/filter"
	"github.com/pcaptool/pcaptool/live"
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
	fl.BoolVar(&f.immediate, "immediate", false, "deliver and write every packet at once (the file is flushed before capture waits for the next packet)")
	fl.IntVarP(&f.bufferKiB, "buffer-size", "B", 0, "kernel capture buffer in KiB (default 2048)")
	fl.StringVar(&f.bpfFile, "bpf-file", "", "read the filter as a BPF program in tcpdump -ddd or -dd form")
	fl.StringVarP(&f.direction, "direction", "Q", "inout", "packets to capture: in, out or inout")
	fl.StringVar(&f.method, "method", "auto", "how to read packets: ring (TPACKET_V3, packets in blocks), frame-ring (TPACKET_V2, each packet at once), recvmsg (one system call per packet), or auto (ring; frame-ring with --immediate)")
	fl.StringVar(&f.precision, "time-stamp-precision", "micro", "timestamp precision of pcap files: micro or nano (pcapng files always store nanoseconds)")
	fl.BoolVarP(&f.packetBuf, "packet-buffered", "U", false, "write every packet to the file before waiting for the next (packets queued together: one flush, within 1 ms)")
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
	if cfg.Method, err = live.ParseMethod(f.method); err != nil {
		return usage("%v", err)
	}
	out := live.Output{
		Name:        f.write,
		FileSize:    int64(f.fileSize * 1e6),
		RotateEvery: time.Duration(f.rotateSecs) * time.Second,
		FileCount:   f.fileCount,
	}
	if out.Format, err = capfile.ParseFormat(f.format); err != nil {
		return usage("%v", err)
	}
	switch f.precision {
	case "micro", "":
	case "nano":
		out.Resolution = pkt.Nanosecond
	default:
		return usage("--time-stamp-precision must be micro or nano")
	}
	if f.write != "" {
		if err := out.Validate(); err != nil {
			return withExitCode(exitFailure, err)
		}
	}
	if f.iface == "" {
		if f.iface, err = defaultInterface(); err != nil {
			return withExitCode(exitFailure, err)
		}
	}
	if cfg.Filter, cfg.FilterText, err = captureFilter(f, args); err != nil {
		return withExitCode(exitFailure, err)
	}
	h, err := live.Open(f.iface, &cfg)
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	defer h.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	s := &live.Session{
		Handle:         h,
		Output:         out,
		Count:          f.count,
		PacketBuffered: f.immediate || f.packetBuf,
	}
	if f.write == "" {
		s.Writer = &lineWriter{w: bufio.NewWriter(cmd.OutOrStdout()), device: f.iface}
	}
	stderr := cmd.ErrOrStderr()
	if asked := cmp.Or(cfg.BufferSize, live.DefaultBufferSize); h.BufferSize() < asked {
		fmt.Fprintf(stderr, "pcaptool: warning: the kernel gave a %d KiB capture buffer, not the %d KiB asked for%s; bursts may be dropped\n",
			h.BufferSize()>>10, asked>>10, bufferLimitHint(h.Method()))
	}
	fmt.Fprintf(stderr, "pcaptool: listening on %s, link-type %s (%s), snapshot length %d bytes\n",
		f.iface, h.Interfaces()[0].LinkType.Name(), h.Interfaces()[0].LinkType.Description(), h.SnapLen())

	runErr := s.Run(ctx)
	st, _ := h.Stats()
	fmt.Fprintf(stderr, "%d packets captured\n", s.Captured())
	fmt.Fprintf(stderr, "%d packets received by filter\n", st.Received)
	fmt.Fprintf(stderr, "%d packets dropped by kernel\n", st.Dropped)
	if st.InterfaceDropped != 0 {
		fmt.Fprintf(stderr, "%d packets dropped by interface\n", st.InterfaceDropped)
	}
	if runErr != nil {
		return withExitCode(exitFailure, runErr)
	}
	return nil
}

// captureFilter reads --bpf-file, or compiles the expression for the
// interface's link type; the expression is recorded either way.
func captureFilter(f *captureFlags, args []string) ([]bpf.RawInstruction, string, error) {
	expr := strings.Join(args, " ")
	if f.bpfFile != "" {
		fh, err := os.Open(f.bpfFile)
		if err != nil {
			return nil, "", err
		}
		defer fh.Close()
		prog, err := filter.ParseDump(fh)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", f.bpfFile, err)
		}
		return prog, expr, nil
	}
	if expr == "" {
		return nil, "", nil
	}
	ifi, err := live.InterfaceByName(f.iface)
	if err != nil {
		return nil, "", err
	}
	prog, err := filter.Compile(expr, ifi.LinkType, uint32(cmp.Or(f.snaplen, pkt.DefaultSnapLen)))
	if err != nil {
		return nil, "", fmt.Errorf("capture: filter: %w", err)
	}
	raw, err := bpf.Assemble(prog)
	if err != nil {
		return nil, "", fmt.Errorf("capture: filter: %w", err)
	}
	return raw, expr, nil
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

// lineWriter prints one summary line per packet when capture writes no
// file.
type lineWriter struct {
	w      *bufio.Writer
	device string
	names  map[int]string
}

func (l *lineWriter) AddInterface(pkt.Interface) error { return nil }
func (l *lineWriter) Flush() error                     { return l.w.Flush() }

func (l *lineWriter) WritePacket(p *pkt.Packet) error {
	fmt.Fprintf(l.w, "%s %s %-3s ethertype 0x%04x, length %d\n",
		p.Timestamp.Format("15:04:05.000000000"), l.name(int(p.Link.IfIndex)), p.Link.Type, p.Link.Protocol, p.Length)
	return l.w.Flush()
}

// name names the interface a packet crossed: the captured one, or on
// "any" the real one, by index.
func (l *lineWriter) name(index int) string {
	if l.device != live.AnyDevice {
		return l.device
	}
	if n, ok := l.names[index]; ok {
		return n
	}
	if l.names == nil {
		l.names = map[int]string{}
	}
	n := strconv.Itoa(index)
	if ifi, err := net.InterfaceByIndex(index); err == nil {
		n = ifi.Name
	}
	l.names[index] = n
	return n
}

// bufferLimitHint says why the kernel may give a smaller buffer than asked.
func bufferLimitHint(m live.Method) string {
	if m == live.MethodRecvmsg {
		return " (net.core.rmem_max caps it without CAP_NET_ADMIN in the initial user namespace)"
	}
	return " (not enough memory for the ring)"
}
