package export

import (
	"encoding/hex"
	"strconv"
	"time"
)

// rowText appends one row as CSV or as a JSON object, or (header) the CSV
// header line: the rows' appendText methods call it once per column in
// schema order, so the three cannot disagree on names or order.
type rowText struct {
	b      []byte
	json   bool
	header bool
	n      int // columns appended in this row
}

func (t *rowText) begin() {
	t.n = 0
	if t.json {
		t.b = append(t.b, '{')
	}
}

func (t *rowText) end() {
	if t.json {
		t.b = append(t.b, '}')
	}
	t.b = append(t.b, '\n')
}

// name starts a column and reports whether its value is wanted.
func (t *rowText) name(n string) bool {
	if t.n > 0 {
		t.b = append(t.b, ',')
	}
	t.n++
	switch {
	case t.header:
		t.b = append(t.b, n...)
		return false
	case t.json:
		t.b = append(t.b, '"')
		t.b = append(t.b, n...)
		t.b = append(t.b, '"', ':')
	}
	return true
}

func (t *rowText) null() {
	if t.json {
		t.b = append(t.b, "null"...)
	}
}

func (t *rowText) str(n, v string) {
	if t.name(n) {
		t.quoted(v)
	}
}

func (t *rowText) optStr(n string, v *string) { optional(t, n, v, t.quoted) }

func (t *rowText) quoted(v string) {
	if t.json {
		t.b = appendJSONString(t.b, v)
		return
	}
	t.b = appendCSVField(t.b, v)
}

func (t *rowText) i64(n string, v int64) {
	if t.name(n) {
		t.b = strconv.AppendInt(t.b, v, 10)
	}
}

// optional appends column n: NULL when v is nil, else appendValue(*v).
func optional[V any](t *rowText, n string, v *V, appendValue func(V)) {
	if !t.name(n) {
		return
	}
	if v == nil {
		t.null()
		return
	}
	appendValue(*v)
}

func (t *rowText) optI64(n string, v *int64) {
	optional(t, n, v, func(x int64) { t.b = strconv.AppendInt(t.b, x, 10) })
}

func (t *rowText) optI32(n string, v *int32) {
	optional(t, n, v, func(x int32) { t.b = strconv.AppendInt(t.b, int64(x), 10) })
}

func (t *rowText) optBool(n string, v *bool) {
	optional(t, n, v, func(x bool) { t.b = strconv.AppendBool(t.b, x) })
}

func (t *rowText) f64(n string, v float64) {
	if t.name(n) {
		t.b = strconv.AppendFloat(t.b, v, 'f', -1, 64)
	}
}

// timestampLayout has a fixed width, nanoseconds always present, which
// DuckDB, Spark and Trino parse as a timestamp.
const timestampLayout = "2006-01-02T15:04:05.000000000Z"

func (t *rowText) ts(n string, ns int64) {
	if !t.name(n) {
		return
	}
	if t.json {
		t.b = append(t.b, '"')
	}
	t.b = time.Unix(0, ns).UTC().AppendFormat(t.b, timestampLayout)
	if t.json {
		t.b = append(t.b, '"')
	}
}

// list appends a list of integers as [1,2] (quoted in CSV), or NULL when
// empty.
func (t *rowText) list(n string, v []int32) {
	if !t.name(n) {
		return
	}
	if v == nil {
		t.null()
		return
	}
	if !t.json {
		t.b = append(t.b, '"')
	}
	t.b = append(t.b, '[')
	for i, x := range v {
		if i > 0 {
			t.b = append(t.b, ',')
		}
		t.b = strconv.AppendInt(t.b, int64(x), 10)
	}
	t.b = append(t.b, ']')
	if !t.json {
		t.b = append(t.b, '"')
	}
}

// bytes appends binary data as lower-case hex (DuckDB: unhex(data)).
func (t *rowText) bytes(n string, v []byte) {
	if !t.name(n) {
		return
	}
	if t.json {
		t.b = append(t.b, '"')
	}
	t.b = hex.AppendEncode(t.b, v)
	if t.json {
		t.b = append(t.b, '"')
	}
}

