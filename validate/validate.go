package validate

import (
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"time"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/outfile"
	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pcapng"
)

// Severity says how bad a finding is.
type Severity uint8

// Severities. An Error means a reader such as Wireshark or libpcap stops or
// loses data there; a Warning means the file is readable but unusual or
// against the specification.
const (
	Warning Severity = iota + 1
	Error
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return fmt.Sprintf("severity(%d)", uint8(s))
}

// MarshalText encodes the severity as "error" or "warning".
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes "error" or "warning".
func (s *Severity) UnmarshalText(b []byte) error {
	switch string(b) {
	case "error":
		*s = Error
	case "warning":
		*s = Warning
	default:
		return fmt.Errorf("validate: unknown severity %q", b)
	}
	return nil
}

// Finding codes: a stable, short name for each kind of problem, for tools
// that filter findings.
const (
	CodeMagic           = "magic"            // not a pcap or pcapng file
	CodeHeader          = "file-header"      // pcap file header problem
	CodeVersion         = "version"          // unsupported or unusual format version
	CodeByteOrder       = "byte-order"       // bad pcapng byte-order magic
	CodeBlockLength     = "block-length"     // bad pcapng block total length
	CodeTrailingLength  = "trailing-length"  // trailing length differs from leading
	CodeTruncated       = "truncated"        // file ends inside a block or record
	CodeGarbage         = "garbage"          // bytes after the last block or record
	CodeSkipped         = "skipped"          // bytes skipped to re-synchronise
	CodeBody            = "block-body"       // block body too short or inconsistent
	CodeOption          = "option"           // malformed option
	CodeOptionValue     = "option-value"     // option value of the wrong size
	CodePadding         = "padding"          // non-zero padding bytes
	CodeRecord          = "name-record"      // malformed name resolution record
	CodeInterfaceID     = "interface-id"     // interface id out of range
	CodeNoInterface     = "no-interface"     // packet before any interface
	CodeCaptureLength   = "capture-length"   // captured length impossible
	CodeSnapLen         = "snaplen"          // captured length above the snap length
	CodeOriginalLength  = "original-length"  // captured length above the original length
	CodeSectionLength   = "section-length"   // SHB section length does not match
	CodeTimestamp       = "timestamp"        // malformed timestamp field
	CodeTimeOrder       = "time-order"       // --strict: packet earlier than the previous
	CodeLinkType        = "link-type"        // --strict: unknown link type
	CodeDuplicate       = "duplicate"        // --strict: packet identical to a recent one
	CodeUnknownBlock    = "unknown-block"    // --strict: block type this tool does not know
	CodeLinkTypeField   = "link-type-field"  // pcap link-type field with reserved bits set
	CodeEndOfOptions    = "end-of-options"   // odd opt_endofopt
	CodeNameRecordsOpen = "name-records-end" // NRB without nrb_record_end
)

// Finding is one problem found in a file.
type Finding struct {
	Severity Severity `json:"severity"`
	// Code names the kind of problem (the Code* constants).
	Code string `json:"code"`
	// Offset is the byte offset in the (decompressed) file where the
	// problem is: the start of the block or record, or of the field inside
	// it when that is more precise.
	Offset int64 `json:"offset"`
	// Block is the 0-based index of the pcapng block or pcap record (the
	// pcap file header is -1); -1 when the finding is about no block.
	Block int `json:"block"`
	// Packet is the 0-based index of the packet among the packets read,
	// or -1 when the block is not a packet.
	Packet  int    `json:"packet"`
	Message string `json:"message"`
}

// String formats the finding as "error: offset N: block B, packet P: message".
func (f Finding) String() string {
	where := ""
	switch {
	case f.Block >= 0 && f.Packet >= 0:
		where = fmt.Sprintf("block %d, packet %d: ", f.Block, f.Packet)
	case f.Block >= 0:
		where = fmt.Sprintf("block %d: ", f.Block)
	}
	return fmt.Sprintf("%s: offset %d: %s%s", f.Severity, f.Offset, where, f.Message)
}

// Region is a run of bytes that was not kept.
type Region struct {
	Offset int64  `json:"offset"`
	Length int64  `json:"length"`
	Reason string `json:"reason"`
}

// Dropped counts what a repair leaves out.
type Dropped struct {
	// Blocks counts whole blocks (pcapng) or records (pcap) left out,
	// including packets.
	Blocks int `json:"blocks"`
	// Packets counts the packets among them.
	Packets int `json:"packets"`
	// Bytes is the number of input bytes not copied.
	Bytes int64 `json:"bytes"`
	// Regions lists where (at most Options.MaxFindings of them).
	Regions []Region `json:"regions"`
}

