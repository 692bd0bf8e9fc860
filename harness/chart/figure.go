// Package chart draws the charts of a run with gonum.org/v1/plot. Every
// chart is a pure function of a run's results, so `bench plot` can redraw
// them from results.json alone.
//
// A Figure has one row of panels per workload, a legend strip above them
// (so no legend covers data), and below them the workloads' parameters and
// the run's environment. Panel titles are one line: what the panel shows
// and the workload. Each strategy has the same colour in every chart, a
// cell over the error budget is drawn hollow with a red label, and the
// recommended cell is marked "►" in every chart of its workload.
package chart

import (
	"bytes"
	"math"
	"strconv"
	"strings"

	"github.com/concbench/concbench/harness/results"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Figure is one chart: rows of panels, a legend and a caption.
type Figure struct {
	Name   string         // file stem, e.g. "latency"
	Title  string         // what the chart shows, one line
	Panels [][]*plot.Plot // one row per workload
	Legend []LegendEntry
	// Notes are what the panels measured: each workload's tasks and
	// parameters, wrapped under the panels.
	Notes   []string
	Caption string // the environment the run measured
}

// LegendEntry is one item of a figure's legend strip.
type LegendEntry struct {
	Label string
	Thumb plot.Thumbnailer
}

// Default sizes: a figure is 10 in wide, each row of panels 3.2 in tall.
const (
	Width     = 10 * vg.Inch
	RowHeight = 3.2 * vg.Inch
)

// Formats are the file formats Render takes.
var Formats = []string{"png", "svg"}

// Render draws the figure at the default size in format ("png" or "svg").
func (f *Figure) Render(format string) ([]byte, error) {
	header := f.headerHeight()
	footer := 0.35*vg.Inch + vg.Length(len(f.noteLines()))*captionLine
	height := vg.Length(len(f.Panels))*RowHeight + header + footer
	c, err := draw.NewFormattedCanvas(Width, height, format)
	if err != nil {
		return nil, err
	}
	dc := draw.New(c)
	f.drawHeader(draw.Crop(dc, 0, 0, height-header, 0))
	f.drawCaption(draw.Crop(dc, 0, 0, 0, -(height - footer)))
	body := draw.Crop(dc, 0, 0, footer, -header)
	cols := 0
	for _, row := range f.Panels {
		cols = max(cols, len(row))
	}
	tiles := draw.Tiles{Rows: len(f.Panels), Cols: cols, PadX: 0.35 * vg.Inch, PadY: 0.3 * vg.Inch,
		PadLeft: 0.1 * vg.Inch, PadRight: 0.25 * vg.Inch, PadTop: 0.1 * vg.Inch}
	canvases := plot.Align(f.Panels, tiles, body)
	for i, row := range f.Panels {
		for j, p := range row {
			if p != nil {
				p.Draw(canvases[i][j])
			}
		}
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// newFigure starts a figure of the groups of res: its notes list the
// workloads' parameters and its caption the environment.
func newFigure(name, title string, res *results.Results, gs []group) *Figure {
	return &Figure{Name: name, Title: title, Notes: paramsCaption(gs), Caption: caption(res)}
}

// legendRows lays the legend out left to right, wrapping at the width.
func (f *Figure) legendRows() [][]LegendEntry {
	sty := textStyle(10)
	var rows [][]LegendEntry
	var row []LegendEntry
	x := vg.Length(0)
	for _, e := range f.Legend {
		w := legendThumb + 0.1*vg.Inch + sty.Width(e.Label) + 0.3*vg.Inch
		if len(row) > 0 && x+w > Width-0.6*vg.Inch {
			rows, row, x = append(rows, row), nil, 0
		}
		row = append(row, e)
		x += w
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	return rows
}

const (
	legendThumb = 0.3 * vg.Inch
	legendLine  = 0.22 * vg.Inch
)

func (f *Figure) headerHeight() vg.Length {
	return 0.45*vg.Inch + vg.Length(len(f.legendRows()))*legendLine + 0.1*vg.Inch
}

func (f *Figure) drawHeader(c draw.Canvas) {
	title := textStyle(14)
	title.XAlign, title.YAlign = draw.XCenter, draw.YTop
	c.FillText(title, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: c.Max.Y - 0.1*vg.Inch}, f.Title)
	sty := textStyle(10)
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YCenter
	y := c.Max.Y - 0.45*vg.Inch - legendLine/2
	for _, row := range f.legendRows() {
		x := c.Min.X + 0.3*vg.Inch
		for _, e := range row {
			thumb := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
				Min: vg.Point{X: x, Y: y - legendLine/3}, Max: vg.Point{X: x + legendThumb, Y: y + legendLine/3}}}
			e.Thumb.Thumbnail(&thumb)
			x += legendThumb + 0.1*vg.Inch
			c.FillText(sty, vg.Point{X: x, Y: y}, e.Label)
			x += sty.Width(e.Label) + 0.3*vg.Inch
		}
		y -= legendLine
	}
}

const captionLine = 0.17 * vg.Inch

// noteLines wraps the notes to the figure's width: a note that fits on
// a line is never split; a longer one runs on, word by word.
func (f *Figure) noteLines() []string {
	sty := textStyle(9)
	fits := func(s string) bool { return sty.Width(s) <= Width-0.6*vg.Inch }
	var lines []string
	line := ""
	add := func(s, sep string) {
		switch {
		case line == "":
			line = s
		case fits(line + sep + s):
			line += sep + s
		default:
			lines, line = append(lines, line), s
		}
	}
	for _, n := range f.Notes {
		if fits(n) {
			add(n, "  ·  ")
			continue
		}
		for i, word := range strings.Fields(n) {
			if i == 0 && line != "" {
				lines, line = append(lines, line), ""
			}
			add(word, " ")
		}
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// drawCaption writes the notes, then the environment, centred.
func (f *Figure) drawCaption(c draw.Canvas) {
	sty := textStyle(9)
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	x := (c.Min.X + c.Max.X) / 2
	y := c.Max.Y - captionLine
	for _, l := range f.noteLines() {
		c.FillText(sty, vg.Point{X: x, Y: y}, l)
		y -= captionLine
	}
	sty.Color = grey
	c.FillText(sty, vg.Point{X: x, Y: c.Min.Y + 0.15*vg.Inch}, f.Caption)
}

// textStyle is the default plot text style at size points.
func textStyle(size vg.Length) draw.TextStyle {
	sty := plot.New().Title.TextStyle
	sty.Font.Size = size
	return sty
}

// newPanel returns a plot with the common look: a title, axis labels with
// units, a light grid.
func newPanel(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = 10
	p.X.Label.Text, p.Y.Label.Text = xLabel, yLabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font.Size = 9
		a.Tick.Label.Font.Size = 8
	}
	return p
}

// logAxis puts a on a log scale with labelled ticks at 1, 2 and 5 times
// each power of ten, so that even a narrow range has several labels.
func logAxis(a *plot.Axis) {
	a.Scale = plot.LogScale{}
	a.Tick.Marker = logTicks{}
}

// logTicks labels 1-2-5 steps of each decade in range and marks the other
// integer multiples as minor ticks; a range too narrow for three such
// labels (10 to 13 ms) gets gonum's evenly spaced ticks instead.
type logTicks struct{}

func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if lo <= 0 || hi <= lo {
		return nil
	}
	ticks := steps125(lo, hi)
	labelled := 0
	for _, t := range ticks {
		if t.Label != "" {
			labelled++
		}
	}
	if labelled < 3 {
		return plainTicks{}.Ticks(lo, hi)
	}
	return ticks
}

// steps125 are the ticks of every integer multiple of each decade in
// range, labelled at 1, 2 and 5.
func steps125(lo, hi float64) []plot.Tick {
	var ticks []plot.Tick
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		decade := math.Pow(10, e)
		for m := 1.0; m < 10; m++ {
			v := m * decade
			if v < lo || v > hi {
				continue
			}
			t := plot.Tick{Value: v}
			if m == 1 || m == 2 || m == 5 {
				t.Label = strconv.FormatFloat(v, 'g', -1, 64)
			}
			ticks = append(ticks, t)
		}
	}
	return ticks
}

// padLogAxes widens every log y axis of f by a factor of 1.5 each way, so
// that no point sits on the frame. Builders call it once, after adding data.
func padLogAxes(f *Figure) *Figure {
	for _, row := range f.Panels {
		for _, p := range row {
			if _, ok := p.Y.Scale.(plot.LogScale); ok {
				p.Y.Min /= 1.5
				p.Y.Max *= 1.5
			}
		}
	}
	return f
}

// floorPositive keeps v drawable on a log axis.
func floorPositive(v float64) float64 {
	if v <= 0 || math.IsNaN(v) {
		return 1e-3
	}
	return v
}
