package chart

import (
	"math"
	"time"

	"github.com/concbench/concbench/harness/results"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// nines are the quantiles of a percentile curve, at x = -log10(1-q), so
// that 90%, 99%, 99.9% and 99.99% fall one unit apart.
var nines = []struct {
	q   float64
	get func(results.Quantiles) time.Duration
}{
	{0.50, func(q results.Quantiles) time.Duration { return q.P50 }},
	{0.75, func(q results.Quantiles) time.Duration { return q.P75 }},
	{0.90, func(q results.Quantiles) time.Duration { return q.P90 }},
	{0.95, func(q results.Quantiles) time.Duration { return q.P95 }},
	{0.99, func(q results.Quantiles) time.Duration { return q.P99 }},
	{0.999, func(q results.Quantiles) time.Duration { return q.P999 }},
	{0.9999, func(q results.Quantiles) time.Duration { return q.P9999 }},
}

func ninesX(q float64) float64 { return -math.Log10(1 - q) }

// Percentiles draws one response-time percentile curve per cell, the x
// axis in nines as load testers read it.
func Percentiles(res *results.Results) *Figure {
	pal := newPalette(res)
	gs := groups(res)
	f := newFigure("percentiles", "Response-time percentiles (median over repetitions; thick: the recommended cell)", res, gs)
	for _, g := range gs {
		p := percentilePanel(g)
		for i, c := range g.cells {
			l := percentileLine(c)
			l.LineStyle = pal.line(c)
			if i == g.recommended {
				l.LineStyle.Width = vg.Points(3)
			}
			p.Add(l)
		}
		f.Panels = append(f.Panels, []*plot.Plot{p})
	}
	f.Legend = pal.cellLegend(res)
	return padLogAxes(f)
}

// percentilePanel is a panel with the x axis in nines and a log y axis.
func percentilePanel(g group) *plot.Plot {
	p := newPanel(g.title("Percentiles"), "percentile (beyond 1 − 1/tasks the curve meets the max)", "response (ms, log)")
	logAxis(&p.Y)
	p.X.Tick.Marker = plot.ConstantTicks([]plot.Tick{{Value: ninesX(0.5), Label: "50%"}, {Value: 1, Label: "90%"},
		{Value: 2, Label: "99%"}, {Value: 3, Label: "99.9%"}, {Value: 4, Label: "99.99%"}})
	p.X.Min, p.X.Max = 0.2, 4.1
	p.Add(plotter.NewGrid())
	return p
}

// percentileLine is a cell's response-time percentile curve.
func percentileLine(c results.CellResult) *plotter.Line {
	xys := make(plotter.XYs, len(nines))
	for i, n := range nines {
		xys[i] = plotter.XY{X: ninesX(n.q), Y: floorPositive(ms(n.get(c.Summary.Response)))}
	}
	l, err := plotter.NewLine(xys)
	if err != nil {
		panic(err) // finite by construction
	}
	return l
}

// cellLegend lists every strategy and limit with its line style.
func (pal *palette) cellLegend(res *results.Results) []LegendEntry {
	var out []LegendEntry
	seen := map[string]bool{}
	for _, c := range res.Cells {
		if l := label(c); !seen[l] {
			seen[l] = true
			out = append(out, LegendEntry{Label: l, Thumb: lineThumb(pal.line(c))})
		}
	}
	return out
}
