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
	"github.com/pcaptool/pcaptool/pkt"
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

var sectionOptionNames = map[pkt.OptionCode]string{
	pkt.OptSHBHardware: "shb_hardware",
	pkt.OptSHBOS:       "shb_os",
	pkt.OptSHBUserAppl: "shb_userappl",
}

var interfaceOptionNames = map[pkt.OptionCode]string{
	pkt.OptIfName:        "if_name",
	pkt.OptIfDescription: "if_description",
	pkt.OptIfIPv4Addr:    "if_IPv4addr",
	pkt.OptIfIPv6Addr:    "if_IPv6addr",
	pkt.OptIfMACAddr:     "if_MACaddr",
	pkt.OptIfEUIAddr:     "if_EUIaddr",
	pkt.OptIfSpeed:       "if_speed",
	pkt.OptIfTsresol:     "if_tsresol",
	pkt.OptIfTzone:       "if_tzone",
	pkt.OptIfFilter:      "if_filter",
	pkt.OptIfOS:          "if_os",
	pkt.OptIfFCSLen:      "if_fcslen",
	pkt.OptIfTsoffset:    "if_tsoffset",
	pkt.OptIfHardware:    "if_hardware",
	pkt.OptIfTxSpeed:     "if_txspeed",
	pkt.OptIfRxSpeed:     "if_rxspeed",
	pkt.OptIfIANATzname:  "if_iana_tzname",
}

func optionName(t pcapng.BlockType, code pkt.OptionCode) string {
	switch code {
	case pkt.OptComment:
		return "opt_comment"
	case pkt.OptCustomString, pkt.OptCustomBinary, pkt.OptCustomString2, pkt.OptCustomBinary2:
		return "opt_custom"
	}
	var names map[pkt.OptionCode]string
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

func optionValue(t pcapng.BlockType, code pkt.OptionCode, v []byte, o binary.ByteOrder) string {
	switch code {
	case pkt.OptComment:
		return string(v)
	case pkt.OptCustomString, pkt.OptCustomString2:
		if len(v) >= 4 {
			return fmt.Sprintf("PEN %d: %s", o.Uint32(v), v[4:])
		}
	case pkt.OptCustomBinary, pkt.OptCustomBinary2:
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
		case pkt.OptIfName, pkt.OptIfDescription, pkt.OptIfOS, pkt.OptIfHardware, pkt.OptIfIANATzname:
			return string(v)
		case pkt.OptIfIPv4Addr:
			if len(v) == 8 {
				return netip.AddrFrom4([4]byte(v[:4])).String() + "/" + netip.AddrFrom4([4]byte(v[4:])).String()
			}
		case pkt.OptIfIPv6Addr:
			if len(v) == 17 {
				return netip.AddrFrom16([16]byte(v[:16])).String() + "/" + strconv.Itoa(int(v[16]))
			}
		case pkt.OptIfMACAddr, pkt.OptIfEUIAddr:
			if len(v) == 6 || len(v) == 8 {
				return net.HardwareAddr(v).String()
			}
		case pkt.OptIfSpeed, pkt.OptIfTxSpeed, pkt.OptIfRxSpeed:
			if len(v) == 8 {
				return strconv.FormatUint(o.Uint64(v), 10)
			}
		case pkt.OptIfTsoffset:
			if len(v) == 8 {
				return strconv.FormatInt(int64(o.Uint64(v)), 10)
			}
		case pkt.OptIfTzone:
			if len(v) == 4 {
				return strconv.Itoa(int(int32(o.Uint32(v))))
			}
		case pkt.OptIfTsresol:
			if len(v) == 1 {
				return fmt.Sprintf("0x%02x", v[0])
			}
		case pkt.OptIfFCSLen:
			if len(v) == 1 {
				return strconv.Itoa(int(v[0]))
			}
		case pkt.OptIfFilter:
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
