package results

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"time"

	"github.com/concbench/concbench/harness/input"
)

// ShardRecord says which shard of a sharded attack a run is: shard Index
// of Count sends every Count-th request of the attack's schedule, from
// request Index, so that the shards together send the whole schedule.
type ShardRecord struct {
	Index int `json:"index"`
	Count int `json:"count"`
	// StartAt is when the shards were to begin their first attack
	// (-start-at); zero when each began when it was started.
	StartAt time.Time `json:"start_at,omitzero"`
	// Slot is how far apart a shard's attacks begin, so that the shards'
	// later attacks begin together too.
	Slot time.Duration `json:"slot_ns"`
	// Offset is how late the shard began its first attack after StartAt,
	// by its own clock.
	Offset time.Duration `json:"offset_ns"`
}

// MergedShard is one shard of a merged run: the folder its run was read
// from, which shard it was, and the machine it ran on.
type MergedShard struct {
	Path  string      `json:"path"`
	Shard ShardRecord `json:"shard"`
	Env   Environment `json:"env"`
}

// ShardRun is one shard's results and the folder they were read from.
type ShardRun struct {
	Path string
	*Results
}

// DefaultMaxSkew is how far apart shards may begin an attack before
// MergeShards warns: beyond it their seconds no longer line up, and the
// per-second figures blur.
const DefaultMaxSkew = 50 * time.Millisecond

// MergeShards merges the runs of every shard of one sharded attack into
// the results of one run, as if one generator had sent the whole
// schedule. Histograms are added, never averaged, so every percentile is
// the one of all the shards' requests together; counts and achieved rates
// (each over its shard's window) add up. The intervals' and stages' counts
// add up by index, and so do the stages' histograms; the intervals' live
// in the interval logs, from which the caller sets their p50 and p99
// (Interval.SetTimes).
//
// It refuses, as bad input naming the shard's folder, runs that are not shards, shards of different
// attacks (another plan, schedule, target or start), and a set that lacks
// a shard or holds one twice. It warns when shards began an attack more
// than maxSkew apart. A repetition that a shard did not finish is kept,
// marked interrupted, and the merged run incomplete.
func MergeShards(runs []ShardRun, maxSkew time.Duration, args []string) (*Results, []string, error) {
	if len(runs) == 0 {
		return nil, nil, &input.Error{Problem: "merge: no shard folders given"}
	}
	runs = slices.Clone(runs)
	for _, r := range runs {
		if r.Shard == nil {
			return nil, nil, &input.Error{Problem: "shard " + r.Path + ": not the run of a shard (it has no shard record); bench attack -shards N writes one"}
		}
	}
	sort.SliceStable(runs, func(i, j int) bool { return runs[i].Shard.Index < runs[j].Shard.Index })
	if err := checkShards(runs); err != nil {
		return nil, nil, err
	}
	first := runs[0]
	out := &Results{Schema: Schema, Complete: true, Env: first.Env, Plan: first.Plan, Scenario: first.Scenario}
	out.Plan.Workloads = slices.Clone(first.Plan.Workloads)
	out.Env.CommandLine = args
	var warnings []string
	for _, r := range runs {
		out.Complete = out.Complete && r.Complete
		if r.Env.Start.Before(out.Env.Start) {
			out.Env.Start = r.Env.Start
		}
		out.Merged = append(out.Merged, MergedShard{Path: r.Path, Shard: *r.Shard, Env: r.Env})
		if !r.Shard.StartAt.IsZero() && r.Shard.Offset > maxSkew {
			warnings = append(warnings, fmt.Sprintf("shard %d began %v after the start time (more than the %v allowed): it was started late, or its clock is off",
				r.Shard.Index, r.Shard.Offset.Round(time.Millisecond), maxSkew))
		}
	}
	for _, name := range cellNames(runs) {
		cell, ws, err := mergeCell(runs, name, maxSkew)
		if err != nil {
			return nil, nil, err
		}
		warnings = append(warnings, ws...)
		out.Complete = out.Complete && cell.Complete
		out.Cells = append(out.Cells, cell)
	}
	for i := range out.Plan.Workloads {
		w := &out.Plan.Workloads[i]
		for _, c := range out.Cells {
			if c.Workload == w.Name {
				w.Tasks = c.Tasks
			}
		}
	}
	return out, warnings, nil
}

