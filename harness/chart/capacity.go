package chart

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"github.com/concbench/concbench/harness/capacity"

	"github.com/concbench/concbench/harness/results"
	"gonum.org/v1/gonum/stat/distuv"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

var (
	red        = color.RGBA{0xc0, 0x20, 0x20, 0xff}
	fittedLine = draw.LineStyle{Color: color.RGBA{0x00, 0x72, 0xb2, 0xff}, Width: vg.Points(1.5)}
	bandLine   = draw.LineStyle{Color: tint(color.RGBA{0x00, 0x72, 0xb2, 0xff}, 0.5), Width: vg.Points(1), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}
	peakLine   = draw.LineStyle{Color: grey, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}
	kneeLine   = draw.LineStyle{Color: color.RGBA{0xd5, 0x5e, 0x00, 0xff}, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(8), vg.Points(2), vg.Points(2), vg.Points(2)}}
	sloLine    = draw.LineStyle{Color: color.RGBA{0x00, 0x9e, 0x73, 0xff}, Width: vg.Points(1.5), Dashes: []vg.Length{vg.Points(2), vg.Points(2)}}
)

// Capacity draws a sweep's capacity model: measured throughput against
// concurrency with the fitted USL curve, its peak and the SLO limit, and
// p99 against concurrency with the points that fail the SLO in red. The
// axes are scaled to the measured points with a margin: the fit's
// projection beyond them is clipped at the edge, and a peak beyond the
// edge is named there. It returns nil for a run without a capacity report.
func Capacity(res *results.Results) *Figure {
	c := res.Capacity
	if c == nil || len(c.Points) == 0 {
		return nil
	}
	f := &Figure{Name: "capacity", Caption: caption(res), Notes: paramsCaption(workloadGroups(res)),
		Title: fmt.Sprintf("Capacity of %s under %s: Universal Scalability Law fit", c.Workload, c.Strategy)}
	if c.Strategy == "" {
		f.Title = "Capacity: Universal Scalability Law fit of " + c.Workload
	}
	tp, banded, marked := capacityThroughput(c)
	f.Panels = [][]*plot.Plot{{tp}}
	if c.Points[0].P99 > 0 {
		f.Panels[0] = append(f.Panels[0], capacityLatency(c, tp.X.Min, tp.X.Max))
	}
	f.Legend = capacityLegend(c, tp.X.Max, banded, marked)
	return padLogAxes(f)
}

// workloadGroups are the plan's workloads as groups without cells, for
// the notes of a run whose cells are capacity points.
func workloadGroups(res *results.Results) []group {
	gs := make([]group, len(res.Plan.Workloads))
	for i, w := range res.Plan.Workloads {
		gs[i] = group{workload: w}
	}
	return gs
}

