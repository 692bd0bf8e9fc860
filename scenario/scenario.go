// Package scenario reads benchmark plans from YAML (or JSON) files that
// teams keep next to the code they measure. Parsing is strict: an unknown
// key, a wrong type or an impossible value is an error naming the file,
// the line and the key (an *input.Error). docs/scenario.md documents the
// schema.
package scenario

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/harness/profiles"
	"github.com/concbench/concbench/harness/results"
	"gopkg.in/yaml.v3"
)

// MaxSize is the largest scenario file read, in bytes: results.json keeps
// the file whole.
const MaxSize = 1 << 20

// Schema is the version a scenario file declares.
const Schema = "concbench/scenario/v1"

// File is a parsed scenario.
type File struct {
	Path, SHA256 string
	Content      []byte

	Name, Description string
	Workloads         []Workload
	Strategies        []string
	StrategyParams    map[string]map[string]string // by strategy name, from the mapping form of strategies
	Limits            []int
	AutoLimits        bool     // limits: auto: search each limited strategy's limit
	Reps, Warmup      *int     // nil: the command's default
	GOMAXPROCS        int      // 0: as it is
	Profile           []string // the profiles each cell records (bench run -profile)
	Target            string
	Thresholds        []Threshold
	Out, Label        string
	// Attack is the HTTP load bench attack sends, when the file has an
	// attack section; nil for a file bench run runs.
	Attack *Attack

	strategyLines      map[string]int            // line of each strategy's name
	strategyParamLines map[string]map[string]int // line of each strategy parameter
}

// Workload is one named workload of a scenario.
type Workload struct {
	Name, Family string
	Tasks        int           // 0: the family's default
	Timeout      time.Duration // per task; 0: none
	GroupTimeout time.Duration // for all of a repetition's tasks, from its start; 0: none
	Params       map[string]string
	line         int // of the workload's name
	familyLine   int
	paramLines   map[string]int
}

// Threshold is an SLO condition that sets the exit status, for the cells
// its selector picks: every cell, a workload, a strategy, or
// "workload/strategy".
type Threshold struct {
	Selector string
	SLO      results.SLO
	Text     string
	line     int
}

// Matches reports whether the threshold applies to cell.
func (t Threshold) Matches(c results.CellResult) bool { return selects(t.Selector, c) }

// selects reports whether sel picks cell c: "" (every cell), a workload, a
// strategy, "workload/strategy", or any of the last two at one limit
// ("semaphore@10", "downstream/aimd@64").
func selects(sel string, c results.CellResult) bool {
	if name, limit, ok := strings.Cut(sel, "@"); ok {
		return limit == strconv.Itoa(c.Limit) && selects(name, c)
	}
	switch sel {
	case "", c.Workload, c.Strategy, c.Workload + "/" + c.Strategy:
		return true
	}
	return false
}

// Parse reads a scenario strictly.
func Parse(path string, data []byte) (*File, error) {
	sum := sha256.Sum256(data)
	f := &File{Path: path, Content: data, SHA256: hex.EncodeToString(sum[:])}
	if err := checkJSON(path, data); err != nil {
		return nil, err
	}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil && err != io.EOF {
		line, msg := 1, strings.TrimPrefix(err.Error(), "yaml: ")
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = m[2]
		}
		return nil, &input.Error{Path: path, Line: line, Problem: "not valid YAML: " + strings.ReplaceAll(msg, "\n", "; ")}
	}
	if len(doc.Content) == 0 {
		return nil, &input.Error{Path: path, Line: 1, Problem: "empty file"}
	}
	var second yaml.Node
	if err := dec.Decode(&second); err != io.EOF {
		return nil, &input.Error{Path: path, Line: max(second.Line, 1), Problem: "a second YAML document (after ---): a scenario is one document"}
	}
	p := parser{path: path}
	p.file(doc.Content[0], f)
	if p.err != nil {
		return nil, p.err
	}
	return f, nil
}

var yamlLine = regexp.MustCompile(`^line (\d+): (.*)`)

// checkJSON holds a .json scenario to JSON's own syntax, stricter than
// YAML's reading of it (a trailing comma, single quotes).
func checkJSON(path string, data []byte) error {
	if !strings.EqualFold(filepath.Ext(path), ".json") {
		return nil
	}
	var v any
	err := json.Unmarshal(data, &v)
	var syn *json.SyntaxError
	if !errors.As(err, &syn) {
		return nil // the YAML reading reports the rest
	}
	line := 1 + bytes.Count(data[:min(int(syn.Offset), len(data))], []byte("\n"))
	return &input.Error{Path: path, Line: line, Problem: "not valid JSON: " + syn.Error()}
}

// parser walks the node tree; the first error stops it.
type parser struct {
	path string
	err  error
}

