package flows

import (
	"strconv"
	"time"
)

// TextHeader is the header line matching AppendText's columns.
const TextHeader = "ID     PROTO A                                              B                                              PKTS_A>B BYTES_A>B  PKTS_B>A BYTES_B>A  START                          DURATION     STATE"

// AppendText appends c as one line of columns (see TextHeader), without a
// newline. STATE lists the TCP events seen: syn, syn-ack, handshake, fin
// counts, rst counts, retransmissions, missing bytes, and the end reason.
func (c *Conversation) AppendText(b []byte) []byte {
	b = pad(strconv.AppendUint(b, c.ID, 10), len(b), 6)
	b = append(b, ' ')
	b = pad(append(b, c.Proto.String()...), len(b), 5)
	b = append(b, ' ')
	b = pad(c.A.AppendTo(b), len(b), 46)
	b = append(b, ' ')
	b = pad(c.B.AppendTo(b), len(b), 46)
	b = append(b, ' ')
	for _, d := range []Dir{AtoB, BtoA} {
		b = pad(strconv.AppendUint(b, c.Dir[d].Packets, 10), len(b), 8)
		b = append(b, ' ')
		b = pad(strconv.AppendUint(b, c.Dir[d].Bytes, 10), len(b), 10)
		b = append(b, ' ')
	}
	b = pad(c.Start.UTC().AppendFormat(b, "2006-01-02T15:04:05.000000000Z"), len(b), 30)
	b = append(b, ' ')
	b = pad(strconv.AppendFloat(b, c.Duration().Seconds(), 'f', 6, 64), len(b), 12)
	b = append(b, ' ')
	if c.Proto == TCP {
		b = c.appendTCPState(b)
		b = append(b, ' ')
	}
	return append(b, c.Reason.String()...)
}

func (c *Conversation) appendTCPState(b []byte) []byte {
	start := len(b)
	flag := func(on bool, s string) {
		if on {
			if len(b) > start {
				b = append(b, ',')
			}
			b = append(b, s...)
		}
	}
	counter := func(n uint64, s string) {
		if n > 0 {
			if len(b) > start {
				b = append(b, ',')
			}
			b = append(b, s...)
			b = append(b, '=')
			b = strconv.AppendUint(b, n, 10)
		}
	}
	flag(c.TCP.SYN, "syn")
	flag(c.TCP.SYNACK, "syn-ack")
	flag(c.TCP.Handshake, "handshake")
	counter(c.Dir[0].FINs+c.Dir[1].FINs, "fin")
	counter(c.Dir[0].RSTs+c.Dir[1].RSTs, "rst")
	counter(c.Dir[0].Retransmissions+c.Dir[1].Retransmissions, "retrans")
	counter(c.Dir[0].OutOfOrder+c.Dir[1].OutOfOrder, "ooo")
	counter(c.Dir[0].MissingBytes+c.Dir[1].MissingBytes, "missing")
	if len(b) == start {
		b = append(b, '-')
	}
	return b
}

func pad(b []byte, start, width int) []byte {
	for len(b)-start < width {
		b = append(b, ' ')
	}
	return b
}

// AppendJSON appends c as one JSON object without a newline:
//
//	{"id":0,"proto":"tcp","a":"10.0.0.1:40000","b":"192.0.2.1:80",
//	 "start":"2024-01-01T00:00:00Z","end":"...","duration":0.5,
//	 "a_to_b":{"packets":..,"bytes":..,"payload_bytes":..,"stream_bytes":..,
//	           "missing_bytes":..,"retransmissions":..,"out_of_order":..,
//	           "fins":..,"rsts":..},
//	 "b_to_a":{...},
//	 "tcp":{"syn":true,"syn_ack":true,"handshake":true,"closed":true},
//	 "end_reason":"fin"}
//
// "tcp" is present for TCP conversations only; "end_reason" is one of open,
// idle, fin, rst, reused.
func (c *Conversation) AppendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendUint(b, c.ID, 10)
	b = append(b, `,"proto":"`...)
	b = append(b, c.Proto.String()...)
	b = append(b, `","a":"`...)
	b = c.A.AppendTo(b)
	b = append(b, `","b":"`...)
	b = c.B.AppendTo(b)
	b = append(b, `","start":"`...)
	b = c.Start.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","end":"`...)
	b = c.End.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","duration":`...)
	b = strconv.AppendFloat(b, c.Duration().Seconds(), 'f', -1, 64)
	for _, d := range []Dir{AtoB, BtoA} {
		s := &c.Dir[d]
		b = append(b, `,"`...)
		b = append(b, d.String()...)
		b = append(b, `":{"packets":`...)
		b = strconv.AppendUint(b, s.Packets, 10)
		b = append(b, `,"bytes":`...)
		b = strconv.AppendUint(b, s.Bytes, 10)
		b = append(b, `,"payload_bytes":`...)
		b = strconv.AppendUint(b, s.PayloadBytes, 10)
		if c.Proto == TCP {
			b = append(b, `,"stream_bytes":`...)
			b = strconv.AppendUint(b, s.StreamBytes, 10)
			b = append(b, `,"missing_bytes":`...)
			b = strconv.AppendUint(b, s.MissingBytes, 10)
			b = append(b, `,"retransmissions":`...)
			b = strconv.AppendUint(b, s.Retransmissions, 10)
			b = append(b, `,"out_of_order":`...)
			b = strconv.AppendUint(b, s.OutOfOrder, 10)
			b = append(b, `,"fins":`...)
			b = strconv.AppendUint(b, s.FINs, 10)
			b = append(b, `,"rsts":`...)
			b = strconv.AppendUint(b, s.RSTs, 10)
		}
		b = append(b, '}')
	}
	if c.Proto == TCP {
		b = append(b, `,"tcp":{"syn":`...)
		b = strconv.AppendBool(b, c.TCP.SYN)
		b = append(b, `,"syn_ack":`...)
		b = strconv.AppendBool(b, c.TCP.SYNACK)
		b = append(b, `,"handshake":`...)
		b = strconv.AppendBool(b, c.TCP.Handshake)
		b = append(b, `,"closed":`...)
		b = strconv.AppendBool(b, c.TCP.Closed)
		b = append(b, '}')
	}
	b = append(b, `,"end_reason":"`...)
	b = append(b, c.Reason.String()...)
	return append(b, `"}`...)
}
