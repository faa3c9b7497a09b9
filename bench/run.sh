#!/usr/bin/env bash
# bench/run.sh: time pcaptool against its peers on the same files, in one run.
#
#   bench/run.sh                 # full run: 2,000,000 packets (~1.5 GB pcapng), 5 runs per tool
#   bench/run.sh --quick         # smoke test: 100,000 packets, 3 runs
#   bench/run.sh --packets 1000000 --runs 7 --sink null --jobs convert,merge
#
# Jobs (the table of issue #20): convert, merge, filter, slice, sort, info.
# Jobs (each tool reads the same input and, unless --sink null, writes a
# file in the bench directory):
#   convert  pcapng -> nanosecond pcap: pcaptool convert, editcap -F nsecpcap,
#            pcapgo (gopacket NgReader -> Writer, bench/pcapgo-convert)
#   merge    two pcapng files by time: pcaptool merge, mergecap
#   filter   'tcp port 80' from a pcap to a pcap: pcaptool filter, tcpdump --nano -r -w
#   info     summary of the pcapng: pcaptool info, capinfos
#   sort     a file with 30% of its packets out of order: pcaptool sort, reordercap
#   slice    a 1 s window from the middle of a pcap of the same packet count
#            spread over 1 ms gaps (2 M packets: 33 minutes): pcaptool edit
#            -A -B, tcpslice, editcap -A -B (a microsecond pcap: tcpslice
#            misreads nanosecond ones); the last column gives the
#            input bytes each read (counted once with strace, not timed)
# plus floors: "cat" (cat IN > /dev/null, the cost of reading the input),
# "read + copy" (bench/readcopy: reading the input in 1 MiB blocks and
# copying every byte once, what a parser that copies each packet once into
# its output must do) and, for jobs that write, "cat > file" (cat IN > OUT:
# reading it and writing as many bytes).
#
# Each tool runs once to warm up, then --runs times, interleaved with the
# other tools of the job so that a change of machine load hits all of them.
# Every run is timed by /usr/bin/time (user, system seconds and peak RSS;
# the elapsed time by bash's microsecond clock around it); the table shows
# medians, ratios to pcaptool (> 1 means the tool is that many times slower
# than pcaptool), and whether the peer's output
# has the same packets as pcaptool's (compared as nanosecond pcap files).
#
# Options (or the environment variables in brackets):
#   --packets N   packets in the generated inputs [BENCH_PACKETS, 2000000]
#   --runs N      timed runs per tool [BENCH_RUNS, 5]
#   --dir DIR     work directory [BENCH_DIR, bench/out]; inputs are kept
#                 there (data-N/) and reused, outputs are removed after each job
#   --sink S      both (default), file, null or pipe: null writes outputs to
#                 /dev/null through standard output ("- > /dev/null", never
#                 /dev/null as an output name), which takes the kernel's
#                 page-cache writes out of the measurement; pipe writes
#                 standard output into a pipe that cat empties ("- | cat >
#                 /dev/null"), as when a capture is piped to another tool;
#                 both runs every job as null and as file [BENCH_SINK]
#   --jobs LIST   comma-separated subset of convert,merge,filter,slice,sort,info,compress [BENCH_JOBS]
#   --max-load L  before each job wait (up to 10 minutes) for the 1-minute
#                 load average to drop below L [BENCH_MAX_LOAD]
#   --quick       100,000 packets and 3 runs, unless given otherwise
#
# The Markdown report goes to standard output and to DIR/results-DATE.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)

packets=${BENCH_PACKETS:-}
runs=${BENCH_RUNS:-}
dir=${BENCH_DIR:-$root/bench/out}
sink=${BENCH_SINK:-both}
jobs=${BENCH_JOBS:-convert,merge,filter,slice,sort,info}
maxload=${BENCH_MAX_LOAD:-}
quick=0

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit "${1:-0}"; }

while [ $# -gt 0 ]; do
	case $1 in
	--packets) packets=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--dir) dir=$2; shift 2 ;;
	--sink) sink=$2; shift 2 ;;
	--jobs) jobs=$2; shift 2 ;;
	--max-load) maxload=$2; shift 2 ;;
	--quick) quick=1; shift ;;
	-h | --help) usage 0 ;;
	*) echo "bench: unknown argument $1" >&2; usage 2 >&2 ;;
	esac
done
if [ "$quick" = 1 ]; then
	packets=${packets:-100000}
	runs=${runs:-3}
