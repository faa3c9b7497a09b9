package main

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/convert"
	"github.com/pcaptool/pcaptool/filter"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

func init() { rootCmd.AddCommand(newEditCmd()) }

// encapNames maps Wireshark's encapsulation short names (editcap -T) to
// link types.
var encapNames = map[string]linktype.LinkType{
	"null": linktype.Null, "ether": linktype.Ethernet, "ppp": linktype.PPP, "fddi": linktype.FDDI,
	"ppp-with-direction": 204, "rawip": linktype.Raw, "rawip4": linktype.IPv4, "rawip6": linktype.IPv6,
	"chdlc": linktype.CHDLC, "ieee-802-11": linktype.IEEE80211, "loop": linktype.Loop,
	"linux-sll": linktype.LinuxSLL, "linux-sll2": linktype.LinuxSLL2, "pflog": linktype.PFLog,
	"ieee-802-11-radiotap": linktype.Radiotap, "ieee-802-11-prism": 119, "ieee-802-11-ppi": linktype.PPI,
	"usb-linux": linktype.USBLinux, "usb-linux-mmap": linktype.USBMmapped, "usbpcap": linktype.USBPcap,
	"dbus": linktype.DBus, "nflog": linktype.NFLog, "netlink": linktype.Netlink, "sunatm": linktype.SunATM,
	"frelay": 107, "tr": 6, "ax25": 3, "slip": 8, "arcnet": 7, "ipfc": 122, "mtp2": 140, "mtp3": 141,
	"sccp": 142, "docsis": 143, "bluetooth-h4": 187, "bluetooth-h4-linux": 201, "ipnet": 226,
	"can20b": 190, "socketcan": 227, "erf": 197, "wpan": 195, "wpan-nofcs": 230, "juniper-ether": 178,
	"ebhscr": linktype.EBHSCR, "vpp": 280, "ppp-ether": linktype.PPPoE, "ppp-hdlc": linktype.PPPHDLC,
}

// parseEncap accepts a Wireshark encapsulation name (ether, rawip,
// linux-sll, user0..user15), a libpcap name (EN10MB, LINUX_SLL) or a
// LINKTYPE_ number.
func parseEncap(s string) (linktype.LinkType, error) {
	l := strings.ToLower(s)
	if lt, ok := encapNames[l]; ok {
		return lt, nil
	}
	if rest, ok := strings.CutPrefix(l, "user"); ok {
		if n, err := strconv.Atoi(rest); err == nil && n >= 0 && n <= 15 {
			return linktype.LinkType(147 + n), nil
		}
	}
	lt, err := linktype.Parse(s)
	if err != nil {
		return 0, fmt.Errorf("-T %q: unknown encapsulation (try ether, rawip, linux-sll, a libpcap name or a LINKTYPE_ number)", s)
	}
	return lt, nil
}

type editFlags struct {
	keep        bool
	start, stop string
	snap        int
	chops       []string
	adjust      bool
	shift       string
	strict      string
	dedup       bool
	dupWindow   int
	dupTime     string
	ignore      int
	encap       string
	comments    []string
	filter      string
	quiet       bool
}

