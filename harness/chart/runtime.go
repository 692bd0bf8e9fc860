package chart

import (
	"github.com/concbench/concbench/harness/results"
	"gonum.org/v1/plot"
)

// Runtime draws what each cell cost the Go runtime: peak goroutines, peak
// heap and GC cycles per repetition.
func Runtime(res *results.Results) *Figure {
	pal := newPalette(res)
	f := &Figure{Name: "runtime", Title: "Runtime cost per repetition (median over repetitions)", Caption: caption(res)}
	for _, g := range groups(res) {
		gor := cellPanel(panelTitle("Peak goroutines", g, 28), "goroutines above baseline", g.cells, 3)
		pal.bars(gor, g.cells, 3, func(c results.CellResult) float64 { return float64(c.Summary.PeakGoroutines) }, 0)
		heap := cellPanel(panelTitle("Peak heap", g, 28), "heap objects (MiB)", g.cells, 3)
		pal.bars(heap, g.cells, 3, func(c results.CellResult) float64 { return float64(c.Summary.PeakHeap) / (1 << 20) }, 0)
		gc := cellPanel(panelTitle("GC cycles", g, 28), "GC cycles", g.cells, 3)
		pal.bars(gc, g.cells, 3, func(c results.CellResult) float64 { return float64(c.Summary.GCCycles) }, 0)
		f.Panels = append(f.Panels, []*plot.Plot{gor, heap, gc})
	}
	f.Legend = pal.strategyLegend(res)
	return f
}
