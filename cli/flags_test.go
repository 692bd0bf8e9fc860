package cli

import (
	"strings"
	"testing"
)

// FuzzFlagLists checks that the list parsers never panic, and that what they
// accept prints back to a value they accept again, unchanged.
func FuzzFlagLists(f *testing.F) {
	for _, s := range []string{"io,cpu", "4,16", " 1 , 2 ", "", ",", "io.latency=1ms", "a.b=c=d", "9999999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var l listValue
		if l.Set(s) == nil {
			var again listValue
			if err := again.Set(l.String()); err != nil || again.String() != l.String() {
				t.Errorf("list %q printed as %q, which parses to %q (%v)", s, l.String(), again.String(), err)
			}
		}
		var n intsValue
		if n.Set(s) == nil {
			var again intsValue
			if err := again.Set(n.String()); err != nil || again.String() != n.String() {
				t.Errorf("ints %q printed as %q, which parses to %q (%v)", s, n.String(), again.String(), err)
			}
		}
		p := paramsValue{}
		if p.Set(s) == nil {
			key, _, _ := strings.Cut(s, "=")
			family, name, _ := strings.Cut(key, ".")
			if _, ok := p[family][name]; !ok {
				t.Errorf("param %q accepted but not stored as %s.%s", s, family, name)
			}
		}
	})
}
