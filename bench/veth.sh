# Sourced by bench/replay.sh and bench/capture-flood.sh: makes a work
# directory and a veth pair between two network namespaces this process
# creates (and removes on exit, with the work directory), then builds
# pcaptool into the work directory.
#
#   veth_setup PREFIX   # sets work, nsa, nsb, va, vb, pt; defines inA and inB
veth_setup() {
	local prefix=$1
	work=$(mktemp -d)
	chmod 755 "$work" # tcpdump drops to its own user before writing
	nsa=$prefix-a-$$ nsb=$prefix-b-$$ va=${prefix}a$$ vb=${prefix}b$$
	va=${va:0:15} vb=${vb:0:15}
	trap veth_cleanup EXIT
	ip netns add "$nsa"
	ip netns add "$nsb"
	ip -n "$nsa" link add "$va" type veth peer name "$vb" netns "$nsb"
	for ns in "$nsa" "$nsb"; do
		ip netns exec "$ns" sh -c 'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6'
		ip -n "$ns" link set lo up
	done
	ip -n "$nsa" link set "$va" up
	ip -n "$nsb" link set "$vb" up
	CGO_ENABLED=0 go build -o "$work/pcaptool" ./cmd/pcaptool
	pt=$work/pcaptool
}

veth_cleanup() {
	ip netns del "$nsa" 2>/dev/null || true
	ip netns del "$nsb" 2>/dev/null || true
	rm -rf "$work"
}

inA() { ip netns exec "$nsa" "$@"; }
inB() { ip netns exec "$nsb" "$@"; }
