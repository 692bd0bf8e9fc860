// Package results is the results.json schema, reading and writing it
// (Read, Encode), and the statistics made from samples: Summarize,
// Combine, spreads, SLOs and the error budget. It is the bottom of concbench's
// import graph: reports, charts and comparisons read it, never the engine.
package results

import (
	"slices"

	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/concbench/concbench/harness/secret"

	"github.com/montanaflynn/stats"
)

// Schema names the version of the results.json layout; results/README.md
// documents it. A reader must refuse a schema it does not know.
const Schema = "concbench/results/v1"

// Results is everything one run measured: the single source of truth from
// which tables, files and charts are made.
type Results struct {
	Schema   string       `json:"schema"`
	Complete bool         `json:"complete"` // false when the run was interrupted
	Env      Environment  `json:"env"`
	Plan     PlanRecord   `json:"plan"`
	Cells    []CellResult `json:"cells"`
	// Capacity is present for bench capacity runs: the sweep's model.
	Capacity *CapacityReport `json:"capacity,omitempty"`
	// Depth is present for bench depth runs: the deepest chain each way of
	// recursing survived.
	Depth []DepthReport `json:"depth,omitempty"`
	// Scenario is present when the plan came from a scenario file.
	Scenario *ScenarioRecord `json:"scenario,omitempty"`
	// Thresholds are the scenario's thresholds checked on the cells they
	// select, met ones included.
	Thresholds []Verdict `json:"thresholds,omitempty"`
	// Shard is present in the run of one shard of a sharded attack.
	Shard *ShardRecord `json:"shard,omitempty"`
	// Merged is present in a run merged from shards: each shard's run.
	Merged []MergedShard `json:"merged,omitempty"`
	// Recommendations are the answer, one per workload (package
	// recommend): absent for attacks and older runs.
	Recommendations []Recommendation `json:"recommendations,omitempty"`
}

// Verdict is one scenario threshold checked on one cell (per repetition:
// it is met when at least half of the repetitions meet it).
type Verdict struct {
	Threshold string   `json:"threshold"`
	Workload  string   `json:"workload"`
	Strategy  string   `json:"strategy"`
	Limit     int      `json:"limit,omitempty"`
	Met       bool     `json:"met"`
	Failed    []string `json:"failed,omitempty"` // the conditions not met, with the measured values
}

// String is the verdict on one line: "met: threshold p99<50ms: io pool 8"
// or "failed: threshold ...: io pool 8: p99<50ms (was 61ms)".
func (v Verdict) String() string {
	cell := CellResult{Workload: v.Workload, Strategy: v.Strategy, Limit: v.Limit}.Name()
	if v.Met {
		return "met: threshold " + v.Threshold + ": " + cell
	}
	return "failed: threshold " + v.Threshold + ": " + cell + ": " + strings.Join(v.Failed, ", ")
}

// New returns the results of a run that is about to measure plan, with
// the schema set and the environment captured (see CaptureEnvironment);
// cells are added as they are measured, and Complete set at the end. The
// command line and the plan's parameters are kept with their secrets
// redacted (package secret).
func New(args []string, plan PlanRecord) *Results {
	return &Results{Schema: Schema, Env: CaptureEnvironment(secret.Strings(args)), Plan: plan.Redacted()}
}

// Redacted is a copy of the plan with the secrets in its parameters
// replaced (package secret).
func (p PlanRecord) Redacted() PlanRecord {
	p.Workloads = slices.Clone(p.Workloads)
	for i := range p.Workloads {
		p.Workloads[i].Params = secret.Map(p.Workloads[i].Params)
	}
	if p.StrategyParams != nil {
		sp := make(map[string]map[string]string, len(p.StrategyParams))
		for name, params := range p.StrategyParams {
			sp[name] = secret.Map(params)
		}
		p.StrategyParams = sp
	}
	return p
}

// ScenarioRecord is the scenario file a run ran, so that a comparison can
// tell when two runs did not run the same plan.
type ScenarioRecord struct {
	Name    string `json:"name"`
	Path    string `json:"path"`
	SHA256  string `json:"sha256"`
	Content string `json:"content"`
}

