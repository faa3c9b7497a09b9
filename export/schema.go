package export

import (
	"fmt"
	"io"
	"strings"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// PacketRow is one row of the packets table. Pointer fields are NULL (nil)
// when the packet has no such header; the pointers of rows an Exporter
// fills point into the row itself, so a row is valid until the Exporter
// reuses it.
type PacketRow struct {
	File        string  `parquet:"file,dict"`
	Number      int64   `parquet:"number"`
	Timestamp   int64   `parquet:"ts,timestamp(nanosecond:utc)"`
	TimestampNS int64   `parquet:"ts_ns"`
	Interface   int32   `parquet:"interface"`
	LinkType    int32   `parquet:"link_type"`
	CapLen      int32   `parquet:"caplen"`
	Len         int32   `parquet:"len"`
	EthSrc      *string `parquet:"eth_src,optional,dict"`
	EthDst      *string `parquet:"eth_dst,optional,dict"`
	EtherType   *int32  `parquet:"ethertype,optional"`
	VLAN        []int32 `parquet:"vlan,optional,list"`
	IPVersion   *int32  `parquet:"ip_version,optional"`
	IPSrc       *string `parquet:"ip_src,optional,dict"`
	IPDst       *string `parquet:"ip_dst,optional,dict"`
	IPProto     *int32  `parquet:"ip_proto,optional"`
	TTL         *int32  `parquet:"ttl,optional"`
	Frag        *bool   `parquet:"frag,optional"`
	SrcPort     *int32  `parquet:"src_port,optional"`
	DstPort     *int32  `parquet:"dst_port,optional"`
	TCPFlags    *int32  `parquet:"tcp_flags,optional"`
	TCPSeq      *int64  `parquet:"tcp_seq,optional"`
	TCPAck      *int64  `parquet:"tcp_ack,optional"`
	TCPWindow   *int32  `parquet:"tcp_window,optional"`
	PayloadLen  *int32  `parquet:"payload_len,optional"`
	FlowID      *int64  `parquet:"flow_id,optional"`

	store packetStore // what the pointers above point to
}

// PacketDataRow is a PacketRow with the captured bytes (--with-data).
type PacketDataRow struct {
	PacketRow
	Data []byte `parquet:"data"`
}

// FlowRow is one row of the flows table: a TCP or UDP conversation, with
// what `pcaptool flows --json` reports, the counters of each direction
// flattened into a_to_b_* and b_to_a_* columns. TCP-only columns are NULL
// for UDP.
type FlowRow struct {
	File                string  `parquet:"file,dict"`
	FlowID              int64   `parquet:"flow_id"`
	Proto               string  `parquet:"proto,dict"`
	IPProto             int32   `parquet:"ip_proto"`
	AIP                 string  `parquet:"a_ip,dict"`
	APort               int32   `parquet:"a_port"`
	BIP                 string  `parquet:"b_ip,dict"`
	BPort               int32   `parquet:"b_port"`
	Start               int64   `parquet:"start,timestamp(nanosecond:utc)"`
	End                 int64   `parquet:"end,timestamp(nanosecond:utc)"`
	Duration            float64 `parquet:"duration"`
	AToBPackets         int64   `parquet:"a_to_b_packets"`
	AToBBytes           int64   `parquet:"a_to_b_bytes"`
	AToBPayloadBytes    int64   `parquet:"a_to_b_payload_bytes"`
	AToBStreamBytes     *int64  `parquet:"a_to_b_stream_bytes,optional"`
	AToBMissingBytes    *int64  `parquet:"a_to_b_missing_bytes,optional"`
	AToBRetransmissions *int64  `parquet:"a_to_b_retransmissions,optional"`
	AToBOutOfOrder      *int64  `parquet:"a_to_b_out_of_order,optional"`
	AToBFINs            *int64  `parquet:"a_to_b_fins,optional"`
	AToBRSTs            *int64  `parquet:"a_to_b_rsts,optional"`
	BToAPackets         int64   `parquet:"b_to_a_packets"`
	BToABytes           int64   `parquet:"b_to_a_bytes"`
	BToAPayloadBytes    int64   `parquet:"b_to_a_payload_bytes"`
	BToAStreamBytes     *int64  `parquet:"b_to_a_stream_bytes,optional"`
	BToAMissingBytes    *int64  `parquet:"b_to_a_missing_bytes,optional"`
	BToARetransmissions *int64  `parquet:"b_to_a_retransmissions,optional"`
	BToAOutOfOrder      *int64  `parquet:"b_to_a_out_of_order,optional"`
	BToAFINs            *int64  `parquet:"b_to_a_fins,optional"`
	BToARSTs            *int64  `parquet:"b_to_a_rsts,optional"`
	SYN                 *bool   `parquet:"tcp_syn,optional"`
	SYNACK              *bool   `parquet:"tcp_syn_ack,optional"`
	Handshake           *bool   `parquet:"tcp_handshake,optional"`
	Closed              *bool   `parquet:"tcp_closed,optional"`
	EndReason           string  `parquet:"end_reason,dict"`

	store flowStore
}

// Column describes one column of a table.
type Column struct {
	Name string
	// Type is the column's Parquet type as an engine shows it: STRING,
	// INT32, INT64, DOUBLE, BOOLEAN, TIMESTAMP(NANOS,UTC), LIST<INT32>,
	// BINARY.
	Type        string
	Nullable    bool
	Description string
}

// The Parquet schemas, built once from the row types.
var (
	packetSchema     = parquet.SchemaOf(PacketRow{})
	packetDataSchema = parquet.SchemaOf(PacketDataRow{})
	flowSchema       = parquet.SchemaOf(FlowRow{})
)

var packetDescriptions = map[string]string{
	"file":        "capture file the packet was read from, as named on the command line",
	"number":      "packet number in its file, from 1",
	"ts":          "capture time, UTC, nanosecond precision",
	"ts_ns":       "the same time as an integer: nanoseconds since the Unix epoch (for engines that read ts at microseconds: DuckDB; or not at all: Spark without nanosAsLong)",
	"interface":   "index of the capture interface in its file (pcapng IDB), from 0",
	"link_type":   "LINKTYPE_ number of the interface (1 Ethernet, 113 Linux cooked, 101 raw IP, ...)",
	"caplen":      "captured length in bytes",
	"len":         "original length on the wire in bytes",
	"eth_src":     "Ethernet source address, aa:bb:cc:dd:ee:ff",
	"eth_dst":     "Ethernet destination address",
	"ethertype":   "EtherType of the payload after any VLAN tags (Ethernet, Linux cooked)",
	"vlan":        "802.1Q/802.1ad VLAN IDs, outermost first",
	"ip_version":  "4 or 6, of the innermost IP header",
	"ip_src":      "source address of the innermost IP header, as text",
	"ip_dst":      "destination address of the innermost IP header, as text",
	"ip_proto":    "protocol IP carries, after IPv6 extension headers (6 TCP, 17 UDP, 1 ICMP, ...)",
	"ttl":         "IPv4 TTL or IPv6 hop limit",
	"frag":        "true for an IPv4 fragment or an IPv6 packet with a Fragment header",
	"src_port":    "TCP or UDP source port (NULL for fragments)",
	"dst_port":    "TCP or UDP destination port",
	"tcp_flags":   "TCP flags, 12 bits as in the header (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10, ...)",
	"tcp_seq":     "TCP sequence number (absolute)",
	"tcp_ack":     "TCP acknowledgment number (absolute)",
	"tcp_window":  "TCP window field, unscaled",
	"payload_len": "TCP segment data or UDP data length as the headers announce it; for other IP packets and fragments, what follows the IP header",
	"flow_id":     "conversation id `pcaptool flows` assigns (per file and per protocol: join on file, ip_proto, flow_id)",
	"data":        "captured bytes (--with-data)",
}

var flowDescriptions = map[string]string{
	"file":            "capture file the conversation was read from",
	"flow_id":         "conversation id, from 0 per file and protocol, as tshark's tcp.stream and udp.stream",
	"proto":           "tcp or udp",
	"ip_proto":        "6 or 17",
	"a_ip":            "address of A, the sender of the first packet",
	"a_port":          "port of A",
	"b_ip":            "address of B",
	"b_port":          "port of B",
	"start":           "time of the first packet",
	"end":             "time of the last packet",
	"duration":        "end - start in seconds",
	"packets":         "frames sent",
	"bytes":           "frame lengths on the wire",
	"payload_bytes":   "transport payload the IP headers announce, after defragmentation",
	"stream_bytes":    "TCP data reassembly delivered in order",
	"missing_bytes":   "TCP data reassembly had to skip",
	"retransmissions": "TCP segments whose sequence space was all seen before",
	"out_of_order":    "TCP segments below the highest sequence seen carrying new data",
	"fins":            "TCP segments with FIN",
	"rsts":            "TCP segments with RST",
	"tcp_syn":         "A sent SYN",
	"tcp_syn_ack":     "B answered SYN+ACK",
	"tcp_handshake":   "the three-way handshake completed",
	"tcp_closed":      "both sides sent FIN, or one sent RST",
	"end_reason":      "why the conversation ended: open (capture ended), idle, fin, rst, reused",
}

// Schema returns the Parquet schema of a table.
func Schema(t Table, withData bool) *parquet.Schema {
	switch {
	case t == Flows:
		return flowSchema
	case withData:
		return packetDataSchema
	}
	return packetSchema
}

// Columns describes the columns of a table, in order.
func Columns(t Table, withData bool) []Column {
	s := Schema(t, withData)
	desc := packetDescriptions
	if t == Flows {
		desc = flowDescriptions
	}
	var cols []Column
	for _, f := range s.Fields() {
		name := f.Name()
		d := desc[name]
		if d == "" {
			_, rest, _ := strings.Cut(name, "_to_")
			if len(rest) > 2 {
				d = desc[rest[2:]]
				if d != "" {
					d = strings.ToUpper(name[:1]) + " to " + strings.ToUpper(name[5:6]) + ": " + d
				}
			}
		}
		cols = append(cols, Column{Name: name, Type: typeName(f), Nullable: f.Optional(), Description: d})
	}
	return cols
}

func typeName(f parquet.Field) string {
	if lt := f.Type().LogicalType(); lt != nil {
		switch lt.Value.(type) {
		case *format.StringType:
			return "STRING"
		case *format.TimestampType:
			return "TIMESTAMP(NANOS,UTC)"
		case *format.ListType:
			elem := f.Fields()[0].Fields()[0]
			return "LIST<" + typeName(elem) + ">"
		}
	}
	switch f.Type().Kind() {
	case parquet.Boolean:
		return "BOOLEAN"
	case parquet.Int32:
		return "INT32"
	case parquet.Int64:
		return "INT64"
	case parquet.Double:
		return "DOUBLE"
	case parquet.ByteArray:
		return "BINARY"
	}
	return fmt.Sprint(f.Type())
}

// WriteSchema writes the columns of a table as an aligned text table
// (name, type, NULL or NOT NULL, description), then its Parquet schema.
func WriteSchema(w io.Writer, t Table, withData bool) error {
	cols := Columns(t, withData)
	nameWidth, typeWidth := 0, 0
	for _, c := range cols {
		nameWidth, typeWidth = max(nameWidth, len(c.Name)), max(typeWidth, len(c.Type))
	}
	var b strings.Builder
	for _, c := range cols {
		null := "NOT NULL"
		if c.Nullable {
			null = "NULL"
		}
		fmt.Fprintf(&b, "%-*s  %-*s  %-8s  %s\n", nameWidth, c.Name, typeWidth, c.Type, null, c.Description)
	}
	b.WriteString("\n")
	b.WriteString(Schema(t, withData).String())
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}
