// Package linktype names the link-layer header types (LINKTYPE_* values) that
// pcap and pcapng files record for each interface.
//
// The numbers are those of the tcpdump.org link-layer header type registry;
// the names are libpcap's DLT names without the DLT_ prefix, as tcpdump -L and
// the -y option use them.
package linktype

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/google/gopacket/layers"
)

// LinkType is a LINKTYPE_* value from a pcap file header or a pcapng
// Interface Description Block.
type LinkType uint16

// Link types that the rest of pcaptool refers to by name.
const (
	Null       LinkType = 0   // BSD loopback: 4-byte host-order address family
	Ethernet   LinkType = 1   // IEEE 802.3 Ethernet (EN10MB)
	PPP        LinkType = 9   // PPP, RFC 1661
	FDDI       LinkType = 10  // FDDI
	PPPHDLC    LinkType = 50  // PPP in HDLC-like framing
	PPPoE      LinkType = 51  // PPPoE session (PPP_ETHER)
	Raw        LinkType = 101 // raw IPv4 or IPv6, version from the first nibble
	CHDLC      LinkType = 104 // Cisco HDLC
	IEEE80211  LinkType = 105 // 802.11 without radio header
	Loop       LinkType = 108 // OpenBSD loopback: 4-byte network-order address family
	LinuxSLL   LinkType = 113 // Linux "cooked" capture v1
	PFLog      LinkType = 117 // OpenBSD pflog
	Radiotap   LinkType = 127 // 802.11 with radiotap header
	USBLinux   LinkType = 189 // Linux USB with 48-byte header
	SunATM     LinkType = 123 // Sun raw ATM with a 4-byte pseudo-header
	PPI        LinkType = 192 // Per-Packet Information
	USBMmapped LinkType = 220 // Linux USB with 64-byte header
	IPv4       LinkType = 228 // raw IPv4
	IPv6       LinkType = 229 // raw IPv6
	DBus       LinkType = 231 // D-Bus messages
	NFLog      LinkType = 239 // Linux netfilter log
	USBPcap    LinkType = 249 // Windows USBPcap
	Netlink    LinkType = 253 // Linux netlink
	EBHSCR     LinkType = 279 // Elektrobit high-speed capture and replay
	LinuxSLL2  LinkType = 276 // Linux "cooked" capture v2
)

type info struct {
	name, description string
}

