package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/concbench/concbench/harness/escape"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/units"
)

// WriteAttackTable writes what open loop adds to the table, a row an
// attack by the rate asked: asked and achieved rates, requests sent, late
// and dropped, whether the generator kept its schedule
// (results.Repetition.GeneratorCheck), the requests not sent after an
// interruption (when any was), and slo's verdict (when given).
func WriteAttackTable(w io.Writer, cells []results.CellResult, slo results.SLO) {
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "attack\tasked/s\tachieved/s\tsent\tlate\tdropped\tgenerator\t"
	interrupted := slices.ContainsFunc(cells, func(c results.CellResult) bool { return c.Summary.NotSent > 0 })
	if interrupted {
		head += "not-sent\t"
	}
	if slo != nil {
		head += "SLO\t"
	}
	fmt.Fprintln(tw, head)
	byRate := slices.Clone(cells)
	slices.SortStableFunc(byRate, func(a, b results.CellResult) int {
		return cmp.Compare(a.Summary.TargetRate, b.Summary.TargetRate)
	})
	for _, c := range byRate {
		s := c.Summary
		generator := "ok"
		if len(s.GeneratorCheck()) > 0 {
			generator = "behind"
		}
		line := fmt.Sprintf("%s\t%s\t%s\t%d\t%d\t%d\t%s\t", escape.Terminal(c.Workload), Rate(s.TargetRate), Rate(s.Throughput), s.Completed, s.Late, s.Dropped, generator)
		if interrupted {
			line += fmt.Sprintf("%d\t", s.NotSent)
		}
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

// WriteTargetsTable writes each attack's breakdown by target name (its
// requests and errors counted, its response times), when the attack
// mixed named targets (bench attack -targets); nothing otherwise.
func WriteTargetsTable(w io.Writer, cells []results.CellResult) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	header := false
	for _, c := range cells {
		s := c.Summary
		var names []string
		for k := range s.Counters {
			if name, ok := strings.CutSuffix(k, "-requests"); ok && s.Classes[name] != (results.Quantiles{}) {
				names = append(names, name)
			}
		}
		slices.Sort(names)
		for _, name := range names {
			if !header {
				fmt.Fprintln(w)
				fmt.Fprintln(tw, "attack\ttarget\tsent\terrors\tresp-p50\tresp-p99\t")
				header = true
			}
			q := s.Classes[name]
			fmt.Fprintf(tw, "%s\t%s\t%.0f\t%.0f\t%s\t%s\t\n", escape.Terminal(c.Workload), escape.Terminal(name),
				s.Counters[name+"-requests"], s.Counters[name+"-errors"], units.Duration(q.P50), units.Duration(q.P99))
		}
	}
	tw.Flush()
}
