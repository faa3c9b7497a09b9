// Package damage builds damaged captures the way real files get damaged,
// from generated ones whose packets are known, and counts what a recovery
// tool got back intact. It is the test set of `pcaptool repair` against
// pcapfix (validate's recovery test, bench/recovery.sh).
//
// Sources: pcap in microseconds and nanoseconds, in both byte orders; pcapng
// in both byte orders with three interfaces (two link types, two time
// resolutions), section and interface options, name resolution, decryption
// secrets, custom, simple packet, obsolete packet and interface statistics
// blocks. Damage: truncated mid-record; a record or block length overwritten
// (too big, too small, zero, 0xFFFFFFFF); a zeroed 4 KiB page; garbage
// inserted; a span deleted; a damaged file header, section header or
// interface description; two files concatenated; a capture cut and
// restarted onto the same file.
package damage

import (
	"bytes"
	"crypto/sha256"
	"io"
	"math/rand/v2"
	"time"

	"github.com/pcaptool/pcaptool/capfile"
	"github.com/pcaptool/pcaptool/pkt"
	"github.com/pcaptool/pcaptool/synth"
)

// Packet is what must survive for a packet to count as recovered intact:
// its bytes, its time and its lengths.
type Packet struct {
	Time    int64 // Unix nanoseconds; 0 for a packet without a timestamp
	CapLen  int
	OrigLen int
	Sum     [32]byte // SHA-256 of the captured bytes
}

// Case is one damaged file.
type Case struct {
	Source string // "pcap-usec-le", "pcapng-be", ...
	Damage string // "truncated", "length-zero", ...
	Ext    string // ".pcap" or ".pcapng"
	Data   []byte
	// Original lists the packets of the undamaged file(s), in file order.
	Original []Packet
	// Intact counts the original packets whose bytes the damage left
	// alone, or whose only damaged byte is a length field that the
	// next record's position restores: what a perfect recovery gets.
	Intact int
}

// Name is "source/damage".
func (c Case) Name() string { return c.Source + "/" + c.Damage }

// source is a generated capture and where its records or blocks are.
type source struct {
	name    string
	ext     string
	data    []byte
	packets []Packet
	records []span // packet records (pcap) or packet blocks (pcapng)
	hdrLen  int    // pcap file header or SHB length
	idb     span   // pcapng: the second interface description
	order   byteOrder
	pcapng  bool
}

type span struct{ off, length int }

// Kinds lists the damage kinds, in table order.
var Kinds = []string{"truncated", "length-big", "length-small", "length-zero", "length-ffffffff", "zeroed-page",
	"garbage-inserted", "span-deleted", "file-header", "interface", "concatenated", "restarted"}

