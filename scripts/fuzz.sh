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
status=0
for pkg in $(go list "${pkgs[@]}"); do
	for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
		echo "== $pkg $target ($time)"
		# A bounded minimisation time keeps a run from freezing while it
		# shrinks a slow input.
		if ! go test -run '^$' -fuzz "^${target}\$" -fuzztime "$time" -fuzzminimizetime "${FUZZ_MINIMIZE_TIME:-10s}" "$pkg"; then
			status=1
		fi
	done
done
exit $status
