package compare

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestSplitBySpan(t *testing.T) {
	for _, tc := range []struct {
		values []float64
		want   [][]int
	}{
		{[]float64{5, 6, 90}, [][]int{{0, 1, 2}}},                              // 18x: one axis
		{[]float64{174, 31000, 1392, 1387, 34000}, [][]int{{0, 2, 3}, {1, 4}}}, // 178x: two, each in the cells' order
		{[]float64{0, 3, 2000, 7}, [][]int{{0, 1, 3}, {2}}},                    // 0 joins the smallest
		{[]float64{1, 30, 900}, [][]int{{0}, {1}, {2}}},
	} {
		if got := splitBySpan(tc.values, maxSpan); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("splitBySpan(%v) = %v, want %v", tc.values, got, tc.want)
		}
	}
}

// manyCells is a comparison of one workload of n cells, the p99 of every
// third cell 30% worse, the goodput of the others 10x apart in two groups.
func manyCells(n int) *Comparison {
	c := &Comparison{}
	for i := range n {
		k := Key{Workload: "io", Strategy: "pool", Limit: 1 << i}
		p99 := Row{Key: k, Metric: "p99", Base: 10e6, Head: 10e6}
		if i%3 == 0 {
			p99.Head, p99.DeltaPct, p99.Changed = 13e6, 30, true
		}
		tp := Row{Key: k, Metric: "throughput", Base: 100, Head: 100}
		if i%2 == 1 {
			tp.Base, tp.Head = 5000, 5000
		}
		c.Rows = append(c.Rows, p99, tp)
	}
	return c
}

// TestChartsPerWorkload draws, for more than 6 cells, sideways bars; a
// change within noise as 0 labelled "~"; and values 50x apart on two
// axes.
func TestChartsPerWorkload(t *testing.T) {
	var b bytes.Buffer
	manyCells(8).WriteGitHub(&b)
	out := b.String()
	if n := strings.Count(out, "xychart-beta horizontal\n"); n != 2 {
		t.Errorf("%d horizontal charts of 8 cells, want 2 (the p99 change and p99; goodput splits into 2 charts of 4)\n%s", n, out)
	}
	if !strings.Contains(out, "goodput: no significant change in any cell (~).") {
		t.Errorf("no sentence for the goodput that did not change:\n%s", out)
	}
	change := between(out, "io: p99 response change", "```")
	for _, want := range []string{`"pool 1 +30.0%"`, `"pool 2 ~"`, "bar [30, 0, 0, 30, 0, 0, 30, 0]", "bar [0, 0, 0, 0, 0, 0, 0, 0]"} {
		if !strings.Contains(change, want) {
			t.Errorf("the p99 change chart has no %s:\n%s", want, change)
		}
	}
	for _, want := range []string{"io: goodput (tasks/s), head bars, base line (1 of 2)", "io: goodput (tasks/s), head bars, base line (2 of 2)"} {
		if !strings.Contains(out, want) {
			t.Errorf("no chart %q", want)
		}
	}
	b.Reset()
	manyCells(6).WriteGitHub(&b)
	if strings.Contains(b.String(), "horizontal") {
		t.Error("6 cells drawn sideways")
	}
}

func between(s, from, to string) string {
	_, rest, ok := strings.Cut(s, from)
	if !ok {
		return ""
	}
	in, _, _ := strings.Cut(rest, to)
	return fmt.Sprint(in)
}