// checkShards refuses shards (sorted by index) of different attacks, and
// a set that lacks a shard or holds one twice.
func checkShards(runs []ShardRun) error {
	first := runs[0]
	count := first.Shard.Count
	for i, r := range runs {
		bad := func(format string, args ...any) error {
			return &input.Error{Problem: "shard " + r.Path + ": " + fmt.Sprintf(format, args...)}
		}
		s := r.Shard
		switch {
		case s.Count != count:
			return bad("shard %d of %d, but %s is a shard of %d", s.Index, s.Count, first.Path, count)
		case i > 0 && s.Index == runs[i-1].Shard.Index:
			return bad("shard %d again (%s is shard %d too)", s.Index, runs[i-1].Path, s.Index)
		case !s.StartAt.Equal(first.Shard.StartAt):
			return bad("starts at %s, but %s starts at %s", stamp(s.StartAt), first.Path, stamp(first.Shard.StartAt))
		case s.Slot != first.Shard.Slot:
			return bad("begins its attacks %v apart, but %s %v apart", s.Slot, first.Path, first.Shard.Slot)
		}
		if d := planDifference(first.Plan, r.Plan); d != "" {
			return bad("another attack than %s's: %s", first.Path, d)
		}
	}
	if len(runs) != count {
		var missing []int
		have := map[int]bool{}
		for _, r := range runs {
			have[r.Shard.Index] = true
		}
		for i := range count {
			if !have[i] {
				missing = append(missing, i)
			}
		}
		return &input.Error{Problem: fmt.Sprintf("merge: %d of %d shards given; missing shard(s) %v", len(runs), count, missing)}
	}
	return nil
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "once started (no -start-at)"
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// planDifference names the first way plan b differs from plan a, or "".
// Tasks differ between shards and are left out.
func planDifference(a, b PlanRecord) string {
	if len(a.Workloads) != len(b.Workloads) {
		return fmt.Sprintf("%d workloads, not %d", len(b.Workloads), len(a.Workloads))
	}
	for i, wa := range a.Workloads {
		wb := b.Workloads[i]
		keys := map[string]bool{}
		for k := range wa.Params {
			keys[k] = true
		}
		for k := range wb.Params {
			keys[k] = true
		}
		for _, k := range slices.Sorted(maps.Keys(keys)) {
			if wa.Params[k] != wb.Params[k] {
				return fmt.Sprintf("%s %q, not %q", k, wb.Params[k], wa.Params[k])
			}
		}
		wa.Tasks, wb.Tasks, wa.Params, wb.Params = 0, 0, nil, nil
		if !reflect.DeepEqual(wa, wb) {
			return fmt.Sprintf("workload %+v, not %+v", wb, wa)
		}
	}
	a.Workloads, b.Workloads = nil, nil
	if !reflect.DeepEqual(a, b) {
		return fmt.Sprintf("plan %+v, not %+v", b, a)
	}
	return ""
}

// cellNames are the cells of every run, in the order they ran.
func cellNames(runs []ShardRun) []string {
	var names []string
	for _, r := range runs {
		for _, c := range r.Cells {
			if !slices.Contains(names, c.Name()) {
				names = append(names, c.Name())
			}
		}
	}
	return names
}

// mergeCell merges cell name's repetitions across the shards, one by one.
func mergeCell(runs []ShardRun, name string, maxSkew time.Duration) (CellResult, []string, error) {
	var out CellResult
	var parts [][]Repetition // by repetition, each shard's
	complete := true
	for _, r := range runs {
		i := slices.IndexFunc(r.Cells, func(c CellResult) bool { return c.Name() == name })
		if i < 0 {
			complete = false
			continue
		}
		c := r.Cells[i]
		if out.Workload == "" {
			out = CellResult{Workload: c.Workload, Strategy: c.Strategy, Limit: c.Limit}
		}
		complete = complete && c.Complete
		for k, rep := range c.Repetitions {
			if !mergeable(rep) {
				return out, nil, &input.Error{Problem: "shard " + r.Path + ": " + fmt.Sprintf("%s repetition %d lacks some of its histograms (written by an older concbench): its percentiles cannot merge", name, k+1)}
			}
			for len(parts) <= k {
				parts = append(parts, nil)
			}
			parts[k] = append(parts[k], rep)
		}
	}
	var warnings []string
	for k, reps := range parts {
		rep := mergeReps(reps)
		if len(reps) < len(runs) {
			rep.Interrupted = true
			warnings = append(warnings, fmt.Sprintf("%s repetition %d: only %d of %d shards measured it; kept, marked interrupted", name, k+1, len(reps), len(runs)))
		}
		if skew := beganSpread(reps); skew > maxSkew {
			warnings = append(warnings, fmt.Sprintf("%s repetition %d: the shards began %v apart (more than the %v allowed), so their seconds do not line up", name, k+1, skew.Round(time.Millisecond), maxSkew))
		}
		complete = complete && !rep.Interrupted
		out.Repetitions = append(out.Repetitions, rep)
		out.Tasks = rep.Submitted
	}
	out.Complete = complete
	out.Summary = Combine(Summarized(out.Repetitions))
	return out, warnings, nil
}

// mergeable reports whether r keeps every histogram a merge adds up.
func mergeable(r Repetition) bool {
	if r.Histograms == nil || r.Histograms.OK == nil {
		return false
	}
	for _, st := range r.Stages {
		if st.Histogram == nil {
			return false
		}
	}
	return true
}

// beganSpread is how far apart the first and last of reps began.
func beganSpread(reps []Repetition) time.Duration {
	var lo, hi time.Time
	for _, r := range reps {
		if r.Began.IsZero() {
			continue
		}
		if lo.IsZero() || r.Began.Before(lo) {
			lo = r.Began
		}
		if r.Began.After(hi) {
			hi = r.Began
		}
	}
	return hi.Sub(lo)
}

// mergeReps merges one repetition of each shard, each sub-record by its
// own rule: scalars as their rule tags say (counts, rates and resources
// add up; the wall time is the longest shard's), errors and counters
// summed, histograms added and the quantiles read from the sums, Began
// the earliest, intervals and stages added by index.
func mergeReps(reps []Repetition) Repetition {
	out := Repetition{
		Core:     byRules(parts(reps, func(r Repetition) Core { return r.Core }), merging),
		OpenLoop: byRules(parts(reps, func(r Repetition) OpenLoop { return r.OpenLoop }), merging),
		Runtime:  byRules(parts(reps, func(r Repetition) Runtime { return r.Runtime }), merging),
	}
	hs := NewHistograms()
	for _, r := range reps {
		if out.Began.IsZero() || r.Began.Before(out.Began) {
			out.Began = r.Began
		}
		out.Interrupted = out.Interrupted || r.Interrupted
		out.Errors = addCounts(out.Errors, r.Errors)
		for k, v := range r.Counters {
			if out.Counters == nil {
				out.Counters = Counters{}
			}
			out.Counters[k] += v
		}
		for _, s := range r.PanicStacks {
			if len(out.PanicStacks) < keptStacks {
				out.PanicStacks = append(out.PanicStacks, s)
			}
		}
		if r.Histograms != nil {
			hs.Merge(r.Histograms)
		}
	}
	out.Histograms = hs
	out.Response, out.Wait, out.Service, out.ResponseOK = hs.Response.Quantiles(), hs.Wait.Quantiles(), hs.Service.Quantiles(), hs.OK.Quantiles()
	out.Intervals = mergeIntervals(reps)
	out.Stages = mergeStages(reps)
	return out
}

func addCounts(into, from map[string]int) map[string]int {
	for k, n := range from {
		if into == nil {
			into = map[string]int{}
		}
		into[k] += n
	}
	return into
}

// mergeIntervals adds the shards' intervals up by index: each shard's
// second i is the same second of the attack. Their errors by kind and
// requests in flight add up; their max is the shards' largest; p50 and
// p99 are left to SetTimes.
func mergeIntervals(reps []Repetition) []Interval {
	var out []Interval
	for _, r := range reps {
		for i, iv := range r.Intervals {
			if i == len(out) {
				out = append(out, Interval{Start: iv.Start, Length: iv.Length})
			}
			out[i].add(iv.Span)
			out[i].Max = max(out[i].Max, iv.Max)
			out[i].InFlight += iv.InFlight
			for k, n := range iv.ErrorKinds {
				if out[i].ErrorKinds == nil {
					out[i].ErrorKinds = map[string]int{}
				}
				out[i].ErrorKinds[k] += n
			}
		}
	}
	return out
}

// mergeStages adds the shards' stages up by index, histograms included.
func mergeStages(reps []Repetition) []StageResult {
	var out []StageResult
	for _, r := range reps {
		for i, st := range r.Stages {
			if i == len(out) {
				out = append(out, StageResult{Start: st.Start, End: st.End, From: st.From, To: st.To, Histogram: NewHistogram()})
			}
			out[i].add(st.Span)
			out[i].Histogram.Merge(st.Histogram)
		}
	}
	for i := range out {
		out[i].Times(out[i].Histogram)
	}
	return out
}

// add adds o's counts to s's.
func (s *Span) add(o Span) {
	s.Scheduled += o.Scheduled
	s.Completed += o.Completed
	s.Errors += o.Errors
	s.Late += o.Late
}

// SetTimes sets the interval's p50 and p99 from h, its histogram as the
// interval log kept it; its max, kept exact, stays, and bounds them as
// it bounds a live histogram's.
func (iv *Interval) SetTimes(h *Histogram) {
	iv.P50, iv.P99 = min(h.Quantile(0.5), iv.Max), min(h.Quantile(0.99), iv.Max)
}
