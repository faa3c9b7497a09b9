package inspect

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/internal/testenv"
	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pkt"
)

// capinfosReport is capinfos -M's long report for one file, as label/value
// pairs in order; interface items are labelled "if<N>.<item>" and section
// items "s<N>.<label>".
type capinfosReport struct {
	file   string
	values map[string]string
	// sections is the number of "Section N:" headers (0 for one section).
	sections int
}

// capinfosFlags are every info except the hashes (slow and not ours to
// check: the hash test compares with sha256sum).
var capinfosFlags = []string{"-M", "-t", "-E", "-F", "-I", "-c", "-s", "-d", "-l", "-u", "-a", "-e", "-o", "-y",
	"-i", "-z", "-x", "-k", "-n", "-D"}

// runCapinfos runs capinfos on a batch of files (it starts slowly, so one
// process reads many) and splits its report per file.
func runCapinfos(t *testing.T, tool string, files []string) map[string]*capinfosReport {
	cmd := exec.Command(tool, append(append([]string{}, capinfosFlags...), files...)...)
	cmd.Env = append(os.Environ(), "TZ=UTC", "LC_ALL=C")
	out, _ := cmd.Output() // files it cannot read are reported on stderr; the others still print
	reports := map[string]*capinfosReport{}
	var cur *capinfosReport
	section := -1
	iface := -1
	lastKey := ""
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, "File name:"); ok {
			cur = &capinfosReport{file: strings.TrimSpace(rest), values: map[string]string{}}
			reports[cur.file] = cur
			section, iface, lastKey = -1, -1, ""
			continue
		}
		if cur == nil || line == "" {
			continue
		}
		if m := regexp.MustCompile(`^Section (\d+):$`).FindStringSubmatch(line); m != nil {
			section, _ = strconv.Atoi(m[1])
			cur.sections = section + 1
			iface = -1
			continue
		}
		if m := regexp.MustCompile(`^Interface #(\d+) info:$`).FindStringSubmatch(line); m != nil {
			iface, _ = strconv.Atoi(m[1])
			continue
		}
		prefix := ""
		if section > 0 {
			prefix = fmt.Sprintf("s%d.", section)
		}
		if strings.HasPrefix(line, "                     ") {
			item := strings.TrimSpace(line)
			if k, v, ok := strings.Cut(item, " = "); ok && iface >= 0 {
				lastKey = fmt.Sprintf("%sif%d.%s", prefix, iface, k)
				cur.values[lastKey] = v
			} else if lastKey != "" {
				cur.values[lastKey] += " " + item
			}
			continue
		}
		if k, v, ok := strings.Cut(line, ":"); ok && !strings.HasPrefix(line, " ") {
			lastKey = prefix + strings.TrimSpace(k)
			if k == "Capture comment" {
				// Several comments: keep them all, in order.
				if old, ok := cur.values[lastKey]; ok {
					cur.values[lastKey] = old + "\x00" + strings.TrimSpace(v)
					continue
				}
			}
			if k == "Packet size limit" {
				v = strings.TrimSpace(v)
				if strings.HasPrefix(v, "inferred:") {
					lastKey = prefix + "Packet size limit inferred"
				}
			}
			cur.values[lastKey] = strings.TrimSpace(v)
			continue
		}
		// A continuation of a multi-line value.
		if lastKey != "" {
			cur.values[lastKey] += " " + line
		}
	}
	return reports
}

// Counters for the test's log, so that a run shows how much was compared.
var fieldsChecked, timesSkipped atomic.Int64

// mismatch is one disagreement with capinfos.
type mismatch struct {
	file, field, ours, theirs string
}

// compareWithCapinfos lists the fields where s and capinfos' report
// disagree. encapNames collects our link type → Wireshark encapsulation
// name pairs, checked for consistency afterwards.
func compareWithCapinfos(s *Summary, c *capinfosReport, encap func(uint16, string)) []mismatch {
	k := &capinfosComparison{s: s, c: c, v: c.values, encap: encap}
	k.fileFields()
	if !k.timesComparable() {
		return k.out
	}
	k.times()
	k.sections()
	k.interfaces()
	k.counts()
	return k.out
}

// capinfosComparison collects the disagreements of one file's summary with
// capinfos' report of it.
type capinfosComparison struct {
	s     *Summary
	c     *capinfosReport
	v     map[string]string
	encap func(uint16, string)
	out   []mismatch
}

func (k *capinfosComparison) check(field, ours, theirs string) {
	fieldsChecked.Add(1)
	if ours != theirs {
		k.out = append(k.out, mismatch{k.s.File, field, ours, theirs})
	}
}

