#!/usr/bin/env bash
# scripts/race.sh [PKGS...]: the tests under Go's race detector, for the code
# that hands data between goroutines (read-ahead rings, writing behind,
# parallel compressors, live capture, replay, -j). The race detector needs
# cgo and a C compiler, so this builds test binaries with CGO_ENABLED=1;
# pcaptool itself is always built without cgo, and CI (scripts/test.sh)
# stays cgo-free. Default: every package.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v gcc >/dev/null 2>&1 && ! command -v cc >/dev/null 2>&1; then
	echo "race: the race detector needs a C compiler (apt-get install gcc)" >&2
	exit 2
fi
[ $# -gt 0 ] || set -- ./...
CGO_ENABLED=1 go test -race -count=1 -timeout 30m "$@"
