package pipeio

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
	"testing/iotest"
)

func TestReadAheadSizes(t *testing.T) {
	data := make([]byte, 100_003)
	for i := range data {
		data[i] = byte(rand.Uint32())
	}
	for _, tc := range []struct{ block, blocks, chunk int }{
		{1, 2, 1}, {7, 2, 3}, {4096, 4, 1000}, {1 << 20, 4, 65536}, {100_003, 2, 100_003}, {13, 3, 4096},
	} {
		r := NewReadAhead(iotest.HalfReader(bytes.NewReader(data)), tc.block, tc.blocks)
		var got bytes.Buffer
		buf := make([]byte, tc.chunk)
		for {
			n, err := r.Read(buf)
			got.Write(buf[:n])
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		r.Close()
		if !bytes.Equal(got.Bytes(), data) {
			t.Errorf("block %d x %d, reads of %d: %d bytes differ from the %d written", tc.block, tc.blocks, tc.chunk, got.Len(), len(data))
		}
	}
}

func TestReadAheadError(t *testing.T) {
	boom := errors.New("boom")
	src := io.MultiReader(bytes.NewReader([]byte("hello")), iotest.ErrReader(boom))
	r := NewReadAhead(src, 3, 2)
	defer r.Close()
	got, err := io.ReadAll(r)
	if string(got) != "hello" || !errors.Is(err, boom) {
		t.Errorf("got %q, %v; want hello, boom", got, err)
	}
}

func TestReadAheadCloseEarly(t *testing.T) {
	r := NewReadAhead(bytes.NewReader(make([]byte, 1<<20)), 1024, 2)
	buf := make([]byte, 10)
	if _, err := r.Read(buf); err != nil {
		t.Fatal(err)
	}
	r.Close()
	if _, err := r.Read(make([]byte, 4096)); err == nil {
		// The current block may still hold bytes; reading past it fails.
		for err == nil {
			_, err = r.Read(make([]byte, 4096))
		}
		if !errors.Is(err, ErrClosed) {
			t.Errorf("read after Close: %v", err)
		}
	}
}

func TestWriteBehind(t *testing.T) {
	data := make([]byte, 50_001)
	for i := range data {
		data[i] = byte(i * 7)
	}
	for _, tc := range []struct{ block, blocks, chunk int }{{1, 2, 1}, {5, 3, 7}, {4096, 4, 100}, {1 << 20, 4, 50_001}} {
		var out bytes.Buffer
		w := NewWriteBehind(&out, tc.block, tc.blocks)
		for p := data; len(p) > 0; {
			n := min(tc.chunk, len(p))
			if _, err := w.Write(p[:n]); err != nil {
				t.Fatal(err)
			}
			p = p[n:]
			if len(p)%9999 == 0 {
				if err := w.Flush(); err != nil {
					t.Fatal(err)
				}
				if want := len(data) - len(p); out.Len() != want {
					t.Fatalf("after Flush %d bytes out, want %d", out.Len(), want)
				}
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), data) {
			t.Errorf("block %d x %d, writes of %d: output differs", tc.block, tc.blocks, tc.chunk)
		}
	}
}

type failWriter struct{ after int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.after <= 0 {
		return 0, errors.New("disk full")
	}
	f.after--
	return len(p), nil
}

func TestWriteBehindError(t *testing.T) {
	w := NewWriteBehind(&failWriter{after: 2}, 16, 2)
	var err error
	for i := 0; i < 100 && err == nil; i++ {
		_, err = w.Write(make([]byte, 10))
	}
	if err == nil {
		err = w.Flush()
	}
	if err == nil || err.Error() != "disk full" {
		t.Errorf("got %v, want disk full", err)
	}
	if err := w.Close(); err == nil {
		t.Error("Close after a failed write succeeded")
	}
}

func TestNoAllocations(t *testing.T) {
	w := NewWriteBehind(io.Discard, 4096, 2)
	p := make([]byte, 1500)
	if n := testing.AllocsPerRun(1000, func() { w.Write(p) }); n != 0 {
		t.Errorf("Write allocates %v times", n)
	}
	w.Close()
	r := NewReadAhead(zeroReader{}, 4096, 2)
	defer r.Close()
	if n := testing.AllocsPerRun(1000, func() { r.Read(p) }); n != 0 {
		t.Errorf("Read allocates %v times", n)
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }
