package harness

import (
	"context"
	"errors"
	"testing"

	"github.com/concbench/concbench/harness/results"
)

// TestRepeat: the repetition loop's rules, which bench run and bench
// attack share.
func TestRepeat(t *testing.T) {
	measured := func(rep int) results.Repetition { return results.Repetition{Core: results.Core{Completed: 10 + rep}} }
	failing := errors.New("the output failed")
	cases := []struct {
		name      string
		run       func(cancel context.CancelFunc, rep int) (results.Repetition, error)
		kept      []int // each kept repetition's Completed
		marks     []string
		complete  bool
		wantError bool
	}{
		{"whole", func(_ context.CancelFunc, rep int) (results.Repetition, error) { return measured(rep), nil },
			[]int{11, 12, 13}, []string{"", "", ""}, true, false},
		{"an error keeps what the cut repetition measured", func(_ context.CancelFunc, rep int) (results.Repetition, error) {
			if rep == 2 {
				return measured(rep), failing
			}
			return measured(rep), nil
		}, []int{11, 12}, []string{"", "interrupted"}, false, true},
		{"an error with nothing measured keeps nothing", func(_ context.CancelFunc, rep int) (results.Repetition, error) {
			if rep == 3 {
				return results.Repetition{}, failing
			}
			return measured(rep), nil
		}, []int{11, 12}, []string{"", ""}, false, true},
		{"a warm-up cut short is all there is", func(cancel context.CancelFunc, rep int) (results.Repetition, error) {
			cancel()
			return measured(rep), nil
		}, []int{10}, []string{"interrupted warmup"}, false, false},
	}
	for _, c := range cases {
		ctx, cancel := context.WithCancel(context.Background())
		var sawKept []int
		kept, complete, err := Repeat(ctx, 1, 3, func(rep int, before []results.Repetition) (results.Repetition, error) {
			sawKept = append(sawKept, len(before))
			return c.run(cancel, rep)
		})
		cancel()
		var got []int
		var marks []string
		for _, r := range kept {
			got = append(got, r.Completed)
			mark := ""
			if r.Interrupted {
				mark = "interrupted"
			}
			if r.Warmup {
				mark += " warmup"
			}
			marks = append(marks, mark)
		}
		if len(got) != len(c.kept) || complete != c.complete || (err != nil) != c.wantError {
			t.Errorf("%s: kept %v, complete %v, err %v; want %v, %v, error %v", c.name, got, complete, err, c.kept, c.complete, c.wantError)
			continue
		}
		for i := range got {
			if got[i] != c.kept[i] || marks[i] != c.marks[i] {
				t.Errorf("%s: kept %v marked %q; want %v marked %q", c.name, got, marks, c.kept, c.marks)
			}
		}
		if c.name == "whole" && (len(sawKept) != 4 || sawKept[0] != 0 || sawKept[1] != 0 || sawKept[3] != 2) {
			t.Errorf("run saw %v repetitions kept before each; want 0 (warm-up), 0, 1, 2", sawKept)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if kept, complete, err := Repeat(ctx, 0, 3, func(int, []results.Repetition) (results.Repetition, error) {
		t.Error("ran after ctx was done")
		return results.Repetition{}, nil
	}); len(kept) != 0 || complete || err != nil {
		t.Errorf("done before: kept %d, complete %v, err %v", len(kept), complete, err)
	}
}
