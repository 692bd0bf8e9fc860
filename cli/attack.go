package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/httpclient"
	"github.com/concbench/concbench/harness/live"
	"github.com/concbench/concbench/harness/load"
	"github.com/concbench/concbench/harness/report"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/rundir"
	"github.com/concbench/concbench/scenario"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// attackOptions are the flags of bench attack.
type attackOptions struct {
	plan                             load.PlanText // the rates, stages, users and bounds
	encode, out, label, target, file string
	startAt                          string
	shards, shardIndex               int
	quick, bundle                    bool
	format                           *outputFormat
	live                             *liveFlags
	shardsLabel                      string // -label as given, which every shard shares
	params                           paramsValue
	request                          requestFlags
	set                              map[string]bool // flags given on the command line

	shard    load.Shard // this process's part of the attack; the zero value: all of it
	scenario *scenario.File
	workload string                      // the scenario's workload name; "http" without one
	from     map[string]scenario.Setting // options the scenario file set, by flag
}

// defineAttackFlags defines bench attack's flags on fs.
func defineAttackFlags(fs *flag.FlagSet) *attackOptions {
	o := &attackOptions{params: paramsValue{}, workload: "http"}
	p := &o.plan
	p.Given, p.Name = o.given, o.name
	fs.StringVar(&o.file, "f", "", "attack as the attack section of this scenario file says; flags given override it")
	p.Define(fs)
	o.request.define(fs)
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
	o.format = defineFormat(fs)
	o.live = defineLiveFlags(fs)
	return o
}

// attackRun sends open-loop load at one or more rates (or searches for the
// highest rate that meets an SLO), or ramps closed-loop users, and writes a
// run folder like bench run.
func attackRun(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, p, w, err := prepareAttack(args, stdout)
	if w == nil {
		return err
	}
	defer harness.CloseWorkloads([]harness.PlannedWorkload{*w}) //nolint:errcheck // nothing to do about it
	src, ok := w.Workload.(httpclient.RequestSource)
	if !ok {
		return fmt.Errorf("workload %s sends no HTTP requests", w.Name)
	}
	dir, err := rundir.NewRunDir(o.out, o.label, time.Now())
	if err != nil {
		return usagef("-out: %v", err)
	}
	watch, err := o.live.start("attack", runName(dir, o.shardsLabel, o.shard.Sharded(), o.shard.StartAt), o.shard.Label(), stderr)
	if err != nil {
		rundir.RemoveUnused(dir)
		return err
	}
	progress := newProgress(stderr)
	checkpoints := rundir.NewCheckpointer(dir)
	sweep := o.sweep(p, w, src, dir, attackWatch{progress, watch}, args)
	sweep.Checkpoint = func(r *results.Results) {
		if o.scenario != nil {
			r.Scenario = o.scenario.Record()
		}
		watch.cells(r, dir)
		checkpoints.Save(r)
	}
	human := o.format.human(stdout, stderr)
	o.announceShard(human, stderr, progress)
	res, verdict, runErr := o.attack(ctx, &sweep, p)
	progress.clear()
	if err := checkpoints.Close(); err != nil {
		fmt.Fprintf(stderr, "warning: cannot checkpoint %s: %v\n", dir, err)
	}
	if res == nil || len(res.Cells) == 0 {
		watch.done(res, dir)
		rundir.RemoveUnused(dir)
		return runErr
	}
	err = o.report(res, p, verdict, dir, stdout, human)
	watch.done(res, dir)
	if err != nil {
		return err
	}
	if runErr != nil {
		return runErr
	}
	return judge(res, o.quick, human, stderr)
}

// attack runs the sweep as plan p says: users, a search, or rates.
func (o *attackOptions) attack(ctx context.Context, sweep *load.Sweep, p load.Plan) (*results.Results, string, error) {
	switch {
	case p.Users != nil:
		res, err := sweep.Users(ctx, load.Users{Request: sweep.Attack.Request, Targets: sweep.Attack.Targets, Client: sweep.Attack.Client, Stages: p.Users, Timeout: p.Timeout})
		return res, "", err
	case p.Search:
		return sweep.Search(ctx, p.Rates[0], p.MaxRate)
	default:
		return sweep.Rates(ctx, p.Rates)
	}
}

// attackWatch is who follows an attack: the progress line and, when
// asked for, the dashboard and remote write.
type attackWatch struct {
	line  *progress
	watch *watch
}

// sweep is the attacks of plan p on w's requests, each writing its files
// into dir and its seconds to the progress line and the watch.
func (o *attackOptions) sweep(p load.Plan, w *harness.PlannedWorkload, src httpclient.RequestSource, dir string, show attackWatch, args []string) load.Sweep {
	began, cells := time.Now(), 0
	return load.Sweep{
		Attack: load.Attack{Request: src.Request(), Client: w.Params["client"], Pacing: p.Pacing, Duration: p.Duration, MaxWorkers: p.MaxWorkers,
			Timeout: p.Timeout, LateAfter: p.LateAfter, MaxLateness: p.MaxLateness, Targets: src.Targets()},
		Reps:     p.Reps,
		Workload: w.Record(),
		SLO:      p.SLO,
		Args:     append([]string{"bench", "attack"}, args...),
		Shard:    o.shard,
		Progress: func(rate vegeta.Rate, rep int) {
			name := p.CellName(o.workload, rate)
			show.line.note("attack %s for %v (%d/%d)", name, p.Duration, rep+1, p.Reps)
			if rep == 0 {
				cells++
			}
			show.watch.progress(harness.Progress{Cell: cells, Cells: len(p.Cells(o.workload)), Rep: rep + 1, Reps: p.Reps, Name: name,
				Workload: name, Strategy: p.Strategy(), Limit: p.Limit(), Elapsed: time.Since(began)})
		},
		Open: func(rate vegeta.Rate, rep int) (load.Sink, error) {
			name := p.CellName(o.workload, rate)
			files, err := report.CreateAttackFiles(dir, report.AttackName(name, rep), o.encode, time.Now())
			if err != nil {
				return nil, err
			}
			what := fmt.Sprintf("attack %s (%d/%d)", name, rep+1, p.Reps)
			return &liveSink{Sink: files, progress: show.line, what: what, duration: p.Duration, stages: p.Stages(), began: time.Now(),
				watch: show.watch, labels: live.Labels{Workload: name, Strategy: p.Strategy(), Limit: p.Limit()}, rep: rep}, nil
		},
	}
}
