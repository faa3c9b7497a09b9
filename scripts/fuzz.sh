#!/usr/bin/env bash
# Runs every Fuzz* target in the module for the given time each
# (default 10m; CI uses a few seconds). Crashers land in the package's
# testdata/fuzz/<Target>/ and become regression tests: commit them.
#   scripts/fuzz.sh            # 10 minutes per target
#   scripts/fuzz.sh 30s        # quick pass
#   scripts/fuzz.sh 1h ./pcapng  # one package
set -euo pipefail
cd "$(dirname "$0")/.."
time=${1:-10m}
shift || true
pkgs=("${@:-./...}")
export CGO_ENABLED=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# fuzz_once runs one target; its output goes to the terminal and to $log.
# A bounded minimisation time keeps a run from freezing while it shrinks a
# slow input.
fuzz_once() {
	go test -run '^$' -fuzz "^${2}\$" -fuzztime "$time" -fuzzminimizetime "${FUZZ_MINIMIZE_TIME:-10s}" "$1" 2>&1 | tee "$log"
	return "${PIPESTATUS[0]}"
}

# deadline_flake tells Go's own race at the end of -fuzztime (golang/go#75804,
# fixed in Go 1.27: a bare "context deadline exceeded" with no input found)
# from a real failure, which always reports its input or a test error.
deadline_flake() {
	grep -q 'context deadline exceeded' "$log" &&
		! grep -qE 'Failing input written|panic:|_test\.go:[0-9]+:' "$log"
}

status=0
for pkg in $(go list "${pkgs[@]}"); do
	for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
		echo "== $pkg $target ($time)"
		if fuzz_once "$pkg" "$target"; then
			continue
		fi
		if deadline_flake; then
			echo "fuzz.sh: $target stopped on Go's -fuzztime deadline race (golang/go#75804), not on an input; running it again"
			if fuzz_once "$pkg" "$target" || deadline_flake; then
				continue
			fi
		fi
		status=1
	done
done
exit $status
