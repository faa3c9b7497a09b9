package filter

import (
	"bufio"
	"context"
	"net"
	"net/netip"
	"os"
	"strings"
	"time"
)

// ResolveTimeout bounds the time a host name lookup may take at compile
// time.
const ResolveTimeout = 5 * time.Second

// etherHostsFile is where "ether host NAME" looks names up, as libpcap's
// pcap_ether_hostton does.
var etherHostsFile = "/etc/ethers"

// resolveHost returns the addresses of a host name, from /etc/hosts and
// DNS through Go's own resolver (no cgo), as libpcap resolves names with
// getaddrinfo when it compiles.
func (c *compiler) resolveHost(name string) []netip.Addr {
	if c.opts.NoResolve {
		c.fail("host name '%s' not resolved: name resolution is off", name)
	}
	ctx, cancel := context.WithTimeout(context.Background(), ResolveTimeout)
	defer cancel()
	r := &net.Resolver{PreferGo: true}
	addrs, err := r.LookupNetIP(ctx, "ip", name)
	if err != nil || len(addrs) == 0 {
		c.fail("unknown host '%s'", name)
	}
	for i, a := range addrs {
		addrs[i] = a.Unmap()
	}
	return addrs
}

// hostByName compiles "[proto] [dir] host NAME": every address of NAME,
// ORed (libpcap's gen_scode for Q_HOST).
func (c *compiler) hostByName(name string, q qualifier) *frag {
	addrs := c.resolveHost(name)
	proto4, proto6 := q.Proto, q.Proto
	if !c.linkTypeSet && q.Proto == protoDefault {
		proto4, proto6 = protoIP, protoIPv6
	}
	var b *frag
	for _, a := range addrs {
		var tmp *frag
		if a.Is4() {
			if proto4 == protoIPv6 {
				continue
			}
			v := a.As4()
			tmp = c.host(uint32(v[0])<<24|uint32(v[1])<<16|uint32(v[2])<<8|uint32(v[3]), 0xffffffff, proto4, q.Dir, q.Addr)
		} else {
			if proto6 == protoIP {
				continue
			}
			var mask [16]byte
			for i := range mask {
				mask[i] = 0xff
			}
			tmp = c.host6(a.As16(), mask, proto6, q.Dir, q.Addr)
		}
		if b != nil {
			tmp = or(b, tmp)
		}
		b = tmp
	}
	if b == nil {
		if q.Proto == protoDefault {
			c.fail("unknown host '%s'", name)
		}
		c.fail("unknown host '%s' for specified address family", name)
	}
	return b
}

// lookupEther finds a host name in /etc/ethers ("MAC name" lines, #
// comments), returning its MAC address.
func (c *compiler) lookupEther(name string) []byte {
	if c.opts.NoResolve {
		c.fail("ethernet host name '%s' not resolved: name resolution is off", name)
	}
	f, err := os.Open(etherHostsFile)
	if err != nil {
		c.fail("unknown ether host '%s'", name)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(line)
		if len(fields) < 2 || fields[1] != name {
			continue
		}
		if hw, err := net.ParseMAC(fields[0]); err == nil && len(hw) == 6 {
			return hw
		}
		if e := parseMAC(fields[0]); len(e) == 6 {
			return e
		}
	}
	c.fail("unknown ether host '%s'", name)
	return nil
}
