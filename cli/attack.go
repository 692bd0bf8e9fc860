package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/escape"
	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/harness/load"
	"github.com/concbench/concbench/harness/report"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/rundir"
	"github.com/concbench/concbench/plan"
	"github.com/concbench/concbench/scenario"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// attackOptions are the flags of bench attack.
type attackOptions struct {
	rate, rates, sineAmp, maxRate, slo, encode, out, label, target string
	stages, users                                                  string
	pacer, file, startAt                                           string
	duration, sinePeriod, timeout, lateAfter, maxLateness          time.Duration
	slope                                                          float64
	maxWorkers                                                     uint64
	reps, shards, shardIndex                                       int
	quick, bundle                                                  bool
	params                                                         paramsValue
	request                                                        requestFlags
	set                                                            map[string]bool // flags given on the command line

	shard    load.Shard // this process's part of the attack; the zero value: all of it
	scenario *scenario.File
	workload string                      // the scenario's workload name; "http" without one
	from     map[string]scenario.Setting // options the scenario file set, by flag
}

// defineAttackFlags defines bench attack's flags on fs.
func defineAttackFlags(fs *flag.FlagSet) *attackOptions {
	o := &attackOptions{params: paramsValue{}, workload: "http"}
	fs.StringVar(&o.file, "f", "", "attack as the attack section of this scenario file says; flags given override it")
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
	fs.DurationVar(&o.maxLateness, "max-lateness", results.GeneratorLateness, "the generator checks itself: a p99 lateness past this machine's timer resolution plus this, more than 1% of requests late, or a CPU-bound process mark the attack's latencies as including the generator's own delay")
	o.request.define(fs)
	fs.IntVar(&o.reps, "reps", 1, "attacks per rate")
	fs.StringVar(&o.slo, "slo", "", "SLO, e.g. 'p99<=50ms,success>=99.9%': report the highest rate that meets it")
	fs.StringVar(&o.maxRate, "max-rate", "50000/s", "highest rate an SLO search tries")
	fs.StringVar(&o.target, "target", "", "URL to attack (default: an embedded target; see -param http.*)")
	defineSecretHeader(fs)
	fs.StringVar(&o.encode, "encode", "gob", "also write vegeta's results per rate: gob, json, csv or none")
	fs.StringVar(&o.out, "out", "results", "parent folder of run folders")
	fs.StringVar(&o.label, "label", "", "suffix of the run folder name")
	fs.BoolVar(&o.quick, "quick", false, "smoke run: 1 repetition, each attack shortened to at most 1s (stages scaled alike), thresholds not enforced")
	fs.Var(o.params, "param", "http workload parameter (request and embedded target), e.g. http.latency=10ms")
	fs.IntVar(&o.shards, "shards", 1, "split the attack over this many generators (processes, pods), each sending its part of the schedule; bench merge adds up their run folders")
	fs.IntVar(&o.shardIndex, "shard", -1, "this generator's shard, 0 to shards-1 (default: $"+shardIndexEnv+", as a Kubernetes Indexed Job sets it)")
	fs.StringVar(&o.startAt, "start-at", "", "with -shards: when the shards begin, in RFC 3339 (2026-11-24T12:00:00Z), so that they send together")
	fs.BoolVar(&o.bundle, "bundle", false, "after the run, print its results.json and interval logs as a bundle on stdout, for bench merge -logs (a pod's log carries it)")
	return o
}

// shardIndexEnv is the variable through which a Kubernetes Indexed Job
// gives each pod its index.
const shardIndexEnv = "JOB_COMPLETION_INDEX"

// MaxShards is the most shards an attack splits into.
const MaxShards = 1000

