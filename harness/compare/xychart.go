package compare

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/concbench/concbench/harness/escape"
)

// xyChart is one Mermaid xychart-beta chart: what GitHub draws from a
// fenced block, with no legend (the title names the series) and bars
// that grow from the bottom of the axis (so every axis starts at 0).
type xyChart struct {
	title      string
	horizontal bool
	labels     []string // one per category
	yAxis      string
	top        float64 // the axis runs from 0 to top
	series     []series
	palette    string // the series' colours, in order
}

// series is a bar or line series, a value per category.
type series struct {
	kind   string // "bar" or "line"
	values []float64
}

// write writes the chart as a fenced Mermaid block, every text escaped.
func (x xyChart) write(w io.Writer) {
	if len(x.labels) == 0 {
		return
	}
	labels := make([]string, len(x.labels))
	for i, l := range x.labels {
		labels[i] = escape.Mermaid(l)
	}
	orientation := ""
	if x.horizontal {
		orientation = " horizontal"
	}
	fmt.Fprintf(w, "\n```mermaid\n")
	fmt.Fprintf(w, "%%%%{init: {\"themeVariables\": {\"xyChart\": {\"plotColorPalette\": \"%s\"}}}}%%%%\n", x.palette)
	fmt.Fprintf(w, "xychart-beta%s\n", orientation)
	fmt.Fprintf(w, "    title %s\n", escape.Mermaid(x.title))
	fmt.Fprintf(w, "    x-axis [%s]\n", strings.Join(labels, ", "))
	fmt.Fprintf(w, "    y-axis %s 0 --> %s\n", escape.Mermaid(x.yAxis), number(x.top))
	for _, s := range x.series {
		vs := make([]string, len(s.values))
		for i, v := range s.values {
			vs[i] = number(v)
		}
		fmt.Fprintf(w, "    %s [%s]\n", s.kind, strings.Join(vs, ", "))
	}
	fmt.Fprintf(w, "```\n")
}

// number writes v with up to four significant digits, no exponent and
// no trailing zeros: 98.35, 30, 0.
func number(v float64) string {
	s := strconv.FormatFloat(v, 'f', max(0, 3-int(digitsBefore(v))), 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

func digitsBefore(v float64) float64 {
	d := 0.0
	for v >= 10 {
		v /= 10
		d++
	}
	return d
}

// niceCeil rounds v up to a round step (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6
// or 8) times a power of ten, so an axis wastes at most a fifth of itself.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := 1.0
	for p*10 <= v {
		p *= 10
	}
	for p > v {
		p /= 10
	}
	for _, m := range []float64{1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}
