package param

import (
	"testing"
	"time"
)

func TestApply(t *testing.T) {
	tests := []struct {
		params map[string]string
		want   string // the error; "" for none
	}{
		{map[string]string{"policy": "reject", "wait": "2s"}, ""},                                                           // both set
		{map[string]string{"polcy": "reject"}, "param queue.polcy: unknown parameter; did you mean queue.policy?"},          // a typo
		{map[string]string{"size": "3"}, "param queue.size: unknown parameter (known: policy, wait)"},                       // nothing close
		{map[string]string{"policy": "drop"}, `param queue.policy: invalid value "drop": want one of block, reject`},        // not a choice
		{map[string]string{"wait": "soon"}, `param queue.wait: invalid value "soon": want a duration such as 10ms or 1.5s`}, // not a duration
	}
	for _, tt := range tests {
		fs := NewSet("queue")
		policy := NewChoice(fs, "policy", []string{"block", "reject"}, "when full")
		wait := fs.Duration("wait", time.Second, "how long")
		resolved, err := Apply(fs, "queue", tt.params)
		switch {
		case tt.want == "" && (err != nil || resolved["policy"] != "reject" || policy.Value() != "reject" || *wait != 2*time.Second):
			t.Errorf("Apply(%v) = %v, %v", tt.params, resolved, err)
		case tt.want != "" && (err == nil || err.Error() != tt.want):
			t.Errorf("Apply(%v) = %v, want %q", tt.params, err, tt.want)
		}
	}
	if _, err := Apply(NewSet("pool"), "pool", map[string]string{"x": "1"}); err == nil || err.Error() != "param pool.x: pool takes no parameters" {
		t.Errorf("a strategy without parameters: %v", err)
	}
	fs := NewSet("q")
	NewChoice(fs, "policy", []string{"a", "b"}, "u")
	if docs := Docs(fs); len(docs) != 1 || docs[0] != (Doc{"policy", "a", "u (a|b)"}) {
		t.Errorf("docs %v", docs)
	}
}
