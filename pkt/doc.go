// Package pkt is pcaptool's packet model: the vocabulary that the file
// formats (pcap, pcapng, capfile), live capture, the editcap-style transforms
// (convert), the filter and the decoders share.
//
// A [Packet] is one captured packet: its time, its bytes, the index of the
// [Interface] that captured it, its pcapng-style [Option] values and, when
// the source recorded them, the Linux capture metadata of [LinkInfo]. An
// Interface describes a capture interface: link type, snap length,
// timestamp [Resolution] and options. Option codes are typed ([OptionCode])
// and declared once here, with the names the pcapng specification gives
// them.
//
// A [Reader] is a stream of packets: ReadPacket returns a packet whose data
// stays valid only until the next call, so a pipeline moves packets without
// copying them; [Packet.Clone] and [Packet.CopyTo] keep one longer. A
// [Writer] consumes such a stream. [Copy] drives a reader into a writer and
// tells the writer about interfaces as they appear; [All] ranges over a
// stream with for ... range; [FromSlice] makes a Reader of packets in
// memory.
//
// The package name is short and distinct from github.com/mdlayher/packet,
// which live capture imports beside it.
package pkt
