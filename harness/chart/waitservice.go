package chart

import (
	"github.com/concbench/concbench/harness/results"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// WaitService stacks each cell's mean wait (ready but not running: queued
// for the strategy or an executor) on its mean service (running) time, so
// the reader sees whether latency comes from queueing or from the work.
// Means add up: the stack is the mean response time. (Medians do not.)
func WaitService(res *results.Results) *Figure {
	pal := newPalette(res)
	gs := groups(res)
	f := newFigure("wait-service", "Where response time goes: service (dark) and wait for a slot (light), means adding up to the mean response", res, gs)
	for _, g := range gs {
		p := cellPanel(g.title("Wait vs service"), "time (ms)", g, 1)
		service := pal.bars(p, g, 1, func(c results.CellResult) float64 { return ms(c.Summary.Service.Mean) }, 0)
		pal.bars(p, g, 1, func(c results.CellResult) float64 { return ms(c.Summary.Wait.Mean) }, 0.6, service...)
		f.Panels = append(f.Panels, []*plot.Plot{p})
	}
	f.Legend = append([]LegendEntry{shadeEntry("service mean", 0), shadeEntry("wait mean", 0.6)}, pal.strategyLegend(res, gs)...)
	return f
}

// shadeEntry is a legend entry for the part of stacked bars drawn in a
// strategy's colour lightened by shade, shown in grey.
func shadeEntry(label string, shade float64) LegendEntry {
	b, _ := plotter.NewBarChart(plotter.Values{1}, 1)
	b.Color, b.LineStyle.Width = tint(grey, shade), 0
	return LegendEntry{label, b}
}