// CapacityReport is the capacity model of a concurrency sweep.
type CapacityReport struct {
	Workload string          `json:"workload"`
	Strategy string          `json:"strategy"`
	Points   []CapacityPoint `json:"points"`
	Fit      *USLFit         `json:"usl,omitempty"` // absent when the fit failed
	FitError string          `json:"usl_error,omitempty"`
	SLO      string          `json:"slo,omitempty"`
	// SLOLimit is the recommended limit for a pool or semaphore: the
	// highest concurrency measured that meets the SLO within the error
	// budget, and no higher than the measured peak of goodput or the
	// USL's peak (the top of its 95% interval); 0: none qualifies.
	SLOLimit int `json:"slo_limit,omitempty"`
	// Bound names what stopped SLOLimit going higher: "slo", "error
	// budget", "peak" (goodput stops rising), or "sweep" (it is the
	// highest concurrency measured).
	Bound string `json:"bound,omitempty"`
	// Knee is the first concurrency whose throughput reaches 90% of the
	// best measured: where adding concurrency stops paying.
	Knee float64 `json:"knee,omitempty"`
	// ErrorBudget is the share of failed tasks above which a point is
	// left out of the fit: the SLO's, or 1% without one.
	ErrorBudget float64 `json:"error_budget"`
	// FitExcluded are the concurrencies left out of the fit: their errors
	// passed the budget, so their throughput says how fast the system
	// fails, not how much it serves.
	FitExcluded []float64 `json:"fit_excluded,omitempty"`
}

// CapacityPoint is one concurrency of a sweep, medians over repetitions.
// Latencies are service times (time in the system); the error ratio is
// over all repetitions.
type CapacityPoint struct {
	Concurrency  float64       `json:"concurrency"`
	Throughput   float64       `json:"throughput_per_s"`
	MeanResponse time.Duration `json:"mean_response_ns"`
	P99          time.Duration `json:"p99_ns"`
	ErrorRatio   float64       `json:"error_ratio"`
	// Little is throughput x mean response / concurrency: 1 when Little's
	// law holds; LittleOK is false beyond 10% either way.
	Little   float64  `json:"little_ratio"`
	LittleOK bool     `json:"little_ok"`
	SLOMet   *bool    `json:"slo_met,omitempty"`
	SLOFails []string `json:"slo_failures,omitempty"`
}

// USL is the Universal Scalability Law's coefficients,
//
//	X(N) = λN / (1 + σ(N−1) + κN(N−1))
//
// with λ the throughput of one, σ contention (queueing for a shared
// resource) and κ coherency (the cost of keeping shared state consistent,
// which makes throughput fall past a peak). The model itself (its curve,
// gradient and band) is package capacity's.
type USL struct {
	Lambda float64 `json:"lambda"` // throughput of one, per second
	Sigma  float64 `json:"sigma"`  // contention
	Kappa  float64 `json:"kappa"`  // coherency
}

// USLFit is the Universal Scalability Law fitted to a sweep.
type USLFit struct {
	USL
	R2       float64 `json:"r_squared"`
	PeakN    float64 `json:"peak_concurrency,omitempty"` // sqrt((1-sigma)/kappa); 0: no peak in range
	PeakX    float64 `json:"peak_throughput_per_s,omitempty"`
	Dominant string  `json:"dominant"`
	Note     string  `json:"note,omitempty"`
	// Weighting is the residuals minimised: "ols" (ordinary least squares
	// on throughput, as the USL literature fits) or "relative" (1/X).
	Weighting string `json:"weighting,omitempty"`
	// Standard errors and 95% confidence intervals of the coefficients,
	// and their covariance (order λ, σ, κ), from the Jacobian at the fit
	// with DF = points - 3 degrees of freedom and residual standard error
	// RSE; absent when the points do not determine them.
	LambdaSE   float64       `json:"lambda_se,omitempty"`
	SigmaSE    float64       `json:"sigma_se,omitempty"`
	KappaSE    float64       `json:"kappa_se,omitempty"`
	LambdaCI   [2]float64    `json:"lambda_ci95"`
	SigmaCI    [2]float64    `json:"sigma_ci95"`
	KappaCI    [2]float64    `json:"kappa_ci95"`
	Covariance [3][3]float64 `json:"covariance"`
	DF         int           `json:"df,omitempty"`
	RSE        float64       `json:"residual_se,omitempty"`
	// PeakCI is the peak concurrency's 95% interval (delta method).
	PeakCI [2]float64 `json:"peak_ci95"`
	// Warnings are statistical concerns, such as a wide peak interval.
	Warnings []string `json:"warnings,omitempty"`
}

