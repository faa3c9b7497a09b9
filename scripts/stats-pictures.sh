#!/usr/bin/env bash
# scripts/stats-pictures.sh: regenerate the README's pictures of
# "pcaptool plot" (docs/img/plot-*.png) from generated traffic: 60 s of
# background traffic with a 1 s burst at 00:00:40. Deterministic: the same
# pcaptool gives the same pictures.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export CGO_ENABLED=0
go build -o "$tmp/pcaptool" ./cmd/pcaptool
p="$tmp/pcaptool"
"$p" generate -c 60000 --gap 1ms --flows 64 --seed 1 "$tmp/background.pcapng"
"$p" generate -c 25000 --gap 40us --flows 4 --seed 2 --start 2024-01-01T00:00:40Z "$tmp/burst.pcapng"
in=("$tmp/background.pcapng" "$tmp/burst.pcapng")
size=(--width 720 --height 300)
"$p" plot io "${in[@]}" --interval 500ms --filter tcp --filter udp --title "I/O graph: tcp and udp packets/s, 500 ms intervals" "${size[@]}" -o docs/img/plot-io.png
"$p" plot conv ip "${in[@]}" --top 8 --title "Top IPv4 conversations by bytes" "${size[@]}" -o docs/img/plot-conv.png
"$p" plot endpoints tcp "${in[@]}" --top 8 --dark --title "Top TCP endpoints by bytes (dark theme)" "${size[@]}" -o docs/img/plot-endpoints.png
"$p" plot sizes "${in[@]}" --title "Frame lengths" "${size[@]}" -o docs/img/plot-sizes.png
ls -l docs/img/plot-*.png
