package chart

import (
	"image/color"
	"math"
	"slices"
	"strconv"

	"github.com/concbench/concbench/harness/results"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// cellPanel is a panel whose x axis names the cells of a workload, one
// category each, the recommended one marked, in a figure of cols panels
// per row; the labels turn when they would not fit side by side.
func cellPanel(title, yLabel string, g group, cols int) *plot.Plot {
	p := newPanel(title, "", yLabel)
	names := g.labels()
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.6, float64(len(names))-0.4
	slot := panelWidth(cols) / vg.Length(len(names))
	for _, n := range names {
		if p.X.Tick.Label.Width(n) > 0.9*slot {
			p.X.Tick.Label.Rotation = math.Pi / 6
			p.X.Tick.Label.XAlign = draw.XRight
			p.X.Tick.Label.YAlign = draw.YCenter
			break
		}
	}
	p.Y.Tick.Marker = plainTicks{}
	p.Add(plotter.NewGrid())
	return p
}

// panelWidth is roughly the data width of a panel in a row of cols.
func panelWidth(cols int) vg.Length { return (Width - 1.2*vg.Inch) / vg.Length(cols) * 0.85 }

// plainTicks are gonum's default ticks with labels in the shortest form:
// 250, not 250.00.
type plainTicks struct{}

func (plainTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = strconv.FormatFloat(ticks[i].Value, 'g', 6, 64)
		}
	}
	return ticks
}

// bars adds one bar per cell of g, each in its strategy's colour
// (lightened by shade), a cell over the error budget hollow, stacked on
// the bars of under when given, starting the y axis at 0, and returns
// them so another series can stack on them. Stacking must happen before
// the bars are added: the plot reads their range then.
func (pal *palette) bars(p *plot.Plot, g group, cols int, value func(results.CellResult) float64, shade float64, under ...*plotter.BarChart) []*plotter.BarChart {
	out := make([]*plotter.BarChart, len(g.cells))
	width := min(0.6*panelWidth(cols)/vg.Length(len(g.cells)), 0.6*vg.Inch)
	for i, c := range g.cells {
		b, err := plotter.NewBarChart(plotter.Values{value(c)}, width)
		if err != nil {
			panic(err) // one finite value always makes a chart
		}
		b.XMin = float64(i)
		b.Color = tint(pal.color(c.Strategy), shade)
		b.LineStyle.Width = 0
		if g.failed[i] {
			b.Color = tint(pal.color(c.Strategy), 0.92)
			b.LineStyle = draw.LineStyle{Color: tint(pal.color(c.Strategy), shade), Width: vg.Points(1), Dashes: failedDashes}
		}
		if len(under) > 0 {
			b.StackOn(under[i])
		}
		p.Add(b)
		out[i] = b
	}
	p.Y.Min = 0
	p.Y.Max *= 1.08 // room for a label over the highest bar
	if p.Y.Max <= 0 {
		p.Y.Max = 1 // an all-zero panel still gets an axis
	}
	return out
}

// cellColor is the colour of cell i of g: its strategy's, lighter when
// the cell is over the error budget.
func (pal *palette) cellColor(g group, i int) color.RGBA {
	if g.failed[i] {
		return tint(pal.color(g.cells[i].Strategy), 0.6)
	}
	return pal.color(g.cells[i].Strategy)
}

// all draws every cell.
func all(results.CellResult) bool { return true }

// failedDashes outline the hollow bar of a cell over the error budget.
var failedDashes = []vg.Length{vg.Points(3), vg.Points(2)}

// measured reports whether value is above 0 for some cell of some group:
// a figure nobody measured (GC cycles of a run without a collection,
// runtime figures of an attack) gets no panel.
func measured(gs []group, value func(results.CellResult) float64) bool {
	for _, g := range gs {
		for _, c := range g.cells {
			if v := value(c); v > 0 && !math.IsInf(v, 0) {
				return true
			}
		}
	}
	return false
}

// strategyLegend lists the strategies of the run with their colours,
// then what marks the recommended and the failed cells, when gs has any.
func (pal *palette) strategyLegend(res *results.Results, gs []group) []LegendEntry {
	return append(pal.legendOf(res, all), cellMarksLegend(gs, true)...)
}

// cellMarksLegend explains the marks of recommended and failed cells
// that gs holds; hollow says whether failed cells are drawn hollow, or
// else lighter.
func cellMarksLegend(gs []group, hollow bool) []LegendEntry {
	rec, failed := cellMarks(gs)
	var out []LegendEntry
	if rec {
		out = append(out, LegendEntry{recommendedMark + "the recommended cell", noThumb{}})
	}
	switch {
	case failed && hollow:
		out = append(out, LegendEntry{"hollow: over the error budget (FAILED, not speed)", lineThumb{Color: grey, Width: vg.Points(1), Dashes: failedDashes}})
	case failed:
		out = append(out, LegendEntry{"lighter: over the error budget (FAILED, not speed)", glyphThumb{Color: tint(grey, 0.6), Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}})
	}
	return out
}

// cellMarks reports whether gs has a recommended cell, and a failed one.
func cellMarks(gs []group) (rec, failed bool) {
	for _, g := range gs {
		rec = rec || g.recommended >= 0
		failed = failed || slices.Contains(g.failed, true)
	}
	return rec, failed
}

var recommendedColor = color.RGBA{0x00, 0x9e, 0x73, 0xff}

// legendOf lists, in run order, the strategies of the cells drawn picks.
func (pal *palette) legendOf(res *results.Results, drawn func(results.CellResult) bool) []LegendEntry {
	var out []LegendEntry
	seen := map[string]bool{}
	for _, c := range res.Cells {
		if seen[c.Strategy] || !drawn(c) {
			continue
		}
		seen[c.Strategy] = true
		b, _ := plotter.NewBarChart(plotter.Values{1}, 1)
		b.Color = pal.color(c.Strategy)
		b.LineStyle.Width = 0
		out = append(out, LegendEntry{Label: c.Strategy, Thumb: b})
	}
	return out
}

// noThumb is a legend entry's empty thumbnail: its label says it all.
type noThumb struct{}

func (noThumb) Thumbnail(*draw.Canvas) {}

// glyphThumb is a legend thumbnail of one glyph.
type glyphThumb draw.GlyphStyle

func (g glyphThumb) Thumbnail(c *draw.Canvas) {
	c.DrawGlyph(draw.GlyphStyle(g), c.Center())
}

// lineThumb is a legend thumbnail of a line style.
type lineThumb draw.LineStyle

func (l lineThumb) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(draw.LineStyle(l), c.Min.X, y, c.Max.X, y)
}
