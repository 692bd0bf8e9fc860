package load

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/secret"

	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/search"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Sweep attacks one target at several rates, or searches for the highest
// rate that meets an SLO, and assembles the run's results: one cell per
// rate, named "http <rate>", with Reps attacks each.
type Sweep struct {
	Attack   Attack                 // the request, duration and workers; Pacing.At sets each rate
	Reps     int                    // attacks per rate, at least 1
	Workload results.WorkloadRecord // the http workload the request comes from
	SLO      results.SLO            // optional: the verdict's SLO; required by Search
	Args     []string               // the command line, for the environment
	// Shard, when it is one of several, makes every attack of the sweep
	// send the shard's part of its schedule, beginning at the shard's
	// slot; the results record the shard. Search and Users refuse it.
	Shard Shard
	// Progress, when set, is called as each attack begins (a shard's,
	// once its slot comes).
	Progress func(rate vegeta.Rate, rep int)
	// Open, when set, opens the output of each attack (the run folder's
	// files), which receives the results as they arrive and is closed when
	// the attack ends; its errors stop the sweep.
	Open func(rate vegeta.Rate, rep int) (Sink, error)
	// Checkpoint, when set, receives the run's results so far once a
	// second of each open-loop attack, the attack in progress as an
	// interrupted repetition, to be kept in case the process dies. It is
	// called on the attack's goroutine and should not block.
	Checkpoint func(*results.Results)

	attack  func(context.Context, Attack, Output) (results.Repetition, error) // nil: Attack.Run; tests replace it
	attacks int                                                               // attacks begun, for the shard's slots
}

// A Sink is an attack's Output that is closed when the attack ends.
type Sink interface {
	Output
	// Close ends the output with the attack's repetition; kept is false
	// when the attack measured nothing or failed, and then the output is
	// not published.
	Close(rep results.Repetition, kept bool) error
}

// Rates attacks at each rate in turn. With an SLO it also returns a
// verdict naming the highest rate whose attacks meet it. On error (ctx
// done, an output failed) it returns what it measured, marked incomplete.
func (s *Sweep) Rates(ctx context.Context, rates []vegeta.Rate) (*results.Results, string, error) {
	res := s.results() // records the start time given, if any
	if s.Shard.Sharded() && s.Shard.StartAt.IsZero() {
		s.Shard.StartAt = time.Now() // the slots count from here
	}
	for _, r := range rates {
		if _, err := s.at(ctx, res, r); err != nil {
			return res, "", err
		}
	}
	res.Complete = true
	if s.SLO == nil {
		return res, "", nil
	}
	return res, highestMeeting(s.SLO, res.Cells), nil
}

// SearchSteps is how many times Search halves the gap between the highest
// rate that met the SLO and the lowest that did not.
const SearchSteps = 4

// Search looks for the maximum sustainable rate: it doubles the rate from
// start while the SLO holds (up to limit), then halves the gap between the
// highest rate that held and the lowest that failed SearchSteps times. The
// verdict names the highest rate tried that met the SLO. Each step is one
// attack of Reps repetitions: about (doublings + 4) x Reps x Duration.
func (s *Sweep) Search(ctx context.Context, start, limit vegeta.Rate) (*results.Results, string, error) {
	if s.SLO == nil {
		return nil, "", fmt.Errorf("load: Search needs an SLO")
	}
	if s.Shard.Sharded() {
		return nil, "", errors.New("load: a search cannot be sharded: each shard would choose its own rates")
	}
	res := s.results()
	meets := func(perSec float64) (bool, error) {
		c, err := s.at(ctx, res, perSecond(perSec))
		return err == nil && len(s.SLO.CheckReps(c.Repetitions)) == 0, err
	}
	meetsAt := func(_ context.Context, perSec float64) (bool, error) { return meets(perSec) }
	lo, hi, err := search.Double(ctx, PerSecond(start), PerSecond(limit), meetsAt)
	if err != nil {
		return res, "", err
	}
	if hi == 0 {
		res.Complete = true
		return res, fmt.Sprintf("maximum sustainable rate: at least %s (the -max-rate) meets %s", FormatRate(perSecond(lo)), s.SLO), nil
	}
	if lo > 0 {
		if lo, hi, err = search.Bisect(ctx, lo, hi, search.Halvings(SearchSteps, 1), meetsAt); err != nil {
			return res, "", err
		}
	}
	res.Complete = true
	if lo == 0 {
		return res, fmt.Sprintf("maximum sustainable rate: none; %s already fails %s", FormatRate(perSecond(hi)), s.SLO), nil
	}
	return res, fmt.Sprintf("maximum sustainable rate: %s meets %s (%s does not)", FormatRate(perSecond(lo)), s.SLO, FormatRate(perSecond(hi))), nil
}

