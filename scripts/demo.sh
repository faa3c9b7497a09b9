#!/usr/bin/env bash
# Builds pcaptool and runs its main job on a generated sample: writes
# demo/sample.pcapng (100 000 packets of synthetic traffic), converts it to
# pcap and back, and shows what the files hold.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p demo
CGO_ENABLED=0 go build -o demo/pcaptool ./cmd/pcaptool
./demo/pcaptool generate --count 100000 demo/sample.pcapng
./demo/pcaptool convert -q demo/sample.pcapng demo/sample.pcap
./demo/pcaptool convert -q demo/sample.pcap demo/roundtrip.pcapng.zst
ls -l demo/sample.pcapng demo/sample.pcap demo/roundtrip.pcapng.zst
if ./demo/pcaptool help info >/dev/null 2>&1; then
	./demo/pcaptool info demo/sample.pcap demo/roundtrip.pcapng.zst
fi
