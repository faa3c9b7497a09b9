package inspect

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"
)

// WriteText writes the summary as a report for people, laid out like
// capinfos' long report: one "Label: value" line per item with the values
// aligned, times in UTC.
func (s *Summary) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	line := func(label, format string, args ...any) {
		fmt.Fprintf(bw, "%-21s%s\n", label+":", fmt.Sprintf(format, args...))
	}
	line("File name", "%s", s.File)
	if s.Compression != "" && s.Compression != "none" {
		line("File type", "%s (%s compressed)", s.FileType, s.Compression)
	} else {
		line("File type", "%s", s.FileType)
	}
	line("Format version", "%s, %s", s.Version, s.ByteOrder)
	line("File encapsulation", "%s", s.Encapsulation)
	if s.Encapsulation == "per-packet" {
		bw.WriteString("Encapsulation in use by packets (# of pkts):\n")
		for _, lt := range s.LinkTypes {
			fmt.Fprintf(bw, "%21s%s (%d): %d\n", "", lt.Name, lt.LinkType, lt.Packets)
		}
	}
	line("Timestamp precision", "%s (%d)", s.TimestampPrecision, s.TimestampDigits)
	if s.SnapLen != 0 {
		line("Packet size limit", "%d bytes", s.SnapLen)
	} else {
		line("Packet size limit", "(not set)")
	}
	if s.TruncatedPackets > 0 {
		if s.SnapLenInferredMin == s.SnapLenInferredMax {
			line("Packet size limit", "inferred: %d bytes (%d packets cut)", s.SnapLenInferredMin, s.TruncatedPackets)
		} else {
			line("Packet size limit", "inferred: %d bytes - %d bytes (range; %d packets cut)",
				s.SnapLenInferredMin, s.SnapLenInferredMax, s.TruncatedPackets)
		}
	}
	line("Number of packets", "%d", s.Packets)
	line("File size", "%d bytes", s.FileSize)
	line("Data size", "%d bytes", s.DataBytes)
	line("Captured size", "%d bytes", s.CapturedBytes)
	digits := max(s.TimestampDigits, 0)
	if s.TimestampDigits < 0 {
		digits = 9
	}
	if s.FirstPacketTime != nil {
		line("Capture duration", "%s seconds", formatSeconds(s.DurationNanoseconds, digits))
		line("First packet time", "%s", formatTime(*s.FirstPacketTime, digits))
		line("Last packet time", "%s", formatTime(*s.LastPacketTime, digits))
	} else {
		line("Capture duration", "n/a")
		line("First packet time", "n/a")
		line("Last packet time", "n/a")
	}
	rate := func(label string, v float64, unit string) {
		if v > 0 {
			line(label, "%.2f %s", v, unit)
		} else {
			line(label, "n/a")
		}
	}
	rate("Data byte rate", s.DataByteRate, "bytes/s")
	rate("Data bit rate", s.DataBitRate, "bits/s")
	line("Average packet size", "%.2f bytes", s.AveragePacketSize)
	rate("Average packet rate", s.AveragePacketRate, "packets/s")
	for _, alg := range HashAlgorithms {
		if h, ok := s.Hashes[alg]; ok {
			line(hashLabel(alg), "%s", h)
		}
	}
	order := map[string]string{"strict": "True", "unordered": "False", "unknown": "Unknown"}[s.TimeOrder]
	line("Strict time order", "%s", order)
	for _, sec := range s.Sections {
		if s.Format == "pcapng" {
			fmt.Fprintf(bw, "Section %d (offset %d, version %s, %s, length %s):\n", sec.Index, sec.Offset, sec.Version,
				sec.ByteOrder, sectionLength(sec.SectionLength))
		}
		if sec.Hardware != "" {
			line("Capture hardware", "%s", oneLine(sec.Hardware))
		}
		if sec.OS != "" {
			line("Capture oper-sys", "%s", oneLine(sec.OS))
		}
		if sec.Application != "" {
			line("Capture application", "%s", oneLine(sec.Application))
		}
		for _, c := range sec.Comments {
			line("Capture comment", "%s", oneLine(c))
		}
		for _, o := range sec.Options {
			switch o.Name {
			case "shb_hardware", "shb_os", "shb_userappl", "opt_comment":
				continue
			}
			line("Section option", "%s = %s", o.Name, oneLine(o.Value))
		}
	}
	for _, c := range s.PacketComments {
		line(fmt.Sprintf("Packet %d comment", c.Packet), "%s", oneLine(c.Comment))
	}
	if n := s.PacketCommentCount - len(s.PacketComments); n > 0 {
		line("Packet comments", "%d more not listed", n)
	}
	if len(s.Interfaces) > 0 {
		fmt.Fprintf(bw, "Number of interfaces in file: %d\n", len(s.Interfaces))
	}
	for _, ifc := range s.Interfaces {
		writeInterface(bw, &ifc, s.Format == "pcapng")
	}
	if s.Format == "pcapng" {
		names := make([]string, 0, len(s.Blocks))
		for n := range s.Blocks {
			names = append(names, n)
		}
		sort.Strings(names)
		counts := ""
		for i, n := range names {
			if i > 0 {
				counts += ", "
			}
			counts += n + " " + strconv.Itoa(s.Blocks[n])
		}
		line("Blocks", "%s", counts)
	}
	if s.ResolvedIPv4 > 0 {
		fmt.Fprintf(bw, "Number of resolved IPv4 addresses in file: %d\n", s.ResolvedIPv4)
	}
	if s.ResolvedIPv6 > 0 {
		fmt.Fprintf(bw, "Number of resolved IPv6 addresses in file: %d\n", s.ResolvedIPv6)
	}
	if s.DecryptionSecrets > 0 {
		fmt.Fprintf(bw, "Number of decryption secrets in file: %d\n", s.DecryptionSecrets)
	}
	if s.CustomBlocks > 0 {
		fmt.Fprintf(bw, "Number of custom blocks in file: %d\n", s.CustomBlocks)
	}
	if s.Error != "" {
		line("Error", "%s", s.Error)
	}
	return bw.Flush()
}

