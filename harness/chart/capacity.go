package chart

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

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
// p99 against concurrency with the points that fail the SLO in red. It
// returns nil for a run without a capacity report.
func Capacity(res *results.Results) *Figure {
	c := res.Capacity
	if c == nil || len(c.Points) == 0 {
		return nil
	}
	f := &Figure{Name: "capacity", Caption: caption(res),
		Title: fmt.Sprintf("Capacity of %s under %s: Universal Scalability Law fit", c.Workload, c.Strategy)}
	if c.Strategy == "" {
		f.Title = "Capacity: Universal Scalability Law fit of " + c.Workload
	}
	var maxN float64
	measured := make(plotter.XYs, len(c.Points))
	for i, p := range c.Points {
		measured[i] = plotter.XY{X: p.Concurrency, Y: floorPositive(p.Throughput)}
		maxN = max(maxN, p.Concurrency)
	}
	title := "Throughput"
	if c.Fit != nil {
		title = fmt.Sprintf("Throughput: λ=%.4g/s σ=%.3g κ=%.3g R²=%.3f", c.Fit.Lambda, c.Fit.Sigma, c.Fit.Kappa, c.Fit.R2)
	}
	if len(res.Plan.Workloads) > 0 { // the swept workload's parameters
		g := group{workload: res.Plan.Workloads[0]}
		g.workload.Tasks = 0
		if _, params, ok := strings.Cut(panelTitle("", g, 45), "\n"); ok {
			title += "\n" + params
		}
	}
	tp := newPanel(title, "concurrency (log scale)", "successful tasks per second")
	tp.X.Scale = plot.LogScale{}
	tp.X.Tick.Marker = powerOfTwoTicks{}
	tp.Y.Tick.Marker = plainTicks{}
	tp.Add(plotter.NewGrid())
	top := 0.0
	for _, p := range measured {
		top = max(top, p.Y)
	}
	banded := false
	if c.Fit != nil {
		u := func(n float64) float64 {
			return capacity.X(c.Fit.USL, n)
		}
		end := max(maxN, c.Fit.PeakN) * 1.3
		var curve plotter.XYs
		for n := 1.0; n <= end; n *= 1.05 {
			curve = append(curve, plotter.XY{X: n, Y: u(n)})
			top = max(top, u(n))
		}
		l, _ := plotter.NewLine(curve)
		l.LineStyle = fittedLine
		tp.Add(l)
		if c.Fit.DF > 0 {
			banded = true
			t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(c.Fit.DF)}.Quantile(0.975)
			lo, hi := make(plotter.XYs, len(curve)), make(plotter.XYs, len(curve))
			for i, pt := range curve {
				x, half := capacity.Band(*c.Fit, pt.X, t)
				lo[i], hi[i] = plotter.XY{X: pt.X, Y: max(x-half, 0)}, plotter.XY{X: pt.X, Y: x + half}
				top = max(top, min(x+half, 2*x))
			}
			for _, edge := range []plotter.XYs{lo, hi} {
				b, _ := plotter.NewLine(edge)
				b.LineStyle = bandLine
				tp.Add(b)
			}
		}
		if c.Fit.PeakN > 0 {
			addVertical(tp, c.Fit.PeakN, top*1.1, peakLine)
		}
	}
	if c.SLOLimit > 0 {
		addVertical(tp, float64(c.SLOLimit), top*1.1, sloLine)
	}
	if c.Knee > 0 {
		addVertical(tp, c.Knee, top*1.1, kneeLine)
	}
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
	marked := errorMarks(tp, measured, fractions)
	tp.Y.Min, tp.Y.Max = 0, top*1.15
	tp.X.Min, tp.X.Max = 0.8, max(maxN, peakOf(c))*1.4

	f.Panels = [][]*plot.Plot{{tp}}
	if c.Points[0].P99 > 0 {
		lat := newPanel("p99 service time (red: fails the SLO)", "concurrency (log scale)", "p99 service time (ms, log scale)")
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
		lat.X.Min, lat.X.Max = 0.8, maxN*1.4
		f.Panels[0] = append(f.Panels[0], lat)
	}
	// The legend lists only what is drawn.
	f.Legend = []LegendEntry{
		{"measured (ring: Little's law off by more than 10%)", glyphThumb{Color: grey, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}},
	}
	if c.Fit != nil {
		f.Legend = append(f.Legend, LegendEntry{"USL fit", lineThumb(fittedLine)})
		if c.Fit.PeakN > 0 {
			f.Legend = append(f.Legend, LegendEntry{"peak concurrency N*", lineThumb(peakLine)})
		}
	}
	if c.Knee > 0 {
		f.Legend = append(f.Legend, LegendEntry{"knee (90% of the best throughput)", lineThumb(kneeLine)})
	}
	if banded {
		f.Legend = append(f.Legend, LegendEntry{"95% confidence band of the fit", lineThumb(bandLine)})
	}
	if marked {
		f.Legend = append(f.Legend, errorMarkEntry())
	}
	if c.SLOLimit > 0 {
		f.Legend = append(f.Legend, LegendEntry{"highest concurrency meeting " + c.SLO, lineThumb(sloLine)})
	}
	return padLogAxes(f)
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
