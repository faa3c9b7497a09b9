#!/usr/bin/env bash
# bench/startup.sh: the start-up cost of pcaptool (`pcaptool --version`:
# package initialisation, runtime start, exit) beside other binaries.
#
#   bench/startup.sh [-r RUNS] [BINARY...]   # default: the pcaptool built from
#                                            # this tree, tcpdump, tcpslice
#
# For each binary, `perf stat -r RUNS` (default 30) of `BINARY --version`
# gives the mean wall time, the CPU time (task-clock) and the page faults;
# /usr/bin/time gives the peak RSS. Then GODEBUG=inittrace=1 lists the Go
# packages whose init takes longest in pcaptool. Needs perf (linux-perf).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
runs=30
if [ "${1:-}" = -r ]; then runs=$2; shift 2; fi
if ! command -v perf >/dev/null; then
	echo "startup: perf is missing (apt-get install linux-perf)" >&2
	exit 2
fi
bins=("$@")
if [ ${#bins[@]} = 0 ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	(cd "$root" && CGO_ENABLED=0 go build -trimpath -o "$tmp/pcaptool" ./cmd/pcaptool)
	bins=("$tmp/pcaptool")
	for b in tcpdump tcpslice; do command -v "$b" >/dev/null && bins+=("$(command -v "$b")"); done
fi

echo "load average $(cut -d' ' -f1-3 /proc/loadavg); $runs runs each"
echo
echo "| binary | size MB | wall ms | CPU ms | page faults | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|---:|"
for b in "${bins[@]}"; do
	stat=$(perf stat -r "$runs" -x, -e task-clock,page-faults "$b" --version 2>&1 >/dev/null) || true
	cpu=$(awk -F, '$3 == "task-clock" { printf "%.1f", $1 }' <<<"$stat")
	faults=$(awk -F, '$3 == "page-faults" { printf "%d", $1 }' <<<"$stat")
	wall=$( { perf stat -r "$runs" "$b" --version 2>&1 >/dev/null || true; } | awk '/seconds time elapsed/ { printf "%.1f", $1 * 1000 }')
	# (tcpslice has no --version: it prints its usage and fails, which
	# still measures its start-up.)
	rss=$({ /usr/bin/time -f %M "$b" --version 2>&1 >/dev/null || true; } | tail -1)
	printf '| %s | %.1f | %s | %s | %s | %.1f |\n' "$(basename "$b")" "$(awk -v s="$(stat -L -c %s "$b")" 'BEGIN { print s / 1e6 }')" "$wall" "$cpu" "$faults" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')"
done
echo
echo "Slowest package initialisers of $(basename "${bins[0]}") (GODEBUG=inittrace=1, ms):"
GODEBUG=inittrace=1 "${bins[0]}" --version 2>&1 >/dev/null | awk '/^init / { print $5, $2 }' | sort -rn | head -8 | sed 's/^/    /'
