package cli

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const (
	synthBase = "../harness/compare/testdata/base.json" // see harness/compare/synthetic_test.go
	synthHead = "../harness/compare/testdata/head.json" // io pool 8: p99 30% worse, low noise
)

func TestCompareGates(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		code       int
		stdout     string // a line the output must contain
		stderrHave string
	}{
		{"a regression under a matching gate exits 1", []string{synthBase, synthHead, "-fail-on", "p99>+10%,throughput<-5%"}, 1,
			"io pool 8", "gate failed: p99>+10%: io pool 8 p99 +"},
		{"the same regression under a looser gate exits 0", []string{"-fail-on", "p99>+50%", synthBase, synthHead}, 0, "io pool 8", ""},
		{"identical runs show ~ and exit 0", []string{synthBase, synthBase, "-fail-on", "p99>+1%"}, 0, "~ (p=1.000 q=1.000 n=5)", ""},
		{"markdown for a pull request", []string{"-format", "markdown", synthBase, synthHead}, 0, "| io pool 8 |", ""},
		{"json", []string{"-format", "json", synthBase, synthHead}, 0, `"significant": true`, ""},
		{"github: markdown with Mermaid charts", []string{"-format", "github", synthBase, synthHead}, 0, "\nxychart-beta\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			code, stdout, stderr := bench(t, context.Background(), append([]string{"compare", "-out", out}, tt.args...)...)
			if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderrHave) {
				t.Fatalf("exit %d (want %d)\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout, stderr)
			}
			if slices.Contains(tt.args, "json") && !json.Valid([]byte(stdout)) {
				t.Errorf("-format json: stdout is not one JSON document:\n%s", stdout)
			}
			dirs, _ := filepath.Glob(filepath.Join(out, "*-compare"))
			if len(dirs) != 1 {
				t.Fatalf("comparison folders %v, want 1", dirs)
			}
			for _, f := range []string{"compare.md", "compare-github.md", "compare.json", "compare.txt", "compare-latency.png", "compare-latency.svg", "compare-percentiles.png", "compare-percentiles.svg"} {
				if fi, err := os.Stat(filepath.Join(dirs[0], f)); err != nil || fi.Size() == 0 {
					t.Errorf("%s missing or empty", f)
				}
			}
			legibleCharts(t, dirs[0])
		})
	}
}

func TestCompareRejectsBadInput(t *testing.T) {
	dir := t.TempDir()
	corrupt := filepath.Join(dir, "corrupt.json")
	os.WriteFile(corrupt, []byte(`{"schema":"concbench/results/v1","cells":[{`), 0o644)
	other := filepath.Join(dir, "other.json")
	data, _ := os.ReadFile(synthBase)
	os.WriteFile(other, []byte(strings.ReplaceAll(strings.ReplaceAll(string(data), `"workload": "io"`, `"workload": "disk"`), `"workload": "cpu"`, `"workload": "gpu"`)), 0o644)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"one operand", []string{synthBase}, "want BASE and HEAD"},
		{"a missing base", []string{filepath.Join(dir, "nope"), synthHead}, "base: stat"},
		{"a corrupt head", []string{synthBase, corrupt}, "head: " + corrupt + ": not a valid results file"},
		{"a folder without runs", []string{dir, synthHead}, "no results.json in it or in its subfolders"},
		{"no cell in common", []string{synthBase, other}, "no cell in common"},
		{"a bad gate", []string{"-fail-on", "p99>10", synthBase, synthHead}, `-fail-on: "p99>10": the threshold needs a % sign`},
		{"an unknown gate metric", []string{"-fail-on", "latency>+5%", synthBase, synthHead}, `unknown metric "latency"`},
		{"a bad format", []string{"-format", "xml", synthBase, synthHead}, `-format: "xml"`},
		{"a bad noise threshold", []string{"-noise", "2", synthBase, synthHead}, `-noise: "2": want a percentage`},
		{"an -out that is a file", []string{"-out", corrupt, synthBase, synthHead}, "-out: mkdir " + corrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := t.TempDir()
			code, stdout, stderr := bench(t, context.Background(), append([]string{"compare", "-out", out}, tt.args...)...)
			if code != 2 || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 || stdout != "" {
				t.Errorf("exit %d, stderr %q, stdout %q; want exit 2 and one line containing %q", code, stderr, stdout, tt.want)
			}
			if entries, _ := os.ReadDir(out); len(entries) != 0 {
				t.Error("bad input left a comparison folder")
			}
		})
	}
}
