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
	var drew scalingDrawn
	for _, g := range gs {
		f.Panels = append(f.Panels, pal.scalingRow(g, limits, &drew))
	}
	// The legend lists only what is drawn.
	if drew.ideal {
		f.Legend = append(f.Legend, LegendEntry{"ideal (throughput: tasks / ideal wall; p99: ideal wall, when the last task can end)", lineThumb(idealLine)})
	}
	f.Legend = append(f.Legend, pal.legendOf(res, scalable)...)
	if drew.flat {
		f.Legend = append(f.Legend, LegendEntry{"strategies without a limit: flat dotted lines", lineThumb(flatLine)})
	}
	if drew.marked {
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

// scalable reports whether a cell has figures to draw on a scaling chart.
func scalable(c results.CellResult) bool { return c.Failed == "" && len(c.Repetitions) > 0 }

// scalingDrawn is what the rows of a scaling chart drew, for its legend.
type scalingDrawn struct{ flat, ideal, marked bool }

// scalingSeries are one workload's points against the limit: [0] on the
// goodput panel, [1] on the p99 panel.
type scalingSeries struct {
	lines       [2]map[string]plotter.XYs // by strategy
	hollow, rec [2]plotter.XYs
	markAt      plotter.XYs // p99 points, for error marks
	fractions   []float64
	best        map[int]float64 // the least ideal wall at each limit
}

// scalingRow draws one workload's goodput and p99 panels.
func (pal *palette) scalingRow(g group, limits []int, drew *scalingDrawn) []*plot.Plot {
	ticks := make([]plot.Tick, len(limits))
	for i, l := range limits {
		ticks[i] = plot.Tick{Value: float64(l), Label: strconv.Itoa(l)}
	}
	lo, hi := float64(limits[0]), float64(limits[len(limits)-1])
	panels := []*plot.Plot{newPanel(g.title("Goodput"), "limit", "goodput (tasks/s, log)"), newPanel(g.title("p99 response"), "limit", "p99 response (ms, log)")}
	for _, p := range panels {
		p.X.Scale, p.X.Tick.Marker = plot.LogScale{}, plot.ConstantTicks(ticks)
		p.X.Min, p.X.Max = lo/1.2, hi*1.2
		logAxis(&p.Y)
		p.Add(plotter.NewGrid())
	}
	s := scalingSeries{lines: [2]map[string]plotter.XYs{{}, {}}, best: map[int]float64{}}
	for i, c := range g.cells {
		if !scalable(c) {
			continue // a failed cell has no figures to draw
		}
		at := [2]plotter.XY{{Y: floorPositive(c.Summary.Throughput)}, {Y: floorPositive(ms(c.Summary.Response.P99))}}
		if c.Limit == 0 { // a flat reference, marked where it ends
			drew.flat = true
			for k, p := range panels {
				addLine(p, plotter.XYs{{X: lo, Y: at[k].Y}, {X: hi, Y: at[k].Y}}, pal.line(c), true)
			}
			at[0].X, at[1].X = hi, hi
		} else {
			at[0].X, at[1].X = float64(c.Limit), float64(c.Limit)
			for k := range at {
				s.lines[k][c.Strategy] = append(s.lines[k][c.Strategy], at[k])
			}
			if b, ok := s.best[c.Limit]; !ok || ms(c.Summary.Ideal) < b {
				s.best[c.Limit] = ms(c.Summary.Ideal)
			}
		}
		for k := range at {
			if g.failed[i] && c.Limit != 0 {
				s.hollow[k] = append(s.hollow[k], at[k])
			}
			if i == g.recommended {
				s.rec[k] = append(s.rec[k], at[k])
			}
		}
		s.markAt, s.fractions = append(s.markAt, at[1]), append(s.fractions, c.ErrorFraction())
	}
	pal.drawScaling(panels, g, limits, s, drew)
	return panels
}

// drawScaling adds a row's series to its panels: the strategies' lines,
// the ideal, hollow and ringed points, and error marks.
func (pal *palette) drawScaling(panels []*plot.Plot, g group, limits []int, s scalingSeries, drew *scalingDrawn) {
	for k, p := range panels {
		for strategy, xys := range s.lines[k] {
			addLine(p, sortedXY(xys), draw.LineStyle{Color: pal.color(strategy), Width: vg.Points(1.5)}, false)
		}
	}
	var ideal [2]plotter.XYs
	for _, l := range limits {
		if b, ok := s.best[l]; ok && b > 0 {
			ideal[0] = append(ideal[0], plotter.XY{X: float64(l), Y: float64(g.workload.Tasks) / (b / 1000)})
			ideal[1] = append(ideal[1], plotter.XY{X: float64(l), Y: b})
		}
	}
	for k, p := range panels {
		if len(ideal[k]) > 0 {
			drew.ideal = true
			addLine(p, ideal[k], idealLine, false)
		}
		addGlyphs(p, s.hollow[k], hollowGlyph)
		addGlyphs(p, s.rec[k], recommendedGlyph)
	}
	drew.marked = errorMarks(panels[1], s.markAt, s.fractions) || drew.marked
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