// attackRun sends open-loop load at one or more rates (or searches for the
// highest rate that meets an SLO), or ramps closed-loop users, and writes a
// run folder like bench run.
func attackRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, ap, w, err := prepareAttack(args, stdout)
	if w == nil {
		return err
	}
	defer harness.CloseWorkloads([]harness.PlannedWorkload{*w}) //nolint:errcheck // nothing to do about it
	src, ok := w.Workload.(load.RequestSource)
	if !ok {
		return fmt.Errorf("workload %s sends no HTTP requests", w.Name)
	}
	req, targets := src.Request(), src.Targets()

	dir, err := rundir.NewRunDir(o.out, o.label, time.Now())
	if err != nil {
		return usagef("-out: %v", err)
	}
	progress := newProgress(stderr)
	sweep := load.Sweep{
		Attack:   load.Attack{Request: req, Client: w.Params["client"], Pacing: ap.pacing, Duration: o.duration, MaxWorkers: o.maxWorkers, Timeout: o.timeout, LateAfter: o.lateAfter, MaxLateness: o.maxLateness, Targets: targets},
		Reps:     o.reps,
		Workload: w.Record(),
		SLO:      ap.slo,
		Args:     append([]string{"bench", "attack"}, args...),
		Shard:    o.shard,
		Progress: func(rate vegeta.Rate, rep int) {
			progress.note("attack %s for %v (%d/%d)", ap.name(o.workload, rate), o.duration, rep+1, o.reps)
		},
		Open: func(rate vegeta.Rate, rep int) (load.Sink, error) {
			name := report.AttackName(ap.name(o.workload, rate), rep)
			files, err := report.CreateAttackFiles(dir, name, o.encode, time.Now())
			if err != nil {
				return nil, err
			}
			what := fmt.Sprintf("attack %s (%d/%d)", ap.name(o.workload, rate), rep+1, o.reps)
			return &liveSink{Sink: files, progress: progress, what: what, duration: o.duration, stages: ap.stages(), began: time.Now()}, nil
		},
	}
	checkpoints := rundir.NewCheckpointer(dir)
	sweep.Checkpoint = func(r *results.Results) {
		if o.scenario != nil {
			r.Scenario = o.scenario.Record()
		}
		checkpoints.Save(r)
	}
	if sh := o.shard; sh.Sharded() {
		fmt.Fprintf(stdout, "shard %d of %d: every %d%s request of the schedule, from request %d\n", sh.Index, sh.Count, sh.Count, ordinal(sh.Count), sh.Index)
		if late := time.Since(sh.StartAt); !sh.StartAt.IsZero() && late > 0 {
			fmt.Fprintf(stderr, "warning: -start-at was %v ago: beginning at once, late; bench merge will say by how much\n", late.Round(time.Millisecond))
		} else if !sh.StartAt.IsZero() {
			progress.note("shard %d of %d: waiting %v for -start-at %s; later attacks begin every %v", sh.Index, sh.Count, time.Until(sh.StartAt).Round(time.Second), o.startAt, sh.Slot)
		}
	}
	var res *results.Results
	var verdict string
	var runErr error
	switch {
	case ap.users != nil:
		res, runErr = sweep.Users(ctx, load.Users{Request: req, Targets: targets, Client: w.Params["client"], Stages: ap.users, Timeout: o.timeout})
	case ap.search:
		res, verdict, runErr = sweep.Search(ctx, ap.rates[0], ap.maxRate)
	default:
		res, verdict, runErr = sweep.Rates(ctx, ap.rates)
	}
	progress.clear()
	if err := checkpoints.Close(); err != nil {
		fmt.Fprintf(stderr, "warning: cannot checkpoint %s: %v\n", dir, err)
	}
	if res == nil || len(res.Cells) == 0 {
		rundir.RemoveUnused(dir)
		return runErr
	}
	if o.scenario != nil {
		res.Scenario = o.scenario.Record()
		res.Thresholds = o.scenario.Verdicts(res)
	}
	if err := report.WriteTable(stdout, res, false); err != nil {
		return err
	}
	report.WriteAttackTable(stdout, res.Cells, ap.slo)
	report.WriteTargetsTable(stdout, res.Cells)
	if verdict != "" {
		fmt.Fprintln(stdout, "\n"+verdict)
	}
	if !res.Complete {
		fmt.Fprintln(stdout, "\nincomplete: interrupted; the table holds what was measured so far")
	}
	generator := res.GeneratorWarnings()
	for _, w := range generator {
		fmt.Fprintln(stdout, "\n"+escape.Terminal(w))
	}
	if err := saveRun(dir, res); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nresults: %s\n", dir)
	for _, w := range append(res.ErrorWarnings(), res.RangeWarnings()...) {
		fmt.Fprintln(stderr, "warning:", w)
	}
	if o.shard.Sharded() {
		fmt.Fprintf(stdout, "shard %d of %d: merge every shard's folder with bench merge DIR...\n", o.shard.Index, o.shard.Count)
	}
	if o.bundle {
		if err := rundir.WriteBundle(stdout, dir); err != nil {
			return fmt.Errorf("-bundle: %v", err)
		}
	}
	if runErr != nil {
		return runErr
	}
	var verdictErr error
	if len(res.Thresholds) > 0 {
		verdictErr = reportThresholds(res.Thresholds, o.quick, stdout, stderr)
	}
	if none := res.NoSuccess(); len(none) > 0 {
		return &noSuccessError{none}
	}
	return verdictErr
}

