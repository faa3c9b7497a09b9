package convert

import (
	"math"

	"github.com/pcaptool/pcaptool/pkt"
)

// mergeKey is an input's place in the merge order, computed once when its
// next packet is read so that each comparison is a few integer compares
// instead of interface calls and time.Time methods.
type mergeKey struct {
	sec  int64 // math.MinInt64: no timestamp; math.MaxInt64: input done
	nsec int32
	tie  int32 // input index (no timestamp: lower first) or its negation (equal times: higher first)
}

func (a mergeKey) less(b mergeKey) bool {
	if a.sec != b.sec {
		return a.sec < b.sec
	}
	if a.nsec != b.nsec {
		return a.nsec < b.nsec
	}
	return a.tie < b.tie
}

// keyOf returns the key of input i whose next packet is p (nil when the
// input is done). The order is mergeHeap's documented one: packets
// without a timestamp first, the lower input first; then by time, the
// higher input first on equal times.
func keyOf(i int, p *pkt.Packet) mergeKey {
	switch {
	case p == nil:
		return mergeKey{sec: math.MaxInt64, nsec: math.MaxInt32, tie: math.MaxInt32}
	case p.NoTimestamp:
		return mergeKey{sec: math.MinInt64, tie: int32(i)}
	}
	return mergeKey{sec: p.Timestamp.Unix(), nsec: int32(p.Timestamp.Nanosecond()), tie: int32(-i)}
}

// loserTree is a tournament tree over k inputs (Knuth's replacement
// selection): node 0 holds the winner, nodes 1..k-1 the loser of the
// match played there, and leaf i sits below node (k+i)/2. Replacing the
// winner's key replays only the matches on its path: ceil(log2 k)
// comparisons, one for two inputs, three for eight, with no interface
// calls.
type loserTree struct {
	nodes []int
	keys  []mergeKey
}

func (t *loserTree) init(keys []mergeKey) {
	k := len(keys)
	t.keys = keys
	t.nodes = make([]int, max(k, 1))
	for i := range t.nodes {
		t.nodes[i] = -1
	}
	for i := k - 1; i >= 0; i-- {
		t.replay(i)
	}
}

// replay plays input s's new key up to the root.
func (t *loserTree) replay(s int) {
	k := len(t.keys)
	for n := (s + k) / 2; n > 0; n /= 2 {
		other := t.nodes[n]
		if other < 0 { // building: wait here for the other side
			t.nodes[n] = s
			return
		}
		if t.keys[other].less(t.keys[s]) {
			t.nodes[n], s = s, other
		}
	}
	t.nodes[0] = s
}

// winner returns the input whose key is least.
func (t *loserTree) winner() int { return t.nodes[0] }
