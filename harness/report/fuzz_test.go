package report

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/concbench/concbench/harness/results"
)

// FuzzReadResults checks that any file content reads back as results or as
// an error, never a panic.
func FuzzReadResults(f *testing.F) {
	f.Add([]byte(`{"schema":"concbench/results/v1","cells":[{"workload":"io"}]}`))
	f.Add([]byte(`{"schema":"concbench/results/v1","cells":[{"repetitions":[{"errors":{"x":1}}]}]}`))
	f.Add([]byte(`{"schema":1}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(t.TempDir(), "results.json")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := results.Read(p)
		if err == nil {
			_ = Rows(res) // whatever was read must render
		}
	})
}
