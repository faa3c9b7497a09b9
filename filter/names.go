package filter

// Numbers the code generator uses, with their names from libpcap's
// ethertype.h, llc.h, ppp.h, nlpid.h and sll.h.
const (
	etherMTU = 1500

	etherTypeIP       = 0x0800
	etherTypeARP      = 0x0806
	etherTypeNS       = 0x0600
	etherTypeMOPDL    = 0x6001
	etherTypeMOPRC    = 0x6002
	etherTypeDN       = 0x6003
	etherTypeLAT      = 0x6004
	etherTypeSCA      = 0x6007
	etherTypeRevARP   = 0x8035
	etherTypeAtalk    = 0x809b
	etherTypeAARP     = 0x80f3
	etherType8021Q    = 0x8100
	etherTypeIPX      = 0x8137
	etherTypeIPv6     = 0x86dd
	etherTypeMPLS     = 0x8847
	etherTypePPPoED   = 0x8863
	etherTypePPPoES   = 0x8864
	etherType8021AD   = 0x88a8
	etherTypeLoopback = 0x9000
	etherType8021QinQ = 0x9100

	llcSAPIP      = 0x06
	llcSAP8021D   = 0x42
	llcSAPSNAP    = 0xaa
	llcSAPIPX     = 0xe0
	llcSAPNetBEUI = 0xf0
	llcSAPISONS   = 0xfe

	pppIP          = 0x0021
	pppOSI         = 0x0023
	pppNS          = 0x0025
	pppDECnet      = 0x0027
	pppApple       = 0x0029
	pppIPX         = 0x002b
	pppBRPDU       = 0x0031
	pppIPv6        = 0x0057
	pppMPLSUnicast = 0x0281

	isoCLNP = 0x81
	isoESIS = 0x82
	isoISIS = 0x83

	isisL1LANIIH = 15
	isisL2LANIIH = 16
	isisPTPIIH   = 17
	isisL1LSP    = 18
	isisL2LSP    = 20
	isisL1CSNP   = 24
	isisL2CSNP   = 25
	isisL1PSNP   = 26
	isisL2PSNP   = 27

	sllP8023     = 0x0001
	sllP8022     = 0x0004
	sllOutgoing  = 4
	ipProtoTCP   = 6
	ipProtoUDP   = 17
	ipProtoSCTP  = 132
	ipProtoFrag  = 44
	ipProtoICMP6 = 58
	protoUndef   = -1
)

// etherProtoNames is libpcap's eproto_db: names accepted by "ether proto".
var etherProtoNames = map[string]uint32{
	"aarp": etherTypeAARP, "arp": etherTypeARP, "atalk": etherTypeAtalk, "decnet": etherTypeDN,
	"ip": etherTypeIP, "ip6": etherTypeIPv6, "lat": etherTypeLAT, "loopback": etherTypeLoopback,
	"mopdl": etherTypeMOPDL, "moprc": etherTypeMOPRC, "rarp": etherTypeRevARP, "sca": etherTypeSCA,
}

// llcNames is libpcap's llc_db, the fallback of "ether proto".
var llcNames = map[string]uint32{
	"iso": llcSAPISONS, "stp": llcSAP8021D, "ipx": llcSAPIPX, "netbeui": llcSAPNetBEUI,
}

// ipProtoNames are the names and aliases of Debian netbase's
// /etc/protocols, which getprotobyname reads for "ip proto NAME".
var ipProtoNames = map[string]uint32{
	"ip": 0, "IP": 0, "hopopt": 0, "HOPOPT": 0, "icmp": 1, "ICMP": 1, "igmp": 2, "IGMP": 2,
	"ggp": 3, "GGP": 3, "ipencap": 4, "IP-ENCAP": 4, "st": 5, "ST": 5, "tcp": 6, "TCP": 6,
	"egp": 8, "EGP": 8, "igp": 9, "IGP": 9, "pup": 12, "PUP": 12, "udp": 17, "UDP": 17,
	"hmp": 20, "HMP": 20, "xns-idp": 22, "XNS-IDP": 22, "rdp": 27, "RDP": 27,
	"iso-tp4": 29, "ISO-TP4": 29, "dccp": 33, "DCCP": 33, "xtp": 36, "XTP": 36, "ddp": 37, "DDP": 37,
	"idpr-cmtp": 38, "IDPR-CMTP": 38, "ipv6": 41, "IPv6": 41, "ipv6-route": 43, "IPv6-Route": 43,
	"ipv6-frag": 44, "IPv6-Frag": 44, "idrp": 45, "IDRP": 45, "rsvp": 46, "RSVP": 46,
	"gre": 47, "GRE": 47, "esp": 50, "IPSEC-ESP": 50, "ah": 51, "IPSEC-AH": 51, "skip": 57, "SKIP": 57,
	"ipv6-icmp": 58, "IPv6-ICMP": 58, "ipv6-nonxt": 59, "IPv6-NoNxt": 59, "ipv6-opts": 60, "IPv6-Opts": 60,
	"rspf": 73, "RSPF": 73, "CPHB": 73, "vmtp": 81, "VMTP": 81, "eigrp": 88, "EIGRP": 88,
	"ospf": 89, "OSPFIGP": 89, "ax.25": 93, "AX.25": 93, "ipip": 94, "IPIP": 94,
	"etherip": 97, "ETHERIP": 97, "encap": 98, "ENCAP": 98, "pim": 103, "PIM": 103,
	"ipcomp": 108, "IPCOMP": 108, "vrrp": 112, "VRRP": 112, "l2tp": 115, "L2TP": 115,
	"isis": 124, "ISIS": 124, "sctp": 132, "SCTP": 132, "fc": 133, "FC": 133,
	"mobility-header": 135, "Mobility-Header": 135, "udplite": 136, "UDPLite": 136,
	"mpls-in-ip": 137, "MPLS-in-IP": 137, "manet": 138, "hip": 139, "HIP": 139,
	"shim6": 140, "Shim6": 140, "wesp": 141, "WESP": 141, "rohc": 142, "ROHC": 142,
	"ethernet": 143, "Ethernet": 143,
}

// service is one /etc/services name: its TCP and UDP ports, -1 when the
// name is not defined for that transport.
type service struct{ tcp, udp int }