// prepareAttack reads bench attack's flags (and its scenario file), checks
// them and builds the http workload, starting an embedded target or
// probing -target. It returns a nil workload with the error (or on -h).
func prepareAttack(args []string, stdout io.Writer) (*attackOptions, attackPlan, *harness.PlannedWorkload, error) {
	fs := newFlagSet("attack")
	o := defineAttackFlags(fs)
	if help, err := parseFlags(fs, args, stdout); help || err != nil {
		return o, attackPlan{}, nil, err
	}
	o.set = setFlags(fs)
	if o.file != "" {
		if err := o.fromScenario(fs); err != nil {
			return o, attackPlan{}, nil, err
		}
	}
	ap, err := o.validate()
	if err != nil {
		return o, ap, nil, err
	}
	params, err := o.request.over(o.params["http"])
	if err != nil {
		return o, ap, nil, err
	}
	if _, ok := params["timeout"]; !ok && o.set["timeout"] {
		params["timeout"] = o.timeout.String() // the probe of the target waits as long as a request
	}
	w, err := plan.Workload(results.WorkloadRecord{Name: o.workload, Family: "http", Params: params, Tasks: 1}, false, o.target)
	if err != nil && o.scenario != nil {
		err = o.scenario.Locate(err)
	}
	if err != nil {
		return o, ap, nil, err
	}
	if o.scenario != nil {
		if err := o.scenario.CheckCells(ap.cells(o.workload), []string{ap.strategy()}); err != nil {
			harness.CloseWorkloads([]harness.PlannedWorkload{w}) //nolint:errcheck // the error to report is the selector
			return o, ap, nil, err
		}
	}
	return o, ap, &w, nil
}

// fromScenario sets every option of the file's attack section that no flag
// gave, as if it were given as a flag, and takes the file's target,
// workload parameters and output.
func (o *attackOptions) fromScenario(fs *flag.FlagSet) error {
	f, err := loadScenario(o.file)
	if err != nil {
		return err
	}
	if f.Attack == nil {
		return usagef("-f: %s has no attack section; run it with bench run -f %s", o.file, o.file)
	}
	o.scenario = f
	if len(o.params) > 0 {
		return usagef("-param: set parameters in the scenario file %s", o.file)
	}
	if len(f.Workloads) == 1 {
		o.workload, o.params["http"] = f.Workloads[0].Name, f.Workloads[0].Params
	}
	o.from = map[string]scenario.Setting{}
	for _, s := range f.Attack.Settings {
		if o.set[s.Flag()] {
			continue
		}
		if err := fs.Set(s.Flag(), s.Value); err != nil {
			return &input.Error{Path: f.Path, Line: s.Line, Field: "attack." + s.Key, Problem: fmt.Sprintf("%q: want %s", s.Value, kindOf(fs.Lookup(s.Flag())))}
		}
		o.from[s.Flag()] = s
	}
	if !o.set["target"] {
		o.target = f.Target
	}
	return outputFrom(f, o.set, &o.out, &o.label)
}

