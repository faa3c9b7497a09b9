package decode

import (
	"encoding/binary"
	"errors"
	"net"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/pcaptool/pcaptool/linktype"
)

// LinuxSLL2HeaderLen is the length of a LINKTYPE_LINUX_SLL2 header.
const LinuxSLL2HeaderLen = 20

// LayerTypeLinuxSLL2 is the gopacket layer type of a Linux "cooked" v2
// header (LINKTYPE_LINUX_SLL2, 276), which gopacket v1.1.19 lacks: its
// layers.LinkType is a uint8 and cannot even name link types above 255.
var LayerTypeLinuxSLL2 = gopacket.RegisterLayerType(2276, gopacket.LayerTypeMetadata{
	Name:    "LinuxSLL2",
	Decoder: gopacket.DecodeFunc(decodeLinuxSLL2),
})

// ErrShortSLL2 reports a packet shorter than a LINUX_SLL2 header.
var ErrShortSLL2 = errors.New("decode: LINUX_SLL2 header truncated")

// LinuxSLL2 is the 20-byte header of LINKTYPE_LINUX_SLL2: protocol type,
// reserved, interface index, ARPHRD_ type, packet type, address length and
// up to eight bytes of link-layer address.
type LinuxSLL2 struct {
	layers.BaseLayer
	ProtocolType    layers.EthernetType
	InterfaceIndex  uint32
	ARPHardwareType uint16
	PacketType      layers.LinuxSLLPacketType
	AddrLen         uint8
	Addr            net.HardwareAddr
}

// LayerType returns LayerTypeLinuxSLL2.
func (s *LinuxSLL2) LayerType() gopacket.LayerType { return LayerTypeLinuxSLL2 }

// CanDecode returns LayerTypeLinuxSLL2.
func (s *LinuxSLL2) CanDecode() gopacket.LayerClass { return LayerTypeLinuxSLL2 }

// NextLayerType returns the layer type of the protocol type field.
func (s *LinuxSLL2) NextLayerType() gopacket.LayerType { return s.ProtocolType.LayerType() }

// DecodeFromBytes decodes a LINUX_SLL2 header, keeping references into data.
func (s *LinuxSLL2) DecodeFromBytes(data []byte, df gopacket.DecodeFeedback) error {
	if len(data) < LinuxSLL2HeaderLen {
		df.SetTruncated()
		return ErrShortSLL2
	}
	be := binary.BigEndian
	s.ProtocolType = layers.EthernetType(be.Uint16(data[0:2]))
	s.InterfaceIndex = be.Uint32(data[4:8])
	s.ARPHardwareType = be.Uint16(data[8:10])
	s.PacketType = layers.LinuxSLLPacketType(data[10])
	s.AddrLen = data[11]
	n := int(s.AddrLen)
	if n > 8 {
		n = 8
	}
	s.Addr = net.HardwareAddr(data[12 : 12+n])
	s.BaseLayer = layers.BaseLayer{Contents: data[:LinuxSLL2HeaderLen], Payload: data[LinuxSLL2HeaderLen:]}
	return nil
}

func decodeLinuxSLL2(data []byte, p gopacket.PacketBuilder) error {
	s := &LinuxSLL2{}
	if err := s.DecodeFromBytes(data, p); err != nil {
		return err
	}
	p.AddLayer(s)
	p.SetLinkLayer(sll2Link{s})
	return p.NextDecoder(s.ProtocolType)
}

// sll2Link makes the SLL2 header gopacket's link layer, as LinuxSLL is.
type sll2Link struct{ *LinuxSLL2 }

func (l sll2Link) LinkFlow() gopacket.Flow {
	return gopacket.NewFlow(layers.EndpointMAC, l.Addr, nil)
}

// LinkDecoder returns the gopacket decoder for the first layer of packets of
// link type t, and false when neither gopacket nor this package decodes it.
// It covers the link types above 255 that gopacket's uint8 layers.LinkType
// cannot name (LINUX_SLL2) and the raw IPv4/IPv6 link types gopacket leaves
// without a decoder.
func LinkDecoder(t linktype.LinkType) (gopacket.Decoder, bool) {
	switch t {
	case linktype.LinuxSLL2:
		return LayerTypeLinuxSLL2, true
	case linktype.IPv4:
		return layers.LayerTypeIPv4, true
	case linktype.IPv6:
		return layers.LayerTypeIPv6, true
	}
	lt, ok := t.Layers()
	if !ok || layers.LinkTypeMetadata[lt].Name == "UnknownLinkType" {
		return nil, false
	}
	return lt, true
}

// NewPacket decodes data of link type t with gopacket. Packets of a link type
// LinkDecoder does not know come back holding a single Payload layer. The
// packet refers to data (gopacket.NoCopy): keep data unchanged while the
// packet is in use.
func NewPacket(data []byte, t linktype.LinkType) gopacket.Packet {
	dec, ok := LinkDecoder(t)
	if !ok {
		dec = gopacket.DecodePayload
	}
	return gopacket.NewPacket(data, dec, gopacket.DecodeOptions{NoCopy: true})
}
