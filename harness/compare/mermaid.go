package compare

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"github.com/concbench/concbench/harness/escape"
)

// chartMetrics are the metrics drawn as Mermaid charts, with their short
// name, the unit of their axis and the scale that divides their value.
var chartMetrics = []struct {
	name, short, unit string
	scale             float64
}{
	{"throughput", "goodput", "tasks/s", 1},
	{"p99", "p99 response", "ms", 1e6},
}

// Chart layout: more cells than horizontalAfter, or labels too long to
// stand side by side, turn the bars sideways so that every label has its
// own line; values spanning more than maxSpan times split the cells over
// charts with axes of their own.
const (
	horizontalAfter = 6
	maxSpan         = 20
	// sideBySide is how many characters of labels fit across a chart:
	// Mermaid's default chart is 700 px wide, its labels about 6.7 px a
	// character, each label within 90% of its slot.
	sideBySide = 85
)

// sideways reports whether labels are better drawn as rows.
func sideways(labels []string) bool {
	longest := 0
	for _, l := range labels {
		longest = max(longest, len([]rune(l)))
	}
	return len(labels) > horizontalAfter || longest*len(labels) > sideBySide
}

// WriteGitHub writes the comparison as GitHub renders it in a pull-request
// comment or a job summary, with nothing uploaded: the markdown tables and
// notes, then a section per workload with its recommendation on both sides
// in words and Mermaid xychart-beta charts, small enough to read at a
// glance:
//   - the change of head against base in goodput and in p99, a bar per
//     cell in the cells' order, worse in orange and better in green, a
//     change within noise drawn as 0 and labelled "~" as the table marks it
//     (a sentence instead when no cell changed);
//   - folded under them, each side's goodput and p99: head as bars, base
//     as a line, split over charts with axes of their own when the cells'
//     values span more than 20 times.
//
// Bars turn sideways past 6 cells, or when the labels would not fit side
// by side. PNG and SVG charts stay in the comparison folder.
func (c *Comparison) WriteGitHub(w io.Writer) {
	c.WriteMarkdown(w, nil)
	for _, workload := range c.workloads() {
		fmt.Fprintf(w, "\n### %s\n\n", escape.Markdown(workload))
		for _, a := range c.Answers {
			if a.Workload == workload {
				fmt.Fprintln(w, escape.Markdown(recommendationWords(a)))
			}
		}
		for _, m := range chartMetrics {
			if ch, changed := c.changeChart(workload, m.name, m.short); changed {
				ch.write(w)
			} else {
				fmt.Fprintf(w, "\n%s: no significant change in any cell (~).\n", escape.Markdown(m.short))
			}
		}
		fmt.Fprintf(w, "\n<details><summary>%s: goodput and p99 of each side</summary>\n", escape.HTML(workload))
		for _, m := range chartMetrics {
			for _, ch := range c.absoluteCharts(workload, m.name, m.short+" ("+m.unit+")", m.scale) {
				ch.write(w)
			}
		}
		fmt.Fprintf(w, "\n</details>\n")
	}
}

// recommendationWords says a workload's answer on both sides in a line.
func recommendationWords(a Answer) string {
	if a.Tied {
		return "Recommendation: base " + a.Base + ", head " + a.Head + ", each tied within noise with the other on both sides: not a change."
	}
	if a.Differs {
		return "Recommendation changed: base " + a.Base + ", head " + a.Head + "."
	}
	return "Recommendation: " + a.Head + " on both sides."
}

// workloads are the workloads of the rows, in the cells' order.
func (c *Comparison) workloads() []string {
	var out []string
	for _, r := range c.Rows {
		if !slices.Contains(out, r.Workload) {
			out = append(out, r.Workload)
		}
	}
	return out
}

// rowsOf are the rows of one workload and metric, in the cells' order.
func (c *Comparison) rowsOf(workload, metric string) []Row {
	var out []Row
	for _, r := range c.Rows {
		if r.Workload == workload && r.Metric == metric {
			out = append(out, r)
		}
	}
	return out
}

