package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/load"
	"github.com/concbench/concbench/harness/report"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/plan"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// attackOptions are the flags of bench attack.
type attackOptions struct {
	rate, rates, sineAmp, maxRate, slo, encode, out, label, target string
	stages, users                                                  string
	pacer                                                          string
	duration, sinePeriod, timeout, lateAfter                       time.Duration
	slope                                                          float64
	maxWorkers                                                     uint64
	reps                                                           int
	params                                                         paramsValue
	set                                                            map[string]bool // flags given
}

// attackRun sends open-loop load at one or more rates (or searches for the
// highest rate that meets an SLO) and writes a run folder like bench run.
func attackRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("attack")
	o := attackOptions{params: paramsValue{}}
	fs.StringVar(&o.rate, "rate", "500/s", "request rate: 2000/s, 500/100ms; with -slo and no -rates, where the search starts")
	fs.StringVar(&o.rates, "rates", "", "comma-separated rates to sweep, e.g. 500,1000,2000")
	fs.DurationVar(&o.duration, "duration", 5*time.Second, "length of each attack")
	fs.StringVar(&o.users, "users", "", "closed loop instead: virtual users, each sending its next request when the last returns, ramped through stages of duration:users, e.g. 30s:10,1m:50,30s:0 (as k6's ramping-vus); sets the duration")
	fs.StringVar(&o.pacer, "pacer", "constant", "rate shape: constant, linear (add -slope per second) or sine")
	fs.StringVar(&o.stages, "stages", "", "ramp through stages of duration:rate, e.g. 30s:100,1m:1000,30s:0 (each moves linearly from the previous rate, the first from 0, as k6's ramping-arrival-rate); sets the duration")
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
	o.set = setFlags(fs)
	ap, err := o.validate()
	if err != nil {
		return err
	}
	w, err := plan.Workload(results.WorkloadRecord{Name: "http", Params: o.params["http"], Tasks: 1}, false, o.target)
	if err != nil {
		return err
	}
	defer harness.CloseWorkloads([]harness.PlannedWorkload{w}) //nolint:errcheck // nothing to do about it
	req := w.Workload.(interface{ Request() load.Request }).Request()

	dir, err := report.NewRunDir(o.out, o.label, time.Now())
	if err != nil {
		return usagef("-out: %v", err)
	}
	progress := newProgress(stderr)
	sweep := load.Sweep{
		Attack:   load.Attack{Request: req, Pacing: ap.pacing, Duration: o.duration, MaxWorkers: o.maxWorkers, Timeout: o.timeout, LateAfter: o.lateAfter},
		Reps:     o.reps,
		Workload: w.Record(),
		SLO:      ap.slo,
		Args:     append([]string{"bench", "attack"}, args...),
		Progress: func(rate vegeta.Rate, rep int) {
			progress.note("attack %s for %v (%d/%d)", attackName(ap, rate), o.duration, rep+1, o.reps)
		},
		Open: func(rate vegeta.Rate, rep int) (load.Sink, error) {
			name := fmt.Sprintf("%s-%d", strings.ReplaceAll(load.FormatRate(rate), "/", "per"), rep+1)
			if ap.pacing.Kind == "stages" {
				name = fmt.Sprintf("stages-%d", rep+1)
			}
			if ap.users != nil {
				name = fmt.Sprintf("users-%d", rep+1)
			}
			files, err := report.CreateAttackFiles(dir, name, o.encode)
			if err != nil {
				return nil, err
			}
			what := fmt.Sprintf("attack %s (%d/%d)", attackName(ap, rate), rep+1, o.reps)
			return &liveSink{Sink: files, progress: progress, what: what, duration: o.duration, began: time.Now()}, nil
		},
	}
	var res *results.Results
	var verdict string
	var runErr error
	switch {
	case ap.users != nil:
		res, runErr = sweep.Users(ctx, load.Users{Request: req, Stages: ap.users, Timeout: o.timeout})
	case ap.search:
		res, verdict, runErr = sweep.Search(ctx, ap.rates[0], ap.maxRate)
	default:
		res, verdict, runErr = sweep.Rates(ctx, ap.rates)
	}
	progress.clear()
	if res == nil || len(res.Cells) == 0 {
		os.RemoveAll(dir)
		return runErr
	}
	if err := report.Write(dir, res); err != nil {
		return fmt.Errorf("writing %s: %v", dir, err)
	}
	if err := report.WriteTable(stdout, res); err != nil {
		return err
	}
	writeAttackTable(stdout, res.Cells, ap.slo)
	if verdict != "" {
		fmt.Fprintln(stdout, "\n"+verdict)
	}
	fmt.Fprintf(stdout, "\nresults: %s\n", dir)
	return runErr
}

// attackPlan is the validated rates, pacing and SLO.
type attackPlan struct {
	rates   []vegeta.Rate
	users   []load.Stage // closed-loop ramping users instead of a rate
	maxRate vegeta.Rate
	pacing  load.Pacing // its rate is set per attack
	slo     results.SLO
	search  bool
}