// name is what the sweep's cells are named after: its workload's name,
// "http" by default.
func (s *Sweep) name() string {
	if s.Workload.Name == "" {
		return "http"
	}
	return s.Workload.Name
}

// results starts the run's results.
func (s *Sweep) results() *results.Results {
	res := results.New(s.Args, results.PlanRecord{Strategies: []string{"open-loop"}, Limits: []int{int(s.Attack.MaxWorkers)}, Reps: s.Reps})
	if sh := s.Shard; sh.Sharded() {
		res.Shard = &results.ShardRecord{Index: sh.Index, Count: sh.Count, StartAt: sh.StartAt.UTC(), Slot: sh.Slot}
	}
	return res
}

// at attacks Reps times at rate and adds the cell (and its workload) to
// res, unless nothing was measured.
func (s *Sweep) at(ctx context.Context, res *results.Results, rate vegeta.Rate) (results.CellResult, error) {
	a := s.Attack
	a.Pacing = a.Pacing.At(rate)
	a.Shard = s.Shard
	name := s.name() + " " + FormatRate(rate)
	if a.Pacing.Kind == "stages" {
		name = s.name() + " stages"
	}
	attack := s.attack
	if attack == nil {
		attack = func(ctx context.Context, a Attack, out Output) (results.Repetition, error) { return a.Run(ctx, out) }
	}
	cell := results.CellResult{Workload: name, Strategy: "open-loop", Limit: int(a.MaxWorkers)}
	return s.repeat(ctx, res, cell, rate, attackParams(s.Workload.Params, a), func(ctx context.Context, out Output) (results.Repetition, error) {
		a := a
		a.BeginAt = s.Shard.begin(s.attacks - 1) // repeat counted this attack
		return attack(ctx, a, out)
	})
}

// Users runs closed-loop ramping users Reps times, as one cell "http
// users" of strategy closed-loop whose limit is the most users of any
// stage.
func (s *Sweep) Users(ctx context.Context, u Users) (*results.Results, error) {
	if s.Shard.Sharded() {
		return nil, errors.New("load: closed-loop users cannot be sharded: they follow no schedule")
	}
	res := s.results()
	most := MostUsers(u.Stages)
	res.Plan.Strategies, res.Plan.Limits = []string{"closed-loop"}, []int{most}
	params := map[string]string{}
	for k, v := range s.Workload.Params {
		params[k] = v
	}
	params["users"] = FormatStages(u.Stages)
	cell := results.CellResult{Workload: s.name() + " users", Strategy: "closed-loop", Limit: most}
	if _, err := s.repeat(ctx, res, cell, vegeta.Rate{}, params, u.Run); err != nil {
		return res, err
	}
	res.Complete = true
	return res, nil
}

// repeat runs run Reps times, each with an output from Open, and adds the
// cell and its workload (with params) to res, unless nothing was measured.
func (s *Sweep) repeat(ctx context.Context, res *results.Results, cell results.CellResult, rate vegeta.Rate, params map[string]string,
	run func(context.Context, Output) (results.Repetition, error)) (results.CellResult, error) {
	var err error
	cell.Repetitions, cell.Complete, err = harness.Repeat(ctx, 0, max(s.Reps, 1), func(rep int, kept []results.Repetition) (results.Repetition, error) {
		return s.repetition(ctx, res, cell, kept, rate, rep, params, run)
	})
	if len(cell.Repetitions) == 0 {
		return cell, err
	}
	cell.Tasks = cell.Repetitions[len(cell.Repetitions)-1].Submitted
	return s.addCell(res, cell, params), err
}

