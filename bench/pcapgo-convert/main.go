// Command pcapgo-convert converts a pcapng file to a nanosecond pcap file
// with gopacket's pcapgo package (NgReader to Writer), the way a Go program
// using gopacket would: the benchmark's peer for pcaptool convert.
//
// It is as fast as pcapgo allows: 1 MiB buffered input and output and
// ZeroCopyReadPacketData, which copies each packet once into a reused
// buffer instead of allocating it.
//
//	pcapgo-convert IN.pcapng OUT.pcap   (OUT "-" for standard output)
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/google/gopacket/pcapgo"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: pcapgo-convert IN.pcapng OUT.pcap")
		os.Exit(2)
	}
	if err := run(os.Args[1], os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "pcapgo-convert:", err)
		os.Exit(1)
	}
}

func run(inName, outName string) error {
	in, err := os.Open(inName)
	if err != nil {
		return err
	}
	defer in.Close()
	// NgReader wraps its input in bufio.NewReader, which keeps a
	// *bufio.Reader that is already large enough.
	ng, err := pcapgo.NewNgReader(bufio.NewReaderSize(in, 1<<20), pcapgo.DefaultNgReaderOptions)
	if err != nil {
		return fmt.Errorf("%s: %w", inName, err)
	}
	out := os.Stdout
	if outName != "-" {
		if out, err = os.Create(outName); err != nil {
			return err
		}
	}
	bw := bufio.NewWriterSize(out, 1<<20)
	w := pcapgo.NewWriterNanos(bw)
	snaplen := uint32(262144)
	if ifc, err := ng.Interface(0); err == nil && ifc.SnapLength != 0 {
		snaplen = ifc.SnapLength
	}
	if err := w.WriteFileHeader(snaplen, ng.LinkType()); err != nil {
		return err
	}
	for {
		data, ci, err := ng.ZeroCopyReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w", inName, err)
		}
		if err := w.WritePacket(ci, data); err != nil {
			return fmt.Errorf("%s: %w", outName, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if out != os.Stdout {
		return out.Close()
	}
	return nil
}
