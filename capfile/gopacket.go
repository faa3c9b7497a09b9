package capfile

import (
	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/pcaptool/pcaptool/internal/gopacketsrc"
)

// ZeroCopyReadPacketData implements gopacket.ZeroCopyPacketDataSource: data
// is valid until the next call. CaptureInfo.InterfaceIndex is the packet's
// index into Interfaces.
func (r *Reader) ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	p, err := r.ReadPacket()
	if err != nil {
		return nil, gopacket.CaptureInfo{}, err
	}
	r.lastInterface = p.Interface
	return p.Data, gopacketsrc.Info(p, p.Interface), nil
}

// ReadPacketData implements gopacket.PacketDataSource; data is a fresh copy.
func (r *Reader) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	return gopacketsrc.Copy(r.ZeroCopyReadPacketData())
}

// LinkType returns the first interface's link type in gopacket's
// representation. A pcap file knows it from its header; a pcapng file only
// once its first interface description has been read, so for
// gopacket.NewPacketSource prefer Decoder, which also copes with files whose
// interfaces differ. gopacket's LinkType holds only values up to 255.
func (r *Reader) LinkType() layers.LinkType {
	ifaces := r.Interfaces()
	if len(ifaces) == 0 {
		return layers.LinkTypeNull
	}
	lt, _ := ifaces[0].LinkType.Layers()
	return lt
}

// Decoder returns a gopacket.Decoder that decodes each packet read through
// r by the link type of that packet's own interface: pass it to
// gopacket.NewPacketSource(r, r.Decoder()). Link types gopacket cannot
// represent (above 255) decode as payload.
func (r *Reader) Decoder() gopacket.Decoder { return interfaceDecoder{r} }

type interfaceDecoder struct{ r *Reader }

func (d interfaceDecoder) Decode(data []byte, p gopacket.PacketBuilder) error {
	ifaces := d.r.Interfaces()
	if i := d.r.lastInterface; i >= 0 && i < len(ifaces) {
		if lt, ok := ifaces[i].LinkType.Layers(); ok {
			return lt.Decode(data, p)
		}
	}
	return gopacket.DecodePayload.Decode(data, p)
}

var (
	_ gopacket.PacketDataSource         = (*Reader)(nil)
	_ gopacket.ZeroCopyPacketDataSource = (*Reader)(nil)
)