// fileFields compares the file-wide fields: type, counts, sizes,
// precision, encapsulation and snap lengths.
func (k *capinfosComparison) fileFields() {
	s, v, encap := k.s, k.v, k.encap
	k.check("File type", s.FileType, v["File type"])
	k.check("Number of packets", strconv.FormatUint(s.Packets, 10), v["Number of packets"])
	k.check("File size", fmt.Sprintf("%d bytes", s.FileSize), v["File size"])
	k.check("Data size", fmt.Sprintf("%d bytes", s.DataBytes), v["Data size"])
	k.check("Average packet size", fmt.Sprintf("%.2f bytes", s.AveragePacketSize), v["Average packet size"])
	m := regexp.MustCompile(`\((-?\d+)\)$`).FindStringSubmatch(v["File timestamp precision"])
	if m == nil {
		k.check("File timestamp precision", strconv.Itoa(s.TimestampDigits), v["File timestamp precision"])
	} else {
		k.check("File timestamp precision", strconv.Itoa(s.TimestampDigits), m[1])
	}
	// File encapsulation: Wireshark's names differ from libpcap's; the
	// pairs must be consistent over the corpus (checked by the caller).
	switch fe := v["File encapsulation"]; {
	case fe == "per-packet" || fe == "unknown" || s.Encapsulation == "per-packet" || s.Encapsulation == "unknown":
		k.check("File encapsulation", s.Encapsulation, fe)
	default:
		encap(s.Interfaces[0].LinkType, fe)
	}
	if s.Format == "pcap" {
		want := "(not set)"
		if s.SnapLen > 0 {
			want = fmt.Sprintf("file hdr: %d bytes", s.SnapLen)
		}
		k.check("Packet size limit", strings.Replace(want, "(not set)", "file hdr: (not set)", 1), v["Packet size limit"])
	}
	inferred := ""
	if s.TruncatedPackets > 0 {
		if s.SnapLenInferredMin == s.SnapLenInferredMax {
			inferred = fmt.Sprintf("inferred: %d bytes", s.SnapLenInferredMin)
		} else {
			inferred = fmt.Sprintf("inferred: %d bytes - %d bytes (range)", s.SnapLenInferredMin, s.SnapLenInferredMax)
		}
	}
	k.check("Packet size limit inferred", inferred, v["Packet size limit inferred"])
}

// timesComparable reports whether capinfos' time fields can be trusted for
// the file; the fields after them are then left uncompared too.
func (k *capinfosComparison) timesComparable() bool {
	s := k.s
	// capinfos 4.0 compares timestamps with nstime_cmp, which returns the
	// difference of the seconds truncated to an int: for timestamps more
	// than 2^31 s (68 years) apart it gets the order backwards, and its
	// first and last times, duration, rates and time order are wrong.
	// Such files are corrupt-timestamp test files; skip those fields.
	if s.FirstPacketTime != nil && s.LastPacketTime.Unix()-s.FirstPacketTime.Unix() >= 1<<31 {
		timesSkipped.Add(1)
		return false
	}
	// Wireshark keeps an out-of-range sub-second field (>= 10^6 µs or
	// 10^9 ns) as it is, printing negative or oversized fractions; we
	// carry it into the seconds as libpcap does. Skip such files' times.
	if badFraction(s.File) {
		timesSkipped.Add(1)
		return false
	}
	return true
}

// times compares time order, first and last times, duration and rates.
func (k *capinfosComparison) times() {
	s, v := k.s, k.v
	order := map[string]string{"strict": "True", "unordered": "False", "unknown": "Unknown"}[s.TimeOrder]
	k.check("Strict time order", order, v["Strict time order"])
	// Times: capinfos prints them only when every packet has one.
	if _, ok := v["First packet time"]; ok != s.TimesKnown {
		k.check("times known", strconv.FormatBool(s.TimesKnown), strconv.FormatBool(ok))
	}
	if s.TimesKnown {
		if s.FirstPacketTime == nil {
			k.check("First packet time", "n/a", v["First packet time"])
			k.check("Capture duration", "n/a", v["Capture duration"])
		} else {
			first, last := v["First packet time"], v["Last packet time"]
			k.check("First packet time", formatLike(*s.FirstPacketTime, first), first)
			k.check("Last packet time", formatLike(*s.LastPacketTime, last), last)
			dur := strings.TrimSuffix(strings.TrimSuffix(v["Capture duration"], " seconds"), " second")
			digits := 0
			if i := strings.IndexByte(dur, '.'); i >= 0 {
				digits = len(dur) - i - 1
			}
			k.check("Capture duration", formatSeconds(s.DurationNanoseconds, digits), dur)
		}
		rate := func(x float64, unit string) string {
			if x > 0 {
				return fmt.Sprintf("%.2f %s", x, unit)
			}
			return "n/a"
		}
		k.check("Data byte rate", rate(s.DataByteRate, "bytes/sec"), v["Data byte rate"])
		k.check("Data bit rate", rate(s.DataBitRate, "bits/sec"), v["Data bit rate"])
		k.check("Average packet rate", rate(s.AveragePacketRate, "packets/sec"), v["Average packet rate"])
	}
}

