package compare

import (
	"bytes"
	"strings"
	"testing"

	"github.com/concbench/concbench/harness/results"
)

// TestProfileShifts compares a cell profiled on both sides: the
// functions whose flat share moved most come first, a function in one
// side's top list only counts 0 on the other, and the text names them.
func TestProfileShifts(t *testing.T) {
	k := Key{"io", "pool", 8}
	side := func(top ...results.ProfileFunc) *Side {
		c := &results.CellResult{Workload: "io", Strategy: "pool", Limit: 8, CPUTop: top}
		return &Side{Cells: map[Key]*results.CellResult{k: c}, Order: []Key{k}}
	}
	base := side(results.ProfileFunc{Name: "work", Flat: 0.6}, results.ProfileFunc{Name: "chansend", Flat: 0.1}, results.ProfileFunc{Name: "gc", Flat: 0.05})
	head := side(results.ProfileFunc{Name: "work", Flat: 0.55}, results.ProfileFunc{Name: "chansend", Flat: 0.3}, results.ProfileFunc{Name: "futex", Flat: 0.08})
	got := profileShifts(base, head)
	if len(got) != shiftsPerCell || got[0].Function != "chansend" || got[0].Base != 0.1 || got[0].Head != 0.3 || got[1].Function != "futex" || got[1].Base != 0 {
		t.Fatalf("shifts %+v: want chansend (+20 points), then futex (0 -> 8%%)", got)
	}
	c := &Comparison{ProfileShifts: got}
	var b bytes.Buffer
	c.writeNotes(&b, "- ", func(s string) string { return s })
	if !strings.Contains(b.String(), "profile io pool 8: chansend flat 10.0% -> 30.0% of CPU samples") {
		t.Errorf("notes:\n%s", b.String())
	}
	if shifts := profileShifts(side(), head); shifts != nil {
		t.Errorf("a side without a profile gave %+v", shifts)
	}
}
