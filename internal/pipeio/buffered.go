package pipeio

import (
	"bufio"
	"io"
)

// BufferedReader is what the pcap and pcapng readers parse from: a
// *bufio.Reader, or any reader with the same Peek, Discard and Size, such
// as a Peeker, whose bytes are then parsed in place without another copy.
type BufferedReader interface {
	io.Reader
	Peek(n int) ([]byte, error)
	Discard(n int) (int, error)
	Size() int
}

// Buffered returns r itself when it is already a BufferedReader (a
// *bufio.Reader only when it holds size bytes at least), else r behind a
// bufio.Reader of size bytes.
func Buffered(r io.Reader, size int) BufferedReader {
	if br, ok := r.(BufferedReader); ok {
		if _, isBufio := r.(*bufio.Reader); !isBufio {
			return br
		}
	}
	return bufio.NewReaderSize(r, size)
}

// BufferedWriter is what the pcap and pcapng writers write to: a
// *bufio.Writer, or a Gather, which passes lent packet bytes on without
// copying them.
type BufferedWriter interface {
	io.Writer
	Flush() error
}

// BufferWriter returns w itself when it is a Gather, else w behind a
// bufio.Writer of size bytes.
func BufferWriter(w io.Writer, size int) BufferedWriter {
	if g, ok := w.(*Gather); ok {
		return g
	}
	return bufio.NewWriterSize(w, size)
}
