package escape_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"

	"github.com/concbench/concbench/harness/compare"
	"github.com/concbench/concbench/harness/recommend"
	"github.com/concbench/concbench/harness/report"
	"github.com/concbench/concbench/harness/results"
)

// hostile are seeds an attacker would try: raw HTML, images that load
// from elsewhere, code spans and fences broken open, table rows split,
// terminal escapes and entities.
var hostile = []string{
	"<script>alert(1)</script>",
	"`</code><img src=http://203.0.113.9/x.png>`",
	"```\n<script>x</script>\n```",
	"a | b\n| c | d |\n\n# heading",
	"![x](http://203.0.113.9/i.png)",
	"\x1b[2J\x1b]0;title\x07",
	"&lt;script&gt; &#60;img&#62;",
	"<!-- -->\r\n<div onclick=x>",
	"\\|\\`\\\\",
	"\u202e<b>",
}

// FuzzRenderedOutput renders a run and a comparison whose workload name,
// strategy name, parameter and command line come from the fuzzer, in
// every output a person or a pull request reads: summary.md, report.html,
// the terminal table, and compare as text, markdown, github and json. The
// Markdown outputs, parsed by a GFM renderer (goldmark), have the same
// block structure as with a plain name (no table split, no fence left
// open, no heading made), and no raw HTML or image from elsewhere; HTML
// holds no element the input brought; text holds no control characters;
// JSON reads back what went in.
func FuzzRenderedOutput(f *testing.F) {
	for _, h := range hostile {
		f.Add(h, h)
	}
	base, head := load(f, "base"), load(f, "head")
	plain := render(f, base, head, "x", "y")
	f.Fuzz(func(t *testing.T, name, param string) {
		if name == "" || strings.TrimSpace(name) != name || strings.ContainsAny(name, "\x00") {
			t.Skip("names are trimmed and never empty")
		}
		got := render(t, base, head, name, param)
		for _, kind := range []string{"summary.md", "compare.md", "compare-github.md"} {
			if want, have := structure(t, plain[kind]), structure(t, got[kind]); !slices.Equal(want, have) {
				t.Errorf("%s: block structure changed by name %q, param %q:\nwant %v\nhave %v\n%s", kind, name, param, want, have, got[kind])
			}
			checkInline(t, kind, got[kind])
		}
		lower := strings.ToLower(got["report.html"])
		for _, bad := range []string{"<script", "<img", "<div", "<b>", "<!--"} {
			if strings.Count(lower, bad) != strings.Count(strings.ToLower(plain["report.html"]), bad) {
				t.Errorf("report.html: %q came in with name %q, param %q", bad, name, param)
			}
		}
		for _, kind := range []string{"table.txt", "compare.txt"} {
			if i := strings.IndexFunc(got[kind], func(r rune) bool { return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f }); i >= 0 {
				t.Errorf("%s: control character %q at %d with name %q", kind, got[kind][i], i, name)
			}
		}
		var cmp struct{ Rows []compare.Row }
		if err := json.Unmarshal([]byte(got["compare.json"]), &cmp); err != nil {
			t.Fatalf("compare.json: %v", err)
		}
		if !slices.ContainsFunc(cmp.Rows, func(r compare.Row) bool { return r.Key.Workload == string([]rune(name)) }) { // JSON writes each invalid byte as U+FFFD
			t.Errorf("compare.json lost the workload name %q", name)
		}
	})
}