func newEditCmd() *cobra.Command {
	var (
		f     editFlags
		out   outputFlags
		split splitFlags
	)
	cmd := &cobra.Command{
		Use:   "edit [flags] IN OUT [N | N-M ...]",
		Short: "Select, trim, shift, deduplicate and annotate packets (editcap)",
		Long: `Edit a capture as editcap does: packets numbered N or in N-M (1-based, "N-0"
to the end) are dropped, or with -r the only ones kept; then -f keeps the
packets matching a pcap-filter expression (as tcpdump -r IN -w OUT EXPR; an
extension editcap lacks), -A/-B keep a time window, -S and -t adjust
timestamps, -s and -C shorten packets, -T relabels the link type, -d/-D/-w
drop duplicates (MD5 of the captured bytes after -I ignored bytes, and the
captured length), -a adds comments. Packet numbers in the selection and in
-a count the input's packets.

Packets without a timestamp (pcapng simple packet blocks) are left alone by
-S, -t and -w and never fall inside an -A/-B window, as in editcap; they are
written with timestamp 0.

With -c, -i or --size the output is split into pieces (see pcaptool split).

Differences from editcap 4.0:
  - Splitting: editcap starts a new piece before it decides whether to keep
    the packet at hand; pcaptool splits the edited stream, so a piece is only
    ever started by a packet that is written (editcap can leave a piece
    empty, or name it after a packet it then drops), and -i compares
    timestamps after -S and -t (editcap: before).
  - A timestamp that -t moves before 1970 is an error; editcap writes it as a
    huge unsigned number.
  - -a also comments packets read from simple packet blocks; editcap drops
    those comments.
  - Packet numbers count packets only; Wireshark also numbers pcapng custom
    blocks as records.`,
		Example: `  pcaptool edit in.pcapng out.pcapng 1-10         # drop packets 1 to 10
  pcaptool edit -r in.pcap out.pcap 100-0          # keep packet 100 onwards
  pcaptool edit -A 2024-01-01T10:00:00Z -B 2024-01-01T11:00:00Z in.pcapng hour.pcapng
  pcaptool edit -t -3600 -S 0 in.pcap fixed.pcap
  pcaptool edit -d -I 26 in.pcapng dedup.pcapng
  pcaptool edit -a 5:"retransmission" in.pcapng annotated.pcapng
  pcaptool edit -f "tcp port 443" -s 96 in.pcapng tls-headers.pcapng`,
		Args: cobra.MinimumNArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			dup := cmd.Flags().Changed("dup-window")
			return runEdit(args, &f, dup, &out, &split)
		},
	}
	fl := cmd.Flags()
	fl.BoolVarP(&f.keep, "reverse", "r", false, "keep the selected packets instead of dropping them")
	fl.StringVarP(&f.start, "start", "A", "", "keep packets stamped at or after `TIME` (ISO 8601 or Unix seconds)")
	fl.StringVarP(&f.stop, "stop", "B", "", "keep packets stamped before `TIME`")
	fl.IntVarP(&f.snap, "snaplen", "s", 0, "truncate packets to `N` bytes")
	fl.StringArrayVarP(&f.chops, "chop", "C", nil, "remove `[OFFSET:]LEN` bytes: positive from the start, negative from the end (repeatable)")
	fl.BoolVarP(&f.adjust, "adjust-length", "L", false, "make -s and -C shrink the original length too")
	fl.StringVarP(&f.shift, "time-shift", "t", "", "add `[-]SECONDS[.FRACTION]` to every timestamp")
	fl.StringVarP(&f.strict, "strict-time", "S", "", "make timestamps non-decreasing: earlier packets get the previous time + `[-]SECONDS` (negative: every packet)")
	fl.BoolVarP(&f.dedup, "dedup", "d", false, "drop duplicates among the previous 4 packets (-D 5)")
	fl.IntVarP(&f.dupWindow, "dup-window", "D", 0, "drop duplicates among the previous `N`-1 packets (0 to 1000000)")
	fl.StringVarP(&f.dupTime, "dup-time", "w", "", "drop duplicates of packets at most `SECONDS` earlier")
	fl.IntVarP(&f.ignore, "ignore-bytes", "I", 0, "ignore the first `N` bytes of each packet when comparing duplicates")
	fl.StringVarP(&f.encap, "encapsulation", "T", "", "set the link type of every interface (ether, rawip, linux-sll, ... or a number)")
	fl.StringArrayVarP(&f.comments, "comment", "a", nil, "add comment to packet: `N:TEXT` (repeatable; the last for a packet wins)")
	fl.StringVarP(&f.filter, "filter", "f", "", "keep only packets matching the pcap-filter `EXPR` (tcpdump syntax)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress bar")
	out.register(cmd)
	split.register(cmd)
	return cmd
}

func (f *editFlags) options(ranges []string, dupWindowSet bool) (convert.EditOptions, error) {
	var o convert.EditOptions
	for _, s := range ranges {
		r, err := convert.ParseRange(s)
		if err != nil {
			return o, err
		}
		o.Ranges = append(o.Ranges, r)
	}
	o.Keep = f.keep
	if f.keep && len(o.Ranges) == 0 {
		return o, fmt.Errorf("-r needs packet numbers to keep")
	}
	window, err := timeWindow(f.start, f.stop)
	if err != nil {
		return o, err
	}
	o.Start, o.Stop = window.Start, window.Stop
	if f.shift != "" {
		if o.Shift, err = convert.ParseOffset(f.shift); err != nil {
			return o, err
		}
	}
	if f.strict != "" {
		s, err := convert.ParseOffset(f.strict)
		if err != nil {
			return o, err
		}
		o.Strict = &s
	}
	if f.snap < 0 {
		return o, fmt.Errorf("-s %d: want a positive snap length", f.snap)
	}
	o.SnapLen = f.snap
	o.AdjustLength = f.adjust
	for _, c := range f.chops {
		off, n, err := parseChop(c)
		if err != nil {
			return o, err
		}
		o.Chop.Add(off, n)
	}
	if f.encap != "" {
		lt, err := parseEncap(f.encap)
		if err != nil {
			return o, err
		}
		o.LinkType = &lt
	}
	switch {
	case f.dupTime != "":
		w, err := convert.ParseOffset(f.dupTime)
		if err != nil {
			return o, err
		}
		w.Negative = false // editcap ignores a sign here
		o.Dedup = &convert.DedupOptions{ByTime: true, TimeWindow: w.Duration(), IgnoreBytes: f.ignore}
	case dupWindowSet:
		o.Dedup = &convert.DedupOptions{Window: f.dupWindow, IgnoreBytes: f.ignore}
	case f.dedup:
		o.Dedup = &convert.DedupOptions{Window: 5, IgnoreBytes: f.ignore}
	}
	if f.ignore < 0 {
		return o, fmt.Errorf("-I %d: want a non-negative byte count", f.ignore)
	}
	for _, a := range f.comments {
		num, text, ok := strings.Cut(a, ":")
		n, err := strconv.ParseUint(num, 10, 64)
		if !ok || err != nil || n == 0 {
			return o, fmt.Errorf("-a %q: want FRAME:COMMENT with FRAME a packet number", a)
		}
		if len(text) > math.MaxUint16-4 {
			return o, fmt.Errorf("-a %q: comment longer than a pcapng option holds", num)
		}
		if o.Comments == nil {
			o.Comments = map[uint64]string{}
		}
		o.Comments[n] = text
	}
	return o, nil
}

