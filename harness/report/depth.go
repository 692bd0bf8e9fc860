package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/concbench/concbench/harness/results"
)

// DepthRows is the table of a depth search: a row per way of recursing.
func DepthRows(reports []results.DepthReport) [][]string {
	rows := [][]string{{"call", "deepest-ok", "first-failed", "probes", "how it failed"}}
	for _, r := range reports {
		failed, why := "-", "none up to the maximum tried"
		if r.Failed > 0 {
			failed, why = strconv.Itoa(r.Failed), r.Why
		}
		rows = append(rows, []string{r.Call, strconv.Itoa(r.Deepest), failed, strconv.Itoa(len(r.Probes)), why})
	}
	return rows
}

// WriteDepthTable writes the depth search's table aligned in columns.
func WriteDepthTable(w io.Writer, reports []results.DepthReport) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, row := range DepthRows(reports) {
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	return tw.Flush()
}
