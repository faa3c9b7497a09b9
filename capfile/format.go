package capfile

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Format is a capture file format.
type Format int

// Formats. FormatAuto asks Create to choose from the file name.
const (
	FormatAuto Format = iota
	Pcap
	Pcapng
)

func (f Format) String() string {
	switch f {
	case Pcap:
		return "pcap"
	case Pcapng:
		return "pcapng"
	}
	return "auto"
}

// ParseFormat accepts the names editcap's -F uses for these formats.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(s) {
	case "pcap", "libpcap", "nsecpcap", "usecpcap":
		return Pcap, nil
	case "pcapng", "ng", "ntar":
		return Pcapng, nil
	case "", "auto":
		return FormatAuto, nil
	}
	return 0, fmt.Errorf("capfile: unknown file format %q (want pcap or pcapng)", s)
}

// Compression is a whole-file compression.
type Compression int

// Compressions. CompressionAuto asks Create to choose from the file name.
const (
	CompressionAuto Compression = iota
	CompressionNone
	Gzip
	Zstd
	LZ4
)

func (c Compression) String() string {
	switch c {
	case CompressionNone:
		return "none"
	case Gzip:
		return "gzip"
	case Zstd:
		return "zstd"
	case LZ4:
		return "lz4"
	}
	return "auto"
}

// ParseCompression accepts none, gzip (gz), zstd (zst) and lz4.
func ParseCompression(s string) (Compression, error) {
	switch strings.ToLower(s) {
	case "", "auto":
		return CompressionAuto, nil
	case "none", "no":
		return CompressionNone, nil
	case "gzip", "gz":
		return Gzip, nil
	case "zstd", "zst":
		return Zstd, nil
	case "lz4":
		return LZ4, nil
	}
	return 0, fmt.Errorf("capfile: unknown compression %q (want none, gzip, zstd or lz4)", s)
}

// FromName guesses format and compression from a file name's extensions,
// such as "x.pcapng.zst". Unknown parts come back as the Auto values.
func FromName(name string) (Format, Compression) {
	comp := CompressionAuto
	base := strings.ToLower(filepath.Base(name))
	switch filepath.Ext(base) {
	case ".gz", ".gzip":
		comp = Gzip
	case ".zst", ".zstd":
		comp = Zstd
	case ".lz4":
		comp = LZ4
	}
	if comp != CompressionAuto {
		base = strings.TrimSuffix(base, filepath.Ext(base))
	}
	switch filepath.Ext(base) {
	case ".pcap", ".cap", ".dmp":
		return Pcap, comp
	case ".pcapng", ".ntar", ".scap":
		return Pcapng, comp
	}
	return FormatAuto, comp
}

// Magic numbers of the compressed formats Open recognises.
var (
	gzipMagic = []byte{0x1f, 0x8b}
	zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}
	lz4Magic  = []byte{0x04, 0x22, 0x4d, 0x18}
)

func sniffCompression(b []byte) Compression {
	switch {
	case hasPrefix(b, zstdMagic):
		return Zstd
	case hasPrefix(b, lz4Magic):
		return LZ4
	case hasPrefix(b, gzipMagic):
		return Gzip
	}
	return CompressionNone
}

func hasPrefix(b, p []byte) bool {
	return len(b) >= len(p) && string(b[:len(p)]) == string(p)
}
