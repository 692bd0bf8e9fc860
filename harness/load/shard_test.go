package load

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/concbench/concbench/harness/results"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// walk is every intended send time of pacer p over du.
func walk(p vegeta.Pacer, du time.Duration) []time.Duration {
	s := newSchedule(p, du)
	var out []time.Duration
	for {
		t, ok := s.step()
		if !ok {
			return out
		}
		out = append(out, t)
	}
}

// TestShardsUnionIsTheSchedule walks each shard's schedule and checks
// that together they are the whole one: every send time, each in exactly
// one shard, for every pacer kind.
func TestShardsUnionIsTheSchedule(t *testing.T) {
	rate := vegeta.Rate{Freq: 1000, Per: time.Second}
	for _, p := range []Pacing{
		{Kind: "constant", Rate: rate},
		{Kind: "linear", Rate: rate, Slope: 500},
		{Kind: "sine", Rate: rate, Period: time.Second, Amp: vegeta.Rate{Freq: 500, Per: time.Second}},
		{Kind: "stages", Stages: []Stage{{Duration: time.Second, Target: 1000}, {Duration: time.Second, Target: 3000}}},
	} {
		whole, err := p.Pacer()
		if err != nil {
			t.Fatal(err)
		}
		want := walk(whole, 2*time.Second)
		for _, n := range []int{1, 3, 4} {
			var union []time.Duration
			for i := range n {
				part := walk(Shard{Index: i, Count: n}.Pacer(whole), 2*time.Second)
				if d := len(part) - len(want)/n; d < -1 || d > 1 {
					t.Errorf("%s, shard %d of %d: %d hits of %d", p.Kind, i, n, len(part), len(want))
				}
				union = append(union, part...)
			}
			slices.Sort(union)
			if len(union) != len(want) {
				t.Errorf("%s in %d shards: %d hits together, the whole %d", p.Kind, n, len(union), len(want))
				continue
			}
			for k := range want {
				if union[k] != want[k] {
					t.Errorf("%s in %d shards: hit %d at %v, the whole sends it at %v", p.Kind, n, k, union[k], want[k])
					break
				}
			}
		}
	}
}

func TestShardShareOfStages(t *testing.T) {
	p := Pacing{Kind: "stages", Stages: []Stage{{Duration: 1500 * time.Millisecond, Target: 701}, {Duration: time.Second, Target: 0}}}
	whole := newStageTally(p, Shard{}).out
	sum := make([]int, len(whole))
	for i := range 3 {
		for k, st := range newStageTally(p, Shard{Index: i, Count: 3}).out {
			sum[k] += st.Scheduled
		}
	}
	for k := range whole {
		if sum[k] != whole[k].Scheduled {
			t.Errorf("stage %d: shards schedule %d together, the whole %d", k, sum[k], whole[k].Scheduled)
		}
	}
}

// TestShardedSweepBeginsInItsSlots runs a sweep of two attacks as shard 1
// of 2: each attack gets the shard's pacer and begins in its slot, and
// the results record the shard and its offset.
func TestShardedSweepBeginsInItsSlots(t *testing.T) {
	start := time.Now().Add(150 * time.Millisecond)
	var began []time.Time
	s := &Sweep{
		Attack: Attack{Duration: 50 * time.Millisecond, MaxWorkers: 4},
		Reps:   2,
		Shard:  Shard{Index: 1, Count: 2, StartAt: start, Slot: 200 * time.Millisecond},
		attack: func(_ context.Context, a Attack, _ Output) (results.Repetition, error) {
			if a.Shard.Index != 1 || a.Shard.Count != 2 {
				t.Errorf("attack as shard %+v", a.Shard)
			}
			if now := time.Now(); a.Shard.StartAt.Equal(start) && now.After(a.BeginAt) {
				t.Errorf("attack called %v after its start: no time to prepare", now.Sub(a.BeginAt))
			}
			began = append(began, a.BeginAt) // Attack.Run waits for it
			return results.Repetition{Core: results.Core{Completed: 1, Submitted: 1}, OpenLoop: results.OpenLoop{Began: a.BeginAt}}, nil
		},
	}
	res, _, err := s.Rates(context.Background(), []vegeta.Rate{{Freq: 100, Per: time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	if len(began) != 2 {
		t.Fatalf("%d attacks", len(began))
	}
	for k, b := range began {
		if slot := start.Add(time.Duration(k) * 200 * time.Millisecond); !b.Equal(slot) {
			t.Errorf("attack %d begins %v after its slot", k, b.Sub(slot))
		}
	}
	sh := res.Shard
	if sh == nil || sh.Index != 1 || sh.Count != 2 || !sh.StartAt.Equal(start) || sh.Offset != began[0].Sub(start) {
		t.Errorf("shard record %+v", sh)
	}
	// Shards started without a start time record none, so that their
	// runs agree; their slots count from their own start.
	s.Shard.StartAt, s.attacks, began = time.Time{}, 0, nil
	if res, _, err = s.Rates(context.Background(), []vegeta.Rate{{Freq: 100, Per: time.Second}}); err != nil || !res.Shard.StartAt.IsZero() || len(began) != 2 || began[1].Sub(began[0]) != 200*time.Millisecond {
		t.Errorf("without a start time: recorded %v, %d attacks, %v", res.Shard.StartAt, len(began), err)
	}
	if _, _, err := s.Search(context.Background(), vegeta.Rate{Freq: 1, Per: time.Second}, vegeta.Rate{Freq: 2, Per: time.Second}); err == nil {
		t.Error("a sharded search ran")
	}
}
