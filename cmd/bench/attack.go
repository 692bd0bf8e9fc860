package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/load"
	"github.com/concbench/concbench/harness/report"
	"github.com/concbench/concbench/workloads"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// attackOptions are the flags of bench attack.
type attackOptions struct {
	rate, rates, sineAmp, maxRate, slo, encode, out, label, target string
	pacer                                                          string
	duration, sinePeriod, timeout, lateAfter                       time.Duration
	slope                                                          float64
	maxWorkers                                                     uint64
	reps                                                           int
	params                                                         paramsValue
}

// attackRun sends open-loop load at one or more rates (or searches for the
// highest rate that meets an SLO) and writes a run folder like bench run.
func attackRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("attack")
	o := attackOptions{params: paramsValue{}}
	fs.StringVar(&o.rate, "rate", "500/s", "request rate: 2000/s, 500/100ms; with -slo and no -rates, where the search starts")
	fs.StringVar(&o.rates, "rates", "", "comma-separated rates to sweep, e.g. 500,1000,2000")
	fs.DurationVar(&o.duration, "duration", 5*time.Second, "length of each attack")
	fs.StringVar(&o.pacer, "pacer", "constant", "rate shape: constant, linear (add -slope per second) or sine")
	fs.Float64Var(&o.slope, "slope", 0, "linear pacer: requests per second added each second")
	fs.DurationVar(&o.sinePeriod, "sine-period", 10*time.Second, "sine pacer: period")
	fs.StringVar(&o.sineAmp, "sine-amp", "", "sine pacer: amplitude (default: half the rate)")
	fs.Uint64Var(&o.maxWorkers, "max-workers", 256, "most requests in flight; beyond it requests are late, then dropped")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, "per-request timeout")
	fs.DurationVar(&o.lateAfter, "late-after", 5*time.Millisecond, "a request sent this long after its intended time counts as late")
	fs.IntVar(&o.reps, "reps", 1, "attacks per rate")
	fs.StringVar(&o.slo, "slo", "", "SLO, e.g. 'p99<=50ms,success>=99.9%': report the highest rate that meets it")
	fs.StringVar(&o.maxRate, "max-rate", "50000/s", "highest rate an SLO search tries")
	fs.StringVar(&o.target, "target", "", "URL to attack (default: an embedded target; see -param http.*)")
	fs.StringVar(&o.encode, "encode", "gob", "also write vegeta's results per rate: gob, json, csv or none")
	fs.StringVar(&o.out, "out", "results", "parent folder of run folders")
	fs.StringVar(&o.label, "label", "", "suffix of the run folder name")
	fs.Var(o.params, "param", "http workload parameter (request and embedded target), e.g. http.latency=10ms")
	if help, err := parseFlags(fs, args, stdout); help || err != nil {
		return err
	}
	plan, err := o.validate()
	if err != nil {
		return err
	}
	httpSpec, _ := workloads.Lookup("http")
	params := o.params["http"]
	if o.target != "" {
		if params == nil {
			params = map[string]string{}
		}
		params["target"] = o.target
	}
	w, err := httpSpec.Build("http", params, 1)
	if err != nil {
		return inputError(err)
	}
	p := harness.Plan{Workloads: []harness.PlannedWorkload{w}}
	defer p.Close()
	req := w.Workload.(interface{ Request() load.Request }).Request()

	dir, err := report.NewRunDir(o.out, o.label, time.Now())
	if err != nil {
		return fmt.Errorf("-out: %v", err)
	}
	res := &harness.Results{Schema: harness.Schema, Env: harness.CaptureEnvironment(append([]string{"bench", "attack"}, args...)),
		Plan: harness.PlanRecord{Strategies: []string{"open-loop"}, Limits: []int{int(o.maxWorkers)}, Reps: o.reps}}
	a := load.Attack{Request: req, Duration: o.duration, MaxWorkers: o.maxWorkers, Timeout: o.timeout, LateAfter: o.lateAfter}
	progress := newProgress(stderr)
	attackAt := func(rate vegeta.Rate) (harness.CellResult, error) {
		a.Pacing = plan.pacing(rate)
		name := "http " + load.FormatRate(rate)
		wr := harness.WorkloadRecord{Name: name, Family: "http", Params: attackParams(w.Params, a), Tasks: 0}
		cell := harness.CellResult{Workload: name, Strategy: "open-loop", Limit: int(o.maxWorkers), Complete: true}
		for rep := range o.reps {
			progress.note("attack %s for %v (%d/%d)", name, o.duration, rep+1, o.reps)
			r, err := a.Run(ctx)
			if r != nil && len(r.Samples) > 0 && err == nil {
				cell.Repetitions = append(cell.Repetitions, r.Repetition)
				cell.Tasks = r.Repetition.Submitted
				if werr := writeVegeta(dir, o.encode, rate, rep, r.Vegeta); werr != nil {
					return cell, werr
				}
			}
			if err != nil {
				cell.Complete = false
				return cell, err
			}
		}
		wr.Tasks = cell.Tasks
		res.Plan.Workloads = append(res.Plan.Workloads, wr)
		cell.Summary = harness.Combine(cell.Repetitions)
		res.Cells = append(res.Cells, cell)
		return cell, nil
	}

	var runErr error
	var verdict string
	if plan.search {
		verdict, runErr = searchRate(plan, o, attackAt)
	} else {
		for _, rate := range plan.rates {
			if _, runErr = attackAt(rate); runErr != nil {
				break
			}
		}
		if runErr == nil && plan.slo != nil {
			verdict = highestMeeting(plan.slo, res.Cells)
		}
	}
	progress.clear()
	if len(res.Cells) == 0 {
		os.RemoveAll(dir)
		return runErr
	}
	res.Complete = runErr == nil
	if err := report.Write(dir, res); err != nil {
		return fmt.Errorf("writing %s: %v", dir, err)
	}
	if err := report.WriteTable(stdout, res); err != nil {
		return err
	}
	writeAttackTable(stdout, res.Cells, plan.slo)
	if verdict != "" {
		fmt.Fprintln(stdout, "\n"+verdict)
	}
	fmt.Fprintf(stdout, "\nresults: %s\n", dir)
	return runErr
}

