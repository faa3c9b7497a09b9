package parallel

import (
	"errors"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"
)

func TestOrdered(t *testing.T) {
	for _, tc := range []struct{ n, jobs int }{{0, 4}, {1, 4}, {5, 1}, {50, 2}, {200, 8}, {7, 0}} {
		var running, peak atomic.Int32
		next := 0
		err := Ordered(tc.n, tc.jobs, func(i int) int {
			r := running.Add(1)
			for p := peak.Load(); r > p && !peak.CompareAndSwap(p, r); p = peak.Load() {
			}
			time.Sleep(time.Duration(rand.IntN(200)) * time.Microsecond)
			running.Add(-1)
			return i * i
		}, func(i, r int) error {
			if i != next || r != i*i {
				t.Fatalf("n %d jobs %d: got (%d, %d), want index %d", tc.n, tc.jobs, i, r, next)
			}
			next++
			return nil
		})
		if err != nil || next != tc.n {
			t.Errorf("n %d jobs %d: %v after %d results", tc.n, tc.jobs, err, next)
		}
		if tc.jobs > 0 && int(peak.Load()) > tc.jobs {
			t.Errorf("n %d jobs %d: %d calls ran at once", tc.n, tc.jobs, peak.Load())
		}
	}
}

func TestOrderedStopsOnError(t *testing.T) {
	boom := errors.New("boom")
	var started atomic.Int32
	err := Ordered(1000, 4, func(i int) int { started.Add(1); return i }, func(i, _ int) error {
		if i == 3 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got %v", err)
	}
	if s := started.Load(); s > 3+1+2*4 {
		t.Errorf("%d calls started after the error at 3", s)
	}
}
