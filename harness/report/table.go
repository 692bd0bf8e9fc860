package report

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/concbench/concbench/harness/escape"

	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/units"
)

// wideHeader names the columns of the wide table (-wide). resp-* is
// response time, from each task's intended start (in a closed-loop batch,
// the batch's start): what a caller saw, queueing included. svc-* is
// service time, from the task's own start: the request latency that wrk
// and hey report. sched-p99 is the p99 time goroutines waited runnable
// (the runtime's scheduler latency); stall the most the stall probe's
// 1 ms ticker ran late: Go's event-loop lag.
var wideHeader = []string{
	"workload", "strategy", "limit", "tasks", "wall", "goodput/s", "±",
	"resp-p50", "resp-p90", "resp-p99", "±", "resp-max", "svc-p50", "svc-p99", "sched-p99", "stall",
	"errors", "goroutines", "peak-mem", "efficiency", "verdict",
}

// header names the columns of the default table, which fits 120 columns:
// goodput and response p99 each with its spread ("1466 ±2%", see
// Spread), the service p99, errors, peak memory, efficiency and the
// verdict.
var header = []string{
	"workload", "strategy", "limit", "goodput/s", "resp-p50", "resp-p99", "svc-p99", "errors", "peak-mem", "eff", "verdict",
}

// Rows returns the default table, the header first: one row per cell,
// each figure the median over the cell's repetitions (errors: the total),
// goodput and p99 with their spread, and the verdict: "recommended",
// "tied" (within noise of the best goodput), or "FAILED 65% err" for a
// cell over its error budget. The terminal table, summary.md and
// report.html render these rows.
func Rows(res *results.Results) [][]string { return rows(res, false) }

// WideRows returns every column (bench run -wide).
func WideRows(res *results.Results) [][]string { return rows(res, true) }

// attackHeader names the columns of an attack's table: open and closed
// loop have no ideal bound, and the runtime probe does not run, so
// efficiency and peak memory are left out; the limit is the most workers
// (open loop) or users (closed loop) at once.
var attackHeader = []string{
	"workload", "strategy", "max-workers", "goodput/s", "resp-p50", "resp-p99", "svc-p99", "errors", "verdict",
}

// isAttack reports whether res is an attack's run (open or closed loop).
func isAttack(res *results.Results) bool {
	for _, c := range res.Cells {
		if c.Strategy != "open-loop" && c.Strategy != "closed-loop" {
			return false
		}
	}
	return len(res.Cells) > 0
}

func rows(res *results.Results, wide bool) [][]string {
	out := [][]string{header}
	if wide {
		out = [][]string{wideHeader}
	}
	attack := isAttack(res)
	if attack {
		out = [][]string{attackHeader}
	}
	verdicts := Verdicts(res)
	budget := res.Plan.Budget()
	for _, c := range res.Cells {
		s := c.Summary
		name := c.Workload
		if c.Failed != "" {
			row := []string{name, c.Strategy, limitCell(c.Limit)}
			for len(row) < len(out[0])-1 {
				row = append(row, "-")
			}
			out = append(out, append(row, "FAILED "+failedCell(c.Failed)))
			continue
		}
		if !c.Complete {
			name += " (incomplete)"
		}
		good, p99 := c.Spread(results.Goodput), c.Spread(results.ResponseP99)
		eff := efficiency(s)
		if c.OverBudget(budget) {
			eff = "-"
		}
		errs := strconv.Itoa(s.ErrorCount())
		if attack {
			out = append(out, []string{
				name, c.Strategy, limitCell(c.Limit), Rate(s.Throughput) + " " + spreadCell(good),
				Duration(s.Response.P50), Duration(s.Response.P99) + " " + spreadCell(p99), Duration(s.Service.P99), errs, verdicts[c.Name()],
			})
			continue
		}
		if wide {
			out = append(out, []string{
				name, c.Strategy, limitCell(c.Limit), strconv.Itoa(c.Tasks), Duration(s.Wall),
				Rate(s.Throughput), spreadCell(good), Duration(s.Response.P50), Duration(s.Response.P90), Duration(s.Response.P99), spreadCell(p99),
				Duration(s.Response.Max), Duration(s.Service.P50), Duration(s.Service.P99), Duration(s.SchedLatency), Duration(s.Stall),
				errorsCell(s.Errors), strconv.Itoa(s.PeakGoroutines), Bytes(s.PeakMemory), eff, verdicts[c.Name()],
			})
			continue
		}
		out = append(out, []string{
			name, c.Strategy, limitCell(c.Limit), Rate(s.Throughput) + " " + spreadCell(good),
			Duration(s.Response.P50), Duration(s.Response.P99) + " " + spreadCell(p99), Duration(s.Service.P99),
			errs, Bytes(s.PeakMemory), eff, verdicts[c.Name()],
		})
	}
	return out
}

