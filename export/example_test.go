package export_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/parquet-go/parquet-go"

	"github.com/pcaptool/pcaptool/export"
	"github.com/pcaptool/pcaptool/synth"
)

// Export the packets of a capture (here generated) to a Parquet file and
// read the first row back.
func Example() {
	dir, err := os.MkdirTemp("", "export")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "packets.parquet")

	e, err := export.Create(out, export.Options{})
	if err != nil {
		log.Fatal(err)
	}
	// Any pkt.Reader: capfile.Open("capture.pcapng") in a real program.
	if err := e.AddCapture("generated", synth.New(synth.Config{Packets: 100})); err != nil {
		e.Abort()
		log.Fatal(err)
	}
	if err := e.Close(); err != nil { // the file appears only now
		log.Fatal(err)
	}

	rows, err := parquet.ReadFile[export.PacketRow](out)
	if err != nil {
		log.Fatal(err)
	}
	r := rows[0]
	fmt.Println(len(rows), r.Number, *r.IPSrc, *r.IPDst, *r.SrcPort, *r.DstPort)
	// Output: 100 1 10.0.210.2 192.0.2.230 33913 25
}

// A Hive-style tree partitioned by hour, parts of at most a million rows.
func ExampleCreate_partitioned() {
	dir, err := os.MkdirTemp("", "export")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	e, err := export.Create(filepath.Join(dir, "table"), export.Options{
		Partition:      export.ByHour,
		MaxRowsPerFile: 1_000_000,
		PartPrefix:     "sensor1",
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := e.AddCapture("generated", synth.New(synth.Config{Packets: 100})); err != nil {
		e.Abort()
		log.Fatal(err)
	}
	if err := e.Close(); err != nil {
		log.Fatal(err)
	}
	for _, f := range e.Files() {
		rel, _ := filepath.Rel(dir, f)
		fmt.Println(rel)
	}
	// Output: table/date=2024-01-01/hour=00/sensor1-00000.parquet
}
