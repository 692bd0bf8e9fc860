package compare

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/concbench/concbench/harness/input"
)

// Gate fails a comparison when a significant change of a metric crosses a
// threshold: "p99>+10%" fails on a significant p99 rise above 10%,
// "throughput<-5%" on a significant fall below -5%.
type Gate struct {
	Metric string
	Above  bool    // true for '>', false for '<'
	Pct    float64 // signed threshold in percent
}

func (g Gate) String() string {
	op := "<"
	if g.Above {
		op = ">"
	}
	return fmt.Sprintf("%s%s%+g%%", g.Metric, op, g.Pct)
}

// ParseGates reads a comma-separated list of gates. A bad gate is an
// *input.Error on field "fail-on".
func ParseGates(s string) ([]Gate, error) {
	var gates []Gate
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		i := strings.IndexAny(part, "<>")
		if i <= 0 {
			return nil, gateError(part, "want metric>+N%% or metric<-N%%, e.g. p99>+10%%")
		}
		name := part[:i]
		if _, ok := MetricByName(name); !ok {
			return nil, gateError(part, "unknown metric %q (metrics: %s)", name, strings.Join(metricNames(), ", "))
		}
		num, ok := strings.CutSuffix(part[i+1:], "%")
		if !ok {
			return nil, gateError(part, "the threshold needs a %% sign, e.g. %s%c+10%%", name, part[i])
		}
		pct, err := strconv.ParseFloat(num, 64)
		if err != nil || math.IsNaN(pct) || math.IsInf(pct, 0) {
			return nil, gateError(part, "%q is not a percentage", num)
		}
		gates = append(gates, Gate{Metric: name, Above: part[i] == '>', Pct: pct})
	}
	return gates, nil
}

func gateError(gate, format string, args ...any) error {
	return &input.Error{Field: "fail-on", Problem: fmt.Sprintf("%q: ", gate) + fmt.Sprintf(format, args...)}
}

// Failure is a row that crossed a gate.
type Failure struct {
	Gate Gate
	Row  Row
}

func (f Failure) String() string {
	return fmt.Sprintf("%s: %s %s %s (%s)", f.Gate, f.Row.Key, f.Row.Metric, f.Row.Verdict(), f.Row.Stat())
}

// Check returns the changes (significant after the correction for many
// rows, and beyond the noise threshold) that cross a gate.
func (c *Comparison) Check(gates []Gate) []Failure {
	var out []Failure
	for _, g := range gates {
		for _, r := range c.Rows {
			if r.Metric != g.Metric || !r.Changed {
				continue
			}
			if g.Above && r.DeltaPct > g.Pct || !g.Above && r.DeltaPct < g.Pct {
				out = append(out, Failure{Gate: g, Row: r})
			}
		}
	}
	return out
}