// Verdicts marks each cell by name: "recommended" and "tied" from the
// run's recommendations, "FAILED 65% err" over the error budget, "LEAKED
// 100" when it left goroutines running.
func Verdicts(res *results.Results) map[string]string {
	out := map[string]string{}
	budget := res.Plan.Budget()
	for _, c := range res.Cells {
		switch {
		case c.Failed != "" || len(c.Repetitions) == 0:
		case c.OverBudget(budget):
			out[c.Name()] = "FAILED " + strconv.FormatFloat(100*c.FailedFraction(), 'f', 0, 64) + "% err"
		case c.Summary.Leaked > 0:
			out[c.Name()] = "LEAKED " + strconv.Itoa(c.Summary.Leaked)
		}
	}
	for _, r := range res.Recommendations {
		if r.Evidence == nil {
			continue
		}
		out[r.Evidence.Cell] = "recommended"
		for _, t := range r.Tied {
			out[r.Workload+" "+t] = "tied"
		}
	}
	return out
}

// spreadCell is a spread as benchstat prints it: "±3%", "±0%", or "~"
// behind the figure when only min–max is known (fewer than 6 repetitions).
func spreadCell(s results.Spread) string {
	pct := strconv.FormatFloat(100*s.Pct(), 'f', 0, 64) + "%"
	if s.Confidence == 0 {
		return "±" + pct + "~"
	}
	return "±" + pct
}

// Legend is the line under the table that says what its figures are.
func Legend(res *results.Results) string {
	spread := "a 95% interval of the median"
	if res.Plan.Reps < 6 {
		spread = "min to max (~: fewer than 6 repetitions give no 95% interval)"
	}
	return fmt.Sprintf("medians of %d repetitions; ± is %s. resp: from the batch's start, what a caller that submits every task at once waits; svc: one task's own time, what wrk and hey report. goodput counts successes only; a cell over the %s error budget is FAILED.",
		res.Plan.Reps, spread, percentLabel(res.Plan.Budget()))
}

func percentLabel(f float64) string {
	return strconv.FormatFloat(100*f, 'g', 3, 64) + "%"
}

// classHeader names the columns of the per-class table.
var classHeader = []string{"workload", "strategy", "limit", "class", "resp-p50", "resp-p90", "resp-p99", "resp-max"}

// ClassRows returns the response times of each class of task (hog's
// victims and hogs), a row per cell and class, or nil when no workload
// mixes classes.
func ClassRows(res *results.Results) [][]string {
	var rows [][]string
	for _, c := range res.Cells {
		classes := slices.Sorted(maps.Keys(c.Summary.Classes))
		for _, class := range classes {
			q := c.Summary.Classes[class]
			rows = append(rows, []string{c.Workload, c.Strategy, limitCell(c.Limit), class,
				Duration(q.P50), Duration(q.P90), Duration(q.P99), Duration(q.Max)})
		}
	}
	if rows == nil {
		return nil
	}
	return append([][]string{classHeader}, rows...)
}

// outcomeHeader names the columns of the outcome table.
var outcomeHeader = []string{"workload", "strategy", "limit", "finished", "failed", "not-started", "counters"}

