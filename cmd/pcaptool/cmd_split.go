package main

import (
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/convert"
	"github.com/pcaptool/pcaptool/pkt"
)

func init() { rootCmd.AddCommand(newSplitCmd()) }

// splitFlags are the flags that cut the output into pieces (split, and edit
// as editcap -c/-i).
type splitFlags struct {
	packets  int64
	interval string
	size     int64
}

func (s *splitFlags) register(cmd *cobra.Command) {
	f := cmd.Flags()
	f.Int64VarP(&s.packets, "count", "c", 0, "start a new output file every `N` packets")
	f.StringVarP(&s.interval, "interval", "i", "", "start a new output file every `SECONDS` of capture time (fractions allowed)")
	f.Int64Var(&s.size, "size", 0, "start a new output file before one would exceed `BYTES` (uncompressed estimate)")
}

func (s *splitFlags) active() bool { return s.packets != 0 || s.interval != "" || s.size != 0 }

func (s *splitFlags) options() (convert.SplitOptions, error) {
	var o convert.SplitOptions
	n := 0
	if s.packets != 0 {
		if s.packets < 0 {
			return o, fmt.Errorf("-c %d: want a positive packet count", s.packets)
		}
		o.Packets = s.packets
		n++
	}
	if s.interval != "" {
		secs, err := strconv.ParseFloat(s.interval, 64)
		if err != nil || secs <= 0 || math.IsInf(secs, 0) || secs > 1e9 {
			return o, fmt.Errorf("-i %q: want a positive number of seconds", s.interval)
		}
		whole, frac := math.Modf(secs)
		o.Interval = time.Duration(whole)*time.Second + time.Duration(frac*1e9)
		if o.Interval <= 0 {
			return o, fmt.Errorf("-i %q: interval shorter than a nanosecond", s.interval)
		}
		n++
	}
	if s.size != 0 {
		if s.size < 0 {
			return o, fmt.Errorf("--size %d: want a positive byte count", s.size)
		}
		o.Bytes = s.size
		n++
	}
	if n > 1 {
		return o, fmt.Errorf("-c, -i and --size exclude each other")
	}
	return o, nil
}

func newSplitCmd() *cobra.Command {
	var (
		out         outputFlags
		split       splitFlags
		quiet       bool
		start, stop string
	)
	cmd := &cobra.Command{
		Use:   "split (-c N | -i SECONDS | --size BYTES) [flags] IN OUT",
		Short: "Split a capture into pieces by packet count, time interval or size",
		Long: `Split a capture file into consecutive pieces, as editcap -c and -i do,
or by size (--size, which editcap lacks).

Pieces are named like editcap's: OUT's name with _NNNNN_YYYYmmddHHMMSS inserted
before its extension, the number counting from 00000 and the time (local
time) being that of the piece's first packet (left out, as editcap does, when
that packet has no timestamp: a pcapng simple packet block). An input without
packets gives one empty file named OUT. With -i, a gap longer than the
interval gives empty pieces, as editcap does; packets without a timestamp
never start a piece. Each piece is committed as it completes; on failure the
incomplete piece is removed.

Differences from editcap: a compression extension stays at the end
(out_00000_20240101000000.pcap.gz, where editcap writes
out.pcap_00000_20240101000000.gz, a name that no longer says pcap), and
--size has no editcap equivalent. Through pcaptool edit, pieces are cut
after the edits (see its help).

-A and -B split only the packets stamped in [-A, -B), as pcaptool edit -A
-B does before cutting: on a seekable, uncompressed pcap or pcapng file in
time order the first piece is found by binary search on the file rather than
by reading everything before it (see pcaptool edit), with the same pieces as
reading from the start.`,
		Example: `  pcaptool split -c 1000 big.pcapng part.pcapng
  pcaptool split -i 60 day.pcap minute.pcap.zst
  pcaptool split --size 100000000 big.pcapng chunk.pcapng
  pcaptool split -i 60 -A 2024-01-01T12:00:00Z -B 2024-01-01T13:00:00Z day.pcap minute.pcap`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if !split.active() {
				return withExitCode(exitFailure, fmt.Errorf("split: give -c, -i or --size"))
			}
			window, err := timeWindow(start, stop)
			if err != nil {
				return withExitCode(exitFailure, err)
			}
			in, err := openEditInput(args[0], &window)
			if err != nil {
				return withExitCode(exitFailure, err)
			}
			defer in.Close()
			src := pkt.Reader(in)
			if !window.Start.IsZero() || !window.Stop.IsZero() {
				if src, err = convert.NewEdit(in, window); err != nil {
					return withExitCode(exitFailure, err)
				}
			}
			done := progress(quiet, "splitting", in)
			defer done()
			return runSplit(src, in, args[1], &out, &split)
		},
	}
	out.register(cmd)
	split.register(cmd)
	cmd.Flags().BoolVarP(&quiet, "quiet", "q", false, "no progress bar")
	cmd.Flags().StringVarP(&start, "start", "A", "", "split only packets stamped at or after `TIME` (ISO 8601 or Unix seconds)")
	cmd.Flags().StringVarP(&stop, "stop", "B", "", "split only packets stamped before `TIME`")
	return cmd
}

