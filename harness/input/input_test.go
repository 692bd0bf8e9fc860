package input

import (
	"fmt"
	"testing"
)

func TestErrorReadsAsOneLine(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{Errorf("tasks", "%d is out of range", 0), "tasks: 0 is out of range"},                                                  // a flag
		{&Error{Path: "a.yaml", Line: 3, Field: "reps", Problem: "want a whole number"}, "a.yaml:3: reps: want a whole number"}, // a file
		{&Error{Path: "a.yaml", Problem: "empty file"}, "a.yaml:1: empty file"},                                                 // no line: the first
		{&Error{Problem: `unknown command "x"`}, `unknown command "x"`},                                                         // no field
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}

func TestUnknownSuggestsTheClosestName(t *testing.T) {
	known := []string{"sequential", "pool", "semaphore"}
	if got := Unknown("strategies", "strategy", "semaphor", known).Error(); got != `strategies: unknown strategy "semaphor"; did you mean "semaphore"?` {
		t.Errorf("got %q", got)
	}
	if got := Unknown("strategies", "strategy", "xyzzy", known).Error(); got != `strategies: unknown strategy "xyzzy" (known: sequential, pool, semaphore)` {
		t.Errorf("got %q", got)
	}
	if e, ok := As(fmt.Errorf("wrapped: %w", Errorf("f", "p"))); !ok || e.Field != "f" {
		t.Errorf("As did not find the wrapped error")
	}
}
