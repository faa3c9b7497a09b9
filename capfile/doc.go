// Package capfile opens and creates capture files by name, whatever their
// format and compression, as pkt.Reader and pkt.Writer streams.
//
// Open sniffs the content: gzip, zstd and lz4 (frame format) compression are
// removed transparently, then the pcap or pcapng magic picks the reader.
// Create picks the format and compression from the options or from the file
// name (.pcap, .pcapng; .gz, .zst, .lz4), writes to a temporary file beside
// the destination and renames it into place on Close, so a failed or
// interrupted job never leaves a half-written file. The name "-" means
// standard input or standard output.
package capfile
