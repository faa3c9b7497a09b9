package pcapgo_test

import (
	"errors"
	"net"
	"strconv"
	"testing"
	"time"

	"golang.org/x/net/bpf"

	"github.com/pcaptool/pcaptool/filter"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/live"
	"github.com/pcaptool/pcaptool/pcapgo"
)

// TestEthernetHandleLoopback captures a UDP datagram sent to 127.0.0.1
// through an EthernetHandle whose kernel filter was set after opening, and
// checks the capture length, the statistics and Close.
func TestEthernetHandleLoopback(t *testing.T) {
	h, err := pcapgo.NewEthernetHandle("lo")
	if errors.Is(err, live.ErrPermission) {
		t.Skip("live capture needs CAP_NET_RAW")
	}
	if err != nil {
		t.Fatal(err)
	}
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	port := conn.LocalAddr().(*net.UDPAddr).Port
	prog, err := filter.Compile("udp dst port "+itoa(port), linktype.Ethernet, 262144)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := bpf.Assemble(prog)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.SetBPF(raw); err != nil {
		t.Fatal(err)
	}
	if err := h.SetCaptureLength(20); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	defer close(done)
	go func() {
		for range 50 {
			select {
			case <-done:
				return
			case <-time.After(100 * time.Millisecond):
				conn.WriteToUDP([]byte("pcapgo drop-in"), conn.LocalAddr().(*net.UDPAddr))
			}
		}
		h.Close() // unblocks ReadPacketData if nothing came
	}()
	data, ci, err := h.ReadPacketData()
	if err != nil {
		t.Fatal(err)
	}
	if len(data) != 20 || ci.CaptureLength != 20 || ci.Length != 14+20+8+14 {
		t.Errorf("captured %d bytes (ci %d of %d), want 20 of %d", len(data), ci.CaptureLength, ci.Length, 14+20+8+14)
	}
	lo, _ := net.InterfaceByName("lo")
	if ci.InterfaceIndex != lo.Index {
		t.Errorf("interface index %d, want %d", ci.InterfaceIndex, lo.Index)
	}
	st, err := h.Stats()
	if err != nil || st.Packets == 0 {
		t.Errorf("stats %+v, %v", st, err)
	}
	h.Close()
}

func itoa(n int) string { return strconv.Itoa(n) }
