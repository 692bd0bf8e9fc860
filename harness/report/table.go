package report

import (
	"fmt"
	"io"
	"math"
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
// latency that wrk and hey report.
var tableHeader = []string{
	"workload", "strategy", "limit", "tasks", "wall", "tasks/s",
	"resp-p50", "resp-p90", "resp-p99", "resp-max", "svc-p50", "svc-p99", "errors", "efficiency",
}

// Rows returns the table: one row per cell, each figure the median over
// the cell's repetitions (errors: the total). The terminal table and
// summary.md both render these rows.
func Rows(res *results.Results) [][]string {
	rows := [][]string{tableHeader}
	for _, c := range res.Cells {
		s := c.Summary
		limit := "-"
		if c.Limit > 0 {
			limit = strconv.Itoa(c.Limit)
		}
		name := c.Workload
		if c.Failed != "" {
			rows = append(rows, []string{name + " (failed)", c.Strategy, limit, strconv.Itoa(c.Tasks), "-", "-", "-", "-", "-", "-", "-", "-", failedCell(c.Failed), "-"})
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
			errorsCell(s.Errors), efficiency(s),
		})
	}
	return rows
}

// WriteTable writes the rows aligned in columns.
func WriteTable(w io.Writer, res *results.Results) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, row := range Rows(res) {
		fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
	}
	return tw.Flush()
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
