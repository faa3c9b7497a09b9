// Package convert holds the transforms that editcap, mergecap and
// reordercap perform on a stream of packets.
//
// The stream is package pkt's: a pkt.Reader yields packets one at a time,
// valid only until the next call, so a pipeline moves packets without
// copying them. Transforms wrap a pkt.Reader and are pkt.Readers
// themselves; a pkt.Writer consumes the result, and pkt.Copy drives the
// pipeline.
//
// The stages: [NewEdit] composes editcap's operations in editcap's order
// (packet selection, an optional filter stage such as the filter package's
// stream filter, time window, time shift and strict monotonic time, snap
// length, chopping, duplicate removal, link type, comments); [NewMerge] is
// mergecap's chronological k-way merge or concatenation with its interface
// merge modes; [NewSort] is reordercap's stable time sort, streaming through
// a bounded window when the input is nearly sorted and an external merge sort
// otherwise; [Split] cuts a stream into pieces by count, time or size.
//
// Packets whose record had no timestamp (Packet.NoTimestamp, from pcapng
// simple packet blocks) are treated as Wireshark's tools treat them: time
// stages leave them alone, a time window never contains them, merge takes
// them at once and sort puts them first.
//
// The package knows nothing about bytes on disk: the pcap and pcapng packages
// read and write files, and package capfile opens either by name.
package convert
