package main

import (
	"context"
	"strings"
	"testing"
)

// TestDepthSearch searches with a 1 MiB stack limit: direct recursion
// crashes its child process within a few thousand levels, and the
// trampoline, in constant stack, reaches the maximum tried.
func TestDepthSearch(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := bench(t, context.Background(), "depth", "-calls", "direct,trampoline", "-max-stack-mib", "1",
		"-from", "1000", "-max", "64000", "-precision", "0.25", "-out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	res := onlyRun(t, out)
	direct, tramp := res.Depth[0], res.Depth[1]
	if direct.Failed == 0 || direct.Deepest >= direct.Failed || direct.Failed > 64000 || !strings.Contains(direct.Why, "stack exceeds") {
		t.Errorf("direct: deepest %d, failed %d (%s): want a stack overflow below 64000", direct.Deepest, direct.Failed, direct.Why)
	}
	if float64(direct.Failed-direct.Deepest) > 0.25*float64(direct.Deepest) {
		t.Errorf("direct: %d..%d is not within the 25%% asked", direct.Deepest, direct.Failed)
	}
	if tramp.Deepest != 64000 || tramp.Failed != 0 {
		t.Errorf("trampoline: deepest %d, failed %d: want 64000 and no failure", tramp.Deepest, tramp.Failed)
	}
	if !strings.Contains(stdout, "trampoline  64000") {
		t.Errorf("table:\n%s", stdout)
	}
}