// OutcomeRows returns, for each cell where tasks failed or never started
// or the strategy or workload counted something, how a repetition's tasks
// ended (medians over repetitions) and the counters; nil when no cell has
// any.
func OutcomeRows(res *results.Results) [][]string {
	var rows [][]string
	for _, c := range res.Cells {
		s := c.Summary
		if c.Failed != "" || s.NotStarted == 0 && s.ErrorCount() == 0 && len(countersShown(s.Counters)) == 0 {
			continue
		}
		ok, failed, notStarted := c.Outcome()
		rows = append(rows, []string{c.Workload, c.Strategy, limitCell(c.Limit),
			strconv.Itoa(ok), strconv.Itoa(failed), strconv.Itoa(notStarted), orDash(strings.Join(countersShown(s.Counters), ", "))})
	}
	if rows == nil {
		return nil
	}
	return append([][]string{outcomeHeader}, rows...)
}

// countersShown formats the counters "name value", sorted by name.
func countersShown(m map[string]float64) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, k+" "+strconv.FormatFloat(m[k], 'g', 4, 64))
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func limitCell(limit int) string {
	if limit > 0 {
		return strconv.Itoa(limit)
	}
	return "-"
}

// Table is one titled table of a run; the first has no title.
type Table struct {
	Title string
	Rows  [][]string // the header first
}

// Tables returns the tables of a run in the order they are shown: the
// cells (Rows), then when present the classes, the outcomes and the
// stages.
func Tables(res *results.Results) []Table { return tables(res, false) }

func tables(res *results.Results, wide bool) []Table {
	tables := []Table{{Rows: rows(res, wide)}}
	if rows := ClassRows(res); rows != nil {
		tables = append(tables, Table{"Response time by task class", rows})
	}
	if rows := OutcomeRows(res); rows != nil {
		tables = append(tables, Table{"How tasks ended, and what was counted", rows})
	}
	if rows := StageRows(res); rows != nil {
		tables = append(tables, Table{"Stages (of each cell's first whole repetition)", rows})
	}
	if rows := ProfileRows(res); rows != nil {
		tables = append(tables, Table{"Profiled cells (their figures include the profilers' cost): the CPU profile's top functions, by share of samples", rows})
	}
	if rows := TraceRows(res); rows != nil {
		tables = append(tables, Table{"Execution trace of each cell's slowest repetition: goroutines' time runnable (the scheduler's wait) and blocked, by cause, summed over goroutines", rows})
	}
	return tables
}

// TraceRows returns, for each cell with a trace summary (-profile
// trace), the scheduler's wait and the blocking causes, most first; nil
// when none has one.
func TraceRows(res *results.Results) [][]string {
	var rows [][]string
	for _, c := range res.Cells {
		if c.Trace == nil {
			continue
		}
		limit := "-"
		if c.Limit > 0 {
			limit = strconv.Itoa(c.Limit)
		}
		rows = append(rows, []string{c.Workload, c.Strategy, limit, "runnable, not running (scheduler wait)", Duration(c.Trace.SchedWait)})
		causes := slices.SortedFunc(maps.Keys(c.Trace.Blocked), func(a, b string) int {
			return cmp.Or(cmp.Compare(c.Trace.Blocked[b], c.Trace.Blocked[a]), strings.Compare(a, b))
		})
		for _, cause := range causes {
			rows = append(rows, []string{c.Workload, c.Strategy, limit, "blocked: " + cause, Duration(c.Trace.Blocked[cause])})
		}
	}
	if rows == nil {
		return nil
	}
	return append([][]string{{"workload", "strategy", "limit", "waiting", "time"}}, rows...)
}

// ProfileRows returns, for each profiled cell (-profile), its CPU
// profile's top functions with their flat and cumulative shares, and on
// the cell's first row the files it wrote; nil when no cell was profiled.
func ProfileRows(res *results.Results) [][]string {
	var rows [][]string
	for _, c := range res.Cells {
		if len(c.Profiles) == 0 {
			continue
		}
		files := make([]string, 0, len(c.Profiles))
		for _, kind := range slices.Sorted(maps.Keys(c.Profiles)) {
			files = append(files, c.Profiles[kind])
		}
		limit := "-"
		if c.Limit > 0 {
			limit = strconv.Itoa(c.Limit)
		}
		first := len(rows)
		for _, f := range c.CPUTop {
			rows = append(rows, []string{c.Workload, c.Strategy, limit, f.Name, shareLabel(f.Flat), shareLabel(f.Cum), ""})
		}
		if len(rows) == first {
			rows = append(rows, []string{c.Workload, c.Strategy, limit, "(no CPU samples)", "", "", ""})
		}
		rows[first][6] = strings.Join(files, " ")
	}
	if rows == nil {
		return nil
	}
	return append([][]string{{"workload", "strategy", "limit", "function", "flat", "cum", "files"}}, rows...)
}

