package filter

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// The full conformance run spends most of its time starting tcpdump, whose
// answers depend only on the capture file, the expression and libpcap's
// version. With PCAPTOOL_FILTER_CACHE=DIR they are kept in DIR (one small
// file per pair, named by a hash of all three), so that a run after a
// change to pcaptool's compiler starts no tcpdump for pairs seen before.
// The cache holds libpcap's verdicts only, never pcaptool's.

var (
	tcpdumpVersionOnce sync.Once
	tcpdumpVersion     string
	captureHashes      sync.Map // path -> hex digest of the file
)

// oracleCacheKey names the cache entry of (capture file, expression,
// kind), or returns "" when no cache is configured.
func oracleCacheKey(path, expr, kind string) string {
	dir := os.Getenv("PCAPTOOL_FILTER_CACHE")
	if dir == "" {
		return ""
	}
	tcpdumpVersionOnce.Do(func() {
		out, _ := exec.Command("tcpdump", "--version").CombinedOutput()
		tcpdumpVersion = string(out)
	})
	fh, ok := captureHashes.Load(path)
	if !ok {
		data, err := os.ReadFile(path)
		if err != nil {
			return ""
		}
		sum := sha256.Sum256(data)
		fh = hex.EncodeToString(sum[:])
		captureHashes.Store(path, fh)
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s", tcpdumpVersion, fh, kind, expr)
	return filepath.Join(dir, hex.EncodeToString(h.Sum(nil))[:32])
}

// cachedTcpdumpKeep is tcpdumpKeep through the cache: an entry holds
// "reject MSG" or "keep I J K ..." (indices into c.pkts).
func cachedTcpdumpKeep(t *testing.T, c *capture, expr string) ([]packet, string, bool) {
	key := oracleCacheKey(c.path, expr, "keep")
	if key != "" {
		if data, err := os.ReadFile(key); err == nil {
			if kept, msg, ok, good := decodeKeepEntry(string(data), c.pkts); good {
				return kept, msg, ok
			}
		}
	}
	kept, msg, ok := tcpdumpKeep(t, c.path, expr)
	if key == "" {
		return kept, msg, ok
	}
	var b strings.Builder
	if !ok {
		b.WriteString("reject " + msg)
	} else {
		b.WriteString("keep")
		i := 0
		for _, p := range kept {
			for i < len(c.pkts) && !(c.pkts[i].ts.Equal(p.ts) && bytes.Equal(c.pkts[i].data, p.data)) {
				i++
			}
			if i == len(c.pkts) {
				return kept, msg, ok // not a subsequence of the capture: do not cache
			}
			fmt.Fprintf(&b, " %d", i)
			i++
		}
	}
	writeCacheEntry(key, b.String())
	return kept, msg, ok
}

func decodeKeepEntry(s string, pkts []packet) (kept []packet, msg string, ok, good bool) {
	if m, found := strings.CutPrefix(s, "reject "); found {
		return nil, m, false, true
	}
	rest, found := strings.CutPrefix(s, "keep")
	if !found {
		return nil, "", false, false
	}
	for _, f := range strings.Fields(rest) {
		i, err := strconv.Atoi(f)
		if err != nil || i < 0 || i >= len(pkts) {
			return nil, "", false, false
		}
		kept = append(kept, pkts[i])
	}
	return kept, "", true, true
}

// cachedTcpdumpLength is tcpdumpLength through the cache.
func cachedTcpdumpLength(c *capture, expr string) int {
	key := oracleCacheKey(c.path, expr, "length "+c.lt.Name())
	if key != "" {
		if data, err := os.ReadFile(key); err == nil {
			if n, err := strconv.Atoi(string(data)); err == nil {
				return n
			}
		}
	}
	n := tcpdumpLength(c.lt, expr)
	if key != "" {
		writeCacheEntry(key, strconv.Itoa(n))
	}
	return n
}

// writeCacheEntry writes through a temporary file so that a reader never
// sees half an entry.
func writeCacheEntry(path, content string) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return
	}
	_, werr := tmp.WriteString(content)
	if cerr := tmp.Close(); werr != nil || cerr != nil {
		os.Remove(tmp.Name())
		return
	}
	if os.Rename(tmp.Name(), path) != nil {
		os.Remove(tmp.Name())
	}
}
