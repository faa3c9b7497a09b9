package live

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/outfile"
	"github.com/pcaptool/pcaptool/pcapng"
	"github.com/pcaptool/pcaptool/pkt"
)

// ErrRotateNotRegular reports file rotation asked for on a destination that
// is not a regular file (standard output, a device, a FIFO): rotation
// creates and overwrites files by name, which only means something for
// regular files.
var ErrRotateNotRegular = errors.New("live: FileSize and RotateEvery rotate regular files only")

// Output describes the capture files a Session writes, with tcpdump's
// rotation rules (-w, -C, -G, -W).
//
// Without rotation, Name is the file. FileSize starts a new file when the
// current one has grown past FileSize bytes, before the packet that would
// be written: the files are Name, Name1, Name2, ...; with FileCount N they
// are Name0 .. Name<N-1> (numbers zero-padded to the digits N-1 needs),
// reused in a ring so that the newest N files are kept. RotateEvery starts
// a new file every interval, Name then being a Strftime pattern expanded
// with the time the file starts; with FileCount N the session ends after N
// intervals. Both together give each interval's files the size suffixes.
//
// Files are written in place, not through a temporary file, so that they
// can be read while they grow; each ends valid (a pcapng file with an
// Interface Statistics Block) when the session stops.
type Output struct {
	// Name is the file name, "-" for standard output, or a Strftime
	// pattern when RotateEvery is set.
	Name string
	// Format is capfile.Pcap or capfile.Pcapng; capfile.FormatAuto picks
	// pcapng for names ending in .pcapng or .ntar and pcap otherwise, as
	// tcpdump does. Files are never compressed, whatever their name.
	Format capfile.Format
	// Resolution of the timestamps stored: for pcap, pkt.Microsecond
	// (when 0, as tcpdump) or pkt.Nanosecond; pcapng files keep the
	// capture's nanoseconds unless it is set.
	Resolution pkt.Resolution
	// FileSize, when positive, is the size in bytes past which a new
	// file is started (tcpdump -C, which counts millions of bytes).
	FileSize int64
	// RotateEvery, when positive, starts a new file at this interval
	// (tcpdump -G), measured on packet timestamps.
	RotateEvery time.Duration
	// FileCount, when positive, is the number of files in the FileSize
	// ring, or the number of RotateEvery intervals after which the
	// session ends (tcpdump -W).
	FileCount int
	// UserAppl is the pcapng shb_userappl text; "" means "pcaptool capture".
	UserAppl string
	// FileDone, when set, is called with the name of each file once it is
	// complete and closed (tcpdump -z runs a command at that point).
	FileDone func(name string)
}

// rotates reports whether the output names files by size or time.
func (o *Output) rotates() bool { return o.FileSize > 0 || o.RotateEvery > 0 }

// Validate reports an Output that Session.Run would refuse, before a
// capture is opened: missing name, negative limits, a file count without
// rotation, and rotation onto standard output or onto an existing
// destination that is not a regular file (ErrRotateNotRegular).
func (o *Output) Validate() error {
	if err := o.check(); err != nil {
		return err
	}
	if !o.rotates() {
		return nil
	}
	first := o.Name
	if o.RotateEvery > 0 {
		first = Strftime(o.Name, time.Now())
	}
	return checkRotatable(first)
}

// check validates the fields of the output.
func (o *Output) check() error {
	switch {
	case o.Name == "":
		return errors.New("live: output: no file name")
	case o.FileSize < 0 || o.RotateEvery < 0 || o.FileCount < 0:
		return errors.New("live: output: negative file size, interval or file count")
	case o.FileCount > 0 && !o.rotates():
		return errors.New("live: output: a file count needs a file size or an interval")
	case o.rotates() && o.Name == "-":
		return fmt.Errorf("%w, not standard output", ErrRotateNotRegular)
	}
	return nil
}

// format resolves FormatAuto from the name.
func (o *Output) format() capfile.Format {
	if o.Format != capfile.FormatAuto {
		return o.Format
	}
	n := strings.ToLower(o.Name)
	if strings.HasSuffix(n, ".pcapng") || strings.HasSuffix(n, ".ntar") {
		return capfile.Pcapng
	}
	return capfile.Pcap
}

// checkRotatable refuses to rotate onto a destination that outfile would
// not write as a regular file: standard output, or an existing device,
// FIFO, socket or descriptor link (symbolic links are followed).
func checkRotatable(name string) error {
	kind, err := outfile.Inspect(name)
	if err != nil {
		return err
	}
	if kind != outfile.Regular {
		return fmt.Errorf("%w: %s is a %s", ErrRotateNotRegular, name, kind)
	}
	return nil
}

// fileSet writes the packets of one capture to the current file of an
// Output and moves to the next file as tcpdump does.
type fileSet struct {
	h      *Handle
	out    Output
	format capfile.Format
	start  time.Time // the session's start, isb_starttime of every file

	w         *capfile.Writer
	fileStart time.Time
	sizeCount int // FileSize files opened since the last interval began
	timeCount int // intervals begun
	baseName  string
	isb       pcapng.InterfaceStatistics
}

