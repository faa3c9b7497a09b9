package inspect

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pcapng"
	"github.com/pcaptool/pcaptool/pkt"
)

// Hash algorithms Summarize can compute.
var HashAlgorithms = []string{"sha256", "sha1", "md5"}

// ErrHash reports an unknown hash algorithm name.
var ErrHash = errors.New("inspect: unknown hash algorithm (want sha256, sha1 or md5)")

// Options tune Summarize.
type Options struct {
	// Hashes names the digests of the stored file to compute: "sha256",
	// "sha1", "md5".
	Hashes []string
	// MaxComments caps the packet comments listed (all are counted); 0
	// means 100, a negative value lists none.
	MaxComments int
	// Progress, when set, is updated with the number of stored bytes
	// read so far, for a progress display in another goroutine.
	Progress *atomic.Int64
	// MaxPacketSize caps one pcap record's capture length or one pcapng
	// block's length, as capfile.ReaderOptions does; 0 means the default.
	MaxPacketSize int
}

// Summarize reads the named capture file ("-" for standard input) and
// returns its summary. A file that cannot be opened or is not a capture
// gives an error and no summary; a file damaged part way gives the summary
// of what was read, with Summary.Error set, and an error too.
func Summarize(name string, opts Options) (*Summary, error) {
	var f *os.File
	size := int64(-1)
	if name == "-" {
		f = os.Stdin
	} else {
		var err error
		if f, err = os.Open(name); err != nil {
			return nil, err
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			size = st.Size()
		}
	}
	s, err := summarize(f, name, opts, size >= 0)
	if s != nil && size >= 0 {
		s.FileSize = size
	}
	return s, err
}

// SummarizeReader is Summarize for an open stream; name is used in the
// summary and in errors. The whole stream is read (for the hashes and the
// size) even when the capture ends early.
func SummarizeReader(r io.Reader, name string, opts Options) (*Summary, error) {
	return summarize(r, name, opts, false)
}

// summarize is SummarizeReader; readAhead says r is a regular file, whose
// reads never wait for long.
func summarize(r io.Reader, name string, opts Options, readAhead bool) (*Summary, error) {
	if opts.MaxComments == 0 {
		opts.MaxComments = 100
	}
	src := &sourceReader{r: r, progress: opts.Progress}
	for _, alg := range opts.Hashes {
		var h hash.Hash
		switch strings.ToLower(alg) {
		case "sha256":
			h = sha256.New()
		case "sha1":
			h = sha1.New()
		case "md5":
			h = md5.New()
		default:
			return nil, fmt.Errorf("%w: %q", ErrHash, alg)
		}
		src.hashes = append(src.hashes, namedHash{strings.ToLower(alg), h})
	}
	in, err := capfile.NewReader(src, name, capfile.ReaderOptions{MaxPacketSize: opts.MaxPacketSize, ReadAhead: readAhead})
	if err != nil {
		return nil, err
	}
	defer in.Close()
	a := newAccumulator(name, opts)
	a.s.Compression = in.Compression().String()
	if p := in.Pcap(); p != nil {
		err = a.readPcap(p)
	} else {
		err = a.readPcapng(in.Pcapng().Blocks())
	}
	if err != nil {
		a.s.Error = err.Error()
		err = fmt.Errorf("%s: %w", name, err)
	}
	// Hash and count what the capture readers did not consume.
	if _, derr := io.Copy(io.Discard, src); derr != nil && err == nil {
		err = fmt.Errorf("%s: %w", name, derr)
	}
	a.finish()
	a.s.FileSize = src.n
	if len(src.hashes) > 0 {
		a.s.Hashes = map[string]string{}
		for _, h := range src.hashes {
			a.s.Hashes[h.name] = hex.EncodeToString(h.h.Sum(nil))
		}
	}
	return &a.s, err
}

type namedHash struct {
	name string
	h    hash.Hash
}

// sourceReader sits under every buffer and decompressor, so it sees the
// file as stored: it counts and hashes it.
type sourceReader struct {
	r        io.Reader
	n        int64
	hashes   []namedHash
	progress *atomic.Int64
}

