package chart

import (
	"math"
	"strconv"

	"github.com/concbench/concbench/harness/results"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// cellPanel is a panel whose x axis names the cells of a workload, one
// category each, in a figure of cols panels per row; the labels turn when
// they would not fit side by side.
func cellPanel(title, yLabel string, cells []results.CellResult, cols int) *plot.Plot {
	p := newPanel(title, "", yLabel)
	names := labels(cells)
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.6, float64(len(cells))-0.4
	slot := panelWidth(cols) / vg.Length(len(cells))
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

// bars adds one bar per cell, each in its strategy's colour (lightened by
// shade), stacked on the bars of under when given, starting the y axis at
// 0, and returns them so another series can stack on them. Stacking must
// happen before the bars are added: the plot reads their range then.
func (pal *palette) bars(p *plot.Plot, cells []results.CellResult, cols int, value func(results.CellResult) float64, shade float64, under ...*plotter.BarChart) []*plotter.BarChart {
	out := make([]*plotter.BarChart, len(cells))
	width := 0.6 * panelWidth(cols) / vg.Length(len(cells))
	for i, c := range cells {
		b, err := plotter.NewBarChart(plotter.Values{value(c)}, width)
		if err != nil {
			panic(err) // one finite value always makes a chart
		}
		b.XMin = float64(i)
		b.Color = tint(pal.color(c.Strategy), shade)
		b.LineStyle.Width = 0
		if len(under) > 0 {
			b.StackOn(under[i])
		}
		p.Add(b)
		out[i] = b
	}
	p.Y.Min = 0
	if p.Y.Max <= 0 {
		p.Y.Max = 1 // an all-zero panel still gets an axis
	}
	return out
}

// strategyLegend lists the strategies of the run with their colours.
func (pal *palette) strategyLegend(res *results.Results) []LegendEntry {
	return pal.legendOf(res, func(results.CellResult) bool { return true })
}

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
