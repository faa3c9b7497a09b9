#!/usr/bin/env bash
# Replay against tcpreplay on a veth pair between two network namespaces
# this script creates (and removes): top-speed packet rate for 64-byte and
# 1500-byte frames, and timing accuracy at --speed 1, --pps and --mbps as
# the inter-packet gap error measured by tcpdump (nanosecond timestamps) on
# the far end. Prints markdown tables. Needs root, ip(8), tcpdump, tcpreplay.
#
#   bench/replay.sh                 # RUNS=3 runs per cell, median
#   RUNS=5 SMALL=1000000 bench/replay.sh
#   REPLAY_FLAGS="--spin 200us" bench/replay.sh   # extra flags for pcaptool's timed runs
#   PARTS=accuracy RUNS=5 bench/replay.sh          # only the timing table (or PARTS=rate)
#   LOAD=2 PARTS=accuracy bench/replay.sh           # with 2 CPU-bound processes running throughout
#   MODES=pps PARTS=accuracy RUNS=15 bench/replay.sh  # only some of speed,pps,mbps
#   REPLAY_WRAP="chrt -f 1" bench/replay.sh         # run pcaptool replay under a command
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
REPLAY_FLAGS=${REPLAY_FLAGS:-}
REPLAY_WRAP=${REPLAY_WRAP:-}   # a command to run pcaptool replay under, e.g. "chrt -f 1"
small=${SMALL:-300000}   # 64-byte frames in the top-speed file
large=${LARGE:-100000}   # 1500-byte frames
timed=${TIMED:-2000}     # packets in the timing files
parts=${PARTS:-rate,accuracy}
for tool in ip tcpdump tcpreplay; do
	command -v "$tool" >/dev/null || { echo "$tool not installed" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)" >&2; exit 1; }

. bench/veth.sh
veth_setup pcrb

if [[ $parts == *rate* ]]; then
	"$pt" generate -F pcap -c "$small" --frame-size 64 --ipv6 -1 "$work/64.pcap"
	"$pt" generate -F pcap -c "$large" --frame-size 1500 --ipv6 -1 "$work/1500.pcap"
fi
"$pt" generate -F pcap -c "$timed" --gap 200us --seed 3 "$work/mixed.pcap"
"$pt" generate -F pcap -c "$timed" --gap 200us --seed 4 --frame-size 1000 --ipv6 -1 "$work/1000.pcap"

median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

# rate TOOL FILE: the median pps of $runs top-speed runs.
rate() {
	local tool=$1 file=$2 i
	for ((i = 0; i < runs; i++)); do
		if [ "$tool" = pcaptool ]; then
			inA "$pt" replay -i "$va" --topspeed "$file"
		else
			inA tcpreplay -q -i "$va" --topspeed "$file"
		fi | awk '/^Rated:/ {print $6}'
	done | median
}

# stamps FILE: one line per packet, nanoseconds since the first packet's
# second (exact in awk's doubles) and the frame length.
stamps() {
	tcpdump -r "$1" -tt -nn -e --time-stamp-precision=nano 2>/dev/null | awk '
		{ split($1, t, "."); if (NR == 1) base = t[1]
		  match($0, /length [0-9]+:/); len = substr($0, RSTART + 7, RLENGTH - 8)
		  printf "%.0f %d\n", (t[1] - base) * 1e9 + t[2], len }'
}

# gaperr MODE ARG ORIG CAPTURED: prints "p50 p99 max" of |gap error| in µs
# over the packets of one run, or "lost N" when the counts differ.
gaperr() {
	local mode=$1 arg=$2
	paste -d' ' <(stamps "$3") <(stamps "$4") | awk -v mode="$mode" -v arg="$arg" '
		NF < 4 { lost++; next }
		NR > 1 {
			if (mode == "speed") want = ($1 - po) / arg
			else if (mode == "pps") want = 1e9 / arg
			else want = pl * 8 * 1000 / arg
			e = ($3 - pc) - want; if (e < 0) e = -e
			print e / 1000
		}
		{ po = $1; pl = $2; pc = $3 }
		END { if (lost) print "gap error: " lost " packets sent or captured in excess" > "/dev/stderr" }' | sort -g | awk '
		{ v[NR] = $1 } END { i99 = int(NR * 0.99); if (i99 < 1) i99 = 1
		  printf "%.1f %.1f %.1f\n", v[int((NR + 1) / 2)], v[i99], v[NR] }'
}

