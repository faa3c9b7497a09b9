package pcapgo_test

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

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
// gives the packets of Wireshark's view, or what differs. Where only the
// time differs, libpcap settles it: Wireshark 4.0 reads a sub-second field
// of 2^31 or more as negative, libpcap (and pcaptool) as unsigned; settled
// counts those packets.
func compareWithWireshark(path string, isPcapng bool, view *wireshark.View, open openFunc, libpcap func() []time.Time) (problem string, settled int) {
	defer func() {
		if p := recover(); p != nil {
			problem = fmt.Sprintf("panic: %v", p)
		}
	}()
	f, err := os.Open(path)
	if err != nil {
		return err.Error(), 0
	}
	defer f.Close()
	src, err := open(f, isPcapng)
	if err != nil {
		return "refused: " + err.Error(), 0
	}
	for n := 0; ; n++ {
		data, ci, err := src.ReadPacketData()
		if err == io.EOF {
			if n != len(view.Packets) {
				return fmt.Sprintf("%d packets, Wireshark %d", n, len(view.Packets)), settled
			}
			return "", settled
		}
		if err != nil {
			return fmt.Sprintf("packet %d: %v", n, err), settled
		}
		if n >= len(view.Packets) {
			return fmt.Sprintf("more than Wireshark's %d packets", len(view.Packets)), settled
		}
		d := view.Diff(n, ci.Timestamp, ci.Timestamp.IsZero(), ci.CaptureLength, ci.Length, data)
		if strings.HasPrefix(d, "time ") {
			if lp := libpcap(); n < len(lp) && lp[n].Equal(ci.Timestamp) {
				// Compare the rest with Wireshark's time put aside.
				if d = view.Diff(n, view.Packets[n].Time, false, ci.CaptureLength, ci.Length, data); d == "" {
					settled++
				}
			}
		}
		if d != "" {
			return fmt.Sprintf("packet %d: %s", n, d), settled
		}
	}
}

// libpcapTimes returns the packet times libpcap reads from path (tcpdump -r
// -w at nanosecond precision), or nil when it cannot.
func libpcapTimes(path, tmp string) []time.Time {
	out := filepath.Join(tmp, filepath.Base(path)+".libpcap.pcap")
	defer os.Remove(out)
	if err := exec.Command("tcpdump", "-r", path, "--time-stamp-precision=nano", "-w", out).Run(); err != nil {
		return nil
	}
	f, err := os.Open(out)
	if err != nil {
		return nil
	}
	defer f.Close()
	r, err := pcap.NewReader(f)
	if err != nil {
		return nil
	}
	var times []time.Time
	for {
		rec, err := r.ReadPacket()
		if err != nil {
			return times
		}
		times = append(times, rec.Timestamp)
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
	type result struct {
		file, ours, theirs, theirsDefault string
		settled                           int // packets whose time libpcap settled
	}
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
				var lp []time.Time
				libpcap := func() []time.Time {
					if lp == nil {
						lp = libpcapTimes(f, tmp)
					}
					return lp
				}
				r := result{file: f}
				r.ours, r.settled = compareWithWireshark(f, isPcapng[f], view, openOurs, libpcap)
				r.theirs, _ = compareWithWireshark(f, isPcapng[f], view, openGopacket, libpcap)
				r.theirsDefault, _ = compareWithWireshark(f, isPcapng[f], view, openGopacketDefault, libpcap)
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
	var ours, theirs, theirsDefault, settledFiles, settled int
	var theirMisses []string
	for _, r := range results {
		name := filepath.Base(r.file)
		if r.ours == "" {
			ours++
		} else {
			t.Errorf("%s: %s", name, r.ours)
		}
		if r.settled > 0 {
			settledFiles++
			settled += r.settled
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
	t.Logf("%d files; Wireshark refuses %d, reads %d. pcaptool/pcapgo gives the packets Wireshark shows for %d "+
		"(in %d of them, %d packet times are libpcap's, where Wireshark 4.0 reads a sub-second field >= 2^31 as negative); "+
		"gopacket's pcapgo v1.1.19 for %d with WantMixedLinkType, %d with its default options",
		len(files), refused, len(results), ours, settledFiles, settled, theirs, theirsDefault)
	if testing.Verbose() && len(theirMisses) > 0 {
		t.Logf("gopacket's pcapgo (WantMixedLinkType) differs on:\n%s", strings.Join(theirMisses, "\n"))
	}
	if len(results) == 0 {
		t.Error("no file of the sample is readable by Wireshark")
	}
}
