package pkt

import (
	"errors"
	"io"
	"iter"
)

// Reader is a stream of packets.
type Reader interface {
	// ReadPacket returns the next packet, or io.EOF after the last one.
	// The packet and its slices are valid until the next call; use
	// Packet.Clone or Packet.CopyTo to keep one longer.
	ReadPacket() (*Packet, error)
	// Interfaces returns the interfaces seen so far; it grows as the
	// stream goes on (a pcapng file may describe interfaces between
	// packets). Packet.Interface indexes it. Callers must not modify it.
	Interfaces() []Interface
}

// Writer consumes a stream of packets.
type Writer interface {
	// AddInterface declares the next interface; packets written after it
	// may refer to it by its index (the number of interfaces added before).
	AddInterface(Interface) error
	// WritePacket writes one packet. The writer does not keep p or its
	// slices after it returns.
	WritePacket(p *Packet) error
	// Flush writes any buffered data to the underlying writer.
	Flush() error
}

// ErrInterfaceIndex reports a packet that refers to an interface the stream
// has not described.
var ErrInterfaceIndex = errors.New("pkt: packet refers to an undescribed interface")

// Copy writes every packet of src to dst, adding interfaces to dst as src
// reveals them, then flushes dst. It returns the number of packets written.
func Copy(dst Writer, src Reader) (int64, error) {
	var n int64
	added := 0
	for {
		p, err := src.ReadPacket()
		if err == io.EOF {
			break
		}
		if err != nil {
			if ferr := dst.Flush(); ferr != nil {
				return n, errors.Join(err, ferr)
			}
			return n, err
		}
		if ifaces := src.Interfaces(); added < len(ifaces) {
			for _, ifc := range ifaces[added:] {
				if err := dst.AddInterface(ifc); err != nil {
					return n, err
				}
			}
			added = len(ifaces)
		}
		if p.Interface < 0 || p.Interface >= added {
			return n, ErrInterfaceIndex
		}
		if err := dst.WritePacket(p); err != nil {
			return n, err
		}
		n++
	}
	// Interfaces described after the last packet (or in a file without
	// packets) are still part of the capture.
	for _, ifc := range src.Interfaces()[added:] {
		if err := dst.AddInterface(ifc); err != nil {
			return n, err
		}
	}
	return n, dst.Flush()
}

// All returns an iterator over r's packets for use with range. Iteration
// stops after the first error, which is yielded with a nil packet; io.EOF
// ends iteration without being yielded. Each packet is valid only during
// its iteration, as with ReadPacket.
func All(r Reader) iter.Seq2[*Packet, error] {
	return func(yield func(*Packet, error) bool) {
		for {
			p, err := r.ReadPacket()
			if err == io.EOF {
				return
			}
			if err != nil {
				yield(nil, err)
				return
			}
			if !yield(p, nil) {
				return
			}
		}
	}
}

// FromSlice returns a Reader over packets held in memory, described by
// ifaces (a packet's Interface indexes it). It hands out the packets
// themselves, not copies.
func FromSlice(ifaces []Interface, pkts []*Packet) Reader {
	return &sliceReader{ifaces: ifaces, pkts: pkts}
}

type sliceReader struct {
	ifaces []Interface
	pkts   []*Packet
}

func (r *sliceReader) ReadPacket() (*Packet, error) {
	if len(r.pkts) == 0 {
		return nil, io.EOF
	}
	p := r.pkts[0]
	r.pkts = r.pkts[1:]
	return p, nil
}

func (r *sliceReader) Interfaces() []Interface { return r.ifaces }