// runSplit writes src into pieces named after outName.
func runSplit(src pkt.Reader, in *capfile.Reader, outName string, out *outputFlags, split *splitFlags) error {
	sopts, err := split.options()
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	if outName == "-" {
		return withExitCode(exitFailure, fmt.Errorf("split output cannot be standard output"))
	}
	wopts, err := out.writerOptions()
	if err != nil {
		return err
	}
	// Format and compression come from the name given, not from the
	// piece names, whose infix hides the extension.
	format, comp := capfile.FromName(outName)
	if wopts.Format == capfile.FormatAuto {
		wopts.Format = format
	}
	if wopts.Format == capfile.FormatAuto {
		wopts.Format = capfile.Pcapng
	}
	if wopts.Compression == capfile.CompressionAuto {
		wopts.Compression = comp
	}
	if wopts.Compression == capfile.CompressionAuto {
		wopts.Compression = capfile.CompressionNone
	}
	if wopts.Format == capfile.Pcap {
		sopts.Size = func(p *pkt.Packet) int64 { return 16 + int64(len(p.Data)) }
		sopts.Overhead = func([]pkt.Interface) int64 { return 24 }
	} else {
		sopts.Size = pcapngPacketSize
		sopts.Overhead = pcapngOverhead
	}
	sink := &fileSink{base: outName, opts: wopts}
	if _, err := convert.Split(src, sopts, sink); err != nil {
		return withExitCode(exitFailure, err)
	}
	return nil
}

func pad4(n int64) int64 { return (n + 3) &^ 3 }

// pcapngPacketSize is the size of the Enhanced Packet Block holding p.
func pcapngPacketSize(p *pkt.Packet) int64 {
	n := 28 + pad4(int64(len(p.Data))) + 4
	if len(p.Options) > 0 {
		for _, o := range p.Options {
			n += 4 + pad4(int64(len(o.Value)))
		}
		n += 4
	}
	return n
}

// pcapngOverhead bounds the section header and interface blocks: a
// section header with a few short options, and each interface block.
func pcapngOverhead(ifaces []pkt.Interface) int64 {
	n := int64(256)
	for _, ifc := range ifaces {
		n += 20 + 4 + 8 + 12 + 4 // block, if_tsresol, if_tsoffset, if_fcslen, end of options
		for _, o := range ifc.Options {
			n += 4 + pad4(int64(len(o.Value)))
		}
	}
	return n
}

// fileSink creates editcap-named pieces through capfile.
type fileSink struct {
	base string
	opts capfile.WriterOptions
}

// pieceName inserts _NNNNN[_YYYYmmddHHMMSS] before the extension of base,
// keeping a compression extension last.
func pieceName(base string, index int, first *pkt.Packet) string {
	dir, file := filepath.Split(base)
	prefix, suffix := file, ""
	if i := strings.LastIndexByte(file, '.'); i >= 0 {
		prefix, suffix = file[:i], file[i:]
		switch strings.ToLower(suffix) {
		case ".gz", ".gzip", ".zst", ".zstd", ".lz4":
			if j := strings.LastIndexByte(prefix, '.'); j >= 0 {
				prefix, suffix = prefix[:j], prefix[j:]+suffix
			}
		}
	}
	name := fmt.Sprintf("%s_%05d", prefix, index)
	// Like editcap, a piece opened by a packet without a timestamp has no
	// time in its name.
	if first != nil && !first.NoTimestamp {
		name += "_" + first.Timestamp.Local().Format("20060102150405")
	}
	return dir + name + suffix
}

func (s *fileSink) Open(index int, first *pkt.Packet) (pkt.Writer, error) {
	name := s.base
	if first != nil {
		name = pieceName(s.base, index, first)
	}
	return capfile.Create(name, s.opts)
}

func (s *fileSink) Close(w pkt.Writer, err error) error {
	cw := w.(*capfile.Writer)
	if err != nil {
		cw.Abort()
		return nil
	}
	return cw.Close()
}
