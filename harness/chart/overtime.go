package chart

import (
	"image/color"
	"math"
	"time"

	"github.com/concbench/concbench/harness/results"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// overTime colours: the three percentiles, and the two rates.
var (
	p50Color      = color.RGBA{R: 0x00, G: 0x72, B: 0xb2, A: 0xff}
	p99Color      = color.RGBA{R: 0xd5, G: 0x5e, B: 0x00, A: 0xff}
	maxColor      = color.RGBA{R: 0x99, G: 0x99, B: 0x99, A: 0xff}
	targetColor   = color.RGBA{R: 0x55, G: 0x55, B: 0x55, A: 0xff}
	achievedColor = color.RGBA{R: 0x00, G: 0x9e, B: 0x73, A: 0xff}
	errorColor    = color.RGBA{R: 0xcc, G: 0x33, B: 0x11, A: 0xff}
)

// OverTime draws each attack second by second (its first whole
// repetition): p50, p99 and max response time on a log axis, and beside
// it the target rate (open loop), the rate of successes and the rate of
// errors on a shared time axis, so that a stall, a rate the target cannot
// follow or a burst of errors shows when it happened; the boundaries of a
// staged attack's stages are dotted. A last second the attack ended in is
// drawn at its rate over the part it ran, or left out when it ran less
// than half of it (the drain of requests sent before the end). It returns
// nil unless some cell has intervals (attacks).
func OverTime(res *results.Results) *Figure {
	gs := groups(res)
	f := newFigure("over-time", "Each second of the attack: response-time percentiles, and the rates asked and achieved", res, gs)
	drawn := map[string]bool{}
	for _, g := range gs {
		for _, c := range g.cells {
			reps := c.Whole()
			if len(reps) == 0 || len(reps[0].Intervals) == 0 {
				continue
			}
			if lat, rate := secondsPanels(g, c, reps[0], drawn); lat != nil {
				f.Panels = append(f.Panels, []*plot.Plot{lat, rate})
			}
		}
	}
	if f.Panels == nil {
		return nil
	}
	for _, s := range perSecond { // the legend lists only what is drawn
		if drawn[s.label] {
			f.Legend = append(f.Legend, LegendEntry{Label: s.label, Thumb: lineThumb(s.style())})
		}
	}
	return padLogAxes(f)
}

// series is one line of the over-time panels.
type series struct {
	label string
	color color.RGBA
	dash  bool
}

func (s series) style() draw.LineStyle {
	sty := draw.LineStyle{Color: s.color, Width: vg.Points(1.5)}
	if s.dash {
		sty.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	}
	return sty
}

// perSecond are the over-time lines: three percentiles, then three rates.
var perSecond = []series{
	{"p50", p50Color, false}, {"p99", p99Color, false}, {"max", maxColor, true},
	{"target rate", targetColor, true}, {"successes/s", achievedColor, false}, {"errors/s", errorColor, false},
}

// secondsPanels draws one repetition of cell c second by second, and
// notes in drawn the series it drew; nil when no second completed a
// request.
func secondsPanels(g group, c results.CellResult, rep results.Repetition, drawn map[string]bool) (lat, rate *plot.Plot) {
	lat = newPanel(g.title("Response time")+", "+label(c), "seconds from the start", "response (ms, log)")
	rate = newPanel(g.title("Rate")+", "+label(c), "seconds from the start", "requests per second")
	logAxis(&lat.Y)
	lat.Add(plotter.NewGrid())
	rate.Add(plotter.NewGrid())
	lines := make([]plotter.XYs, len(perSecond)) // in perSecond's order
	for _, in := range rep.Intervals {
		ran := in.Length
		if rep.Wall > 0 {
			ran = min(in.Start+in.Length, rep.Wall) - in.Start
		}
		if ran < in.Length/2 {
			continue // the drain after the end: too little of a second to be a rate
		}
		x := (in.Start + min(ran, in.Length)/2).Seconds()
		if in.Completed > 0 {
			for i, v := range []time.Duration{in.P50, in.P99, in.Max} {
				lines[i] = append(lines[i], plotter.XY{X: x, Y: floorPositive(ms(v))})
			}
		}
		per := ran.Seconds()
		for i, n := range []int{in.Scheduled, in.Completed - in.Errors, in.Errors} {
			lines[3+i] = append(lines[3+i], plotter.XY{X: x, Y: float64(n) / per})
		}
	}
	if len(lines[0]) == 0 {
		return nil, nil
	}
	for i := 3; i < len(lines); i += 2 { // target (closed loop asks none) and errors
		if spanOf(lines[i]).hi == 0 {
			lines[i] = nil
		}
	}
	for i, xys := range lines {
		if len(xys) == 0 {
			continue
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			panic(err) // finite points always make a line
		}
		l.LineStyle = perSecond[i].style()
		[]*plot.Plot{lat, rate}[i/3].Add(l)
		drawn[perSecond[i].label] = true
	}
	stageBoundaries(rep, lat, spanOf(lines[0], lines[2]), rate, span{0, spanOf(lines[3:]...).hi})
	rate.Y.Min = 0
	return lat, rate
}

// stageBoundaries dots the ends of a staged attack's stages across both
// panels, each over its span.
func stageBoundaries(rep results.Repetition, lat *plot.Plot, latSpan span, rate *plot.Plot, rateSpan span) {
	for _, st := range rep.Stages[:max(len(rep.Stages)-1, 0)] {
		x := st.End.Seconds()
		for _, pair := range []struct {
			p *plot.Plot
			s span
		}{{lat, latSpan}, {rate, rateSpan}} {
			l, err := plotter.NewLine(plotter.XYs{{X: x, Y: pair.s.lo}, {X: x, Y: pair.s.hi}})
			if err != nil {
				continue // no data to span
			}
			l.LineStyle = draw.LineStyle{Color: targetColor, Width: vg.Points(0.75), Dashes: []vg.Length{vg.Points(1), vg.Points(2)}}
			pair.p.Add(l)
		}
	}
}

// span is the range of y values of some series.
type span struct{ lo, hi float64 }

// spanOf returns the least and greatest y of the series (1 and 1 when
// they are empty).
func spanOf(series ...plotter.XYs) span {
	s := span{lo: math.Inf(1), hi: math.Inf(-1)}
	for _, xys := range series {
		for _, p := range xys {
			s.lo, s.hi = min(s.lo, p.Y), max(s.hi, p.Y)
		}
	}
	if math.IsInf(s.lo, 1) {
		return span{1, 1}
	}
	return s
}
