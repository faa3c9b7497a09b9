// Package pcapng reads and writes pcapng capture files
// (draft-ietf-opsawg-pcapng) at two levels.
//
// # Blocks
//
// [Reader] returns one block at a time, like archive/tar's Reader, in
// constant memory: [Reader.Next] gives a typed [Block] — [SectionHeader],
// [InterfaceDescription], [EnhancedPacket], [SimplePacket], the obsolete
// [Packet], [NameResolution], [InterfaceStatistics], [DecryptionSecrets],
// [Custom], [SystemdJournalExport], or [UnknownBlock] for any other type.
// Blocks that fit in the read buffer (1 MiB by default) are decoded in place,
// without a copy, so a block and its slices are valid only until the next
// call; Block.Clone makes a copy that stays valid. Every block records its
// file offset, index, section and total length in its [BlockInfo].
//
// Options are kept in file order, unknown ones included, as raw values in the
// section's byte order, with typed accessors for the standard ones
// (InterfaceDescription.Resolution, EnhancedPacket.Flags,
// InterfaceStatistics.Received, ...). Whatever else a block holds — padding
// bytes, whether opt_endofopt was present, bytes after it, name resolution
// records of unknown types — is kept too, so [Writer] writes every block of
// an unmodified file back byte for byte. The Writer encodes each block in the
// byte order of the section it writes, chosen by the last SectionHeader, so a
// file can mix little- and big-endian sections.
//
// # Packets
//
// [PacketReader] and [PacketWriter] implement pkt.Reader and
// pkt.Writer. Enhanced, simple and obsolete packet blocks become
// pkt.Packet values, zero-copy and without allocation per packet; their
// timestamps are units × if_tsresol (base 10 or base 2) + if_tsoffset,
// truncated to the nanosecond. Interfaces are numbered across sections:
// section 0's first, then section 1's. Values of standard numeric options
// (if_speed, if_tzone, epb_flags, epb_dropcount, epb_packetid, epb_queue,
// eBPF verdicts) are converted to little-endian, as package pkt
// documents. The blocks that are not packets are summarised by
// [PacketReader.Sections], [PacketReader.Statistics] and
// [PacketReader.Names], or handed to a function set with
// [PacketReader.SetBlockHandler]. PacketReader is also a gopacket
// PacketDataSource and ZeroCopyPacketDataSource.
//
// # Errors and limits
//
// Malformed input yields a [*FormatError] naming the block index, type and
// file offset, wrapping a sentinel such as [ErrTruncated], [ErrBlockLength]
// or [ErrInterfaceID]; the blocks before the damage are returned first.
// Reading follows Wireshark's acceptance rules where they are stricter than
// the spec's or libpcap's, and libpcap's where Wireshark is lenient:
// versions 1.0 and 1.2; block total lengths at least 12, a multiple of 4 (Wireshark
// rounds other lengths up; libpcap rejects them, as here), equal leading and
// trailing lengths, at most [DefaultMaxBlockSize] (Wireshark's limit);
// options and records must fit in their block; packet interface ids must
// name an interface of the section; a simple packet block must hold exactly
// min(original length, snaplen) bytes plus padding; at packet level, a
// captured length above the link type's maximum (linktype.MaxPacketSize)
// is an error. Like Wireshark, it accepts statistics for undescribed
// interfaces, takes the first of several if_tsresol options, and ignores
// numeric options of the wrong size. Memory is allocated only as data
// arrives, so a hostile length cannot make the reader allocate much more
// than the input holds.
package pcapng
