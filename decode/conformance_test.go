package decode_test

import (
	"cmp"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/decode"
	"github.com/pcaptool/pcaptool/internal/testenv"
)

// Print conformance with tcpdump 4.99 over the tcpdump test corpus.
//
// Definition (issue #19). A capture file counts when tcpdump -n -tt -r FILE
// prints at least one line on standard output. For each counted file and
// each verbosity v in {0, 1}, tcpdump -n -tt [-v] -r FILE and print with the
// same options each give a list of packet records: a record is a line that
// does not start with white space (the packet's first line) and the
// indented lines that follow it (tcpdump -v's continuation lines). Records
// are paired by their index in the file, and within a record lines by their
// index. Every line tcpdump prints is one "packet line"; it is identical
// when the paired line of ours is byte for byte the same. Lines we print
// beyond tcpdump's are not counted (they make the paired records differ
// only through tcpdump's own lines). The score is identical lines / packet
// lines, over both verbosities. The first measurement (41 %)
// counted only files where both print the same number of lines; that
// figure is printed too.
//
// Each differing line is charged to the protocol of its record as tcpdump
// names it (conformanceKey): the network word that starts the line ("IP",
// "IP6", "ARP", "STP", ...) and, for IP, the word tcpdump prints after the
// addresses ("OSPFv2", "UDP", "TCP BGP" for what follows TCP's "length N:").
//
// TestPrintConformance runs over the whole corpus when
// PCAPTOOL_PRINT_CONFORMANCE=1 (scripts/print-conformance.sh), two files at
// a time (PCAPTOOL_PRINT_JOBS overrides); PCAPTOOL_PRINT_CONFORMANCE_OUT
// names a Markdown file for the result table, PCAPTOOL_PRINT_CONFORMANCE_DIFFS
// a text file listing every differing line pair. TestPrintConformanceSample
// runs in CI over conformanceSample, files whose every line is identical
// today and must stay so.

// conformanceSample lists corpus files whose every packet line, at -v 0 and
// -v 1, is identical to tcpdump's. Protocol printers add the files they make
// conform (in their own *_sample_test.go file, appending in an init
// function, to keep merges quiet).
var conformanceSample = []string{
	"dns_udp.pcap",
	"edns-opts.pcap",
	"IGMP_V1.pcap",
	"IGMP_V2.pcap",
	"02-sunrise-sunset-esp.pcap",
	"LINKTYPE_RAW_ipv4.pcap",
	"LINKTYPE_RAW_ipv6.pcap",
}

// conformanceFile is the comparison of one file at one verbosity.
type conformanceFile struct {
	name      string
	verbose   int
	want, got [][]string // records: lines of one packet
	err       error
}

// lines counts tcpdump's lines and the identical ones, and calls diff for
// each differing pair (got is "" when we print no paired line).
func (c *conformanceFile) lines(diff func(key, want, got string)) (total, same int) {
	total, same, _, _ = c.compare(diff)
	return total, same
}

// compare is lines, also counting the records and those whose first line
// is identical.
func (c *conformanceFile) compare(diff func(key, want, got string)) (total, same, heads, sameHeads int) {
	for i, rec := range c.want {
		var ours []string
		if i < len(c.got) {
			ours = c.got[i]
		}
		key := ""
		heads++
		if len(ours) > 0 && ours[0] == rec[0] {
			sameHeads++
		}
		for j, w := range rec {
			total++
			if j < len(ours) && ours[j] == w {
				same++
				continue
			}
			if diff != nil {
				if key == "" {
					key = conformanceKey(rec)
				}
				g := ""
				if j < len(ours) {
					g = ours[j]
				}
				diff(key, w, g)
			}
		}
	}
	return total, same, heads, sameHeads
}

func countLines(recs [][]string) int {
	n := 0
	for _, r := range recs {
		n += len(r)
	}
	return n
}

