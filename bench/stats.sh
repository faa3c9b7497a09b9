#!/usr/bin/env bash
# bench/stats.sh: time pcaptool stats and plot against tshark -z on the same
# generated capture.
#
#   bench/stats.sh                  # 2,000,000 packets, 3 runs per tool
#   bench/stats.sh --packets 200000 --runs 1
#
# Jobs: io,stat with a 1 s interval (pcaptool stats --io 1, tshark -q -z
# io,stat,1), the TCP conversation table (stats --conv tcp, -z conv,tcp) and
# the I/O graph as a PNG (plot io). Each run is timed by /usr/bin/time
# (elapsed, user+system seconds, peak RSS); the table gives medians and the
# 1-minute load average before the runs, since the numbers mean little on a
# busy machine.
set -euo pipefail
cd "$(dirname "$0")/.."
packets=2000000 runs=3 dir=bench/out
while (($#)); do
	case $1 in
	--packets) packets=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--dir) dir=$2; shift 2 ;;
	*) echo "usage: $0 [--packets N] [--runs N] [--dir DIR]" >&2; exit 2 ;;
	esac
done
mkdir -p "$dir"
export CGO_ENABLED=0
go build -o "$dir/pcaptool" ./cmd/pcaptool
p="$dir/pcaptool"
in="$dir/stats-$packets.pcapng"
[ -s "$in" ] || "$p" generate -c "$packets" "$in"
command -v tshark >/dev/null || { echo "tshark not installed" >&2; exit 1; }

measure() { # name command...: prints "name elapsed cpu maxrss_mb" per run
	local name=$1; shift
	for ((i = 0; i < runs; i++)); do
		/usr/bin/time -f "$name %e %U %S %M" -o "$dir/time.txt" "$@" >/dev/null 2>&1
		awk '{printf "%s %.2f %.2f %.0f\n", $1, $2, $3+$4, $5/1024}' "$dir/time.txt"
	done
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

load=$(cut -d' ' -f1 /proc/loadavg)
results=$(
	measure "pcaptool-stats-io" "$p" stats -q --io 1 "$in"
	measure "tshark-io,stat,1" tshark -n -q -r "$in" -z io,stat,1
	measure "pcaptool-stats-conv-tcp" "$p" stats -q --conv tcp "$in"
	measure "tshark-conv,tcp" tshark -n -q -r "$in" -z conv,tcp
	measure "pcaptool-plot-io" "$p" plot -q io "$in" -o "$dir/io.png"
)
echo "Input: $packets generated packets ($(du -h "$in" | cut -f1)), $runs runs, load average $load before, $(nproc) cores"
echo
echo "| job | elapsed s | CPU s | peak RSS MB |"
echo "|---|---:|---:|---:|"
for name in $(echo "$results" | awk '{print $1}' | uniq); do
	e=$(echo "$results" | awk -v n="$name" '$1==n {print $2}' | median)
	c=$(echo "$results" | awk -v n="$name" '$1==n {print $3}' | median)
	m=$(echo "$results" | awk -v n="$name" '$1==n {print $4}' | median)
	echo "| $name | $e | $c | $m |"
done
echo
echo "load average after: $(cut -d' ' -f1 /proc/loadavg)"
