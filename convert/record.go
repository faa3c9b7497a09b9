package convert

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/pcaptool/pcaptool/pkt"
)

// A packet held by Sort, in memory or in a run file, is one record:
//
//	0  int64  seconds since the epoch; noTimestampSec for a packet without
//	          a timestamp, which sorts it before all others (as reordercap)
//	8  uint32 nanoseconds
//	12 uint32 interface index
//	16 uint32 captured length
//	20 int64  original length
//	28 uint32 bytes of encoded options that follow the data
//	32 data, then options as {uint16 code, uint32 length, value}
const recordHeaderLen = 32

// noTimestampSec is the seconds field of a packet without a timestamp: no
// time.Time a reader produces reaches it.
const noTimestampSec = math.MinInt64

// packetKey returns the sort key of p's timestamp.
func packetKey(p *pkt.Packet) (sec int64, nsec uint32) {
	if p.NoTimestamp {
		return noTimestampSec, 0
	}
	return p.Timestamp.Unix(), uint32(p.Timestamp.Nanosecond())
}

// errRecord reports a damaged temporary run file.
var errRecord = errors.New("convert: damaged sort run record")

func recordSize(p *pkt.Packet) int {
	n := recordHeaderLen + len(p.Data)
	for _, o := range p.Options {
		n += 6 + len(o.Value)
	}
	return n
}

// putRecord encodes p into b, which must be recordSize(p) long.
func putRecord(b []byte, p *pkt.Packet) {
	le := binary.LittleEndian
	sec, nsec := packetKey(p)
	le.PutUint64(b[0:], uint64(sec))
	le.PutUint32(b[8:], nsec)
	le.PutUint32(b[12:], uint32(p.Interface))
	le.PutUint32(b[16:], uint32(len(p.Data)))
	le.PutUint64(b[20:], uint64(p.Length))
	n := copy(b[recordHeaderLen:], p.Data) + recordHeaderLen
	optStart := n
	for _, o := range p.Options {
		le.PutUint16(b[n:], uint16(o.Code))
		le.PutUint32(b[n+2:], uint32(len(o.Value)))
		n += 6 + copy(b[n+6:], o.Value)
	}
	le.PutUint32(b[28:], uint32(n-optStart))
}

// recordKey returns the timestamp fields of an encoded record.
func recordKey(b []byte) (sec int64, nsec uint32) {
	return int64(binary.LittleEndian.Uint64(b)), binary.LittleEndian.Uint32(b[8:])
}

// decodeRecord fills p from b; p's slices point into b, and p.Options reuses
// opts' storage.
func decodeRecord(b []byte, p *pkt.Packet, opts []pkt.Option) ([]pkt.Option, error) {
	le := binary.LittleEndian
	if len(b) < recordHeaderLen {
		return opts, errRecord
	}
	caplen := int(le.Uint32(b[16:]))
	optLen := int(le.Uint32(b[28:]))
	if recordHeaderLen+caplen+optLen != len(b) {
		return opts, fmt.Errorf("%w: lengths %d+%d do not fill %d bytes", errRecord, caplen, optLen, len(b))
	}
	sec := int64(le.Uint64(b[0:]))
	p.NoTimestamp = sec == noTimestampSec
	if p.NoTimestamp {
		p.Timestamp = time.Unix(0, 0)
	} else {
		p.Timestamp = time.Unix(sec, int64(le.Uint32(b[8:])))
	}
	p.Interface = int(le.Uint32(b[12:]))
	p.Length = int(le.Uint64(b[20:]))
	p.Data = b[recordHeaderLen : recordHeaderLen+caplen]
	opts = opts[:0]
	rest := b[recordHeaderLen+caplen:]
	for len(rest) > 0 {
		if len(rest) < 6 {
			return opts, errRecord
		}
		code, n := pkt.OptionCode(le.Uint16(rest)), int(le.Uint32(rest[2:]))
		if n > len(rest)-6 {
			return opts, errRecord
		}
		opts = append(opts, pkt.Option{Code: code, Value: rest[6 : 6+n]})
		rest = rest[6+n:]
	}
	p.Options = opts
	if len(opts) == 0 {
		p.Options = nil
	}
	return opts, nil
}

// keyLess orders (sec, nsec, seq) triples.
func keyLess(as int64, an uint32, aseq uint64, bs int64, bn uint32, bseq uint64) bool {
	if as != bs {
		return as < bs
	}
	if an != bn {
		return an < bn
	}
	return aseq < bseq
}