func (s *sourceReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if n > 0 {
		s.n += int64(n)
		for _, h := range s.hashes {
			h.h.Write(p[:n])
		}
		if s.progress != nil {
			s.progress.Store(s.n)
		}
	}
	return n, err
}

// ifaceState is what the packet loop needs per interface.
type ifaceState struct {
	ups       uint64 // units per second; 0 when too fine for 64 bits
	offset    int64
	digits    int
	linkIndex int // index in Summary.LinkTypes
}

type accumulator struct {
	s    Summary
	opts Options

	ifaces        []ifaceState
	sectionFirst  int // global index of the current section's interface 0
	haveTime      bool
	minTime       time.Time
	maxTime       time.Time
	minDigits     int
	maxDigits     int
	prevTime      time.Time
	order         int // 0 in order, 1 not in order, 2 unknown
	orders        map[string]bool
	blockCounts   [16]int // by small block type; others in the map
	snapMin       uint32
	snapMax       uint32
	linkTypeIndex map[linktype.LinkType]int
}

func newAccumulator(name string, opts Options) *accumulator {
	a := &accumulator{opts: opts, snapMin: ^uint32(0), orders: map[string]bool{},
		linkTypeIndex: map[linktype.LinkType]int{}}
	a.s.File = name
	a.s.Blocks = map[string]int{}
	a.s.TimesKnown = true
	a.s.LinkTypes = []LinkTypeCount{}
	a.s.Sections = []Section{}
	a.s.Interfaces = []Interface{}
	a.s.PacketComments = []PacketComment{}
	return a
}

// packet accounts for one packet; hasTime is false for packets without a
// timestamp.
func (a *accumulator) packet(iface int, capLen, origLen uint32, ts time.Time, hasTime bool) {
	s := &a.s
	s.Packets++
	s.DataBytes += uint64(origLen)
	s.CapturedBytes += uint64(capLen)
	if capLen < origLen {
		s.TruncatedPackets++
		a.snapMin = min(a.snapMin, capLen)
		a.snapMax = max(a.snapMax, capLen)
	}
	if iface >= 0 && iface < len(a.ifaces) {
		s.Interfaces[iface].Packets++
		s.LinkTypes[a.ifaces[iface].linkIndex].Packets++
	}
	if !hasTime {
		a.untimedRecord()
		return
	}
	digits := 0
	if iface >= 0 && iface < len(a.ifaces) {
		digits = a.ifaces[iface].digits
	}
	if !a.haveTime {
		a.haveTime = true
		a.minTime, a.maxTime, a.prevTime = ts, ts, ts
		a.minDigits, a.maxDigits = digits, digits
		return
	}
	if ts.Before(a.prevTime) {
		a.order = 1
	}
	a.prevTime = ts
	if ts.Before(a.minTime) {
		a.minTime, a.minDigits = ts, digits
	}
	if ts.After(a.maxTime) {
		a.maxTime, a.maxDigits = ts, digits
	}
}

// untimedRecord notes a record without a timestamp.
func (a *accumulator) untimedRecord() {
	a.s.TimesKnown = false
	if a.order != 1 {
		a.order = 2
	}
}

// addInterface registers an interface and returns its global index.
func (a *accumulator) addInterface(ifc Interface, st ifaceState) {
	lt := linktype.LinkType(ifc.LinkType)
	i, ok := a.linkTypeIndex[lt]
	if !ok {
		i = len(a.s.LinkTypes)
		a.linkTypeIndex[lt] = i
		a.s.LinkTypes = append(a.s.LinkTypes, LinkTypeCount{LinkType: ifc.LinkType, Name: lt.Name()})
	}
	st.linkIndex = i
	ifc.Index = len(a.s.Interfaces)
	a.s.Interfaces = append(a.s.Interfaces, ifc)
	a.ifaces = append(a.ifaces, st)
}

