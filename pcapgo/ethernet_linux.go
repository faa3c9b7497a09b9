package pcapgo

import "golang.org/x/sys/unix"

// Stats returns the packets received and dropped since the previous call
// (not since the capture started), as the kernel's PACKET_STATISTICS give
// them to gopacket's pcapgo.
func (e *EthernetHandle) Stats() (*unix.TpacketStats, error) {
	s, err := e.h.Stats()
	if err != nil {
		return nil, err
	}
	d := &unix.TpacketStats{Packets: uint32(s.Received - e.seen.Received), Drops: uint32(s.Dropped - e.seen.Dropped)}
	e.seen = s
	return d, nil
}