fi
packets=${packets:-2000000}
runs=${runs:-5}
case $sink in file | null | pipe) sinks=$sink ;; both) sinks="null file" ;; *) echo "bench: --sink both, file, null or pipe" >&2; exit 2 ;; esac
case $packets in '' | *[!0-9]*) echo "bench: --packets wants a number" >&2; exit 2 ;; esac
case $runs in '' | *[!0-9]* | 0) echo "bench: --runs wants a positive number" >&2; exit 2 ;; esac

TIME=/usr/bin/time
if [ ! -x "$TIME" ]; then
	echo "bench: $TIME is missing (apt-get install time)" >&2
	exit 2
fi
have() { command -v "$1" >/dev/null 2>&1; }
log() { echo "bench: $*" >&2; }

mkdir -p "$dir/bin"
dir=$(cd "$dir" && pwd)
data=$dir/data-$packets
work=$dir/work
mkdir -p "$data" "$work"
rm -f "$work"/*

log "building pcaptool, pcapgo-convert and readcopy"
(cd "$root" && CGO_ENABLED=0 go build -trimpath -o "$dir/bin/pcaptool" ./cmd/pcaptool)
(cd "$here" && CGO_ENABLED=0 go build -trimpath -o "$dir/bin/pcapgo-convert" ./pcapgo-convert)
(cd "$here" && CGO_ENABLED=0 go build -trimpath -o "$dir/bin/readcopy" ./readcopy)
READCOPY=$dir/bin/readcopy
PCAPTOOL=$dir/bin/pcaptool
PCAPGO=$dir/bin/pcapgo-convert

# Inputs, generated once per packet count and kept (bench/out is ignored by git).
gen() { # name args...
	local name=$1
	shift
	if [ ! -s "$data/$name" ]; then
		log "generating $name ($*)"
		"$PCAPTOOL" generate "$@" "$data/$name.tmp"
		mv "$data/$name.tmp" "$data/$name"
	fi
}
half=$((packets / 2))
gen big.pcapng -c "$packets"
gen big.pcap -c "$packets" -F pcap
gen shuffled.pcapng -c "$packets" --disorder 30
gen a.pcapng -c "$half" --seed 2
gen b.pcapng -c "$((packets - half))" --seed 3
gen slice.pcap -c "$packets" -F pcap --resolution usec --gap 1ms --seed 4 # tcpslice reads microsecond pcap only

size_mb() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.0f", b / 1e6 }'; }

# add TOOL OUT CMD...: a tool of the current job. OUT is the file it writes
# ("" for none). "@OUT@" in CMD stands for OUT, or for "-" with --sink null;
# a CMD without "@OUT@" but with an OUT writes OUT through its standard
# output (the cat floor). Standard output goes to /dev/null otherwise.
declare -a job_tools job_outs job_cmds checks
start_job() { job_tools=() job_outs=() job_cmds=() checks=(); }
add() {
	job_tools+=("$1")
	job_outs+=("$2")
	shift 2
	local q="" a
	for a in "$@"; do q+=" $(printf '%q' "$a")"; done
	job_cmds+=("${q# }")
}

wait_load() {
	[ -n "$maxload" ] || return 0
	local i
	for i in $(seq 60); do
		if awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v m="$maxload" 'BEGIN { exit !(l < m) }'; then
			return 0
		fi
		[ "$i" = 1 ] && log "waiting for the load average ($(cut -d' ' -f1 /proc/loadavg)) to drop below $maxload"
		sleep 10
	done
	log "load average still $(cut -d' ' -f1 /proc/loadavg); going on"
}

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) { print "nan"; exit } print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# time_job JOB: one warm-up round, then $runs rounds; each round runs every
# tool of the job once, in order, and appends "elapsed user sys maxrss_kb"
# to work/times.I.
time_job() {
	local job=$1 n=${#job_tools[@]} i r
	wait_load
	log "job $job: $runs runs of ${#job_tools[@]} tools (load $(cut -d' ' -f1-3 /proc/loadavg))"
	for i in $(seq 0 $((n - 1))); do : >"$work/times.$i"; done
	for r in $(seq 0 "$runs"); do
		for i in $(seq 0 $((n - 1))); do
			local out=${job_outs[$i]} cmd=${job_cmds[$i]} target=/dev/null status=0
			if [ -n "$out" ]; then
				rm -f "$out"
				if [[ $cmd == *@OUT@* ]]; then
					if [ "$sink" = file ]; then
						cmd=${cmd//@OUT@/$(printf '%q' "$out")}
					else
						cmd=${cmd//@OUT@/-}
					fi
				elif [ "$sink" = file ]; then
					target=$out
				fi
			fi
			local t0=$EPOCHREALTIME
			if [ "$sink" = pipe ]; then
				"$TIME" -f '%e %U %S %M' -o "$work/time.last" bash -c "exec $cmd" 2>"$work/stderr.$i" | cat >/dev/null || status=$?
			else
				"$TIME" -f '%e %U %S %M' -o "$work/time.last" bash -c "exec $cmd" >"$target" 2>"$work/stderr.$i" || status=$?
			fi
			local t1=$EPOCHREALTIME
			if [ "$status" != 0 ]; then
				log "$job: ${job_tools[$i]} failed (exit $status): $(tail -3 "$work/stderr.$i")"
				echo "fail" >>"$work/times.$i"
				continue
			fi
			# Round 0 warms the page cache and is not counted.
			# The elapsed time is bash's microsecond clock around the
			# run (time's %e has 10 ms steps, too coarse for slicing),
			# so it includes starting time(1) and bash (about 2 ms).
			[ "$r" = 0 ] || tail -1 "$work/time.last" | awk -v t0="$t0" -v t1="$t1" '{ $1 = sprintf("%.4f", t1 - t0); print }' >>"$work/times.$i"
		done
	done
	log "job $job done (load $(cut -d' ' -f1-3 /proc/loadavg))"
}

# same_packets A B: whether two captures hold the same packets, compared as
# nanosecond pcap files written by pcaptool convert (whose pcapng -> pcap
# output the convert job compares byte for byte with editcap's and pcapgo's).
same_packets() {
	local a=$1 b=$2 verdict
	if cmp -s "$a" "$b"; then
		echo "identical file"
		return
	fi
	if "$PCAPTOOL" convert -q -F pcap --ts nsec "$a" "$work/cmp-a.pcap" 2>/dev/null &&
		"$PCAPTOOL" convert -q -F pcap --ts nsec "$b" "$work/cmp-b.pcap" 2>/dev/null; then
		if cmp -s "$work/cmp-a.pcap" "$work/cmp-b.pcap"; then verdict="same packets"; else verdict="**different packets**"; fi
	else
		verdict="**unreadable**"
	fi
	rm -f "$work/cmp-a.pcap" "$work/cmp-b.pcap"
	echo "$verdict"
}

# check_outputs: the last round's outputs are still there (file sink only);
# compare every peer's with pcaptool's (the first tool's).
check_outputs() {
	local i n=${#job_tools[@]}
	[ "$sink" = file ] || return 0
	for i in $(seq 1 $((n - 1))); do
		case ${job_tools[$i]} in cat*) continue ;; esac
		if [ -n "${job_outs[$i]}" ] && [ -f "${job_outs[$i]}" ] && [ -f "${job_outs[0]}" ]; then
			checks[$i]=$(same_packets "${job_outs[0]}" "${job_outs[$i]}")
		fi
	done
}

# bytes_read IN CMD: the bytes CMD reads from the file IN (read and pread64
# on the descriptors it opened IN as), counted with strace (one trace file
# per thread, so that no call is split); "" without strace.
bytes_read() {
	local in=$1 cmd=$2
	have strace || return 0
	rm -f "$work"/strace.out*
	strace -ff -qq -e trace=openat,open,read,pread64 -o "$work/strace.out" bash -c "exec $cmd" >/dev/null 2>&1 || return 0
	cat "$work"/strace.out.* | awk -v f="$in" '
		/open(at)?\(/ && index($0, "\"" f "\"") { fds[$NF + 0] = 1; next }
		/^(read|pread64)\(/ { s = $0; sub(/^[a-z0-9]+\(/, "", s); sub(/,.*/, "", s); reads[NR] = s; bytes[NR] = $NF }
		END { for (i in reads) if ((reads[i] + 0) in fds && bytes[i] > 0) total += bytes[i]; printf "%d", total }'
	rm -f "$work"/strace.out*
}

