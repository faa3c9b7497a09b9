package validate

import (
	"bufio"
	"fmt"

	"github.com/pcaptool/pcaptool/capfile"
)

// Repair copies what is readable of the capture file in to out and reports
// what it left out. Sound blocks and records are copied byte for byte; a
// block with malformed options keeps the options before the damage; blocks
// that cannot be used are dropped and, in pcapng, reading resumes at the
// next plausible block (a known type, a sane length and a matching trailing
// length); in pcap, at the next pair of plausible records. A kept section
// header that declared a section length says "unknown" (-1) instead, as
// dropping blocks would make the number false. Interfaces are renumbered
// when an interface description is dropped.
//
// The output keeps the input's format (pcap or pcapng) whatever out's
// extension; its compression follows out's extension (.gz, .zst, .lz4). It
// is written to a temporary file renamed into place only on success; "-"
// writes to standard output. Input that is neither pcap nor pcapng gives
// ErrNotCapture and no output.
func Repair(in, out string, opts Options) (*Report, error) {
	r, err := capfile.OpenRaw(in)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	w, err := capfile.CreateRaw(out, capfile.WriterOptions{Group: opts.OutputGroup})
	if err != nil {
		return nil, err
	}
	defer w.Abort()
	bw := bufio.NewWriterSize(w, 1<<20)
	opts.Keep = func(b []byte) error {
		_, err := bw.Write(b)
		return err
	}
	rep, err := Reader(r, opts)
	if rep != nil {
		rep.Name = in
		rep.Compression = r.Compression().String()
	}
	if err != nil {
		return rep, fmt.Errorf("%s: %w", in, err)
	}
	if rep.Format == "unknown" {
		return rep, fmt.Errorf("%s: %w", in, ErrNotCapture)
	}
	if err := bw.Flush(); err != nil {
		return rep, err
	}
	if err := w.Close(); err != nil {
		return rep, err
	}
	return rep, nil
}