func appendCSVField(b []byte, s string) []byte {
	quote := false
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\n', '\r':
			quote = true
		}
	}
	if len(s) > 0 && (s[0] == ' ' || s[len(s)-1] == ' ') {
		quote = true
	}
	if !quote {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}

func appendJSONString(b []byte, s string) []byte {
	const hexDigits = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&15])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

func (r *PacketRow) appendText(t *rowText) {
	t.str("file", r.File)
	t.i64("number", r.Number)
	t.ts("ts", r.Timestamp)
	t.i64("ts_ns", r.TimestampNS)
	t.i64("interface", int64(r.Interface))
	t.i64("link_type", int64(r.LinkType))
	t.i64("caplen", int64(r.CapLen))
	t.i64("len", int64(r.Len))
	t.optStr("eth_src", r.EthSrc)
	t.optStr("eth_dst", r.EthDst)
	t.optI32("ethertype", r.EtherType)
	t.list("vlan", r.VLAN)
	t.optI32("ip_version", r.IPVersion)
	t.optStr("ip_src", r.IPSrc)
	t.optStr("ip_dst", r.IPDst)
	t.optI32("ip_proto", r.IPProto)
	t.optI32("ttl", r.TTL)
	t.optBool("frag", r.Frag)
	t.optI32("src_port", r.SrcPort)
	t.optI32("dst_port", r.DstPort)
	t.optI32("tcp_flags", r.TCPFlags)
	t.optI64("tcp_seq", r.TCPSeq)
	t.optI64("tcp_ack", r.TCPAck)
	t.optI32("tcp_window", r.TCPWindow)
	t.optI32("payload_len", r.PayloadLen)
	t.optI64("flow_id", r.FlowID)
}

func (r *PacketDataRow) appendText(t *rowText) {
	r.PacketRow.appendText(t)
	t.bytes("data", r.Data)
}

func (r *FlowRow) appendText(t *rowText) {
	t.str("file", r.File)
	t.i64("flow_id", r.FlowID)
	t.str("proto", r.Proto)
	t.i64("ip_proto", int64(r.IPProto))
	t.str("a_ip", r.AIP)
	t.i64("a_port", int64(r.APort))
	t.str("b_ip", r.BIP)
	t.i64("b_port", int64(r.BPort))
	t.ts("start", r.Start)
	t.ts("end", r.End)
	t.f64("duration", r.Duration)
	t.i64("a_to_b_packets", r.AToBPackets)
	t.i64("a_to_b_bytes", r.AToBBytes)
	t.i64("a_to_b_payload_bytes", r.AToBPayloadBytes)
	t.optI64("a_to_b_stream_bytes", r.AToBStreamBytes)
	t.optI64("a_to_b_missing_bytes", r.AToBMissingBytes)
	t.optI64("a_to_b_retransmissions", r.AToBRetransmissions)
	t.optI64("a_to_b_out_of_order", r.AToBOutOfOrder)
	t.optI64("a_to_b_fins", r.AToBFINs)
	t.optI64("a_to_b_rsts", r.AToBRSTs)
	t.i64("b_to_a_packets", r.BToAPackets)
	t.i64("b_to_a_bytes", r.BToABytes)
	t.i64("b_to_a_payload_bytes", r.BToAPayloadBytes)
	t.optI64("b_to_a_stream_bytes", r.BToAStreamBytes)
	t.optI64("b_to_a_missing_bytes", r.BToAMissingBytes)
	t.optI64("b_to_a_retransmissions", r.BToARetransmissions)
	t.optI64("b_to_a_out_of_order", r.BToAOutOfOrder)
	t.optI64("b_to_a_fins", r.BToAFINs)
	t.optI64("b_to_a_rsts", r.BToARSTs)
	t.optBool("tcp_syn", r.SYN)
	t.optBool("tcp_syn_ack", r.SYNACK)
	t.optBool("tcp_handshake", r.Handshake)
	t.optBool("tcp_closed", r.Closed)
	t.str("end_reason", r.EndReason)
}

// timestamp returns the time a row is partitioned by.
func (r *PacketRow) timestamp() int64     { return r.Timestamp }
func (r *PacketDataRow) timestamp() int64 { return r.Timestamp }
func (r *FlowRow) timestamp() int64       { return r.Start }
