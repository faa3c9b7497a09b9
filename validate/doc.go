// Package validate checks the structure of pcap and pcapng files and
// repairs damaged ones.
//
// Reader and File walk a capture's bytes (decompressed) and report every
// problem as a Finding with a severity, a stable code, the byte offset, the
// block or record index, the packet index and a message. Checks: magic and
// file header, block total lengths (minimum, multiple of 4, maximum, past
// the end), trailing length equal to the leading one, options well formed,
// of the specified sizes and zero-padded, name resolution records, section
// lengths, interface ids in range, captured length against the block, the
// link type's maximum, the snap length and the original length, sub-second
// timestamp fields, a truncated last block or record and garbage after the
// end. With Options.Strict also: timestamps never going back, known link
// types, packets identical to one of the previous few, unknown block types.
//
// Validation keeps going after damage where the format allows: a pcapng
// block whose lengths agree is stepped over by its length whatever its
// body holds; after a block whose lengths cannot be trusted, reading
// re-synchronises at the next plausible block (a known type, a sane length,
// a matching trailing length and, for packets, an interface id in range); a
// pcap file re-synchronises at the next offset where two plausible records
// follow one another (or one ends the file). So one run reports many
// findings.
//
// Repair uses the same walk to copy what is readable: sound blocks byte for
// byte, blocks with malformed options cut before the damage, the rest
// dropped and reported. Memory use is bounded by the largest block.
package validate
