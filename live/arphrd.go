package live

import "github.com/pcaptool/pcaptool/linktype"

// ARPHRD_* hardware types from linux/if_arp.h that LinkTypeForARPHRD maps.
const (
	arphrdEther          = 1
	arphrdEEther         = 2
	arphrdAX25           = 3
	arphrdPronet         = 4
	arphrdChaos          = 5
	arphrdIEEE802        = 6
	arphrdArcnet         = 7
	arphrdDLCI           = 15
	arphrdIPOverFC       = 18 // libpcap's "case 18"
	arphrdATM            = 19
	arphrdMetricom       = 23
	arphrdSLIP           = 256
	arphrdCSLIP          = 257
	arphrdSLIP6          = 258
	arphrdCSLIP6         = 259
	arphrdAdapt          = 264
	arphrdCAN            = 280
	arphrdPPP            = 512
	arphrdCisco          = 513
	arphrdRawHDLC        = 518
	arphrdTunnel         = 768
	arphrdFRAD           = 770
	arphrdLoopback       = 772
	arphrdLocalTalk      = 773
	arphrdFDDI           = 774
	arphrdSIT            = 776
	arphrdIRDA           = 783
	arphrdFCPP           = 784
	arphrdFCAL           = 785
	arphrdFCPL           = 786
	arphrdFCFabric       = 787
	arphrdIEEE802TR      = 800
	arphrdIEEE80211      = 801
	arphrdIEEE80211Prism = 802
	arphrdIEEE80211Radio = 803
	arphrdIEEE802154     = 804
	arphrdNetlink        = 824
	arphrdVsockMon       = 826
	arphrdNone           = 0xfffe
	arphrdLAPD           = 8445
	linkTypeEN3MB        = 2
	linkTypeAX25KISS     = 202
	linkTypePronet       = 4
	linkTypeChaos        = 5
	linkTypeIEEE802      = 6
	linkTypeArcnetLinux  = 129
	linkTypeFrelay       = 107
	linkTypeLTalk        = 114
	linkTypeIPOverFC     = 122
	linkTypeFC2          = 224
	linkTypeLinuxIRDA    = 144
	linkTypeLinuxLAPD    = 177
	linkTypeIEEE802154   = 230 // IEEE802_15_4_NOFCS
	linkTypeVsock        = 271
	linkTypeCANSocketCAN = 227
	linkTypePrismHeader  = 119
)

// LinkTypeForARPHRD returns the link-layer header type libpcap records for
// an interface of the given ARPHRD_* hardware type, and whether the capture
// must use a cooked (SOCK_DGRAM) socket because the kernel gives no usable
// link-layer header. Types libpcap does not know map to LINUX_SLL, cooked,
// as libpcap falls back to.
func LinkTypeForARPHRD(hatype uint16) (lt linktype.LinkType, cooked bool) {
	switch hatype {
	case arphrdEther, arphrdMetricom, arphrdLoopback:
		return linktype.Ethernet, false
	case arphrdEEther:
		return linkTypeEN3MB, false
	case arphrdAX25:
		return linkTypeAX25KISS, false
	case arphrdPronet:
		return linkTypePronet, false
	case arphrdChaos:
		return linkTypeChaos, false
	case arphrdCAN:
		return linkTypeCANSocketCAN, false
	case arphrdIEEE802TR, arphrdIEEE802:
		return linkTypeIEEE802, false
	case arphrdArcnet:
		return linkTypeArcnetLinux, false
	case arphrdFDDI:
		return linktype.FDDI, false
	case arphrdIEEE80211:
		return linktype.IEEE80211, false
	case arphrdIEEE80211Prism:
		return linkTypePrismHeader, false
	case arphrdIEEE80211Radio:
		return linktype.Radiotap, false
	case arphrdCisco:
		return linktype.CHDLC, false
	case arphrdTunnel, arphrdSIT, arphrdCSLIP, arphrdSLIP6, arphrdCSLIP6,
		arphrdAdapt, arphrdSLIP, arphrdRawHDLC, arphrdDLCI, arphrdNone:
		return linktype.Raw, false
	case arphrdFRAD:
		return linkTypeFrelay, false
	case arphrdLocalTalk:
		return linkTypeLTalk, false
	case arphrdIPOverFC:
		return linkTypeIPOverFC, false
	case arphrdFCPP, arphrdFCAL, arphrdFCPL, arphrdFCFabric:
		return linkTypeFC2, false
	case arphrdIEEE802154:
		return linkTypeIEEE802154, false
	case arphrdVsockMon:
		return linkTypeVsock, false
	// These have no header worth keeping; libpcap reads them from a
	// cooked socket but records their own link type.
	case arphrdIRDA:
		return linkTypeLinuxIRDA, true
	case arphrdLAPD:
		return linkTypeLinuxLAPD, true
	case arphrdNetlink:
		return linktype.Netlink, true
	}
	// ARPHRD_ATM, ARPHRD_PPP and everything else: cooked mode.
	return linktype.LinuxSLL, true
}