// Report is the result of validating one file.
type Report struct {
	Name string `json:"file"`
	// Format is "pcap", "pcapng" or "unknown".
	Format      string `json:"format"`
	Compression string `json:"compression"`
	// Size is the number of (decompressed) bytes examined.
	Size int64 `json:"size"`
	// Blocks is the number of pcapng blocks or pcap records found sound
	// enough to step over.
	Blocks int `json:"blocks"`
	// Packets is the number of packet blocks or records among them.
	Packets int `json:"packets"`
	// UsablePackets counts the packets a reader can use: those a repair
	// keeps.
	UsablePackets int       `json:"usable_packets"`
	Errors        int       `json:"errors"`
	Warnings      int       `json:"warnings"`
	Findings      []Finding `json:"findings"`
	// FindingsOmitted counts findings beyond Options.MaxFindings, which
	// are counted in Errors and Warnings but not listed.
	FindingsOmitted int `json:"findings_omitted,omitempty"`
	// Dropped is what a repair (or a reader that skips what is broken)
	// leaves out.
	Dropped Dropped `json:"dropped"`
}

// Clean reports whether the file has no findings at all.
func (r *Report) Clean() bool { return r.Errors == 0 && r.Warnings == 0 }

// MarshalJSON keeps Findings an array (never null) in the output.
func (r *Report) MarshalJSON() ([]byte, error) {
	type plain Report
	p := plain(*r)
	if p.Findings == nil {
		p.Findings = []Finding{}
	}
	if p.Dropped.Regions == nil {
		p.Dropped.Regions = []Region{}
	}
	return json.Marshal(p)
}

// Options tune a validation.
type Options struct {
	// Strict adds the checks that a readable file can still fail:
	// timestamps in order, known link types, duplicate packets, unknown
	// block types.
	Strict bool
	// MaxFindings caps the findings listed in the report (they are all
	// counted); 0 means 1000.
	MaxFindings int
	// DuplicateWindow is how many previous packets a packet is compared
	// with in strict mode; 0 means 8.
	DuplicateWindow int
	// MaxBlockSize is the largest pcapng block (or pcap record) accepted;
	// 0 means pcapng.DefaultMaxBlockSize.
	MaxBlockSize int
	// WindowSize is the read size and the initial look-ahead of the
	// checker; 0 means DefaultWindowSize. The look-ahead grows to the
	// largest block wanted whatever its value; tests set it tiny so that
	// every block and every resync crosses a refill.
	WindowSize int
	// Keep, when set, receives the bytes of every block or record that a
	// reader can use, in file order, starting with the file header or
	// section header; a block with a repairable problem arrives repaired.
	// The slice is valid only during the call. Repair writes them out.
	Keep func(b []byte) error
	// OutputGroup, when set, collects the output Repair writes until it
	// is committed, so that a signal handler can discard it.
	OutputGroup *outfile.Group
}

// ErrNotCapture is returned by Repair for input that is neither pcap nor
// pcapng.
var ErrNotCapture = errors.New("validate: not a pcap or pcapng file")

// File validates the named file ("-" for standard input); compressed files
// are decompressed first. The error is only for a file that cannot be
// opened or read; problems in the content are findings.
func File(name string, opts Options) (*Report, error) {
	r, err := capfile.OpenRaw(name)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	rep, err := Reader(r, opts)
	if rep != nil {
		rep.Name = name
		rep.Compression = r.Compression().String()
	}
	if err != nil {
		return rep, fmt.Errorf("%s: %w", name, err)
	}
	return rep, nil
}

// Reader validates the capture file read from r. The error is only for a
// failure to read; problems in the content are findings in the report.
func Reader(r io.Reader, opts Options) (*Report, error) {
	c := newChecker(r, opts)
	head := c.w.peek(0, 4)
	switch {
	case pcap.IsPcap(head):
		c.rep.Format = "pcap"
		c.pcap()
	case pcapng.IsPcapng(head):
		c.rep.Format = "pcapng"
		c.pcapng()
	default:
		if hdr, ok := c.guessPcap(); ok {
			c.rep.Format = "pcap"
			c.pcapRebuilt(hdr)
			break
		}
		if c.guessPcapng() {
			c.rep.Format = "pcapng"
			c.pcapng()
			break
		}
		c.rep.Format = "unknown"
		if len(head) < 4 && c.w.err == nil {
			c.add(Error, CodeMagic, 0, -1, -1, "file has %d bytes, too few for a capture file", len(head))
		} else if c.w.err == nil {
			c.add(Error, CodeMagic, 0, -1, -1, "unknown magic number %02x%02x%02x%02x: not a pcap or pcapng file",
				head[0], head[1], head[2], head[3])
		}
	}
	if c.w.err != nil {
		return &c.rep, c.w.err
	}
	if c.keepErr != nil {
		return &c.rep, c.keepErr
	}
	return &c.rep, nil
}

