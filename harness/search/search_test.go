package search

import (
	"context"
	"errors"
	"slices"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// boundary is a probe whose property holds below b, recording each probe.
func boundary(b float64, tried *[]float64) Probe {
	return func(_ context.Context, x float64) (bool, error) {
		*tried = append(*tried, x)
		return x < b, nil
	}
}

func TestDoubleThenBisect(t *testing.T) {
	for _, tc := range []struct {
		name           string
		from, max, b   float64
		next           Next
		lo, hi         float64
		tried          []float64
		doubledLo, dHi float64
	}{
		// The boundary at 11: 1..8 hold, 16 does not; bisect to 10 | 11.
		{name: "a boundary between doublings", from: 1, max: 1024, b: 11, next: Integers(0),
			lo: 10, hi: 11, tried: []float64{1, 2, 4, 8, 16, 12, 10, 11}},
		// Every value holds up to max: nothing to bisect.
		{name: "no boundary below max", from: 100, max: 300, b: 1e9, next: Integers(0),
			lo: 300, hi: 0, tried: []float64{100, 200, 300}},
		// The first probe fails: lo stays 0.
		{name: "the first probe past the boundary", from: 8, max: 64, b: 5, next: Integers(0),
			lo: 0, hi: 8, tried: []float64{8}},
		// A rate: at most 4 halvings.
		{name: "halvings", from: 100, max: 1e6, b: 1234, next: Halvings(4, 1),
			lo: 1200, hi: 1250, tried: []float64{100, 200, 400, 800, 1600, 1200, 1400, 1300, 1250}},
		// 5% precision stops early on large values.
		{name: "precision", from: 1000, max: 1e6, b: 5000, next: Integers(0.05),
			lo: 4875, hi: 5000, tried: []float64{1000, 2000, 4000, 8000, 6000, 5000, 4500, 4750, 4875}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var tried []float64
			p := boundary(tc.b, &tried)
			lo, hi, err := Double(context.Background(), tc.from, tc.max, p)
			if err == nil && lo > 0 && hi > 0 {
				lo, hi, err = Bisect(context.Background(), lo, hi, tc.next, p)
			}
			if err != nil || lo != tc.lo || hi != tc.hi || !slices.Equal(tried, tc.tried) {
				t.Errorf("bracket (%v, %v), err %v, probes %v; want (%v, %v), probes %v", lo, hi, err, tried, tc.lo, tc.hi, tc.tried)
			}
		})
	}
}

func TestErrorsStopTheSearch(t *testing.T) {
	boom := errors.New("interrupted")
	n := 0
	probe := func(_ context.Context, x float64) (bool, error) {
		if n++; n == 3 {
			return false, boom
		}
		return true, nil
	}
	if lo, _, err := Double(context.Background(), 1, 100, probe); !errors.Is(err, boom) || lo != 2 {
		t.Errorf("lo %v err %v, want 2 and the probe's error", lo, err)
	}
}
