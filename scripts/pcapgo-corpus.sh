#!/usr/bin/env bash
# Reads the whole corpus (../shared/corpus) through pcaptool/pcapgo and
# through gopacket's pcapgo v1.1.19 and compares both with what tshark shows
# (count, times, lengths, bytes). tshark's view of each file is cached under
# the user's cache directory (or $PCAPTOOL_ORACLE_CACHE), so a second run
# takes seconds. The normal test run checks a sample only.
set -euo pipefail
cd "$(dirname "$0")/.."
PCAPTOOL_PCAPGO_FULL=1 go test -count=1 -timeout 60m -run 'TestCorpusLikeWireshark' -v ./pcapgo/ "$@"
