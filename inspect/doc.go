// Package inspect summarises capture files the way capinfos does: file
// type, encapsulations, timestamp precision, packet and byte counts,
// duration, earliest and latest packet times, rates, snap length (from the
// header and inferred from cut packets), interfaces with all their options
// and statistics, section options and comments, name resolution, decryption
// secrets and custom block counts, time order, compression and optional
// hashes.
//
// Summarize reads the file once, in constant memory, at the speed of the
// record readers: it never decodes packets, only their record headers, and
// allocates nothing per packet. The Summary type is the JSON schema of
// "pcaptool info --json".
//
// # Agreement with capinfos
//
// Every number agrees with capinfos -M (Wireshark 4.0) on the whole test
// corpus, except where capinfos' own definitions are odd; the oracle test
// applies exactly these rules:
//
//   - Multi-section pcapng files: capinfos prints every interface of the
//     file under each section, and counts packets and statistics blocks
//     under their section-local interface id (all of section 1's
//     interface-0 packets land on interface 0 of the file). Summary numbers
//     interfaces across sections, as wiretap does, and counts packets per
//     real interface; only the interface descriptions are compared.
//   - File snap length of pcapng: capinfos always says "(not set)";
//     Summary.SnapLen is the snap length every interface shares (0 when
//     they differ).
//   - SunATM pcap files (link type 123): wiretap strips a 4-byte
//     pseudo-header from both lengths of every packet, so capinfos' data
//     size and inferred snap length are 4 bytes per packet smaller.
//   - Timestamps more than 2^31 seconds apart: capinfos compares times with
//     nstime_cmp, which truncates the difference of the seconds to an int,
//     so its first/last time, duration, rates and time order are wrong for
//     such files (corrupt-timestamp test files).
//   - pcap sub-second fields out of range (>= 10^6 µs or 10^9 ns):
//     Wireshark keeps the field as it is and prints negative or oversized
//     fractions; Summary carries the excess into the seconds as libpcap does.
//   - Link type names: Summary uses libpcap's names (EN10MB); capinfos uses
//     Wireshark's (ether). The test checks that the two namings correspond
//     one to one.
//
// Custom blocks count as records without a timestamp, as in Wireshark: a
// file with one has TimesKnown false and TimeOrder "unknown".
package inspect
