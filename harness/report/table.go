package report

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/concbench/concbench/harness/results"
)

// tableHeader names the columns of the terminal table and summary.md.
// resp-* is response time, from each task's intended start (in a
// closed-loop batch, the batch's start): what a caller saw, queueing
// included. svc-* is service time, from the task's own start: the request
// latency that wrk and hey report. sched-p99 is the p99 time goroutines
// waited runnable (the runtime's scheduler latency); stall the most the
// stall probe's 1 ms ticker ran late: Go's event-loop lag.
var tableHeader = []string{
	"workload", "strategy", "limit", "tasks", "wall", "tasks/s",
	"resp-p50", "resp-p90", "resp-p99", "resp-max", "svc-p50", "svc-p99", "sched-p99", "stall", "errors", "efficiency",
}

// Rows returns the table: one row per cell, each figure the median over
// the cell's repetitions (errors: the total). The terminal table and
// summary.md both render these rows.
func Rows(res *results.Results) [][]string {
	rows := [][]string{tableHeader}
	for _, c := range res.Cells {
		s := c.Summary
		limit := limitCell(c.Limit)
		name := c.Workload
		if c.Failed != "" {
			rows = append(rows, []string{name + " (failed)", c.Strategy, limit, strconv.Itoa(c.Tasks), "-", "-", "-", "-", "-", "-", "-", "-", "-", "-", failedCell(c.Failed), "-"})
			continue
		}
		if !c.Complete {
			name += " (incomplete)"
		}
		rows = append(rows, []string{
			name, c.Strategy, limit, strconv.Itoa(c.Tasks),
			Duration(s.Wall), Rate(s.Throughput),
			Duration(s.Response.P50), Duration(s.Response.P90), Duration(s.Response.P99), Duration(s.Response.Max),
			Duration(s.Service.P50), Duration(s.Service.P99),
			Duration(s.SchedLatency), Duration(s.Stall),
			errorsCell(s.Errors), efficiency(s),
		})
	}
	return rows
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
// cells, then when present the classes and the outcomes.
func Tables(res *results.Results) []Table {
	tables := []Table{{Rows: Rows(res)}}
	if rows := ClassRows(res); rows != nil {
		tables = append(tables, Table{"Response time by task class", rows})
	}
	if rows := OutcomeRows(res); rows != nil {
		tables = append(tables, Table{"How tasks ended, and what was counted", rows})
	}
	if rows := StageRows(res); rows != nil {
		tables = append(tables, Table{"Stages (of each cell's first whole repetition)", rows})
	}
	return tables
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
// its title before each after the first.
func WriteTable(w io.Writer, res *results.Results) error {
	for i, table := range Tables(res) {
		if i > 0 {
			fmt.Fprintf(w, "\n%s:\n", table.Title)
		}
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		for _, row := range table.Rows {
			fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

// Duration formats d with three significant digits: 812µs, 5.02ms, 1.23s.
func Duration(d time.Duration) string {
	if d <= 0 {
		return "0"
	}
	unit, scale := "ns", 1.0
	switch {
	case d >= time.Second:
		unit, scale = "s", float64(time.Second)
	case d >= time.Millisecond:
		unit, scale = "ms", float64(time.Millisecond)
	case d >= time.Microsecond:
		unit, scale = "µs", float64(time.Microsecond)
	}
	v := float64(d) / scale
	digits := max(0, 2-int(math.Floor(math.Log10(v))))
	return strconv.FormatFloat(v, 'f', digits, 64) + unit
}

// Rate formats a per-second rate with three significant digits.
func Rate(r float64) string {
	switch {
	case r >= 1e6:
		return strconv.FormatFloat(r/1e6, 'f', 2, 64) + "M"
	case r >= 1e4:
		return strconv.FormatFloat(r/1e3, 'f', 1, 64) + "k"
	case r >= 100:
		return strconv.FormatFloat(r, 'f', 0, 64)
	default:
		return strconv.FormatFloat(r, 'f', 1, 64)
	}
}

// Bytes formats a byte count in binary units: 512B, 3.2MiB, 1.5GiB, 10.5TiB.
func Bytes(n uint64) string {
	switch {
	case n >= 1<<40:
		return strconv.FormatFloat(float64(n)/(1<<40), 'f', 1, 64) + "TiB"
	case n >= 1<<30:
		return strconv.FormatFloat(float64(n)/(1<<30), 'f', 1, 64) + "GiB"
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + "MiB"
	case n >= 1<<10:
		return strconv.FormatFloat(float64(n)/(1<<10), 'f', 1, 64) + "KiB"
	}
	return strconv.FormatUint(n, 10) + "B"
}

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
