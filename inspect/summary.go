package inspect

import (
	"time"

	"github.com/pcaptool/pcaptool/pkt"
)

// Summary is what Summarize reports about one capture file: the numbers
// capinfos reports, computed the same way. Its JSON encoding is the stable
// schema of "pcaptool info --json"; fields are never removed or renamed,
// only added.
type Summary struct {
	// File is the name the file was opened with.
	File string `json:"file"`
	// Format is "pcap" or "pcapng".
	Format string `json:"format"`
	// FileType is Wireshark's name for the file type: "pcap" (µs),
	// "nsecpcap", "modpcap" (Kuznetzov's patched libpcap) or "pcapng".
	FileType string `json:"file_type"`
	// Compression is "none", "gzip", "zstd" or "lz4".
	Compression string `json:"compression"`
	// FileSize is the size in bytes as stored, compressed if it is, as
	// capinfos reports it.
	FileSize int64 `json:"file_size"`
	// ByteOrder is "little-endian", "big-endian", or "mixed" for a pcapng
	// file whose sections differ.
	ByteOrder string `json:"byte_order"`
	// Version is the format version: "2.4" for pcap, the first section's
	// "1.0" for pcapng.
	Version string `json:"version"`
	// Encapsulation is the link type name shared by every interface
	// (linktype.LinkType.Name, such as "EN10MB"), "per-packet" when
	// interfaces differ, or "unknown" when there is none.
	Encapsulation string `json:"encapsulation"`
	// LinkTypes counts packets per link type, in order of first use.
	LinkTypes []LinkTypeCount `json:"link_types"`
	// TimestampPrecision names the resolution shared by every interface
	// ("microseconds", "nanoseconds", "milliseconds", "10^-N seconds"),
	// "per-packet" when interfaces differ, "unknown" when there is none.
	TimestampPrecision string `json:"timestamp_precision"`
	// TimestampDigits is the number of decimal digits of that precision
	// (6 for µs, 9 for ns), -1 for per-packet, -2 for unknown, as
	// capinfos prints it in parentheses.
	TimestampDigits int `json:"timestamp_digits"`
	// SnapLen is the file's snap length: the pcap header's, or for pcapng
	// the value every interface shares; 0 when not set or not shared.
	SnapLen uint32 `json:"snaplen"`
	// TruncatedPackets counts packets captured shorter than they were on
	// the wire (captured length < original length): whether the snap
	// length actually cut anything.
	TruncatedPackets uint64 `json:"truncated_packets"`
	// SnapLenInferredMin and SnapLenInferredMax are the smallest and
	// largest captured length among those packets (capinfos' "inferred"
	// packet size limit); 0 when no packet was cut.
	SnapLenInferredMin uint32 `json:"snaplen_inferred_min"`
	SnapLenInferredMax uint32 `json:"snaplen_inferred_max"`
	// Packets is the number of packets.
	Packets uint64 `json:"packets"`
	// DataBytes is the sum of the packets' original lengths (capinfos'
	// "Data size").
	DataBytes uint64 `json:"data_bytes"`
	// CapturedBytes is the sum of the captured lengths.
	CapturedBytes uint64 `json:"captured_bytes"`
	// TimesKnown is false when some packet has no timestamp (a pcapng
	// simple packet block); the times and rates below are then absent.
	TimesKnown bool `json:"times_known"`
	// FirstPacketTime and LastPacketTime are the earliest and the latest
	// packet timestamps (not the first and last in file order, which
	// differ when the file is not in time order), as capinfos reports
	// them; null when unknown or when there are no packets.
	FirstPacketTime *time.Time `json:"first_packet_time"`
	LastPacketTime  *time.Time `json:"last_packet_time"`
	// DurationNanoseconds is LastPacketTime - FirstPacketTime.
	DurationNanoseconds int64 `json:"duration_ns"`
	// DurationSeconds is the same in seconds.
	DurationSeconds float64 `json:"duration_seconds"`
	// DataByteRate and DataBitRate are DataBytes (times 8) per second of
	// duration; 0 when the duration is 0 or unknown.
	DataByteRate float64 `json:"data_byte_rate"`
	DataBitRate  float64 `json:"data_bit_rate"`
	// AveragePacketSize is DataBytes / Packets.
	AveragePacketSize float64 `json:"average_packet_size"`
	// AveragePacketRate is packets per second of duration.
	AveragePacketRate float64 `json:"average_packet_rate"`
	// TimeOrder is "strict" when every timestamp is at or after the
	// previous one (capinfos -o "True"), "unordered" when one goes back
	// ("False"), "unknown" when some packet has no timestamp.
	TimeOrder string `json:"time_order"`
	// Sections lists the pcapng section headers (one entry for pcap).
	Sections []Section `json:"sections"`
	// Interfaces lists the interfaces across all sections (one for pcap).
	Interfaces []Interface `json:"interfaces"`
	// PacketComments lists packet comments, at most Options.MaxComments.
	PacketComments []PacketComment `json:"packet_comments"`
	// PacketCommentCount counts all packet comments.
	PacketCommentCount int `json:"packet_comment_count"`
	// Blocks counts pcapng blocks by type abbreviation (SHB, IDB, EPB,
	// SPB, PB, NRB, ISB, DSB, CB, SJE, or the hexadecimal type).
	Blocks map[string]int `json:"blocks"`
	// ResolvedIPv4 and ResolvedIPv6 count name resolution entries (one per
	// address and name), as capinfos does.
	ResolvedIPv4 int `json:"resolved_ipv4"`
	ResolvedIPv6 int `json:"resolved_ipv6"`
	// DecryptionSecrets counts decryption secrets blocks.
	DecryptionSecrets int `json:"decryption_secrets"`
	// CustomBlocks counts custom blocks (both types).
	CustomBlocks int `json:"custom_blocks"`
	// Hashes maps "sha256", "sha1", "md5" to the hex digest of the file as
	// stored, for the algorithms asked for.
	Hashes map[string]string `json:"hashes,omitempty"`
	// Error, when not empty, says why reading stopped before the end; the
	// numbers describe what was read up to there.
	Error string `json:"error,omitempty"`
}

