#!/usr/bin/env bash
# Reports, per fuzz target, the statement coverage reached by its corpus:
# the committed seeds (testdata/fuzz) plus what `go test -fuzz` has found on
# this machine (kept in $(go env GOCACHE)/fuzz). It works on a scratch copy
# of the tree, so nothing found locally lands in the repository by accident.
#   scripts/fuzz-coverage.sh            # every target
#   scripts/fuzz-coverage.sh ./pcap     # one package
set -euo pipefail
cd "$(dirname "$0")/.."
pkgs=("${@:-./...}")
export CGO_ENABLED=0
module=$(go list -m)
cache=$(go env GOCACHE)/fuzz
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
git ls-files -z | xargs -0 cp --parents -t "$scratch"
# The statements a target is meant to reach: its own package, or for the
# cross-package targets in fuzz/ the packages they drive.
coverage_of() {
	case $1 in
	fuzz/FuzzPipeline) echo ./capfile ./convert ./pcap ./pcapng ;;
	fuzz/FuzzRoundTrip) echo ./capfile ./pcap ./pcapng ;;
	fuzz/FuzzValidate) echo ./validate ;;
	fuzz/FuzzInspect) echo ./inspect ;;
	*) echo "./${1%%/*}" ;;
	esac
}
printf '%-10s %-18s %7s %9s  %s\n' package target inputs coverage of
for pkg in $(go list "${pkgs[@]}"); do
	rel=${pkg#"$module"}
	rel=.${rel:-/}
	for target in $(go test -list '^Fuzz' "$pkg" | grep '^Fuzz' || true); do
		dst="$scratch/$rel/testdata/fuzz/$target"
		mkdir -p "$dst"
		if [ -d "$cache/$pkg/$target" ]; then
			cp "$cache/$pkg/$target"/* "$dst"/ 2>/dev/null || true
		fi
		inputs=$(find "$dst" -type f | wc -l)
		of=$(coverage_of "${rel#./}/$target")
		coverpkg=$(go list $of | paste -sd, -)
		cov=$(cd "$scratch" && go test -run "^${target}\$" -coverpkg="$coverpkg" "$rel" 2>&1 |
			sed -n 's/.*coverage: \([0-9.]*%\) of statements.*/\1/p' | tail -1)
		printf '%-10s %-18s %7s %9s  %s\n' "${rel#./}" "$target" "$inputs" "${cov:-?}" "$of"
	done
done
