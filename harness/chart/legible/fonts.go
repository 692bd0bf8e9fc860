package legible

import (
	"fmt"
	"strconv"
	"strings"

	xfont "golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
	_ "gonum.org/v1/plot" // fills font.DefaultCache with the faces charts draw with
	"gonum.org/v1/plot/font"
)

// textBox is the rectangle a text's ink covers, through transform m:
// the bounds of its glyphs from the font's own outlines, placed at its
// baseline start in the text's own frame (y down, as SVG text runs).
func textBox(attrs map[string]string, s string, m affine) (quad, error) {
	x, errX := strconv.ParseFloat(attrs["x"], 64)
	y, errY := strconv.ParseFloat(attrs["y"], 64)
	if errX != nil || errY != nil {
		return quad{}, fmt.Errorf("legible: text %q has no position", s)
	}
	face, err := faceOf(style(attrs["style"]))
	if err != nil {
		return quad{}, fmt.Errorf("legible: text %q: %w", s, err)
	}
	ink, _ := xfont.BoundString(face.FontFace(72), s) // 72 dpi: a pixel is a point
	x0, x1 := x+fixedPoints(ink.Min.X), x+fixedPoints(ink.Max.X)
	y0, y1 := y+fixedPoints(ink.Min.Y), y+fixedPoints(ink.Max.Y)
	return quad{m.apply(point{x0, y0}), m.apply(point{x1, y0}), m.apply(point{x1, y1}), m.apply(point{x0, y1})}, nil
}

func fixedPoints(v fixed.Int26_6) float64 { return float64(v) / 64 }

// faceOf finds the face vgsvg named in a style, as "Liberation Serif" at
// "10px" with a weight and a style.
func faceOf(sty map[string]string) (font.Face, error) {
	size, err := strconv.ParseFloat(strings.TrimSuffix(sty["font-size"], "px"), 64)
	if err != nil || size <= 0 {
		return font.Face{}, fmt.Errorf("font size %q", sty["font-size"])
	}
	family := sty["font-family"]
	typeface, variant, _ := strings.Cut(family, " ")
	f := font.Font{Typeface: font.Typeface(typeface), Variant: font.Variant(variant)}
	if sty["font-weight"] == "bold" {
		f.Weight = xfont.WeightBold
	}
	if sty["font-style"] == "italic" {
		f.Style = xfont.StyleItalic
	}
	if !font.DefaultCache.Has(f) {
		return font.Face{}, fmt.Errorf("no font %q among gonum/plot's", family)
	}
	return font.DefaultCache.Lookup(f, font.Length(size)), nil
}
