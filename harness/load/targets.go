package load

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/concbench/concbench/harness/results"
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
			return nil, fmt.Errorf("target %d: %v", len(vts)+1, err)
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
			return nil, fmt.Errorf("%s: %v", at, err)
		}
	}
	return ts, nil
}

// mix picks targets by weight, spreading each target's turns evenly
// (smooth weighted round robin, as nginx balances upstreams): over any
// run of hits, each target's share is its weight's to within one hit.
// It is not safe for concurrent use.
type mix struct {
	weights, current []float64
	total            float64
}

func newMix(ts []Target) *mix {
	m := &mix{weights: make([]float64, len(ts)), current: make([]float64, len(ts))}
	for i, t := range ts {
		m.weights[i] = t.Weight
		m.total += t.Weight
	}
	return m
}

// next returns the index of the next target.
func (m *mix) next() int {
	best := 0
	for i, w := range m.weights {
		m.current[i] += w
		if m.current[i] > m.current[best] {
			best = i
		}
	}
	m.current[best] -= m.total
	return best
}

// Mix is what an attack, closed-loop users or the http workload send:
// one Request, or a mix of Targets by weight, each through a Sender of
// its own (Request's client, protocol, TLS and expected statuses, its
// header under each target's, its body where a target has none, as
// vegeta does). Next and Send are safe for concurrent use.
type Mix struct {
	targets []Target // nil: Request alone
	senders []Sender
	request Request
	about   []about // each request's method, URL and body length
	mu      sync.Mutex
	pick    *mix // nil with one sender
}

// about is what vegeta's results say of a request.
type about struct {
	method, url string
	body        int
}

// NewMix returns the mix of targets over r, or r alone when targets is
// empty; conns is how many idle connections net/http keeps, shared out
// over the targets.
func NewMix(client string, r Request, targets []Target, conns int, timeout time.Duration) (*Mix, error) {
	m := &Mix{targets: targets, request: r}
	if len(targets) == 0 {
		s, err := NewSender(client, r, conns, timeout)
		if err != nil {
			return nil, err
		}
		m.senders, m.about = []Sender{s}, []about{{r.Method, r.URL, len(r.Body)}}
		return m, nil
	}
	for i := range targets {
		ri := m.requestOf(i)
		m.about = append(m.about, about{ri.Method, ri.URL, len(ri.Body)})
		s, err := NewSender(client, ri, max(1, conns/len(targets)), timeout)
		if err != nil {
			m.CloseIdleConnections()
			return nil, fmt.Errorf("target %d: %v", i+1, err)
		}
		m.senders = append(m.senders, s)
	}
	if len(targets) > 1 {
		m.pick = newMix(targets)
	}
	return m, nil
}

// requestOf is the request target i sends.
func (m *Mix) requestOf(i int) Request {
	r := m.request
	if m.targets == nil {
		return r
	}
	t := m.targets[i]
	r.Method, r.URL, r.Body = t.Method, t.URL, t.Body
	r.Header = m.request.Header.Clone()
	if r.Header == nil {
		r.Header = http.Header{}
	}
	for k, vs := range t.Header {
		r.Header[k] = append(r.Header[k], vs...)
	}
	if len(r.Body) == 0 {
		r.Body = m.request.Body
	}
	return r
}

// Next returns the index of the next request to send.
func (m *Mix) Next() int {
	if m.pick == nil {
		return 0
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.pick.next()
}

// Fresh is a copy of m whose picking starts over, sharing m's senders:
// a batch's own walk of the mix, the same for each batch.
func (m *Mix) Fresh() *Mix {
	c := &Mix{targets: m.targets, senders: m.senders, request: m.request, about: m.about}
	if m.pick != nil {
		c.pick = newMix(m.targets)
	}
	return c
}

// Len is how many requests the mix holds.
func (m *Mix) Len() int { return len(m.senders) }

// Send sends request i (see Sender.Send).
func (m *Mix) Send(ctx context.Context, i int) (code int, bytesIn int64, err error) {
	return m.senders[i].Send(ctx)
}

// Name is request i's name, a task class of the results; "" for a lone
// request.
func (m *Mix) Name(i int) string {
	if m.targets == nil {
		return ""
	}
	return m.targets[i].Name
}

// Describe is request i's method, URL and body length, for vegeta's
// results.
func (m *Mix) Describe(i int) (method, url string, bodyBytes int) {
	a := m.about[i]
	return a.method, a.url, a.body
}

// Preconnect dials up to n connections in all, shared out over the
// requests (see preconnecter).
func (m *Mix) Preconnect(ctx context.Context, n int) {
	each := max(1, n/len(m.senders))
	for _, s := range m.senders {
		if p, ok := s.(preconnecter); ok {
			p.Preconnect(ctx, each)
		}
	}
}

// CloseIdleConnections closes every sender's idle connections.
func (m *Mix) CloseIdleConnections() {
	for _, s := range m.senders {
		s.CloseIdleConnections()
	}
}

// TargetCounts counts each named target's requests and errors, for the
// counters "<name>-requests" and "<name>-errors". It is safe for
// concurrent use.
type TargetCounts struct {
	mix    *Mix
	counts []struct{ requests, errors atomic.Int64 }
}

// NewTargetCounts returns zero counts for m's requests.
func NewTargetCounts(m *Mix) *TargetCounts {
	return &TargetCounts{mix: m, counts: make([]struct{ requests, errors atomic.Int64 }, m.Len())}
}

// Add counts one request to target i, failed or not.
func (c *TargetCounts) Add(i int, failed bool) {
	c.counts[i].requests.Add(1)
	if failed {
		c.counts[i].errors.Add(1)
	}
}

// Counters are the counts by name; nil for a lone request.
func (c *TargetCounts) Counters() results.Counters {
	if c.mix.targets == nil {
		return nil
	}
	out := results.Counters{}
	for i := range c.counts {
		name := c.mix.Name(i)
		out[name+"-requests"], out[name+"-errors"] = float64(c.counts[i].requests.Load()), float64(c.counts[i].errors.Load())
	}
	return out
}