// kindOf says what a flag takes, for an error about a value it refused.
func kindOf(f *flag.Flag) string {
	switch f.Value.(flag.Getter).Get().(type) {
	case time.Duration:
		return "a duration, such as 2s"
	case float64:
		return "a number"
	case int, uint64:
		return "a whole number"
	}
	return "a value like " + f.DefValue
}

// given reports whether the option was given, by a flag or the scenario.
func (o *attackOptions) given(flag string) bool {
	_, fromFile := o.from[flag]
	return o.set[flag] || fromFile
}

// name is how an error names an option: its flag, or the scenario key that
// set it.
func (o *attackOptions) name(flag string) string {
	if s, ok := o.from[flag]; ok {
		return "attack." + s.Key
	}
	return "-" + flag
}

// bad is bad input in the option: its flag, or the scenario line that set
// it.
func (o *attackOptions) bad(flag, format string, args ...any) error {
	problem := fmt.Sprintf(format, args...)
	if s, ok := o.from[flag]; ok {
		return &input.Error{Path: o.file, Line: s.Line, Field: "attack." + s.Key, Problem: problem}
	}
	return &input.Error{Field: flag, Problem: problem}
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
		return p, o.bad("rate", "%v", err)
	}
	p.rates = []vegeta.Rate{rate}
	if o.rates != "" {
		p.rates = nil
		for _, s := range strings.Split(o.rates, ",") {
			r, err := load.ParseRate(strings.TrimSpace(s))
			if err != nil {
				return p, o.bad("rates", "%v", err)
			}
			if slices.ContainsFunc(p.rates, func(q vegeta.Rate) bool { return load.PerSecond(q) == load.PerSecond(r) }) {
				return p, o.bad("rates", "%s appears twice (as %s)", strings.TrimSpace(s), load.FormatRate(r))
			}
			p.rates = append(p.rates, r)
		}
	}
	if p.maxRate, err = load.ParseRate(o.maxRate); err != nil {
		return p, o.bad("max-rate", "%v", err)
	}
	if o.sineAmp != "" {
		amp, err := load.ParseRate(o.sineAmp)
		if err != nil {
			return p, o.bad("sine-amp", "%v", err)
		}
		p.pacing.Amp = amp
	}
	for _, r := range p.rates {
		if _, err := p.pacing.At(r).Pacer(); err != nil {
			flag, problem, _ := strings.Cut(err.Error(), ": ")
			return p, o.bad(flag, "%s", problem)
		}
	}
	if o.users != "" {
		users, err := load.ParseStages(o.users)
		if err != nil {
			return p, o.bad("users", "%v", err)
		}
		for _, s := range users {
			if s.Target != float64(int(s.Target)) || s.Target > load.MaxUsers {
				return p, o.bad("users", "%v users: want a whole number up to %d", s.Target, load.MaxUsers)
			}
		}
		switch {
		case o.given("duration"):
			return p, o.bad("users", "the stages set the duration; leave %s out", o.name("duration"))
		case o.stages != "" || o.rates != "" || o.slo != "" || o.given("rate") || o.given("pacer"):
			return p, o.bad("users", "closed-loop users have no rate; leave rate, rates, stages, pacer and slo out")
		}
		p.users, o.duration = users, load.StagesDuration(users)
	}
	if o.stages != "" {
		stages, err := load.ParseStages(o.stages)
		if err != nil {
			return p, o.bad("stages", "%v", err)
		}
		switch {
		case o.given("duration"):
			return p, o.bad("stages", "the stages set the duration; leave %s out", o.name("duration"))
		case o.rates != "" || o.slo != "":
			return p, o.bad("stages", "one staged attack; leave rates and slo out")
		case o.given("rate"):
			return p, o.bad("stages", "the stages set the rate; leave %s out", o.name("rate"))
		case o.given("pacer") && o.pacer != "stages":
			return p, o.bad("stages", "the stages are the pacer; leave %s out", o.name("pacer"))
		}
		p.pacing, o.duration = load.Pacing{Kind: "stages", Stages: stages}, load.StagesDuration(stages)
	}
	switch {
	case o.duration <= 0 || o.duration > time.Hour:
		return p, o.bad("duration", "%v is out of range (0, 1h]", o.duration)
	case o.maxWorkers < 1 || o.maxWorkers > 100_000:
		return p, o.bad("max-workers", "%d is out of range 1..100000", o.maxWorkers)
	case o.timeout <= 0 || o.timeout > time.Hour:
		return p, o.bad("timeout", "%v is out of range (0, 1h]", o.timeout)
	case o.lateAfter < 0:
		return p, o.bad("late-after", "%v must be >= 0", o.lateAfter)
	case o.maxLateness < 0:
		return p, o.bad("max-lateness", "%v must be >= 0", o.maxLateness)
	case o.reps < 1 || o.reps > 100:
		return p, o.bad("reps", "%d is out of range 1..100", o.reps)
	case o.encode != "gob" && o.encode != "json" && o.encode != "csv" && o.encode != "none":
		return p, o.bad("encode", "%q: want gob, json, csv or none", o.encode)
	}
	if o.quick {
		o.shorten(&p)
	}
	if err := o.validateShard(p); err != nil {
		return p, err
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
			if in, ok := input.As(err); ok {
				return p, o.bad("slo", "%s", in.Problem)
			}
			return p, err
		}
		p.search = o.rates == ""
	}
	return p, nil
}