// guessSpan is how far into input with an unknown magic number a pcapng
// block is looked for before the input is declared no capture.
const guessSpan = 64 << 10

// checker holds what both format checkers share.
type checker struct {
	w       *window
	opts    Options
	rep     Report
	keepErr error

	// strict-mode state
	lastTime  time.Time
	haveTime  bool
	dupSeed   maphash.Seed
	dupHashes []dupEntry
	dupNext   int
}

type dupEntry struct {
	hash   uint64
	length int
	packet int
}

func newChecker(r io.Reader, opts Options) *checker {
	if opts.MaxFindings <= 0 {
		opts.MaxFindings = 1000
	}
	if opts.DuplicateWindow <= 0 {
		opts.DuplicateWindow = 8
	}
	if opts.MaxBlockSize <= 0 {
		opts.MaxBlockSize = pcapng.DefaultMaxBlockSize
	}
	c := &checker{w: newWindow(r, opts.WindowSize), opts: opts}
	c.rep.Compression = capfile.CompressionNone.String()
	if opts.Strict {
		c.dupSeed = maphash.MakeSeed()
		c.dupHashes = make([]dupEntry, 0, opts.DuplicateWindow)
	}
	return c
}

func (c *checker) add(sev Severity, code string, off int64, block, packet int, format string, args ...any) {
	if sev == Error {
		c.rep.Errors++
	} else {
		c.rep.Warnings++
	}
	if len(c.rep.Findings) >= c.opts.MaxFindings {
		c.rep.FindingsOmitted++
		return
	}
	c.rep.Findings = append(c.rep.Findings, Finding{Severity: sev, Code: code, Offset: off, Block: block,
		Packet: packet, Message: fmt.Sprintf(format, args...)})
}

// keep hands sound bytes to Options.Keep.
func (c *checker) keep(b []byte) {
	if c.opts.Keep == nil || c.keepErr != nil {
		return
	}
	c.keepErr = c.opts.Keep(b)
}

// drop records bytes that a repair leaves out.
func (c *checker) drop(off, n int64, blocks, packets int, reason string) {
	d := &c.rep.Dropped
	d.Blocks += blocks
	d.Packets += packets
	d.Bytes += n
	if len(d.Regions) < c.opts.MaxFindings {
		d.Regions = append(d.Regions, Region{Offset: off, Length: n, Reason: reason})
	}
}

// packetSeen runs the strict per-packet checks.
func (c *checker) packetSeen(off int64, block, packet int, ts time.Time, hasTime bool, data []byte) {
	if !c.opts.Strict {
		return
	}
	if hasTime {
		if c.haveTime && ts.Before(c.lastTime) {
			c.add(Warning, CodeTimeOrder, off, block, packet, "timestamp %s is %s earlier than the previous packet's",
				ts.UTC().Format(time.RFC3339Nano), c.lastTime.Sub(ts))
		}
		c.lastTime, c.haveTime = ts, true
	}
	if len(data) == 0 {
		return
	}
	h := maphash.Bytes(c.dupSeed, data)
	for _, e := range c.dupHashes {
		if e.hash == h && e.length == len(data) {
			c.add(Warning, CodeDuplicate, off, block, packet, "packet data (%d bytes) is identical to packet %d's",
				len(data), e.packet)
			break
		}
	}
	e := dupEntry{hash: h, length: len(data), packet: packet}
	if len(c.dupHashes) < cap(c.dupHashes) {
		c.dupHashes = append(c.dupHashes, e)
	} else {
		c.dupHashes[c.dupNext] = e
		c.dupNext = (c.dupNext + 1) % len(c.dupHashes)
	}
}

func pad4(n int) int { return (n + 3) &^ 3 }

func allZero(b []byte) bool {
	for _, x := range b {
		if x != 0 {
			return false
		}
	}
	return true
}
