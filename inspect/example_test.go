package inspect_test

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/inspect"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

// Summarise a capture file.
func ExampleSummarize() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	name := filepath.Join(dir, "x.pcapng")
	w, _ := capfile.Create(name, capfile.WriterOptions{})
	pkt.Copy(w, synth.New(synth.Config{Packets: 100, Seed: 1, MeanGap: time.Millisecond}))
	w.Close()

	s, err := inspect.Summarize(name, inspect.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(s.FileType, s.Encapsulation, s.TimestampPrecision)
	fmt.Println(s.Packets, "packets on", len(s.Interfaces), "interface, in time order:", s.TimeOrder)
	// Output:
	// pcapng EN10MB nanoseconds
	// 100 packets on 1 interface, in time order: strict
}