// PlanRecord is the plan as it ran.
type PlanRecord struct {
	Workloads  []WorkloadRecord `json:"workloads"`
	Strategies []string         `json:"strategies"`
	// StrategyParams are the parameters of the strategies that take some,
	// every one resolved, by strategy name.
	StrategyParams map[string]map[string]string `json:"strategy_params,omitempty"`
	Limits         []int                        `json:"limits"`
	Reps           int                          `json:"reps"`
	Warmup         int                          `json:"warmup"`
	Forced         bool                         `json:"forced,omitempty"`          // run beyond the safety bounds (-force)
	GOMAXPROCS     int                          `json:"gomaxprocs,omitempty"`      // set for the run (-gomaxprocs); 0: as it was
	MaxStack       int64                        `json:"max_stack_bytes,omitempty"` // a goroutine's stack limit for the run; 0: Go's default
	// SLO is the run's service-level objective (bench run -slo): cells
	// that miss it are never recommended, and its error condition, when it
	// has one, is the error budget (see Budget).
	SLO string `json:"slo,omitempty"`
	// LimitsAuto marks a plan whose limited strategies' limits were
	// searched (-limits auto): their cells are the search's probes, in the
	// order they ran.
	LimitsAuto bool `json:"limits_auto,omitempty"`
	// Profiles are the profiles each cell recorded (bench run -profile);
	// see CellResult.Profiles.
	Profiles []string `json:"profiles,omitempty"`
	// ProfileDir is where an isolated cell's process writes them: set in
	// the plan a child is sent, never in results.json.
	ProfileDir string `json:"profile_dir,omitempty"`
}

// WorkloadRecord is one workload of a plan with every parameter resolved.
type WorkloadRecord struct {
	Name   string            `json:"name"`
	Family string            `json:"family"`
	Params map[string]string `json:"params"`
	Tasks  int               `json:"tasks"`
	// TasksPerLimit, when above 0, raises a cell's tasks to this many
	// times its limit (concurrency sweeps).
	TasksPerLimit int           `json:"tasks_per_limit,omitempty"`
	Timeout       time.Duration `json:"task_timeout_ns,omitempty"` // per task; 0: none
	// GroupTimeout is one deadline for all of a repetition's tasks, from
	// its start (asyncio.timeout around a TaskGroup); 0: none.
	GroupTimeout time.Duration `json:"group_timeout_ns,omitempty"`
}

// CellResult is one workload x strategy x limit combination.
type CellResult struct {
	Workload string `json:"workload"`
	Strategy string `json:"strategy"`
	Limit    int    `json:"limit"` // 0 for a strategy without a limit
	Tasks    int    `json:"tasks"`
	Complete bool   `json:"complete"`
	// Failed says why an isolated cell produced nothing: its process died
	// ("exit status 2", "signal: killed") or passed its deadline ("hung:
	// possible deadlock ..."); Stderr keeps its last lines.
	Failed string `json:"failed,omitempty"`
	Stderr string `json:"stderr,omitempty"`
	// Unbounded marks a strategy that bounds no task: unbounded, and
	// offload, whose limit bounds only its executors. (Results written
	// before it say nothing: read them as bounded.)
	Unbounded   bool         `json:"unbounded,omitempty"`
	Summary     Repetition   `json:"summary"` // per field, the median over repetitions; errors summed
	Repetitions []Repetition `json:"repetitions"`
	// Profiles are the files of a profiled cell (-profile), by kind (cpu,
	// heap, mutex, block, trace), relative to the run folder; CPUTop the
	// CPU profile's top functions. Its figures include the profilers' cost.
	Profiles map[string]string `json:"profiles,omitempty"`
	CPUTop   []ProfileFunc     `json:"cpu_top,omitempty"`
	// Trace is what the execution trace of the slowest repetition says
	// goroutines waited for (-profile trace).
	Trace *TraceSummary `json:"trace,omitempty"`
}

// TraceSummary is an execution trace's waits, summed over goroutines:
// runnable but not running (the scheduler's wait), and blocked by the
// runtime's cause ("chan receive", "select", "sync", "sleep", "syscall").
type TraceSummary struct {
	SchedWait time.Duration            `json:"sched_wait_ns"`
	Blocked   map[string]time.Duration `json:"blocked_ns,omitempty"`
}

// ProfileFunc is one function of a CPU profile: its share of the samples
// on the stack's top (flat) and anywhere on it (cumulative).
type ProfileFunc struct {
	Name string  `json:"name"`
	Flat float64 `json:"flat"`
	Cum  float64 `json:"cum"`
}