func (a *accumulator) readPcap(r *pcap.Reader) error {
	h := r.Header()
	s := &a.s
	s.Format = "pcap"
	switch {
	case h.Modified:
		s.FileType = "modpcap"
	case h.Resolution == pkt.Nanosecond:
		s.FileType = "nsecpcap"
	default:
		s.FileType = "pcap"
	}
	s.ByteOrder = orderName(h.ByteOrder)
	s.Version = fmt.Sprintf("%d.%d", h.VersionMajor, h.VersionMinor)
	s.SnapLen = h.SnapLen
	res, digits := pkt.Microsecond, 6
	if h.Resolution == pkt.Nanosecond {
		res, digits = pkt.Nanosecond, 9
	}
	ups, _ := res.UnitsPerSecond()
	s.Sections = append(s.Sections, Section{ByteOrder: s.ByteOrder, Version: s.Version, SectionLength: -1,
		Comments: []string{}, Options: []Option{}, Interfaces: 1})
	a.addInterface(Interface{LinkType: uint16(h.LinkType), LinkTypeName: h.LinkType.Name(), SnapLen: h.SnapLen,
		TimestampResolution: uint8(res), TicksPerSecond: ups, TimestampDigits: digits, FCSLen: h.FCSLen,
		Options: []Option{}}, ifaceState{ups: ups, digits: digits})
	for {
		rec, err := r.ReadPacket()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		a.packet(0, uint32(len(rec.Data)), uint32(rec.Length), rec.Timestamp, true)
	}
}

func (a *accumulator) readPcapng(r *pcapng.Reader) error {
	s := &a.s
	s.Format, s.FileType = "pcapng", "pcapng"
	for {
		b, err := r.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch b := b.(type) {
		case *pcapng.EnhancedPacket:
			a.blockCounts[pcapng.TypeEnhancedPacket]++
			a.ngPacket(int(b.InterfaceID), uint32(len(b.Data)), b.OriginalLength, b.Timestamp, true, &b.OptionList)
		case *pcapng.SimplePacket:
			a.blockCounts[pcapng.TypeSimplePacket]++
			a.ngPacket(0, uint32(len(b.Data)), b.OriginalLength, 0, false, nil)
		case *pcapng.Packet:
			a.blockCounts[pcapng.TypePacket]++
			a.ngPacket(int(b.InterfaceID), uint32(len(b.Data)), b.OriginalLength, b.Timestamp, true, &b.OptionList)
		case *pcapng.SectionHeader:
			s.Blocks["SHB"]++
			a.section(b)
		case *pcapng.InterfaceDescription:
			a.blockCounts[pcapng.TypeInterfaceDescription]++
			a.interfaceDescription(b)
		case *pcapng.InterfaceStatistics:
			a.blockCounts[pcapng.TypeInterfaceStatistics]++
			a.statistics(b)
		case *pcapng.NameResolution:
			a.blockCounts[pcapng.TypeNameResolution]++
			for _, rec := range b.Records {
				if _, names, ok := rec.IPv4(); ok {
					s.ResolvedIPv4 += len(names)
				} else if _, names, ok := rec.IPv6(); ok {
					s.ResolvedIPv6 += len(names)
				}
			}
		case *pcapng.DecryptionSecrets:
			a.blockCounts[pcapng.TypeDecryptionSecrets]++
			s.DecryptionSecrets++
		case *pcapng.Custom:
			// Wireshark returns custom blocks as records without a
			// timestamp, which makes capinfos call the times unknown.
			a.untimedRecord()
			s.CustomBlocks++
			s.Blocks[b.Type().String()]++
		default:
			s.Blocks[b.Type().String()]++
		}
	}
}

func (a *accumulator) ngPacket(id int, capLen, origLen uint32, units uint64, hasTime bool, opts *pcapng.OptionList) {
	global := a.sectionFirst + id
	var ts time.Time
	if hasTime && global < len(a.ifaces) {
		ifc := &a.ifaces[global]
		ts = wiresharkTime(units, ifc.ups, ifc.offset)
	}
	a.packet(global, capLen, origLen, ts, hasTime)
	if opts == nil {
		return
	}
	for i := range opts.Options {
		if opts.Options[i].Code != pkt.OptComment {
			continue
		}
		a.s.PacketCommentCount++
		if len(a.s.PacketComments) < a.opts.MaxComments {
			a.s.PacketComments = append(a.s.PacketComments,
				PacketComment{Packet: a.s.Packets, Comment: string(opts.Options[i].Value)})
		}
	}
}

