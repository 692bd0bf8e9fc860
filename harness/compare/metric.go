// Package compare tells what changed between two sets of runs, a base and a
// head, and what is noise: for every cell present in both it tests each
// metric's repetitions with the Mann-Whitney U test (as benchstat does,
// through golang.org/x/perf/benchmath) and reports the change in medians.
package compare

import (
	"strconv"

	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/units"
)

// Metric is one figure compared per cell, read from each repetition.
type Metric struct {
	Name           string // as gates name it: p50, p99, throughput, wall, heap
	Label          string // as tables title it
	HigherIsBetter bool
	Value          func(results.Repetition) float64
	Format         func(float64) string
}

// Metrics are the figures compare reports, in table order.
var Metrics = []Metric{
	{Name: "p50", Label: "p50 response", Value: func(r results.Repetition) float64 { return float64(r.Response.P50) }, Format: formatNs},
	{Name: "p99", Label: "p99 response", Value: func(r results.Repetition) float64 { return float64(r.Response.P99) }, Format: formatNs},
	{Name: "throughput", Label: "goodput (successful tasks/s)", HigherIsBetter: true, Value: func(r results.Repetition) float64 { return r.Throughput }, Format: units.Rate},
	{Name: "wall", Label: "wall time", Value: func(r results.Repetition) float64 { return float64(r.Wall) }, Format: formatNs},
	{Name: "heap", Label: "peak heap", Value: func(r results.Repetition) float64 { return float64(r.PeakHeap) }, Format: formatBytes},
}

// MetricByName returns the metric a gate names.
func MetricByName(name string) (Metric, bool) {
	for _, m := range Metrics {
		if m.Name == name {
			return m, true
		}
	}
	return Metric{}, false
}

func metricNames() []string {
	names := make([]string, len(Metrics))
	for i, m := range Metrics {
		names[i] = m.Name
	}
	return names
}

func formatNs(v float64) string { return units.Duration(durationOf(v)) }

// formatBytes writes a size with three significant digits: 812KiB, 1.02MiB.
func formatBytes(v float64) string {
	unit, scale := "B", 1.0
	switch {
	case v >= 1<<30:
		unit, scale = "GiB", 1<<30
	case v >= 1<<20:
		unit, scale = "MiB", 1<<20
	case v >= 1<<10:
		unit, scale = "KiB", 1<<10
	}
	v /= scale
	digits := 0
	if v < 10 {
		digits = 2
	} else if v < 100 {
		digits = 1
	}
	return strconv.FormatFloat(v, 'f', digits, 64) + unit
}