// sections compares the section header options, per section.
func (k *capinfosComparison) sections() {
	s, v := k.s, k.v
	for i, sec := range s.Sections {
		if s.Format != "pcapng" {
			break
		}
		prefix := ""
		if i > 0 {
			prefix = fmt.Sprintf("s%d.", i)
		}
		k.check(prefix+"Capture hardware", oneLine(sec.Hardware), v[prefix+"Capture hardware"])
		k.check(prefix+"Capture oper-sys", oneLine(sec.OS), v[prefix+"Capture oper-sys"])
		k.check(prefix+"Capture application", oneLine(sec.Application), v[prefix+"Capture application"])
		var comments []string
		for _, c := range sec.Comments {
			if c != "" {
				comments = append(comments, oneLine(c))
			}
		}
		k.check(prefix+"Capture comment", strings.Join(comments, "\x00"), v[prefix+"Capture comment"])
	}
}

// interfaces compares the interface descriptions.
func (k *capinfosComparison) interfaces() {
	s, c, v, encap := k.s, k.c, k.v, k.encap
	// Interfaces. capinfos 4.0 prints every interface of the file under
	// each section, and files a packet or statistics block under its
	// section-local interface id; with several sections only the
	// descriptions are comparable (see the package documentation).
	nIfaces := strconv.Itoa(len(s.Interfaces))
	if len(s.Interfaces) == 0 {
		nIfaces = ""
	}
	k.check("Number of interfaces in file", nIfaces, v["Number of interfaces in file"])
	for i, ifc := range s.Interfaces {
		p := fmt.Sprintf("if%d.", i)
		if e := v[p+"Encapsulation"]; e != "" {
			if m := regexp.MustCompile(` - ([^ ]+)\)$`).FindStringSubmatch(e); m != nil {
				encap(ifc.LinkType, m[1])
			} else {
				k.check(p+"Encapsulation", ifc.LinkTypeName, e)
			}
		}
		k.check(p+"Capture length", strconv.FormatUint(uint64(ifc.SnapLen), 10), v[p+"Capture length"])
		k.check(p+"Time ticks per second", strconv.FormatUint(ifc.TicksPerSecond, 10), v[p+"Time ticks per second"])
		if m := regexp.MustCompile(`\((-?\d+)\)$`).FindStringSubmatch(v[p+"Time precision"]); m != nil {
			k.check(p+"Time precision", strconv.Itoa(ifc.TimestampDigits), m[1])
		}
		k.check(p+"Name", oneLine(ifc.Name), v[p+"Name"])
		k.check(p+"Description", oneLine(ifc.Description), v[p+"Description"])
		k.check(p+"Operating system", oneLine(ifc.OS), v[p+"Operating system"])
		k.check(p+"Filter string", oneLine(ifc.Filter), v[p+"Filter string"])
		if sp, ok := v[p+"Speed"]; ok || ifc.Speed != 0 {
			k.check(p+"Speed", strconv.FormatUint(ifc.Speed, 10), sp)
		}
		if fl, ok := v[p+"FCS length"]; ok && s.Format == "pcapng" {
			k.check(p+"FCS length", strconv.Itoa(ifc.FCSLen), fl)
		}
		if to, ok := v[p+"Timestamp offset"]; ok {
			k.check(p+"Timestamp offset", strconv.FormatInt(ifc.TimestampOffset, 10), to)
		}
		if c.sections <= 1 {
			k.check(p+"Number of packets", strconv.FormatUint(ifc.Packets, 10), v[p+"Number of packets"])
			k.check(p+"Number of stat entries", strconv.Itoa(ifc.StatisticsBlocks), v[p+"Number of stat entries"])
		}
	}
}

// counts compares the name resolution and decryption secrets counts.
func (k *capinfosComparison) counts() {
	s, v := k.s, k.v
	count := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	k.check("resolved IPv4", count(s.ResolvedIPv4), v["Number of resolved IPv4 addresses in file"])
	k.check("resolved IPv6", count(s.ResolvedIPv6), v["Number of resolved IPv6 addresses in file"])
	k.check("decryption secrets", count(s.DecryptionSecrets), v["Number of decryption secrets in file"])
}

