package pkt

import "testing"

func TestEPBFlags(t *testing.T) {
	for typ, want := range map[PacketType]uint32{
		PacketHost: 0x5, PacketBroadcast: 0xd, PacketMulticast: 0x9, PacketOtherHost: 0x11, PacketOutgoing: 0x2, 9: 0,
	} {
		if got := typ.EPBFlags(); got != want {
			t.Errorf("%v.EPBFlags() = %#x, want %#x", typ, got, want)
		}
	}
}

func TestResolution(t *testing.T) {
	tests := []struct {
		r    Resolution
		ups  uint64
		ok   bool
		text string
	}{
		{Microsecond, 1_000_000, true, "µs"},
		{Nanosecond, 1_000_000_000, true, "ns"},
		{0, 1, true, "s"},
		{3, 1000, true, "ms"},
		{12, 1_000_000_000_000, true, "ps"},
		{19, 10_000_000_000_000_000_000, true, "10^-19 s"},
		{20, 0, false, "10^-20 s"},
		{0x80 | 20, 1 << 20, true, "2^-20 s"},
		{0x80 | 63, 1 << 63, true, "2^-63 s"},
		{0x80 | 64, 0, false, "2^-64 s"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			ups, ok := tt.r.UnitsPerSecond()
			if ups != tt.ups || ok != tt.ok {
				t.Errorf("UnitsPerSecond() = %d, %v; want %d, %v", ups, ok, tt.ups, tt.ok)
			}
			if s := tt.r.String(); s != tt.text {
				t.Errorf("String() = %q, want %q", s, tt.text)
			}
		})
	}
}

func TestCloneAndCopyToDoNotAlias(t *testing.T) {
	p := &Packet{Data: []byte{1, 2, 3}, Length: 3, Options: []Option{{OptComment, []byte("hi")}},
		Link: LinkInfo{Valid: true, IfIndex: 2, Protocol: 0x800, Type: PacketOutgoing}}
	c := p.Clone()
	var d Packet
	p.CopyTo(&d)
	p.Data[0], p.Options[0].Value[0] = 9, 'X'
	for name, q := range map[string]*Packet{"Clone": c, "CopyTo": &d} {
		if q.Data[0] != 1 || string(q.Options[0].Value) != "hi" || q.Link != (LinkInfo{true, 2, 0x800, PacketOutgoing}) {
			t.Errorf("%s: %+v shares storage with the original or lost a field", name, q)
		}
	}
	if got := c.Comments(); len(got) != 1 || got[0] != "hi" {
		t.Errorf("Comments() = %q", got)
	}
}

func TestInterfaceAccessors(t *testing.T) {
	ifc := Interface{Options: []Option{{OptIfName, []byte("eth0")}, {OptIfDescription, []byte("uplink")}}}
	c := ifc.Clone()
	ifc.Options[0].Value[0] = 'X'
	if c.Name() != "eth0" || c.Description() != "uplink" {
		t.Errorf("Name, Description = %q, %q", c.Name(), c.Description())
	}
	if FindOption(c.Options, OptIfOS) != nil {
		t.Error("FindOption found an absent option")
	}
}
