package strategy

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/concbench/concbench/harness"
)

// indexed is a test workload whose tasks park for d and note their index.
type indexed struct {
	d   time.Duration
	mu  sync.Mutex
	ran []int
}

func (w *indexed) Batch(n, _ int) (harness.Batch, error) {
	w.ran = nil
	b := harness.Batch{Tasks: make([]harness.Task, n), Cost: harness.Cost{Units: n, Wait: time.Duration(n) * w.d, Critical: w.d}}
	for i := range b.Tasks {
		b.Tasks[i] = func(ctx context.Context, _ harness.Exec) error {
			w.mu.Lock()
			w.ran = append(w.ran, i)
			w.mu.Unlock()
			return harness.Park(ctx, w.d)
		}
	}
	return b, nil
}

// TestQueuePolicies submits 20 tasks of 30 ms at once to 2 workers behind
// a queue of 4. Block makes the producer wait and runs all 20. Reject runs
// the first 4 (the queue was empty) and at most 2 more (those the workers
// made room for while the producer ran) and turns the rest away.
// Drop-oldest runs the last 4 (nothing came after them to drop them) and
// at most 2 more (those the workers took before they were dropped),
// dropping the rest. Which tasks the workers take is a race with the
// producer, so the test asks only what every order guarantees.
func TestQueuePolicies(t *testing.T) {
	const n, limit, size = 20, 2, 4
	tests := []struct {
		policy string
		always []int // tasks that run in every order
		most   int   // the most tasks that run
		// turned away: the counter that counts the others
		counter string
	}{
		{Block, seq(0, n), n, ""},
		{Reject, seq(0, size), size + limit, "rejected"},
		{DropOldest, seq(n-size, n), size + limit, "dropped"},
	}
	for _, tt := range tests {
		t.Run(tt.policy, func(t *testing.T) {
			w := &indexed{d: 30 * time.Millisecond}
			res, err := runCell(t, context.Background(), w, n, Queue{Size: size, Policy: tt.policy}, limit, 1)
			if err != nil {
				t.Fatal(err)
			}
			r := res.Cells[0].Summary
			slices.Sort(w.ran)
			for _, i := range tt.always {
				if _, found := slices.BinarySearch(w.ran, i); !found {
					t.Fatalf("ran tasks %v: want %v among them", w.ran, tt.always)
				}
			}
			if len(w.ran) > tt.most || len(slices.Compact(slices.Clone(w.ran))) != len(w.ran) {
				t.Fatalf("ran tasks %v: want each at most once, at most %d of them", w.ran, tt.most)
			}
			c := r.Counters
			turned := map[string]float64{"rejected": 0, "dropped": 0}
			if tt.counter != "" {
				turned[tt.counter] = float64(n - len(w.ran))
			}
			if c["rejected"] != turned["rejected"] || c["dropped"] != turned["dropped"] || c["queue-peak"] != size {
				t.Errorf("counters %v, want %v and queue-peak %d", c, turned, size)
			}
			if r.NotStarted != n-len(w.ran) || r.Completed != len(w.ran) {
				t.Errorf("completed %d, never started %d; want %d and %d", r.Completed, r.NotStarted, len(w.ran), n-len(w.ran))
			}
			if r.PeakInFlight > limit {
				t.Errorf("peak in flight %d passes the %d workers", r.PeakInFlight, limit)
			}
		})
	}
}

func seq(from, to int) []int {
	var out []int
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

// TestRateLimitPaces runs 21 no-op tasks at 100 a second: with a burst of
// 1 the last starts 200 ms after the first; with a burst of 21 all start
// at once.
func TestRateLimitPaces(t *testing.T) {
	const n = 21
	paced, err := runCell(t, context.Background(), sleepy{0}, n, RateLimit{Rate: 100, Burst: 1}, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	burst, err := runCell(t, context.Background(), sleepy{0}, n, RateLimit{Rate: 100, Burst: n}, 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	p, b := paced.Cells[0].Summary, burst.Cells[0].Summary
	if p.Wall < 190*time.Millisecond || p.Wall > time.Second {
		t.Errorf("21 tasks at 100/s, burst 1, took %v, want about 200ms", p.Wall)
	}
	if b.Wall > p.Wall/4 {
		t.Errorf("a burst of 21 took %v, want well under the paced %v", b.Wall, p.Wall)
	}
	if p.Efficiency < 0.8 || p.Efficiency > 1.05 {
		t.Errorf("paced efficiency %.2f: the ideal must count the rate (%v ideal, %v wall)", p.Efficiency, p.Ideal, p.Wall)
	}
}
