// Package gopacketsrc holds what every packet source of the project shares
// to be a gopacket PacketDataSource and ZeroCopyPacketDataSource.
package gopacketsrc

import (
	"slices"

	"github.com/google/gopacket"

	"github.com/pcaptool/pcaptool/pkt"
)

// Info describes p as gopacket's CaptureInfo does, with ifindex as its
// InterfaceIndex (sources differ on which index that is).
func Info(p *pkt.Packet, ifindex int) gopacket.CaptureInfo {
	return gopacket.CaptureInfo{
		Timestamp:      p.Timestamp,
		CaptureLength:  len(p.Data),
		Length:         p.Length,
		InterfaceIndex: ifindex,
	}
}

// Copy turns a ZeroCopyReadPacketData result into a ReadPacketData one:
// the data is copied so that it stays valid after the next read.
func Copy(data []byte, ci gopacket.CaptureInfo, err error) ([]byte, gopacket.CaptureInfo, error) {
	if err != nil {
		return nil, ci, err
	}
	return slices.Clone(data), ci, nil
}
