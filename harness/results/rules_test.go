package results

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestEveryScalarHasItsRules: a scalar metric of a repetition without a
// rule tag would be dropped from summaries and merged shards silently (as
// peak_blocked was from merged shards before the rules lived in tags).
func TestEveryScalarHasItsRules(t *testing.T) {
	valid := map[string]bool{"median": true, "sum": true, "max": true, "min": true, "none": true}
	for _, sub := range []any{Core{}, OpenLoop{}, Runtime{}} {
		typ := reflect.TypeOf(sub)
		for i := range typ.NumField() {
			f := typ.Field(i)
			switch f.Type.Kind() {
			case reflect.Int, reflect.Int64, reflect.Uint64, reflect.Float64:
			default:
				continue
			}
			tag, ok := f.Tag.Lookup("rule")
			rules := strings.Split(tag, ",")
			if !ok || len(rules) != 2 || !valid[rules[0]] || !valid[rules[1]] {
				t.Errorf("%s.%s: rule tag %q, want two of median, sum, max, min, none", typ.Name(), f.Name, tag)
			}
		}
	}
}

// TestRulesCombineAndMerge: over repetitions a peak is the median; over
// shards, peaks add up and the wall time is the longest.
func TestRulesCombineAndMerge(t *testing.T) {
	reps := []Repetition{
		{Core: Core{Wall: 3 * time.Second, Submitted: 10}, Runtime: Runtime{PeakBlocked: 5, Stall: time.Millisecond}},
		{Core: Core{Wall: time.Second, Submitted: 10}, Runtime: Runtime{PeakBlocked: 1, Stall: 3 * time.Millisecond}},
		{Core: Core{Wall: 2 * time.Second, Submitted: 10}, Runtime: Runtime{PeakBlocked: 2, Stall: 2 * time.Millisecond}},
	}
	c := Combine(reps)
	if c.Wall != 2*time.Second || c.PeakBlocked != 2 || c.Submitted != 10 || c.Stall != 2*time.Millisecond {
		t.Errorf("combined wall %v, blocked %d, submitted %d, stall %v; want the medians 2s, 2, 10, 2ms", c.Wall, c.PeakBlocked, c.Submitted, c.Stall)
	}
	m := mergeReps(reps)
	if m.Wall != 3*time.Second || m.PeakBlocked != 8 || m.Submitted != 30 || m.Stall != 3*time.Millisecond {
		t.Errorf("merged wall %v, blocked %d, submitted %d, stall %v; want 3s (longest), 8 and 30 (sums), 3ms (worst)", m.Wall, m.PeakBlocked, m.Submitted, m.Stall)
	}
}
