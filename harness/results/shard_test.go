package results

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/harness/input"
)

// shardRuns splits samples round robin over n shards, as the shard pacer
// splits a schedule, and returns each shard's run as read back from
// results.json, and one summary of every sample together.
func shardRuns(t *testing.T, samples []Sample, n int) ([]ShardRun, Repetition) {
	t.Helper()
	began := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	plan := PlanRecord{Workloads: []WorkloadRecord{{Name: "http 4000/s", Family: "http", Params: map[string]string{"rate": "4000/s", "target": "http://127.0.0.1:1/"}}},
		Strategies: []string{"open-loop"}, Limits: []int{256}, Reps: 1}
	all := NewSummarizer()
	var runs []ShardRun
	for i := range n {
		z := NewSummarizer()
		var iv [3]Span
		for k := i; k < len(samples); k += n {
			z.Add(samples[k])
			all.Add(samples[k])
			iv[int(samples[k].End/time.Second)%3].Count(samples[k].Err != nil, false)
		}
		rep := z.Repetition(len(samples)/n, 3*time.Second)
		rep.TargetRate, rep.Began = 1000, began.Add(time.Duration(i)*time.Millisecond)
		for s, span := range iv {
			span.Scheduled = 1000
			rep.Intervals = append(rep.Intervals, Interval{Start: time.Duration(s) * time.Second, Length: time.Second, Span: span})
		}
		res := &Results{Schema: Schema, Complete: true, Plan: plan, Shard: &ShardRecord{Index: i, Count: n, StartAt: began, Slot: 15 * time.Second},
			Cells: []CellResult{{Workload: "http 4000/s", Strategy: "open-loop", Limit: 256, Complete: true, Repetitions: []Repetition{rep}}}}
		b, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		var back Results
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		runs = append(runs, ShardRun{Path: "shard" + string(rune('a'+i)), Results: &back})
	}
	return runs, all.Repetition(len(samples), 3*time.Second)
}

func testSamples(n int) []Sample {
	r := rand.New(rand.NewPCG(3, 5))
	var out []Sample
	for i := range n {
		intended := time.Duration(i) * 3 * time.Second / time.Duration(n)
		wait := time.Duration(r.ExpFloat64() * float64(100*time.Microsecond))
		service := time.Duration(float64(2*time.Millisecond) * math.Exp(r.NormFloat64()))
		s := Sample{Intended: intended, Start: intended + wait, End: intended + wait + service, Done: true}
		if i%97 == 0 {
			s.Err = errors.New("status 503")
		}
		out = append(out, s)
	}
	return out
}

// TestMergeShardsIsExact merges four shards' histograms and checks every
// quantile against one histogram of all their samples: equal, not close.
func TestMergeShardsIsExact(t *testing.T) {
	runs, want := shardRuns(t, testSamples(12_000), 4)
	res, warnings, err := MergeShards(runs, DefaultMaxSkew, []string{"bench", "merge"})
	if err != nil {
		t.Fatal(err)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings: %q", warnings)
	}
	if !res.Complete || len(res.Cells) != 1 || len(res.Cells[0].Repetitions) != 1 || len(res.Merged) != 4 {
		t.Fatalf("merged %d cells, complete %v, %d shards", len(res.Cells), res.Complete, len(res.Merged))
	}
	got := res.Cells[0].Repetitions[0]
	for name, pair := range map[string][2]Quantiles{
		"response": {got.Response, want.Response}, "ok": {got.ResponseOK, want.ResponseOK},
		"wait": {got.Wait, want.Wait}, "service": {got.Service, want.Service},
	} {
		if pair[0] != pair[1] {
			t.Errorf("%s: merged %+v, one histogram %+v", name, pair[0], pair[1])
		}
	}
	if got.Completed != want.Completed || got.Submitted != want.Submitted || got.ErrorCount() != want.ErrorCount() {
		t.Errorf("completed %d submitted %d errors %d: want %d %d %d", got.Completed, got.Submitted, got.ErrorCount(), want.Completed, want.Submitted, want.ErrorCount())
	}
	if got.TargetRate != 4000 || math.Abs(got.Throughput-want.Throughput) > 1e-6*want.Throughput {
		t.Errorf("target %v/s, achieved %v/s: want 4000 and %v", got.TargetRate, got.Throughput, want.Throughput)
	}
	if len(got.Intervals) != 3 || got.Intervals[0].Scheduled != 4000 {
		t.Fatalf("intervals %+v", got.Intervals)
	}
	sum := 0
	for _, iv := range got.Intervals {
		sum += iv.Completed
	}
	if sum != got.Completed {
		t.Errorf("intervals hold %d, the repetition %d", sum, got.Completed)
	}
	if res.Cells[0].Summary.Response != want.Response || res.Plan.Workloads[0].Tasks != want.Submitted {
		t.Errorf("summary %+v, tasks %d", res.Cells[0].Summary.Response, res.Plan.Workloads[0].Tasks)
	}
}