// registry holds the names and descriptions libpcap uses (pcap_datalink_val_to_name
// and pcap_datalink_val_to_description), keyed by LINKTYPE_ value.
var registry = map[LinkType]info{
	0:   {"NULL", "BSD loopback"},
	1:   {"EN10MB", "Ethernet"},
	2:   {"EN3MB", "Experimental Ethernet"},
	3:   {"AX25", "Amateur Radio AX.25"},
	4:   {"PRONET", "Proteon ProNET Token Ring"},
	5:   {"CHAOS", "Chaos"},
	6:   {"IEEE802", "Token ring"},
	7:   {"ARCNET_BSD", "BSD ARCNET"},
	8:   {"SLIP", "SLIP"},
	9:   {"PPP", "PPP"},
	10:  {"FDDI", "FDDI"},
	50:  {"PPP_SERIAL", "PPP over serial"},
	51:  {"PPP_ETHER", "PPPoE"},
	99:  {"SYMANTEC_FIREWALL", "Symantec Firewall"},
	100: {"ATM_RFC1483", "RFC 1483 LLC-encapsulated ATM"},
	101: {"RAW", "Raw IP"},
	102: {"SLIP_BSDOS", "BSD/OS SLIP"},
	103: {"PPP_BSDOS", "BSD/OS PPP"},
	104: {"C_HDLC", "Cisco HDLC"},
	105: {"IEEE802_11", "802.11"},
	106: {"ATM_CLIP", "Linux Classical IP over ATM"},
	107: {"FRELAY", "Frame Relay"},
	108: {"LOOP", "OpenBSD loopback"},
	109: {"ENC", "OpenBSD encapsulated IP"},
	112: {"HDLC", "Cisco HDLC (BSD)"},
	113: {"LINUX_SLL", "Linux cooked v1"},
	114: {"LTALK", "Localtalk"},
	117: {"PFLOG", "OpenBSD pflog file"},
	118: {"CISCO_IOS", "Cisco IOS internal"},
	119: {"PRISM_HEADER", "802.11 plus Prism header"},
	121: {"HHDLC", "Siemens HiPath HDLC"},
	122: {"IP_OVER_FC", "RFC 2625 IP-over-Fibre Channel"},
	123: {"SUNATM", "Sun raw ATM"},
	124: {"RIO", "RapidIO"},
	125: {"PCI_EXP", "PCI Express"},
	126: {"AURORA", "Xilinx Aurora link layer"},
	127: {"IEEE802_11_RADIO", "802.11 plus radiotap header"},
	128: {"TZSP", "Tazmen Sniffer Protocol"},
	129: {"ARCNET_LINUX", "Linux ARCNET"},
	130: {"JUNIPER_MLPPP", "Juniper Multi-Link PPP"},
	131: {"JUNIPER_MLFR", "Juniper Multi-Link Frame Relay"},
	132: {"JUNIPER_ES", "Juniper Encryption Services PIC"},
	133: {"JUNIPER_GGSN", "Juniper GGSN PIC"},
	134: {"JUNIPER_MFR", "Juniper FRF.16 Frame Relay"},
	135: {"JUNIPER_ATM2", "Juniper ATM2 PIC"},
	136: {"JUNIPER_SERVICES", "Juniper Advanced Services PIC"},
	137: {"JUNIPER_ATM1", "Juniper ATM1 PIC"},
	138: {"APPLE_IP_OVER_IEEE1394", "Apple IP-over-IEEE 1394"},
	139: {"MTP2_WITH_PHDR", "SS7 MTP2 with Pseudo-header"},
	140: {"MTP2", "SS7 MTP2"},
	141: {"MTP3", "SS7 MTP3"},
	142: {"SCCP", "SS7 SCCP"},
	143: {"DOCSIS", "DOCSIS"},
	144: {"LINUX_IRDA", "Linux IrDA"},
	145: {"IBM_SP", "IBM SP switch"},
	146: {"IBM_SN", "IBM Next Federation switch"},
	147: {"USER0", "DLT 147 reserved for private use"},
	148: {"USER1", "DLT 148 reserved for private use"},
	149: {"USER2", "DLT 149 reserved for private use"},
	150: {"USER3", "DLT 150 reserved for private use"},
	151: {"USER4", "DLT 151 reserved for private use"},
	152: {"USER5", "DLT 152 reserved for private use"},
	153: {"USER6", "DLT 153 reserved for private use"},
	154: {"USER7", "DLT 154 reserved for private use"},
	155: {"USER8", "DLT 155 reserved for private use"},
	156: {"USER9", "DLT 156 reserved for private use"},
	157: {"USER10", "DLT 157 reserved for private use"},
	158: {"USER11", "DLT 158 reserved for private use"},
	159: {"USER12", "DLT 159 reserved for private use"},
	160: {"USER13", "DLT 160 reserved for private use"},
	161: {"USER14", "DLT 161 reserved for private use"},
	162: {"USER15", "DLT 162 reserved for private use"},
	163: {"IEEE802_11_RADIO_AVS", "802.11 plus AVS radio information header"},
	164: {"JUNIPER_MONITOR", "Juniper Passive Monitor PIC"},
	165: {"BACNET_MS_TP", "BACnet MS/TP"},
	166: {"PPP_PPPD", "PPP for pppd, with direction flag"},
	167: {"JUNIPER_PPPOE", "Juniper PPPoE"},
	168: {"JUNIPER_PPPOE_ATM", "Juniper PPPoE/ATM"},
	169: {"GPRS_LLC", "GPRS LLC"},
	170: {"GPF_T", "GPF-T"},
	171: {"GPF_F", "GPF-F"},
	172: {"GCOM_T1E1", "GCOM T1/E1"},
	173: {"GCOM_SERIAL", "GCOM serial"},
	174: {"JUNIPER_PIC_PEER", "Juniper PIC Peer"},
	175: {"ERF_ETH", "Ethernet with Endace ERF header"},
	176: {"ERF_POS", "Packet-over-SONET with Endace ERF header"},
	177: {"LINUX_LAPD", "Linux vISDN LAPD"},
	178: {"JUNIPER_ETHER", "Juniper Ethernet"},
	179: {"JUNIPER_PPP", "Juniper PPP"},
	180: {"JUNIPER_FRELAY", "Juniper Frame Relay"},
	181: {"JUNIPER_CHDLC", "Juniper C-HDLC"},
	182: {"MFR", "FRF.16 Frame Relay"},
	183: {"JUNIPER_VP", "Juniper Voice PIC"},
	184: {"A429", "Arinc 429"},
	185: {"A653_ICM", "Arinc 653 Interpartition Communication"},
	186: {"USB_FREEBSD", "USB with FreeBSD header"},
	187: {"BLUETOOTH_HCI_H4", "Bluetooth HCI UART transport layer"},
	188: {"IEEE802_16_MAC_CPS", "IEEE 802.16 MAC Common Part Sublayer"},
	189: {"USB_LINUX", "USB with Linux header"},
	190: {"CAN20B", "Controller Area Network (CAN) v. 2.0B"},
	191: {"IEEE802_15_4_LINUX", "IEEE 802.15.4 with Linux padding"},
	192: {"PPI", "Per-Packet Information"},
	193: {"IEEE802_16_MAC_CPS_RADIO", "IEEE 802.16 MAC Common Part Sublayer plus radiotap header"},
	194: {"JUNIPER_ISM", "Juniper Integrated Service Module"},
	195: {"IEEE802_15_4_WITHFCS", "IEEE 802.15.4 with FCS"},
	196: {"SITA", "SITA pseudo-header"},
	197: {"ERF", "Endace ERF header"},
	198: {"RAIF1", "Ethernet with u10 Networks pseudo-header"},
	199: {"IPMB_KONTRON", "IPMB with Kontron pseudo-header"},
	200: {"JUNIPER_ST", "Juniper Secure Tunnel"},
	201: {"BLUETOOTH_HCI_H4_WITH_PHDR", "Bluetooth HCI UART transport layer plus pseudo-header"},
	202: {"AX25_KISS", "AX.25 with KISS header"},
	203: {"LAPD", "LAPD"},
	204: {"PPP_WITH_DIR", "PPP with Directional Info"},
	205: {"C_HDLC_WITH_DIR", "Cisco HDLC with Directional Info"},
	206: {"FRELAY_WITH_DIR", "Frame Relay with Directional Info"},
	207: {"LAPB_WITH_DIR", "LAPB with Directional Info"},
	209: {"I2C_LINUX", "I2C with a Linux-specific pseudo-header"},
	210: {"FLEXRAY", "FlexRay"},
	211: {"MOST", "Media Oriented Systems Transport"},
	212: {"LIN", "Local Interconnect Network"},
	213: {"X2E_SERIAL", "X2E serial line capture"},
	214: {"X2E_XORAYA", "X2E Xoraya data logger"},
	215: {"IEEE802_15_4_NONASK_PHY", "IEEE 802.15.4 with non-ASK PHY data"},
	216: {"LINUX_EVDEV", "Linux evdev events"},
	217: {"GSMTAP_UM", "GSMTAP with Um-level information"},
	218: {"GSMTAP_ABIS", "GSMTAP with Abis-level information"},
	219: {"MPLS", "MPLS with label as link-layer header"},
	220: {"USB_LINUX_MMAPPED", "USB with padded Linux header"},
	221: {"DECT", "DECT"},
	222: {"AOS", "AOS Space Data Link protocol"},
	223: {"WIHART", "WirelessHART"},
	224: {"FC_2", "Fibre Channel FC-2"},
	225: {"FC_2_WITH_FRAME_DELIMS", "Fibre Channel FC-2 with frame delimiters"},
	226: {"IPNET", "Solaris ipnet"},
	227: {"CAN_SOCKETCAN", "CAN-bus with SocketCAN headers"},
	228: {"IPV4", "Raw IPv4"},
	229: {"IPV6", "Raw IPv6"},
	230: {"IEEE802_15_4_NOFCS", "IEEE 802.15.4 without FCS"},
	231: {"DBUS", "D-Bus"},
	232: {"JUNIPER_VS", "Juniper Virtual Server"},
	233: {"JUNIPER_SRX_E2E", "Juniper SRX E2E"},
	234: {"JUNIPER_FIBRECHANNEL", "Juniper Fibre Channel"},
	235: {"DVB_CI", "DVB-CI"},
	236: {"MUX27010", "MUX27010"},
	237: {"STANAG_5066_D_PDU", "STANAG 5066 D_PDUs"},
	238: {"JUNIPER_ATM_CEMIC", "Juniper ATM CEMIC"},
	239: {"NFLOG", "Linux netfilter log messages"},
	240: {"NETANALYZER", "Ethernet with Hilscher netANALYZER pseudo-header"},
	241: {"NETANALYZER_TRANSPARENT", "Ethernet with Hilscher netANALYZER pseudo-header and with preamble and SFD"},
	242: {"IPOIB", "RFC 4391 IP-over-Infiniband"},
	243: {"MPEG_2_TS", "MPEG-2 transport stream"},
	244: {"NG40", "ng40 protocol tester Iub/Iur"},
	245: {"NFC_LLCP", "NFC LLCP PDUs with pseudo-header"},
	246: {"PFSYNC", "Packet filter state syncing"},
	247: {"INFINIBAND", "InfiniBand"},
	248: {"SCTP", "SCTP"},
	249: {"USBPCAP", "USB with USBPcap header"},
	250: {"RTAC_SERIAL", "Schweitzer Engineering Laboratories RTAC packets"},
	251: {"BLUETOOTH_LE_LL", "Bluetooth Low Energy air interface"},
	252: {"WIRESHARK_UPPER_PDU", "Upper-layer protocol saves from Wireshark"},
	253: {"NETLINK", "Linux netlink"},
	254: {"BLUETOOTH_LINUX_MONITOR", "Bluetooth Linux Monitor"},
	255: {"BLUETOOTH_BREDR_BB", "Bluetooth Basic Rate/Enhanced Data Rate baseband packets"},
	256: {"BLUETOOTH_LE_LL_WITH_PHDR", "Bluetooth Low Energy air interface with pseudo-header"},
	257: {"PROFIBUS_DL", "PROFIBUS data link layer"},
	258: {"PKTAP", "Apple DLT_PKTAP"},
	259: {"EPON", "Ethernet with 802.3 Clause 65 EPON preamble"},
	260: {"IPMI_HPM_2", "IPMI trace packets"},
	261: {"ZWAVE_R1_R2", "Z-Wave RF profile R1 and R2 packets"},
	262: {"ZWAVE_R3", "Z-Wave RF profile R3 packets"},
	263: {"WATTSTOPPER_DLM", "WattStopper Digital Lighting Management (DLM) and Legrand Nitoo Open protocol"},
	264: {"ISO_14443", "ISO 14443 messages"},
	265: {"RDS", "IEC 62106 Radio Data System groups"},
	266: {"USB_DARWIN", "USB with Darwin header"},
	267: {"OPENFLOW", "OpenBSD OpenFlow"},
	268: {"SDLC", "IBM SDLC frames"},
	269: {"TI_LLN_SNIFFER", "TI LLN sniffer frames"},
	270: {"LORATAP", "LoRaWan packets with LoRaTap pseudo-header"},
	271: {"VSOCK", "Linux vsock"},
	272: {"NORDIC_BLE", "Nordic Semiconductor Bluetooth LE sniffer frames"},
	273: {"DOCSIS31_XRA31", "Excentis XRA-31 DOCSIS 3.1 RF sniffer frames"},
	274: {"ETHERNET_MPACKET", "802.3br mPackets"},
	275: {"DISPLAYPORT_AUX", "DisplayPort AUX channel monitoring data"},
	276: {"LINUX_SLL2", "Linux cooked v2"},
	277: {"SERCOS_MONITOR", "Sercos Monitor"},
	278: {"OPENVIZSLA", "OpenVizsla USB"},
	279: {"EBHSCR", "Elektrobit High Speed Capture and Replay (EBHSCR)"},
	280: {"VPP_DISPATCH", "VPP graph dispatch tracer"},
	281: {"DSA_TAG_BRCM", "Broadcom tag"},
	282: {"DSA_TAG_BRCM_PREPEND", "Broadcom tag (prepended)"},
	283: {"IEEE802_15_4_TAP", "IEEE 802.15.4 with pseudo-header"},
	284: {"DSA_TAG_DSA", "Marvell DSA"},
	285: {"DSA_TAG_EDSA", "Marvell EDSA"},
	286: {"ELEE", "ELEE lawful intercept packets"},
	287: {"Z_WAVE_SERIAL", "Z-Wave serial frames between host and chip"},
	288: {"USB_2_0", "USB 2.0/1.1/1.0 as transmitted over the cable"},
	289: {"ATSC_ALP", "ATSC Link-Layer Protocol packets"},
	290: {"ETW", "Event Tracing for Windows messages"},
	292: {"ZBOSS_NCP", "ZBOSS NCP protocol with pseudo-header"},
	293: {"USB_2_0_LOW_SPEED", "Low-Speed USB 2.0/1.1/1.0 as transmitted over the cable"},
	294: {"USB_2_0_FULL_SPEED", "Full-Speed USB 2.0/1.1/1.0 as transmitted over the cable"},
	295: {"USB_2_0_HIGH_SPEED", "High-Speed USB 2.0 as transmitted over the cable"},
	296: {"AUERSWALD_LOG", "Auerswald Logger Protocol"},
	297: {"ZWAVE_TAP", "Z-Wave packets with a TAP meta-data header"},
	298: {"SILABS_DEBUG_CHANNEL", "Silicon Labs debug channel protocol"},
	299: {"FIRA_UCI", "Ultra-wideband controller interface protocol"},
	300: {"MDB", "Multi-Drop Bus"},
	301: {"DECT_NR", "DECT New Radio"},
}

