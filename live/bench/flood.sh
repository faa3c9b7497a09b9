#!/bin/sh
# flood.sh: capture throughput of pcaptool (TPACKET_V3 ring, recvmsg) and
# tcpdump side by side. A veth pair joins two throw-away network namespaces;
# "pcaptool replay --topspeed" floods one end for a fixed time while the
# capturer writes the other end's packets to a file on tmpfs (or /dev/null).
# Needs root, ip(8), tcpdump. Traffic never leaves the namespaces.
#
# usage: live/bench/flood.sh [SECONDS] [FRAME_BYTES]
set -eu
secs=${1:-3}
size=${2:-64}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
a=pcb-a-$$ b=pcb-b-$$
cleanup() { ip netns del $a 2>/dev/null || true; ip netns del $b 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT INT TERM
(cd "$root" && CGO_ENABLED=0 go build -o "$work/pcaptool" ./cmd/pcaptool)
bin=$work/pcaptool
ip netns add $a; ip netns add $b
ip -n $a link add pcbva type veth peer name pcbvb netns $b
for ns in $a $b; do ip netns exec $ns sh -c 'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6'; done
ip -n $a link set pcbva up; ip -n $b link set pcbvb up
# A file of identical frames of the requested size to loop over.
"$bin" generate -q -c 2000 --gap 1us -F pcap "$work/gen.pcap" >/dev/null 2>&1 || "$bin" generate -c 2000 --gap 1us -F pcap "$work/gen.pcap" >/dev/null
"$bin" edit -q -s "$size" "$work/gen.pcap" "$work/flood.pcap" >/dev/null 2>&1 || cp "$work/gen.pcap" "$work/flood.pcap"

run() { # name, capture command...
	name=$1; shift
	ip netns exec $b "$@" 2>"$work/err" &
	cap=$!
	sleep 0.5
	ip netns exec $a "$bin" replay -q --topspeed --loop 0 -i pcbva "$work/flood.pcap" 2>"$work/sent" &
	snd=$!
	sleep "$secs"
	kill -INT $snd; wait $snd 2>/dev/null || true
	sleep 0.5
	kill -INT $cap; wait $cap 2>/dev/null || true
	sent=$(sed -n 's/^Actual: \([0-9]*\) packets.*/\1/p' "$work/sent")
	captured=$(sed -n 's/^\([0-9]*\) packets captured/\1/p' "$work/err")
	received=$(sed -n 's/^\([0-9]*\) packets received by filter/\1/p' "$work/err")
	dropped=$(sed -n 's/^\([0-9]*\) packets dropped by kernel/\1/p' "$work/err")
	printf '%-22s sent %9s  captured %9s (%8.0f/s)  received %9s  dropped %9s (%5.1f%%)\n' \
		"$name" "$sent" "$captured" "$(echo "$captured / $secs" | bc -l)" "$received" "$dropped" \
		"$(echo "100 * $dropped / ($received + 0.000001)" | bc -l)"
	rm -f "$work/out"*
}
echo "flood of ${size}-byte frames for ${secs}s through a veth pair, written to $work (tmpfs: $(df --output=fstype "$work" | tail -1))"
run "pcaptool ring"        "$bin" capture -i pcbvb -w "$work/out.pcap"
run "pcaptool recvmsg"     "$bin" capture -i pcbvb --method recvmsg -w "$work/out.pcap"
run "pcaptool immediate"   "$bin" capture -i pcbvb --immediate -w "$work/out.pcap"
run "tcpdump"              tcpdump -i pcbvb -w "$work/out.pcap"
run "tcpdump immediate"    tcpdump -i pcbvb --immediate-mode -w "$work/out.pcap"
