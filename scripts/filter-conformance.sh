#!/usr/bin/env bash
# Compares pcaptool's filter compiler with libpcap (tcpdump) on every link
# type of ../shared/corpus, for every expression of the development list
# (filter/testdata/conformance/dev.txt) and of the independent one
# (independent.txt): acceptance, packets kept by tcpdump -r -w, and program
# length against tcpdump -d. Writes the Markdown tables the README shows to
# bench/results/filter-conformance-{dev,independent}.md. Takes about 15
# minutes on 2 idle cores (one tcpdump run per pair; PCAPTOOL_FILTER_SAMPLE=N
# runs one pair in N); CI runs a sample of the
# pairs instead (go test ./filter -run TestConformance). libpcap's answers
# are cached in $PCAPTOOL_FILTER_CACHE (default ~/.cache/pcaptool/
# filter-conformance; keyed by tcpdump's version, the capture and the
# expression), so a run after a compiler change takes a few minutes; set
# it to an empty string to run tcpdump for every pair.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v tcpdump >/dev/null || { echo "tcpdump is needed: apt-get install tcpdump" >&2; exit 2; }
mkdir -p bench/results
export PCAPTOOL_FILTER_FULL=1 PCAPTOOL_REQUIRE_ORACLES=1
export PCAPTOOL_FILTER_CACHE="${PCAPTOOL_FILTER_CACHE-${XDG_CACHE_HOME:-$HOME/.cache}/pcaptool/filter-conformance}"
status=0
for list in dev independent; do
	name=Dev
	[ "$list" = independent ] && name=Independent
	PCAPTOOL_FILTER_TABLE="$PWD/bench/results/filter-conformance-$list.md" \
		go test ./filter -run "TestConformance$name\$" -count=1 -timeout 60m -v >"bench/results/filter-conformance-$list.log" 2>&1 || status=1
	echo "== $list list"
	cat "bench/results/filter-conformance-$list.md"
done
exit $status