// LinkTypeCount is the number of packets of one link type.
type LinkTypeCount struct {
	LinkType uint16 `json:"link_type"`
	Name     string `json:"name"`
	Packets  uint64 `json:"packets"`
}

// Section is one pcapng section header.
type Section struct {
	Index     int    `json:"index"`
	Offset    int64  `json:"offset"`
	ByteOrder string `json:"byte_order"`
	Version   string `json:"version"`
	// SectionLength is the declared length, -1 when not given.
	SectionLength int64  `json:"section_length"`
	Hardware      string `json:"hardware,omitempty"`
	OS            string `json:"os,omitempty"`
	Application   string `json:"application,omitempty"`
	// Comments are the opt_comment values.
	Comments []string `json:"comments"`
	// Options are every option in file order, comments included.
	Options []Option `json:"options"`
	// Interfaces is the number of interfaces the section describes.
	Interfaces int `json:"interfaces"`
}

// Option is an option decoded for display.
type Option struct {
	Code pkt.OptionCode `json:"code"`
	// Name is the specification's name (if_name, shb_os, ...), or
	// "opt_<code>" for an unknown one.
	Name string `json:"name"`
	// Value is the value as text: strings as they are, numbers in
	// decimal, addresses in their usual notation, other values in hex.
	Value string `json:"value"`
}

// Interface is one interface (pcapng IDB, or the pcap file header).
type Interface struct {
	// Index is the global index: interfaces of later sections follow
	// those of earlier ones, as Wireshark numbers them.
	Index int `json:"index"`
	// Section is the index of the section that describes it.
	Section      int    `json:"section"`
	LinkType     uint16 `json:"link_type"`
	LinkTypeName string `json:"link_type_name"`
	// SnapLen is the interface's snap length; 0 means no limit.
	SnapLen uint32 `json:"snaplen"`
	// TimestampResolution is the if_tsresol code (6 = µs, 9 = ns, bit 7 =
	// powers of two).
	TimestampResolution uint8 `json:"timestamp_resolution"`
	// TicksPerSecond is the number of timestamp units in a second; 0
	// when too large for 64 bits.
	TicksPerSecond  uint64 `json:"ticks_per_second"`
	TimestampDigits int    `json:"timestamp_digits"`
	// TimestampOffset is if_tsoffset in seconds.
	TimestampOffset int64  `json:"timestamp_offset"`
	Name            string `json:"name,omitempty"`
	Description     string `json:"description,omitempty"`
	OS              string `json:"os,omitempty"`
	Hardware        string `json:"hardware,omitempty"`
	Filter          string `json:"filter,omitempty"`
	// Speed is if_speed in bits per second, 0 when absent.
	Speed uint64 `json:"speed,omitempty"`
	// FCSLen is if_fcslen (or the pcap header's FCS length), -1 when
	// absent.
	FCSLen int `json:"fcs_len"`
	// Options are every option in file order.
	Options []Option `json:"options"`
	// Packets counts the interface's packets.
	Packets uint64 `json:"packets"`
	// StatisticsBlocks counts the interface's statistics blocks.
	StatisticsBlocks int `json:"statistics_blocks"`
	// Statistics is the last statistics block's content, or null.
	Statistics *Statistics `json:"statistics"`
}

// Statistics is the content of an interface statistics block; absent
// counters are null.
type Statistics struct {
	Timestamp        time.Time  `json:"timestamp"`
	StartTime        *time.Time `json:"start_time,omitempty"`
	EndTime          *time.Time `json:"end_time,omitempty"`
	Received         *uint64    `json:"received,omitempty"`
	InterfaceDropped *uint64    `json:"interface_dropped,omitempty"`
	FilterAccepted   *uint64    `json:"filter_accepted,omitempty"`
	OSDropped        *uint64    `json:"os_dropped,omitempty"`
	Delivered        *uint64    `json:"delivered,omitempty"`
	Comments         []string   `json:"comments,omitempty"`
}

// PacketComment is one opt_comment of a packet.
type PacketComment struct {
	// Packet is the 1-based packet number, as Wireshark shows it.
	Packet  uint64 `json:"packet"`
	Comment string `json:"comment"`
}