// splitRecords splits printed text into packet records.
func splitRecords(out string) [][]string {
	var recs [][]string
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if l == "" && len(recs) == 0 {
			continue
		}
		if len(recs) == 0 || l != "" && l[0] != ' ' && l[0] != '\t' {
			recs = append(recs, nil)
		}
		recs[len(recs)-1] = append(recs[len(recs)-1], l)
	}
	return recs
}

// compareFile runs tcpdump and print on name at verbosity v.
func compareFile(tcpdump, name string, v int) *conformanceFile {
	c := &conformanceFile{name: name, verbose: v}
	args := []string{"-n", "-tt", "-r", name}
	if v > 0 {
		args = append(args, "-"+strings.Repeat("v", v))
	}
	cmd := exec.Command(tcpdump, args...)
	out, _ := cmd.Output() // tcpdump exits 1 on a damaged file after printing what it read
	c.want = splitRecords(string(out))
	ours, err := printCapture(name, decode.Options{Time: decode.TimeEpoch, Verbose: v})
	c.got, c.err = splitRecords(ours), err
	return c
}

// printCapture prints every packet of a capture file of any format with
// opts, stopping at the first damaged record as tcpdump does.
func printCapture(name string, opts decode.Options) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	r, err := capfile.Open(name)
	if err != nil {
		return "", err
	}
	defer r.Close()
	var sb strings.Builder
	pr := decode.NewPrinter(&sb, opts)
	for {
		p, err := r.ReadPacket()
		if err != nil {
			break // io.EOF, or a damaged record where tcpdump stops too
		}
		ifaces := r.Interfaces()
		if p.Interface < 0 || p.Interface >= len(ifaces) {
			break
		}
		if err := pr.Print(p, ifaces[p.Interface].LinkType); err != nil {
			return "", err
		}
	}
	if err := pr.Flush(); err != nil {
		return "", err
	}
	return sb.String(), nil
}

// conformanceKey names the protocol of a tcpdump record for the ranking.
func conformanceKey(rec []string) string {
	head := rec[0]
	if i := strings.IndexByte(head, ' '); i >= 0 && strings.ContainsRune("0123456789", rune(head[0])) {
		head = head[i+1:] // the timestamp
	}
	head = strings.TrimLeft(head, " ")
	switch {
	case strings.HasPrefix(head, "[|"): // "[|arp]": truncated before anything printed
		return strings.TrimRight(head[2:], "]")
	case macPrefix.MatchString(head): // link addresses tcpdump prints for unknown LLC payloads
		if m := macPrefix.FindStringSubmatch(head); m != nil {
			return firstWord(head[len(m[0]):])
		}
	case strings.Contains(head, " Mb/s "):
		return "802.11"
	}
	network := firstWord(head)
	for i, l := range rec {
		gt := strings.Index(l, " > ")
		if gt < 0 {
			continue
		}
		colon := strings.Index(l[gt:], ": ")
		if colon < 0 {
			continue
		}
		rest := l[gt+colon+2:]
		for strings.HasPrefix(rest, "[") { // "[udp sum ok] ", "[bad udp cksum ...] "
			end := strings.Index(rest, "] ")
			if end < 0 {
				break
			}
			rest = rest[end+2:]
		}
		if strings.TrimSpace(rest) == "" && i+1 < len(rec) { // the protocol starts the next line
			rest = strings.TrimLeft(rec[i+1], " \t")
		}
		w := firstWord(rest)
		if w == "Flags" {
			w = "TCP"
			if i := strings.Index(rest, ", length "); i >= 0 {
				after := rest[i+len(", length "):]
				if j := strings.Index(after, ": "); j >= 0 {
					w += " " + firstWord(after[j+2:])
				}
			}
		}
		if w == "" {
			break
		}
		return network + " " + w
	}
	return network
}

// macPrefix matches "src > dst " of link addresses at the start of a line.
var macPrefix = regexp.MustCompile(`^([0-9a-f]{2}:){5}[0-9a-f]{2} > ([0-9a-f]{2}:){5}[0-9a-f]{2},? `)