// validateShard checks -shards, -shard and -start-at and sets the
// process's shard, its run folder's label, and the slot of each attack:
// the duration, the slowest response and a second to write the files.
func (o *attackOptions) validateShard(p attackPlan) error {
	if o.shards < 1 || o.shards > MaxShards {
		return o.bad("shards", "%d is out of range 1..%d", o.shards, MaxShards)
	}
	if o.shards == 1 {
		switch {
		case o.set["shard"]:
			return o.bad("shard", "takes -shards above 1")
		case o.startAt != "":
			return o.bad("start-at", "takes -shards above 1")
		}
		return nil
	}
	switch {
	case p.users != nil:
		return o.bad("shards", "closed-loop users follow no schedule to split; shard an open-loop attack (-rate, -rates, -stages)")
	case o.slo != "" && o.rates == "":
		return o.bad("shards", "an SLO search chooses its rates as it goes, so shards would part ways; give -rates")
	case o.target == "":
		return o.bad("shards", "shards attack one target: give -target (bench serve starts one on loopback)")
	}
	index := o.shardIndex
	if !o.set["shard"] {
		env, ok := os.LookupEnv(shardIndexEnv)
		if !ok {
			return o.bad("shard", "give this generator's shard, 0 to %d, or set %s as an Indexed Job does", o.shards-1, shardIndexEnv)
		}
		n, err := strconv.Atoi(env)
		if err != nil || n < 0 || n >= o.shards {
			return usagef("%s: %q: want a shard from 0 to %d", shardIndexEnv, env, o.shards-1)
		}
		index = n
	}
	if index < 0 || index >= o.shards {
		return o.bad("shard", "%d is out of range 0..%d", index, o.shards-1)
	}
	o.shard = load.Shard{Index: index, Count: o.shards, Slot: o.duration + o.timeout + time.Second}
	if o.startAt != "" {
		t, err := time.Parse(time.RFC3339, o.startAt)
		if err != nil {
			return o.bad("start-at", "%q: want a time in RFC 3339, such as 2026-11-24T12:00:00Z", o.startAt)
		}
		if time.Until(t) > 24*time.Hour {
			return o.bad("start-at", "%s is more than a day away", o.startAt)
		}
		o.shard.StartAt = t
	}
	suffix := fmt.Sprintf("shard%dof%d", index, o.shards)
	if o.label == "" {
		o.label = suffix
	} else {
		o.label += "-" + suffix
	}
	return nil
}

