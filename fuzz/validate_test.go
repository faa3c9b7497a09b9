package fuzz

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"testing"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/inspect"
	damaged "github.com/pcaptool/pcaptool/internal/damage"
	"github.com/pcaptool/pcaptool/validate"
)

// FuzzValidate checks the validator against arbitrary bytes: it never
// panics, every finding lies inside the input, the counts add up, what it
// keeps (the repair) reads back without error and with as many packets as
// it reports usable, and it agrees with the readers: a file it finds
// clean reads to the end, and a file a reader fails on has an error
// finding.
func FuzzValidate(f *testing.F) {
	for _, s := range seedFiles(f) {
		if plain, ok := decompress(s); ok {
			f.Add(plain, false)
			f.Add(plain, true)
		}
	}
	// Damaged shapes that once made validate and repair panic (two files
	// concatenated, a restarted capture, garbage in a pcapng, a damaged
	// section header) and the rest of the recovery test set, small.
	for _, c := range damaged.Set(12) {
		f.Add(c.Data, false)
	}
	f.Fuzz(func(t *testing.T, data []byte, strict bool) {
		var kept bytes.Buffer
		rep, err := validate.Reader(bytes.NewReader(data), validate.Options{Strict: strict, MaxFindings: 50,
			Keep: func(b []byte) error { kept.Write(b); return nil }})
		if err != nil {
			t.Fatalf("reading from memory failed: %v", err)
		}
		// Bugs live past the buffer: a window of a few bytes, so that every
		// block and resync crosses a refill, gives the same result.
		window := 1
		if len(data) > 0 {
			window += int(data[len(data)-1] % 16)
		}
		var keptSmall bytes.Buffer
		small, err := validate.Reader(bytes.NewReader(data), validate.Options{Strict: strict, MaxFindings: 50,
			WindowSize: window, Keep: func(b []byte) error { keptSmall.Write(b); return nil }})
		if err != nil {
			t.Fatalf("reading from memory with a %d-byte window failed: %v", window, err)
		}
		if !bytes.Equal(kept.Bytes(), keptSmall.Bytes()) || small.Errors != rep.Errors || small.Warnings != rep.Warnings ||
			small.UsablePackets != rep.UsablePackets || small.Dropped.Bytes != rep.Dropped.Bytes || small.Size != rep.Size {
			t.Fatalf("a %d-byte window gives %d errors, %d warnings, %d usable packets, %d bytes dropped, %d kept; "+
				"the default %d, %d, %d, %d, %d", window, small.Errors, small.Warnings, small.UsablePackets,
				small.Dropped.Bytes, keptSmall.Len(), rep.Errors, rep.Warnings, rep.UsablePackets, rep.Dropped.Bytes, kept.Len())
		}
		if rep.Format != "unknown" && rep.Size != int64(len(data)) {
			t.Errorf("report size %d, input %d bytes", rep.Size, len(data))
		}
		errs, warns := 0, 0
		for _, fd := range rep.Findings {
			if fd.Offset < 0 || fd.Offset > int64(len(data)) {
				t.Errorf("finding outside the %d-byte input: %v", len(data), fd)
			}
			if fd.Block < -1 || fd.Packet < -1 || fd.Code == "" || fd.Message == "" {
				t.Errorf("malformed finding %+v", fd)
			}
			switch fd.Severity {
			case validate.Error:
				errs++
			case validate.Warning:
				warns++
			}
		}
		if rep.Errors < errs || rep.Warnings < warns ||
			rep.Errors+rep.Warnings+countInfo(rep) != len(rep.Findings)+rep.FindingsOmitted {
			t.Errorf("counts: %d errors, %d warnings, %d findings listed, %d omitted", rep.Errors, rep.Warnings,
				len(rep.Findings), rep.FindingsOmitted)
		}
		if rep.UsablePackets > rep.Packets || rep.Packets > rep.Blocks {
			t.Errorf("%d usable packets, %d packets, %d blocks", rep.UsablePackets, rep.Packets, rep.Blocks)
		}
		if rep.Format == "unknown" {
			return
		}
		// The repair is a valid capture with the usable packets.
		if kept.Len() > 0 {
			in := readCapture(kept.Bytes())
			switch {
			case in == nil:
				t.Fatalf("the %d repaired bytes are not a capture", kept.Len())
			case in.err != nil:
				t.Fatalf("repaired output unreadable after %d packets: %v", len(in.list.pkts), in.err)
			case len(in.list.pkts) < maxPackets && len(in.list.pkts) != rep.UsablePackets:
				t.Fatalf("repair keeps %d packets, report says %d usable", len(in.list.pkts), rep.UsablePackets)
			}
		}
		// Agreement with the readers.
		in := readCapture(data)
		if in == nil {
			if rep.Errors == 0 {
				t.Fatalf("the reader refuses the file, validation finds no error")
			}
			return
		}
		if in.err != nil && rep.Errors == 0 {
			t.Fatalf("the reader fails after %d packets (%v), validation finds no error", len(in.list.pkts), in.err)
		}
		if rep.Errors == 0 && len(in.list.pkts) < maxPackets && len(in.list.pkts) != rep.Packets {
			t.Fatalf("clean file: reader returns %d packets, validation counts %d", len(in.list.pkts), rep.Packets)
		}
	})
}

func countInfo(rep *validate.Report) int {
	n := 0
	for _, fd := range rep.Findings {
		if fd.Severity != validate.Error && fd.Severity != validate.Warning {
			n++
		}
	}
	return n
}

// decompress returns the content of a possibly compressed capture, and
// false when it is larger than the fuzz limits.
func decompress(data []byte) ([]byte, bool) {
	raw, err := capfile.NewRawReader(bytes.NewReader(data), "input")
	if err != nil {
		return nil, false
	}
	defer raw.Close()
	plain, err := io.ReadAll(io.LimitReader(raw, maxDataBytes+1))
	if err != nil || len(plain) > maxDataBytes {
		return nil, false
	}
	return plain, true
}

// FuzzInspect summarises arbitrary bytes: no panic, the packet count is the
// number of packets a reader returns before its first error, and the size
// and hash are those of the input.
func FuzzInspect(f *testing.F) {
	for _, s := range seedFiles(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, ok := decompress(data); !ok {
			return // not decompressible, or a decompression bomb
		}
		s, err := inspect.SummarizeReader(bytes.NewReader(data), "input", inspect.Options{Hashes: []string{"sha256"}})
		in := readCapture(data)
		if s == nil {
			if in != nil {
				t.Fatalf("capfile reads the input, inspect does not: %v", err)
			}
			return
		}
		if in == nil {
			t.Fatalf("inspect summarises what capfile refuses (err %v)", err)
		}
		if (err != nil) != (s.Error != "") {
			t.Fatalf("error %v, summary error %q", err, s.Error)
		}
		if s.FileSize != int64(len(data)) {
			t.Fatalf("file size %d, input %d bytes", s.FileSize, len(data))
		}
		sum := sha256.Sum256(data)
		if got := s.Hashes["sha256"]; got != hex.EncodeToString(sum[:]) {
			t.Fatalf("sha256 %s, want %x", got, sum)
		}
		if n := len(in.list.pkts); n < maxPackets && s.Packets != uint64(n) {
			t.Fatalf("inspect counts %d packets, the reader returns %d (reader error %v, inspect error %v)",
				s.Packets, n, in.err, err)
		}
		if in.err == nil && len(in.list.pkts) < maxPackets && err != nil {
			t.Fatalf("the reader reads the whole input, inspect fails: %v", err)
		}
	})
}