// wiresharkTime converts a pcapng timestamp as Wireshark 4.0 does: seconds
// by division, the fraction scaled by an integer factor (so resolutions
// that do not divide a second evenly lose the same bits they lose there),
// then the if_tsoffset seconds added.
func wiresharkTime(units, ups uint64, offset int64) time.Time {
	if ups == 0 {
		return time.Unix(offset, 0)
	}
	sec, rem := units/ups, units%ups
	var ns uint64
	if ups > 1_000_000_000 {
		ns = rem / (ups / 1_000_000_000)
	} else {
		ns = rem * (1_000_000_000 / ups)
	}
	return time.Unix(int64(sec)+offset, int64(ns))
}

// precisionDigits is the number of decimal digits a resolution needs,
// at most 9 (nanoseconds), as Wireshark's time stamp precision.
func precisionDigits(res pkt.Resolution) int {
	exp := int(res & 0x7f)
	if res&0x80 == 0 {
		return min(exp, 9)
	}
	ups, ok := res.UnitsPerSecond()
	if !ok {
		return 9
	}
	d, p := 0, uint64(1)
	for p < ups && d < 9 {
		p *= 10
		d++
	}
	return d
}

// precisionName names a precision by its digits as Wireshark does.
func precisionName(digits int) string {
	switch digits {
	case -1:
		return "per-packet"
	case -2:
		return "unknown"
	case 0:
		return "seconds"
	case 1:
		return "deciseconds"
	case 2:
		return "centiseconds"
	case 3:
		return "milliseconds"
	case 6:
		return "microseconds"
	case 9:
		return "nanoseconds"
	}
	return fmt.Sprintf("10^-%d seconds", digits)
}

func orderName(o binary.ByteOrder) string {
	if o == binary.BigEndian {
		return "big-endian"
	}
	return "little-endian"
}

func (a *accumulator) section(b *pcapng.SectionHeader) {
	order := orderName(b.ByteOrder)
	a.orders[order] = true
	sec := Section{
		Index:         len(a.s.Sections),
		Offset:        b.Offset,
		ByteOrder:     order,
		Version:       fmt.Sprintf("%d.%d", b.VersionMajor, b.VersionMinor),
		SectionLength: b.SectionLength,
		Hardware:      b.Hardware(),
		OS:            b.OS(),
		Application:   b.UserAppl(),
		Comments:      b.Comments(),
		Options:       decodeOptions(pcapng.TypeSectionHeader, &b.OptionList, b.ByteOrder),
	}
	if sec.Comments == nil {
		sec.Comments = []string{}
	}
	a.s.Sections = append(a.s.Sections, sec)
	a.sectionFirst = len(a.ifaces)
}

func (a *accumulator) interfaceDescription(b *pcapng.InterfaceDescription) {
	res := b.Resolution()
	ups, ok := res.UnitsPerSecond()
	if !ok {
		ups = 0
	}
	offset, _ := b.TimestampOffset()
	fcs, ok := b.FCSLen()
	if !ok {
		fcs = -1
	}
	speed, _ := b.Speed()
	ifc := Interface{
		Section:             len(a.s.Sections) - 1,
		LinkType:            uint16(b.LinkType),
		LinkTypeName:        b.LinkType.Name(),
		SnapLen:             b.SnapLen,
		TimestampResolution: uint8(res),
		TicksPerSecond:      ups,
		TimestampDigits:     precisionDigits(res),
		TimestampOffset:     offset,
		Name:                b.Name(),
		Description:         b.Description(),
		OS:                  b.OS(),
		Hardware:            b.Hardware(),
		Speed:               speed,
		FCSLen:              fcs,
		Options:             decodeOptions(pcapng.TypeInterfaceDescription, &b.OptionList, b.ByteOrder),
	}
	if f, ok := b.Filter(); ok {
		ifc.Filter = f.String()
	}
	a.addInterface(ifc, ifaceState{ups: ups, offset: offset, digits: ifc.TimestampDigits})
	if n := len(a.s.Sections); n > 0 {
		a.s.Sections[n-1].Interfaces++
	}
}