// aliases are further names accepted by Parse, as libpcap's pcap_datalink_name_to_val does.
var aliases = map[string]LinkType{
	"ETHERNET":   Ethernet,
	"LINUX_SLL1": LinuxSLL,
	"SLL":        LinuxSLL,
	"SLL2":       LinuxSLL2,
	"RADIOTAP":   Radiotap,
	// libpcap's names (pcap_datalink_name_to_val) where they differ
	// from the registry's.
	"IEEE802_15_4": 195,
	"IPMB_LINUX":   209,
}

// Name returns the libpcap name (EN10MB, LINUX_SLL2, ...) or LINKTYPE_<n> when
// the value is not in the registry.
func (t LinkType) Name() string {
	if i, ok := registry[t]; ok {
		return i.name
	}
	return "LINKTYPE_" + strconv.Itoa(int(t))
}

// Description returns libpcap's human description ("Ethernet") or
// "Unknown link type <n>".
func (t LinkType) Description() string {
	if i, ok := registry[t]; ok {
		return i.description
	}
	return "Unknown link type " + strconv.Itoa(int(t))
}

// Known reports whether t is in the registry.
func (t LinkType) Known() bool {
	_, ok := registry[t]
	return ok
}

// String returns Name.
func (t LinkType) String() string { return t.Name() }

