#!/usr/bin/env bash
# Adds the real captures of ../shared/corpus to the LOCAL fuzz cache, so that
# long local fuzzing runs (scripts/fuzz.sh) start from real files instead of
# the small generated seeds. Nothing is written to the repository: the cache
# is $(go env GOCACHE)/fuzz/<import path>/<Target>/, in Go's
# "go test fuzz v1" file format; never commit corpus files.
#
#   scripts/fuzz-seed-corpus.sh              # files up to 64 KiB
#   MAX_SIZE=1048576 scripts/fuzz-seed-corpus.sh
#   CORPUS=/path/to/captures scripts/fuzz-seed-corpus.sh
#
# Small inputs fuzz faster: by default files larger than MAX_SIZE bytes are
# skipped. Running it again is harmless (entries are named by content).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${CORPUS:-../shared/corpus}
max_size=${MAX_SIZE:-65536}
if [ ! -d "$corpus" ]; then
	echo "fuzz-seed-corpus: no corpus at $corpus" >&2
	exit 1
fi
module=$(go list -m)
cache=$(go env GOCACHE)/fuzz
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The writer is a small Go program: the format quotes the bytes as a Go
# string literal, which Go writes best.
cat >"$tmp/main.go" <<'EOF'
// Command seedcorpus writes each named capture file as a "go test fuzz v1"
// entry for every target given as dir=type,type,... (the fuzz function's
// parameter types after *testing.T).
package main

import (
	"bufio"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

func main() {
	maxSize, _ := strconv.Atoi(os.Args[1])
	var targets []string
	var files []string
	for _, a := range os.Args[2:] {
		if strings.Contains(a, "=") {
			targets = append(targets, a)
		} else {
			files = append(files, a)
		}
	}
	if len(files) == 0 {
		sc := bufio.NewScanner(os.Stdin)
		for sc.Scan() {
			files = append(files, sc.Text())
		}
	}
	added := map[string]int{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil || len(data) > maxSize || len(data) == 0 {
			continue
		}
		for _, t := range targets {
			dir, types, _ := strings.Cut(t, "=")
			var b strings.Builder
			b.WriteString("go test fuzz v1\n")
			for i, typ := range strings.Split(types, ",") {
				switch typ {
				case "[]byte":
					if i == 0 {
						fmt.Fprintf(&b, "[]byte(%q)\n", data)
					} else {
						b.WriteString("[]byte(\"\")\n")
					}
				case "bool":
					b.WriteString("bool(false)\n")
				default:
					fmt.Fprintf(os.Stderr, "seedcorpus: unsupported parameter type %s\n", typ)
					os.Exit(2)
				}
			}
			sum := sha256.Sum256([]byte(b.String()))
			name := filepath.Join(dir, fmt.Sprintf("%x", sum[:8]))
			if err := os.MkdirAll(dir, 0o755); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
				fmt.Fprintln(os.Stderr, err)
				os.Exit(1)
			}
			added[dir]++
		}
	}
	for _, t := range targets {
		dir, _, _ := strings.Cut(t, "=")
		fmt.Printf("%6d  %s\n", added[dir], dir)
	}
}
EOF

# Every fuzz target whose first argument is the bytes of a capture file.
targets=(
	"$cache/$module/pcap/FuzzReader=[]byte"
	"$cache/$module/pcap/FuzzRoundTrip=[]byte"
	"$cache/$module/pcapng/FuzzReader=[]byte"
	"$cache/$module/pcapng/FuzzPacketReader=[]byte"
	"$cache/$module/fuzz/FuzzRoundTrip=[]byte"
	"$cache/$module/fuzz/FuzzInspect=[]byte"
	"$cache/$module/fuzz/FuzzValidate=[]byte,bool"
	"$cache/$module/fuzz/FuzzPipeline=[]byte,[]byte,[]byte"
)
find "$corpus" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' -o -name '*.ntar' \) |
	sort | CGO_ENABLED=0 go run "$tmp/main.go" "$max_size" "${targets[@]}"
