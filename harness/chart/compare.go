package chart

import (
	"time"

	"github.com/concbench/concbench/harness/results"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Verdict returns the label of a cell's change in a metric ("p50", "p99"):
// for example "+30.1%" for a significant change, "~" for noise.
type Verdict func(c results.CellResult, metric string) string

// CompareFigures returns the charts of a comparison: base against head per
// cell for p50 and p99, each head point labelled with its verdict, and both
// sides' percentile curves overlaid. Only cells present on both sides are
// drawn; head's plan orders them.
func CompareFigures(base, head *results.Results, verdict Verdict) []*Figure {
	b, h := common(base, head)
	return []*Figure{compareLatency(b, h, verdict), comparePercentiles(b, h)}
}

// common keeps the cells both runs measured, in head's order.
func common(base, head *results.Results) (*results.Results, *results.Results) {
	type key struct {
		w, s string
		l    int
	}
	index := map[key]results.CellResult{}
	for _, c := range base.Cells {
		index[key{c.Workload, c.Strategy, c.Limit}] = c
	}
	b, h := *base, *head
	b.Cells, h.Cells = nil, nil
	for _, c := range head.Cells {
		if bc, ok := index[key{c.Workload, c.Strategy, c.Limit}]; ok {
			b.Cells, h.Cells = append(b.Cells, bc), append(h.Cells, c)
		}
	}
	return &b, &h
}

var (
	baseGlyph = func(shape draw.GlyphDrawer) draw.GlyphStyle {
		return draw.GlyphStyle{Color: grey, Radius: vg.Points(3.5), Shape: shape}
	}
	hollow = map[string]draw.GlyphDrawer{"p50": draw.RingGlyph{}, "p99": draw.SquareGlyph{}}
	filled = map[string]draw.GlyphDrawer{"p50": draw.CircleGlyph{}, "p99": draw.BoxGlyph{}}
)

func compareLatency(base, head *results.Results, verdict Verdict) *Figure {
	pal := newPalette(head)
	hg, bg := groups(head), groups(base)
	f := newFigure("compare-latency", "Base (grey, hollow) against head (colour, filled): p50 and p99 response; ~ is no significant change", head, hg)
	f.Caption = "head: " + f.Caption
	for gi, g := range hg {
		p := cellPanel(g.title("p50 and p99"), "response (ms, log)", g, 1)
		logAxis(&p.Y)
		var at plotter.XYs
		var verdicts []string
		for _, q := range []struct {
			name   string
			get    func(results.Quantiles) time.Duration
			offset float64
		}{{"p50", func(q results.Quantiles) time.Duration { return q.P50 }, -0.2}, {"p99", func(q results.Quantiles) time.Duration { return q.P99 }, 0.2}} {
			bxy, hxy := make(plotter.XYs, len(g.cells)), make(plotter.XYs, len(g.cells))
			for i := range g.cells {
				bxy[i] = plotter.XY{X: float64(i) + q.offset - 0.07, Y: floorPositive(ms(q.get(bg[gi].cells[i].Summary.Response)))}
				hxy[i] = plotter.XY{X: float64(i) + q.offset + 0.07, Y: floorPositive(ms(q.get(g.cells[i].Summary.Response)))}
				link, _ := plotter.NewLine(plotter.XYs{bxy[i], hxy[i]})
				link.LineStyle = draw.LineStyle{Color: tint(pal.color(g.cells[i].Strategy), 0.4), Width: vg.Points(1)}
				p.Add(link)
			}
			bs, _ := plotter.NewScatter(bxy)
			bs.GlyphStyle = baseGlyph(hollow[q.name])
			hs, _ := plotter.NewScatter(hxy)
			hs.GlyphStyleFunc = func(i int) draw.GlyphStyle {
				return draw.GlyphStyle{Color: pal.color(g.cells[i].Strategy), Radius: vg.Points(3.5), Shape: filled[q.name]}
			}
			for i, c := range g.cells {
				at, verdicts = append(at, hxy[i]), append(verdicts, verdict(c, q.name))
			}
			p.Add(bs, hs)
		}
		lbl := newMarkLabels(at, verdicts, 8, vg.Point{X: vg.Points(6), Y: -vg.Points(3)})
		lbl.style.XAlign = draw.XLeft
		p.Add(lbl)
		f.Panels = append(f.Panels, []*plot.Plot{p})
	}
	f.Legend = []LegendEntry{
		{"base p50", glyphThumb(baseGlyph(hollow["p50"]))}, {"base p99", glyphThumb(baseGlyph(hollow["p99"]))},
		{"head p50", glyphThumb{Color: grey, Radius: vg.Points(3.5), Shape: filled["p50"]}},
		{"head p99", glyphThumb{Color: grey, Radius: vg.Points(3.5), Shape: filled["p99"]}},
	}
	f.Legend = append(f.Legend, pal.strategyLegend(head, hg)...)
	return padLogAxes(f)
}

func comparePercentiles(base, head *results.Results) *Figure {
	pal := newPalette(head)
	hg, bg := groups(head), groups(base)
	f := newFigure("compare-percentiles", "Response-time percentiles: base (dotted) against head (solid)", head, hg)
	f.Caption = "head: " + f.Caption
	for gi, g := range hg {
		p := percentilePanel(g)
		for i, c := range g.cells {
			bl := percentileLine(bg[gi].cells[i])
			bl.LineStyle = pal.line(c)
			bl.LineStyle.Dashes = flatLine.Dashes
			bl.LineStyle.Width = vg.Points(1.2)
			hl := percentileLine(c)
			hl.LineStyle = pal.line(c)
			hl.LineStyle.Dashes = nil
			p.Add(bl, hl)
		}
		f.Panels = append(f.Panels, []*plot.Plot{p})
	}
	f.Legend = append([]LegendEntry{
		{"base", lineThumb(flatLine)},
		{"head", lineThumb(draw.LineStyle{Color: grey, Width: vg.Points(1.5)})},
	}, pal.legendOf(head, all)...)
	return padLogAxes(f)
}
