#!/usr/bin/env bash
# Recovery of damaged captures: `pcaptool repair` against pcapfix (every
# mode). Builds the damaged set from generated captures (internal/damage),
# runs both on every file and prints the markdown tables of packets
# recovered intact (identical bytes, time and lengths, in order) and of
# packets invented. Needs pcapfix (apt-get install pcapfix).
#
#   bench/recovery.sh [PACKETS]   # packets per source capture, default 3000
set -euo pipefail
cd "$(dirname "$0")/.."
packets=${1:-3000}
command -v pcapfix >/dev/null || { echo "pcapfix not installed (apt-get install pcapfix)" >&2; exit 1; }
table=$(mktemp)
trap 'rm -f "$table"' EXIT
echo "pcapfix: $(pcapfix 2>&1 | head -1); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
PCAPTOOL_RECOVERY_PACKETS=$packets PCAPTOOL_RECOVERY_TABLE=$table \
	go test -count=1 -timeout 60m -run '^TestRecoveryVsPcapfix$' ./validate/ >&2
echo "Sources of $packets packets each; intact = packets identical to an original one (bytes, time, lengths), in order."
echo
cat "$table"
