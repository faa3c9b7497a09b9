package replay

import (
	"errors"
	"testing"
	"time"
)

// plan runs a Schedule over passes of the packets given as (gap from the
// previous packet, length) and returns the due times it grants.
func plan(t *testing.T, cfg Config, passes int, gaps []time.Duration, lengths []int) []time.Duration {
	t.Helper()
	s, err := NewSchedule(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var out []time.Duration
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for pass := 0; pass < passes; pass++ {
		if pass > 0 {
			s.NewPass()
		}
		ts := base
		for i, g := range gaps {
			ts = ts.Add(g)
			due, ok := s.Next(ts, lengths[i])
			if !ok {
				return out
			}
			out = append(out, due)
		}
	}
	return out
}

func ms(v ...float64) []time.Duration {
	out := make([]time.Duration, len(v))
	for i, x := range v {
		out[i] = time.Duration(x * float64(time.Millisecond))
	}
	return out
}

func TestSchedule(t *testing.T) {
	gaps := ms(0, 10, 20, 5) // captured at 0, 10, 30, 35 ms
	lengths := []int{1000, 500, 1500, 125}
	tests := []struct {
		name   string
		cfg    Config
		passes int
		want   []time.Duration
	}{
		{"captured timing", Config{}, 1, ms(0, 10, 30, 35)},
		{"speed 1", Config{Speed: 1}, 1, ms(0, 10, 30, 35)},
		{"speed 2", Config{Speed: 2}, 1, ms(0, 5, 15, 17.5)},
		{"speed 0.5", Config{Speed: 0.5}, 1, ms(0, 20, 60, 70)},
		{"top speed", Config{TopSpeed: true}, 1, ms(0, 0, 0, 0)},
		{"pps 100", Config{PPS: 100}, 1, ms(0, 10, 20, 30)},
		// 8000 bits at 1 Mbps is 8 ms.
		{"mbps 1", Config{Mbps: 1}, 1, ms(0, 8, 12, 24)},
		{"loop 2 keeps the timeline", Config{Loops: 2}, 2, ms(0, 10, 30, 35, 35, 45, 65, 70)},
		{"loop at pps counts on", Config{PPS: 1000, Loops: 2}, 2, ms(0, 1, 2, 3, 4, 5, 6, 7)},
		{"limit", Config{Limit: 3}, 2, ms(0, 10, 30)},
		{"limit over passes", Config{Limit: 6, PPS: 1000}, 2, ms(0, 1, 2, 3, 4, 5)},
		{"duration ends before due", Config{Duration: 30 * time.Millisecond}, 1, ms(0, 10)},
		{"duration at pps", Config{PPS: 100, Duration: 25 * time.Millisecond}, 2, ms(0, 10, 20)},
		{"duration at speed 2", Config{Speed: 2, Duration: 20 * time.Millisecond}, 2, ms(0, 5, 15, 17.5, 17.5)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := plan(t, tc.cfg, tc.passes, gaps, lengths)
			if len(got) != len(tc.want) {
				t.Fatalf("due %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("due %v, want %v", got, tc.want)
				}
			}
		})
	}
}

func TestScheduleBackwardsTimestamp(t *testing.T) {
	// A packet stamped before its predecessor is sent right after it, and
	// the packets after it keep their gaps to it.
	got := plan(t, Config{}, 1, ms(0, 10, -4, 6), []int{1, 1, 1, 1})
	want := ms(0, 10, 10, 16)
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("due %v, want %v", got, want)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	bad := map[string]Config{
		"two modes":      {TopSpeed: true, PPS: 10},
		"speed and mbps": {Speed: 2, Mbps: 10},
		"negative speed": {Speed: -1},
		"negative pps":   {PPS: -5},
		"negative mbps":  {Mbps: -5},
		"negative wait":  {Duration: -time.Second},
		"negative batch": {BatchSize: -1},
		"negative spin":  {SpinTime: -1},
	}
	for name, cfg := range bad {
		if err := cfg.Validate(); !errors.Is(err, ErrConfig) {
			t.Errorf("%s: Validate = %v, want ErrConfig", name, err)
		}
		if _, err := NewSchedule(cfg); err == nil {
			t.Errorf("%s: NewSchedule accepted %+v", name, cfg)
		}
	}
	for _, cfg := range []Config{{}, {Speed: 3}, {TopSpeed: true, Loops: -1}, {PPS: 1, Limit: 3}, {Mbps: 100, Duration: time.Second}} {
		if err := cfg.Validate(); err != nil {
			t.Errorf("Validate(%+v) = %v", cfg, err)
		}
	}
}