# read_check IN: fills checks[] with each tool's input bytes read, as a
# share of the file (slice job).
read_check() {
	local in=$1 i n=${#job_tools[@]} size b cmd
	size=$(stat -c %s "$in")
	for i in $(seq 0 $((n - 1))); do
		cmd=${job_cmds[$i]//@OUT@/-}
		b=$(bytes_read "$in" "$cmd")
		[ -n "$b" ] && checks[$i]="${checks[$i]:+${checks[$i]}; }read $(awk -v b="$b" -v s="$size" 'BEGIN { printf "%.2f MB = %.3f%% of the file", b / 1e6, 100 * b / s }')"
	done
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f×", a / b; else print "—" }'; }

rows=()
# job_rows JOB: one table row per tool, ratios against the first (pcaptool).
job_rows() {
	local job=$1 n=${#job_tools[@]} i base_e="" base_c=""
	for i in $(seq 0 $((n - 1))); do
		local f=$work/times.$i e c m us sy
		if grep -q fail "$f"; then
			rows+=("| $job | ${job_tools[$i]} | failed | | | | | |")
			continue
		fi
		e=$(awk '{ print $1 }' "$f" | median)
		c=$(awk '{ print $2 + $3 }' "$f" | median)
		us=$(awk '{ print $2 }' "$f" | median)
		sy=$(awk '{ print $3 }' "$f" | median)
		m=$(awk '{ if ($4 > m) m = $4 } END { printf "%.1f", m / 1024 }' "$f")
		if [ -z "$base_e" ]; then base_e=$e base_c=$c; fi
		rows+=("| $job | ${job_tools[$i]} | $(printf %.3f "$e") | $(ratio "$e" "$base_e") | $(printf %.2f "$c") ($(printf %.2f "$us") + $(printf %.2f "$sy")) | $(ratio "$c" "$base_c") | $m | ${checks[$i]:-} |")
	done
}

finish_job() {
	local o
	time_job "$1"
	check_outputs
	if [ "$1" = slice ] || [[ $1 == slice* ]]; then read_check "$data/slice.pcap"; fi
	job_rows "$1"
	for o in "${job_outs[@]}"; do [ -n "$o" ] && rm -f "$o"; done
	rm -f "$work"/.*.tmp 2>/dev/null || true
}

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
W=$work
IFS=, read -r -a job_list <<<"$jobs"
for sink in $sinks; do
for job in "${job_list[@]}"; do
	start_job
	case $job in
	convert)
		in=$data/big.pcapng
		add "pcaptool convert" "$W/convert-pcaptool.pcap" "$PCAPTOOL" convert -q -F pcap "$in" @OUT@
		if have editcap; then add "editcap -F nsecpcap" "$W/convert-editcap.pcap" editcap -F nsecpcap "$in" @OUT@; fi
		add "pcapgo (gopacket)" "$W/convert-pcapgo.pcap" "$PCAPGO" "$in" @OUT@
		if [ "$sink" = file ]; then add "cat > file (floor)" "$W/convert-cat.pcap" cat "$in"; fi
		add "cat (read floor)" "" cat "$in"
		;;
	merge)
		a=$data/a.pcapng b=$data/b.pcapng
		add "pcaptool merge" "$W/merge-pcaptool.pcapng" "$PCAPTOOL" merge -q -F pcapng -w @OUT@ "$a" "$b"
		if have mergecap; then add "mergecap" "$W/merge-mergecap.pcapng" mergecap -F pcapng -w @OUT@ "$a" "$b"; fi
		if [ "$sink" = file ]; then add "cat > file (floor)" "$W/merge-cat.pcapng" cat "$a" "$b"; fi
		add "cat (read floor)" "" cat "$a" "$b"
		;;
	filter)
		in=$data/big.pcap
		add "pcaptool filter" "$W/filter-pcaptool.pcap" "$PCAPTOOL" filter 'tcp port 80' "$in" @OUT@
		if have tcpdump; then add "tcpdump" "$W/filter-tcpdump.pcap" tcpdump -q --nano -r "$in" -w @OUT@ 'tcp port 80'; fi
		add "cat (read floor)" "" cat "$in"
		;;
	compress)
		# pcapng → gzip-compressed nanosecond pcap: pcaptool compresses
		# on every core; the peers are editcap piped to gzip (Wireshark
		# 4.0's editcap writes no compressed files) and, as a floor,
		# gzip alone over the uncompressed pcap.
		in=$data/big.pcapng
		add "pcaptool convert --compress gzip" "$W/compress-pcaptool.pcap.gz" "$PCAPTOOL" convert -q -F pcap --compress gzip "$in" @OUT@
		if have editcap; then add "editcap, piped to gzip" "$W/compress-editcap.pcap.gz" sh -c 'editcap -F nsecpcap "$1" - | gzip -c' sh "$in"; fi
		add "gzip (compress floor)" "" gzip -c "$data/big.pcap"
		;;
	info)
		in=$data/big.pcapng
		add "pcaptool info" "" "$PCAPTOOL" info "$in"
		if have capinfos; then add "capinfos" "" capinfos "$in"; fi
		add "cat (read floor)" "" cat "$in"
		;;
	sort)
		in=$data/shuffled.pcapng
		add "pcaptool sort" "$W/sort-pcaptool.pcapng" "$PCAPTOOL" sort -q -F pcapng "$in" @OUT@
		if have reordercap; then add "reordercap" "$W/sort-reordercap.pcapng" reordercap "$in" @OUT@; fi
		if [ "$sink" = file ]; then add "cat > file (floor)" "$W/sort-cat.pcapng" cat "$in"; fi
		add "cat (read floor)" "" cat "$in"
		;;
	slice)
		in=$data/slice.pcap
		# The middle second of the capture (its first packet is at
		# 2024-01-01T00:00:00Z = 1704067200).
		t0=$((1704067200 + packets / 2000)) t1=$((1704067200 + packets / 2000 + 1))
		add "pcaptool edit -A -B" "$W/slice-pcaptool.pcap" "$PCAPTOOL" edit -q -A "$t0" -B "$t1" "$in" @OUT@
		if have tcpslice; then add "tcpslice" "$W/slice-tcpslice.pcap" tcpslice -w @OUT@ "$t0" "$t1" "$in"; fi
		if have editcap; then add "editcap -A -B" "$W/slice-editcap.pcap" editcap -A "$t0" -B "$t1" "$in" @OUT@; fi
		;;
	*)
		echo "bench: unknown job $job" >&2
		exit 2
		;;
	esac
	case $job in
	convert | merge | filter | sort | info)
		case $job in merge) floor_in=("$data/a.pcapng" "$data/b.pcapng") ;; *) floor_in=("$in") ;; esac
		add "read + copy (floor)" "" "$READCOPY" "${floor_in[@]}"
		;;
	esac
	label=$job
	if [ "$(wc -w <<<"$sinks")" -gt 1 ]; then label="$job → $sink"; fi
	finish_job "$label"
