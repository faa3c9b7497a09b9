package live

import (
	"bytes"
	"testing"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
	"golang.org/x/net/bpf"
)

func TestLinkTypeForARPHRD(t *testing.T) {
	tests := []struct {
		hatype uint16
		lt     linktype.LinkType
		cooked bool
	}{
		{arphrdEther, linktype.Ethernet, false},
		{arphrdLoopback, linktype.Ethernet, false},
		{arphrdNone, linktype.Raw, false}, // tun devices
		{arphrdSIT, linktype.Raw, false},
		{arphrdIEEE80211Radio, linktype.Radiotap, false},
		{arphrdPPP, linktype.LinuxSLL, true},
		{arphrdATM, linktype.LinuxSLL, true},
		{519, linktype.LinuxSLL, true}, // ARPHRD_RAWIP: libpcap falls back to cooked
		{arphrdNetlink, linktype.Netlink, true},
		{0xfff0, linktype.LinuxSLL, true},
	}
	for _, tc := range tests {
		lt, cooked := LinkTypeForARPHRD(tc.hatype)
		if lt != tc.lt || cooked != tc.cooked {
			t.Errorf("LinkTypeForARPHRD(%d) = %v, %v; want %v, %v", tc.hatype, lt, cooked, tc.lt, tc.cooked)
		}
	}
}

func TestCookedHeaders(t *testing.T) {
	addr := []byte{1, 2, 3, 4, 5, 6}
	b := make([]byte, 20)
	putSLL2(b, 0x0800, 7, 1, pkt.PacketOutgoing, addr)
	want := []byte{8, 0, 0, 0, 0, 0, 0, 7, 0, 1, 4, 6, 1, 2, 3, 4, 5, 6, 0, 0}
	if !bytes.Equal(b, want) {
		t.Errorf("SLL2 header % x, want % x", b, want)
	}
	b = make([]byte, 16)
	putSLL(b, 0x86dd, 772, pkt.PacketBroadcast, addr)
	want = []byte{0, 1, 3, 4, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x86, 0xdd}
	if !bytes.Equal(b, want) {
		t.Errorf("SLL header % x, want % x", b, want)
	}
}

func TestInsertVLAN(t *testing.T) {
	frame := []byte{1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 0x08, 0x00, 0x45}
	buf := append(make([]byte, 4), frame...)
	got := insertVLAN(buf, len(frame), 12, 0x8100, 0x2005)
	want := []byte{1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 0x81, 0x00, 0x20, 0x05, 0x08, 0x00, 0x45}
	if !bytes.Equal(got, want) {
		t.Errorf("got % x, want % x", got, want)
	}
}

func TestFixCooked(t *testing.T) {
	prog, _ := bpf.Assemble([]bpf.Instruction{
		bpf.LoadAbsolute{Off: 0, Size: 2},          // SLL2 protocol
		bpf.LoadAbsolute{Off: 10, Size: 1},         // SLL2 packet type
		bpf.LoadAbsolute{Off: 4, Size: 4},          // SLL2 interface index
		bpf.LoadAbsolute{Off: 29, Size: 1},         // IPv4 protocol
		bpf.LoadMemShift{Off: 20},                  // IPv4 header length
		bpf.LoadIndirect{Off: 22, Size: 2},         // TCP/UDP destination port
		bpf.LoadAbsolute{Off: 0xfffff000, Size: 2}, // already ancillary
		bpf.RetConstant{Val: 1},
	})
	fixed, ok := fixCooked(prog, true)
	if !ok {
		t.Fatal("fixCooked refused a fixable program")
	}
	wantK := []uint32{0xfffff000, 0xfffff004, 0xfffff008, 9, 0, 2, 0xfffff000, 1}
	for i, k := range wantK {
		if fixed[i].K != k {
			t.Errorf("instruction %d: k = %#x, want %#x", i, fixed[i].K, k)
		}
	}
	// The hardware type at offset 8 has no ancillary equivalent.
	hatype, _ := bpf.Assemble([]bpf.Instruction{bpf.LoadAbsolute{Off: 8, Size: 2}, bpf.RetA{}})
	if _, ok := fixCooked(hatype, true); ok {
		t.Error("fixCooked accepted a load of the hardware type")
	}
	v1, _ := bpf.Assemble([]bpf.Instruction{bpf.LoadAbsolute{Off: 14, Size: 2}, bpf.LoadAbsolute{Off: 16, Size: 1}, bpf.RetA{}})
	fixed, ok = fixCooked(v1, false)
	if !ok || fixed[0].K != 0xfffff000 || fixed[1].K != 0 {
		t.Errorf("SLL v1: %+v %v", fixed, ok)
	}
}
