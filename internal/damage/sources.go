package damage

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"time"
)

// byteOrder reads and appends in one byte order.
type byteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

type builder func(n int, seed uint64, start time.Time) *source

func sourceBuilders() []builder {
	var out []builder
	for _, nano := range []bool{false, true} {
		for _, o := range []byteOrder{binary.LittleEndian, binary.BigEndian} {
			out = append(out, func(n int, seed uint64, start time.Time) *source { return buildPcap(n, seed, start, o, nano) })
		}
	}
	for _, o := range []byteOrder{binary.LittleEndian, binary.BigEndian} {
		out = append(out, func(n int, seed uint64, start time.Time) *source { return buildPcapng(n, seed, start, o) })
	}
	return out
}

func orderSuffix(o byteOrder) string {
	if o.String() == binary.BigEndian.String() {
		return "be"
	}
	return "le"
}

// buildPcap writes n generated Ethernet packets as a pcap file.
func buildPcap(n int, seed uint64, start time.Time, o byteOrder, nano bool) *source {
	s := &source{name: "pcap-usec-" + orderSuffix(o), ext: ".pcap", order: o, hdrLen: 24}
	magic := uint32(0xa1b2c3d4)
	if nano {
		s.name = "pcap-nsec-" + orderSuffix(o)
		magic = 0xa1b23c4d
	}
	d := o.AppendUint32(nil, magic)
	d = o.AppendUint16(d, 2)
	d = o.AppendUint16(d, 4)
	d = o.AppendUint32(d, 0)
	d = o.AppendUint32(d, 0)
	d = o.AppendUint32(d, 262144)
	d = o.AppendUint32(d, 1)
	for _, p := range generated(n, seed, start) {
		ns := p.Timestamp.UnixNano()
		frac := uint32(ns % 1e9)
		if !nano {
			frac /= 1000
			ns -= ns % 1000
		}
		off := len(d)
		d = o.AppendUint32(d, uint32(ns/1e9))
		d = o.AppendUint32(d, frac)
		d = o.AppendUint32(d, uint32(len(p.Data)))
		d = o.AppendUint32(d, uint32(p.Length))
		d = append(d, p.Data...)
		s.records = append(s.records, span{off, len(d) - off})
		s.packets = append(s.packets, Packet{Time: ns, CapLen: len(p.Data), OrigLen: p.Length, Sum: sha256.Sum256(p.Data)})
	}
	s.data = d
	return s
}

// ngWriter appends pcapng blocks in one byte order.
type ngWriter struct {
	o byteOrder
	d []byte
}

// block appends a block of type typ with the given body and options
// (code, value pairs, ended by opt_endofopt when there are any), and
// returns where it is.
func (w *ngWriter) block(typ uint32, body []byte, opts ...any) span {
	off := len(w.d)
	w.d = w.o.AppendUint32(w.d, typ)
	w.d = w.o.AppendUint32(w.d, 0)
	w.d = append(w.d, body...)
	w.d = append(w.d, make([]byte, pad(len(body)))...)
	for i := 0; i+1 < len(opts); i += 2 {
		var v []byte
		switch x := opts[i+1].(type) {
		case string:
			v = []byte(x)
		case []byte:
			v = x
		case uint64:
			v = w.o.AppendUint64(nil, x)
		case uint32:
			v = w.o.AppendUint32(nil, x)
		}
		w.d = w.o.AppendUint16(w.d, uint16(opts[i].(int)))
		w.d = w.o.AppendUint16(w.d, uint16(len(v)))
		w.d = append(w.d, v...)
		w.d = append(w.d, make([]byte, pad(len(v)))...)
	}
	if len(opts) > 0 {
		w.d = append(w.d, 0, 0, 0, 0)
	}
	total := uint32(len(w.d) - off + 4)
	w.o.PutUint32(w.d[off+4:], total)
	w.d = w.o.AppendUint32(w.d, total)
	return span{off, int(total)}
}

func pad(n int) int { return (4 - n%4) % 4 }

