//go:build !linux

package live

import (
	"runtime"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"golang.org/x/net/bpf"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// Interfaces returns ErrUnsupported on this system.
func Interfaces() ([]Interface, error) { return nil, ErrUnsupported }

// InterfaceByName returns ErrUnsupported on this system.
func InterfaceByName(string) (*Interface, error) { return nil, ErrUnsupported }

// Handle is an open live capture; it cannot be opened on this system.
type Handle struct{ beforeWait func() error }

// Open returns ErrUnsupported on this system.
func Open(string, *Config) (*Handle, error) { return nil, ErrUnsupported }

// LinkType returns 0.
func (*Handle) LinkType() layers.LinkType { return 0 }

// SnapLen returns 0.
func (*Handle) SnapLen() int { return 0 }

// Method returns MethodAuto.
func (*Handle) Method() Method { return MethodAuto }

// Interfaces returns nil.
func (*Handle) Interfaces() []pkt.Interface { return nil }

// BufferSize returns 0.
func (*Handle) BufferSize() int { return 0 }

// SetReadDeadline returns ErrUnsupported.
func (*Handle) SetReadDeadline(time.Time) error { return ErrUnsupported }

// Break does nothing.
func (*Handle) Break() {}

// ReadPacket returns ErrUnsupported.
func (*Handle) ReadPacket() (*pkt.Packet, error) { return nil, ErrUnsupported }

// SetBPF returns ErrUnsupported.
func (*Handle) SetBPF([]bpf.RawInstruction) error { return ErrUnsupported }

// SetFilter returns ErrUnsupported.
func (*Handle) SetFilter([]bpf.RawInstruction, string) error { return ErrUnsupported }

// ReadPacketData returns ErrUnsupported.
func (*Handle) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	return nil, gopacket.CaptureInfo{}, ErrUnsupported
}

// ZeroCopyReadPacketData returns ErrUnsupported.
func (*Handle) ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	return nil, gopacket.CaptureInfo{}, ErrUnsupported
}

// Stats returns ErrUnsupported.
func (*Handle) Stats() (Stats, error) { return Stats{}, ErrUnsupported }

// WritePacketData returns ErrUnsupported.
func (*Handle) WritePacketData([]byte) error { return ErrUnsupported }

// Close returns nil.
func (*Handle) Close() error { return nil }

// Injector sends frames on one interface; it cannot be opened on this system.
type Injector struct{}

// OpenInjector returns ErrUnsupported on this system.
func OpenInjector(string) (*Injector, error) { return nil, ErrUnsupported }

// LinkType returns 0.
func (*Injector) LinkType() linktype.LinkType { return 0 }

// MTU returns 0.
func (*Injector) MTU() int { return 0 }

// Name returns "".
func (*Injector) Name() string { return "" }

// MaxFrame returns 0.
func (*Injector) MaxFrame([]byte) int { return 0 }

// Stats returns zero counters.
func (*Injector) Stats() InjectStats { return InjectStats{} }

// WritePacketData returns ErrUnsupported.
func (*Injector) WritePacketData([]byte) error { return ErrUnsupported }

// WriteBatch returns ErrUnsupported.
func (*Injector) WriteBatch([][]byte) (int, error) { return 0, ErrUnsupported }

// Close returns nil.
func (*Injector) Close() error { return nil }

// OSDescription names the running system for pcapng's shb_os.
func OSDescription() string { return runtime.GOOS }

func (*Handle) drainTime() time.Duration { return 0 }
