package cli

import (
	"fmt"
	"io"

	"github.com/concbench/concbench/harness/escape"
	"github.com/concbench/concbench/harness/load"
	"github.com/concbench/concbench/harness/report"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/rundir"
)

// report prints the run's tables (or, with -format json, its summary),
// verdict and warnings, and saves it; lines for a person go to human.
func (o *attackOptions) report(res *results.Results, p load.Plan, verdict, dir string, stdout, human io.Writer) error {
	if o.scenario != nil {
		res.Scenario = o.scenario.Record()
		res.Thresholds = o.scenario.Verdicts(res)
	}
	if !o.format.json() {
		if err := report.WriteTable(stdout, res, false); err != nil {
			return err
		}
		report.WriteAttackTable(stdout, res.Cells, p.SLO)
		report.WriteTargetsTable(stdout, res.Cells)
	}
	if verdict != "" {
		fmt.Fprintln(human, "\n"+verdict)
	}
	if !res.Complete {
		fmt.Fprintln(human, "\nincomplete: interrupted; the table holds what was measured so far")
	}
	for _, w := range res.GeneratorWarnings() {
		fmt.Fprintln(human, "\n"+escape.Terminal(w))
	}
	if err := saveRun(dir, res); err != nil {
		return err
	}
	if err := writeOutcome(o.format, res, dir, stdout); err != nil {
		return err
	}
	if o.shard.Sharded() {
		fmt.Fprintf(human, "shard %d of %d: merge every shard's folder with bench merge DIR...\n", o.shard.Index, o.shard.Count)
	}
	if o.bundle {
		if err := rundir.WriteBundle(stdout, dir); err != nil {
			return fmt.Errorf("-bundle: %v", err)
		}
	}
	return nil
}
