package decode

// SSH (TCP 22): tcpdump's ssh_print shows a segment that holds the
// protocol version exchange line ("SSH-2.0-..."), up to its end of line.

func init() { registerTCPPorts(600, printSSH, 22) }

func printSSH(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	d := c.data[:min(len(c.data), c.length)]
	if len(d) < 4 || string(d[:4]) != "SSH-" {
		return b, false
	}
	for i := 4; i < len(d); i++ {
		switch ch := d[i]; {
		case ch == '\n', ch == '\r' && i+1 < len(d) && d[i+1] == '\n':
			b = append(b, ": SSH: "...)
			return append(b, d[:i]...), true
		case ch < 0x20 || ch > 0x7e:
			return b, false
		}
	}
	return b, false
}
