package chart

import (
	"image/color"
	"math"
	"sort"
	"strconv"

	"github.com/concbench/concbench/harness/results"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Scaling draws throughput and p99 against the limit, one line per limited
// strategy, strategies without a limit as flat references, and the ideal.
// It returns nil unless the run swept at least two limits.
func Scaling(res *results.Results) *Figure {
	limits := append([]int(nil), res.Plan.Limits...)
	sort.Ints(limits)
	if len(limits) < 2 {
		return nil
	}
	pal := newPalette(res)
	gs := groups(res)
	f := newFigure("scaling", "Scaling with the limit (log axes)", res, gs)
	ticks := make([]plot.Tick, len(limits))
	for i, l := range limits {
		ticks[i] = plot.Tick{Value: float64(l), Label: strconv.Itoa(l)}
	}
	lo, hi := float64(limits[0]), float64(limits[len(limits)-1])
	drawn := func(c results.CellResult) bool { return c.Failed == "" && len(c.Repetitions) > 0 }
	var flatDrawn, idealDrawn, marked bool
	for _, g := range gs {
		tp := newPanel(g.title("Goodput"), "limit", "goodput (tasks/s, log)")
		p99 := newPanel(g.title("p99 response"), "limit", "p99 response (ms, log)")
		for _, p := range []*plot.Plot{tp, p99} {
			p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, plot.ConstantTicks(ticks)
			p.X.Min, p.X.Max = lo/1.2, hi*1.2
			logAxis(&p.Y)
			p.Add(plotter.NewGrid())
		}
		lines := map[string]plotter.XYs{}
		tails := map[string]plotter.XYs{}
		var markAt plotter.XYs
		var fractions []float64
		var hollowTP, hollowP99, recTP, recP99 plotter.XYs
		best := map[int]float64{} // the least ideal wall at each limit
		for i, c := range g.cells {
			if !drawn(c) {
				continue // a failed cell has no figures to draw
			}
			if c.Limit == 0 {
				flatDrawn = true
				flat := func(v float64) plotter.XYs { return plotter.XYs{{X: lo, Y: v}, {X: hi, Y: v}} }
				addLine(tp, flat(floorPositive(c.Summary.Throughput)), pal.line(c), true)
				addLine(p99, flat(floorPositive(ms(c.Summary.Response.P99))), pal.line(c), true)
				markAt = append(markAt, plotter.XY{X: hi, Y: floorPositive(ms(c.Summary.Response.P99))})
				fractions = append(fractions, c.ErrorFraction())
				if i == g.recommended { // ringed where the flat line ends
					recTP = append(recTP, plotter.XY{X: hi, Y: floorPositive(c.Summary.Throughput)})
					recP99 = append(recP99, markAt[len(markAt)-1])
				}
				continue
			}
			x := float64(c.Limit)
			at := []plotter.XY{{X: x, Y: floorPositive(c.Summary.Throughput)}, {X: x, Y: floorPositive(ms(c.Summary.Response.P99))}}
			if g.failed[i] {
				hollowTP, hollowP99 = append(hollowTP, at[0]), append(hollowP99, at[1])
			}
			if i == g.recommended {
				recTP, recP99 = append(recTP, at[0]), append(recP99, at[1])
			}
			lines[c.Strategy] = append(lines[c.Strategy], plotter.XY{X: x, Y: floorPositive(c.Summary.Throughput)})
			tails[c.Strategy] = append(tails[c.Strategy], plotter.XY{X: x, Y: floorPositive(ms(c.Summary.Response.P99))})
			markAt = append(markAt, plotter.XY{X: x, Y: floorPositive(ms(c.Summary.Response.P99))})
			fractions = append(fractions, c.ErrorFraction())
			if b, ok := best[c.Limit]; !ok || ms(c.Summary.Ideal) < b {
				best[c.Limit] = ms(c.Summary.Ideal)
			}
		}
		for s := range lines {
			sty := draw.LineStyle{Color: pal.color(s), Width: vg.Points(1.5)}
			addLine(tp, sortedXY(lines[s]), sty, false)
			addLine(p99, sortedXY(tails[s]), sty, false)
		}
		var idealTP, idealWall plotter.XYs
		for _, l := range limits {
			if b, ok := best[l]; ok && b > 0 {
				idealTP = append(idealTP, plotter.XY{X: float64(l), Y: float64(g.workload.Tasks) / (b / 1000)})
				idealWall = append(idealWall, plotter.XY{X: float64(l), Y: b})
			}
		}
		if len(idealTP) > 0 {
			idealDrawn = true
			addLine(tp, idealTP, idealLine, false)
			addLine(p99, idealWall, idealLine, false)
		}
		addGlyphs(tp, hollowTP, hollowGlyph)
		addGlyphs(p99, hollowP99, hollowGlyph)
		addGlyphs(tp, recTP, recommendedGlyph)
		addGlyphs(p99, recP99, recommendedGlyph)
		marked = errorMarks(p99, markAt, fractions) || marked
		f.Panels = append(f.Panels, []*plot.Plot{tp, p99})
	}
	// The legend lists only what is drawn.
	if idealDrawn {
		f.Legend = append(f.Legend, LegendEntry{"ideal (throughput: tasks / ideal wall; p99: ideal wall, when the last task can end)", lineThumb(idealLine)})
	}
	f.Legend = append(f.Legend, pal.legendOf(res, drawn)...)
	if flatDrawn {
		f.Legend = append(f.Legend, LegendEntry{"strategies without a limit: flat dotted lines", lineThumb(flatLine)})
	}
	if marked {
		f.Legend = append(f.Legend, errorMarkEntry())
	}
	rec, failed := cellMarks(gs)
	if rec {
		f.Legend = append(f.Legend, LegendEntry{"ringed: the recommended cell", glyphThumb(recommendedGlyph)})
	}
	if failed {
		f.Legend = append(f.Legend, LegendEntry{"hollow: over the error budget (FAILED, not speed)", glyphThumb(hollowGlyph)})
	}
	return padLogAxes(f)
}

var (
	idealLine = draw.LineStyle{Color: grey, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
	flatLine  = draw.LineStyle{Color: grey, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(1), vg.Points(2)}}
)

func addLine(p *plot.Plot, xys plotter.XYs, sty draw.LineStyle, flat bool) {
	l, err := plotter.NewLine(xys)
	if err != nil {
		panic(err)
	}
	l.LineStyle = sty
	if flat {
		l.LineStyle.Dashes = flatLine.Dashes
	}
	p.Add(l)
	if !flat && len(xys) > 0 {
		s, _ := plotter.NewScatter(xys)
		s.GlyphStyle = draw.GlyphStyle{Color: sty.Color, Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
		p.Add(s)
	}
}

var (
	hollowGlyph      = draw.GlyphStyle{Color: grey, Radius: vg.Points(4), Shape: whiteRing{}}
	recommendedGlyph = draw.GlyphStyle{Color: recommendedColor, Radius: vg.Points(6), Shape: draw.RingGlyph{}}
)

// whiteRing is a ring on a white disc: it hollows the point it covers.
type whiteRing struct{}

func (whiteRing) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetColor(color.White) // glyphs fill in the canvas' colour
	draw.CircleGlyph{}.DrawGlyph(c, sty, pt)
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: vg.Points(1.2)})
	p := vg.Path{}
	p.Move(vg.Point{X: pt.X + sty.Radius, Y: pt.Y})
	p.Arc(pt, sty.Radius, 0, 2*math.Pi)
	p.Close()
	c.Stroke(p)
}

func addGlyphs(p *plot.Plot, xys plotter.XYs, sty draw.GlyphStyle) {
	if len(xys) == 0 {
		return
	}
	s, err := plotter.NewScatter(xys)
	if err != nil {
		panic(err) // finite points always scatter
	}
	s.GlyphStyle = sty
	p.Add(s)
}

func sortedXY(xys plotter.XYs) plotter.XYs {
	sort.Slice(xys, func(i, j int) bool { return xys[i].X < xys[j].X })
	return xys
}
