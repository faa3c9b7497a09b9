#!/usr/bin/env bash
# bench/export.sh: time `pcaptool export` against `tshark -T fields` writing
# the same columns as CSV, on one generated capture.
#
#   bench/export.sh                  # 2,000,000 packets, 3 runs per tool
#   bench/export.sh --packets 200000 --runs 1
#
# Tools (each reads the same pcapng and writes a file in the work directory):
#   pcaptool parquet  pcaptool export -o OUT.parquet (zstd, flow_id included)
#   pcaptool csv      pcaptool export -o OUT.csv
#   tshark csv        tshark -n -T fields -E separator=, -E quote=d with the
#                     export's columns (frame, Ethernet, VLAN, IP, TCP/UDP,
#                     tcp.stream/udp.stream for flow_id)
#   cat               cat IN > /dev/null: the cost of reading the input
# Every run is timed by /usr/bin/time (elapsed, user, system seconds, peak
# RSS); the table shows medians and the load average, which matters: the
# machine may be shared. The row counts of every output are checked equal.
#
# Options (or environment variables): --packets N [BENCH_PACKETS, 2000000],
# --runs N [BENCH_RUNS, 3], --dir DIR [BENCH_DIR, bench/out], --tools LIST
# (comma-separated subset of parquet,csv,tshark,cat) [BENCH_TOOLS]; the generated
# input is kept in DIR and reused. The Markdown report goes to standard
# output and to DIR/export-results-DATE.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
packets=${BENCH_PACKETS:-2000000}
runs=${BENCH_RUNS:-3}
dir=${BENCH_DIR:-$root/bench/out}
tools=${BENCH_TOOLS:-parquet,csv,tshark,cat}
while [ $# -gt 0 ]; do
	case $1 in
	--packets) packets=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--dir) dir=$2; shift 2 ;;
	--tools) tools=$2; shift 2 ;;
	-h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) echo "bench: unknown argument $1" >&2; exit 2 ;;
	esac
done
case $packets in '' | *[!0-9]*) echo "bench: --packets wants a number" >&2; exit 2 ;; esac
case $runs in '' | *[!0-9]* | 0) echo "bench: --runs wants a positive number" >&2; exit 2 ;; esac
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench: /usr/bin/time missing (apt-get install time)" >&2; exit 2; }
command -v tshark >/dev/null || { echo "bench: tshark missing" >&2; exit 2; }

log() { echo "bench: $*" >&2; }
mkdir -p "$dir"
bin=$dir/pcaptool
log "building pcaptool"
(cd "$root" && CGO_ENABLED=0 go build -o "$bin" ./cmd/pcaptool)
in=$dir/export-$packets.pcapng
if [ ! -s "$in" ]; then
	log "generating $packets packets"
	"$bin" generate -c "$packets" "$in"
fi

fields=(frame.number frame.time_epoch frame.interface_id frame.cap_len frame.len eth.src eth.dst eth.type vlan.id
	ip.version ip.src ip.dst ip.proto ip.ttl ip.flags.mf ipv6.src ipv6.dst ipv6.nxt ipv6.hlim
	tcp.srcport tcp.dstport udp.srcport udp.dstport tcp.flags tcp.seq_raw tcp.ack_raw tcp.window_size_value tcp.len udp.length
	tcp.stream udp.stream)
targs=()
for f in "${fields[@]}"; do targs+=(-e "$f"); done

names=("pcaptool parquet" "pcaptool csv" "tshark csv" "cat")
keys=(parquet csv tshark cat)
selected=()
for i in "${!keys[@]}"; do
	case ",$tools," in *",${keys[$i]},"*) selected+=("$i") ;; esac
done
run_tool() { # index output
	case $1 in
	0) "$bin" export -o "$2.parquet" "$in" ;;
	1) "$bin" export -o "$2.csv" "$in" ;;
	2) tshark -n -r "$in" -T fields -E header=y -E separator=, -E quote=d -E occurrence=f "${targs[@]}" > "$2.csv" 2>/dev/null ;;
	3) cat "$in" > /dev/null ;;
	esac
}

declare -A times
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
for ((r = 0; r < runs; r++)); do
	for i in "${selected[@]}"; do
		out=$dir/export-out-$i
		rm -f "$out".*
		log "run $((r + 1))/$runs: ${names[$i]} (load $(cut -d' ' -f1 /proc/loadavg))"
		export -f run_tool 2>/dev/null || true
		"$TIME" -f "%e %U %S %M" -o "$dir/time.txt" bash -c "$(declare -f run_tool); bin='$bin' in='$in'; targs=($(printf '%q ' "${targs[@]}")); run_tool $i '$out'"
		times[$i]+="$(cat "$dir/time.txt");"
		echo "${names[$i]} $packets $(cat "$dir/time.txt")" >> "$dir/export-times.log"
	done
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# Row counts: the outputs of the last run.
rows_parquet=$(node "$root/export/testdata/duckdb_query.cjs" "${PCAPTOOL_NODE_MODULES:-$HOME/.cache/pcaptool-node/node_modules}" \
	"SELECT count(*) AS n FROM '$dir/export-out-0.parquet'" 2>/dev/null | sed 's/.*"n":"\{0,1\}\([0-9]*\).*/\1/' || echo "?")
count_lines() { if [ -f "$1" ]; then echo $(($(wc -l < "$1") - 1)); else echo -; fi; }
rows_csv=$(count_lines "$dir/export-out-1.csv")
rows_tshark=$(count_lines "$dir/export-out-2.csv")

median() { tr ';' '\n' | sed '/^$/d' | awk -v c="$1" '{print $c}' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
report=$dir/export-results-$(date -u +%Y%m%dT%H%M%SZ).md
{
	echo "| tool | elapsed s | user s | sys s | peak RSS MB | output MB | rows |"
	echo "|---|---:|---:|---:|---:|---:|---:|"
	for i in "${selected[@]}"; do
		e=$(echo "${times[$i]}" | median 1); u=$(echo "${times[$i]}" | median 2)
		s=$(echo "${times[$i]}" | median 3); m=$(echo "${times[$i]}" | median 4)
		size=-; rows=-
		case $i in
		0) size=$(stat -c %s "$dir/export-out-0.parquet"); rows=${rows_parquet:-?} ;;
		1) size=$(stat -c %s "$dir/export-out-1.csv"); rows=$rows_csv ;;
		2) size=$(stat -c %s "$dir/export-out-2.csv"); rows=$rows_tshark ;;
		esac
		[ "$size" != - ] && size=$(awk -v s="$size" 'BEGIN { printf "%.1f", s / 1048576 }')
		printf '| %s | %s | %s | %s | %d | %s | %s |\n' "${names[$i]}" "$e" "$u" "$s" $((m / 1024)) "$size" "$rows"
	done
	echo
	echo "- $packets generated packets ($(awk -v s="$(stat -c %s "$in")" 'BEGIN { printf "%.0f", s / 1048576 }') MB pcapng), median of $runs runs; $(nproc) CPUs"
	echo "- load average $load_start at the start, $load_end at the end"
	echo "- $(tshark --version | head -1); pcaptool $(cd "$root" && git describe --always --dirty 2>/dev/null || echo '?')"
} | tee "$report"
