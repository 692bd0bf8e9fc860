package report

import (
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/harness/results"
)

// TestAttackTables: the attack table lists attacks by the rate asked
// (without reordering the caller's cells), says which generator fell
// behind, and the targets table breaks a mix down by name, escaping what
// the user named.
func TestAttackTables(t *testing.T) {
	cell := func(name string, rate float64, late int) results.CellResult {
		c := results.CellResult{Workload: name, Strategy: "open-loop", Limit: 256}
		s := &c.Summary
		s.TargetRate, s.Throughput, s.Completed, s.Late, s.LatenessLimit, s.Wait.P99 = rate, rate, 1000, late, 2*time.Millisecond, time.Millisecond
		return c
	}
	cells := []results.CellResult{cell("http 2000/s", 2000, 500), cell("http 100/s", 100, 0)}
	cells[1].Summary.Counters = results.Counters{"login-requests": 700, "login-errors": 3, "home-requests": 300, "home-errors": 0}
	cells[1].Summary.Classes = results.Classes{"login": {P50: time.Millisecond, P99: 9 * time.Millisecond}, "home": {P50: 2 * time.Millisecond, P99: 4 * time.Millisecond}}
	var b strings.Builder
	WriteAttackTable(&b, cells, nil)
	WriteTargetsTable(&b, cells)
	out := b.String()
	slow, fast := strings.Index(out, "http 2000/s"), strings.Index(out, "http 100/s")
	if fast < 0 || slow < fast {
		t.Errorf("want 100/s before 2000/s:\n%s", out)
	}
	if cells[0].Workload != "http 2000/s" {
		t.Errorf("the caller's cells were reordered")
	}
	for _, want := range []string{"generator", "behind", "ok", "target  sent  errors", "login   700       3", "home   300       0", "9.00ms"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
	b.Reset()
	WriteTargetsTable(&b, cells[:1])
	if b.Len() != 0 {
		t.Errorf("a cell without targets wrote %q", b.String())
	}
}
