//go:build linux

package filter

import (
	"testing"

	"golang.org/x/net/bpf"
	"golang.org/x/sys/unix"
)

// attachToKernel loads prog into the kernel's classic BPF checker by
// attaching it to a UDP socket, which needs no privileges.
func attachToKernel(t *testing.T, prog []bpf.Instruction) error {
	t.Helper()
	raw, err := bpf.Assemble(prog)
	if err != nil {
		return err
	}
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM, 0)
	if err != nil {
		t.Skipf("cannot open a UDP socket: %v", err)
	}
	defer unix.Close(fd)
	filt := make([]unix.SockFilter, len(raw))
	for i, r := range raw {
		filt[i] = unix.SockFilter{Code: r.Op, Jt: r.Jt, Jf: r.Jf, K: r.K}
	}
	return unix.SetsockoptSockFprog(fd, unix.SOL_SOCKET, unix.SO_ATTACH_FILTER,
		&unix.SockFprog{Len: uint16(len(filt)), Filter: &filt[0]})
}

// TestKernelAcceptsPrograms attaches the program of every expression of
// the oracle table, for every supported link type, to a socket.
func TestKernelAcceptsPrograms(t *testing.T) {
	n := 0
	exprs := append(readExpressionList(t, "dev.txt"), oracleExpressions...)
	exprs = append(exprs, grammarSeeds...)
	for _, lt := range append(supportedLinkTypes, moreLinkTypes...) {
		for _, e := range exprs {
			e = expandTemplate(e, addresses{ip4: "10.1.2.3", ip4b: "10.1.2.4", net8: "10.0.0.0", net16: "10.1",
				net24: "10.1.2", ip6: "2001:db8::1", ip6net: "2001:db8::", mac: "02:00:00:00:00:01", port: "443"})
			prog, err := CompileOptions(e, lt, Options{NoResolve: true})
			if err != nil {
				continue
			}
			if err := attachToKernel(t, prog); err != nil {
				s, _ := Dump(prog, DumpText)
				t.Errorf("%s %q: kernel rejects the program: %v\n%s", lt, e, err, s)
			}
			n++
		}
	}
	t.Logf("the kernel accepted all %d programs", n)
}
