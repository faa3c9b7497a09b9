package pcapgo

import (
	"encoding/binary"
	"fmt"
	"net"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"golang.org/x/net/bpf"

	"github.com/pcaptool/pcaptool/live"
	"github.com/pcaptool/pcaptool/pkt"
)

// EthernetHandle captures the packets of one network interface through
// package live, as a gopacket PacketDataSource and ZeroCopyPacketDataSource.
// It captures whole packets by default (SetCaptureLength shortens them),
// out of promiscuous mode (SetPromiscuous), each delivered as it arrives.
// Live capture needs Linux and CAP_NET_RAW; elsewhere NewEthernetHandle
// returns live.ErrUnsupported.
type EthernetHandle struct {
	name       string
	cfg        live.Config
	h          *live.Handle
	captureLen int
	ancil      [1]interface{}
	seen       live.Stats // counters at the last Stats call
}

// NewEthernetHandle opens a capture on the named interface.
func NewEthernetHandle(ifname string) (*EthernetHandle, error) {
	e := &EthernetHandle{
		name:       ifname,
		cfg:        live.Config{NoPromiscuous: true, Method: live.MethodRecvmsg, Immediate: true},
		captureLen: pkt.DefaultSnapLen,
	}
	h, err := live.Open(ifname, &e.cfg)
	if err != nil {
		return nil, err
	}
	e.h = h
	return e, nil
}

// reopen replaces the capture by one with the changed configuration; the
// old one is kept when the new one cannot be opened. Packets queued in the
// old socket are lost.
func (e *EthernetHandle) reopen(cfg live.Config) error {
	h, err := live.Open(e.name, &cfg)
	if err != nil {
		return err
	}
	e.h.Close()
	e.h, e.cfg, e.seen = h, cfg, live.Stats{}
	return nil
}

func (e *EthernetHandle) read() ([]byte, gopacket.CaptureInfo, bool, error) {
	p, err := e.h.ReadPacket()
	if err != nil {
		return nil, gopacket.CaptureInfo{}, false, err
	}
	ci := gopacket.CaptureInfo{
		Timestamp:      p.Timestamp,
		Length:         p.Length,
		InterfaceIndex: int(p.Link.IfIndex),
	}
	tci, vlan := vlanTCI(p.Data, e.h.LinkType())
	e.ancil[0] = int(tci)
	data := p.Data[:min(len(p.Data), e.captureLen)]
	ci.CaptureLength = len(data)
	return data, ci, vlan, nil
}

// vlanTCI returns the tag control information of an Ethernet frame's
// 802.1Q or 802.1ad tag.
func vlanTCI(frame []byte, lt layers.LinkType) (uint16, bool) {
	if lt != layers.LinkTypeEthernet || len(frame) < 16 {
		return 0, false
	}
	switch binary.BigEndian.Uint16(frame[12:]) {
	case 0x8100, 0x88a8:
		return binary.BigEndian.Uint16(frame[14:]), true
	}
	return 0, false
}

// ReadPacketData waits for the next packet and returns a copy of it. A VLAN
// tag the driver stripped is put back in the frame, as libpcap does; the
// TCI of a frame's VLAN tag is also in ci.AncillaryData[0] (an int), where
// gopacket's pcapgo gives it.
func (e *EthernetHandle) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	data, ci, vlan, err := e.read()
	if err != nil {
		return nil, ci, err
	}
	if vlan {
		ci.AncillaryData = []interface{}{e.ancil[0]}
	}
	return append([]byte(nil), data...), ci, nil
}

// ZeroCopyReadPacketData is ReadPacketData without a copy: data and
// ci.AncillaryData are valid until the next call.
func (e *EthernetHandle) ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	data, ci, vlan, err := e.read()
	if err == nil && vlan {
		ci.AncillaryData = e.ancil[:]
	}
	return data, ci, err
}

// Close ends the capture. It may be called from another goroutine, as
// with gopacket's: a ReadPacketData blocked there returns io.EOF. (Packets
// are read with recvmsg into memory of the handle's own, never from a ring
// that Close would unmap.)
func (e *EthernetHandle) Close() {
	e.h.Break()
	e.h.Close()
}

// SetCaptureLength sets the largest number of bytes kept per packet.
func (e *EthernetHandle) SetCaptureLength(len int) error {
	if len < 0 {
		return fmt.Errorf("pcapgo: capture length %d is negative", len)
	}
	e.captureLen = len
	return nil
}

// GetCaptureLength returns the largest number of bytes kept per packet.
func (e *EthernetHandle) GetCaptureLength() int { return e.captureLen }

// SetBPF replaces the kernel filter; an empty program removes it. Only
// packets for which it returns more than zero are received from then on:
// those already queued are checked against it too.
func (e *EthernetHandle) SetBPF(filter []bpf.RawInstruction) error {
	if err := e.h.SetBPF(filter); err != nil {
		return err
	}
	e.cfg.Filter = append([]bpf.RawInstruction(nil), filter...)
	return nil
}

// SetPromiscuous turns promiscuous mode on or off. The capture is reopened
// with the new mode (and the current filter); packets still queued in the
// old socket are dropped.
func (e *EthernetHandle) SetPromiscuous(b bool) error {
	cfg := e.cfg
	cfg.NoPromiscuous = !b
	return e.reopen(cfg)
}

// LocalAddr returns the interface's hardware address.
func (e *EthernetHandle) LocalAddr() net.HardwareAddr {
	ifi, err := net.InterfaceByName(e.name)
	if err != nil {
		return nil
	}
	return ifi.HardwareAddr
}