func TestMergeShardsRefusesOtherAttacks(t *testing.T) {
	for _, tc := range []struct {
		name, want string
		change     func(runs []ShardRun) []ShardRun
	}{
		{"not a shard", "no shard record", func(r []ShardRun) []ShardRun { r[2].Shard = nil; return r }},
		{"another rate", `rate "8000/s", not "4000/s"`, func(r []ShardRun) []ShardRun {
			r[1].Plan.Workloads[0].Params = map[string]string{"rate": "8000/s", "target": "http://127.0.0.1:1/"}
			return r
		}},
		{"another target", `target "http://127.0.0.2:1/"`, func(r []ShardRun) []ShardRun {
			r[3].Plan.Workloads[0].Params = map[string]string{"rate": "4000/s", "target": "http://127.0.0.2:1/"}
			return r
		}},
		{"another start", "starts at", func(r []ShardRun) []ShardRun { r[1].Shard.StartAt = r[1].Shard.StartAt.Add(time.Minute); return r }},
		{"another count", "shard 1 of 5", func(r []ShardRun) []ShardRun { r[1].Shard.Count = 5; return r }},
		{"twice", "shard 2 again", func(r []ShardRun) []ShardRun { r[3].Shard.Index = 2; return r }},
		{"missing", "missing shard(s) [1]", func(r []ShardRun) []ShardRun { return append(r[:1], r[2:]...) }},
		{"no histograms", "lacks some of its histograms", func(r []ShardRun) []ShardRun {
			r[0].Cells[0].Repetitions[0].Histograms.OK = nil
			return r
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			runs, _ := shardRuns(t, testSamples(400), 4)
			_, _, err := MergeShards(tc.change(runs), DefaultMaxSkew, nil)
			if _, bad := input.As(err); !bad || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v: want bad input containing %q", err, tc.want)
			}
		})
	}
}

func TestMergeShardsWarnsOfSkewAndKeepsPartialRepetitions(t *testing.T) {
	runs, _ := shardRuns(t, testSamples(400), 4)
	runs[2].Cells[0].Repetitions[0].Began = runs[2].Cells[0].Repetitions[0].Began.Add(200 * time.Millisecond)
	runs[3].Shard.Offset = 2 * time.Second
	runs[1].Cells = nil // shard 1 was interrupted before it measured anything
	res, warnings, err := MergeShards(runs, DefaultMaxSkew, nil)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(warnings, "\n")
	for _, want := range []string{"shard 3 began 2s after the start time", "began 202ms apart", "only 3 of 4 shards measured it"} {
		if !strings.Contains(all, want) {
			t.Errorf("warnings %q lack %q", warnings, want)
		}
	}
	if res.Complete || !res.Cells[0].Repetitions[0].Interrupted || res.Cells[0].Complete {
		t.Errorf("complete %v, interrupted %v: a repetition with a shard missing is not whole", res.Complete, res.Cells[0].Repetitions[0].Interrupted)
	}
}
