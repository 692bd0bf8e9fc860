package dist

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		d    Dist
		want string // a fragment of the error; "" for none
	}{
		{Dist{Kind: "constant", Median: time.Millisecond}, ""},
		{Dist{Kind: "lognormal", Median: time.Millisecond, Spread: 3}, ""},
		{Dist{Kind: "constant"}, "latency: 0s is out of range"},
		{Dist{Kind: "constant", Median: 2 * MaxLatency}, "latency: 2h0m0s is out of range"},
		{Dist{Kind: "pareto", Median: time.Millisecond}, `dist: "pareto" is not one of`},
		{Dist{Kind: "uniform", Median: time.Millisecond, Spread: 1}, "spread: 1 must be below 1"},
		{Dist{Kind: "lognormal", Median: time.Millisecond, Spread: 3.5}, "spread: 3.5 is above 3"},
		{Dist{Kind: "constant", Median: time.Millisecond, Spread: -1}, "spread: -1 must be >= 0"},
	} {
		err := tc.d.Validate()
		if (tc.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.d, err, tc.want)
		}
	}
}

// TestDraw: a constant draws its median; a uniform stays within median
// ± spread and centres on it; a lognormal's draws are capped at
// MaxLatency.
func TestDraw(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	if got := (Dist{Kind: "constant", Median: time.Millisecond}).Draw(r); got != time.Millisecond {
		t.Errorf("constant drew %v", got)
	}
	u := Dist{Kind: "uniform", Median: 10 * time.Millisecond, Spread: 0.5}
	var sum time.Duration
	for range 10_000 {
		v := u.Draw(r)
		if v < 5*time.Millisecond || v > 15*time.Millisecond {
			t.Fatalf("uniform drew %v, outside 5ms..15ms", v)
		}
		sum += v
	}
	if mean := sum / 10_000; mean < 9800*time.Microsecond || mean > 10200*time.Microsecond {
		t.Errorf("uniform mean %v, want about 10ms", mean)
	}
	l := Dist{Kind: "lognormal", Median: 50 * time.Minute, Spread: 3}
	for range 1000 {
		if v := l.Draw(nil); v > MaxLatency {
			t.Fatalf("lognormal drew %v, past the cap", v)
		}
	}
}
