#!/usr/bin/env bash
# Runs every check pcaptool has: installs the oracle tools (tshark, editcap,
# mergecap, capinfos, reordercap, tcpdump, iproute2) when they are missing and
# this is a Debian machine where we are root, then gofmt, go vet, staticcheck
# and the whole test suite. Oracle tests skip with a message when the tools or
# ../shared/corpus are absent, unless PCAPTOOL_REQUIRE_ORACLES=1 (CI sets it).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for tool in tshark editcap mergecap capinfos reordercap tcpdump ip; do
	command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]})); then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "installing oracle tools (missing: ${missing[*]})"
		echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections 2>/dev/null || true
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq --no-install-recommends tshark tcpdump wireshark-common iproute2 >/dev/null
	else
		echo "oracle tools missing (${missing[*]}): their tests will skip; install tshark tcpdump wireshark-common iproute2"
	fi
fi

# pcapfix: the peer of `pcaptool repair` (validate's recovery test).
if ! command -v pcapfix >/dev/null 2>&1; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "installing pcapfix"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends pcapfix >/dev/null ||
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends pcapfix >/dev/null; }
	else
		echo "pcapfix missing: the recovery comparison will skip; install pcapfix"
	fi
fi

# DuckDB for the export tests: npm @duckdb/node-api, installed outside the
# repository (PCAPTOOL_NODE_MODULES, default ~/.cache/pcaptool-node).
duckdb_modules="${PCAPTOOL_NODE_MODULES:-$HOME/.cache/pcaptool-node/node_modules}"
if [ ! -d "$duckdb_modules/@duckdb/node-api" ]; then
	if command -v npm >/dev/null 2>&1; then
		echo "installing DuckDB (npm @duckdb/node-api) into ${duckdb_modules%/node_modules}"
		mkdir -p "${duckdb_modules%/node_modules}"
		npm install --prefix "${duckdb_modules%/node_modules}" --no-audit --no-fund --silent @duckdb/node-api >/dev/null
	else
		echo "npm missing: the DuckDB export tests will skip; install nodejs and npm"
	fi
fi

export CGO_ENABLED=0
echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
	echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
echo "== go vet"
go vet ./...
echo "== staticcheck"
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...
echo "== go test"
go test -count=1 -timeout 20m "$@" ./...