// shorten makes a -quick smoke run of the attack: one repetition (unless
// -reps says otherwise) and each attack at most a second long, its stages
// scaled alike so that the shape stays.
func (o *attackOptions) shorten(p *attackPlan) {
	if !o.set["reps"] {
		o.reps = 1
	}
	if o.duration <= time.Second {
		return
	}
	scale := float64(time.Second) / float64(o.duration)
	for _, stages := range [][]load.Stage{p.users, p.pacing.Stages} {
		for i := range stages {
			stages[i].Duration = time.Duration(float64(stages[i].Duration) * scale)
		}
	}
	o.duration = time.Second
	if p.users != nil {
		o.duration = load.StagesDuration(p.users)
	}
	if p.pacing.Kind == "stages" {
		o.duration = load.StagesDuration(p.pacing.Stages)
	}
}

// name is an attack's cells as results name them: "http 2000/s", "http
// stages" or "http users" (the scenario's workload name for http).
func (p attackPlan) name(workload string, rate vegeta.Rate) string {
	switch {
	case p.users != nil:
		return workload + " users"
	case p.pacing.Kind == "stages":
		return workload + " stages"
	}
	return workload + " " + load.FormatRate(rate)
}

// cells names the attack's cells ahead of it; a search's are unknown.
func (p attackPlan) cells(workload string) []string {
	if p.search {
		return nil
	}
	if p.users != nil || p.pacing.Kind == "stages" {
		return []string{p.name(workload, vegeta.Rate{})}
	}
	var names []string
	for _, r := range p.rates {
		names = append(names, p.name(workload, r))
	}
	return names
}

// strategy is the strategy the attack's cells are recorded under.
func (p attackPlan) strategy() string {
	if p.users != nil {
		return "closed-loop"
	}
	return "open-loop"
}

// stages are the attack's stages (of rate or of users), if it has any.
func (p attackPlan) stages() []load.Stage {
	if p.users != nil {
		return p.users
	}
	return p.pacing.Stages
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
	free, err := rundir.FreeSpace(o.out)
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
// ends: the rate achieved, p99, errors and late requests, and the stage.
type liveSink struct {
	load.Sink
	progress *progress
	what     string
	duration time.Duration
	stages   []load.Stage // of rate or of users; nil: none
	began    time.Time
}

func (l *liveSink) Interval(iv results.Interval, start time.Time, h *results.Histogram) error {
	line := fmt.Sprintf("%s  %s/%s  %s/s  p99 %s  errors %d  late %d", l.what,
		time.Since(l.began).Round(time.Second), l.duration, report.Rate(float64(iv.Completed)/iv.Length.Seconds()),
		report.Duration(iv.P99), iv.Errors, iv.Late)
	if i, ok := stageAt(l.stages, iv.Start); ok {
		line += fmt.Sprintf("  stage %d/%d (to %s)", i+1, len(l.stages), strconv.FormatFloat(l.stages[i].Target, 'f', -1, 64))
	}
	l.progress.set(func() string { return line })
	return l.Sink.Interval(iv, start, h)
}

// ordinal is the suffix of n's ordinal: "st" for 1, "th" for 4.
func ordinal(n int) string {
	switch {
	case n%100 >= 11 && n%100 <= 13:
		return "th"
	case n%10 == 1:
		return "st"
	case n%10 == 2:
		return "nd"
	case n%10 == 3:
		return "rd"
	}
	return "th"
}

// stageAt is the index of the stage running at offset t.
func stageAt(stages []load.Stage, t time.Duration) (int, bool) {
	var end time.Duration
	for i, s := range stages {
		if end += s.Duration; t < end {
			return i, true
		}
	}
	return 0, false
}
