package pkt

import "slices"

// OptionCode is the code of a pcapng option. The meaning of a code depends
// on the block that carries it: code 2 is epb_flags on a packet, if_name on
// an interface and shb_hardware on a section header.
type OptionCode uint16

// Option codes valid in every block (pcapng specification, section 3.5).
const (
	OptEndOfOpt      OptionCode = 0     // opt_endofopt
	OptComment       OptionCode = 1     // opt_comment: UTF-8 text
	OptCustomString  OptionCode = 2988  // opt_custom: PEN + UTF-8 string, may be copied
	OptCustomBinary  OptionCode = 2989  // opt_custom: PEN + binary, may be copied
	OptCustomString2 OptionCode = 19372 // opt_custom: PEN + UTF-8 string, must not be copied
	OptCustomBinary2 OptionCode = 19373 // opt_custom: PEN + binary, must not be copied
)

// Section header options.
const (
	OptSHBHardware OptionCode = 2 // shb_hardware
	OptSHBOS       OptionCode = 3 // shb_os
	OptSHBUserAppl OptionCode = 4 // shb_userappl
)

// Interface description options.
const (
	OptIfName        OptionCode = 2  // if_name
	OptIfDescription OptionCode = 3  // if_description
	OptIfIPv4Addr    OptionCode = 4  // if_IPv4addr: address and netmask
	OptIfIPv6Addr    OptionCode = 5  // if_IPv6addr: address and prefix length
	OptIfMACAddr     OptionCode = 6  // if_MACaddr
	OptIfEUIAddr     OptionCode = 7  // if_EUIaddr
	OptIfSpeed       OptionCode = 8  // if_speed: u64 bits per second
	OptIfTsresol     OptionCode = 9  // if_tsresol: u8
	OptIfTzone       OptionCode = 10 // if_tzone: i32
	OptIfFilter      OptionCode = 11 // if_filter: type byte (0 expression, 1 BPF program) + filter
	OptIfOS          OptionCode = 12 // if_os
	OptIfFCSLen      OptionCode = 13 // if_fcslen: u8
	OptIfTsoffset    OptionCode = 14 // if_tsoffset: i64 seconds
	OptIfHardware    OptionCode = 15 // if_hardware
	OptIfTxSpeed     OptionCode = 16 // if_txspeed: u64
	OptIfRxSpeed     OptionCode = 17 // if_rxspeed: u64
	OptIfIANATzname  OptionCode = 18 // if_iana_tzname
)

// Enhanced packet options (and their obsolete packet block equivalents).
const (
	OptEPBFlags     OptionCode = 2 // epb_flags: u32 link-layer flags
	OptEPBHash      OptionCode = 3 // epb_hash: algorithm byte + hash
	OptEPBDropCount OptionCode = 4 // epb_dropcount: u64
	OptEPBPacketID  OptionCode = 5 // epb_packetid: u64
	OptEPBQueue     OptionCode = 6 // epb_queue: u32
	OptEPBVerdict   OptionCode = 7 // epb_verdict: type byte + verdict
)

// Name resolution block options.
const (
	OptNSDNSName    OptionCode = 2 // ns_dnsname
	OptNSDNSIP4Addr OptionCode = 3 // ns_dnsIP4addr
	OptNSDNSIP6Addr OptionCode = 4 // ns_dnsIP6addr
)

// Interface statistics options.
const (
	OptISBStartTime    OptionCode = 2 // isb_starttime: u32 high, u32 low
	OptISBEndTime      OptionCode = 3 // isb_endtime: u32 high, u32 low
	OptISBIfRecv       OptionCode = 4 // isb_ifrecv: u64
	OptISBIfDrop       OptionCode = 5 // isb_ifdrop: u64
	OptISBFilterAccept OptionCode = 6 // isb_filteraccept: u64
	OptISBOSDrop       OptionCode = 7 // isb_osdrop: u64
	OptISBUsrDeliv     OptionCode = 8 // isb_usrdeliv: u64
)

// Option is one pcapng-style option (code and value) carried through a
// stream. Values of the standard numeric options (epb_flags, epb_dropcount,
// epb_packetid, epb_queue, if_speed, ...) are little-endian whatever the byte
// order of the file they came from; readers and writers of big-endian files
// convert them. Values of options a reader does not know are kept verbatim.
type Option struct {
	Code  OptionCode
	Value []byte
}

// CloneOptions deep-copies an option list.
func CloneOptions(opts []Option) []Option {
	if opts == nil {
		return nil
	}
	out := make([]Option, len(opts))
	for i, o := range opts {
		out[i] = Option{Code: o.Code, Value: slices.Clone(o.Value)}
	}
	return out
}

// FindOption returns the value of the first option with the given code, or nil.
func FindOption(opts []Option, code OptionCode) []byte {
	for _, o := range opts {
		if o.Code == code {
			return o.Value
		}
	}
	return nil
}