// cellLabel names a cell inside its workload's chart: "pool 8".
func cellLabel(k Key) string {
	if k.Limit == 0 {
		return k.Strategy
	}
	return k.Strategy + " " + strconv.Itoa(k.Limit)
}

// changeChart draws head's change against base in percent, one bar per
// cell: worse and better are two series, each 0 where the other stands,
// so that both grow from 0 in their own colour; a third, grey, series of
// zeros covers the stub Mermaid draws for a 0, so an unchanged cell reads
// as grey. It reports whether any cell changed.
func (c *Comparison) changeChart(workload, metric, short string) (xyChart, bool) {
	rows := c.rowsOf(workload, metric)
	ch := xyChart{title: workload + ": " + short + " change, head vs base (orange worse, green better)",
		yAxis: "change (%)", palette: "#D55E00, #009E73, #BBBBBB"}
	worse, better := make([]float64, len(rows)), make([]float64, len(rows))
	for i, r := range rows {
		label := cellLabel(r.Key) + " ~"
		if r.Changed {
			label = fmt.Sprintf("%s %+.1f%%", cellLabel(r.Key), r.DeltaPct)
			if r.Better {
				better[i] = math.Abs(r.DeltaPct)
			} else {
				worse[i] = math.Abs(r.DeltaPct)
			}
		}
		ch.labels = append(ch.labels, label)
		ch.top = max(ch.top, worse[i], better[i])
	}
	ch.top = niceCeil(max(ch.top*1.1, 5))
	ch.horizontal = sideways(ch.labels)
	ch.series = []series{{"bar", worse}, {"bar", better}, {"bar", make([]float64, len(rows))}}
	return ch, slices.ContainsFunc(rows, func(r Row) bool { return r.Changed })
}

// absoluteCharts draw each side's values of one metric, head as bars and
// base as a line; when they span more than maxSpan times, the cells are
// split over charts whose own axes hold them, in the cells' order.
func (c *Comparison) absoluteCharts(workload, metric, axis string, scale float64) []xyChart {
	rows := c.rowsOf(workload, metric)
	values := make([]float64, len(rows))
	for i, r := range rows {
		values[i] = max(r.Base, r.Head) / scale
	}
	parts := splitBySpan(values, maxSpan)
	var out []xyChart
	for p, idx := range parts {
		ch := xyChart{title: workload + ": " + axis + ", head bars, base line", yAxis: axis, palette: "#0072B2, #444444"}
		if len(parts) > 1 {
			ch.title += fmt.Sprintf(" (%d of %d)", p+1, len(parts))
		}
		head, base := make([]float64, len(idx)), make([]float64, len(idx))
		for j, i := range idx {
			ch.labels = append(ch.labels, cellLabel(rows[i].Key))
			head[j], base[j] = rows[i].Head/scale, rows[i].Base/scale
			ch.top = max(ch.top, head[j], base[j])
		}
		ch.top = niceCeil(ch.top * 1.1)
		ch.horizontal = sideways(ch.labels)
		ch.series = []series{{"bar", head}, {"line", base}}
		out = append(out, ch)
	}
	return out
}

// splitBySpan groups the indexes of values so that within a group the
// largest is at most span times the smallest (values at or below 0 join
// the smallest group), each group in index order, the groups from the
// smallest values up.
func splitBySpan(values []float64, span float64) [][]int {
	order := make([]int, len(values))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(values[a], values[b]) })
	var groups [][]int
	low := 0.0
	for _, i := range order {
		v := values[i]
		if len(groups) == 0 || (low > 0 && v > span*low) {
			groups = append(groups, nil)
			low = 0
		}
		if low <= 0 {
			low = v
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], i)
	}
	for _, g := range groups {
		slices.Sort(g)
	}
	return groups
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