// attackPlan is the validated rates, pacing and SLO.
type attackPlan struct {
	rates   []vegeta.Rate
	maxRate vegeta.Rate
	kind    string
	slope   float64
	period  time.Duration
	amp     *vegeta.Rate
	slo     harness.SLO
	search  bool
}

func (p attackPlan) pacing(rate vegeta.Rate) load.Pacing {
	amp := vegeta.Rate{Freq: rate.Freq / 2, Per: rate.Per}
	if p.amp != nil {
		amp = *p.amp
	}
	return load.Pacing{Kind: p.kind, Rate: rate, Slope: p.slope, Period: p.period, Amp: amp}
}

func (o *attackOptions) validate() (attackPlan, error) {
	p := attackPlan{kind: o.pacer, slope: o.slope, period: o.sinePeriod}
	rate, err := load.ParseRate(o.rate)
	if err != nil {
		return p, usagef("-rate: %v", err)
	}
	p.rates = []vegeta.Rate{rate}
	if o.rates != "" {
		p.rates = nil
		for _, s := range strings.Split(o.rates, ",") {
			r, err := load.ParseRate(strings.TrimSpace(s))
			if err != nil {
				return p, usagef("-rates: %v", err)
			}
			p.rates = append(p.rates, r)
		}
	}
	if p.maxRate, err = load.ParseRate(o.maxRate); err != nil {
		return p, usagef("-max-rate: %v", err)
	}
	if o.sineAmp != "" {
		amp, err := load.ParseRate(o.sineAmp)
		if err != nil {
			return p, usagef("-sine-amp: %v", err)
		}
		p.amp = &amp
	}
	for _, r := range p.rates {
		if _, err := p.pacing(r).Pacer(); err != nil {
			return p, usagef("-%v", err)
		}
	}
	switch {
	case o.duration <= 0 || o.duration > time.Hour:
		return p, usagef("-duration: %v is out of range (0, 1h]", o.duration)
	case o.maxWorkers < 1 || o.maxWorkers > 100_000:
		return p, usagef("-max-workers: %d is out of range 1..100000", o.maxWorkers)
	case o.timeout <= 0 || o.timeout > time.Hour:
		return p, usagef("-timeout: %v is out of range (0, 1h]", o.timeout)
	case o.lateAfter < 0:
		return p, usagef("-late-after: %v must be >= 0", o.lateAfter)
	case o.reps < 1 || o.reps > 100:
		return p, usagef("-reps: %d is out of range 1..100", o.reps)
	case o.encode != "gob" && o.encode != "json" && o.encode != "csv" && o.encode != "none":
		return p, usagef("-encode: %q: want gob, json, csv or none", o.encode)
	case !report.ValidLabel(o.label):
		return p, usagef("-label: %q: use letters, digits, '.', '_' and '-' (at most 64)", o.label)
	}
	for _, r := range p.rates {
		if hits := load.PerSecond(r) * o.duration.Seconds(); hits > load.MaxHits {
			return p, usagef("-duration: %.0f requests at %s is more than %d", hits, load.FormatRate(r), load.MaxHits)
		}
	}
	for family := range o.params {
		if family != "http" {
			return p, usagef("-param %s: attack takes only http.* parameters", family)
		}
	}
	if o.slo != "" {
		if p.slo, err = harness.ParseSLO("slo", o.slo); err != nil {
			return p, inputError(err)
		}
		p.search = o.rates == ""
	}
	return p, nil
}