func (p *parser) fail(n *yaml.Node, key, format string, args ...any) {
	if p.err == nil {
		p.err = &input.Error{Path: p.path, Line: n.Line, Field: key, Problem: fmt.Sprintf(format, args...)}
	}
}

// mapping calls field for each key of a mapping node, refusing keys not in
// known (suggesting the closest) and duplicates.
func (p *parser) mapping(n *yaml.Node, key string, known []string, field func(k string, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		p.fail(n, key, "want a mapping, got %s", kind(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content) && p.err == nil; i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		full := join(key, k.Value)
		if known != nil && !slices.Contains(known, k.Value) {
			msg := fmt.Sprintf("unknown key (known: %s)", strings.Join(known, ", "))
			if c := input.Closest(k.Value, known); c != "" {
				msg = fmt.Sprintf("unknown key; did you mean %s?", c)
			}
			p.fail(k, full, "%s", msg)
			return
		}
		if seen[k.Value] {
			p.fail(k, full, "appears twice")
			return
		}
		seen[k.Value] = true
		field(k.Value, v)
	}
}

func (p *parser) file(n *yaml.Node, f *File) {
	top := []string{"schema", "name", "description", "workloads", "strategies", "limits", "reps", "warmup", "gomaxprocs", "profile", "target", "thresholds", "output", "attack"}
	var schemaSeen bool
	runOnly := map[string]int{} // keys bench attack has no use for, by line
	p.mapping(n, "", top, func(k string, v *yaml.Node) {
		switch k {
		case "strategies", "limits", "reps", "warmup", "gomaxprocs", "profile":
			runOnly[k] = v.Line
		}
		switch k {
		case "schema":
			schemaSeen = true
			if s := p.str(v, k); s != Schema && p.err == nil {
				p.fail(v, k, "%q: this concbench reads %q", s, Schema)
			}
		case "name":
			f.Name = p.str(v, k)
		case "description":
			f.Description = p.str(v, k)
		case "workloads":
			p.workloads(v, f)
		case "strategies":
			p.strategies(v, f)
		case "limits":
			if v.Kind == yaml.ScalarNode && v.Value == "auto" {
				f.AutoLimits = true
				break
			}
			for i, s := range p.seq(v, k) {
				f.Limits = append(f.Limits, p.int(s, fmt.Sprintf("limits[%d]", i), 1, harness.MaxLimit))
			}
		case "reps":
			r := p.int(v, k, 1, harness.MaxReps)
			f.Reps = &r
		case "warmup":
			w := p.int(v, k, 0, harness.MaxWarmup)
			f.Warmup = &w
		case "gomaxprocs":
			f.GOMAXPROCS = p.int(v, k, 1, harness.MaxGOMAXPROCS)
		case "profile":
			for i, s := range p.seq(v, k) {
				f.Profile = append(f.Profile, p.str(s, fmt.Sprintf("profile[%d]", i)))
			}
			var bad *input.Error
			if err := profiles.Validate(k, f.Profile); errors.As(err, &bad) {
				p.fail(v, k, "%s", bad.Problem)
			}
		case "target":
			f.Target = p.str(v, k)
		case "thresholds":
			for i, s := range p.seq(v, k) {
				f.Thresholds = append(f.Thresholds, p.threshold(s, fmt.Sprintf("thresholds[%d]", i)))
			}
		case "output":
			p.mapping(v, k, []string{"dir", "label"}, func(ok string, ov *yaml.Node) {
				switch ok {
				case "dir":
					f.Out = p.str(ov, "output.dir")
				case "label":
					f.Label = p.str(ov, "output.label")
				}
			})
		case "attack":
			f.Attack = p.attack(v)
		}
	})
	if p.err == nil && !schemaSeen {
		p.fail(n, "schema", "missing: start the file with schema: %s", Schema)
	}
	if f.Attack != nil {
		p.attackFile(n, f, runOnly)
		return
	}
	if p.err == nil && len(f.Workloads) == 0 {
		p.fail(n, "workloads", "missing: name at least one workload")
	}
}

func (p *parser) workloads(n *yaml.Node, f *File) {
	p.mapping(n, "workloads", nil, func(name string, v *yaml.Node) {
		key := "workloads." + name
		if !validName(name) {
			p.fail(v, key, "a workload name takes letters, digits, '.', '_' and '-'")
			return
		}
		w := Workload{Name: name, Family: name, line: v.Line, familyLine: v.Line, Params: map[string]string{}, paramLines: map[string]int{}}
		p.mapping(v, key, []string{"family", "tasks", "timeout", "group_timeout", "params"}, func(k string, wv *yaml.Node) {
			switch k {
			case "family":
				w.Family = p.str(wv, key+".family")
				w.familyLine = wv.Line
			case "tasks":
				w.Tasks = p.int(wv, key+".tasks", 1, harness.MaxTasks)
			case "timeout":
				w.Timeout = p.duration(wv, key+".timeout")
			case "group_timeout":
				w.GroupTimeout = p.duration(wv, key+".group_timeout")
			case "params":
				p.mapping(wv, key+".params", nil, func(pk string, pv *yaml.Node) {
					if pv.Kind != yaml.ScalarNode {
						p.fail(pv, key+".params."+pk, "want a value, got %s", kind(pv))
						return
					}
					w.Params[pk] = pv.Value
					w.paramLines[pk] = pv.Line
				})
			}
		})
		f.Workloads = append(f.Workloads, w)
	})
}

// strategies reads a list of names, or a mapping of names to their
// parameters, as workloads are written:
//
//	strategies:
//	  pool: {}
//	  queue: {params: {size: 10, policy: reject}}
func (p *parser) strategies(n *yaml.Node, f *File) {
	f.strategyLines = map[string]int{}
	if n.Kind != yaml.MappingNode {
		for i, s := range p.seq(n, "strategies") {
			name := p.str(s, fmt.Sprintf("strategies[%d]", i))
			f.Strategies = append(f.Strategies, name)
			f.strategyLines[name] = s.Line
		}
		return
	}
	f.StrategyParams, f.strategyParamLines = map[string]map[string]string{}, map[string]map[string]int{}
	p.mapping(n, "strategies", nil, func(name string, v *yaml.Node) {
		key := "strategies." + name
		f.Strategies = append(f.Strategies, name)
		f.strategyLines[name] = v.Line
		if v.Tag == "!!null" {
			return // "pool:" alone: no parameters
		}
		p.mapping(v, key, []string{"params"}, func(_ string, pv *yaml.Node) {
			params, lines := map[string]string{}, map[string]int{}
			p.mapping(pv, key+".params", nil, func(k string, val *yaml.Node) {
				if val.Kind != yaml.ScalarNode {
					p.fail(val, key+".params."+k, "want a value, got %s", kind(val))
					return
				}
				params[k], lines[k] = val.Value, val.Line
			})
			f.StrategyParams[name], f.strategyParamLines[name] = params, lines
		})
	})
	if p.err == nil && len(f.Strategies) == 0 {
		p.fail(n, "strategies", "empty mapping")
	}
}

func (p *parser) threshold(n *yaml.Node, key string) Threshold {
	text := p.str(n, key)
	t := Threshold{Text: text, line: n.Line}
	cond := text
	if sel, rest, ok := strings.Cut(text, ":"); ok {
		t.Selector, cond = strings.TrimSpace(sel), rest
	}
	slo, err := results.ParseThreshold(key, strings.ReplaceAll(cond, " ", ""))
	if err != nil && p.err == nil {
		p.fail(n, key, "%s", input.Problem(err))
		return t
	}
	t.SLO = slo
	return t
}

func (p *parser) str(n *yaml.Node, key string) string {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" && n.Tag != "!!int" && n.Tag != "!!float" {
		p.fail(n, key, "want a string, got %s", kind(n))
		return ""
	}
	return n.Value
}

