package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/concbench/concbench/scenario"
)

// TestShippedScenariosRunQuick runs every plan in scenarios/ as CI does: a
// -quick smoke run each, green, with the scenario recorded in results.json.
func TestShippedScenariosRunQuick(t *testing.T) {
	files, _ := filepath.Glob("../../scenarios/*.yaml")
	if len(files) < 5 {
		t.Fatalf("%d scenarios", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel() // each cell runs in a child process, mostly waiting: two at a time halve the time
			out := t.TempDir()
			data, _ := os.ReadFile(f)
			command := "run"
			if parsed, err := scenario.Parse(f, data); err == nil && parsed.Attack != nil {
				command = "attack"
			}
			code, stdout, stderr := bench(t, context.Background(), command, "-f", f, "-quick", "-out", out)
			if code != 0 {
				t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
			}
			res := onlyRun(t, out)
			if res.Scenario == nil || res.Scenario.Content != string(data) || len(res.Scenario.SHA256) != 64 {
				t.Errorf("results.json does not record the scenario: %+v", res.Scenario)
			}
		})
	}
}