// StageRows returns the stages of staged attacks (bench attack -stages or
// -users), a row per stage of each cell's first whole repetition: the
// ramp (requests a second, or users), what was scheduled and completed,
// and the response times; nil when no cell has stages.
func StageRows(res *results.Results) [][]string {
	var rows [][]string
	for _, c := range res.Cells {
		reps := c.Whole()
		if len(reps) == 0 {
			continue
		}
		unit := "/s"
		if c.Strategy == "closed-loop" {
			unit = " users"
		}
		for i, s := range reps[0].Stages {
			rows = append(rows, []string{c.Workload, c.Strategy, strconv.Itoa(i + 1), s.Start.String() + "–" + s.End.String(),
				Rate(s.From) + "→" + Rate(s.To) + unit, strconv.Itoa(s.Scheduled), strconv.Itoa(s.Completed), strconv.Itoa(s.Errors),
				strconv.Itoa(s.Late), Duration(s.P50), Duration(s.P99), Duration(s.Max)})
		}
	}
	if rows == nil {
		return nil
	}
	header := []string{"workload", "strategy", "stage", "time", "ramp", "scheduled", "completed", "errors", "late", "p50", "p99", "max"}
	return append([][]string{header}, rows...)
}

// WriteTable writes the tables, each aligned in columns, a blank line and
// its title before each after the first; wide shows every column of the
// cells.
func WriteTable(w io.Writer, res *results.Results, wide bool) error {
	for i, table := range tables(res, wide) {
		if i > 0 {
			fmt.Fprintf(w, "\n%s:\n", table.Title)
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		for _, row := range table.Rows {
			for _, cell := range row {
				fmt.Fprint(tw, escape.Terminal(cell)+"\t")
			}
			fmt.Fprintln(tw)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if i == 0 && len(res.Cells) > 0 && !isAttack(res) {
			fmt.Fprintln(w, wrap(Legend(res), 120))
		}
	}
	return nil
}

// wrap breaks s into lines of at most width columns, at spaces.
func wrap(s string, width int) string {
	var b strings.Builder
	line := 0
	for i, word := range strings.Fields(s) {
		if i > 0 && line+1+len([]rune(word)) > width {
			b.WriteString("\n")
			line = 0
		} else if i > 0 {
			b.WriteString(" ")
			line++
		}
		b.WriteString(word)
		line += len([]rune(word))
	}
	return b.String()
}

// Duration, Rate and Bytes format figures for tables (package units).
var (
	Duration = units.Duration
	Rate     = units.Rate
	Bytes    = units.Bytes
)

// failedCell shortens a failure to its first clause.
func failedCell(reason string) string {
	if i := strings.Index(reason, ":"); i > 0 {
		return reason[:i]
	}
	return reason
}

// efficiency is ideal / wall as a percentage, or "-" when the ideal is not
// known (an external target, an open-loop attack).
func efficiency(s results.Repetition) string {
	if s.Ideal == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f%%", 100*s.Efficiency)
}

func errorsCell(m map[string]int) string {
	if len(m) == 0 {
		return "0"
	}
	kinds := make([]string, 0, len(m))
	total := 0
	for k, n := range m {
		kinds = append(kinds, k)
		total += n
	}
	sort.Strings(kinds)
	return fmt.Sprintf("%d (%s)", total, strings.Join(kinds, ","))
}

// shareLabel is a share as a percentage with one decimal: "12.5%".
func shareLabel(f float64) string { return strconv.FormatFloat(100*f, 'f', 1, 64) + "%" }
