package capfile

import "github.com/pcaptool/pcaptool/pcapng"

// Size returns the size of the capture file written so far, buffered bytes
// included, as C's ftell reports it for a stdio stream: what tcpdump's -C
// compares with its limit. For compressed output it is the size before
// compression. A pcap file's header counts once the first packet, or a
// Flush, wrote it.
func (w *Writer) Size() int64 {
	switch {
	case w.pcapng != nil:
		return w.pcapng.Blocks().Offset()
	case w.pcap != nil:
		return w.pcap.Offset()
	}
	return 0
}

// Pcapng returns the pcapng writer underneath, for blocks other than
// packets and interfaces (statistics, name resolution); nil when the
// format is pcap.
func (w *Writer) Pcapng() *pcapng.PacketWriter { return w.pcapng }