// badFraction reports whether a pcap file has a record whose sub-second
// timestamp field is out of range.
func badFraction(name string) bool {
	b, err := os.ReadFile(name)
	if err != nil || len(b) < pcap.FileHeaderLen {
		return false
	}
	h, err := pcap.ParseFileHeader(b)
	if err != nil {
		return false
	}
	limit := uint32(1_000_000)
	if h.Resolution == pkt.Nanosecond {
		limit = 1_000_000_000
	}
	hdrLen := pcap.RecordHeaderLen
	if h.Modified {
		hdrLen = pcap.ModifiedRecordHeaderLen
	}
	swap := h.VersionMajor == 543 || h.VersionMinor < 3
	for off := pcap.FileHeaderLen; off+hdrLen <= len(b); {
		frac, capLen, origLen := h.ByteOrder.Uint32(b[off+4:]), h.ByteOrder.Uint32(b[off+8:]), h.ByteOrder.Uint32(b[off+12:])
		if swap || (h.VersionMinor == 3 && capLen > origLen) {
			capLen = origLen
		}
		if frac >= limit {
			return true
		}
		off += hdrLen + int(capLen)
	}
	return false
}

// wiresharkView adjusts s to what Wireshark sees where it differs by
// design: for SunATM (link type 123) pcap files wiretap removes the 4-byte
// pseudo-header from both lengths of every packet, so capinfos' data size
// and inferred snap length are 4 bytes per packet smaller.
func wiresharkView(s *Summary) {
	if s.Format != "pcap" || len(s.Interfaces) != 1 || s.Interfaces[0].LinkType != 123 || s.Packets == 0 {
		return
	}
	s.DataBytes -= 4 * s.Packets
	s.AveragePacketSize = float64(s.DataBytes) / float64(s.Packets)
	if s.TruncatedPackets > 0 {
		s.SnapLenInferredMin -= min(4, s.SnapLenInferredMin)
		s.SnapLenInferredMax -= min(4, s.SnapLenInferredMax)
		if s.SnapLenInferredMax == 0 {
			s.TruncatedPackets = 0
		}
	}
	if s.DurationSeconds > 0 {
		s.DataByteRate = float64(s.DataBytes) / s.DurationSeconds
		s.DataBitRate = s.DataByteRate * 8
	}
}

// formatLike formats t as capinfos printed like: same number of fractional
// digits, UTC, no zone.
func formatLike(t time.Time, like string) string {
	digits := 0
	if i := strings.LastIndexByte(like, '.'); i >= 0 {
		digits = len(like) - i - 1
	}
	return strings.TrimSuffix(formatTime(t, digits), " UTC")
}

// TestCapinfosCorpus compares every number of every corpus file with
// capinfos -M.
func TestCapinfosCorpus(t *testing.T) {
	testenv.RequireLong(t)
	tool := testenv.RequireTool(t, "capinfos")
	files := testenv.CorpusFiles(t, "")
	const batch = 60
	var (
		mu       sync.Mutex
		reports  = map[string]*capinfosReport{}
		wg       sync.WaitGroup
		batches  = make(chan []string)
		workerN  = 2
		compared int
	)
	for range workerN {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range batches {
				r := runCapinfos(t, tool, b)
				mu.Lock()
				for k, v := range r {
					reports[k] = v
				}
				mu.Unlock()
			}
		}()
	}
	for i := 0; i < len(files); i += batch {
		batches <- files[i:min(i+batch, len(files))]
	}
	close(batches)
	wg.Wait()

	encapPairs := map[uint16]map[string][]string{}
	var all []mismatch
	unreadable := 0
	for _, f := range files {
		s, err := Summarize(f, Options{})
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		c := reports[f]
		if c == nil {
			// capinfos cannot open files of link types Wireshark does
			// not know; we can, and that is all there is to compare.
			unreadable++
			continue
		}
		compared++
		wiresharkView(s)
		all = append(all, compareWithCapinfos(s, c, func(lt uint16, name string) {
			if encapPairs[lt] == nil {
				encapPairs[lt] = map[string][]string{}
			}
			encapPairs[lt][name] = append(encapPairs[lt][name], filepath.Base(f))
		})...)
	}
	// Each link type must map to one Wireshark encapsulation name.
	for lt, names := range encapPairs {
		if len(names) > 1 {
			t.Errorf("link type %d is shown as several Wireshark encapsulations: %v", lt, names)
		}
	}
	byField := map[string]int{}
	for _, m := range all {
		byField[m.field]++
	}
	var fields []string
	for f := range byField {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for i, m := range all {
		if i < 40 {
			t.Errorf("%s: %s: ours %q, capinfos %q", m.file, m.field, m.ours, m.theirs)
		}
	}
	for _, f := range fields {
		t.Logf("field %q: %d mismatches", f, byField[f])
	}
	t.Logf("%d files: %d compared with capinfos (%d fields; time fields skipped in %d files with out-of-range timestamps), %d that capinfos cannot read, %d mismatches",
		len(files), compared, fieldsChecked.Load(), timesSkipped.Load(), unreadable, len(all))
	if compared < 800 {
		t.Errorf("only %d files compared", compared)
	}
}
