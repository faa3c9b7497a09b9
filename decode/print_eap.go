package decode

import "fmt"

// EAPOL (802.1X, EtherType 0x888e) and the EAP packets it carries, as
// tcpdump's eapol_print and eap_print print them.

func init() { registerEtherType(0x888e, printEAPOL) }

var (
	eapolTypes = map[uint8]string{0: "EAP packet", 1: "EAPOL start", 2: "EAPOL logoff", 3: "EAPOL key",
		4: "EAPOL encapsulated ASF alert"}
	eapCodes = map[uint8]string{1: "Request", 2: "Response", 3: "Success", 4: "Failure"}
	eapTypes = map[uint8]string{1: "Identity", 2: "Notification", 3: "NAK", 4: "MD5-challenge",
		5: "OTP", 6: "GTC", 13: "TLS", 18: "SIM", 21: "TTLS", 23: "AKA", 43: "FAST",
		254: "Expanded types", 255: "Experimental"}
	eapAKASubtypes = map[uint8]string{1: "Challenge", 2: "Authentication-Reject",
		4: "Synchronization-Failure", 5: "Identity", 10: "Start", 11: "Challenge",
		12: "Notification", 13: "Reauthentication", 14: "Client-Error"}
	eapTLSFlags = []bitName{{0x80, "L bit"}, {0x40, "More fragments bit"}, {0x20, "EAP-TLS Start bit"}}
)

func printEAPOL(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	d := c.data
	if len(d) < 4 {
		return append(b, " [|eap]"...), true
	}
	typ, n := d[1], int(be.Uint16(d[2:]))
	b = appendNameOr(b, eapolTypes, typ, "unknown")
	b = fmt.Appendf(b, " (%d) v%d, len %d", typ, d[0], n)
	if p.opts.Verbose == 0 || typ != 0 {
		return b, true
	}
	if n == 0 {
		return append(b, " [|eap]"...), true
	}
	b = append(b, ", "...)
	return appendEAP(b, d[4:]), true
}

// appendEAP appends an EAP packet (RFC 3748).
func appendEAP(b, d []byte) []byte {
	if len(d) < 4 {
		return append(b, " [|eap]"...)
	}
	code, n := d[0], int(be.Uint16(d[2:]))
	b = appendNameOr(b, eapCodes, code, "unknown")
	b = fmt.Appendf(b, " (%d), id %d, len %d", code, d[1], n)
	if code != 1 && code != 2 {
		return b
	}
	if len(d) < 5 {
		return append(b, " [|eap]"...)
	}
	sub := d[4]
	b = append(b, "\n\t\t Type "...)
	b = appendNameOr(b, eapTypes, sub, "unknown")
	b = fmt.Appendf(b, " (%d)", sub)
	need := func(k int) bool { return len(d) >= k }
	switch sub {
	case 1, 2:
		if n > 5 {
			if !need(n) {
				return append(b, " [|eap]"...)
			}
			if sub == 1 {
				b = append(b, ", Identity: "...)
			} else {
				b = append(b, ", Notification: "...)
			}
			b = appendNulStopped(b, d[5:n])
		}
	case 3:
		for i := 5; i < n; i++ {
			if !need(i + 1) {
				return append(b, " [|eap]"...)
			}
			b = append(b, ' ')
			b = appendNameOr(b, eapTypes, d[i], "unknown")
			b = fmt.Appendf(b, " (%d),", d[i])
		}
	case 13, 21, 43:
		if !need(6) {
			return append(b, " [|eap]"...)
		}
		f := d[5]
		switch sub {
		case 21:
			b = fmt.Appendf(b, " TTLSv%d", f&7)
		case 43:
			b = fmt.Appendf(b, " FASTv%d", f&7)
		}
		b = append(b, " flags ["...)
		b = appendBitNames(b, eapTLSFlags, uint32(f), ", ", "none")
		b = fmt.Appendf(b, "] 0x%02x,", f)
		if f&0x80 != 0 {
			if !need(10) {
				return append(b, " [|eap]"...)
			}
			b = fmt.Appendf(b, " len %d", be.Uint32(d[6:]))
		}
	case 18, 23:
		if !need(6) {
			return append(b, " [|eap]"...)
		}
		b = append(b, " subtype ["...)
		b = appendNameOr(b, eapAKASubtypes, d[5], "unknown")
		b = fmt.Appendf(b, "] 0x%02x", d[5])
	}
	return b
}
