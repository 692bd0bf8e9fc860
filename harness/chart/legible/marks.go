package legible

import (
	"fmt"
	"math"
	"strings"
)

// blank colours are the ones no mark is drawn in: the axes' black, the
// backgrounds' white and the grid's grey (plotter.DefaultGridLineStyle).
var blank = map[string]bool{"#000000": true, "#FFFFFF": true, "#808080": true}

// visible is the least extent, in points, of a drawn mark: a bar of
// height 0 or a line of length 0 draws nothing.
const visible = 0.3

// addPath opens a panel at a white rectangle outside the panels so far
// (plot.Plot's background: panels tile, a white bar lies in one) and
// counts the other visible paths in a colour as marks of the panel they
// fall in.
func (d *drawing) addPath(attrs map[string]string, m affine) error {
	lo, hi, corners, err := pathBounds(attrs["d"], m)
	if err != nil {
		return err
	}
	sty := style(attrs["style"])
	fill, stroke := strings.ToUpper(sty["fill"]), strings.ToUpper(sty["stroke"])
	if fill == "#FFFFFF" && corners == 4 && !d.inPanel(point{(lo.x + hi.x) / 2, (lo.y + hi.y) / 2}) {
		d.panels = append(d.panels, panel{area: rect{lo, hi}})
		return nil
	}
	if len(d.panels) == 0 {
		return nil // the legend and caption, drawn before the panels
	}
	w, h := hi.x-lo.x, hi.y-lo.y
	filled := fill != "" && fill != "NONE" && !blank[fill] && w > visible && h > visible
	stroked := stroke != "" && stroke != "NONE" && !blank[stroke] && math.Hypot(w, h) > visible
	p := &d.panels[len(d.panels)-1]
	if (filled || stroked) && p.area.contains(point{(lo.x + hi.x) / 2, (lo.y + hi.y) / 2}) {
		p.marks++
	}
	return nil
}

// pathBounds returns the bounding box of path data in M, L, A, Q, C and Z
// commands with absolute coordinates, as vgsvg writes them, and how many
// points it visits; an arc widens the box by its radius.
func pathBounds(data string, m affine) (lo, hi point, n int, err error) {
	lo, hi = point{math.Inf(1), math.Inf(1)}, point{math.Inf(-1), math.Inf(-1)}
	add := func(x, y, r float64) {
		for _, c := range []point{{x - r, y - r}, {x + r, y + r}, {x - r, y + r}, {x + r, y - r}} {
			p := m.apply(c)
			lo, hi = point{min(lo.x, p.x), min(lo.y, p.y)}, point{max(hi.x, p.x), max(hi.y, p.y)}
		}
		n++
	}
	for _, cmd := range splitCommands(data) {
		f, ferr := floats(cmd[1:])
		if ferr != nil {
			return lo, hi, n, fmt.Errorf("legible: path %q: %v", data, ferr)
		}
		switch cmd[0] {
		case 'M', 'L':
			add(f[0], f[1], 0)
		case 'Q', 'C':
			for i := 0; i+1 < len(f); i += 2 {
				add(f[i], f[i+1], 0)
			}
		case 'A': // rx,ry rotation large sweep x,y
			add(f[5], f[6], f[0])
		case 'Z':
		default:
			return lo, hi, n, fmt.Errorf("legible: path command %q", cmd[0])
		}
	}
	if n == 0 {
		return point{}, point{}, 0, nil
	}
	return lo, hi, n, nil
}

// splitCommands splits path data at each command letter.
func splitCommands(data string) []string {
	var out []string
	start := -1
	for i, r := range data {
		if strings.ContainsRune("MLAQCZ", r) {
			if start >= 0 {
				out = append(out, data[start:i])
			}
			start = i
		}
	}
	if start >= 0 {
		out = append(out, data[start:])
	}
	return out
}

func (d *drawing) inPanel(p point) bool {
	for _, pn := range d.panels {
		if pn.area.contains(p) {
			return true
		}
	}
	return false
}
