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
	dark, _ := plotter.NewBarChart(plotter.Values{1}, 1)
	dark.Color, dark.LineStyle.Width = grey, 0
	light, _ := plotter.NewBarChart(plotter.Values{1}, 1)
	light.Color, light.LineStyle.Width = tint(grey, 0.6), 0
	f.Legend = append([]LegendEntry{{"service mean", dark}, {"wait mean", light}}, pal.strategyLegend(res, gs)...)
	return f
}