func (o *attackOptions) validate() (attackPlan, error) {
	p := attackPlan{pacing: load.Pacing{Kind: o.pacer, Slope: o.slope, Period: o.sinePeriod}}
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
		p.pacing.Amp = amp
	}
	for _, r := range p.rates {
		if _, err := p.pacing.At(r).Pacer(); err != nil {
			return p, usagef("-%v", err)
		}
	}
	if o.users != "" {
		users, err := load.ParseStages(o.users)
		if err != nil {
			return p, usagef("-users: %v", err)
		}
		for _, s := range users {
			if s.Target != float64(int(s.Target)) || s.Target > load.MaxUsers {
				return p, usagef("-users: %v users: want a whole number up to %d", s.Target, load.MaxUsers)
			}
		}
		switch {
		case o.set["duration"]:
			return p, usagef("-users: the stages set the duration; leave -duration out")
		case o.stages != "" || o.rates != "" || o.slo != "" || o.set["rate"] || o.set["pacer"]:
			return p, usagef("-users: closed-loop users have no rate; leave -rate, -rates, -stages, -pacer and -slo out")
		}
		p.users, o.duration = users, load.StagesDuration(users)
	}
	if o.stages != "" {
		stages, err := load.ParseStages(o.stages)
		if err != nil {
			return p, usagef("-stages: %v", err)
		}
		switch {
		case o.set["duration"]:
			return p, usagef("-stages: the stages set the duration; leave -duration out")
		case o.rates != "" || o.slo != "":
			return p, usagef("-stages: one staged attack; leave -rates and -slo out")
		case o.set["pacer"] && o.pacer != "stages":
			return p, usagef("-stages: the stages are the pacer; leave -pacer out")
		}
		p.pacing, o.duration = load.Pacing{Kind: "stages", Stages: stages}, load.StagesDuration(stages)
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
	}
	if err := checkLabel("-label", o.label); err != nil {
		return p, err
	}
	if err := o.checkDisk(p); err != nil {
		return p, err
	}
	for family := range o.params {
		if family != "http" {
			return p, usagef("-param %s: attack takes only http.* parameters", family)
		}
	}
	if o.slo != "" {
		if p.slo, err = results.ParseSLO("slo", o.slo); err != nil {
			return p, err
		}
		p.search = o.rates == ""
	}
	return p, nil
}

// writeAttackTable prints what open loop adds: asked and achieved rates,
// late and dropped requests, and the SLO verdict.
func writeAttackTable(w io.Writer, cells []results.CellResult, slo results.SLO) {
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

// checkDisk refuses an attack whose vegeta results would not fit on the
// disk of -out: the requests every rate schedules (a search: the most it
// can try, -max-rate, each step), at about VegetaBytesPerResult each.
// The disk, not a request count, bounds an attack.
func (o *attackOptions) checkDisk(p attackPlan) error {
	per := report.VegetaBytesPerResult[o.encode]
	if per == 0 || p.users != nil { // closed loop: the target's speed sets the count
		return nil
	}
	rates := p.rates
	if p.search {
		rates = []vegeta.Rate{p.maxRate, p.maxRate, p.maxRate, p.maxRate, p.maxRate, p.maxRate, p.maxRate, p.maxRate}
	}
	var hits float64
	for _, r := range rates {
		pacer, err := p.pacing.At(r).Pacer()
		if err != nil {
			return usagef("-%v", err)
		}
		hits += load.Hits(pacer, o.duration) * float64(o.reps)
	}
	free, err := report.FreeSpace(o.out)
	if err != nil {
		return nil // unknown: the write itself will say
	}
	if need := hits * float64(per); need > float64(free) {
		return usagef("-duration: the attack schedules %.0f requests, about %s of %s results, more than the %s free under %s; shorten it, lower the rate, or pass -encode none",
			hits, report.Bytes(uint64(need)), o.encode, report.Bytes(free), o.out)
	}
	return nil
}

// liveSink shows each second of an attack on the progress line as it
// ends: the rate achieved, p99, errors and late requests.
type liveSink struct {
	load.Sink
	progress *progress
	what     string
	duration time.Duration
	began    time.Time
}

func (l *liveSink) Interval(iv results.Interval, start time.Time, h *results.Histogram) error {
	line := fmt.Sprintf("%s  %s/%s  %s/s  p99 %s  errors %d  late %d", l.what,
		time.Since(l.began).Round(time.Second), l.duration, report.Rate(float64(iv.Completed)/iv.Length.Seconds()),
		report.Duration(iv.P99), iv.Errors, iv.Late)
	l.progress.set(func() string { return line })
	return l.Sink.Interval(iv, start, h)
}

// attackName is an attack as progress lines name it: "http 2000/s", or
// "http stages".
func attackName(p attackPlan, rate vegeta.Rate) string {
	if p.users != nil {
		return "http users"
	}
	if p.pacing.Kind == "stages" {
		return "http stages"
	}
	return "http " + load.FormatRate(rate)
}