// Layers converts t to gopacket's layers.LinkType, which holds only values up
// to 255. ok is false for larger values, which gopacket cannot represent.
func (t LinkType) Layers() (lt layers.LinkType, ok bool) {
	if t > 255 {
		return 0, false
	}
	return layers.LinkType(t), true
}

// Parse accepts a libpcap name (case-insensitive, with or without DLT_ or
// LINKTYPE_ prefix) or a decimal number.
func Parse(s string) (LinkType, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	u = strings.TrimPrefix(u, "DLT_")
	u = strings.TrimPrefix(u, "LINKTYPE_")
	if n, err := strconv.ParseUint(u, 10, 16); err == nil {
		return LinkType(n), nil
	}
	if t, ok := aliases[u]; ok {
		return t, nil
	}
	for t, i := range registry {
		if i.name == u {
			return t, nil
		}
	}
	return 0, fmt.Errorf("linktype: unknown link type %q", s)
}

// All returns every registered link type in ascending order.
func All() []LinkType {
	out := make([]LinkType, 0, len(registry))
	for t := range registry {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// MaxPacketSize is the largest capture length a reader accepts by default for
// a packet of link type t, following libpcap's max_snaplen_for_dlt and
// Wireshark's limits: 256 KiB for most link types, more for the few whose
// records are legitimately larger (D-Bus messages, USBPcap transfers, EBHSCR).
func (t LinkType) MaxPacketSize() int {
	switch t {
	case DBus, USBPcap:
		return 128 * 1024 * 1024
	case EBHSCR:
		return 8 * 1024 * 1024
	}
	return 262144
}
