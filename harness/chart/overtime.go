package chart

import (
	"image/color"
	"math"

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
// staged attack's stages are dotted. It returns nil
// unless some cell has intervals (attacks).
func OverTime(res *results.Results) *Figure {
	f := &Figure{Name: "over-time", Title: "Each second of the attack: response-time percentiles, and the rates asked and achieved", Caption: caption(res)}
	for _, g := range groups(res) {
		for _, c := range g.cells {
			reps := c.Whole()
			if len(reps) == 0 || len(reps[0].Intervals) == 0 {
				continue
			}
			iv := reps[0].Intervals
			lat := newPanel(panelTitle("Response time per second, "+label(c), g, 45), "seconds from the start", "response time (ms, log)")
			rate := newPanel(panelTitle("Rate per second, "+label(c), g, 45), "seconds from the start", "requests per second")
			logAxis(&lat.Y)
			for _, p := range []*plot.Plot{lat, rate} {
				p.Add(plotter.NewGrid())
			}
			var p50, p99, hi, target, achieved, failed plotter.XYs
			for _, in := range iv {
				x := (in.Start + in.Length/2).Seconds()
				if in.Completed > 0 {
					p50 = append(p50, plotter.XY{X: x, Y: floorPositive(ms(in.P50))})
					p99 = append(p99, plotter.XY{X: x, Y: floorPositive(ms(in.P99))})
					hi = append(hi, plotter.XY{X: x, Y: floorPositive(ms(in.Max))})
				}
				per := in.Length.Seconds()
				target = append(target, plotter.XY{X: x, Y: float64(in.Scheduled) / per})
				achieved = append(achieved, plotter.XY{X: x, Y: float64(in.Completed-in.Errors) / per})
				failed = append(failed, plotter.XY{X: x, Y: float64(in.Errors) / per})
			}
			if spanOf(target).hi == 0 {
				target = nil // closed loop: no rate is asked
			}
			if spanOf(failed).hi == 0 {
				failed = nil
			}
			for _, s := range []struct {
				xys   plotter.XYs
				p     *plot.Plot
				color color.RGBA
				dash  bool
			}{
				{hi, lat, maxColor, true}, {p99, lat, p99Color, false}, {p50, lat, p50Color, false},
				{target, rate, targetColor, true}, {achieved, rate, achievedColor, false}, {failed, rate, errorColor, false},
			} {
				if len(s.xys) == 0 {
					continue
				}
				l, err := plotter.NewLine(s.xys)
				if err != nil {
					panic(err) // finite points always make a line
				}
				l.LineStyle = draw.LineStyle{Color: s.color, Width: vg.Points(1.5)}
				if s.dash {
					l.LineStyle.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
				}
				s.p.Add(l)
			}
			// Stage boundaries, dotted across both panels.
			for _, st := range reps[0].Stages[:max(len(reps[0].Stages)-1, 0)] {
				x := st.End.Seconds()
				for _, pair := range []struct {
					p      *plot.Plot
					lo, hi float64
				}{{lat, spanOf(p50, hi).lo, spanOf(p50, hi).hi}, {rate, 0, spanOf(target, achieved, failed).hi}} {
					l, err := plotter.NewLine(plotter.XYs{{X: x, Y: pair.lo}, {X: x, Y: pair.hi}})
					if err != nil {
						continue // no data to span
					}
					l.LineStyle = draw.LineStyle{Color: targetColor, Width: vg.Points(0.75), Dashes: []vg.Length{vg.Points(1), vg.Points(2)}}
					pair.p.Add(l)
				}
			}
			rate.Y.Min = 0
			f.Panels = append(f.Panels, []*plot.Plot{lat, rate})
		}
	}
	if f.Panels == nil {
		return nil
	}
	for _, e := range []struct {
		label string
		color color.RGBA
		dash  bool
	}{{"p50", p50Color, false}, {"p99", p99Color, false}, {"max", maxColor, true}, {"target rate", targetColor, true}, {"successes/s", achievedColor, false}, {"errors/s", errorColor, false}} {
		sty := draw.LineStyle{Color: e.color, Width: vg.Points(1.5)}
		if e.dash {
			sty.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		}
		f.Legend = append(f.Legend, LegendEntry{Label: e.label, Thumb: lineThumb(sty)})
	}
	return padLogAxes(f)
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
