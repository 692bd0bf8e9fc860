package report

import (
	"html/template"
	"io"
	"regexp"
	"strings"

	"github.com/concbench/concbench/harness/results"
)

// WriteHTML writes report.html: the table and every chart as inline SVG, in
// one file that needs nothing else to display.
func WriteHTML(w io.Writer, res *results.Results, charts []Chart) error {
	type figure struct {
		Title string
		SVG   template.HTML
	}
	rows := Rows(res)
	data := struct {
		Title, Env, Command string
		Incomplete          bool
		Legend              string
		Answer              []string
		Head                []string
		Rows                [][]string
		Figures             []figure
	}{
		Title:      "concbench run " + res.Env.Start.Format("2006-01-02 15:04:05 UTC"),
		Env:        envLine(res.Env),
		Command:    strings.Join(res.Env.CommandLine, " "),
		Incomplete: !res.Complete,
		Legend:     Legend(res),
		Answer:     RecommendationLines(res),
		Head:       rows[0],
		Rows:       rows[1:],
	}
	for _, c := range charts {
		// The SVG is our own rendering; drop its XML prologue to inline it.
		svg := xmlProlog.ReplaceAllString(string(c.Files["svg"]), "")
		data.Figures = append(data.Figures, figure{Title: c.Title, SVG: template.HTML(svg)})
	}
	return htmlPage.Execute(w, data)
}

var xmlProlog = regexp.MustCompile(`(?s)^\s*<\?xml.*?\?>\s*(<!DOCTYPE[^>]*>\s*)?`)

var htmlPage = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
body { font-family: sans-serif; margin: 2em auto; max-width: 1000px; color: #222; }
table { border-collapse: collapse; font-size: 0.85em; }
th, td { padding: 0.2em 0.6em; text-align: right; border-bottom: 1px solid #ddd; }
th:nth-child(-n+2), td:nth-child(-n+2) { text-align: left; }
figure { margin: 2em 0; } svg { max-width: 100%; height: auto; }
.note { color: #a00; } code { font-size: 0.9em; }
</style></head><body>
<h1>{{.Title}}</h1>
{{if .Incomplete}}<p class="note">Incomplete: the run was interrupted; this is what it measured.</p>{{end}}
<p>{{.Env}}</p>
<p><code>{{.Command}}</code></p>
{{if .Answer}}<h2>Recommendation</h2>
<ul>{{range .Answer}}<li>{{.}}</li>{{end}}</ul>{{end}}
<table><thead><tr>{{range .Head}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>{{end}}</tbody></table>
<p>{{.Legend}}</p>
{{range .Figures}}<figure><figcaption><h2>{{.Title}}</h2></figcaption>
{{.SVG}}
</figure>{{end}}
</body></html>
`))
