package pcapgo_test

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/google/gopacket"
	gopacketpcapgo "github.com/google/gopacket/pcapgo"

	"github.com/pcaptool/pcaptool/internal/testenv"
	"github.com/pcaptool/pcaptool/internal/wireshark"
	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pcapgo"
	"github.com/pcaptool/pcaptool/pcapng"
)

// packetSource is what both pcapgo packages' readers have in common.
type packetSource interface {
	ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
}

// openFunc opens a pcap or pcapng file, chosen by its magic, through one of
// the two pcapgo packages.
type openFunc func(f io.Reader, isPcapng bool) (packetSource, error)

func openOurs(f io.Reader, isPcapng bool) (packetSource, error) {
	if isPcapng {
		return pcapgo.NewNgReader(f, pcapgo.NgReaderOptions{WantMixedLinkType: true})
	}
	return pcapgo.NewReader(f)
}

// openGopacketDefault opens pcapng files with gopacket's default options,
// which skip the packets of interfaces whose link type is not the first's.
func openGopacketDefault(f io.Reader, isPcapng bool) (packetSource, error) {
	if isPcapng {
		return gopacketpcapgo.NewNgReader(f, gopacketpcapgo.DefaultNgReaderOptions)
	}
	return gopacketpcapgo.NewReader(f)
}

func openGopacket(f io.Reader, isPcapng bool) (packetSource, error) {
	if isPcapng {
		return gopacketpcapgo.NewNgReader(f, gopacketpcapgo.NgReaderOptions{WantMixedLinkType: true})
	}
	return gopacketpcapgo.NewReader(f)
}

// compareWithWireshark reads path through open and returns "" when it
// gives the packets of Wireshark's view, or what differs.
func compareWithWireshark(path string, isPcapng bool, view *wireshark.View, open openFunc) (problem string) {
	defer func() {
		if p := recover(); p != nil {
			problem = fmt.Sprintf("panic: %v", p)
		}
	}()
	f, err := os.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	src, err := open(f, isPcapng)
	if err != nil {
		return "refused: " + err.Error()
	}
	for n := 0; ; n++ {
		data, ci, err := src.ReadPacketData()
		if err == io.EOF {
			if n != len(view.Packets) {
				return fmt.Sprintf("%d packets, Wireshark %d", n, len(view.Packets))
			}
			return ""
		}
		if err != nil {
			return fmt.Sprintf("packet %d: %v", n, err)
		}
		if n >= len(view.Packets) {
			return fmt.Sprintf("more than Wireshark's %d packets", len(view.Packets))
		}
		if d := view.Diff(n, ci.Timestamp, ci.Timestamp.IsZero(), ci.CaptureLength, ci.Length, data); d != "" {
			return fmt.Sprintf("packet %d: %s", n, d)
		}
	}
}

// corpusSample returns the capture files of the corpus: all of them with
// PCAPTOOL_PCAPGO_FULL=1, otherwise every 60th pcap and every 16th pcapng
// file, so that the default run stays short.
func corpusSample(t *testing.T) (files []string, isPcapng map[string]bool) {
	all := testenv.CorpusFiles(t, "")
	full := os.Getenv("PCAPTOOL_PCAPGO_FULL") == "1"
	isPcapng = map[string]bool{}
	var nPcap, nPcapng int
	for _, f := range all {
		head := make([]byte, 12)
		fd, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := io.ReadFull(fd, head)
		fd.Close()
		head = head[:n]
		switch {
		case pcap.IsPcap(head):
			nPcap++
			if full || nPcap%60 == 1 {
				files = append(files, f)
			}
		case pcapng.IsPcapng(head):
			nPcapng++
			isPcapng[f] = true
			if full || nPcapng%16 == 1 {
				files = append(files, f)
			}
		}
	}
	return files, isPcapng
}

// TestCorpusLikeWireshark reads corpus files through this package alone —
// Reader for pcap files, NgReader (with WantMixedLinkType) for pcapng ones,
// chosen by magic — and checks that every file Wireshark reads gives the
// packets Wireshark shows: count, times to the nanosecond, lengths and
// bytes (internal/wireshark; for a third of the sample, tshark's frame list
// is checked against that view too). gopacket's own pcapgo reads the same files for
// comparison; its misses are counted, not failed. A sample runs by default;
// PCAPTOOL_PCAPGO_FULL=1 (scripts/pcapgo-corpus.sh) runs the whole corpus.
func TestCorpusLikeWireshark(t *testing.T) {
	files, isPcapng := corpusSample(t)
	wireshark.Require(t)
	full := os.Getenv("PCAPTOOL_PCAPGO_FULL") == "1"
	type result struct{ file, ours, theirs, theirsDefault string }
	var (
		mu      sync.Mutex
		results []result
		refused int
	)
	tmp := t.TempDir()
	type job struct {
		file   string
		tshark bool // check Wireshark's view against tshark's frame list
	}
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range 2 { // the machine has 2 cores
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				f := j.file
				view, err := wireshark.Read(f, tmp)
				if err != nil {
					t.Error(err)
					continue
				}
				if j.tshark {
					if d := wireshark.CheckTshark(f, view); d != "" {
						t.Errorf("%s: Wireshark's view differs from tshark's frames: %s", filepath.Base(f), d)
					}
				}
				if !view.OK {
					mu.Lock()
					refused++
					mu.Unlock()
					continue
				}
				r := result{
					file:          f,
					ours:          compareWithWireshark(f, isPcapng[f], view, openOurs),
					theirs:        compareWithWireshark(f, isPcapng[f], view, openGopacket),
					theirsDefault: compareWithWireshark(f, isPcapng[f], view, openGopacketDefault),
				}
				mu.Lock()
				results = append(results, r)
				mu.Unlock()
			}
		}()
	}
	for i, f := range files {
		jobs <- job{f, !full && i%3 == 0}
	}
	close(jobs)
	wg.Wait()

	sort.Slice(results, func(i, j int) bool { return results[i].file < results[j].file })
	var ours, theirs, theirsDefault int
	var theirMisses []string
	for _, r := range results {
		name := filepath.Base(r.file)
		if r.ours == "" {
			ours++
		} else {
			t.Errorf("%s: %s", name, r.ours)
		}
		if r.theirs == "" {
			theirs++
		} else {
			theirMisses = append(theirMisses, name+": "+r.theirs)
		}
		if r.theirsDefault == "" {
			theirsDefault++
		}
	}
	t.Logf("%d files; Wireshark refuses %d, reads %d. pcaptool/pcapgo gives the packets Wireshark shows for %d; "+
		"gopacket's pcapgo v1.1.19 for %d with WantMixedLinkType, %d with its default options",
		len(files), refused, len(results), ours, theirs, theirsDefault)
	if testing.Verbose() && len(theirMisses) > 0 {
		t.Logf("gopacket's pcapgo (WantMixedLinkType) differs on:\n%s", strings.Join(theirMisses, "\n"))
	}
	if len(results) == 0 {
		t.Error("no file of the sample is readable by Wireshark")
	}
}