func runEdit(args []string, f *editFlags, dupWindowSet bool, out *outputFlags, split *splitFlags) error {
	opts, err := f.options(args[2:], dupWindowSet)
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	in, err := openEditInput(args[0], &opts)
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	defer in.Close()
	if f.filter != "" {
		fopts := filter.Options{}
		if p := in.Pcap(); p != nil {
			fopts.NullByteOrder = p.Header().ByteOrder
		}
		// Parse now so that a syntax error is reported before any output
		// is created.
		if _, err := filter.NewStreamFilterOptions(in, f.filter, fopts); err != nil {
			return withExitCode(exitFailure, filterError(err))
		}
		opts.Filter = func(r pkt.Reader) (pkt.Reader, error) {
			return filter.NewStreamFilterOptions(r, f.filter, fopts)
		}
	}
	r, err := convert.NewEdit(in, opts)
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	done := progress(f.quiet, "editing", in)
	defer done()
	if split.active() {
		err = runSplit(r, in, args[1], out, split)
	} else {
		err = copyTo(r, args[1], out, in)
	}
	if err != nil {
		return err
	}
	if d, ok := r.(*convert.Dedup); ok && !f.quiet {
		fmt.Fprintf(os.Stderr, "%d duplicate packets dropped\n", d.Dropped())
	}
	return nil
}

// timeWindow parses -A and -B (either may be empty: no bound) into the
// edit options that keep packets stamped in [start, stop).
func timeWindow(start, stop string) (convert.EditOptions, error) {
	var o convert.EditOptions
	var err error
	if start != "" {
		if o.Start, err = convert.ParseTime(start); err != nil {
			return o, err
		}
	}
	if stop != "" {
		if o.Stop, err = convert.ParseTime(stop); err != nil {
			return o, err
		}
	}
	if !o.Start.IsZero() && !o.Stop.IsZero() && o.Start.After(o.Stop) {
		return o, fmt.Errorf("start time is after the stop time")
	}
	return o, nil
}

// openEditInput opens the input; with -A and no option that counts
// packets from the start of the file, by seeking to the start time
// (capfile.OpenFrom), which also lets the window stop at -B.
func openEditInput(name string, opts *convert.EditOptions) (*capfile.Reader, error) {
	if opts.Start.IsZero() || len(opts.Ranges) > 0 || opts.Keep || len(opts.Comments) > 0 {
		return openCapture(name)
	}
	ropts, err := readerOptions()
	if err != nil {
		return nil, err
	}
	in, res, err := capfile.OpenFrom(name, opts.Start, capfile.SeekOptions{ReaderOptions: ropts})
	if err != nil {
		return nil, err
	}
	opts.Ordered = res.Seeked
	return in, nil
}

// filterError adds the caret line under a syntax error's position.
func filterError(err error) error {
	var se *filter.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("-f: %w\n%s", err, se.Caret())
	}
	return fmt.Errorf("-f: %w", err)
}

// copyTo writes r to the named output through capfile: a temporary file
// renamed into place only when everything succeeded. Packets read from
// the inputs are written without copying their bytes (capfile.Writer.Borrow).
func copyTo(r pkt.Reader, name string, out *outputFlags, inputs ...*capfile.Reader) error {
	w, err := out.create(name)
	if err != nil {
		return withExitCode(exitFailure, err)
	}
	defer w.Abort()
	for _, in := range inputs {
		w.Borrow(in)
	}
	if _, err := pkt.Copy(w, r); err != nil {
		return withExitCode(exitFailure, err)
	}
	return closeOutput(w)
}

// parseChop parses editcap's -C argument, "[offset:]length".
func parseChop(arg string) (off, n int, err error) {
	offStr, lenStr, hasOff := strings.Cut(arg, ":")
	if !hasOff {
		lenStr, offStr = offStr, "0"
	}
	off, err1 := strconv.Atoi(strings.TrimSpace(offStr))
	n, err2 := strconv.Atoi(strings.TrimSpace(lenStr))
	if err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("-C %q: want a length or offset:length", arg)
	}
	return off, n, nil
}