// load reads one of compare's fixture runs.
func load(t testing.TB, side string) *results.Results {
	res, err := results.Read(filepath.Join("..", "compare", "testdata", side+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// render renames workload io to name in both runs, gives base and head
// different values of a parameter (so that compare warns with both), and
// renders every output.
func render(t testing.TB, base, head *results.Results, name, param string) map[string]string {
	dir := t.TempDir()
	var paths []string
	for i, src := range []*results.Results{base, head} {
		res := hostileCopy(src, name, param+fmt.Sprint(i))
		js, err := results.Encode(res)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, fmt.Sprint(i), results.FileName)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, js, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	out := map[string]string{}
	run, err := results.Read(paths[1])
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	report.WriteMarkdown(&b, run, nil)
	out["summary.md"] = b.String()
	b.Reset()
	if err := report.WriteHTML(&b, run, nil); err != nil {
		t.Fatal(err)
	}
	out["report.html"] = b.String()
	b.Reset()
	report.WriteTable(&b, run, true)
	report.WriteRecommendations(&b, run)
	out["table.txt"] = b.String()
	bs, err := compare.Load(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	hs, err := compare.Load(paths[1])
	if err != nil {
		t.Fatal(err)
	}
	c := compare.Compare(bs, hs)
	b.Reset()
	c.WriteText(&b)
	out["compare.txt"] = b.String()
	b.Reset()
	c.WriteMarkdown(&b, []string{"compare-latency"})
	out["compare.md"] = b.String()
	b.Reset()
	c.WriteGitHub(&b)
	out["compare-github.md"] = b.String()
	b.Reset()
	c.WriteJSON(&b)
	out["compare.json"] = b.String()
	return out
}

// hostileCopy renames workload io and strategy pool, sets a parameter
// and the command line, and recommends, so that every place a name or a
// parameter shows is reached.
func hostileCopy(src *results.Results, name, param string) *results.Results {
	res := *src
	res.Env.CommandLine = []string{"bench", "-param", "io.header=" + param}
	res.Plan.Workloads = slices.Clone(src.Plan.Workloads)
	for i, w := range res.Plan.Workloads {
		if w.Name == "io" {
			res.Plan.Workloads[i].Name = name
			res.Plan.Workloads[i].Params = map[string]string{"header": param, "latency": "5ms"}
		}
	}
	res.Cells = slices.Clone(src.Cells)
	for i, c := range res.Cells {
		if c.Workload == "io" {
			res.Cells[i].Workload = name
		}
		if c.Strategy == "pool" {
			res.Cells[i].Strategy = "pool" + param
		}
	}
	res.Recommendations = recommend.For(&res)
	res.Thresholds = []results.Verdict{{Threshold: "p99<" + param, Workload: name, Strategy: "pool", Limit: 8, Met: false, Failed: []string{param}}}
	return &res
}

var gfm = goldmark.New(goldmark.WithExtensions(extension.GFM))

// structure is the kinds of a Markdown document's blocks, in order, with
// each table's rows and cells.
func structure(t *testing.T, md string) []string {
	doc := gfm.Parser().Parse(text.NewReader([]byte(md)))
	var kinds []string
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && (n.Type() == ast.TypeBlock || n.Kind().String() == "TableCell") {
			kinds = append(kinds, n.Kind().String())
		}
		return ast.WalkContinue, nil
	})
	return kinds
}

// ownFold is the only HTML a Markdown output writes: compare-github's
// folds, opened with an escaped name, and closed.
var ownFold = regexp.MustCompile(`^(<details><summary>[^<>\n]*</summary>|</details>)\n?$`)

// checkInline fails on raw HTML but the folds compare-github writes, and
// on images that are not the charts beside the file.
func checkInline(t *testing.T, kind, md string) {
	source := []byte(md)
	doc := gfm.Parser().Parse(text.NewReader(source))
	ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.RawHTML:
			t.Errorf("%s: raw HTML in the rendered Markdown:\n%s", kind, md)
		case *ast.HTMLBlock: // only compare-github's folds, the name in them escaped
			var b strings.Builder
			for i := 0; i < n.Lines().Len(); i++ {
				line := n.Lines().At(i)
				b.Write(line.Value(source))
			}
			if !ownFold.MatchString(b.String()) {
				t.Errorf("%s: an HTML block not of concbench's own: %q", kind, b.String())
			}
		case *ast.Image:
			if dest := string(n.Destination); strings.Contains(dest, ":") || strings.Contains(dest, "/") || !strings.HasSuffix(dest, ".png") {
				t.Errorf("%s: an image from %q", kind, dest)
			}
		case *ast.FencedCodeBlock:
			if lang := string(n.Language(source)); lang != "mermaid" {
				t.Errorf("%s: a code block of %q", kind, lang)
			}
		}
		return ast.WalkContinue, nil
	})
}
