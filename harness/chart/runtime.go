package chart

import (
	"github.com/concbench/concbench/harness/results"
	"gonum.org/v1/plot"
)

// Runtime draws what each cell cost the Go runtime: peak goroutines, peak
// memory (heap objects and goroutine stacks, which is where "too many
// goroutines" costs) and GC cycles. The scheduler's lag is Lag's.
func Runtime(res *results.Results) *Figure {
	pal := newPalette(res)
	f := &Figure{Name: "runtime", Title: "Runtime cost per repetition (median over repetitions)", Caption: caption(res)}
	for _, g := range groups(res) {
		gor := cellPanel(panelTitle("Peak goroutines", g, 28), "goroutines above baseline", g.cells, 3)
		pal.bars(gor, g.cells, 3, func(c results.CellResult) float64 { return float64(c.Summary.PeakGoroutines) }, 0)
		mem := cellPanel(panelTitle("Peak memory", g, 28), "heap objects + goroutine stacks (MiB)", g.cells, 3)
		pal.bars(mem, g.cells, 3, func(c results.CellResult) float64 {
			return float64(max(c.Summary.PeakMemory, c.Summary.PeakHeap)) / (1 << 20) // older results have no stacks
		}, 0)
		third := cellPanel(panelTitle("GC cycles", g, 28), "GC cycles", g.cells, 3)
		pal.bars(third, g.cells, 3, func(c results.CellResult) float64 { return float64(c.Summary.GCCycles) }, 0)
		f.Panels = append(f.Panels, []*plot.Plot{gor, mem, third})
	}
	f.Legend = pal.strategyLegend(res)
	return f
}
