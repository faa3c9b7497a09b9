//go:build linux

package live

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/google/gopacket"
	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"

	"github.com/pcaptool/pcaptool/filter"
	"github.com/pcaptool/pcaptool/internal/gopacketsrc"
	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// userFilter is the part of the filter that runs in this process: always
// (a cooked capture whose program reads header fields the kernel cannot
// give it), or for the packets stamped before until (those that may have
// passed a filter SetBPF replaced).
type userFilter struct {
	vm     *bpf.VM
	always bool
	until  time.Time
}

func newUserFilter(raw []bpf.RawInstruction) (*bpf.VM, error) {
	prog := make([]bpf.Instruction, len(raw))
	for i, r := range raw {
		prog[i] = r.Disassemble()
	}
	vm, err := bpf.NewVM(prog)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", filter.ErrProgram, err)
	}
	return vm, nil
}

// filters splits a program into what the kernel runs and what runs here.
// A cooked capture's program reads a LINUX_SLL or LINUX_SLL2 header that
// the kernel does not build: it is rewritten for the kernel's view when
// possible, and run here on the packets as built otherwise.
func (h *Handle) filters(prog []bpf.RawInstruction) ([]bpf.RawInstruction, *userFilter, error) {
	if len(prog) == 0 || !h.cooked || (h.lt != linktype.LinuxSLL && h.lt != linktype.LinuxSLL2) {
		return prog, nil, nil
	}
	if fixed, ok := fixCooked(prog, h.lt == linktype.LinuxSLL2); ok {
		return fixed, nil, nil
	}
	vm, err := newUserFilter(prog)
	if err != nil {
		return nil, nil, err
	}
	return nil, &userFilter{vm: vm, always: true}, nil
}

// userFiltered applies the user-space filter to the packet just built; it
// reports false for a packet the filter rejects and truncates one it keeps
// to the length the program returned.
func (h *Handle) userFiltered() bool {
	f := h.filter.Load()
	if f == nil || (!f.always && !h.pkt.Timestamp.Before(f.until)) {
		return true
	}
	n, err := f.vm.Run(h.pkt.Data)
	if err != nil || n == 0 {
		return false
	}
	if n < len(h.pkt.Data) {
		h.pkt.Data = h.pkt.Data[:n]
	}
	return true
}

// filterSettle covers the kernel's timestamp granularity and the time
// between stamping a packet and filtering it, on another CPU.
const filterSettle = 50 * time.Millisecond

// SetBPF replaces the capture's filter with prog, a classic BPF program
// (from filter.Compile and bpf.Assemble, or ParseBPF); an empty prog
// removes the filter. Packets the old filter let into the kernel buffer and
// not read yet are checked against the new program here, as libpcap does
// for a ring, so that no packet read after SetBPF returns was rejected by
// it. The interface's if_filter option, which recorded the old filter's
// text, is dropped from Interfaces (SetFilter records the new text).
//
// SetBPF may be called from any goroutine, while ReadPacket runs.
func (h *Handle) SetBPF(prog []bpf.RawInstruction) error { return h.SetFilter(prog, "") }

// SetFilter is SetBPF recording text, the expression prog was compiled
// from, as the interface's if_filter option.
func (h *Handle) SetFilter(prog []bpf.RawInstruction, text string) error {
	if len(prog) > 0 {
		if err := filter.Validate(prog); err != nil {
			return err
		}
	}
	kernel, uf, err := h.filters(prog)
	if err != nil {
		return err
	}
	if uf == nil && len(prog) > 0 {
		// Packets stamped before the new kernel filter is in place may
		// have passed the old one. Running the program again on one that
		// passed the new one changes nothing, so the window can be
		// generous. (One difference remains: here a frame whose VLAN tag
		// the driver stripped is seen with the tag put back, as the
		// kernel's filter did not see it.)
		vm, err := newUserFilter(prog)
		if err != nil {
			return err
		}
		uf = &userFilter{vm: vm}
	}
	if len(kernel) > 0 {
		err = h.conn.SetBPF(kernel)
	} else {
		err = h.detachFilter()
	}
	if err != nil {
		return fmt.Errorf("live: %s: setting the filter: %w", h.device, err)
	}
	if uf != nil && !uf.always {
		uf.until = time.Now().Add(filterSettle)
	}
	h.filter.Store(uf)
	h.setFilterOption(text)
	return nil
}

// detachFilter removes the kernel filter; a socket without one is fine.
func (h *Handle) detachFilter() error {
	var serr error
	err := h.rc.Control(func(fd uintptr) {
		serr = unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_DETACH_FILTER, 0)
	})
	if errors.Is(serr, unix.ENOENT) {
		serr = nil
	}
	if serr != nil {
		return os.NewSyscallError("setsockopt SO_DETACH_FILTER", serr)
	}
	return err
}

// setFilterOption replaces the if_filter option of the interface; the old
// description stays valid for whoever still holds it.
func (h *Handle) setFilterOption(text string) {
	ifc := (*h.ifacesP.Load())[0].Clone()
	ifc.Options = slices.DeleteFunc(ifc.Options, func(o pkt.Option) bool { return o.Code == pkt.OptIfFilter })
	if text != "" {
		ifc.Options = append(ifc.Options, pkt.Option{Code: pkt.OptIfFilter, Value: append([]byte{0}, text...)})
	}
	h.ifacesP.Store(&[]pkt.Interface{ifc})
}

// ZeroCopyReadPacketData implements gopacket.ZeroCopyPacketDataSource:
// ReadPacket's packet as gopacket sees it. Data is valid until the next
// call. CaptureInfo.InterfaceIndex is the kernel index of the interface the
// packet crossed (the real one on "any"), as gopacket's afpacket sets it.
func (h *Handle) ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	p, err := h.ReadPacket()
	if err != nil {
		return nil, gopacket.CaptureInfo{}, err
	}
	return p.Data, gopacketsrc.Info(p, int(p.Link.IfIndex)), nil
}

// ReadPacketData implements gopacket.PacketDataSource; data is a copy that
// stays valid.
func (h *Handle) ReadPacketData() ([]byte, gopacket.CaptureInfo, error) {
	return gopacketsrc.Copy(h.ZeroCopyReadPacketData())
}