// repetition runs repetition rep of cell at rate, after those kept: it waits
// for the shard's slot, opens the repetition's sink, and checkpoints each
// second of it.
func (s *Sweep) repetition(ctx context.Context, res *results.Results, cell results.CellResult, kept []results.Repetition, rate vegeta.Rate, rep int,
	params map[string]string, run func(context.Context, Output) (results.Repetition, error)) (results.Repetition, error) {
	if err := s.Shard.wait(ctx, s.attacks); err != nil {
		return results.Repetition{}, err
	}
	s.attacks++
	if s.Progress != nil {
		s.Progress(rate, rep)
	}
	var sink Sink
	var out Output
	if s.Open != nil {
		var err error
		if sink, err = s.Open(rate, rep); err != nil {
			return results.Repetition{}, err
		}
		out = sink
	}
	if s.Checkpoint != nil {
		out = &partialOutput{out: out, partial: func(r results.Repetition) {
			// A copy the checkpoint can encode on its own goroutine while
			// the sweep goes on changing res.
			cp := *res
			cp.Cells, cp.Plan.Workloads = slices.Clone(res.Cells), slices.Clone(res.Plan.Workloads)
			if res.Shard != nil {
				shard := *res.Shard
				cp.Shard = &shard
			}
			now := cell
			now.Complete, now.Repetitions = false, append(slices.Clone(kept), r)
			s.addCell(&cp, now, params)
			s.Checkpoint(&cp)
		}}
	}
	r, err := run(ctx, out)
	measured := r.Completed > 0
	if measured && (err != nil || ctx.Err() != nil) {
		r.Interrupted = true // as Repeat will mark it, for the sink to record
	}
	if measured && res.Shard != nil && s.attacks == 1 {
		res.Shard.Offset = r.Began.Sub(s.Shard.StartAt)
	}
	if sink != nil {
		// An attack interrupted, or whose output failed (a full disk),
		// keeps what it measured, marked so.
		if cerr := sink.Close(r, measured); err == nil {
			err = cerr
		}
	}
	return r, err
}

// addCell summarises cell and adds it and its workload (with params,
// secrets redacted) to res.
func (s *Sweep) addCell(res *results.Results, cell results.CellResult, params map[string]string) results.CellResult {
	w := s.Workload
	w.Name, w.Family, w.Tasks, w.Params = cell.Workload, "http", cell.Repetitions[len(cell.Repetitions)-1].Submitted, secret.Map(params)
	res.Plan.Workloads = append(res.Plan.Workloads, w)
	cell.Summary = results.Combine(results.Summarized(cell.Repetitions))
	res.Cells = append(res.Cells, cell)
	return cell
}

// partialOutput passes an attack's output on, and its partial
// repetitions to a checkpoint.
type partialOutput struct {
	out     Output // may be nil
	partial func(results.Repetition)
}

func (p *partialOutput) Result(r *vegeta.Result) error {
	if p.out == nil {
		return nil
	}
	return p.out.Result(r)
}

func (p *partialOutput) Interval(iv results.Interval, start time.Time, h *results.Histogram) error {
	if p.out == nil {
		return nil
	}
	return p.out.Interval(iv, start, h)
}

func (p *partialOutput) Partial(r results.Repetition) { p.partial(r) }

// attackParams records the pacing and the attack beside the workload's
// own parameters.
func attackParams(workload map[string]string, a Attack) map[string]string {
	out := map[string]string{}
	for k, v := range workload {
		out[k] = v
	}
	out["rate"] = FormatRate(a.Pacing.Rate)
	out["pacer"] = a.Pacing.Kind
	if a.Pacing.Kind == "stages" {
		delete(out, "rate")
		out["stages"] = FormatStages(a.Pacing.Stages)
	}
	out["duration"] = a.Duration.String()
	out["max-workers"] = fmt.Sprint(a.MaxWorkers)
	return out
}

func perSecond(r float64) vegeta.Rate { return vegeta.Rate{Freq: int(r), Per: time.Second} }

// highestMeeting names the highest swept rate whose cell meets slo.
func highestMeeting(slo results.SLO, cells []results.CellResult) string {
	best, bestRate := "", -1.0
	for _, c := range cells {
		if len(slo.CheckReps(c.Repetitions)) == 0 && c.Summary.TargetRate > bestRate {
			best, bestRate = c.Workload, c.Summary.TargetRate
		}
	}
	if best == "" {
		return "no rate swept meets the SLO"
	}
	return "highest rate swept that meets the SLO: " + best[strings.LastIndex(best, " ")+1:]
}
