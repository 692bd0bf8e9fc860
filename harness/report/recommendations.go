package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/concbench/concbench/harness/escape"

	"github.com/concbench/concbench/harness/results"
)

// RecommendationLines are the run's recommendations as plain text, one
// entry per workload: "io: unbounded (no bound on tasks): the highest
// goodput ...", then, indented, what was tied, what to try next and what
// was left out.
func RecommendationLines(res *results.Results) []string {
	var out []string
	for _, r := range res.Recommendations {
		line := r.Workload + ": " + r.Reason
		if r.Strategy == "" {
			line = r.Workload + ": no recommendation: " + r.Reason
		}
		out = append(out, line)
		if len(r.Tied) > 0 {
			out = append(out, "  tied within noise: "+strings.Join(r.Tied, ", "))
		}
		if len(r.TryLimits) > 0 {
			out = append(out, "  the limits tried leave it open: try "+joinInts(r.TryLimits))
		}
		if len(r.Failed) > 0 {
			out = append(out, "  left out: "+strings.Join(r.Failed, "; "))
		}
	}
	return out
}

// WriteRecommendations writes the recommendations under a heading, each
// line wrapped to 120 columns; nothing when the run has none.
func WriteRecommendations(w io.Writer, res *results.Results) {
	if len(res.Recommendations) == 0 {
		return
	}
	fmt.Fprintln(w, "\nrecommendation (rule: docs/recommendations.md):")
	for _, l := range RecommendationLines(res) {
		indent := "  "
		if strings.HasPrefix(l, "  ") {
			indent = "      "
		}
		// Continuation lines are indented two more: the width leaves room.
		fmt.Fprintln(w, indent+strings.ReplaceAll(wrap(escape.Terminal(strings.TrimSpace(l)), 120-len(indent)-2), "\n", "\n"+indent+"  "))
	}
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}
