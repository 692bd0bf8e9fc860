package chart

import (
	"time"

	"github.com/concbench/concbench/harness/results"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// quantileMarks are the response quantiles the latency chart shows, each
// with its glyph and its offset within the cell's slot.
var quantileMarks = []struct {
	name   string
	get    func(results.Quantiles) time.Duration
	shape  draw.GlyphDrawer
	offset float64
}{
	{"p50", func(q results.Quantiles) time.Duration { return q.P50 }, draw.CircleGlyph{}, -0.24},
	{"p90", func(q results.Quantiles) time.Duration { return q.P90 }, draw.TriangleGlyph{}, -0.08},
	{"p99 (whisker: min–max over repetitions)", func(q results.Quantiles) time.Duration { return q.P99 }, draw.BoxGlyph{}, 0.08},
	{"max", func(q results.Quantiles) time.Duration { return q.Max }, draw.CrossGlyph{}, 0.24},
}

// Latency draws p50, p90, p99 and max response time per cell on a log axis,
// with the p99's spread over repetitions as a whisker.
func Latency(res *results.Results) *Figure {
	pal := newPalette(res)
	gs := groups(res)
	f := newFigure("latency", "Response time by strategy (median over repetitions)", res, gs)
	marked := false
	for _, g := range gs {
		p := cellPanel(g.title("Response time"), "response (ms, log)", g, 1)
		logAxis(&p.Y)
		for _, m := range quantileMarks {
			xys := make(plotter.XYs, len(g.cells))
			for i, c := range g.cells {
				xys[i] = plotter.XY{X: float64(i) + m.offset, Y: floorPositive(ms(m.get(c.Summary.Response)))}
			}
			s, err := plotter.NewScatter(xys)
			if err != nil {
				panic(err)
			}
			s.GlyphStyleFunc = func(i int) draw.GlyphStyle {
				return draw.GlyphStyle{Color: pal.cellColor(g, i), Radius: vg.Points(3), Shape: m.shape}
			}
			p.Add(s)
		}
		p.Add(p99Whiskers(g.cells))
		top := make(plotter.XYs, len(g.cells))
		fractions := make([]float64, len(g.cells))
		for i, c := range g.cells {
			top[i] = plotter.XY{X: float64(i), Y: floorPositive(ms(c.Summary.Response.Max))}
			fractions[i] = c.ErrorFraction()
		}
		marked = errorMarks(p, top, fractions) || marked
		f.Panels = append(f.Panels, []*plot.Plot{p})
	}
	for _, m := range quantileMarks {
		f.Legend = append(f.Legend, LegendEntry{Label: m.name, Thumb: glyphThumb{Color: grey, Radius: vg.Points(3), Shape: m.shape}})
	}
	f.Legend = append(append(f.Legend, pal.legendOf(res, all)...), cellMarksLegend(gs, false)...)
	if marked {
		f.Legend = append(f.Legend, errorMarkEntry())
	}
	return padLogAxes(f)
}

// whiskers are vertical error bars at given points.
type whiskers struct {
	plotter.XYs
	plotter.YErrors
}

// p99Whiskers spans each cell's lowest to highest p99 over repetitions.
func p99Whiskers(cells []results.CellResult) *plotter.YErrorBars {
	w := whiskers{XYs: make(plotter.XYs, len(cells)), YErrors: make(plotter.YErrors, len(cells))}
	for i, c := range cells {
		mid := floorPositive(ms(c.Summary.Response.P99))
		lo, hi := mid, mid
		for _, r := range c.Repetitions {
			v := floorPositive(ms(r.Response.P99))
			lo, hi = min(lo, v), max(hi, v)
		}
		w.XYs[i] = plotter.XY{X: float64(i) + 0.08, Y: mid}
		w.YErrors[i].Low, w.YErrors[i].High = mid-lo, hi-mid
	}
	bars, err := plotter.NewYErrorBars(w)
	if err != nil {
		panic(err)
	}
	bars.LineStyle.Color = grey
	return bars
}
