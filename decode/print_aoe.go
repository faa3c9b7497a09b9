package decode

import "fmt"

// ATA over Ethernet (EtherType 0x88a2) as tcpdump's aoe_print prints it:
// length, version and flags; at -v the header and the command's arguments
// (ATA command, query config, MAC mask list, reserve/release).

func init() { registerEtherType(0x88a2, printAoE) }

var (
	aoeCommands = map[uint8]string{0: "Issue ATA Command", 1: "Query Config Information",
		2: "MAC Mask List", 3: "Reserve/Release"}
	aoeFlags  = []bitName{{0x08, "Response"}, {0x04, "Error"}, {0x02, "MBZ-1"}, {0x01, "MBZ-0"}}
	aoeErrors = map[uint8]string{1: "Unrecognized command code", 2: "Bad argument parameter",
		3: "Device unavailable", 4: "Config string present", 5: "Unsupported version",
		6: "Target is reserved"}
	aoeAFlags = []bitName{{0x40, "Ext48"}, {0x20, "MBZ-5"}, {0x10, "Device"}, {0x08, "MBZ-3"},
		{0x04, "MBZ-2"}, {0x02, "Async"}, {0x01, "Write"}}
	aoeCCmds = map[uint8]string{0: "read config string", 1: "test config string",
		2: "test config string prefix", 3: "set config string", 4: "force set config string"}
	aoeMCmds   = map[uint8]string{0: "Read Mac Mask List", 1: "Edit Mac Mask List"}
	aoeMErrors = map[uint8]string{1: "Unspecified Error", 2: "Bad DCmd directive", 3: "Mask list full"}
	aoeDCmds   = map[uint8]string{0: "No Directive", 1: "Add mac address to mask list",
		2: "Delete mac address from mask list"}
	aoeRCmds = map[uint8]string{0: "Read reserve list", 1: "Set reserve list", 2: "Force set reserve list"}
)

func printAoE(p *Printer, b []byte, c *printContext) ([]byte, bool) {
	d, length := c.data, c.length
	b = fmt.Appendf(b, "AoE length %d", length)
	if length < 1 {
		return append(b, " (invalid)"...), true
	}
	if len(d) < 1 {
		return append(b, " [|aoe]"...), true
	}
	ver := d[0] >> 4
	b = fmt.Appendf(b, ", Ver %d", ver)
	if ver != 1 {
		return b, true
	}
	if length < 10 {
		return aoeInvalid(b, d, length), true
	}
	flags := d[0] & 0x0f
	b = append(b, ", Flags: ["...)
	b = appendBitNames(b, aoeFlags, uint32(flags), ", ", "none")
	b = append(b, ']')
	if p.opts.Verbose == 0 {
		return b, true
	}
	if len(d) < 10 {
		return append(b, " [|aoe]"...), true
	}
	if flags&0x04 != 0 {
		b = append(b, "\n\tError: "...)
		b = appendTok(b, aoeErrors, d[1], "Invalid (%d)")
	}
	cmd := d[5]
	b = fmt.Appendf(b, "\n\tMajor: 0x%04x, Minor: 0x%02x, Command: ", be.Uint16(d[2:]), d[4])
	b = appendTok(b, aoeCommands, cmd, "Unknown (0x%02x)")
	b = fmt.Appendf(b, ", Tag: 0x%08x", be.Uint32(d[6:]))
	return appendAoEArgs(b, cmd, d[10:], length-10), true
}

// aoeInvalid appends tcpdump's "(invalid)", and its truncation mark when
// the claimed length was not captured.
func aoeInvalid(b, d []byte, n int) []byte {
	b = append(b, " (invalid)"...)
	if len(d) < n {
		b = append(b, " [|aoe]"...)
	}
	return b
}

func appendAoEArgs(b []byte, cmd uint8, a []byte, n int) []byte {
	switch cmd {
	case 0:
		if n < 12 {
			return aoeInvalid(b, a, n)
		}
		if len(a) < 12 {
			return append(b, " [|aoe]"...)
		}
		b = append(b, "\n\tAFlags: ["...)
		b = appendBitNames(b, aoeAFlags, uint32(a[0]), ", ", "none")
		b = fmt.Appendf(b, "], Err/Feature: %d, Sector Count: %d, Cmd/Status: %d", a[1], a[2], a[3])
		b = fmt.Appendf(b, "\n\tlba0: %d, lba1: %d, lba2: %d, lba3: %d, lba4: %d, lba5: %d", a[4], a[5], a[6], a[7], a[8], a[9])
		if n > 12 {
			b = fmt.Appendf(b, "\n\tData: %d bytes", n-12)
		}
	case 1:
		if n < 8 {
			return aoeInvalid(b, a, n)
		}
		if len(a) < 8 {
			return append(b, " [|aoe]"...)
		}
		b = fmt.Appendf(b, "\n\tBuffer Count: %d, Firmware Version: %d, Sector Count: %d, AoE: %d, CCmd: ",
			be.Uint16(a), be.Uint16(a[2:]), a[4], a[5]>>4)
		b = appendNameOr(b, aoeCCmds, a[5]&15, "Unknown (0x02x)")
		cs := int(be.Uint16(a[6:]))
		if cs > 1024 || 8+cs > n {
			return aoeInvalid(b, a, n)
		}
		if cs > 0 {
			if len(a) < 8+cs {
				return append(b, " [|aoe]"...)
			}
			b = fmt.Appendf(b, "\n\tConfig String (length %d): ", cs)
			b = appendPrintable(b, a[8:8+cs])
		}
	case 2:
		if n < 4 {
			return aoeInvalid(b, a, n)
		}
		if len(a) < 4 {
			return append(b, " [|aoe]"...)
		}
		b = append(b, "\n\tMCmd: "...)
		b = appendTok(b, aoeMCmds, a[1], "Unknown (%d)")
		b = append(b, ", MError: "...)
		b = appendTok(b, aoeMErrors, a[2], "Unknown (%d)")
		count := int(a[3])
		b = fmt.Appendf(b, ", Dir Count: %d", count)
		if 4+count*8 > n {
			return aoeInvalid(b, a, n)
		}
		for i := 0; i < count; i++ {
			at := 4 + i*8
			if len(a) < at+8 {
				return append(b, " [|aoe]"...)
			}
			b = append(b, "\n\t DCmd: "...)
			b = appendTok(b, aoeDCmds, a[at+1], "Unknown (%d)")
			b = append(b, ", Ethernet Address: "...)
			b = appendMAC(b, a[at+2:at+8])
		}
	case 3:
		if n < 2 || (n-2)%6 != 0 {
			return aoeInvalid(b, a, n)
		}
		if len(a) < 2 {
			return append(b, " [|aoe]"...)
		}
		b = append(b, "\n\tRCmd: "...)
		b = appendTok(b, aoeRCmds, a[0], "Unknown (%d)")
		count := int(a[1])
		b = fmt.Appendf(b, ", NMacs: %d", count)
		if 2+count*6 != n {
			return aoeInvalid(b, a, n)
		}
		for i := 0; i < count; i++ {
			at := 2 + i*6
			if len(a) < at+6 {
				return append(b, " [|aoe]"...)
			}
			b = fmt.Appendf(b, "\n\tEthernet Address %d: ", i)
			b = appendMAC(b, a[at:at+6])
		}
	}
	return b
}
