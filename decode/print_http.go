package decode

import (
	"fmt"
	"strings"
)

// HTTP (TCP 80, 8080) as tcpdump's txtproto_print prints it: ": HTTP",
// then for a segment starting with a request or status line that line at
// -v 0, or at -v the segment's length and every text line of the header.

func init() { registerTCPPorts(700, printHTTP, 80, 8080) }

var httpMethods = map[string]bool{}

func init() {
	for _, m := range strings.Fields(`GET PUT COPY HEAD LOCK MOVE POLL POST BCOPY BMOVE MKCOL TRACE
		LABEL MERGE DELETE SEARCH UNLOCK REPORT UPDATE NOTIFY BDELETE CONNECT OPTIONS CHECKIN
		PROPFIND CHECKOUT CCM_POST SUBSCRIBE PROPPATCH BPROPFIND BPROPPATCH UNCHECKOUT MKACTIVITY
		MKWORKSPACE UNSUBSCRIBE RPC_IN_DATA RPC_OUT_DATA VERSION-CONTROL BASELINE-CONTROL`) {
		httpMethods[m] = true
	}
}

func printHTTP(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	return appendTextProtocol(p, b, c, "HTTP", "http", httpMethods, true), true
}

// appendTextProtocol appends a text protocol's segment as tcpdump's
// txtproto_print does. With commands set, only a segment that starts with
// a command or a three-digit status code (the second token when
// codeSecond) prints its lines.
func appendTextProtocol(p *Printer, b []byte, c *printContext, name, proto string, commands map[string]bool, codeSecond bool) []byte {
	d := c.data[:min(len(c.data), c.length)]
	length := c.length
	show := commands == nil
	if commands != nil {
		tok, at, ok := textToken(d, 0, length)
		if ok {
			show = commands[strings.ToUpper(tok)]
			if codeSecond {
				tok, _, ok = textToken(d, at, length)
			}
			if ok && len(tok) == 3 && isDigit(tok[0]) && isDigit(tok[1]) && isDigit(tok[2]) {
				show = true
			}
		}
	}
	b = append(b, ": "...)
	b = append(b, name...)
	if !show {
		return b
	}
	if p.opts.Verbose == 0 {
		b, _, _ = appendTextLine(b, ": ", d, 0, length, proto)
		return b
	}
	b = fmt.Appendf(b, ", length: %d", length)
	for at := 0; at < length; {
		var ok bool
		if b, at, ok = appendTextLine(b, "\n\t", d, at, length, proto); !ok {
			break
		}
	}
	return b
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// textToken returns the token at d[at:] (up to white space) and where the
// next one starts, as tcpdump's fetch_token does; false when there is no
// printable token.
func textToken(d []byte, at, length int) (string, int, bool) {
	start := at
	for ; at < length; at++ {
		if at >= len(d) {
			return "", 0, false
		}
		c := d[at]
		if c > 0x7f {
			return "", 0, false
		}
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			break
		}
		if c < 0x20 || c == 0x7f || at-start+2 > 129 {
			return "", 0, false
		}
	}
	if at == start {
		return "", 0, false
	}
	tok := string(d[start:at])
	for ; at < length && at < len(d); at++ {
		c := d[at]
		if c == '\r' || c == '\n' || c != ' ' && c != '\t' {
			break
		}
	}
	return tok, at, true
}

// appendTextLine appends prefix and the text line at d[at:] without its end
// of line, returning where the next line starts; false when the line is
// not printable text or has no end of line (then, if printable, it is
// printed and marked truncated).
func appendTextLine(b []byte, prefix string, d []byte, at, length int, proto string) ([]byte, int, bool) {
	start := at
	for ; at < length; at++ {
		if at >= len(d) {
			b = append(b, prefix...)
			b = append(b, d[start:at]...)
			return appendTrunc(b, proto), 0, false
		}
		switch c := d[at]; {
		case c == '\n':
			b = append(b, prefix...)
			return append(b, d[start:at]...), at + 1, true
		case c == '\r':
			if at+1 >= length || at+1 >= len(d) {
				return b, 0, false
			}
			if d[at+1] == '\n' {
				b = append(b, prefix...)
				return append(b, d[start:at]...), at + 2, true
			}
			return b, 0, false
		case (c < 0x20 || c > 0x7e) && c != '\t':
			return b, 0, false
		}
	}
	b = append(b, prefix...)
	b = append(b, d[start:at]...)
	return appendTrunc(b, proto), 0, false
}