// searchRate doubles the rate from the first one while the SLO holds, then
// halves the gap between the last rate that held and the first that did
// not, four times: the highest rate tried that met the SLO is the maximum
// sustainable rate.
func searchRate(p attackPlan, o attackOptions, attackAt func(vegeta.Rate) (harness.CellResult, error)) (string, error) {
	meets := func(r vegeta.Rate) (bool, error) {
		c, err := attackAt(r)
		return err == nil && len(p.slo.CheckReps(c.Repetitions)) == 0, err
	}
	lo, hi := 0.0, 0.0 // per second: highest met, lowest failed
	for r := load.PerSecond(p.rates[0]); ; r *= 2 {
		r = min(r, load.PerSecond(p.maxRate))
		ok, err := meets(perSecond(r))
		if err != nil {
			return "", err
		}
		if !ok {
			hi = r
			break
		}
		lo = r
		if r >= load.PerSecond(p.maxRate) {
			return fmt.Sprintf("maximum sustainable rate: at least %s (the -max-rate) meets %s", load.FormatRate(perSecond(lo)), o.slo), nil
		}
	}
	for range 4 {
		if lo == 0 {
			break
		}
		mid := (lo + hi) / 2
		if mid-lo < 1 {
			break
		}
		ok, err := meets(perSecond(mid))
		if err != nil {
			return "", err
		}
		if ok {
			lo = mid
		} else {
			hi = mid
		}
	}
	if lo == 0 {
		return fmt.Sprintf("maximum sustainable rate: none; %s already fails %s", load.FormatRate(perSecond(hi)), o.slo), nil
	}
	return fmt.Sprintf("maximum sustainable rate: %s meets %s (%s does not)", load.FormatRate(perSecond(lo)), o.slo, load.FormatRate(perSecond(hi))), nil
}

func perSecond(r float64) vegeta.Rate { return vegeta.Rate{Freq: int(r), Per: time.Second} }

// highestMeeting names the highest swept rate whose cell meets slo.
func highestMeeting(slo harness.SLO, cells []harness.CellResult) string {
	best := ""
	bestRate := -1.0
	for _, c := range cells {
		if len(slo.CheckReps(c.Repetitions)) == 0 && c.Summary.TargetRate > bestRate {
			best, bestRate = c.Workload, c.Summary.TargetRate
		}
	}
	if best == "" {
		return "no rate swept meets the SLO"
	}
	return "highest rate swept that meets the SLO: " + strings.TrimPrefix(best, "http ")
}

// writeAttackTable prints what open loop adds: asked and achieved rates,
// late and dropped requests, and the SLO verdict.
func writeAttackTable(w io.Writer, cells []harness.CellResult, slo harness.SLO) {
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "attack\tasked/s\tachieved/s\tsent\tlate\tdropped\t"
	if slo != nil {
		head += "SLO\t"
	}
	fmt.Fprintln(tw, head)
	sort.SliceStable(cells, func(i, j int) bool { return cells[i].Summary.TargetRate < cells[j].Summary.TargetRate })
	for _, c := range cells {
		s := c.Summary
		line := fmt.Sprintf("%s\t%s\t%s\t%d\t%d\t%d\t", c.Workload, report.Rate(s.TargetRate), report.Rate(s.Throughput), s.Completed, s.Late, s.Dropped)
		if slo != nil {
			verdict := "met"
			if failed := slo.CheckReps(c.Repetitions); len(failed) > 0 {
				verdict = "failed: " + strings.Join(failed, ", ")
			}
			line += verdict + "\t"
		}
		fmt.Fprintln(tw, line)
	}
	tw.Flush()
}

// attackParams records the request and the pacing with the workload's.
func attackParams(workload map[string]string, a load.Attack) map[string]string {
	out := map[string]string{}
	for k, v := range workload {
		out[k] = v
	}
	out["rate"] = load.FormatRate(a.Pacing.Rate)
	out["pacer"] = a.Pacing.Kind
	out["duration"] = a.Duration.String()
	out["max-workers"] = fmt.Sprint(a.MaxWorkers)
	return out
}

// writeVegeta writes one attack's results in vegeta's encoding, so that
// `vegeta report` and `vegeta plot` read them.
func writeVegeta(dir, format string, rate vegeta.Rate, rep int, results []vegeta.Result) error {
	if format == "none" {
		return nil
	}
	var buf strings.Builder
	var enc vegeta.Encoder
	switch format {
	case "json":
		enc = vegeta.NewJSONEncoder(&buf)
	case "csv":
		enc = vegeta.NewCSVEncoder(&buf)
	default:
		enc = vegeta.NewEncoder(&buf)
	}
	for i := range results {
		if err := enc.Encode(&results[i]); err != nil {
			return err
		}
	}
	name := fmt.Sprintf("vegeta-%s-%d.%s", strings.ReplaceAll(load.FormatRate(rate), "/", "per"), rep+1, format)
	return report.WriteFile(filepath.Join(dir, name), []byte(buf.String()))
}
