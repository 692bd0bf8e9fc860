package legible

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// drawing is what a chart's SVG draws, in the SVG's user space (y down).
type drawing struct {
	canvas rect
	texts  []text
	panels []panel
}

type text struct {
	s   string
	box quad
}

type panel struct {
	area  rect
	marks int
}

func (d *drawing) textsIn(r rect) []string {
	var out []string
	for _, t := range d.texts {
		c := point{(t.box[0].x + t.box[2].x) / 2, (t.box[0].y + t.box[2].y) / 2}
		if r.contains(c) {
			out = append(out, t.s)
		}
	}
	return out
}

// parse reads the elements vgsvg writes: svg, g with a transform, text
// and path.
func parse(svg []byte) (*drawing, error) {
	dec := xml.NewDecoder(bytes.NewReader(svg))
	d := &drawing{}
	stack := []affine{identity}
	sized := false
	for {
		tok, err := dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) && sized {
				return d, nil
			}
			if !sized {
				return nil, errors.New("legible: not an SVG with a viewBox")
			}
			return nil, fmt.Errorf("legible: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			top := stack[len(stack)-1]
			attrs := attrMap(t.Attr)
			m, err := transform(attrs["transform"])
			if err != nil {
				return nil, err
			}
			here := m.then(top)
			switch t.Name.Local {
			case "svg":
				if d.canvas, err = viewBox(attrs["viewBox"]); err != nil {
					return nil, err
				}
				sized = true
			case "text":
				s, err := readText(dec)
				if err != nil {
					return nil, err
				}
				box, err := textBox(attrs, s, here)
				if err != nil {
					return nil, err
				}
				d.texts = append(d.texts, text{s: s, box: box})
				continue // readText consumed the end element
			case "path":
				if err := d.addPath(attrs, here); err != nil {
					return nil, err
				}
			}
			stack = append(stack, here)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
}

func attrMap(as []xml.Attr) map[string]string {
	m := map[string]string{}
	for _, a := range as {
		m[a.Name.Local] = a.Value
	}
	return m
}

func readText(dec *xml.Decoder) (string, error) {
	var b strings.Builder
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", fmt.Errorf("legible: text: %w", err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.EndElement:
			return strings.TrimSpace(b.String()), nil
		}
	}
}

func viewBox(v string) (rect, error) {
	f, err := floats(v)
	if err != nil || len(f) != 4 {
		return rect{}, fmt.Errorf("legible: viewBox %q", v)
	}
	return rect{point{f[0], f[1]}, point{f[0] + f[2], f[1] + f[3]}}, nil
}

// transform reads an SVG transform list of scale, translate and rotate.
func transform(v string) (affine, error) {
	m := identity
	var list []affine
	for rest := strings.TrimSpace(v); rest != ""; rest = strings.TrimSpace(rest) {
		name, args, ok := strings.Cut(rest, "(")
		inner, after, ok2 := strings.Cut(args, ")")
		if !ok || !ok2 {
			return m, fmt.Errorf("legible: transform %q", v)
		}
		f, err := floats(inner)
		if err != nil || len(f) == 0 {
			return m, fmt.Errorf("legible: transform %q", v)
		}
		switch strings.TrimSpace(name) {
		case "scale":
			y := f[0]
			if len(f) > 1 {
				y = f[1]
			}
			list = append(list, affine{a: f[0], d: y})
		case "translate":
			t := affine{a: 1, d: 1, e: f[0]}
			if len(f) > 1 {
				t.f = f[1]
			}
			list = append(list, t)
		case "rotate":
			list = append(list, rotation(f[0]))
		default:
			return m, fmt.Errorf("legible: transform %q", v)
		}
		rest = after
	}
	// "t1 t2" maps a point through t2 first, then t1.
	for i := len(list) - 1; i >= 0; i-- {
		m = m.then(list[i])
	}
	return m, nil
}

// floats reads numbers separated by commas or spaces.
func floats(v string) ([]float64, error) {
	fields := strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })
	out := make([]float64, len(fields))
	for i, f := range fields {
		x, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return nil, err
		}
		out[i] = x
	}
	return out, nil
}

// style reads a style attribute into its properties.
func style(v string) map[string]string {
	m := map[string]string{}
	for _, kv := range strings.Split(v, ";") {
		if k, val, ok := strings.Cut(kv, ":"); ok {
			m[strings.TrimSpace(k)] = strings.TrimSpace(val)
		}
	}
	return m
}
