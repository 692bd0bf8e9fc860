package chart

import (
	"fmt"

	"github.com/concbench/concbench/harness/results"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Throughput draws, per workload, throughput per cell and the measured
// wall time beside the ideal bound, labelled with the efficiency.
func Throughput(res *results.Results) *Figure {
	pal := newPalette(res)
	f := &Figure{Name: "throughput", Title: "Goodput, and wall time against the ideal bound (efficiency = ideal / wall)", Caption: caption(res)}
	budget := res.Plan.Budget()
	marked := false
	for _, g := range groups(res) {
		tp := cellPanel(panelTitle("Goodput", g, 45), "successful tasks per second", g.cells, 2)
		pal.bars(tp, g.cells, 2, func(c results.CellResult) float64 { return c.Summary.Throughput }, 0)
		tops := make(plotter.XYs, len(g.cells))
		failed := make([]float64, len(g.cells))
		for i, c := range g.cells {
			tops[i] = plotter.XY{X: float64(i), Y: c.Summary.Throughput}
			if c.OverBudget(budget) {
				failed[i] = c.FailedFraction() // over the budget: marked; within it: noise, not a verdict
			}
		}
		marked = errorMarks(tp, tops, failed) || marked

		wall := cellPanel(panelTitle("Wall vs ideal", g, 45), "time per repetition (ms, log scale)", g.cells, 2)
		logAxis(&wall.Y)
		measured, ideal := make(plotter.XYs, len(g.cells)), make(plotter.XYs, len(g.cells))
		effs := make([]string, len(g.cells))
		for i, c := range g.cells {
			measured[i] = plotter.XY{X: float64(i), Y: floorPositive(ms(c.Summary.Wall))}
			ideal[i] = plotter.XY{X: float64(i), Y: floorPositive(ms(c.Summary.Ideal))}
			effs[i] = fmt.Sprintf("%.0f%%", 100*c.Summary.Efficiency)
			if c.OverBudget(budget) {
				effs[i] = "FAILED" // failing fast is not efficiency
			}
			gap, _ := plotter.NewLine(plotter.XYs{ideal[i], measured[i]})
			gap.LineStyle = draw.LineStyle{Color: pal.color(c.Strategy), Width: vg.Points(1)}
			wall.Add(gap)
		}
		m, _ := plotter.NewScatter(measured)
		m.GlyphStyleFunc = func(i int) draw.GlyphStyle {
			return draw.GlyphStyle{Color: pal.color(g.cells[i].Strategy), Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
		}
		id, _ := plotter.NewScatter(ideal)
		id.GlyphStyle = idealGlyph
		lbl, _ := plotter.NewLabels(plotter.XYLabels{XYs: measured, Labels: effs})
		for i := range lbl.TextStyle {
			lbl.TextStyle[i].Font.Size = 8
			lbl.TextStyle[i].XAlign = draw.XCenter
		}
		lbl.Offset = vg.Point{Y: vg.Points(6)}
		wall.Add(m, id, lbl)
		f.Panels = append(f.Panels, []*plot.Plot{tp, wall})
	}
	f.Legend = append([]LegendEntry{
		{"measured wall (labelled with efficiency)", glyphThumb{Color: grey, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}},
		{"ideal bound", glyphThumb(idealGlyph)},
	}, pal.strategyLegend(res)...)
	if marked {
		f.Legend = append(f.Legend, LegendEntry{Label: fmt.Sprintf("red “NN%% err”: a cell over the %g%% error budget: FAILED, never recommended", 100*budget),
			Thumb: glyphThumb{Color: red, Radius: vg.Points(3), Shape: draw.CrossGlyph{}}})
	}
	return padLogAxes(f)
}

var idealGlyph = draw.GlyphStyle{Color: grey, Radius: vg.Points(4), Shape: draw.RingGlyph{}}
