package convert

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/pcaptool/pcaptool/pkt"
)

// TestLoserTreeOrder drains random inputs of 1 to 17 sorted key
// sequences through the tree and checks the output against sorting all
// keys, for every input count (trees of odd and even shapes).
func TestLoserTreeOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 20))
	for k := 1; k <= 17; k++ {
		for range 20 {
			seqs := make([][]*pkt.Packet, k)
			var all []mergeKey
			for i := range seqs {
				ts := int64(0)
				for range rng.IntN(30) {
					ts += int64(rng.IntN(3))
					p := &pkt.Packet{Timestamp: time.Unix(ts/2, ts%2), NoTimestamp: rng.IntN(20) == 0}
					seqs[i] = append(seqs[i], p)
				}
			}
			// The expected order is the merge order, so emulate the
			// merge with a linear scan of the heads.
			heads := make([]int, k)
			for {
				best := -1
				for i := range seqs {
					if heads[i] < len(seqs[i]) && (best < 0 || keyOf(i, seqs[i][heads[i]]).less(keyOf(best, seqs[best][heads[best]]))) {
						best = i
					}
				}
				if best < 0 {
					break
				}
				all = append(all, keyOf(best, seqs[best][heads[best]]))
				heads[best]++
			}
			keys := make([]mergeKey, k)
			pos := make([]int, k)
			next := func(i int) mergeKey {
				if pos[i] < len(seqs[i]) {
					return keyOf(i, seqs[i][pos[i]])
				}
				return keyOf(i, nil)
			}
			for i := range keys {
				keys[i] = next(i)
			}
			var tree loserTree
			tree.init(keys)
			var got []mergeKey
			for {
				w := tree.winner()
				if pos[w] >= len(seqs[w]) {
					break
				}
				got = append(got, keys[w])
				pos[w]++
				keys[w] = next(w)
				tree.replay(w)
			}
			if !slices.Equal(got, all) {
				t.Fatalf("%d inputs: tree order differs from a linear scan", k)
			}
		}
	}
}
