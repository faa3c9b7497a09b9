// Package testgen writes generated captures (package synth) to files for
// the tests of packages built on capfile. capfile's own tests cannot import
// it, since it imports capfile: they keep a twin, writeGenerated.
package testgen

import (
	"testing"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

// Write writes the packets cfg generates to a new capture file path, as
// capfile.Create with opts writes it (the format from opts, else from the
// name), failing t on any error.
func Write(t testing.TB, path string, opts capfile.WriterOptions, cfg synth.Config) {
	t.Helper()
	w, err := capfile.Create(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort() // after a failure; nothing once closed
	if _, err := pkt.Copy(w, synth.New(cfg)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}
