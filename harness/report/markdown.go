package report

import (
	"fmt"
	"io"
	"sort"
	"strings"

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
	fmt.Fprintf(w, "%s\n\n", envLine(e))
	fmt.Fprintf(w, "`%s`\n\n", strings.Join(e.CommandLine, " "))
	p := res.Plan
	fmt.Fprintf(w, "%d measured repetitions per cell after %d warm-up; figures are medians over repetitions, errors are totals.\n\n", p.Reps, p.Warmup)
	for _, wl := range p.Workloads {
		fmt.Fprintf(w, "- **%s** (%s, %d tasks): %s\n", wl.Name, wl.Family, wl.Tasks, params(wl.Params))
	}
	fmt.Fprintln(w)
	for t, table := range Tables(res) {
		if t > 0 {
			fmt.Fprintf(w, "\n### %s\n\n", table.Title)
		}
		for i, row := range table.Rows {
			fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
			if i == 0 {
				// Names left, figures right.
				fmt.Fprintf(w, "| :--- | :--- |%s\n", strings.Repeat(" ---: |", len(row)-2))
			}
		}
	}
	if len(res.Cells) > 0 && !isAttack(res) {
		fmt.Fprintf(w, "\n%s\n", Legend(res))
	}
	if lines := RecommendationLines(res); len(lines) > 0 {
		fmt.Fprintf(w, "\n## Recommendation\n\n")
		for _, l := range lines {
			if strings.HasPrefix(l, "  ") {
				fmt.Fprintf(w, "  - %s\n", strings.TrimSpace(l))
			} else {
				fmt.Fprintf(w, "- %s\n", l)
			}
		}
		fmt.Fprintf(w, "\nThe rule is in concbench's docs/recommendations.md.\n")
	}
	if len(res.Thresholds) > 0 {
		fmt.Fprintf(w, "\n## Thresholds\n\n")
		for _, v := range res.Thresholds {
			fmt.Fprintf(w, "- %s\n", v)
		}
	}
	if len(res.Depth) > 0 {
		fmt.Fprintf(w, "\n## Deepest chain\n\n")
		for i, row := range DepthRows(res.Depth) {
			fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
			if i == 0 {
				fmt.Fprintf(w, "| :--- |%s :--- |\n", strings.Repeat(" ---: |", len(row)-2))
			}
		}
	}
	if res.Capacity != nil {
		fmt.Fprintf(w, "\n## Capacity model\n\n")
		for _, l := range CapacityLines(res.Capacity) {
			fmt.Fprintf(w, "- %s\n", l)
		}
	}
	for _, c := range charts {
		fmt.Fprintf(w, "\n## %s\n\n![%s](%s.png)\n", c.Title, c.Title, c.Name)
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
	return "`" + strings.Join(keys, " ") + "`"
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
