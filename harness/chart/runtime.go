package chart

import (
	"github.com/concbench/concbench/harness/results"
	"gonum.org/v1/plot"
)

// barPanel is one panel of a bar figure: its title, axis and value.
type barPanel struct {
	title, yLabel string
	value         func(results.CellResult) float64
}

// Runtime draws what each cell cost the Go runtime: peak goroutines, peak
// memory (heap objects and goroutine stacks, which is where "too many
// goroutines" costs), GC cycles, and the goroutines a repetition left
// running (the leak check's), each only when some cell measured it.
// The scheduler's lag is Lag's. It returns nil when nothing was measured
// (an attack's runtime is the generator's).
func Runtime(res *results.Results) *Figure {
	return barFigure(res, "runtime", "Runtime cost per repetition (median over repetitions)", []barPanel{
		{"Peak goroutines", "goroutines above baseline", func(c results.CellResult) float64 { return float64(c.Summary.PeakGoroutines) }},
		{"Peak memory", "heap + stacks (MiB)", func(c results.CellResult) float64 {
			return float64(max(c.Summary.PeakMemory, c.Summary.PeakHeap)) / (1 << 20) // older results have no stacks
		}},
		{"GC cycles", "GC cycles", func(c results.CellResult) float64 { return float64(c.Summary.GCCycles) }},
		{"Left running", "goroutines leaked (most a repetition)", func(c results.CellResult) float64 { return float64(c.Summary.Leaked) }},
	})
}

// barFigure draws a row of bar panels per workload, one per figure some
// cell measured; nil when no cell measured any.
func barFigure(res *results.Results, name, title string, panels []barPanel) *Figure {
	gs := groups(res)
	var kept []barPanel
	for _, bp := range panels {
		if measured(gs, bp.value) {
			kept = append(kept, bp)
		}
	}
	if len(kept) == 0 {
		return nil
	}
	pal := newPalette(res)
	f := newFigure(name, title, res, gs)
	for _, g := range gs {
		var row []*plot.Plot
		for _, bp := range kept {
			p := cellPanel(g.title(bp.title), bp.yLabel, g, len(kept))
			pal.bars(p, g, len(kept), bp.value, 0)
			row = append(row, p)
		}
		f.Panels = append(f.Panels, row)
	}
	f.Legend = pal.strategyLegend(res, gs)
	return f
}
