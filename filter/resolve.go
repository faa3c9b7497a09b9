package filter

import (
	"bufio"
	"context"
	"net"
	"net/netip"
	"os"
	"strconv"
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

// networksFile is where "net NAME" looks names up, as libpcap's
// pcap_nametonetaddr does through getnetbyname.
var networksFile = "/etc/networks"

// lookupNetwork finds a network name (or alias, ignoring case, as glibc
// does) in /etc/networks ("name number [aliases]" lines, # comments) and
// returns its number as inet_network reads it: "10.1" is 0x0a01.
func (c *compiler) lookupNetwork(name string) uint32 {
	if c.opts.NoResolve {
		c.fail("network name '%s' not resolved: name resolution is off", name)
	}
	f, err := os.Open(networksFile)
	if err != nil {
		c.fail("unknown network '%s'", name)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		match := strings.EqualFold(fields[0], name)
		for _, alias := range fields[2:] {
			match = match || strings.EqualFold(alias, name)
		}
		if !match {
			continue
		}
		// getnetbyname's network 0 ("default") reads as "not found" to
		// libpcap.
		if v, ok := inetNetwork(fields[1]); ok && v != 0 {
			return v
		}
	}
	c.fail("unknown network '%s'", name)
	return 0
}

// inetNetwork parses a network number as inet_network(3): up to four
// parts separated by dots, each decimal, octal (leading 0) or hexadecimal
// (leading 0x), shifted together a byte at a time.
func inetNetwork(s string) (uint32, bool) {
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return 0, false
	}
	var v uint32
	for _, p := range parts {
		n, err := strconv.ParseUint(p, 0, 8)
		if err != nil {
			return 0, false
		}
		v = v<<8 | uint32(n)
	}
	return v, true
}