func (a *accumulator) statistics(b *pcapng.InterfaceStatistics) {
	global := a.sectionFirst + int(b.InterfaceID)
	if int64(b.InterfaceID) >= int64(len(a.ifaces)-a.sectionFirst) {
		return
	}
	ifc := &a.s.Interfaces[global]
	st := a.ifaces[global]
	ifc.StatisticsBlocks++
	stats := &Statistics{Timestamp: wiresharkTime(b.Timestamp, st.ups, st.offset).UTC(), Comments: b.Comments()}
	if v, ok := b.StartTime(); ok {
		t := wiresharkTime(v, st.ups, st.offset).UTC()
		stats.StartTime = &t
	}
	if v, ok := b.EndTime(); ok {
		t := wiresharkTime(v, st.ups, st.offset).UTC()
		stats.EndTime = &t
	}
	counter := func(v uint64, ok bool) *uint64 {
		if !ok {
			return nil
		}
		return &v
	}
	stats.Received = counter(b.Received())
	stats.InterfaceDropped = counter(b.InterfaceDropped())
	stats.FilterAccepted = counter(b.FilterAccepted())
	stats.OSDropped = counter(b.OSDropped())
	stats.Delivered = counter(b.Delivered())
	ifc.Statistics = stats
}

// finish derives the file-level values from the totals.
func (a *accumulator) finish() {
	s := &a.s
	for t, n := range a.blockCounts {
		if n > 0 {
			s.Blocks[pcapng.BlockType(t).String()] += n
		}
	}
	if s.Format == "pcapng" {
		switch len(a.orders) {
		case 0:
			s.ByteOrder = "little-endian"
		case 1:
			for o := range a.orders {
				s.ByteOrder = o
			}
		default:
			s.ByteOrder = "mixed"
		}
		if len(s.Sections) > 0 {
			s.Version = s.Sections[0].Version
		}
	}
	s.Encapsulation = "unknown"
	s.TimestampDigits = -2
	if n := len(s.Interfaces); n > 0 {
		first := s.Interfaces[0]
		s.Encapsulation = first.LinkTypeName
		s.TimestampDigits = first.TimestampDigits
		if s.Format == "pcapng" {
			s.SnapLen = first.SnapLen
		}
		for _, ifc := range s.Interfaces[1:] {
			if ifc.LinkType != first.LinkType {
				s.Encapsulation = "per-packet"
			}
			if ifc.TimestampDigits != first.TimestampDigits {
				s.TimestampDigits = -1
			}
			if ifc.SnapLen != first.SnapLen {
				s.SnapLen = 0
			}
		}
	}
	s.TimestampPrecision = precisionName(s.TimestampDigits)
	if s.TruncatedPackets > 0 {
		s.SnapLenInferredMin, s.SnapLenInferredMax = a.snapMin, a.snapMax
	}
	switch a.order {
	case 0:
		s.TimeOrder = "strict"
	case 1:
		s.TimeOrder = "unordered"
	default:
		s.TimeOrder = "unknown"
	}
	if s.Packets == 0 {
		return
	}
	s.AveragePacketSize = float64(s.DataBytes) / float64(s.Packets)
	if !s.TimesKnown || !a.haveTime {
		return
	}
	first, last := a.minTime.UTC(), a.maxTime.UTC()
	s.FirstPacketTime, s.LastPacketTime = &first, &last
	s.DurationNanoseconds = durationNanoseconds(first, last)
	delta := seconds(last) - seconds(first)
	s.DurationSeconds = delta
	if delta > 0 {
		s.DataByteRate = float64(s.DataBytes) / delta
		s.DataBitRate = s.DataByteRate * 8
		s.AveragePacketRate = float64(s.Packets) / delta
	}
}

// seconds is Wireshark's nstime_to_sec.
func seconds(t time.Time) float64 { return float64(t.Unix()) + float64(t.Nanosecond())/1e9 }

// durationNanoseconds is last - first, saturated to the int64 range.
func durationNanoseconds(first, last time.Time) int64 {
	ds := last.Unix() - first.Unix()
	const limit = (1<<63 - 1) / 1_000_000_000
	if ds > limit {
		return 1<<63 - 1
	}
	return ds*1_000_000_000 + int64(last.Nanosecond()-first.Nanosecond())
}
