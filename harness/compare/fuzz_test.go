package compare

import (
	"errors"
	"testing"

	"github.com/concbench/concbench/harness/input"
)

// FuzzParseGates checks that any -fail-on text parses to gates that print
// back to an equivalent text, or is refused with an InputError.
func FuzzParseGates(f *testing.F) {
	for _, s := range []string{"p99>+10%", "throughput<-5%,p50>+1.5%", "heap>0%", "p99>10", "wall<<1%", ",", "p99>+1e309%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		gates, err := ParseGates(s)
		var in *input.Error
		if err != nil {
			if !errors.As(err, &in) {
				t.Fatalf("ParseGates(%q): %v is not an InputError", s, err)
			}
			return
		}
		for _, g := range gates {
			again, err := ParseGates(g.String())
			if err != nil || len(again) != 1 || again[0] != g {
				t.Errorf("gate %+v prints as %q, which parses to %+v (%v)", g, g.String(), again, err)
			}
		}
	})
}
