package results

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/concbench/concbench/harness/input"
)

func TestSLO(t *testing.T) {
	slo, err := ParseSLO("slo", "p99<=50ms, success>=99.9%")
	if err != nil {
		t.Fatal(err)
	}
	ok := Repetition{Core: Core{Submitted: 1000, Completed: 1000, Response: Quantiles{P99: 50 * time.Millisecond}}}
	if failed := slo.Check(ok); len(failed) != 0 {
		t.Errorf("a repetition on the bounds failed: %v", failed)
	}
	slow := ok
	slow.Response.P99 = 51 * time.Millisecond
	if failed := slo.Check(slow); len(failed) != 1 || failed[0] != "p99<=50ms (was 51ms)" {
		t.Errorf("slow: %v", failed)
	}
	dropped := ok
	dropped.Completed = 998 // two requests never sent: they count against success
	if failed := slo.Check(dropped); len(failed) != 1 || !strings.HasPrefix(failed[0], "success>=99.9% (was 99.800%)") {
		t.Errorf("dropped: %v", failed)
	}
	errs, _ := ParseSLO("slo", "errors<0.5%")
	failing := Repetition{Core: Core{Submitted: 100, Completed: 100, Errors: map[string]int{"http-503": 1}}}
	if failed := errs.Check(failing); len(failed) != 1 {
		t.Errorf("1%% errors met errors<0.5%%")
	}
}

func TestParseSLORejects(t *testing.T) {
	for _, bad := range []string{"p99", "p99<=fast", "p99<=-1ms", "latency<=5ms", "success>=101%", "success>=99.9", "errors<NaN%", ""} {
		_, err := ParseSLO("slo", bad)
		var in *input.Error
		if !errors.As(err, &in) || in.Field != "slo" {
			t.Errorf("ParseSLO(%q) = %v, want an input.Error on slo", bad, err)
		}
	}
}

func TestSLOCheckRepsTakesTheMajority(t *testing.T) {
	slo, _ := ParseSLO("slo", "p99<=50ms")
	fast := Repetition{Core: Core{Submitted: 1, Completed: 1, Response: Quantiles{P99: 10 * time.Millisecond}}}
	slow := Repetition{Core: Core{Submitted: 1, Completed: 1, Response: Quantiles{P99: 90 * time.Millisecond}}}
	if f := slo.CheckReps([]Repetition{fast, slow, fast}); f != nil {
		t.Errorf("2 of 3 met: %v", f)
	}
	if f := slo.CheckReps([]Repetition{slow, fast, slow}); len(f) != 1 {
		t.Errorf("1 of 3 met: %v", f)
	}
}

// FuzzParseSLO checks that any SLO text parses or is refused with an
// input.Error, and that what parses can be checked.
func FuzzParseSLO(f *testing.F) {
	for _, s := range []string{"p99<=50ms,success>=99.9%", "errors<0.1%", "max>1h", "p99.9<", "success>=%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		slo, err := ParseSLO("slo", s)
		var in *input.Error
		if err != nil && !errors.As(err, &in) {
			t.Fatalf("ParseSLO(%q): %v is not an input.Error", s, err)
		}
		if err == nil {
			slo.Check(Repetition{Core: Core{Submitted: 1, Completed: 1}})
		}
	})
}

func TestSLOClassesCountersAndRuntime(t *testing.T) {
	slo, err := ParseSLO("slo", "victim.p99<20ms, wall>500ms, stall<5ms, rejected>0, amplification<=1.5, not-started>=2")
	if err != nil {
		t.Fatal(err)
	}
	r := Repetition{Core: Core{Wall: 600 * time.Millisecond, NotStarted: 2}, Classes: map[string]Quantiles{"victim": {P99: 10 * time.Millisecond}, "hog": {P99: time.Second}}, Counters: map[string]float64{"rejected": 3, "amplification": 1.5}, Runtime: Runtime{Stall: time.Millisecond}}
	if failed := slo.Check(r); len(failed) != 0 {
		t.Errorf("a repetition meeting every condition failed: %v", failed)
	}
	r.Classes = map[string]Quantiles{"victim": {P99: 30 * time.Millisecond}}
	r.Counters = map[string]float64{"amplification": 3.25}
	failed := slo.Check(r)
	want := []string{"victim.p99<20ms (was 30ms)", `rejected>0 (no counter "rejected" in this cell)`, "amplification<=1.5 (was 3.25)"}
	if strings.Join(failed, "|") != strings.Join(want, "|") {
		t.Errorf("failed = %q, want %q", failed, want)
	}
	if _, err := ParseSLO("slo", "victim.p99<fast"); err == nil {
		t.Error("a class latency without a duration was accepted")
	}
	if _, err := ParseSLO("slo", "goroutines<many"); err == nil || !strings.Contains(err.Error(), "not a number") {
		t.Errorf("goroutines<many: %v", err)
	}
}

func TestRelativeThreshold(t *testing.T) {
	if _, err := ParseSLO("slo", "p99<0.8xunbounded"); err == nil {
		t.Error("an SLO accepted a bound relative to another cell")
	}
	slo, err := ParseThreshold("t", "victim.p99<0.8xunbounded,wall>=1xsequential")
	if err != nil {
		t.Fatal(err)
	}
	if got := slo.Refs(); len(got) != 2 || got[0] != "unbounded" || got[1] != "sequential" {
		t.Fatalf("refs %v", got)
	}
	cells := map[string]Repetition{
		"unbounded":  {Classes: map[string]Quantiles{"victim": {P99: 500 * time.Millisecond}}},
		"sequential": {Core: Core{Wall: time.Second}},
	}
	fixed, err := slo.Resolve(func(sel string) (Repetition, bool) { r, ok := cells[sel]; return r, ok })
	if err != nil {
		t.Fatal(err)
	}
	r := Repetition{Core: Core{Wall: time.Second}, Classes: map[string]Quantiles{"victim": {P99: 390 * time.Millisecond}}}
	if failed := fixed.Check(r); len(failed) != 0 {
		t.Errorf("390ms < 0.8 x 500ms failed: %v", failed)
	}
	r.Classes["victim"] = Quantiles{P99: 410 * time.Millisecond}
	failed := fixed.Check(r)
	if len(failed) != 1 || !strings.Contains(failed[0], "was 410ms; 0.8x unbounded's 500ms = 400ms") {
		t.Errorf("410ms: %v", failed)
	}
	if _, err := slo.Resolve(func(string) (Repetition, bool) { return Repetition{}, false }); err == nil {
		t.Error("a missing reference cell resolved")
	}
}

func TestSLOLeakedEqualsZero(t *testing.T) {
	slo, err := ParseSLO("slo", "leaked==0")
	if err != nil {
		t.Fatal(err)
	}
	if failed := slo.Check(Repetition{}); len(failed) != 0 {
		t.Errorf("a repetition that leaked nothing failed: %v", failed)
	}
	if failed := slo.Check(Repetition{Runtime: Runtime{Leaked: 200}}); len(failed) != 1 || failed[0] != "leaked==0 (was 200)" {
		t.Errorf("200 leaked: %v", failed)
	}
	for _, bad := range []string{"leaked=0", "=0", "leaked===0"} {
		if _, err := ParseSLO("slo", bad); err == nil {
			t.Errorf("ParseSLO(%q) was accepted", bad)
		}
	}
}
