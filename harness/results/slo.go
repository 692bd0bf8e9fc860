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

// Condition is one bound on a metric of a repetition:
//   - a response-time quantile (p50, p90, p95, p99, p99.9, max) under or
//     over a duration, of every task or of one class ("victim.p99");
//   - wall, stall (the stall probe's worst delay) or sched-p99 (the
//     scheduler latency's p99), a duration;
//   - success (successful / submitted, so that dropped requests count
//     against it) or errors (everything else), a percentage;
//   - any other name, a plain number: goodput (successful tasks a
//     second), not-started, cancelled,
//     goroutines (peak), memory-mib (peak heap and stacks), efficiency
//     (ideal / wall), leaked (goroutines left running), or a counter of the strategy or workload
//     (queue-peak, rejected, dropped, amplification, attempts-max).
//
// In a scenario threshold, the bound may be relative to another cell of
// the run instead: "victim.p99 < 0.8x unbounded" (the same metric of the
// cell Ref selects, times Factor); Resolve turns it into a number.
type Condition struct {
	Metric string
	Op     string // "<", "<=", ">", ">=", "=="
	Limit  float64
	Ref    string  // a selector of the reference cell; "" for a fixed bound
	Factor float64 // of the reference cell's value
	text   string
	shown  string // the resolved bound, for messages
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

// sloDuration are the metrics of a whole repetition measured in time.
var sloDuration = map[string]func(Repetition) time.Duration{
	"wall":      func(r Repetition) time.Duration { return r.Wall },
	"stall":     func(r Repetition) time.Duration { return r.Stall },
	"sched-p99": func(r Repetition) time.Duration { return r.SchedLatency },
}

// sloNumber are the numeric metrics every repetition has; other numeric
// names are counters (Repetition.Counters).
var sloNumber = map[string]func(Repetition) float64{
	"not-started": func(r Repetition) float64 { return float64(r.NotStarted) },
	"cancelled":   func(r Repetition) float64 { return float64(r.Cancelled) },
	"goroutines":  func(r Repetition) float64 { return float64(r.PeakGoroutines) },
	"memory-mib":  func(r Repetition) float64 { return float64(r.PeakMemory) / (1 << 20) },
	"efficiency":  func(r Repetition) float64 { return r.Efficiency },
	"goodput":     func(r Repetition) float64 { return r.Throughput },
	"leaked":      func(r Repetition) float64 { return float64(r.Leaked) },
}

// latencyMetric splits "victim.p99" into the class and the quantile; ok
// is false when the quantile is not one of sloLatency's.
func latencyMetric(metric string) (class, quantile string, ok bool) {
	quantile = metric
	if i := strings.LastIndex(metric, "."); i > 0 && sloLatency[metric] == nil {
		class, quantile = metric[:i], metric[i+1:]
	}
	return class, quantile, sloLatency[quantile] != nil
}

// ParseSLO reads a comma-separated list of conditions; a bad one is an
// *input.Error on field.
func ParseSLO(field, s string) (SLO, error) { return parseSLO(field, s, false) }

// ParseThreshold reads a scenario threshold's conditions: those of an SLO,
// and relative ones ("p99 < 0.5x sequential") that Resolve fixes.
func ParseThreshold(field, s string) (SLO, error) { return parseSLO(field, s, true) }

func parseSLO(field, s string, relatives bool) (SLO, error) {
	var slo SLO
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		i := strings.IndexAny(part, "<>=")
		if i <= 0 || part[i] == '=' && !strings.HasPrefix(part[i:], "==") {
			return nil, input.Errorf(field, "%q: want metric<=value, e.g. p99<=50ms, success>=99.9%% or leaked==0", part)
		}
		c := Condition{Metric: part[:i], Op: part[i : i+1], text: part}
		rest := part[i+1:]
		if strings.HasPrefix(rest, "=") {
			c.Op += "="
			rest = rest[1:]
		}
		_, _, isLatency := latencyMetric(c.Metric)
		number, numErr := strconv.ParseFloat(rest, 64)
		if factor, ref, ok := relative(rest); ok && relatives && (isLatency || sloDuration[c.Metric] != nil || sloNumber[c.Metric] != nil ||
			c.Metric == "success" || c.Metric == "errors" || counterName(c.Metric)) {
			c.Factor, c.Ref = factor, ref
			slo = append(slo, c)
			continue
		}
		switch {
		case isLatency || sloDuration[c.Metric] != nil:
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
		case numErr == nil && !math.IsNaN(number) && counterName(c.Metric):
			c.Limit = number
		case sloNumber[c.Metric] != nil:
			return nil, input.Errorf(field, "%q: %q is not a number", part, rest)
		default:
			return nil, input.Errorf(field, "%q: unknown metric %q (p50, p90, p95, p99, p99.9, max, class.p99, wall, stall, sched-p99, success, errors, or a count such as rejected)", part, c.Metric)
		}
		slo = append(slo, c)
	}
	return slo, nil
}

