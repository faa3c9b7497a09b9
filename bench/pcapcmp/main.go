// Command pcapcmp checks that a capture holds the frames of a sent file, in
// order, byte for byte, ignoring timestamps: the file repeated LOOPS times.
// It prints "match N" or what differs, and exits 1 on a difference.
//
//	pcapcmp SENT.pcap LOOPS CAPTURED.pcap
package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/google/gopacket/pcapgo"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: pcapcmp SENT.pcap LOOPS CAPTURED.pcap")
		os.Exit(2)
	}
	loops, err := strconv.Atoi(os.Args[2])
	if err != nil || loops < 1 {
		fail("LOOPS must be a positive number")
	}
	var sent [][]byte
	r := open(os.Args[1])
	for {
		data, _, err := r.ReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			fail(err.Error())
		}
		sent = append(sent, data)
	}
	c := open(os.Args[3])
	n := 0
	for {
		data, ci, err := c.ReadPacketData()
		if err == io.EOF {
			break
		}
		if err != nil {
			fail(err.Error())
		}
		if n >= loops*len(sent) {
			fmt.Printf("excess: more than %d packets\n", loops*len(sent))
			os.Exit(1)
		}
		if want := sent[n%len(sent)]; ci.Length != len(want) || !bytes.Equal(data, want) {
			fmt.Printf("differ at packet %d: %d bytes, sent %d\n", n+1, ci.Length, len(want))
			os.Exit(1)
		}
		n++
	}
	if n != loops*len(sent) {
		fmt.Printf("short: %d of %d packets\n", n, loops*len(sent))
		os.Exit(1)
	}
	fmt.Printf("match %d\n", n)
}

func open(name string) *pcapgo.Reader {
	f, err := os.Open(name)
	if err != nil {
		fail(err.Error())
	}
	r, err := pcapgo.NewReader(f)
	if err != nil {
		fail(name + ": " + err.Error())
	}
	return r
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "pcapcmp:", msg)
	os.Exit(2)
}
