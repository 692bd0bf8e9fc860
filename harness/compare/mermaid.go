package compare

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/concbench/concbench/harness/escape"
)

// mermaidMetrics are the metrics drawn as Mermaid charts, with the unit
// and scale of their axis.
var mermaidMetrics = []struct {
	name, axis string
	scale      float64 // divides the metric's value
}{
	{"p50", "p50 response (ms)", 1e6},
	{"p99", "p99 response (ms)", 1e6},
	{"throughput", "goodput (successful tasks/s)", 1},
}

// WriteGitHub writes the comparison as GitHub renders it in a pull-request
// comment or a job summary, with nothing uploaded: the markdown tables and
// notes, then one Mermaid xychart-beta chart per metric (p50, p99,
// throughput) with a pair of bars per cell, base then head. PNG and SVG
// charts stay in the comparison folder.
func (c *Comparison) WriteGitHub(w io.Writer) {
	c.WriteMarkdown(w, nil)
	for _, m := range mermaidMetrics {
		c.writeMermaid(w, m.name, m.axis, m.scale)
	}
}

// writeMermaid writes one chart: categories "<cell> base" and "<cell>
// head", and two bar series, each zero where the other side stands, so
// that base and head get their own colours side by side.
func (c *Comparison) writeMermaid(w io.Writer, metric, axis string, scale float64) {
	var cats, base, head []string
	top := 0.0
	for _, r := range c.Rows {
		if r.Metric != metric {
			continue
		}
		b, h := r.Base/scale, r.Head/scale
		cats = append(cats, escape.Mermaid(r.Key.String()+" base"), escape.Mermaid(r.Key.String()+" head "+r.Verdict()))
		base = append(base, number(b), "0")
		head = append(head, "0", number(h))
		top = max(top, b, h)
	}
	if len(cats) == 0 {
		return
	}
	fmt.Fprintf(w, "\n```mermaid\nxychart-beta\n")
	fmt.Fprintf(w, "    title %s\n", escape.Mermaid(axis+": base (first bar) vs head (second bar)"))
	fmt.Fprintf(w, "    x-axis [%s]\n", strings.Join(cats, ", "))
	fmt.Fprintf(w, "    y-axis %s 0 --> %s\n", escape.Mermaid(axis), number(niceCeil(top*1.1)))
	fmt.Fprintf(w, "    bar [%s]\n", strings.Join(base, ", "))
	fmt.Fprintf(w, "    bar [%s]\n", strings.Join(head, ", "))
	fmt.Fprintf(w, "```\n")
}

// number writes v with up to four significant digits, no exponent.
func number(v float64) string {
	return strconv.FormatFloat(v, 'f', max(0, 3-int(digitsBefore(v))), 64)
}

func digitsBefore(v float64) float64 {
	d := 0.0
	for v >= 10 {
		v /= 10
		d++
	}
	return d
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten.
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
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}