// Set builds every damaged case from sources of n packets each (n ≥ 12;
// small ones make fuzzing seeds).
func Set(n int) []Case {
	var out []Case
	for i, build := range sourceBuilders() {
		a := build(n, uint64(10+i), time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
		b := build(n/2, uint64(50+i), time.Date(2024, 1, 1, 0, 5, 0, 0, time.UTC))
		rng := rand.New(rand.NewPCG(uint64(i), 18))
		for _, kind := range Kinds {
			if c, ok := damaged(a, b, kind, rng); ok {
				out = append(out, c)
			}
		}
	}
	return out
}

func damaged(a, b *source, kind string, rng *rand.Rand) (Case, bool) {
	c := Case{Source: a.name, Damage: kind, Ext: a.ext, Original: a.packets, Intact: len(a.packets)}
	// untouched counts the records that do not overlap [from, to).
	untouched := func(from, to int) int {
		n := 0
		for _, r := range a.records {
			if r.off+r.length <= from || r.off >= to {
				n++
			}
		}
		return n
	}
	d := bytes.Clone(a.data)
	// Damage lands in the second half, past the first records.
	mid := func() int { return len(d)/2 + rng.IntN(len(d)/3) }
	rec := a.records[len(a.records)/2+rng.IntN(len(a.records)/4)]
	lengthAt := rec.off + 8 // pcap incl_len
	if a.pcapng {
		lengthAt = rec.off + 4 // leading block total length
	}
	trueLen := a.order.Uint32(d[lengthAt:])
	switch kind {
	case "truncated":
		r := a.records[len(a.records)*3/4]
		d = d[:r.off+r.length/2]
		c.Intact = len(a.records) * 3 / 4
	case "length-big":
		a.order.PutUint32(d[lengthAt:], trueLen+200)
	case "length-small":
		a.order.PutUint32(d[lengthAt:], trueLen/2&^3)
	case "length-zero":
		a.order.PutUint32(d[lengthAt:], 0)
	case "length-ffffffff":
		a.order.PutUint32(d[lengthAt:], 0xffffffff)
	case "zeroed-page":
		p := mid() &^ 4095
		clear(d[p:min(p+4096, len(d))])
		c.Intact = 0
		for _, r := range a.records { // zeros over zeros change nothing
			if bytes.Equal(a.data[r.off:r.off+r.length], d[r.off:r.off+r.length]) {
				c.Intact++
			}
		}
	case "garbage-inserted":
		p := mid()
		g := make([]byte, 997)
		for i := range g {
			g[i] = byte(rng.Uint32())
		}
		d = append(d[:p], append(g, d[p:]...)...)
		c.Intact = untouched(p, p)
	case "span-deleted":
		p := mid()
		d = append(d[:p], d[min(p+3001, len(d)):]...)
		c.Intact = untouched(p, p+3001)
	case "file-header":
		n := 16 // pcap: magic, version, zone, sigfigs; snaplen and link type kept
		if a.pcapng {
			n = 12 // SHB type, length and byte-order magic
		}
		for i := range n {
			d[i] = byte(rng.Uint32())
		}
	case "interface":
		if !a.pcapng {
			return c, false
		}
		for i := range 16 {
			d[a.idb.off+i] = byte(rng.Uint32())
		}
	case "concatenated":
		d = append(d, b.data...)
		c.Original = append(append([]Packet(nil), a.packets...), b.packets...)
		c.Intact = len(c.Original)
	case "restarted":
		// The capture stopped mid-record and a new one was appended to the
		// same file.
		r := a.records[len(a.records)*2/3]
		d = append(d[:r.off+r.length/3], b.data...)
		c.Original = append(append([]Packet(nil), a.packets...), b.packets...)
		c.Intact = len(a.records)*2/3 + len(b.packets)
	}
	c.Data = d
	return c, true
}

// Score is what a recovery kept of a case.
type Score struct {
	Intact   int // packets identical to an original one, in order
	Invented int // packets in no original
	Reorder  int // original packets out of order
	Err      string
}

// Count reads a recovered file and matches its packets against the
// originals: a packet counts as intact when its bytes, time and lengths
// are those of an original packet later than the previous match.
func Count(recovered []byte, original []Packet) Score {
	index := map[Packet][]int{}
	for i, p := range original {
		index[p] = append(index[p], i)
	}
	var s Score
	r, err := capfile.NewReader(bytes.NewReader(recovered), "recovered", capfile.ReaderOptions{})
	if err != nil {
		s.Err = err.Error()
		return s
	}
	defer r.Close()
	last := -1
	for {
		p, err := r.ReadPacket()
		if err != nil {
			if err != io.EOF {
				s.Err = err.Error()
			}
			return s
		}
		key := packetOf(p)
		at := index[key]
		next := -1
		for _, i := range at {
			if i > last {
				next = i
				break
			}
		}
		switch {
		case next >= 0:
			s.Intact++
			last = next
		case len(at) > 0:
			s.Reorder++
		default:
			s.Invented++
		}
	}
}

func packetOf(p *pkt.Packet) Packet {
	k := Packet{CapLen: len(p.Data), OrigLen: p.Length, Sum: sha256.Sum256(p.Data)}
	if !p.NoTimestamp {
		k.Time = p.Timestamp.UnixNano()
	}
	return k
}

// generated returns n synthetic packets.
func generated(n int, seed uint64, start time.Time) []*pkt.Packet {
	g := synth.New(synth.Config{Packets: n, Seed: seed, Start: start})
	var out []*pkt.Packet
	for {
		p, err := g.ReadPacket()
		if err != nil {
			return out
		}
		out = append(out, p.Clone())
	}
}
