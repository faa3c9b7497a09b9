package decode

import (
	"net"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/pcaptool/pcaptool/linktype"
	"github.com/pcaptool/pcaptool/pkt"
)

// AppendJSON appends one JSON object describing pkt (frame number frame,
// decoded as link type t) without a trailing newline. The field names are
// documented in the package comment and stay stable.
func AppendJSON(b []byte, frame int, pkt *pkt.Packet, t linktype.LinkType) []byte {
	b = append(b, `{"frame":`...)
	b = strconv.AppendInt(b, int64(frame), 10)
	b = append(b, `,"time":"`...)
	b = pkt.Timestamp.UTC().AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","time_epoch":`...)
	b = strconv.AppendInt(b, pkt.Timestamp.Unix(), 10)
	b = append(b, '.')
	b = appendPadded(b, pkt.Timestamp.Nanosecond(), 9)
	b = append(b, `,"interface":`...)
	b = strconv.AppendInt(b, int64(pkt.Interface), 10)
	b = append(b, `,"link_type":`...)
	b = appendJSONString(b, t.Name())
	b = append(b, `,"length":`...)
	b = strconv.AppendInt(b, int64(pkt.Length), 10)
	b = append(b, `,"captured_length":`...)
	b = strconv.AppendInt(b, int64(len(pkt.Data)), 10)
	if cs := pkt.Comments(); len(cs) > 0 {
		b = append(b, `,"comments":[`...)
		for i, c := range cs {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, c)
		}
		b = append(b, ']')
	}
	b = append(b, `,"layers":[`...)
	if _, ok := LinkDecoder(t); ok {
		gp := NewPacket(pkt.Data, t)
		for i, l := range gp.Layers() {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendLayerJSON(b, l)
		}
		b = appendDissectionJSON(b, gp, pkt.Length)
	} else {
		b = append(b, `{"type":"raw","length":`...)
		b = strconv.AppendInt(b, int64(len(pkt.Data)), 10)
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// jsonObject appends "key":value pairs to an object under construction.
type jsonObject struct{ b []byte }

func (o *jsonObject) key(k string) {
	o.b = append(o.b, ',', '"')
	o.b = append(o.b, k...)
	o.b = append(o.b, '"', ':')
}

func (o *jsonObject) str(k, v string) {
	o.key(k)
	o.b = appendJSONString(o.b, v)
}

func (o *jsonObject) num(k string, v uint64) {
	o.key(k)
	o.b = strconv.AppendUint(o.b, v, 10)
}

func (o *jsonObject) boolean(k string, v bool) {
	o.key(k)
	o.b = strconv.AppendBool(o.b, v)
}

func (o *jsonObject) ip(k string, ip net.IP) {
	o.key(k)
	o.b = append(o.b, '"')
	o.b = appendIP(o.b, ip)
	o.b = append(o.b, '"')
}

func (o *jsonObject) mac(k string, hw net.HardwareAddr) { o.str(k, hw.String()) }

// snakeName turns a gopacket layer name such as "ICMPv6RouterAdvertisement"
// or "Linux SLL" into snake case.
func snakeName(s string) string {
	var sb strings.Builder
	prevLower := false
	for _, r := range s {
		switch {
		case r == ' ' || r == '-' || r == '.' || r == '/':
			if sb.Len() > 0 {
				sb.WriteByte('_')
			}
			prevLower = false
			continue
		case r >= 'A' && r <= 'Z':
			if prevLower {
				sb.WriteByte('_')
			}
			sb.WriteRune(r + 'a' - 'A')
			prevLower = false
		default:
			sb.WriteRune(r)
			prevLower = r >= 'a' && r <= 'z' || r >= '0' && r <= '9'
		}
	}
	return sb.String()
}

// layerNames are the stable JSON type names of the layers described field
// by field.
var layerNames = map[gopacket.LayerType]string{
	layers.LayerTypeEthernet:   "ethernet",
	layers.LayerTypeDot1Q:      "vlan",
	layers.LayerTypeLinuxSLL:   "linux_sll",
	LayerTypeLinuxSLL2:         "linux_sll2",
	layers.LayerTypeLoopback:   "loopback",
	layers.LayerTypeARP:        "arp",
	layers.LayerTypeIPv4:       "ipv4",
	layers.LayerTypeIPv6:       "ipv6",
	layers.LayerTypeTCP:        "tcp",
	layers.LayerTypeUDP:        "udp",
	layers.LayerTypeICMPv4:     "icmp",
	layers.LayerTypeICMPv6:     "icmpv6",
	layers.LayerTypeDNS:        "dns",
	gopacket.LayerTypePayload:  "payload",
	gopacket.LayerTypeFragment: "fragment",
}

// LayerName returns the name JSON output and protocol statistics use for a
// layer type: a fixed snake_case name for the common layers, gopacket's name
// in snake case for the others.
func LayerName(t gopacket.LayerType) string {
	if n, ok := layerNames[t]; ok {
		return n
	}
	return snakeName(t.String())
}

func appendLayerJSON(b []byte, l gopacket.Layer) []byte {
	o := jsonObject{b: append(b, `{"type":`...)}
	o.b = appendJSONString(o.b, LayerName(l.LayerType()))
	switch l := l.(type) {
	case *layers.Ethernet:
		o.mac("src_mac", l.SrcMAC)
		o.mac("dst_mac", l.DstMAC)
		o.num("ether_type", uint64(l.EthernetType))
	case *layers.Dot1Q:
		o.num("vlan_id", uint64(l.VLANIdentifier))
		o.num("priority", uint64(l.Priority))
		o.num("ether_type", uint64(l.Type))
	case *layers.LinuxSLL:
		o.num("packet_type", uint64(l.PacketType))
		o.num("arphrd_type", uint64(l.AddrType))
		o.mac("address", l.Addr)
		o.num("ether_type", uint64(l.EthernetType))
	case *LinuxSLL2:
		o.num("packet_type", uint64(l.PacketType))
		o.num("arphrd_type", uint64(l.ARPHardwareType))
		o.num("interface_index", uint64(l.InterfaceIndex))
		o.mac("address", l.Addr)
		o.num("ether_type", uint64(l.ProtocolType))
	case *layers.Loopback:
		o.num("family", uint64(l.Family))
	case *layers.ARP:
		o.num("operation", uint64(l.Operation))
		o.mac("sender_mac", l.SourceHwAddress)
		o.ip("sender_ip", l.SourceProtAddress)
		o.mac("target_mac", l.DstHwAddress)
		o.ip("target_ip", l.DstProtAddress)
	case *layers.IPv4:
		o.ip("src", l.SrcIP)
		o.ip("dst", l.DstIP)
		o.num("tos", uint64(l.TOS))
		o.num("total_length", uint64(l.Length))
		o.num("id", uint64(l.Id))
		o.boolean("dont_fragment", l.Flags&layers.IPv4DontFragment != 0)
		o.boolean("more_fragments", l.Flags&layers.IPv4MoreFragments != 0)
		o.num("fragment_offset", uint64(l.FragOffset)*8)
		o.num("ttl", uint64(l.TTL))
		o.num("protocol", uint64(l.Protocol))
		o.num("checksum", uint64(l.Checksum))
	case *layers.IPv6:
		o.ip("src", l.SrcIP)
		o.ip("dst", l.DstIP)
		o.num("traffic_class", uint64(l.TrafficClass))
		o.num("flow_label", uint64(l.FlowLabel))
		o.num("payload_length", uint64(l.Length))
		o.num("next_header", uint64(l.NextHeader))
		o.num("hop_limit", uint64(l.HopLimit))
	case *layers.TCP:
		o.num("src_port", uint64(l.SrcPort))
		o.num("dst_port", uint64(l.DstPort))
		o.num("seq", uint64(l.Seq))
		o.num("ack", uint64(l.Ack))
		o.str("flags", TCPFlags(l))
		o.num("header_length", uint64(l.DataOffset)*4)
		o.num("window", uint64(l.Window))
		o.num("checksum", uint64(l.Checksum))
		o.num("urgent", uint64(l.Urgent))
		if opts := l.Contents[min(20, len(l.Contents)):]; len(opts) > 0 {
			o.key("options")
			o.b = append(o.b, '[')
			n := 0
			forTCPOptions(opts, func(kind byte, size int, at []byte) (int, bool) {
				if n > 0 {
					o.b = append(o.b, ',')
				}
				n++
				var tmp [128]byte
				s, used, ok := appendTCPOption(tmp[:0], kind, size, at, tcpSegmentFlags{syn: l.SYN, ack: l.ACK}, false, seqBase{})
				o.b = appendJSONString(o.b, string(s))
				return used, ok
			})
			o.b = append(o.b, ']')
		}
		o.num("payload_length", uint64(len(l.Payload)))
	case *layers.UDP:
		o.num("src_port", uint64(l.SrcPort))
		o.num("dst_port", uint64(l.DstPort))
		o.num("length", uint64(l.Length))
		o.num("checksum", uint64(l.Checksum))
		o.num("payload_length", uint64(len(l.Payload)))
	case *layers.ICMPv4:
		o.num("icmp_type", uint64(l.TypeCode.Type()))
		o.num("icmp_code", uint64(l.TypeCode.Code()))
		o.str("description", l.TypeCode.String())
		o.num("id", uint64(l.Id))
		o.num("seq", uint64(l.Seq))
	case *layers.ICMPv6:
		o.num("icmp_type", uint64(l.TypeCode.Type()))
		o.num("icmp_code", uint64(l.TypeCode.Code()))
		o.str("description", l.TypeCode.String())
	case *layers.DNS:
		o.num("id", uint64(l.ID))
		o.boolean("response", l.QR)
		o.num("opcode", uint64(l.OpCode))
		o.num("rcode", uint64(l.ResponseCode))
		o.key("questions")
		o.b = append(o.b, '[')
		for i, q := range l.Questions {
			if i > 0 {
				o.b = append(o.b, ',')
			}
			qo := jsonObject{b: append(o.b, `{"name":`...)}
			qo.b = appendJSONString(qo.b, string(q.Name))
			qo.str("qtype", q.Type.String())
			o.b = append(qo.b, '}')
		}
		o.b = append(o.b, ']')
		o.key("answers")
		o.b = append(o.b, '[')
		for i, a := range l.Answers {
			if i > 0 {
				o.b = append(o.b, ',')
			}
			r := jsonObject{b: append(o.b, `{"name":`...)}
			r.b = appendJSONString(r.b, string(a.Name))
			r.str("rtype", a.Type.String())
			r.num("ttl", uint64(a.TTL))
			if a.IP != nil {
				r.ip("address", a.IP)
			} else if len(a.CNAME) > 0 {
				r.str("cname", string(a.CNAME))
			}
			o.b = append(r.b, '}')
		}
		o.b = append(o.b, ']')
	case *gopacket.DecodeFailure:
		o.str("error", l.Error().Error())
		o.num("length", uint64(len(l.LayerContents())))
	default:
		o.num("length", uint64(len(l.LayerContents())))
	}
	return append(o.b, '}')
}

// appendJSONString appends s as a JSON string; invalid UTF-8 becomes U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20 || c == 0x7f:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// appendDissectionJSON appends, after the layers gopacket decodes, a
// {"type":"dissection","protocol":...,"text":...} object with what a
// protocol printer (BGP, OSPF, IS-IS, PIM, ...) writes of the packet at
// tcpdump -v, so that the JSON holds every field the line shows.
func appendDissectionJSON(b []byte, gp gopacket.Packet, wireLen int) []byte {
	pr := &Printer{opts: Options{Verbose: 1, Location: time.UTC}, seqs: make(map[seqKey]seqBase)}
	line, _ := pr.AppendSummary(nil, gp, wireLen)
	if pr.dissected[1] <= pr.dissected[0] {
		return b
	}
	text := strings.TrimPrefix(string(line[pr.dissected[0]:pr.dissected[1]]), ": ")
	proto := text
	if i := strings.IndexAny(proto, " ,(:\n"); i >= 0 {
		proto = proto[:i]
	}
	b = append(b, `,{"type":"dissection","protocol":`...)
	b = appendJSONString(b, proto)
	b = append(b, `,"text":`...)
	b = appendJSONString(b, text)
	return append(b, '}')
}