// buildPcapng writes n generated packets over three interfaces (Ethernet in
// nanoseconds, Ethernet in microseconds, raw IP in nanoseconds) as EPBs,
// with a simple packet block and an obsolete packet block now and then,
// between name resolution, decryption secrets, custom and statistics
// blocks.
func buildPcapng(n int, seed uint64, start time.Time, o byteOrder) *source {
	s := &source{name: "pcapng-" + orderSuffix(o), ext: ".pcapng", order: o, pcapng: true}
	w := &ngWriter{o: o}
	shb := o.AppendUint32(nil, 0x1A2B3C4D)
	shb = o.AppendUint16(shb, 1)
	shb = o.AppendUint16(shb, 0)
	shb = o.AppendUint64(shb, ^uint64(0))
	s.hdrLen = w.block(0x0A0D0D0A, shb, 2, "x86_64", 3, "Linux 6.1", 4, "pcaptool damage set").length
	idb := func(lt uint16) []byte { return o.AppendUint32(o.AppendUint16(o.AppendUint16(nil, lt), 0), 0) }
	w.block(1, idb(1), 2, "eth0", 9, []byte{9})
	s.idb = w.block(1, idb(1), 2, "eth1", 3, "uplink, microseconds")
	w.block(1, idb(101), 2, "tun0", 9, []byte{9}, 1, "raw IP")
	nrb := o.AppendUint16(nil, 1)
	nrb = o.AppendUint16(nrb, 4+13)
	nrb = append(nrb, 192, 0, 2, 1)
	nrb = append(nrb, "host.example\x00"...)
	nrb = append(nrb, make([]byte, pad(17))...)
	nrb = append(nrb, 0, 0, 0, 0)
	w.block(4, nrb)
	units := func(t time.Time, iface int) (uint64, int64) {
		ns := t.UnixNano()
		if iface == 1 {
			return uint64(ns / 1000), ns - ns%1000
		}
		return uint64(ns), ns
	}
	pkts := generated(n, seed, start)
	for i, p := range pkts {
		data, iface := p.Data, i%3
		if iface == 2 {
			data = data[14:]
		}
		orig := p.Length - (len(p.Data) - len(data))
		var at span
		var ns int64
		switch {
		case i%50 == 7: // simple packet block, interface 0, no time
			data, orig = p.Data, p.Length
			at = w.block(3, append(o.AppendUint32(nil, uint32(orig)), data...))
		case i%50 == 23: // obsolete packet block, interface 1
			data, orig = p.Data, p.Length
			u, t := units(p.Timestamp, 1)
			ns = t
			b := o.AppendUint16(nil, 1)
			b = o.AppendUint16(b, 0)
			b = o.AppendUint32(b, uint32(u>>32))
			b = o.AppendUint32(b, uint32(u))
			b = o.AppendUint32(b, uint32(len(data)))
			b = o.AppendUint32(b, uint32(orig))
			at = w.block(2, append(b, data...))
		default:
			u, t := units(p.Timestamp, iface)
			ns = t
			b := o.AppendUint32(nil, uint32(iface))
			b = o.AppendUint32(b, uint32(u>>32))
			b = o.AppendUint32(b, uint32(u))
			b = o.AppendUint32(b, uint32(len(data)))
			b = o.AppendUint32(b, uint32(orig))
			b = append(b, data...)
			if i%10 == 0 {
				at = w.block(6, b, 1, fmt.Sprintf("packet %d", i), 2, uint32(1))
			} else {
				at = w.block(6, b)
			}
		}
		s.records = append(s.records, at)
		s.packets = append(s.packets, Packet{Time: ns, CapLen: len(data), OrigLen: orig, Sum: sha256.Sum256(data)})
		switch i {
		case n / 4: // decryption secrets (TLS key log)
			secret := []byte("CLIENT_RANDOM 00112233 44556677\n")
			b := o.AppendUint32(nil, 0x544c534b)
			b = o.AppendUint32(b, uint32(len(secret)))
			w.block(10, append(b, secret...))
		case n / 2: // custom block, copyable
			w.block(0x00000BAD, append(o.AppendUint32(nil, 32473), "custom data"...))
		}
	}
	end := pkts[len(pkts)-1].Timestamp.UnixNano()
	for iface := range 3 {
		u := uint64(end)
		if iface == 1 {
			u /= 1000
		}
		b := o.AppendUint32(nil, uint32(iface))
		b = o.AppendUint32(b, uint32(u>>32))
		b = o.AppendUint32(b, uint32(u))
		w.block(5, b, 4, uint64(n/3), 5, uint64(0))
	}
	s.data = w.d
	return s
}
