package chart

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// markLabels are texts beside points, laid out when drawn: a label that
// would cover one placed before it, or leave the data area, moves a line
// up, else below its point, else down, so no two overlap (the error marks of two
// cells at the same limit, "61% err" and "65% err", stack).
type markLabels struct {
	xys    plotter.XYs
	texts  []string
	style  draw.TextStyle
	colors []color.Color // each label's colour; nil: the style's
	offset vg.Point      // from the point to the label's anchor
}

func newMarkLabels(xys plotter.XYs, texts []string, size vg.Length, offset vg.Point) *markLabels {
	sty := textStyle(size)
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YBottom
	return &markLabels{xys: xys, texts: texts, style: sty, offset: offset}
}

// Plot implements plot.Plotter.
func (l *markLabels) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	var placed []vg.Rectangle
	for i, xy := range l.xys {
		if l.texts[i] == "" {
			continue
		}
		at := vg.Point{X: trX(xy.X) + l.offset.X, Y: trY(xy.Y) + l.offset.Y}
		box := l.style.Rectangle(l.texts[i]).Add(at)
		h := box.Max.Y - box.Min.Y
		below := -(2*l.offset.Y + h) // mirrored under the point
		best, found := box, false
		for _, dy := range []vg.Length{0, h, 2 * h, 3 * h, below, below - h, below - 2*h, -h, -2 * h, -3 * h} {
			try := shift(box, dy)
			if inside(try, c.Rectangle) && !overlapsAny(try, placed) {
				best, found = try, true
				break
			}
		}
		if !found {
			best = shift(box, 0)
		}
		placed = append(placed, best)
		sty := l.style
		if l.colors != nil {
			sty.Color = l.colors[i]
		}
		c.FillText(sty, vg.Point{X: at.X, Y: at.Y + (best.Min.Y - box.Min.Y)}, l.texts[i])
	}
}

func shift(r vg.Rectangle, dy vg.Length) vg.Rectangle {
	return vg.Rectangle{Min: vg.Point{X: r.Min.X, Y: r.Min.Y + dy}, Max: vg.Point{X: r.Max.X, Y: r.Max.Y + dy}}
}

func inside(r, area vg.Rectangle) bool {
	return r.Min.X >= area.Min.X && r.Max.X <= area.Max.X && r.Min.Y >= area.Min.Y && r.Max.Y <= area.Max.Y
}

func overlapsAny(r vg.Rectangle, others []vg.Rectangle) bool {
	for _, o := range others {
		if r.Min.X < o.Max.X && o.Min.X < r.Max.X && r.Min.Y < o.Max.Y && o.Min.Y < r.Max.Y {
			return true
		}
	}
	return false
}