// relative reads "0.8xunbounded" (spaces already removed): a factor, an
// "x", and the selector of a reference cell.
func relative(s string) (factor float64, ref string, ok bool) {
	i := strings.Index(s, "x")
	if i <= 0 || i == len(s)-1 {
		return 0, "", false
	}
	f, err := strconv.ParseFloat(s[:i], 64)
	if err != nil || !(f > 0) || math.IsInf(f, 1) {
		return 0, "", false
	}
	return f, s[i+1:], true
}

// Relative reports whether any condition is bound to another cell.
func (s SLO) Relative() bool {
	for _, c := range s {
		if c.Ref != "" {
			return true
		}
	}
	return false
}

// Refs lists the selectors of the reference cells.
func (s SLO) Refs() []string {
	var out []string
	for _, c := range s {
		if c.Ref != "" {
			out = append(out, c.Ref)
		}
	}
	return out
}

// Resolve fixes the relative bounds: ref returns the summary of the cell a
// selector picks. A condition whose reference is missing, or lacks the
// metric, is an error naming it.
func (s SLO) Resolve(ref func(selector string) (Repetition, bool)) (SLO, error) {
	out := make(SLO, len(s))
	copy(out, s)
	for i, c := range out {
		if c.Ref == "" {
			continue
		}
		r, ok := ref(c.Ref)
		if !ok {
			return nil, fmt.Errorf("%s: no cell %q to compare with", c, c.Ref)
		}
		v, shown, missing := c.measure(r)
		if missing != "" {
			return nil, fmt.Errorf("%s: %s: %s", c, c.Ref, missing)
		}
		out[i].Limit, out[i].Ref = c.Factor*v, ""
		out[i].shown = fmt.Sprintf("%gx %s's %s", c.Factor, c.Ref, shown)
		if c.Factor != 1 {
			bound := c.Factor * v
			if _, _, lat := latencyMetric(c.Metric); lat || sloDuration[c.Metric] != nil {
				out[i].shown += " = " + time.Duration(bound).Round(time.Microsecond).String()
			} else {
				out[i].shown += " = " + strconv.FormatFloat(bound, 'g', 4, 64)
			}
		}
	}
	return out, nil
}

// counterName reports whether name can name a counter: lower-case
// letters, digits and dashes, starting with a letter.
func counterName(name string) bool {
	for i, r := range name {
		if !(r >= 'a' && r <= 'z' || r == '-' && i > 0 || r >= '0' && r <= '9' && i > 0) {
			return false
		}
	}
	return name != ""
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
// value: none means the SLO is met. A condition on a class or counter r
// does not have fails, saying so.
func (s SLO) Check(r Repetition) []string {
	var failed []string
	for _, c := range s {
		v, shown, missing := c.measure(r)
		if missing != "" {
			failed = append(failed, fmt.Sprintf("%s (%s)", c, missing))
			continue
		}
		if c.Ref != "" {
			failed = append(failed, fmt.Sprintf("%s (not resolved against %s)", c, c.Ref))
			continue
		}
		met := map[string]bool{"<": v < c.Limit, "<=": v <= c.Limit, ">": v > c.Limit, ">=": v >= c.Limit, "==": v == c.Limit}[c.Op]
		if !met && c.shown != "" {
			failed = append(failed, fmt.Sprintf("%s (was %s; %s)", c, shown, c.shown))
		} else if !met {
			failed = append(failed, fmt.Sprintf("%s (was %s)", c, shown))
		}
	}
	return failed
}

// measure returns c's metric in r, as a number and as shown, or why r
// does not have it.
func (c Condition) measure(r Repetition) (v float64, shown, missing string) {
	duration := func(d time.Duration) (float64, string, string) { return float64(d), d.String(), "" }
	if class, q, ok := latencyMetric(c.Metric); ok {
		if class == "" {
			return duration(sloLatency[q](r.Response))
		}
		qs, has := r.Classes[class]
		if !has {
			return 0, "", "no task class " + strconv.Quote(class) + " in this cell"
		}
		return duration(sloLatency[q](qs))
	}
	if f := sloDuration[c.Metric]; f != nil {
		return duration(f(r))
	}
	switch c.Metric {
	case "success", "errors":
		ok := float64(r.Completed - r.ErrorCount())
		v = 100 * ok / float64(max(r.Submitted, 1))
		if c.Metric == "errors" {
			v = 100 - v
		}
		return v, strconv.FormatFloat(v, 'f', 3, 64) + "%", ""
	}
	if f := sloNumber[c.Metric]; f != nil {
		v = f(r)
	} else if n, has := r.Counters[c.Metric]; has {
		v = n
	} else {
		return 0, "", "no counter " + strconv.Quote(c.Metric) + " in this cell"
	}
	return v, strconv.FormatFloat(v, 'g', 4, 64), ""
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