done
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)

version() { "$@" 2>&1 | head -1 | tr -d '\r'; }
report=$dir/results-$(date +%Y%m%d-%H%M%S).md
{
	echo "### pcaptool benchmark ($(date -u '+%Y-%m-%d %H:%M UTC'))"
	echo
	echo "- Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM, Linux $(uname -r)"
	echo "- pcaptool $(git -C "$root" describe --always --dirty 2>/dev/null || echo unknown) built with $(go version | cut -d' ' -f3) (CGO_ENABLED=0); peers: $(have editcap && version editcap --version | sed 's/^Editcap (Wireshark)/Wireshark/; s/ (Git.*//') (editcap, mergecap, capinfos, reordercap); $(have tcpdump && version tcpdump --version) with $(have tcpdump && tcpdump --version 2>&1 | sed -n 2p); gopacket $(cd "$here" && go list -m -f '{{.Version}}' github.com/google/gopacket) pcapgo"
	echo "- Inputs ($packets packets, generated by pcaptool generate): big.pcapng $(size_mb "$data/big.pcapng") MB, big.pcap $(size_mb "$data/big.pcap") MB, shuffled.pcapng $(size_mb "$data/shuffled.pcapng") MB (30% out of order), a.pcapng + b.pcapng $(size_mb "$data/a.pcapng") + $(size_mb "$data/b.pcapng") MB, slice.pcap $(size_mb "$data/slice.pcap") MB (1 ms mean gap)"
	echo "- Outputs ($sinks): file = files in $work (page cache); null = standard output to /dev/null (\"- > /dev/null\"); pipe = standard output into a pipe cat empties (\"- | cat > /dev/null\"); for null and pipe, pcaptool sort first reads the input once without copying a packet to check that its streaming window suffices (a pipe or device cannot be rewritten after a streaming pass that fails)"
	echo "- Median of $runs runs after one warm-up; load average $load_start at the start, $load_end at the end"
	echo "- ×pcaptool: the tool's time divided by pcaptool's (above 1: pcaptool is faster). CPU = user + system seconds."
	echo
	echo "| job | tool | median s | ×pcaptool | CPU s (user + sys) | ×pcaptool (CPU) | peak RSS MiB | output vs pcaptool |"
	echo "|---|---|---:|---:|---:|---:|---:|---|"
	printf '%s\n' "${rows[@]}"
} | tee "$report"
log "report written to $report"
