package inspect

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pcapng"
)

// decodeOptions turns a block's options into display form.
func decodeOptions(t pcapng.BlockType, l *pcapng.OptionList, o binary.ByteOrder) []Option {
	if o == nil {
		o = binary.LittleEndian
	}
	out := make([]Option, 0, len(l.Options))
	for _, opt := range l.Options {
		out = append(out, Option{Code: opt.Code, Name: optionName(t, opt.Code), Value: optionValue(t, opt.Code, opt.Value, o)})
	}
	return out
}

var sectionOptionNames = map[uint16]string{
	pcapng.OptSHBHardware: "shb_hardware",
	pcapng.OptSHBOS:       "shb_os",
	pcapng.OptSHBUserAppl: "shb_userappl",
}

var interfaceOptionNames = map[uint16]string{
	pcapng.OptIfName:        "if_name",
	pcapng.OptIfDescription: "if_description",
	pcapng.OptIfIPv4Addr:    "if_IPv4addr",
	pcapng.OptIfIPv6Addr:    "if_IPv6addr",
	pcapng.OptIfMACAddr:     "if_MACaddr",
	pcapng.OptIfEUIAddr:     "if_EUIaddr",
	pcapng.OptIfSpeed:       "if_speed",
	pcapng.OptIfTsresol:     "if_tsresol",
	pcapng.OptIfTzone:       "if_tzone",
	pcapng.OptIfFilter:      "if_filter",
	pcapng.OptIfOS:          "if_os",
	pcapng.OptIfFCSLen:      "if_fcslen",
	pcapng.OptIfTsoffset:    "if_tsoffset",
	pcapng.OptIfHardware:    "if_hardware",
	pcapng.OptIfTxSpeed:     "if_txspeed",
	pcapng.OptIfRxSpeed:     "if_rxspeed",
	pcapng.OptIfIANATzname:  "if_iana_tzname",
}

func optionName(t pcapng.BlockType, code uint16) string {
	switch code {
	case pcapng.OptComment:
		return "opt_comment"
	case pcapng.OptCustomString, pcapng.OptCustomBinary, pcapng.OptCustomString2, pcapng.OptCustomBinary2:
		return "opt_custom"
	}
	var names map[uint16]string
	switch t {
	case pcapng.TypeSectionHeader:
		names = sectionOptionNames
	case pcapng.TypeInterfaceDescription:
		names = interfaceOptionNames
	}
	if n, ok := names[code]; ok {
		return n
	}
	return "opt_" + strconv.Itoa(int(code))
}

func optionValue(t pcapng.BlockType, code uint16, v []byte, o binary.ByteOrder) string {
	switch code {
	case pcapng.OptComment:
		return string(v)
	case pcapng.OptCustomString, pcapng.OptCustomString2:
		if len(v) >= 4 {
			return fmt.Sprintf("PEN %d: %s", o.Uint32(v), v[4:])
		}
	case pcapng.OptCustomBinary, pcapng.OptCustomBinary2:
		if len(v) >= 4 {
			return fmt.Sprintf("PEN %d: %s", o.Uint32(v), hex.EncodeToString(v[4:]))
		}
	}
	switch t {
	case pcapng.TypeSectionHeader:
		if _, ok := sectionOptionNames[code]; ok {
			return string(v)
		}
	case pcapng.TypeInterfaceDescription:
		switch code {
		case pcapng.OptIfName, pcapng.OptIfDescription, pcapng.OptIfOS, pcapng.OptIfHardware, pcapng.OptIfIANATzname:
			return string(v)
		case pcapng.OptIfIPv4Addr:
			if len(v) == 8 {
				return netip.AddrFrom4([4]byte(v[:4])).String() + "/" + netip.AddrFrom4([4]byte(v[4:])).String()
			}
		case pcapng.OptIfIPv6Addr:
			if len(v) == 17 {
				return netip.AddrFrom16([16]byte(v[:16])).String() + "/" + strconv.Itoa(int(v[16]))
			}
		case pcapng.OptIfMACAddr, pcapng.OptIfEUIAddr:
			if len(v) == 6 || len(v) == 8 {
				return net.HardwareAddr(v).String()
			}
		case pcapng.OptIfSpeed, pcapng.OptIfTxSpeed, pcapng.OptIfRxSpeed:
			if len(v) == 8 {
				return strconv.FormatUint(o.Uint64(v), 10)
			}
		case pcapng.OptIfTsoffset:
			if len(v) == 8 {
				return strconv.FormatInt(int64(o.Uint64(v)), 10)
			}
		case pcapng.OptIfTzone:
			if len(v) == 4 {
				return strconv.Itoa(int(int32(o.Uint32(v))))
			}
		case pcapng.OptIfTsresol:
			if len(v) == 1 {
				return fmt.Sprintf("0x%02x", v[0])
			}
		case pcapng.OptIfFCSLen:
			if len(v) == 1 {
				return strconv.Itoa(int(v[0]))
			}
		case pcapng.OptIfFilter:
			if len(v) >= 1 {
				return pcapng.Filter{Type: v[0], Data: v[1:]}.String()
			}
		}
	}
	return hex.EncodeToString(v)
}

// oneLine replaces line breaks, as capinfos does, so that a value stays on
// its line of the text report.
func oneLine(s string) string {
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}

// linkDescription is libpcap's description of a link type.
func linkDescription(t uint16) string { return linktype.LinkType(t).Description() }
