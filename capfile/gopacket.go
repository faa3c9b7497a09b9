package capfile

import (
	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// ZeroCopyReadPacketData implements gopacket.ZeroCopyPacketDataSource: data
// is valid until the next call. CaptureInfo.InterfaceIndex is the packet's
// index into Interfaces.
func (r *Reader) ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	p, err := r.ReadPacket()
	if err != nil {
		return nil, gopacket.CaptureInfo{}, err
	}
	return p.Data, gopacket.CaptureInfo{
		Timestamp:      p.Timestamp,
		CaptureLength:  len(p.Data),
		Length:         p.Length,
		InterfaceIndex: p.Interface,
	}, nil
}

// ReadPacketData implements gopacket.PacketDataSource; data is a fresh copy.
func (r *Reader) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	data, ci, err := r.ZeroCopyReadPacketData()
	if err != nil {
		return nil, ci, err
	}
	return append([]byte(nil), data...), ci, nil
}

// LinkType returns the first interface's link type in gopacket's
// representation, for gopacket.NewPacketSource. gopacket's LinkType holds
// only values up to 255; for others, and for files whose interfaces differ,
// decode each packet with its own interface's linktype.LinkType.Layers().
func (r *Reader) LinkType() layers.LinkType {
	ifaces := r.Interfaces()
	if len(ifaces) == 0 {
		return layers.LinkTypeNull
	}
	lt, _ := ifaces[0].LinkType.Layers()
	return lt
}

var (
	_ gopacket.PacketDataSource         = (*Reader)(nil)
	_ gopacket.ZeroCopyPacketDataSource = (*Reader)(nil)
)
