//go:build linux

package outfile

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

func TestAdvance(t *testing.T) {
	for _, tc := range []struct {
		pieces []string
		n      int
		want   []string
	}{
		{[]string{"ab", "cd"}, 0, []string{"ab", "cd"}},
		{[]string{"ab", "cd"}, 1, []string{"b", "cd"}},
		{[]string{"ab", "cd"}, 2, []string{"cd"}},
		{[]string{"ab", "", "cd"}, 3, []string{"d"}},
		{[]string{"ab", "cd"}, 4, nil},
	} {
		var v [][]byte
		for _, p := range tc.pieces {
			v = append(v, []byte(p))
		}
		var got []string
		for _, p := range advance(v, tc.n) {
			got = append(got, string(p))
		}
		if len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) {
			t.Errorf("advance(%q, %d) = %q, want %q", tc.pieces, tc.n, got, tc.want)
		}
	}
}

// pieces returns n pieces of varied sizes, some empty, and their
// concatenation.
func pieces(n int) ([][]byte, []byte) {
	var v [][]byte
	var all []byte
	for i := range n {
		p := bytes.Repeat([]byte{byte(i)}, i%7*100)
		v = append(v, p)
		all = append(all, p...)
	}
	return v, all
}

func TestWriteVectors(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := unix.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{filepath.Join(dir, "out"), fifo} {
		v, want := pieces(2500) // three writev calls, more than a pipe holds
		got := make(chan []byte, 1)
		if name == fifo {
			go func() {
				r, err := os.Open(fifo)
				if err != nil {
					got <- nil
					return
				}
				b, _ := io.ReadAll(r)
				r.Close()
				got <- b
			}()
		}
		f, err := Create(name, Options{})
		if err != nil {
			t.Fatal(err)
		}
		n, err := f.WriteVectors(v)
		if err != nil || n != int64(len(want)) {
			t.Fatalf("%s: WriteVectors = %d, %v; want %d", name, n, err, len(want))
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		var b []byte
		if name == fifo {
			b = <-got
		} else if b, err = os.ReadFile(name); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, want) {
			t.Errorf("%s: %d bytes read back differ from the %d written", name, len(b), len(want))
		}
	}
}
