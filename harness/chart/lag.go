package chart

import (
	"maps"
	"slices"

	"github.com/concbench/concbench/harness/results"
	"gonum.org/v1/plot"
)

// Lag draws Go's event-loop lag for each cell: the scheduler latency p99
// (how long runnable goroutines waited for a processor, from the
// runtime's own histogram) and the stall probe's worst delay (how late a
// 1 ms ticker ran, as Node's event-loop delay monitor measures), each only
// when measured; nil when neither was.
func Lag(res *results.Results) *Figure {
	return barFigure(res, "lag", "Scheduler lag per repetition (median over repetitions)", []barPanel{
		{"Scheduler latency p99", "runnable wait (ms)", func(c results.CellResult) float64 { return ms(c.Summary.SchedLatency) }},
		{"Worst 1 ms tick delay", "tick late by (ms)", func(c results.CellResult) float64 { return ms(c.Summary.Stall) }},
	})
}

// Classes draws the response-time p50 (light) and p99 of each class of
// task, a panel per class, for the workloads that mix classes (hog's
// victims and hogs); nil when none does.
func Classes(res *results.Results) *Figure {
	pal := newPalette(res)
	gs := groups(res)
	f := newFigure("classes", "Response time by task class: p99, p50 lighter (median over repetitions)", res, gs)
	for _, g := range gs {
		names := map[string]bool{}
		var order []string
		for _, c := range g.cells {
			for _, name := range sortedKeys(c.Summary.Classes) {
				if !names[name] {
					names[name] = true
					order = append(order, name)
				}
			}
		}
		var row []*plot.Plot
		for _, name := range order {
			p := cellPanel(g.title(name+" tasks"), "response time (ms)", g, len(order))
			p50 := pal.bars(p, g, len(order), func(c results.CellResult) float64 { return ms(c.Summary.Classes[name].P50) }, 0.5)
			pal.bars(p, g, len(order), func(c results.CellResult) float64 {
				q := c.Summary.Classes[name]
				return ms(q.P99 - q.P50)
			}, 0, p50...)
			row = append(row, p)
		}
		if row != nil {
			f.Panels = append(f.Panels, row)
		}
	}
	if f.Panels == nil {
		return nil
	}
	f.Legend = pal.strategyLegend(res, gs)
	return f
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
