package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/load"
	"github.com/concbench/concbench/harness/rundir"
)

// validate checks a scenario file without running it: the parse, every
// workload's parameters (an http target is probed), strategies and limits.
func validate(_ context.Context, args []string, stdout, _ io.Writer) error {
	fs := newFlagSet("validate")
	o := defineRunFlags(fs)
	if help, err := parseFlags(fs, args, stdout); help || err != nil {
		return err
	}
	if o.file == "" {
		return usagef("validate: want -f FILE")
	}
	if f, err := loadScenario(o.file); err == nil && f.Attack != nil {
		return validateAttack(o.file, stdout)
	}
	o.set = map[string]bool{}
	p, err := o.plan()
	if err != nil {
		return err
	}
	defer p.Close()
	fmt.Fprintf(stdout, "ok: %s (%s): %d workloads, %d cells, %d thresholds, sha256 %s\n",
		o.file, o.scenario.Name, len(p.Workloads), len(p.Cells()), len(o.scenario.Thresholds), o.scenario.SHA256[:12])
	return nil
}

// validateAttack checks an attack scenario as bench attack -f would, without
// sending any request but the target's probe.
func validateAttack(file string, stdout io.Writer) error {
	o, p, w, err := prepareAttack([]string{"-f", file}, stdout)
	if w == nil {
		return err
	}
	harness.CloseWorkloads([]harness.PlannedWorkload{*w}) //nolint:errcheck // nothing to do about it
	what := "open loop, " + strings.Join(p.Cells(o.workload), ", ")
	switch {
	case p.Users != nil:
		what = "closed loop, users " + load.FormatStages(p.Users)
	case p.Pacing.Kind == "stages":
		what = "open loop, stages " + load.FormatStages(p.Pacing.Stages)
	case p.Search:
		what = "open loop, the highest rate that meets " + o.plan.SLO
	}
	fmt.Fprintf(stdout, "ok: %s (%s): attack, %s, %v an attack, %d thresholds, sha256 %s\n",
		file, o.scenario.Name, what, p.Duration, len(o.scenario.Thresholds), o.scenario.SHA256[:12])
	return nil
}

// initScenario writes a commented starter scenario to stdout or, with -o,
// to a new file (never over an existing one).
func initScenario(_ context.Context, args []string, stdout, _ io.Writer) error {
	fs := newFlagSet("init")
	out := fs.String("o", "", "write to this new file instead of stdout")
	if help, err := parseFlags(fs, args, stdout); help || err != nil {
		return err
	}
	if *out == "" {
		_, err := io.WriteString(stdout, starter)
		return err
	}
	if _, err := os.Stat(*out); err == nil {
		return usagef("-o: %s exists; init never overwrites", *out)
	}
	if err := rundir.WriteFile(*out, []byte(starter)); err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err // its path is the temporary file's
		}
		return usagef("-o: cannot write %s: %v", *out, err)
	}
	fmt.Fprintf(stdout, "wrote %s; run it with: go run ./cmd/bench run -f %s\n", *out, *out)
	return nil
}

// starter is what bench init writes: every key, commented.
const starter = `# A concbench scenario: a whole benchmark plan in one reviewable file.
# Run it:    go run ./cmd/bench run -f scenario.yaml
# Check it:  go run ./cmd/bench validate -f scenario.yaml
# Every key is documented in docs/scenario.md; flags given to bench run
# override the file (-reps 10, -quick, -workloads io-fast, ...).
schema: concbench/scenario/v1
name: starter
description: >
  How much do strategies differ on fast and slow simulated I/O,
  and which one keeps p99 under 50 ms?

# Named workloads: several variants of one family are fine.
workloads:
  io-fast:
    family: io          # see: go run ./cmd/bench list
    tasks: 200          # root tasks per repetition (default: the family's)
    timeout: 1s         # per task: a task past it sees its context done
    params:
      latency: 5ms
  io-slow:
    family: io
    params:
      latency: 20ms
      dist: lognormal   # constant, uniform or lognormal
      spread: 0.3

strategies: [sequential, unbounded, pool, semaphore]
limits: [8, 32]         # for pool, semaphore and offload; a list sweeps
reps: 6                 # measured repetitions per cell
warmup: 1               # discarded repetitions per cell

# target: http://127.0.0.1:8080/   # for http workloads; default: an embedded target

# Thresholds set the exit status (1 when one fails), like k6's. A
# condition applies to every cell, or to the cells a selector names
# ("workload:", "strategy:" or "workload/strategy:").
thresholds:
  - "unbounded: p99 < 50ms"
  - "errors < 0.1%"

output:
  dir: results          # parent folder of the run folder
  label: starter        # suffix of the run folder's name
`
