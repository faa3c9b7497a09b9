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

func TestNoAllocations(t *testing.T) {
	p := make([]byte, 1500)
	r := NewReadAhead(zeroReader{}, 4096, 2)
	defer r.Close()
	if n := testing.AllocsPerRun(1000, func() { r.Read(p) }); n != 0 {
		t.Errorf("Read allocates %v times", n)
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }
