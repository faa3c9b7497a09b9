package main

import (
	"fmt"

	"github.com/pcaptool/pcaptool/capfile"
)

// maxPacketSize is the --max-packet-size root flag: a hard upper bound on
// the memory one packet or block may take when reading a capture.
var maxPacketSize int

func init() {
	rootCmd.PersistentFlags().IntVar(&maxPacketSize, "max-packet-size", 0,
		"largest pcap record or pcapng block accepted when reading, in bytes; larger ones are errors "+
			"(0: the link type's maximum for pcap records, 128 MiB for pcapng blocks, as Wireshark)")
}

// readerOptions returns the capfile options the root flags ask for.
func readerOptions() (capfile.ReaderOptions, error) {
	if maxPacketSize < 0 {
		return capfile.ReaderOptions{}, withExitCode(exitFailure,
			fmt.Errorf("--max-packet-size %d: want a number of bytes, or 0 for the default", maxPacketSize))
	}
	return capfile.ReaderOptions{MaxPacketSize: maxPacketSize}, nil
}

// openCapture is capfile.Open with the limits of the root flags; every
// command opens its inputs through it.
func openCapture(name string) (*capfile.Reader, error) {
	opts, err := readerOptions()
	if err != nil {
		return nil, err
	}
	return capfile.OpenOptions(name, opts)
}
