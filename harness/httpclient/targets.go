package httpclient

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/concbench/concbench/harness/secret"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// A Target is one request of an attack's mix: what vegeta's target
// formats hold, with a name that breaks the results down (a task class:
// thresholds say "login.p99 < 200ms") and a weight, its share of the
// requests.
type Target struct {
	Name   string
	Weight float64
	Method string
	URL    string
	Header http.Header
	Body   []byte
}

// TargetFormats are the formats ReadTargets reads: vegeta's.
var TargetFormats = []string{"http", "json"}

// MaxTargets bounds a targets file: each target keeps its own
// connections.
const MaxTargets = 1000

// maxTargetsSize bounds a targets file's bytes, bodies given inline
// included.
const maxTargetsSize = 64 << 20

// targetName is what a name may be: a threshold names it, and its
// counters are "<name>-requests" and "<name>-errors".
var targetName = regexp.MustCompile(`^[a-z][a-z0-9-]*$`)

// ReadTargets reads targets in vegeta's http format or its json format
// (format "" takes json when the first character that is not a space is
// '{'). Names and weights extend both: in the http format, a comment line
// "# name=login weight=3" just before a target's first line; in the json
// format, the fields "name" and "weight". vegeta reads either file,
// ignoring them. Targets without a weight weigh 1; without a name, when
// there are several, each is "target-N" (N from 1). A bad target is an
// error that names it by its place in the file.
func ReadTargets(r io.Reader, format string) ([]Target, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxTargetsSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxTargetsSize {
		return nil, fmt.Errorf("larger than %d MiB", maxTargetsSize>>20)
	}
	if format == "" {
		format = "http"
		if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 && trimmed[0] == '{' {
			format = "json"
		}
	}
	var ts []Target
	switch format {
	case "http":
		ts, err = readHTTPTargets(data)
	case "json":
		ts, err = readJSONTargets(data)
	default:
		return nil, fmt.Errorf("format %q: want %s", format, strings.Join(TargetFormats, " or "))
	}
	if err != nil {
		return nil, err
	}
	return checkTargets(ts)
}

// readHTTPTargets reads vegeta's http format through vegeta's own
// targeter, and the name and weight comments beside it: the i-th line
// that begins with a method starts the i-th target.
func readHTTPTargets(data []byte) ([]Target, error) {
	var vts []vegeta.Target
	next := vegeta.NewHTTPTargeter(bytes.NewReader(data), nil, nil)
	for {
		var v vegeta.Target
		err := next(&v)
		if errors.Is(err, vegeta.ErrNoTargets) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("target %d: %s", len(vts)+1, targetError(err))
		}
		vts = append(vts, v)
	}
	var ts []Target
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, maxTargetsSize)
	var pending Target
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(text, "#"):
			if err := readDirective(text, &pending); err != nil {
				return nil, fmt.Errorf("line %d: %v", line, err)
			}
		case methodLine.MatchString(text):
			if len(ts) < len(vts) {
				v := vts[len(ts)]
				pending.Method, pending.URL, pending.Header, pending.Body = v.Method, v.URL, v.Header, v.Body
			}
			ts = append(ts, pending)
			pending = Target{}
		case text == "":
		default:
			pending = Target{} // a header or a body of the target before: a directive must come just before its target
		}
	}
	return ts, sc.Err()
}

// targetError is vegeta's error about a target, told without a
// secret: a header line it could not read is not shown (it may be an
// Authorization without its colon), and a URL's password is redacted.
func targetError(err error) string {
	if msg := err.Error(); !strings.HasPrefix(msg, "bad header") {
		return secret.Redact(msg)
	}
	return "bad header: want 'Name: value' (the line is not shown: it may hold a secret)"
}

// methodLine is a target's first line, as vegeta's http format has it.
var methodLine = regexp.MustCompile(`^[A-Z]+\s`)

// readDirective reads "# name=login weight=3" into t; any other comment
// is a comment.
func readDirective(text string, t *Target) error {
	fields := strings.Fields(strings.TrimPrefix(text, "#"))
	if len(fields) == 0 || !strings.HasPrefix(fields[0], "name=") && !strings.HasPrefix(fields[0], "weight=") {
		return nil
	}
	for _, f := range fields {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "name":
			t.Name = v
		case "weight":
			w, err := strconv.ParseFloat(v, 64)
			if err != nil || !(w > 0) {
				return fmt.Errorf("weight %q: want a number above 0", v)
			}
			t.Weight = w
		default:
			return fmt.Errorf("%q: a target's comment takes name= and weight=", f)
		}
	}
	return nil
}

// readJSONTargets reads vegeta's json format, one target a line.
func readJSONTargets(data []byte) ([]Target, error) {
	var ts []Target
	dec := json.NewDecoder(bytes.NewReader(data))
	for i := 1; ; i++ {
		var jt struct {
			vegeta.Target
			Name   string   `json:"name"`
			Weight *float64 `json:"weight"`
		}
		if err := dec.Decode(&jt); err == io.EOF {
			return ts, nil
		} else if err != nil {
			return nil, fmt.Errorf("target %d: %v", i, err)
		}
		t := Target{Name: jt.Name, Method: jt.Method, URL: jt.URL, Header: jt.Header, Body: jt.Body}
		if jt.Weight != nil && !(*jt.Weight > 0) {
			return nil, fmt.Errorf("target %d: weight %v: want a number above 0", i, *jt.Weight)
		} else if jt.Weight != nil {
			t.Weight = *jt.Weight
		}
		if t.Method == "" {
			t.Method = http.MethodGet
		}
		ts = append(ts, t)
	}
}

// checkTargets gives names and weights their defaults and refuses a bad
// target, naming it.
func checkTargets(ts []Target) ([]Target, error) {
	switch {
	case len(ts) == 0:
		return nil, fmt.Errorf("no targets")
	case len(ts) > MaxTargets:
		return nil, fmt.Errorf("%d targets, more than %d", len(ts), MaxTargets)
	}
	names := map[string]int{}
	for i := range ts {
		t := &ts[i]
		at := fmt.Sprintf("target %d", i+1)
		if t.Name != "" {
			at = fmt.Sprintf("target %d (%s)", i+1, t.Name)
		}
		switch {
		case t.Weight == 0:
			t.Weight = 1
		case t.Weight > 1e6:
			return nil, fmt.Errorf("%s: weight %v is out of range (0, 1e6]", at, t.Weight)
		}
		if t.Name == "" && len(ts) > 1 {
			t.Name = fmt.Sprintf("target-%d", i+1)
		}
		if t.Name != "" && !targetName.MatchString(t.Name) {
			return nil, fmt.Errorf("%s: name %q: want lower-case letters, digits and dashes, from a letter (a threshold names it)", at, t.Name)
		}
		if j, dup := names[t.Name]; dup && t.Name != "" {
			return nil, fmt.Errorf("%s: name %q is target %d's too", at, t.Name, j+1)
		}
		names[t.Name] = i
		if _, err := CheckURL(t.URL); err != nil {
			return nil, fmt.Errorf("%s: %s", at, secret.Redact(err.Error()))
		}
	}
	return ts, nil
}
