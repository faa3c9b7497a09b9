// Package pcapgo is a drop-in replacement for gopacket's pcapgo
// (github.com/google/gopacket/pcapgo, v1.1.19): the same types, functions
// and methods, with the same behaviour on valid files, built on this
// module's pcap, pcapng and live packages. A program switches by changing
// one import line:
//
//	import "github.com/pcaptool/pcaptool/pcapgo" // was "github.com/google/gopacket/pcapgo"
//
// What it reads that gopacket's pcapgo refuses or gets wrong, as Wireshark
// reads it:
//
//   - pcap records longer than the file's snap length (Wireshark and
//     tcpdump read them; the limit is the link type's maximum) or whose
//     captured length exceeds the original length, files of
//     versions older than 2.4 (lengths swapped before 2.3), the "modified"
//     format of Kuznetzov's patches, link types above 255 in the header;
//   - pcapng files with several sections, sections in either byte order
//     in one file, sections with no interface, the obsolete Packet Block,
//     statistics for interfaces that were never described, version 1.2
//     sections, and timestamps in any if_tsresol resolution (binary ones
//     too) exact to the nanosecond;
//   - snoop records whose captured part is shorter than the original
//     packet and padded.
//
// Damaged files give errors that name the byte offset and what was wrong
// (a *pcap.FormatError or *pcapng.FormatError) instead of garbage packets.
//
// Kept from gopacket's pcapgo where it differs from Wireshark, because
// programs rely on it: NgReader's CaptureInfo.InterfaceIndex counts
// interfaces within the current section, a Simple Packet Block has the zero
// time, NgReaderOptions.WantMixedLinkType is off by default (packets of
// interfaces whose link type differs from the first are skipped), NgWriter
// writes timestamps without subtracting the interface's TimestampOffset,
// and Writer is unbuffered (each WritePacket is one Write call).
//
// EthernetHandle captures through package live (AF_PACKET, Linux only;
// elsewhere NewEthernetHandle returns live.ErrUnsupported). Unlike
// gopacket's, it puts back a VLAN tag the driver stripped, as libpcap does,
// and still reports the tag in CaptureInfo.AncillaryData.
package pcapgo
