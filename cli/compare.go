package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/concbench/concbench/harness/chart"
	"github.com/concbench/concbench/harness/compare"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/rundir"
)

// gateError is a failed -fail-on gate: exit status 1.
type gateError struct{ failures []compare.Failure }

func (e *gateError) Error() string {
	lines := make([]string, len(e.failures))
	for i, f := range e.failures {
		lines[i] = f.String()
	}
	return "gate failed: " + strings.Join(lines, "; ")
}

// compareRuns compares a base and a head (each a run folder, a
// results.json, or a folder of runs pooled), prints the comparison and
// writes it, with its charts, to a new folder.
func compareRuns(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("compare")
	failOn := fs.String("fail-on", "", "gates, e.g. 'p99>+10%,throughput<-5%': exit 1 when a significant change crosses one")
	format := fs.String("format", "text", "what to print: text, markdown, github (markdown with Mermaid charts GitHub renders) or json")
	noise := fs.String("noise", fmt.Sprintf("%g%%", compare.DefaultNoisePct), "changes smaller than this, either way, are within noise (e.g. 2%)")
	out := fs.String("out", "", "parent folder of the comparison folder (default: the folder holding head's run, beside the runs)")
	label := fs.String("label", "", "suffix of the comparison folder's name")
	operands, help, err := parseWithOperands(fs, args, stdout, "BASE HEAD")
	if help || err != nil {
		return err
	}
	if len(operands) != 2 {
		return usagef("compare: want BASE and HEAD (run folders, results.json files or folders of runs), got %d arguments", len(operands))
	}
	var gates []compare.Gate
	if *failOn != "" {
		if gates, err = compare.ParseGates(*failOn); err != nil {
			return err
		}
	}
	if !slices.Contains([]string{"text", "markdown", "github", "json"}, *format) {
		return usagef("-format: %q: want text, markdown, github or json", *format)
	}
	if err := checkLabel("-label", *label); err != nil {
		return err
	}
	noisePct, err := parseNoise(*noise)
	if err != nil {
		return err
	}
	c, base, head, err := compareOperands(operands, noisePct)
	if err != nil {
		return err
	}
	text, err := render(c, *format)
	if err != nil {
		return err
	}
	parent := *out
	if parent == "" {
		parent = filepath.Dir(filepath.Dir(head.Paths[0])) // head's run folder's folder
	}
	dir, err := writeComparison(c, base, head, parent, *label)
	if err != nil {
		return err
	}
	if _, err := stdout.Write(text.Bytes()); err != nil {
		return err
	}
	if *format == "text" {
		fmt.Fprintf(stdout, "\ncomparison: %s\n", dir)
	} else { // stdout stays the document: JSON, or the markdown a pull request gets
		fmt.Fprintf(stderr, "comparison: %s\n", dir)
	}
	if failures := c.Check(gates); len(failures) > 0 {
		return &gateError{failures}
	}
	return nil
}

// compareOperands loads BASE and HEAD and compares them.
func compareOperands(operands []string, noisePct float64) (*compare.Comparison, *compare.Side, *compare.Side, error) {
	base, err := compare.Load(operands[0])
	if err != nil {
		return nil, nil, nil, usagef("compare: base: %v", err)
	}
	head, err := compare.Load(operands[1])
	if err != nil {
		return nil, nil, nil, usagef("compare: head: %v", err)
	}
	c := compare.CompareWith(base, head, compare.Options{NoisePct: noisePct})
	if len(c.Rows) == 0 {
		return nil, nil, nil, usagef("compare: base and head have no cell in common (base: %d cells, head: %d)", len(base.Order), len(head.Order))
	}
	return c, base, head, nil
}

// parseNoise reads -noise, a percentage such as 2%.
func parseNoise(noise string) (float64, error) {
	pct, err := strconv.ParseFloat(strings.TrimSuffix(noise, "%"), 64)
	if err != nil || !strings.HasSuffix(noise, "%") || !(pct > 0 && pct < 100) {
		return 0, usagef("-noise: %q: want a percentage above 0%% and below 100%%, e.g. 2%%", noise)
	}
	return pct, nil
}

// render is the comparison in format: text, markdown, github or json.
func render(c *compare.Comparison, format string) (bytes.Buffer, error) {
	var text bytes.Buffer
	var err error
	switch format {
	case "json":
		err = c.WriteJSON(&text)
	case "markdown":
		c.WriteMarkdown(&text, nil)
	case "github":
		c.WriteGitHub(&text)
	default:
		err = c.WriteText(&text)
	}
	return text, err
}

// writeComparison writes compare.md (with PNG charts), compare-github.md
// (with Mermaid charts, for a comment or job summary), compare.json and
// compare.txt, and the charts, into a new folder under parent.
func writeComparison(c *compare.Comparison, base, head *compare.Side, parent, label string) (string, error) {
	name := "compare"
	if label != "" {
		name += "-" + label
	}
	dir, err := rundir.NewRunDir(parent, name, time.Now())
	if err != nil {
		return "", usagef("-out: %v", err)
	}
	written := false
	defer func() {
		if !written {
			os.RemoveAll(dir) // nothing half-made; the runs compared are untouched
		}
	}()
	files := map[string][]byte{}
	var charts []string
	verdict := func(cell results.CellResult, metric string) string {
		return c.Row(compare.Key{Workload: cell.Workload, Strategy: cell.Strategy, Limit: cell.Limit}, metric).Verdict()
	}
	for _, f := range chart.CompareFigures(base.Results(), head.Results(), verdict) {
		for _, format := range chart.Formats {
			data, err := f.Render(format)
			if err != nil {
				return "", fmt.Errorf("chart %s: %v", f.Name, err)
			}
			files[f.Name+"."+format] = data
		}
		charts = append(charts, f.Name)
	}
	var md, gh, js, txt bytes.Buffer
	c.WriteMarkdown(&md, charts)
	c.WriteGitHub(&gh)
	if err := c.WriteJSON(&js); err != nil {
		return "", err
	}
	if err := c.WriteText(&txt); err != nil {
		return "", err
	}
	files["compare.md"], files["compare-github.md"], files["compare.json"], files["compare.txt"] = md.Bytes(), gh.Bytes(), js.Bytes(), txt.Bytes()
	for name, data := range files {
		if err := rundir.WriteFile(filepath.Join(dir, name), data); err != nil {
			return "", err
		}
	}
	written = true
	return dir, nil
}