// capacityThroughput is the throughput panel: the measured points, the
// fit and its band, and the reference lines labelled at the top. It
// reports whether it drew the band and error marks.
func capacityThroughput(c *results.CapacityReport) (tp *plot.Plot, banded, marked bool) {
	measured := make(plotter.XYs, len(c.Points))
	var maxN, top float64
	for i, p := range c.Points {
		measured[i] = plotter.XY{X: p.Concurrency, Y: floorPositive(p.Throughput)}
		maxN, top = max(maxN, p.Concurrency), max(top, measured[i].Y)
	}
	title := "Throughput"
	if c.Fit != nil {
		title = fmt.Sprintf("Throughput: λ=%.4g/s σ=%.3g κ=%.3g R²=%.3f", c.Fit.Lambda, c.Fit.Sigma, c.Fit.Kappa, c.Fit.R2)
	}
	tp = newPanel(title, "concurrency (log scale)", "goodput (tasks/s)")
	tp.X.Scale = plot.LogScale{}
	tp.X.Tick.Marker = powerOfTwoTicks{}
	tp.Y.Tick.Marker = plainTicks{}
	tp.Add(plotter.NewGrid())
	tp.Y.Min, tp.Y.Max = 0, top*1.3
	tp.X.Min, tp.X.Max = 0.8, maxN*1.4
	xMin, xMax, yMin, yMax := tp.X.Min, tp.X.Max, tp.Y.Min, tp.Y.Max
	if c.Fit != nil {
		banded = addFit(tp, *c.Fit, tp.X.Max)
	}
	var refs plotter.XYs
	var names []string
	for _, r := range []struct {
		x    float64
		name string
		sty  draw.LineStyle
	}{{peakOf(c), "N*", peakLine}, {float64(c.SLOLimit), "SLO", sloLine}, {c.Knee, "knee", kneeLine}} {
		if r.x > 0 && r.x <= xMax { // a peak beyond the axis is in the legend
			addVertical(tp, r.x, yMax, r.sty)
			refs, names = append(refs, plotter.XY{X: r.x, Y: yMax}), append(names, fmt.Sprintf("%s %.3g", r.name, r.x))
		}
	}
	refLabels := newMarkLabels(refs, names, 8, vg.Point{X: -vg.Points(3), Y: -vg.Points(12)})
	refLabels.style.XAlign = draw.XRight // left of its line
	tp.Add(refLabels)
	pts, _ := plotter.NewScatter(measured)
	pts.GlyphStyleFunc = func(i int) draw.GlyphStyle {
		g := draw.GlyphStyle{Color: grey, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
		if !c.Points[i].LittleOK {
			g.Shape = draw.RingGlyph{}
		}
		return g
	}
	tp.Add(pts)
	fractions := make([]float64, len(c.Points))
	for i, p := range c.Points {
		fractions[i] = p.ErrorRatio
	}
	marked = errorMarks(tp, measured, fractions)
	tp.X.Min, tp.X.Max, tp.Y.Min, tp.Y.Max = xMin, xMax, yMin, yMax // what Add widened for the projection
	return tp, banded, marked
}

// addFit draws the fitted curve up to end, and its 95% band when the fit
// has degrees of freedom left; lines beyond the axes are clipped there.
func addFit(tp *plot.Plot, fit results.USLFit, end float64) (banded bool) {
	var curve plotter.XYs
	for n := 1.0; n <= end; n *= 1.05 {
		curve = append(curve, plotter.XY{X: n, Y: capacity.X(fit.USL, n)})
	}
	l, _ := plotter.NewLine(curve)
	l.LineStyle = fittedLine
	tp.Add(l)
	if fit.DF <= 0 {
		return false
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(fit.DF)}.Quantile(0.975)
	lo, hi := make(plotter.XYs, len(curve)), make(plotter.XYs, len(curve))
	for i, pt := range curve {
		x, half := capacity.Band(fit, pt.X, t)
		lo[i], hi[i] = plotter.XY{X: pt.X, Y: max(x-half, 0)}, plotter.XY{X: pt.X, Y: x + half}
	}
	for _, edge := range []plotter.XYs{lo, hi} {
		b, _ := plotter.NewLine(edge)
		b.LineStyle = bandLine
		tp.Add(b)
	}
	return true
}

// capacityLatency is the p99 panel, over the throughput panel's x range.
func capacityLatency(c *results.CapacityReport, xMin, xMax float64) *plot.Plot {
	lat := newPanel("p99 service time (red: fails the SLO)", "concurrency (log scale)", "p99 service (ms, log)")
	lat.X.Scale, lat.X.Tick.Marker = plot.LogScale{}, powerOfTwoTicks{}
	logAxis(&lat.Y)
	lat.Add(plotter.NewGrid())
	xys := make(plotter.XYs, len(c.Points))
	for i, p := range c.Points {
		xys[i] = plotter.XY{X: p.Concurrency, Y: floorPositive(ms(p.P99))}
	}
	line, _ := plotter.NewLine(xys)
	line.LineStyle = draw.LineStyle{Color: grey, Width: vg.Points(1)}
	s, _ := plotter.NewScatter(xys)
	s.GlyphStyleFunc = func(i int) draw.GlyphStyle {
		g := draw.GlyphStyle{Color: grey, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
		if m := c.Points[i].SLOMet; m != nil && !*m {
			g.Color = red
		}
		return g
	}
	lat.Add(line, s)
	lat.X.Min, lat.X.Max = xMin, xMax
	return lat
}

// capacityLegend lists only what is drawn, and the peak when it lies
// beyond xMax.
func capacityLegend(c *results.CapacityReport, xMax float64, banded, marked bool) []LegendEntry {
	beyond := ""
	if peakOf(c) > xMax {
		beyond = ", beyond the measured range (not drawn)"
	}
	out := []LegendEntry{
		{"measured (ring: Little's law off by more than 10%)", glyphThumb{Color: grey, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}},
	}
	if c.Fit != nil {
		out = append(out, LegendEntry{"USL fit", lineThumb(fittedLine)})
		if c.Fit.PeakN > 0 {
			out = append(out, LegendEntry{fmt.Sprintf("peak concurrency N* = %.3g%s", c.Fit.PeakN, beyond), lineThumb(peakLine)})
		}
	}
	if c.Knee > 0 {
		out = append(out, LegendEntry{"knee (90% of the best throughput)", lineThumb(kneeLine)})
	}
	if banded {
		out = append(out, LegendEntry{"95% confidence band of the fit", lineThumb(bandLine)})
	}
	if marked {
		out = append(out, errorMarkEntry())
	}
	if c.SLOLimit > 0 {
		out = append(out, LegendEntry{"highest concurrency meeting " + c.SLO, lineThumb(sloLine)})
	}
	return out
}

func peakOf(c *results.CapacityReport) float64 {
	if c.Fit == nil {
		return 0
	}
	return c.Fit.PeakN
}

func addVertical(p *plot.Plot, x, top float64, sty draw.LineStyle) {
	l, _ := plotter.NewLine(plotter.XYs{{X: x, Y: 0}, {X: x, Y: top}})
	l.LineStyle = sty
	p.Add(l)
}

// powerOfTwoTicks labels 1, 2, 4, 8 ... on a log axis.
type powerOfTwoTicks struct{}

func (powerOfTwoTicks) Ticks(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	for v := math.Pow(2, math.Ceil(math.Log2(max(lo, 1e-9)))); v <= hi; v *= 2 {
		ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', -1, 64)})
	}
	return ticks
}
