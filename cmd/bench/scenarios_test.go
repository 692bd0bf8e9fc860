package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/concbench/concbench/scenario"
)

// TestShippedScenariosRunQuick runs every plan in scenarios/ as CI does: a
// -quick smoke run each, green, with the scenario recorded in results.json.
// They run the image's plain build (in the race detector a scenario took
// 10 to 50 s, and a -quick run checks the plan, not races), its cells in
// process: isolated cells have tests of their own.
func TestShippedScenariosRunQuick(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := imageBench(t)
	files, _ := filepath.Glob("../../scenarios/*.yaml")
	if len(files) < 5 {
		t.Fatalf("%d scenarios", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			out := t.TempDir()
			data, _ := os.ReadFile(f)
			args := []string{"run", "-isolate=false"}
			if parsed, err := scenario.Parse(f, data); err == nil && parsed.Attack != nil {
				args = []string{"attack"}
			}
			if output, err := exec.Command(bin, append(args, "-f", f, "-quick", "-out", out)...).CombinedOutput(); err != nil {
				t.Fatalf("%v\n%s", err, output)
			}
			res := onlyRun(t, out)
			if res.Scenario == nil || res.Scenario.Content != string(data) || len(res.Scenario.SHA256) != 64 {
				t.Errorf("results.json does not record the scenario: %+v", res.Scenario)
			}
		})
	}
}
