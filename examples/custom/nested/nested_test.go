package nested

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/strategy"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestNewRefusesBadTrees(t *testing.T) {
	tests := []struct {
		tree string
		want string
	}{
		{"[1,[2", "tree: \"[1,[2\" is not a JSON list"},           // broken JSON
		{"[[],[[]]]", "tree: \"[[],[[]]]\" has no number"},        // lists only
		{`[1,"two"]`, "tree: two is neither a number nor a list"}, // a string
		{"7", "is not a JSON list"},                               // not a list
	}
	for _, tt := range tests {
		if _, err := New(tt.tree, time.Millisecond); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("New(%q) = %v, want %q", tt.tree, err, tt.want)
		}
	}
	if _, err := New("[1]", 0); err == nil || !strings.HasPrefix(err.Error(), "latency:") {
		t.Errorf("a zero latency: %v", err)
	}
}

// TestWallsFollowTheShape runs the default tree with 20 ms leaves: six
// leaves one after another, all at once, or two at a time.
func TestWallsFollowTheShape(t *testing.T) {
	w, err := New("[1,[2,3,[4,5]],6]", 20*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	p, err := harness.NewPlan(harness.PlanConfig{
		Workloads:  []harness.PlannedWorkload{{Name: "nested", Family: "nested", Tasks: 1, Workload: w}},
		Strategies: []harness.Strategy{strategy.Sequential{}, strategy.Unbounded{}, strategy.Semaphore{}},
		Limits:     []int{2}, Reps: 3,
	})
	if err != nil {
		t.Fatal(err)
	}
	var r harness.Runner
	res, err := r.Run(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Duration{"sequential": 120 * time.Millisecond, "unbounded": 20 * time.Millisecond, "semaphore": 60 * time.Millisecond}
	for _, c := range res.Cells {
		s := c.Summary
		if s.ErrorCount() != 0 || s.Ideal != want[c.Strategy] {
			t.Errorf("%s: errors %v, ideal %v; want none and %v", c.Strategy, s.Errors, s.Ideal, want[c.Strategy])
		}
		if s.Wall < want[c.Strategy] || float64(s.Wall) > 1.5*float64(want[c.Strategy]) {
			t.Errorf("%s: wall %v, want about %v", c.Strategy, s.Wall, want[c.Strategy])
		}
	}
}
