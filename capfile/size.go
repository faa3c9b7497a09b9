package capfile

import (
	"io"

	"github.com/pcaptool/pcaptool/pcapng"
)

// countingWriter counts the bytes the format writers hand over, before any
// compression.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

// counted returns the output the format writer writes to, counting bytes.
func (w *Writer) counted() io.Writer {
	w.count = &countingWriter{w: w.out}
	return w.count
}

// Size returns the size of the capture file written so far, buffered bytes
// included, as C's ftell reports it for a stdio stream: what tcpdump's -C
// compares with its limit. For compressed output it is the size before
// compression. A pcap file's header counts once the first packet, or a
// Flush, wrote it.
func (w *Writer) Size() int64 {
	switch {
	case w.pcapng != nil:
		return w.count.n + int64(w.pcapng.Blocks().Buffered())
	case w.pcap != nil:
		return w.count.n + int64(w.pcap.Buffered())
	}
	return 0
}

// Pcapng returns the pcapng writer underneath, for blocks other than
// packets and interfaces (statistics, name resolution); nil when the
// format is pcap.
func (w *Writer) Pcapng() *pcapng.PacketWriter { return w.pcapng }
