package legible

import (
	"bytes"
	"image/color"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// render draws on a 4 x 3 inch SVG canvas, as the charts do.
func render(t *testing.T, drawOn func(c draw.Canvas)) []byte {
	t.Helper()
	c := vgsvg.New(4*vg.Inch, 3*vg.Inch)
	drawOn(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func check(t *testing.T, svg []byte) []string {
	t.Helper()
	ps, err := Check(svg)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.Kind + ": " + p.String()
	}
	return out
}

func label(c draw.Canvas, x, y vg.Length, rot float64, s string) {
	sty := plot.New().Title.TextStyle
	sty.Rotation = rot
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YBottom
	c.FillText(sty, vg.Point{X: x, Y: y}, s)
}

func TestTextsApart(t *testing.T) {
	svg := render(t, func(c draw.Canvas) {
		label(c, 20, 100, 0, "sequential")
		label(c, 20, 85, 0, "unbounded") // one line below
		label(c, 100, 100, 0, "pool 8")
	})
	if got := check(t, svg); len(got) != 0 {
		t.Fatalf("texts apart reported: %v", got)
	}
}

func TestOverlapFound(t *testing.T) {
	svg := render(t, func(c draw.Canvas) {
		label(c, 20, 100, 0, "61% err")
		label(c, 40, 104, 0, "65% err")
	})
	got := check(t, svg)
	if len(got) != 1 || !strings.Contains(got[0], `"61% err" overlaps "65% err"`) {
		t.Fatalf("got %v, want one overlap of the two labels", got)
	}
}

// Labels turned 30 degrees sit closer than their unturned boxes allow:
// only boxes turned alike tell whether they touch.
func TestTurnedLabels(t *testing.T) {
	apart := render(t, func(c draw.Canvas) {
		for i, s := range []string{"semaphore 8", "semaphore 16", "semaphore 32"} {
			label(c, vg.Length(60+22*i), 120, math.Pi/6, s)
		}
	})
	if got := check(t, apart); len(got) != 0 {
		t.Fatalf("turned labels 22 pt apart reported: %v", got)
	}
	crowded := render(t, func(c draw.Canvas) {
		for i, s := range []string{"semaphore 8", "semaphore 16"} {
			label(c, vg.Length(60+4*i), 120, math.Pi/6, s)
		}
	})
	if got := check(t, crowded); len(got) != 1 {
		t.Fatalf("turned labels 4 pt apart: got %v, want one overlap", got)
	}
}

func TestOffCanvas(t *testing.T) {
	svg := render(t, func(c draw.Canvas) {
		label(c, 4*vg.Inch-20, 100, 0, "a long label at the edge")
		label(c, 20, 3*vg.Inch-2, 0, "above the top")
	})
	got := check(t, svg)
	if len(got) != 2 || !strings.HasPrefix(got[0], "off-canvas") || !strings.HasPrefix(got[1], "off-canvas") {
		t.Fatalf("got %v, want both labels off the canvas", got)
	}
}

func panelWith(t *testing.T, ps ...plot.Plotter) []byte {
	p := plot.New()
	p.Title.Text = "GC cycles"
	p.Add(plotter.NewGrid())
	p.Add(ps...)
	p.Y.Min, p.Y.Max = 0, 1
	return render(t, p.Draw)
}

func TestEmptyPanel(t *testing.T) {
	zero, err := plotter.NewBarChart(plotter.Values{0, 0, 0}, 10)
	if err != nil {
		t.Fatal(err)
	}
	zero.Color = plotutilBlue
	got := check(t, panelWith(t, zero))
	if len(got) != 1 || !strings.Contains(got[0], "no drawn mark") || !strings.Contains(got[0], `"GC cycles"`) {
		t.Fatalf("bars of 0: got %v, want the panel reported empty", got)
	}
	bars, _ := plotter.NewBarChart(plotter.Values{0, 0.5, 0}, 10)
	bars.Color = plotutilBlue
	if got := check(t, panelWith(t, bars)); len(got) != 0 {
		t.Fatalf("a bar of 0.5: got %v", got)
	}
	line, _ := plotter.NewLine(plotter.XYs{{X: 0, Y: 0.2}, {X: 1, Y: 0.4}})
	line.Color = plotutilBlue
	if got := check(t, panelWith(t, line)); len(got) != 0 {
		t.Fatalf("a line: got %v", got)
	}
}

func TestNotAnSVG(t *testing.T) {
	for _, in := range []string{"", "<html></html>", "<svg viewBox='0 0 10'></svg>"} {
		if _, err := Check([]byte(in)); err == nil {
			t.Errorf("Check(%q) = nil error", in)
		}
	}
}

var plotutilBlue = color.RGBA{0x00, 0x72, 0xb2, 0xff}

func TestOverlapOfMeasuredBoxes(t *testing.T) {
	box := func(x, y, w, h float64) [4][2]float64 {
		return [4][2]float64{{x, y}, {x + w, y}, {x + w, y + h}, {x, y + h}}
	}
	if !Overlap(box(0, 0, 40, 10), box(30, 5, 40, 10)) {
		t.Error("boxes sharing 10 x 5 points do not overlap")
	}
	if Overlap(box(0, 0, 40, 10), box(40.2, 0, 40, 10)) {
		t.Error("boxes side by side overlap")
	}
}
