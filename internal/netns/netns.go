//go:build linux

// Package netns creates throw-away network namespaces joined by veth pairs
// for tests, and runs code inside them. Everything it creates is removed by
// the test's cleanup; traffic sent in them never reaches a real network.
package netns

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/sys/unix"
)

// Require skips t unless it runs as root on a system with ip(8) and network
// namespaces; with PCAPTOOL_REQUIRE_ORACLES=1 and root it fails instead.
func Require(t testing.TB) {
	t.Helper()
	fail := t.Skipf
	if os.Getenv("PCAPTOOL_REQUIRE_ORACLES") == "1" && os.Geteuid() == 0 {
		fail = t.Fatalf
	}
	if os.Geteuid() != 0 {
		t.Skipf("needs root to create network namespaces (running as uid %d)", os.Geteuid())
	}
	if _, err := exec.LookPath("ip"); err != nil {
		fail("ip(8) not installed: apt-get install -y iproute2")
	}
	if _, err := os.Stat("/proc/self/ns/net"); err != nil {
		fail("network namespaces not available: %v", err)
	}
}

var seq atomic.Int32

// Pair is two namespaces, A and B, joined by a veth pair: interface
// VethA (address AddrA) in A and VethB (address AddrB) in B, both up, in
// 10.<x>.<y>.0/24. Loopback is up in both.
type Pair struct {
	A, B         string
	VethA, VethB string
	AddrA, AddrB string
}

// NewPair creates a Pair and registers its removal with t.Cleanup.
func NewPair(t testing.TB) *Pair {
	t.Helper()
	Require(t)
	n := seq.Add(1)
	id := fmt.Sprintf("%d-%d", os.Getpid()%100000, n)
	p := &Pair{
		A: "pct-a-" + id, B: "pct-b-" + id,
		VethA: "pcta" + fmt.Sprint(n), VethB: "pctb" + fmt.Sprint(n),
		AddrA: fmt.Sprintf("10.231.%d.1", n%250), AddrB: fmt.Sprintf("10.231.%d.2", n%250),
	}
	t.Cleanup(func() {
		_ = exec.Command("ip", "netns", "del", p.A).Run()
		_ = exec.Command("ip", "netns", "del", p.B).Run()
	})
	cmds := [][]string{
		{"netns", "add", p.A},
		{"netns", "add", p.B},
		{"-n", p.A, "link", "add", p.VethA, "type", "veth", "peer", "name", p.VethB, "netns", p.B},
		{"-n", p.A, "addr", "add", p.AddrA + "/24", "dev", p.VethA},
		{"-n", p.B, "addr", "add", p.AddrB + "/24", "dev", p.VethB},
		{"-n", p.A, "link", "set", p.VethA, "up"},
		{"-n", p.B, "link", "set", p.VethB, "up"},
		{"-n", p.A, "link", "set", "lo", "up"},
		{"-n", p.B, "link", "set", "lo", "up"},
	}
	for i, c := range cmds {
		if out, err := exec.Command("ip", c...).CombinedOutput(); err != nil {
			t.Fatalf("ip %s: %v\n%s", strings.Join(c, " "), err, out)
		}
		if i == 2 {
			// No IPv6: its router and neighbour solicitations would
			// add packets the tests do not expect.
			for _, ns := range []string{p.A, p.B} {
				err := Do(ns, func() error {
					return os.WriteFile("/proc/sys/net/ipv6/conf/all/disable_ipv6", []byte("1"), 0)
				})
				if err != nil && !os.IsNotExist(err) {
					t.Fatalf("disabling IPv6 in %s: %v", ns, err)
				}
			}
		}
	}
	return p
}

// Do runs fn with the calling goroutine's thread inside the named
// namespace. Sockets opened by fn stay in that namespace after Do returns,
// so a capture or a sender can be set up here and used from anywhere.
func Do(name string, fn func() error) error {
	runtime.LockOSThread()
	orig, err := os.Open("/proc/thread-self/ns/net")
	if err != nil {
		runtime.UnlockOSThread()
		return err
	}
	defer orig.Close()
	target, err := os.Open("/run/netns/" + name)
	if err != nil {
		runtime.UnlockOSThread()
		return err
	}
	defer target.Close()
	if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
		runtime.UnlockOSThread()
		return fmt.Errorf("setns %s: %w", name, err)
	}
	ferr := fn()
	if err := unix.Setns(int(orig.Fd()), unix.CLONE_NEWNET); err != nil {
		// Leave the thread locked: the runtime discards it when the
		// goroutine exits rather than reuse it in the wrong namespace.
		return fmt.Errorf("setns back: %w", err)
	}
	runtime.UnlockOSThread()
	return ferr
}

// Exec returns a command that runs name with args inside namespace ns.
func Exec(ns, name string, args ...string) *exec.Cmd {
	return exec.Command("ip", append([]string{"netns", "exec", ns, name}, args...)...)
}