func (p *parser) strs(n *yaml.Node, key string) []string {
	var out []string
	for i, s := range p.seq(n, key) {
		out = append(out, p.str(s, fmt.Sprintf("%s[%d]", key, i)))
	}
	return out
}

func (p *parser) seq(n *yaml.Node, key string) []*yaml.Node {
	if n.Kind != yaml.SequenceNode {
		p.fail(n, key, "want a list, got %s", kind(n))
		return nil
	}
	if len(n.Content) == 0 {
		p.fail(n, key, "empty list")
	}
	return n.Content
}

func (p *parser) int(n *yaml.Node, key string, lo, hi int) int {
	var v int
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Decode(&v) != nil {
		p.fail(n, key, "want a whole number, got %s", kind(n))
		return 0
	}
	if v < lo || v > hi {
		p.fail(n, key, "%d is out of range %d..%d", v, lo, hi)
	}
	return v
}

func (p *parser) duration(n *yaml.Node, key string) time.Duration {
	s := p.str(n, key)
	d, err := time.ParseDuration(s)
	if p.err == nil && (err != nil || d <= 0 || d > harness.MaxLatency) {
		p.fail(n, key, "%q: want a duration above 0 and at most 1h, such as 2s", s)
	}
	return d
}

// kind describes a node for an error: "a list", "the string \"x\"".
func kind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%s %q", strings.TrimPrefix(n.Tag, "!!"), n.Value)
	}
	return "nothing"
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

func validName(s string) bool {
	return s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-')
	}) < 0
}
