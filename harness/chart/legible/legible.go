// Package legible checks that a chart can be read, from the SVG that
// gonum/plot's vgsvg writes: no two text labels overlap, no label leaves
// the canvas, and every panel holds at least one drawn mark.
//
// Text boxes come from the SVG's positions, sizes and rotations, with
// widths from the font's own metrics (gonum/plot's font package, the same
// faces that drew the chart). A panel is what plot.Plot draws on its
// white background; a mark is a visible path inside it in any colour but
// the axes' black and the grid's grey. Checking costs a parse of the file
// and a comparison of every pair of labels: milliseconds for a chart.
package legible

import (
	"fmt"
	"strings"
)

// Problem is one thing a reader could not read.
type Problem struct {
	Kind  string   // "overlap", "off-canvas" or "empty-panel"
	Texts []string // the labels concerned; for an empty panel, its texts
}

func (p Problem) String() string {
	switch p.Kind {
	case "overlap":
		return fmt.Sprintf("%q overlaps %q", p.Texts[0], p.Texts[1])
	case "off-canvas":
		return fmt.Sprintf("%q leaves the canvas", p.Texts[0])
	}
	return "a panel holds no drawn mark (its texts: " + strings.Join(quote(p.Texts), ", ") + ")"
}

func quote(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// Check returns every problem of the SVG chart, or an error when svg is
// not one that vgsvg wrote.
func Check(svg []byte) ([]Problem, error) {
	d, err := parse(svg)
	if err != nil {
		return nil, err
	}
	var out []Problem
	for i, a := range d.texts {
		if !a.box.within(d.canvas) {
			out = append(out, Problem{Kind: "off-canvas", Texts: []string{a.s}})
		}
		for _, b := range d.texts[i+1:] {
			if a.box.overlaps(b.box) {
				out = append(out, Problem{Kind: "overlap", Texts: []string{a.s, b.s}})
			}
		}
	}
	for _, p := range d.panels {
		if p.marks == 0 {
			out = append(out, Problem{Kind: "empty-panel", Texts: d.textsIn(p.area)})
		}
	}
	return out, nil
}
