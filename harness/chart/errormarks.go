package chart

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// errorMarkLegend explains the marks errorMarks draws.
const errorMarkLegend = "red “NN% err”: share of the point's tasks that failed (errors are not speed)"

// errorMarks labels, in red above each point, the share of its tasks that
// failed, for points whose share is above 0, so that a configuration fast
// because it fails cannot pass for a fast one; labels that would overlap
// stack. It reports whether it drew any mark.
func errorMarks(p *plot.Plot, xys plotter.XYs, fractions []float64) bool {
	var at plotter.XYs
	var text []string
	for i, f := range fractions {
		if f > 0 {
			at = append(at, xys[i])
			text = append(text, errorText(f))
		}
	}
	if len(at) == 0 {
		return false
	}
	l := newMarkLabels(at, text, 8, vg.Point{Y: vg.Points(7)})
	l.style.Color = red
	p.Add(l)
	return true
}

// errorText writes a failed share: "70% err", "0.3% err".
func errorText(f float64) string {
	if f < 0.01 {
		return fmt.Sprintf("%.1f%% err", 100*f)
	}
	return fmt.Sprintf("%.0f%% err", 100*f)
}

// errorMarkEntry is the legend entry for error marks.
func errorMarkEntry() LegendEntry {
	return LegendEntry{Label: errorMarkLegend, Thumb: glyphThumb{Color: red, Radius: vg.Points(3), Shape: draw.CrossGlyph{}}}
}
