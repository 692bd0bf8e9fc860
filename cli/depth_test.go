package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestDepthRejectsBadFlags(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-calls", "loop"}, `-calls: "loop" is not a way of recursing`},
		{[]string{"-from", "0"}, "-from: 0 must be at least 1"},
		{[]string{"-from", "10", "-max", "5"}, "-max: 5 is below -from 10"},
		{[]string{"-precision", "2"}, "-precision: 2 is out of range (0, 1]"},
		{[]string{"-strategy", "pol"}, "pol"},
	} {
		out := t.TempDir()
		code, _, stderr := bench(t, context.Background(), append([]string{"depth", "-out", out}, tt.args...)...)
		if code != 2 || !strings.Contains(stderr, tt.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("%v: exit %d, stderr %q, want 2 and one line with %q", tt.args, code, stderr, tt.want)
		}
		if files, _ := filepath.Glob(filepath.Join(out, "*")); len(files) > 0 {
			t.Errorf("%v: wrote %v", tt.args, files)
		}
	}
}