// errFilesDone ends a session whose FileCount intervals have passed.
var errFilesDone = errors.New("live: last file of the rotation done")

func newFileSet(h *Handle, out Output, start time.Time) (*fileSet, error) {
	if err := out.check(); err != nil {
		return nil, err
	}
	if out.UserAppl == "" {
		out.UserAppl = "pcaptool capture"
	}
	f := &fileSet{h: h, out: out, format: out.format(), start: start}
	return f, f.open(start)
}

// name builds tcpdump's file name: the pattern expanded for the file's
// interval, then the size counter, zero-padded to the digits FileCount
// needs, when there is one.
func (f *fileSet) name() string {
	digits := 0
	for x := f.out.FileCount - 1; x > 0; x /= 10 {
		digits++
	}
	if f.out.FileSize == 0 || (f.sizeCount == 0 && digits == 0) {
		return f.baseName
	}
	return fmt.Sprintf("%s%0*d", f.baseName, digits, f.sizeCount)
}

func (f *fileSet) open(start time.Time) error {
	if f.sizeCount == 0 {
		f.fileStart = start
		f.baseName = f.out.Name
		if f.out.RotateEvery > 0 {
			f.baseName = Strftime(f.out.Name, start)
			f.timeCount++
		}
	}
	name := f.name()
	if f.out.rotates() {
		if err := checkRotatable(name); err != nil {
			return err
		}
	}
	res := f.out.Resolution
	if res == 0 && f.format == capfile.Pcap {
		res = pkt.Microsecond
	}
	w, err := capfile.Create(name, capfile.WriterOptions{
		Format:      f.format,
		Compression: capfile.CompressionNone,
		Resolution:  res,
		Section:     pcapng.WriterOptions{OS: OSDescription(), UserAppl: f.out.UserAppl},
		InPlace:     true,
	})
	if err != nil {
		return err
	}
	if err := w.AddInterface(f.h.Interfaces()[0]); err != nil {
		w.Abort()
		return err
	}
	// The header goes to the file at once: a capture is readable while it
	// grows, even before its first packet.
	if err := w.Flush(); err != nil {
		w.Abort()
		return err
	}
	f.w = w
	return nil
}

// rotate opens the next file when the interval or the size is reached by
// a packet stamped ts, before it is written, as tcpdump does. It reports
// whether a new file was opened, and errFilesDone when the last interval
// has passed.
func (f *fileSet) rotate(ts time.Time, delivered uint64) (bool, error) {
	if f.out.RotateEvery > 0 && ts.Sub(f.fileStart) >= f.out.RotateEvery {
		if f.out.FileCount > 0 && f.timeCount >= f.out.FileCount {
			return false, errFilesDone
		}
		if err := f.close(f.stats(), delivered); err != nil {
			return false, err
		}
		f.sizeCount = 0
		return true, f.open(ts)
	}
	if f.out.FileSize > 0 && f.w.Size() > f.out.FileSize {
		if err := f.close(f.stats(), delivered); err != nil {
			return false, err
		}
		f.sizeCount++
		if f.out.FileCount > 0 && f.sizeCount >= f.out.FileCount {
			f.sizeCount = 0
		}
		return true, f.open(f.fileStart)
	}
	return false, nil
}

// stats are the counters a closing file records; a failure to read them
// leaves the last known ones, which are still true.
func (f *fileSet) stats() Stats {
	st, _ := f.h.Stats()
	return st
}

func (f *fileSet) WritePacket(p *pkt.Packet) error { return f.w.WritePacket(p) }

func (f *fileSet) Flush() error { return f.w.Flush() }

// close ends the current file: a pcapng file gets an Interface Statistics
// Block with the capture's counters so far.
func (f *fileSet) close(st Stats, delivered uint64) error {
	w := f.w
	if w == nil {
		return nil
	}
	f.w = nil
	if err := f.writeStatistics(w, st, delivered); err != nil {
		w.Abort()
		return fmt.Errorf("%s: %w", w.Name(), err)
	}
	if err := w.Close(); err != nil {
		return err
	}
	if f.out.FileDone != nil {
		f.out.FileDone(w.Name())
	}
	return nil
}

func (f *fileSet) writeStatistics(w *capfile.Writer, st Stats, delivered uint64) error {
	pw := w.Pcapng()
	if pw == nil {
		return nil // a pcap file has no place for them
	}
	now, err := pw.TimestampUnits(0, time.Now())
	if err != nil {
		return err
	}
	start, err := pw.TimestampUnits(0, f.start)
	if err != nil {
		return err
	}
	isb := &f.isb
	isb.InterfaceID, isb.Timestamp = 0, now
	isb.SetStartTime(start)
	isb.SetEndTime(now)
	isb.SetReceived(st.Received)
	isb.SetInterfaceDropped(st.InterfaceDropped)
	isb.SetFilterAccepted(st.Received)
	isb.SetOSDropped(st.Dropped)
	isb.SetDelivered(delivered)
	return pw.WriteStatistics(isb)
}