# onerun TOOL MODE ARG FILE: replays FILE while tcpdump records the far
# end; prints "p50 p99 max" of the run's gap error.
onerun() {
	local tool=$1 mode=$2 arg=$3 file=$4
	local cap=$work/cap.pcap
	ip netns exec "$nsb" tcpdump -i "$vb" --immediate-mode -B 65536 --time-stamp-precision=nano -w "$cap" 2>"$work/td.err" &
	local td=$!
	until grep -q listening "$work/td.err" 2>/dev/null; do sleep 0.05; done
	local args
	case $tool/$mode in
	pcaptool/speed) args=(--speed "$arg") ;;
	pcaptool/pps) args=(--pps "$arg") ;;
	pcaptool/mbps) args=(--mbps "$arg") ;;
	tcpreplay/speed) args=(--multiplier "$arg") ;;
	tcpreplay/pps) args=(--pps "$arg") ;;
	tcpreplay/mbps) args=(--mbps "$arg") ;;
	esac
	if [ "$tool" = pcaptool ]; then
		inA $REPLAY_WRAP "$pt" replay -i "$va" "${args[@]}" $REPLAY_FLAGS "$file" >/dev/null
	else
		inA tcpreplay -q -i "$va" "${args[@]}" "$file" >/dev/null
	fi
	sleep 0.3
	kill -TERM "$td"
	wait "$td" || true
	gaperr "$mode" "$arg" "$file" "$cap"
}

# accuracy MODE ARG FILE: $runs runs of each tool, alternating (so that a
# change of load weighs on both), and a table row of the medians of p50,
# p99 and max for pcaptool then tcpreplay.
accuracy() {
	local mode=$1 arg=$2 file=$3 i tool
	: >"$work/acc.pcaptool"
	: >"$work/acc.tcpreplay"
	for ((i = 0; i < runs; i++)); do
		for tool in pcaptool tcpreplay; do
			onerun "$tool" "$mode" "$arg" "$file" >>"$work/acc.$tool"
		done
	done
	for tool in pcaptool tcpreplay; do
		sed "s/^/$tool --$mode $arg: p50 p99 max /" "$work/acc.$tool" >&2 # each run, for the record
		printf " %s | %s | %s |" "$(cut -d' ' -f1 "$work/acc.$tool" | median)" "$(cut -d' ' -f2 "$work/acc.$tool" | median)" "$(cut -d' ' -f3 "$work/acc.$tool" | median)"
	done
}

echo "tcpreplay $(tcpreplay -V 2>&1 | awk 'NR==1 {print $3}'), tcpdump $(tcpdump --version 2>&1 | awk 'NR==1 {print $3}'); $(nproc) CPUs; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ $parts == *rate* ]]; then
echo
echo "Top speed on a veth pair, packets per second (median of $runs runs; higher is better):"
echo
echo "| frames | pcaptool replay --topspeed | tcpreplay --topspeed | ratio |"
echo "|---|---:|---:|---:|"
for f in 64 1500; do
	n=$([ "$f" = 64 ] && echo "$small" || echo "$large")
	a=$(rate pcaptool "$work/$f.pcap")
	b=$(rate tcpreplay "$work/$f.pcap")
	printf "| %s × %s bytes | %.0f | %.0f | %.2f× |\n" "$n" "$f" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN {print a / b}')"
done
fi
if [[ $parts == *accuracy* ]]; then
loaders=()
if [ "${LOAD:-0}" -gt 0 ]; then
	for ((i = 0; i < LOAD; i++)); do
		sh -c 'while :; do :; done' &
		loaders+=($!)
	done
	echo
	echo "With $LOAD CPU-bound processes (sh -c 'while :; do :; done') running throughout."
fi
echo
echo "Timing accuracy: |inter-packet gap error| in µs measured by tcpdump on the far end against the"
echo "schedule (original gaps / rate), p50 | p99 | max over $timed packets, median of $runs runs of each tool, alternating (lower is better):"
echo
echo "| mode | pcaptool p50 | p99 | max | tcpreplay p50 | p99 | max |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for spec in "speed 1 mixed 200 µs mean gaps, mixed sizes" "pps 5000 mixed mixed sizes" "mbps 40 1000 1000-byte frames"; do
	read -r mode arg file what <<<"$spec"
	[[ ,${MODES:-speed,pps,mbps}, == *,$mode,* ]] || continue
	echo "| --$mode $arg ($what) |$(accuracy "$mode" "$arg" "$work/$file.pcap")"
done
[ ${#loaders[@]} = 0 ] || kill "${loaders[@]}"
fi
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