// firstWord returns s up to the first space, comma, colon or parenthesis,
// with runs of digits (DNS ids, lengths) shown as "N".
func firstWord(s string) string {
	end := strings.IndexAny(s, " ,:(")
	if end < 0 {
		end = len(s)
	}
	w := s[:end]
	if _, err := strconv.Atoi(strings.TrimRight(w, "+*-%$")); err == nil {
		return "N"
	}
	if len(w) > 24 {
		w = w[:24]
	}
	return w
}

// TestPrintConformance measures the share of tcpdump's packet lines print
// reproduces over the whole corpus and ranks the rest by protocol.
func TestPrintConformance(t *testing.T) {
	if os.Getenv("PCAPTOOL_PRINT_CONFORMANCE") != "1" {
		t.Skip("set PCAPTOOL_PRINT_CONFORMANCE=1 (scripts/print-conformance.sh) to run over the whole corpus")
	}
	tcpdump := testenv.RequireTool(t, "tcpdump")
	files := testenv.CorpusFiles(t, "tcpdump")
	jobs := 2
	if n, err := strconv.Atoi(os.Getenv("PCAPTOOL_PRINT_JOBS")); err == nil && n > 0 {
		jobs = n
	}
	results := make([]*conformanceFile, 2*len(files))
	work := make(chan int)
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				results[i] = compareFile(tcpdump, files[i/2], i%2)
			}
		}()
	}
	for i := range results {
		work <- i
	}
	close(work)
	wg.Wait()

	rep := summarize(results)
	text := rep.markdown()
	t.Log("\n" + text)
	if out := os.Getenv("PCAPTOOL_PRINT_CONFORMANCE_OUT"); out != "" {
		if err := os.WriteFile(out, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out := os.Getenv("PCAPTOOL_PRINT_CONFORMANCE_DIFFS"); out != "" {
		if err := os.WriteFile(out, []byte(rep.diffs.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range results {
		if c.err != nil {
			t.Errorf("%s -v%d: %v", filepath.Base(c.name), c.verbose, c.err)
		}
	}
}

// conformanceReport sums the comparisons.
type conformanceReport struct {
	files             int // counted files
	total, same       [2]int
	heads, sameHeads  [2]int // first lines of packets
	eqFiles           int    // files where both print as many lines at both verbosities
	eqTotal, eqSame   int
	keys              map[string]int
	perFile           map[string]int
	diffs             strings.Builder
	identicalFiles    int
	identicalFileList []string
}

func summarize(results []*conformanceFile) *conformanceReport {
	r := &conformanceReport{keys: map[string]int{}, perFile: map[string]int{}}
	for i := 0; i+1 < len(results); i += 2 {
		c0, c1 := results[i], results[i+1]
		if len(c0.want) == 0 {
			continue // tcpdump prints no packet line
		}
		r.files++
		base := filepath.Base(c0.name)
		eq := true
		fileSame := true
		for _, c := range []*conformanceFile{c0, c1} {
			total, same, heads, sameHeads := c.compare(func(key, want, got string) {
				r.keys[key]++
				r.perFile[base]++
				fmt.Fprintf(&r.diffs, "%s -v%d [%s]\n  tcpdump: %s\n  print:   %s\n", base, c.verbose, key, want, got)
			})
			r.total[c.verbose] += total
			r.same[c.verbose] += same
			r.heads[c.verbose] += heads
			r.sameHeads[c.verbose] += sameHeads
			if countLines(c.want) != countLines(c.got) {
				eq = false
			}
			if total != same {
				fileSame = false
			}
		}
		if fileSame {
			r.identicalFiles++
			r.identicalFileList = append(r.identicalFileList, base)
		}
		if eq {
			r.eqFiles++
			for _, c := range []*conformanceFile{c0, c1} {
				total, same := c.lines(nil)
				r.eqTotal += total
				r.eqSame += same
			}
		}
	}
	return r
}

func pct(a, b int) string {
	if b == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f %%", 100*float64(a)/float64(b))
}

// markdown renders the report: the scores, then the protocols ranked by
// differing lines.
func (r *conformanceReport) markdown() string {
	var b strings.Builder
	total, same := r.total[0]+r.total[1], r.same[0]+r.same[1]
	fmt.Fprintf(&b, "Files where tcpdump prints packet lines: %d (all lines identical at -v 0 and 1: %d)\n\n", r.files, r.identicalFiles)
	fmt.Fprintf(&b, "| | tcpdump lines | identical | share |\n|---|---:|---:|---:|\n")
	fmt.Fprintf(&b, "| -v 0 | %d | %d | %s |\n", r.total[0], r.same[0], pct(r.same[0], r.total[0]))
	fmt.Fprintf(&b, "| -v 1 | %d | %d | %s |\n", r.total[1], r.same[1], pct(r.same[1], r.total[1]))
	fmt.Fprintf(&b, "| **both** | %d | %d | **%s** |\n", total, same, pct(same, total))
	fmt.Fprintf(&b, "| first lines of packets only, both | %d | %d | %s |\n", r.heads[0]+r.heads[1], r.sameHeads[0]+r.sameHeads[1], pct(r.sameHeads[0]+r.sameHeads[1], r.heads[0]+r.heads[1]))
	fmt.Fprintf(&b, "| files printing as many lines (%d) | %d | %d | %s |\n\n", r.eqFiles, r.eqTotal, r.eqSame, pct(r.eqSame, r.eqTotal))
	type kv struct {
		k string
		n int
	}
	var ks []kv
	for k, n := range r.keys {
		ks = append(ks, kv{k, n})
	}
	slices.SortFunc(ks, func(a, b kv) int { return cmp.Or(b.n-a.n, strings.Compare(a.k, b.k)) })
	fmt.Fprintf(&b, "| protocol (tcpdump's words) | differing lines | share of all lines |\n|---|---:|---:|\n")
	for i, e := range ks {
		if i == 40 {
			rest := 0
			for _, e := range ks[i:] {
				rest += e.n
			}
			fmt.Fprintf(&b, "| %d others | %d | %s |\n", len(ks)-i, rest, pct(rest, total))
			break
		}
		fmt.Fprintf(&b, "| %s | %d | %s |\n", e.k, e.n, pct(e.n, total))
	}
	if os.Getenv("PCAPTOOL_PRINT_CONFORMANCE_FILES") == "1" {
		var fs []kv
		for k, n := range r.perFile {
			fs = append(fs, kv{k, n})
		}
		slices.SortFunc(fs, func(a, b kv) int { return cmp.Or(b.n-a.n, strings.Compare(a.k, b.k)) })
		fmt.Fprintf(&b, "\n| file | differing lines |\n|---|---:|\n")
		for _, e := range fs {
			fmt.Fprintf(&b, "| %s | %d |\n", e.k, e.n)
		}
		fmt.Fprintf(&b, "\nIdentical files: %s\n", strings.Join(r.identicalFileList, " "))
	}
	return b.String()
}

// TestPrintConformanceSample checks, at -v 0 and 1, that every line of the
// sample files is identical to tcpdump's (CI's regression guard).
func TestPrintConformanceSample(t *testing.T) {
	tcpdump := testenv.RequireTool(t, "tcpdump")
	dir := testenv.CorpusDir(t, "tcpdump")
	for _, file := range conformanceSample {
		for v := range 2 {
			t.Run(fmt.Sprintf("%s/v%d", file, v), func(t *testing.T) {
				name := filepath.Join(dir, file)
				if _, err := os.Stat(name); err != nil {
					t.Skipf("%s not in the corpus", file)
				}
				c := compareFile(tcpdump, name, v)
				if c.err != nil {
					t.Fatal(c.err)
				}
				n := 0
				total, same := c.lines(func(key, want, got string) {
					if n++; n <= 5 {
						t.Errorf("[%s]\n  tcpdump: %s\n  print:   %s", key, want, got)
					}
				})
				if total == 0 || total != same {
					t.Errorf("%d of %d lines identical", same, total)
				}
			})
		}
	}
}
