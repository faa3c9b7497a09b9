// Package pcap reads and writes classic libpcap capture files.
//
// It understands both byte orders, microsecond (0xa1b2c3d4) and nanosecond
// (0xa1b23c4d) timestamps, the "modified" format of Alexey Kuznetzov's
// patches (0xa1b2cd34, whose records carry an interface index, protocol and
// packet type), and the FCS-length bits of the link-type field.
//
// [Reader] follows libpcap's rules for what a valid file is: versions 2.0 to
// 2.4 (and DG/UX's 543.0), capture lengths swapped with original lengths in
// files older than 2.3, and a per-link-type ceiling on the capture length
// (256 KiB for most). Reading never allocates more than the data actually
// present justifies, so a hostile length field fails with an error.
//
// [Reader] is a pkt.Reader: ReadPacket returns a *pkt.Packet valid until the
// next call (Packet.Clone or Packet.CopyTo keep one), the file's one
// interface comes from its header, and the records of the modified format
// fill Packet.Link. [Writer] is a pkt.Writer: WritePacket takes a
// *pkt.Packet. Errors about the bytes, read or to be written, are
// *FormatError values naming the record and its offset. Reader also
// satisfies gopacket's PacketDataSource and ZeroCopyPacketDataSource.
package pcap
