package compare

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// ProfileShift is a function whose share of a cell's CPU samples moved
// between the sides: the cell, the function, and its flat share on each
// (0 where it is not among that side's top functions, which a profile
// summary keeps ten of).
type ProfileShift struct {
	Cell     Key     `json:"cell"`
	Function string  `json:"function"`
	Base     float64 `json:"base_flat"`
	Head     float64 `json:"head_flat"`
}

// shiftsPerCell is how many functions a cell's shifts name.
const shiftsPerCell = 3

// profileShifts are, for each cell whose CPU was profiled on both sides
// (-profile cpu; a pooled side's first run), the functions whose flat
// share changed most, largest change first.
func profileShifts(base, head *Side) []ProfileShift {
	var out []ProfileShift
	for _, k := range base.Order {
		b, h := base.Cells[k], head.Cells[k]
		if h == nil || len(b.CPUTop) == 0 || len(h.CPUTop) == 0 {
			continue
		}
		flat := map[string][2]float64{}
		for _, f := range b.CPUTop {
			flat[f.Name] = [2]float64{f.Flat, 0}
		}
		for _, f := range h.CPUTop {
			v := flat[f.Name]
			v[1] = f.Flat
			flat[f.Name] = v
		}
		var cell []ProfileShift
		for name, v := range flat {
			cell = append(cell, ProfileShift{Cell: k, Function: name, Base: v[0], Head: v[1]})
		}
		slices.SortFunc(cell, func(x, y ProfileShift) int {
			return cmp.Or(cmp.Compare(math.Abs(y.Head-y.Base), math.Abs(x.Head-x.Base)), cmp.Compare(x.Function, y.Function))
		})
		out = append(out, cell[:min(shiftsPerCell, len(cell))]...)
	}
	return out
}

// String is the shift on one line: "io pool 8: runtime.chansend1 flat
// 12.0% -> 31.5% of CPU samples".
func (s ProfileShift) String() string {
	return fmt.Sprintf("%s: %s flat %.1f%% -> %.1f%% of CPU samples", s.Cell, s.Function, 100*s.Base, 100*s.Head)
}
