package compare

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/concbench/concbench/harness/chart/legible"
)

// renderPage renders Mermaid sources one after the other, as GitHub
// does, and returns for each chart every text's corners on the screen
// (getBBox through getScreenCTM, so turned labels stay turned) and the
// chart's own box.
//
//go:embed testdata/render.html
var renderPage string

// renderedText is one text of a rendered chart.
type renderedText struct {
	Text    string        `json:"text"`
	Corners [4][2]float64 `json:"corners"`
}

// renderedChart is what the page measured of one chart.
type renderedChart struct {
	Error string         `json:"error"`
	Box   [4]float64     `json:"box"` // x, y, width, height of the chart's svg
	Texts []renderedText `json:"texts"`
}

var mermaidBlock = regexp.MustCompile("(?s)```mermaid\n(.*?)```")

// TestMermaidChartsAreLegible renders the Mermaid charts of compare
// -format github in headless Chromium with mermaid (scripts/test.sh
// installs both and names them in CONCBENCH_CHROMIUM and
// CONCBENCH_MERMAID): the golden file, two real default runs of 20 cells
// each, a workload of 12 cells, and the files CONCBENCH_MERMAID_DOCS lists.
// No two texts of a chart may overlap, nor leave it. A PNG of each chart
// is kept in CONCBENCH_ARTIFACTS.
func TestMermaidChartsAreLegible(t *testing.T) {
	script, browser := os.Getenv("CONCBENCH_MERMAID"), os.Getenv("CONCBENCH_CHROMIUM")
	if script == "" || browser == "" {
		t.Skip("needs mermaid and chromium: scripts/test.sh installs them and sets CONCBENCH_MERMAID and CONCBENCH_CHROMIUM")
	}
	artifacts := os.Getenv("CONCBENCH_ARTIFACTS")
	if artifacts == "" {
		artifacts = t.TempDir()
	}
	artifacts = filepath.Join(artifacts, "mermaid")
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	golden, err := os.ReadFile(filepath.Join("testdata", "github.golden.md"))
	if err != nil {
		t.Fatal(err)
	}
	var real, many bytes.Buffer
	Compare(load(t, "testdata/base20.json"), load(t, "testdata/head20.json")).WriteGitHub(&real)
	manyCells(12).WriteGitHub(&many)
	if err := os.WriteFile(filepath.Join(artifacts, "compare-github-20-cells.md"), real.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	docs := map[string][]byte{"golden": golden, "20-cells": real.Bytes(), "12-cells": many.Bytes()}
	names := []string{"golden", "20-cells", "12-cells"}
	for _, path := range filepath.SplitList(os.Getenv("CONCBENCH_MERMAID_DOCS")) { // a comparison's compare-github.md, say
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
		for n := 2; docs[name] != nil; n++ {
			name = fmt.Sprintf("%s-%d", strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)), n)
		}
		docs[name], names = data, append(names, name)
	}
	ctx := startBrowser(t, browser, script)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			var sources []string
			for _, m := range mermaidBlock.FindAllSubmatch(docs[name], -1) {
				sources = append(sources, string(m[1]))
			}
			if len(sources) == 0 {
				t.Fatal("no Mermaid chart")
			}
			for i, c := range render(t, ctx, sources) {
				title := fmt.Sprintf("%s chart %d", name, i+1)
				checkRendered(t, title, c)
				png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS(fmt.Sprintf("#chart%d", i))))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(artifacts, fmt.Sprintf("%s-%02d.png", name, i+1)), png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
	t.Logf("PNGs of the charts: %s", artifacts)
}

// startBrowser starts headless Chromium on a page served from loopback
// that has mermaid loaded.
func startBrowser(t *testing.T, browser, script string) context.Context {
	t.Helper()
	if _, err := exec.LookPath(browser); err != nil {
		t.Fatalf("CONCBENCH_CHROMIUM: %v", err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/mermaid.min.js" {
			http.ServeFile(w, r, script)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, renderPage)
	}))
	t.Cleanup(srv.Close)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser), chromedp.NoSandbox,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1000, 800))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL), chromedp.WaitReady(chromedp.CSS("#ready"))); err != nil {
		t.Fatalf("loading mermaid in chromium: %v", err)
	}
	return ctx
}

// render renders the sources on a fresh page and returns what it measured.
func render(t *testing.T, ctx context.Context, sources []string) []renderedChart {
	t.Helper()
	arg, _ := json.Marshal(sources)
	out, err := chromedp.Run(ctx, chromedp.Evaluate[[]renderedChart]("renderAll("+string(arg)+")", chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("rendering: %v", err)
	}
	if len(out) != len(sources) {
		t.Fatalf("%d charts rendered of %d", len(out), len(sources))
	}
	return out
}

// checkRendered fails t for a chart Mermaid refused, texts that overlap,
// and texts outside the chart.
func checkRendered(t *testing.T, title string, c renderedChart) {
	t.Helper()
	if c.Error != "" {
		t.Errorf("%s: mermaid: %s", title, c.Error)
		return
	}
	x, y, w, h := c.Box[0], c.Box[1], c.Box[2], c.Box[3]
	for i, a := range c.Texts {
		for _, p := range a.Corners {
			if p[0] < x-1 || p[0] > x+w+1 || p[1] < y-1 || p[1] > y+h+1 {
				t.Errorf("%s: %q leaves the chart", title, a.Text)
				break
			}
		}
		for _, b := range c.Texts[i+1:] {
			if legible.Overlap(a.Corners, b.Corners) {
				t.Errorf("%s: %q overlaps %q", title, a.Text, b.Text)
			}
		}
	}
}
