package report

import (
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"

	"github.com/concbench/concbench/harness/escape"

	"github.com/concbench/concbench/harness/results"
)

// WriteMarkdown writes summary.md: the environment, the plan, the table and
// the charts (as PNG links beside it), readable in a pull request.
func WriteMarkdown(w io.Writer, res *results.Results, charts []Chart) {
	e := res.Env
	fmt.Fprintf(w, "# concbench run %s\n\n", e.Start.Format("2006-01-02 15:04:05 UTC"))
	if !res.Complete {
		fmt.Fprintf(w, "**Incomplete:** the run was interrupted; the cells below are what it measured.\n\n")
	}
	fmt.Fprintf(w, "%s\n\n", escape.Markdown(envLine(e)))
	fmt.Fprintf(w, "%s\n\n", escape.CodeSpan(strings.Join(e.CommandLine, " ")))
	p := res.Plan
	fmt.Fprintf(w, "%d measured repetitions per cell after %d warm-up; figures are medians over repetitions, errors are totals.\n\n", p.Reps, p.Warmup)
	for _, wl := range p.Workloads {
		fmt.Fprintf(w, "- **%s** (%s, %d tasks): %s\n", escape.Markdown(wl.Name), escape.Markdown(wl.Family), wl.Tasks, params(wl.Params))
	}
	fmt.Fprintln(w)
	for t, table := range Tables(res) {
		if t > 0 {
			fmt.Fprintf(w, "\n### %s\n\n", escape.Markdown(table.Title))
		}
		writeMarkdownTable(w, table.Rows, "| :--- | :--- |"+strings.Repeat(" ---: |", len(table.Rows[0])-2)) // names left, figures right
	}
	if len(res.Cells) > 0 && !isAttack(res) {
		fmt.Fprintf(w, "\n%s\n", escape.Markdown(Legend(res)))
	}
	if lines := RecommendationLines(res); len(lines) > 0 {
		fmt.Fprintf(w, "\n## Recommendation\n\n")
		for _, l := range lines {
			if strings.HasPrefix(l, "  ") {
				fmt.Fprintf(w, "  - %s\n", escape.Markdown(strings.TrimSpace(l)))
			} else {
				fmt.Fprintf(w, "- %s\n", escape.Markdown(l))
			}
		}
		fmt.Fprintf(w, "\nThe rule is in concbench's docs/recommendations.md.\n")
	}
	if len(res.Thresholds) > 0 {
		fmt.Fprintf(w, "\n## Thresholds\n\n")
		for _, v := range res.Thresholds {
			fmt.Fprintf(w, "- %s\n", escape.Markdown(v.String()))
		}
	}
	if len(res.Depth) > 0 {
		fmt.Fprintf(w, "\n## Deepest chain\n\n")
		rows := DepthRows(res.Depth)
		writeMarkdownTable(w, rows, "| :--- |"+strings.Repeat(" ---: |", len(rows[0])-2)+" :--- |")
	}
	if res.Capacity != nil {
		fmt.Fprintf(w, "\n## Capacity model\n\n")
		for _, l := range CapacityLines(res.Capacity) {
			fmt.Fprintf(w, "- %s\n", escape.Markdown(l))
		}
	}
	for _, c := range charts {
		title := escape.Markdown(c.Title)
		fmt.Fprintf(w, "\n## %s\n\n![%s](%s.png)\n", title, title, url.PathEscape(c.Name))
	}
}

// writeMarkdownTable writes a GFM table: the header row, the alignment
// row, then the rows, every cell escaped.
func writeMarkdownTable(w io.Writer, rows [][]string, align string) {
	for i, row := range rows {
		cells := make([]string, len(row))
		for j, c := range row {
			cells[j] = escape.Markdown(c)
		}
		fmt.Fprintf(w, "| %s |\n", strings.Join(cells, " | "))
		if i == 0 {
			fmt.Fprintln(w, align)
		}
	}
}

func params(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		keys[i] = k + "=" + m[k]
	}
	return escape.CodeSpan(strings.Join(keys, " "))
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func short(commit string) string { return commit[:min(len(commit), 12)] }

// envLine describes the environment in one line.
func envLine(e results.Environment) string {
	return fmt.Sprintf("%s %s/%s, GOMAXPROCS %d, %d CPUs (%s), clock %s, commit %s",
		e.GoVersion, e.GOOS, e.GOARCH, e.GOMAXPROCS, e.NumCPU, orUnknown(e.CPUModel), orUnknown(e.ClockSource), orUnknown(short(e.Commit)))
}
