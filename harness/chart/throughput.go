package chart

import (
	"fmt"
	"image/color"

	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/units"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Throughput draws, per workload, goodput per cell, each bar labelled
// with its value, and, when the run has
// an ideal bound (closed loop), the measured wall time beside it,
// labelled with the efficiency.
func Throughput(res *results.Results) *Figure {
	pal := newPalette(res)
	gs := groups(res)
	ideal := measured(gs, func(c results.CellResult) float64 { return float64(c.Summary.Ideal) })
	title := "Goodput, and wall time against the ideal bound (efficiency = ideal / wall)"
	if !ideal {
		title = "Goodput: successful tasks per second"
	}
	f := newFigure("throughput", title, res, gs)
	budget := res.Plan.Budget()
	marked := false
	for _, g := range gs {
		cols := 1
		if ideal {
			cols = 2
		}
		tp := cellPanel(g.title("Goodput"), "goodput (tasks/s)", g, cols)
		pal.bars(tp, g, cols, func(c results.CellResult) float64 { return c.Summary.Throughput }, 0)
		marked = goodputLabels(tp, g) || marked
		row := []*plot.Plot{tp}
		if ideal {
			row = append(row, pal.wallPanel(g))
		}
		f.Panels = append(f.Panels, row)
	}
	if ideal {
		f.Legend = []LegendEntry{
			{"measured wall (labelled with efficiency)", glyphThumb{Color: grey, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}},
			{"ideal bound", glyphThumb(idealGlyph)},
		}
	}
	f.Legend = append(f.Legend, pal.strategyLegend(res, gs)...)
	if marked {
		f.Legend = append(f.Legend, LegendEntry{Label: fmt.Sprintf("red “NN%% err”: a cell over the %g%% error budget: FAILED, never recommended", 100*budget),
			Thumb: glyphThumb{Color: red, Radius: vg.Points(3), Shape: draw.CrossGlyph{}}})
	}
	return padLogAxes(f)
}

// goodputLabels writes each bar's goodput over it, so that a bar too
// short to see beside one 100 times taller still reads, and in red the
// share of tasks that failed over a bar over the error budget (within it:
// noise, not a verdict). It reports whether it marked a failure.
func goodputLabels(p *plot.Plot, g group) (marked bool) {
	tops := make(plotter.XYs, len(g.cells))
	texts := make([]string, len(g.cells))
	colors := make([]color.Color, len(g.cells))
	for i, c := range g.cells {
		tops[i] = plotter.XY{X: float64(i), Y: c.Summary.Throughput}
		texts[i], colors[i] = units.Rate(c.Summary.Throughput), color.Black
		if g.failed[i] {
			texts[i], colors[i], marked = errorText(c.FailedFraction()), red, true
		}
	}
	l := newMarkLabels(tops, texts, 8, vg.Point{Y: vg.Points(3)})
	l.colors = colors
	p.Add(l)
	return marked
}

// wallPanel draws each cell's wall time per repetition beside its ideal
// bound, labelled with the efficiency, FAILED for a cell over budget.
func (pal *palette) wallPanel(g group) *plot.Plot {
	wall := cellPanel(g.title("Wall vs ideal"), "wall per repetition (ms, log)", g, 2)
	logAxis(&wall.Y)
	measured, ideal := make(plotter.XYs, len(g.cells)), make(plotter.XYs, len(g.cells))
	effs := make([]string, len(g.cells))
	for i, c := range g.cells {
		measured[i] = plotter.XY{X: float64(i), Y: floorPositive(ms(c.Summary.Wall))}
		ideal[i] = plotter.XY{X: float64(i), Y: floorPositive(ms(c.Summary.Ideal))}
		effs[i] = fmt.Sprintf("%.0f%%", 100*c.Summary.Efficiency)
		if g.failed[i] {
			effs[i] = "FAILED" // failing fast is not efficiency
		}
		gap, _ := plotter.NewLine(plotter.XYs{ideal[i], measured[i]})
		gap.LineStyle = draw.LineStyle{Color: pal.cellColor(g, i), Width: vg.Points(1)}
		wall.Add(gap)
	}
	m, _ := plotter.NewScatter(measured)
	m.GlyphStyleFunc = func(i int) draw.GlyphStyle {
		return draw.GlyphStyle{Color: pal.cellColor(g, i), Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
	}
	id, _ := plotter.NewScatter(ideal)
	id.GlyphStyle = idealGlyph
	wall.Add(m, id, newMarkLabels(measured, effs, 8, vg.Point{Y: vg.Points(6)}))
	return wall
}

var idealGlyph = draw.GlyphStyle{Color: grey, Radius: vg.Points(4), Shape: draw.RingGlyph{}}
