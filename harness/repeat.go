package harness

import (
	"context"

	"github.com/concbench/concbench/harness/results"
)

// Repeat runs a cell's repetitions: the one loop that bench run's runner
// and an attack's sweep share. It runs warmup repetitions, whose figures
// it discards, then reps it keeps, each through run, which gets the
// repetition's index from 0 and the repetitions kept so far. It stops at
// run's first error, or once ctx is done, keeping the repetition cut
// short when it measured anything, marked Interrupted (and Warmup when it
// was a warm-up: then it is all there is). complete says that every
// repetition ran whole.
func Repeat(ctx context.Context, warmup, reps int, run func(rep int, kept []results.Repetition) (results.Repetition, error)) (kept []results.Repetition, complete bool, err error) {
	for rep := range warmup + reps {
		if ctx.Err() != nil {
			return kept, false, nil
		}
		m, err := run(rep, kept)
		if err != nil || ctx.Err() != nil {
			if m.Completed > 0 {
				m.Interrupted, m.Warmup = true, rep < warmup
				kept = append(kept, m)
			}
			return kept, false, err
		}
		if rep >= warmup {
			kept = append(kept, m)
		}
	}
	return kept, true, nil
}
