package report

import (
	"html/template"
	"io"
	"regexp"
	"strings"

	"github.com/concbench/concbench/harness/results"
)

// WriteHTML writes report.html: the recommendation first, then the run's
// environment and command, its tables as the terminal shows them, and
// every chart as inline SVG (its title is the chart's own), in one file
// that needs nothing else to display.
func WriteHTML(w io.Writer, res *results.Results, charts []Chart) error {
	type figure struct {
		Name string
		SVG  template.HTML
	}
	data := struct {
		Title, Env, Command string
		Incomplete          bool
		Legend              string
		Answer              []string
		Tables              []Table
		Figures             []figure
	}{
		Title:      "concbench run " + res.Env.Start.Format("2006-01-02 15:04:05 UTC"),
		Env:        envLine(res.Env),
		Command:    strings.Join(res.Env.CommandLine, " "),
		Incomplete: !res.Complete,
		Answer:     RecommendationLines(res),
		Tables:     Tables(res),
	}
	if len(res.Cells) > 0 && !isAttack(res) {
		data.Legend = Legend(res)
	}
	for _, c := range charts {
		// The SVG is our own rendering; drop its XML prologue to inline it.
		svg := xmlProlog.ReplaceAllString(string(c.Files["svg"]), "")
		data.Figures = append(data.Figures, figure{Name: c.Name, SVG: template.HTML(svg)})
	}
	return htmlPage.Execute(w, data)
}

var xmlProlog = regexp.MustCompile(`(?s)^\s*<\?xml.*?\?>\s*(<!DOCTYPE[^>]*>\s*)?`)

var htmlPage = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
body { font-family: sans-serif; margin: 2em auto; max-width: 1000px; color: #222; }
table { border-collapse: collapse; font-size: 0.85em; margin-bottom: 1em; }
th, td { padding: 0.2em 0.6em; text-align: right; border-bottom: 1px solid #ddd; white-space: nowrap; }
th:nth-child(-n+2), td:nth-child(-n+2) { text-align: left; }
figure { margin: 2em 0; } svg { max-width: 100%; height: auto; }
.note { color: #a00; } code { font-size: 0.9em; } .answer li { margin-bottom: 0.4em; }
</style></head><body>
<h1>{{.Title}}</h1>
{{if .Incomplete}}<p class="note">Incomplete: the run was interrupted; this is what it measured.</p>{{end}}
{{if .Answer}}<h2>Recommendation</h2>
<ul class="answer">{{range .Answer}}<li>{{.}}</li>{{end}}</ul>{{end}}
<p>{{.Env}}</p>
<p><code>{{.Command}}</code></p>
{{range .Tables}}{{if .Title}}<h3>{{.Title}}</h3>{{end}}
<table>{{range $i, $row := .Rows}}{{if eq $i 0}}<thead><tr>{{range $row}}<th>{{.}}</th>{{end}}</tr></thead><tbody>{{else}}<tr>{{range $row}}<td>{{.}}</td>{{end}}</tr>{{end}}{{end}}</tbody></table>
{{end}}{{if .Legend}}<p>{{.Legend}}</p>{{end}}
{{range .Figures}}<figure id="{{.Name}}">
{{.SVG}}
</figure>{{end}}
</body></html>
`))
