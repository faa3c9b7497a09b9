package flows_test

import (
	"io"
	"os"
	"os/exec"
	"runtime"
	"testing"

	"github.com/pcaptool/pcaptool/flows"
	"github.com/pcaptool/pcaptool/internal/testenv"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pcap"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

const benchPackets = 200_000

// writeSynth writes n synthetic packets to a pcap file.
func writeSynth(b testing.TB, n int) string {
	name := b.TempDir() + "/synth.pcap"
	f, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	w, err := pcap.NewWriter(f, pcap.FileHeader{SnapLen: 65535, LinkType: linktype.Ethernet, Resolution: pkt.Nanosecond})
	if err != nil {
		b.Fatal(err)
	}
	src := synth.New(synth.Config{Packets: n, Seed: 11})
	for {
		p, err := src.ReadPacket()
		if err == io.EOF {
			break
		}
		w.WritePacket(&pkt.Packet{Timestamp: p.Timestamp, Length: p.Length, Data: p.Data})
	}
	w.Flush()
	f.Close()
	return name
}

// BenchmarkFlows measures the tracker (decoding, conversations, TCP
// reassembly) over a generated pcap file, file reading included.
func BenchmarkFlows(b *testing.B) {
	name := writeSynth(b, benchPackets)
	st, _ := os.Stat(name)
	b.SetBytes(st.Size())
	b.ReportAllocs()
	for b.Loop() {
		r := openPcap(b, name)
		tr := flows.New(flows.Config{OnEnd: func(*flows.Conversation) {}})
		for {
			p, err := r.ReadPacket()
			if err != nil {
				break
			}
			tr.Add(p, linktype.Ethernet)
		}
		tr.Flush()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchPackets, "ns/packet")
}

// BenchmarkTsharkConvTCP runs tshark -q -z conv,tcp over the same file,
// for comparison with BenchmarkFlows.
func BenchmarkTsharkConvTCP(b *testing.B) {
	tshark := testenv.RequireTool(b, "tshark")
	name := writeSynth(b, benchPackets)
	for b.Loop() {
		if err := exec.Command(tshark, "-n", "-r", name, "-q", "-z", "conv,tcp").Run(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/benchPackets, "ns/packet")
}

// TestConstantMemory runs 2 million synthetic packets through a tracker
// with short timeouts and checks that the live heap stays bounded by open
// conversations rather than growing with the packets.
func TestConstantMemory(t *testing.T) {
	testenv.RequireLong(t)
	const n = 2_000_000
	src := synth.New(synth.Config{Packets: n, Seed: 5, Flows: 2048})
	ended := 0
	tr := flows.New(flows.Config{OnEnd: func(*flows.Conversation) { ended++ }})
	var ms runtime.MemStats
	var peak uint64
	var p *pkt.Packet
	var err error
	for i := 0; ; i++ {
		if p, err = src.ReadPacket(); err != nil {
			break
		}
		tr.Add(p, linktype.Ethernet)
		if i%250_000 == 0 {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
	}
	tr.Flush()
	t.Logf("%d packets, %d conversations reported, peak live heap %.1f MiB", n, ended, float64(peak)/(1<<20))
	if peak > 64<<20 {
		t.Errorf("peak heap %d MiB, want under 64 MiB", peak>>20)
	}
}
