#!/usr/bin/env bash
# Measures how many of tcpdump's packet lines `pcaptool print` reproduces
# over ../shared/corpus/tcpdump at -v 0 and 1, and ranks the differing lines
# by protocol (definition in decode/conformance_test.go). Writes
# bench/results/print-conformance.md (table) and
# bench/results/print-conformance-diffs.txt (every differing line pair).
# Two files at a time; PCAPTOOL_PRINT_JOBS=N to change. About a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
PCAPTOOL_PRINT_CONFORMANCE=1 \
	PCAPTOOL_PRINT_CONFORMANCE_OUT="$PWD/bench/results/print-conformance.md" \
	PCAPTOOL_PRINT_CONFORMANCE_DIFFS="$PWD/bench/results/print-conformance-diffs.txt" \
	nice go test ./decode -run '^TestPrintConformance$' -count=1 -timeout 30m "$@" >/dev/null
cat bench/results/print-conformance.md