func writeInterface(w *bufio.Writer, ifc *Interface, ng bool) {
	item := func(label, format string, args ...any) {
		fmt.Fprintf(w, "%21s%s = %s\n", "", label, fmt.Sprintf(format, args...))
	}
	fmt.Fprintf(w, "Interface #%d info:\n", ifc.Index)
	if ng {
		item("Section", "%d", ifc.Section)
	}
	if ifc.Name != "" {
		item("Name", "%s", oneLine(ifc.Name))
	}
	if ifc.Description != "" {
		item("Description", "%s", oneLine(ifc.Description))
	}
	item("Encapsulation", "%s (%d - %s)", ifc.LinkTypeName, ifc.LinkType, linkDescription(ifc.LinkType))
	if ifc.Speed != 0 {
		item("Speed", "%d", ifc.Speed)
	}
	item("Capture length", "%d", ifc.SnapLen)
	if ifc.FCSLen >= 0 {
		item("FCS length", "%d", ifc.FCSLen)
	}
	item("Time precision", "%s (%d)", precisionName(ifc.TimestampDigits), ifc.TimestampDigits)
	item("Time ticks per second", "%d", ifc.TicksPerSecond)
	if ng {
		item("Time resolution", "0x%02x", ifc.TimestampResolution)
	}
	if ifc.TimestampOffset != 0 {
		item("Timestamp offset", "%d", ifc.TimestampOffset)
	}
	if ifc.Filter != "" {
		item("Filter string", "%s", oneLine(ifc.Filter))
	}
	if ifc.OS != "" {
		item("Operating system", "%s", oneLine(ifc.OS))
	}
	if ifc.Hardware != "" {
		item("Hardware", "%s", oneLine(ifc.Hardware))
	}
	for _, o := range ifc.Options {
		switch o.Name {
		case "if_name", "if_description", "if_speed", "if_fcslen", "if_tsresol", "if_tsoffset", "if_filter", "if_os",
			"if_hardware":
			continue
		}
		item(o.Name, "%s", oneLine(o.Value))
	}
	item("Number of stat entries", "%d", ifc.StatisticsBlocks)
	if st := ifc.Statistics; st != nil {
		stat := func(label string, v *uint64) {
			if v != nil {
				item(label, "%d", *v)
			}
		}
		stat("Packets received", st.Received)
		stat("Dropped by interface", st.InterfaceDropped)
		stat("Accepted by filter", st.FilterAccepted)
		stat("Dropped by OS", st.OSDropped)
		stat("Delivered to user", st.Delivered)
	}
	item("Number of packets", "%d", ifc.Packets)
}

func hashLabel(alg string) string {
	switch alg {
	case "sha256":
		return "SHA256"
	case "sha1":
		return "SHA1"
	case "md5":
		return "MD5"
	}
	return alg
}

func sectionLength(n int64) string {
	if n < 0 {
		return "unspecified"
	}
	return strconv.FormatInt(n, 10)
}

// formatTime prints t in UTC with the given number of fractional digits
// (truncated, as Wireshark does).
func formatTime(t time.Time, digits int) string {
	t = t.UTC()
	digits = min(max(digits, 0), 9)
	s := t.Format("2006-01-02 15:04:05")
	if digits > 0 {
		frac := fmt.Sprintf("%09d", t.Nanosecond())
		s += "." + frac[:digits]
	}
	return s + " UTC"
}

// formatSeconds prints a duration in nanoseconds as seconds with the
// given number of fractional digits (truncated).
func formatSeconds(ns int64, digits int) string {
	digits = min(max(digits, 0), 9)
	sign := ""
	if ns < 0 {
		sign, ns = "-", -ns
	}
	s := sign + strconv.FormatInt(ns/1_000_000_000, 10)
	if digits > 0 {
		frac := fmt.Sprintf("%09d", ns%1_000_000_000)
		s += "." + frac[:digits]
	}
	return s
}
