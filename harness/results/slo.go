package results

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/concbench/concbench/harness/input"
)

// SLO is a set of conditions a repetition must meet, such as
// "p99<=50ms,success>=99.9%".
type SLO []Condition

// Condition is one bound: a response-time quantile (p50, p90, p95, p99,
// p99.9, max) under a duration, success (successful / submitted, so that
// dropped requests count against it) above a percentage, or errors
// (everything else) under one.
type Condition struct {
	Metric string
	Op     string // "<", "<=", ">", ">="
	Limit  float64
	text   string
}

func (c Condition) String() string { return c.text }

// String writes the SLO as it was given: "p99<=50ms,success>=99.9%".
func (s SLO) String() string {
	parts := make([]string, len(s))
	for i, c := range s {
		parts[i] = c.text
	}
	return strings.Join(parts, ",")
}

var sloLatency = map[string]func(Quantiles) time.Duration{
	"p50": func(q Quantiles) time.Duration { return q.P50 }, "p90": func(q Quantiles) time.Duration { return q.P90 },
	"p95": func(q Quantiles) time.Duration { return q.P95 }, "p99": func(q Quantiles) time.Duration { return q.P99 },
	"p99.9": func(q Quantiles) time.Duration { return q.P999 }, "max": func(q Quantiles) time.Duration { return q.Max },
}

// ParseSLO reads a comma-separated list of conditions; a bad one is an
// *input.Error on field.
func ParseSLO(field, s string) (SLO, error) {
	var slo SLO
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		i := strings.IndexAny(part, "<>")
		if i <= 0 {
			return nil, input.Errorf(field, "%q: want metric<=value, e.g. p99<=50ms or success>=99.9%%", part)
		}
		c := Condition{Metric: part[:i], Op: part[i : i+1], text: part}
		rest := part[i+1:]
		if strings.HasPrefix(rest, "=") {
			c.Op += "="
			rest = rest[1:]
		}
		switch {
		case sloLatency[c.Metric] != nil:
			d, err := time.ParseDuration(rest)
			if err != nil || d <= 0 {
				return nil, input.Errorf(field, "%q: %q is not a duration above 0", part, rest)
			}
			c.Limit = float64(d)
		case c.Metric == "success" || c.Metric == "errors":
			num, ok := strings.CutSuffix(rest, "%")
			v, err := strconv.ParseFloat(num, 64)
			if !ok || err != nil || math.IsNaN(v) || v < 0 || v > 100 {
				return nil, input.Errorf(field, "%q: %q is not a percentage from 0%% to 100%%", part, rest)
			}
			c.Limit = v
		default:
			return nil, input.Errorf(field, "%q: unknown metric %q (p50, p90, p95, p99, p99.9, max, success, errors)", part, c.Metric)
		}
		slo = append(slo, c)
	}
	return slo, nil
}

// ErrorBudget is the largest share of failed tasks the SLO allows (0.01
// for "errors<1%" or "success>=99%"), and whether it sets one.
func (s SLO) ErrorBudget() (float64, bool) {
	budget, set := 1.0, false
	for _, c := range s {
		switch c.Metric {
		case "errors":
			budget, set = min(budget, c.Limit/100), true
		case "success":
			budget, set = min(budget, 1-c.Limit/100), true
		}
	}
	return budget, set
}

// Check returns the conditions r does not meet, each with the measured
// value: none means the SLO is met.
func (s SLO) Check(r Repetition) []string {
	var failed []string
	for _, c := range s {
		var v float64
		var shown string
		switch {
		case sloLatency[c.Metric] != nil:
			d := sloLatency[c.Metric](r.Response)
			v, shown = float64(d), d.String()
		default:
			ok := float64(r.Completed - r.ErrorCount())
			v = 100 * ok / float64(max(r.Submitted, 1))
			if c.Metric == "errors" {
				v = 100 - v
			}
			shown = strconv.FormatFloat(v, 'f', 3, 64) + "%"
		}
		met := map[string]bool{"<": v < c.Limit, "<=": v <= c.Limit, ">": v > c.Limit, ">=": v >= c.Limit}[c.Op]
		if !met {
			failed = append(failed, fmt.Sprintf("%s (was %s)", c, shown))
		}
	}
	return failed
}

// CheckReps checks each repetition: the SLO holds when at least half of
// them meet it. It returns nil then, and otherwise the failures of the
// first repetition that failed. (A cell's summary sums its errors, so it
// cannot be checked as one repetition.)
func (s SLO) CheckReps(reps []Repetition) []string {
	var first []string
	failed := 0
	for _, r := range reps {
		if f := s.Check(r); len(f) > 0 {
			failed++
			if first == nil {
				first = f
			}
		}
	}
	if 2*failed > len(reps) {
		return first
	}
	return nil
}
