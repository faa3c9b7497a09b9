#!/usr/bin/env bash
# bench/print.sh: per-packet print speed of `pcaptool print` against
# `tcpdump -n -r FILE > /dev/null` on the same generated capture.
#
#   bench/print.sh                     # 2,000,000 packets, 3 runs per tool
#   bench/print.sh --packets 200000 --runs 5
#
# Both print with epoch timestamps (-tt / --epoch) at -v 0 and -v 1 to
# /dev/null; each tool runs once to warm up, then --runs times, interleaved.
# Prints a Markdown table (median elapsed and CPU (user + system) seconds,
# CPU ns per packet, CPU ratio) and the load average before and after, and
# writes it to bench/results/print-speed.md. On a shared machine the CPU
# times are the figures to compare; elapsed times follow the load.
set -euo pipefail
cd "$(dirname "$0")/.."
packets=2000000
runs=3
while [ $# -gt 0 ]; do
	case "$1" in
	--packets) packets=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	*) echo "usage: $0 [--packets N] [--runs N]" >&2; exit 2 ;;
	esac
done
dir=bench/out/print
mkdir -p "$dir" bench/results
bin=$dir/pcaptool
go build -o "$bin" ./cmd/pcaptool
in=$dir/gen-$packets.pcap
[ -f "$in" ] || "$bin" generate -c "$packets" -F pcap --ts usec "$in"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

# elapsed prints "ELAPSED CPU" seconds of one run of the command.
elapsed() {
	local t
	t=$(mktemp)
	/usr/bin/time -o "$t" -f "%e %U %S" "$@" >/dev/null 2>&1 || true
	awk '{printf "%s %.2f\n", $1, $2 + $3}' "$t"
	rm -f "$t"
}

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A times
for v in 0 1; do
	flag=""; [ "$v" = 1 ] && flag="-v"
	elapsed "$bin" print --epoch $flag "$in" >/dev/null
	elapsed tcpdump -n -tt $flag -r "$in" >/dev/null
	for _ in $(seq "$runs"); do
		read -r e c < <(elapsed "$bin" print --epoch $flag "$in")
		times[pe$v]+="$e "; times[pc$v]+="$c "
		read -r e c < <(elapsed tcpdump -n -tt $flag -r "$in")
		times[te$v]+="$e "; times[tc$v]+="$c "
	done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
{
	echo "print speed, $packets generated packets ($(du -h "$in" | cut -f1) pcap), median of $runs runs, $(nproc) cores, load average $load_before before, $load_after after"
	echo
	echo "| verbosity | pcaptool print elapsed | tcpdump -n -r elapsed | pcaptool CPU | tcpdump CPU | pcaptool CPU ns/packet | tcpdump CPU ns/packet | pcaptool / tcpdump (CPU) |"
	echo "|---|---:|---:|---:|---:|---:|---:|---:|"
	for v in 0 1; do
		pe=$(echo "${times[pe$v]}" | tr ' ' '\n' | grep . | median)
		te=$(echo "${times[te$v]}" | tr ' ' '\n' | grep . | median)
		pc=$(echo "${times[pc$v]}" | tr ' ' '\n' | grep . | median)
		tc=$(echo "${times[tc$v]}" | tr ' ' '\n' | grep . | median)
		printf '| -v %s | %.2f s | %.2f s | %.2f s | %.2f s | %.0f | %.0f | %.2f |\n' "$v" "$pe" "$te" "$pc" "$tc" \
			"$(echo "$pc * 1000000000 / $packets" | bc -l)" "$(echo "$tc * 1000000000 / $packets" | bc -l)" "$(echo "$pc / $tc" | bc -l)"
	done
} | tee bench/results/print-speed.md
