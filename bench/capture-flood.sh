#!/usr/bin/env bash
# Capture under flood: `pcaptool capture -w` against `tcpdump -w` on the far
# end of a veth pair between two network namespaces this script creates
# (and removes), while `pcaptool replay --topspeed` floods small frames into
# it. Same snap length, same -B buffer, same filter, one capture after the
# other, RUNS times each: packets received, dropped by the kernel (the
# socket's counters, as both print them), written, whether the file holds
# exactly what was sent (count and bytes, in order) when nothing was
# dropped, and CPU seconds per million packets written. With and without a
# filter, buffered and immediate. Prints a markdown table. Needs root,
# ip(8), tcpdump and /usr/bin/time.
#
#   bench/capture-flood.sh            # FRAMES=2000000 RUNS=3 BUFFER_KIB=4096 FILTER=tcp
#                                     # MODES="buffered immediate"
set -euo pipefail
cd "$(dirname "$0")/.."
frames=${FRAMES:-2000000}
runs=${RUNS:-3}
buf=${BUFFER_KIB:-4096}
snap=${SNAPLEN:-262144}
filter=${FILTER:-tcp}
modes=${MODES:-buffered immediate}
for tool in ip tcpdump /usr/bin/time; do
	command -v "$tool" >/dev/null || { echo "$tool not installed" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)" >&2; exit 1; }

. bench/veth.sh
veth_setup pcfl
(cd bench && go build -o "$work/pcapcmp" ./pcapcmp)
per=200000
loops=$(( (frames + per - 1) / per ))
total=$((loops * per))
"$pt" generate -F pcap -c "$per" --frame-size 64 --ipv6 -1 --gap 1us "$work/flood.pcap"
"$pt" edit -q -F pcap -f "$filter" "$work/flood.pcap" "$work/flood-filtered.pcap"

median() { sort -g | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

# capture TOOL MODE FILTER: one run; prints "received dropped written match cpu_s".
capture() {
	local tool=$1 mode=$2 expr=$3 out=$work/cap.pcap
	rm -f "$out"
	local args=()
	if [ "$tool" != tcpdump ]; then
		args=("$pt" capture -i "$vb" -s "$snap" -B "$buf" -F pcap -w "$out")
		[ "$mode" = immediate ] && args+=(--immediate)
		case $tool in "pcaptool --method "*) args+=(--method "${tool#pcaptool --method }") ;; esac
	else
		args=(tcpdump -Z root -i "$vb" -s "$snap" -B "$buf" -w "$out")
		[ "$mode" = immediate ] && args+=(--immediate-mode -U) # pcaptool --immediate writes each packet at once too
	fi
	[ -n "$expr" ] && args+=("$expr")
	ip netns exec "$nsb" /usr/bin/time -f "%U %S" -o "$work/time" "${args[@]}" 2>"$work/err" &
	local tpid=$!
	until grep -q "listening on" "$work/err" 2>/dev/null; do sleep 0.05; done
	local cpid startup
	cpid=$(pgrep -P "$tpid")
	# CPU spent starting up (clock ticks), left out of the per-packet cost.
	startup=$(awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$cpid/stat")
	ip netns exec "$nsa" "$pt" replay -q -i "$va" --topspeed --loop "$loops" "$work/flood.pcap" >/dev/null
	sleep 1.5 # longer than a ring block's timeout: what the kernel holds is delivered
	kill -TERM "$cpid"
	wait "$tpid" || true
	local recv drop
	recv=$(awk '/received by filter/ {print $1}' "$work/err")
	drop=$(awk '/dropped by kernel/ {print $1}' "$work/err")
	local sent=$work/flood.pcap
	[ -n "$expr" ] && sent=$work/flood-filtered.pcap
	local cmp written match=-
	cmp=$("$work/pcapcmp" "$sent" "$loops" "$out" || true)
	written=$("$pt" info --json "$out" | sed -n 's/.*"packets":\([0-9]*\).*/\1/p')
	if [ "$drop" = 0 ]; then
		case $cmp in match*) match=yes ;; *) match=no ;; esac
	fi
	echo "$recv $drop $written $match $(awk -v w="$written" -v s="$startup" '{print ($1 + $2 - s) / (w / 1e6)}' "$work/time")"
}

echo "pcaptool $(git rev-parse --short HEAD), tcpdump $(tcpdump --version 2>&1 | awk 'NR==1 {print $3}'); $(nproc) CPUs; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "$total 64-byte frames sent by pcaptool replay --topspeed (${loops} passes over $per), captured with"
echo "-s $snap -B $buf -w FILE (immediate: pcaptool --immediate, which reads a TPACKET_V2 ring unless"
echo "--method says otherwise, tcpdump --immediate-mode -U: every packet delivered and written at once);"
echo "median of $runs runs; CPU is the capturing process's user +"
echo "system seconds after start-up per million packets written; 'same' counts the runs without"
echo "drops whose file holds exactly the frames sent (count and bytes, in order)."
echo
echo "| mode | filter | tool | received | dropped by kernel | written | same | CPU s / M written |"
echo "|---|---|---|---:|---:|---:|---:|---:|"
for mode in $modes; do
	for expr in "" "$filter"; do
		tools=(pcaptool tcpdump)
		[ "$mode" = immediate ] && tools=(pcaptool "pcaptool --method ring" "pcaptool --method recvmsg" tcpdump)
		for tool in "${tools[@]}"; do
			: >"$work/rows"
			for ((i = 0; i < runs; i++)); do
				capture "$tool" "$mode" "$expr" >>"$work/rows"
			done
			col() { cut -d' ' -f"$1" "$work/rows" | median; }
			same=$(awk '$4 == "yes" {y++} $4 != "-" {n++} END {printf "%d/%d", y, n}' "$work/rows")
			printf "| %s | %s | %s | %s | %s | %s | %s | %.2f |\n" "$mode" "${expr:-none}" "$tool" \
				"$(col 1)" "$(col 2)" "$(col 3)" "$same" "$(col 5)"
		done
	done
done
echo
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