// Interval is one span of an attack (a second): the requests meant to be
// sent in it, and those that completed in it with their response times,
// their errors by kind, and the requests in flight as it ended.
type Interval struct {
	Start  time.Duration `json:"start_ns"` // from the attack's start
	Length time.Duration `json:"length_ns"`
	Span
	ErrorKinds map[string]int `json:"errors_by_kind,omitempty"` // as ErrorKind names them
	InFlight   int            `json:"in_flight"`
}

// Add counts one response that completed in the interval: err is its
// error (nil for a success), late whether it was sent late.
func (iv *Interval) Add(err error, late bool) {
	iv.Count(err != nil, late)
	if err != nil {
		if iv.ErrorKinds == nil {
			iv.ErrorKinds = map[string]int{}
		}
		iv.ErrorKinds[ErrorKind(err)]++
	}
}

// StageResult is one stage of a ramping attack: the rate (or users) it
// ramped between, and what was sent and completed in it.
type StageResult struct {
	Start time.Duration `json:"start_ns"`
	End   time.Duration `json:"end_ns"`
	From  float64       `json:"from_per_s"`
	To    float64       `json:"to_per_s"`
	Span
	// Histogram is the stage's response times, so that shards' stages
	// merge exactly.
	Histogram *Histogram `json:"histogram,omitempty"`
}

// Span is what one stretch of an attack (an interval, a stage) counted:
// the requests meant to be sent in it, those that completed in it, and
// their response times.
type Span struct {
	Scheduled int           `json:"scheduled"` // meant to be sent in it
	Completed int           `json:"completed"` // completed in it
	Errors    int           `json:"errors"`
	Late      int           `json:"late"` // of those completed, sent late
	P50       time.Duration `json:"p50_ns"`
	P99       time.Duration `json:"p99_ns"`
	Max       time.Duration `json:"max_ns"`
}

// Count adds one response to the span's counts.
func (s *Span) Count(failed, late bool) {
	s.Completed++
	if failed {
		s.Errors++
	}
	if late {
		s.Late++
	}
}

// Times sets the span's response times from its histogram.
func (s *Span) Times(h *Histogram) {
	q := h.Quantiles()
	s.P50, s.P99, s.Max = q.P50, q.P99, q.Max
}

// Quantiles summarises a latency distribution, in nanoseconds in JSON.
type Quantiles struct {
	Min   time.Duration `json:"min_ns"`
	Mean  time.Duration `json:"mean_ns"`
	P50   time.Duration `json:"p50_ns"`
	P75   time.Duration `json:"p75_ns"`
	P90   time.Duration `json:"p90_ns"`
	P95   time.Duration `json:"p95_ns"`
	P99   time.Duration `json:"p99_ns"`
	P999  time.Duration `json:"p99.9_ns"`
	P9999 time.Duration `json:"p99.99_ns"`
	Max   time.Duration `json:"max_ns"`
}

// Whole returns the cell's repetitions that ran to the end: the ones every
// comparable output (bench.txt, compare) uses. An interrupted repetition
// holds only the tasks that finished before the interruption.
func (c CellResult) Whole() []Repetition {
	var out []Repetition
	for _, r := range c.Repetitions {
		if !r.Interrupted {
			out = append(out, r)
		}
	}
	return out
}

// ErrorFraction is the share of the cell's completed tasks that failed,
// over all its repetitions.
func (c CellResult) ErrorFraction() float64 {
	errs, done := 0, 0
	for _, r := range c.Repetitions {
		errs, done = errs+r.ErrorCount(), done+r.Completed
	}
	if done == 0 {
		return 0
	}
	return float64(errs) / float64(done)
}

// Total is f summed over the cell's repetitions: the tasks it submitted,
// failed or never started, as the summaries for scripts report them.
func (c CellResult) Total(f func(Repetition) int) int {
	n := 0
	for _, r := range c.Repetitions {
		n += f(r)
	}
	return n
}

// Outcome is how the cell's tasks ended in a typical repetition: the
// medians over its whole repetitions of those that succeeded, failed and
// never started. (The summary's errors are totals, so its Succeeded is
// not a repetition's.)
func (c CellResult) Outcome() (succeeded, failed, notStarted int) {
	reps := c.Whole()
	if len(reps) == 0 {
		reps = c.Repetitions
	}
	median := func(f func(Repetition) int) int {
		d := make(stats.Float64Data, len(reps))
		for i, r := range reps {
			d[i] = float64(f(r))
		}
		m, _ := stats.Median(d)
		return int(math.Round(m))
	}
	return median(Repetition.Succeeded), median(Repetition.ErrorCount), median(func(r Repetition) int { return r.NotStarted })
}

