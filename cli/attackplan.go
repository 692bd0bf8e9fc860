package cli

import (
	"io"
	"slices"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/load"
	"github.com/concbench/concbench/harness/report"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/rundir"
	"github.com/concbench/concbench/plan"
)

// prepareAttack reads bench attack's flags (and its scenario file), checks
// them and builds the http workload, starting an embedded target or
// probing -target. It returns a nil workload with the error (or on -h).
func prepareAttack(args []string, stdout io.Writer) (*attackOptions, load.Plan, *harness.PlannedWorkload, error) {
	fs := newFlagSet("attack")
	o := defineAttackFlags(fs)
	if help, err := parseFlags(fs, args, stdout); help || err != nil {
		return o, load.Plan{}, nil, err
	}
	o.set = setFlags(fs)
	if o.file != "" {
		if err := o.fromScenario(fs); err != nil {
			return o, load.Plan{}, nil, err
		}
	}
	p, err := o.validate()
	if err != nil {
		return o, p, nil, err
	}
	params, err := o.request.over(o.params["http"])
	if err != nil {
		return o, p, nil, err
	}
	if _, ok := params["timeout"]; !ok && o.set["timeout"] {
		params["timeout"] = p.Timeout.String() // the probe of the target waits as long as a request
	}
	w, err := plan.Workload(results.WorkloadRecord{Name: o.workload, Family: "http", Params: params, Tasks: 1}, false, o.target)
	if err != nil && o.scenario != nil {
		err = o.scenario.Locate(err)
	}
	if err != nil {
		return o, p, nil, err
	}
	if o.scenario != nil {
		if err := o.scenario.CheckCells(p.Cells(o.workload), []string{p.Strategy()}); err != nil {
			harness.CloseWorkloads([]harness.PlannedWorkload{w}) //nolint:errcheck // the error to report is the selector
			return o, p, nil, err
		}
	}
	return o, p, &w, nil
}

// validate reads the plan and checks the options around it.
func (o *attackOptions) validate() (load.Plan, error) {
	p, err := o.plan.Plan()
	if err != nil {
		return p, o.locate(err)
	}
	if !slices.Contains([]string{"gob", "json", "csv", "none"}, o.encode) {
		return p, o.bad("encode", "%q: want gob, json, csv or none", o.encode)
	}
	if o.format.json() && o.bundle {
		return p, usagef("-format json: not with -bundle, which writes stdout too")
	}
	if o.quick {
		if !o.set["reps"] {
			p.Reps = 1
		}
		p.Shorten()
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
	return p, nil
}

// checkDisk refuses an attack whose vegeta results would not fit on the
// disk of -out: the requests the plan schedules, at about
// VegetaBytesPerResult each. The disk, not a request count, bounds an
// attack.
func (o *attackOptions) checkDisk(p load.Plan) error {
	per := report.VegetaBytesPerResult[o.encode]
	hits := p.Requests()
	if per == 0 || hits == 0 {
		return nil
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