// Succeeded is how many tasks ran to the end without error.
func (r Repetition) Succeeded() int { return r.Completed - r.ErrorCount() }

// Name is the cell as tables and warnings name it: "io pool 8", "io sequential".
func (c CellResult) Name() string {
	if c.Limit == 0 {
		return c.Workload + " " + c.Strategy
	}
	return c.Workload + " " + c.Strategy + " " + strconv.Itoa(c.Limit)
}

// RangeWarnings describes each cell some of whose latencies fell outside
// the histograms' range: they were counted, not recorded, so its
// percentiles leave them out.
func (r *Results) RangeWarnings() []string {
	var out []string
	for _, c := range r.Cells {
		var n int64
		for _, rep := range c.Repetitions {
			n += rep.OutOfRange
		}
		if n > 0 {
			out = append(out, fmt.Sprintf("%s: %d latencies outside the histograms' range (1ns to 1h) were counted but left out of the percentiles", c.Name(), n))
		}
	}
	return out
}

// ErrorWarnings describes each measured cell in which tasks failed, with
// the counts by kind: "io pool 8: 312 of 1000 tasks failed (http-503 300,
// timeout 12)". Errors are data, not speed: a fast failing cell must not
// pass for a fast one unnoticed.
func (r *Results) ErrorWarnings() []string {
	var out []string
	for _, c := range r.Cells {
		total, done := 0, 0
		kinds := map[string]int{}
		for _, rep := range c.Repetitions {
			done += rep.Completed
			for k, n := range rep.Errors {
				total += n
				kinds[k] += n
			}
		}
		if total == 0 {
			continue
		}
		names := make([]string, 0, len(kinds))
		for k := range kinds {
			names = append(names, k)
		}
		sort.Strings(names)
		for i, k := range names {
			names[i] = k + " " + strconv.Itoa(kinds[k])
		}
		out = append(out, fmt.Sprintf("%s: %d of %d tasks failed (%s)", c.Name(), total, done, strings.Join(names, ", ")))
	}
	return out
}

// LeakWarnings names each cell that left goroutines running after its
// tasks had ended, with the most it left in one repetition and where the
// commonest kind waits: "io pool 8: 200 goroutines left running after a
// repetition's tasks ended (most: workloads.(*simulatedIO).detach.func1);
// see leaks in results.json".
func (r *Results) LeakWarnings() []string {
	var out []string
	for _, c := range r.Cells {
		most, where := 0, ""
		for _, rep := range c.Repetitions {
			if rep.Leaked > most {
				most = rep.Leaked
				if len(rep.Leaks) > 0 {
					where = leakSite(rep.Leaks[0].Stack)
				}
			}
		}
		if most == 0 {
			continue
		}
		w := fmt.Sprintf("%s: %d goroutines left running after a repetition's tasks ended", c.Name(), most)
		if where != "" {
			w += " (most in " + where + ")"
		}
		out = append(out, w+"; their stacks are under leaks in results.json")
	}
	return out
}

// leakSite is the first function of a goroutine's stack outside the
// runtime: where it waits.
func leakSite(stack string) string {
	for _, line := range strings.Split(stack, "\n")[1:] {
		if line == "" || line[0] == '\t' || strings.HasPrefix(line, "runtime.") || strings.HasPrefix(line, "created by ") {
			continue
		}
		if i := strings.LastIndex(line, "("); i > 0 {
			line = line[:i]
		}
		return line
	}
	return ""
}

// NoSuccess names the measured cells in which no task succeeded in any
// repetition: their latencies and throughput describe failures only.
func (r *Results) NoSuccess() []string {
	var out []string
	for _, c := range r.Cells {
		ok := 0
		for _, rep := range c.Repetitions {
			ok += rep.Succeeded()
		}
		if ok == 0 && len(c.Repetitions) > 0 {
			out = append(out, c.Name())
		}
	}
	return out
}

// ErrorCount is the total of e.
func (r Repetition) ErrorCount() int {
	n := 0
	for _, c := range r.Errors {
		n += c
	}
	return n
}
