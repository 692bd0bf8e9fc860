package httpclient

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/concbench/concbench/harness/results"
)

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

// Add counts one request to target i, failed or not; nothing for a lone
// request, which has no counters (two atomic adds a request saved).
func (c *TargetCounts) Add(i int, failed bool) {
	if c.mix.targets == nil {
		return
	}
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

// Wire is a request as it goes on the wire over plain HTTP/1.1, for a
// sender that writes its own connections (an attack's event loop).
type Wire struct {
	Addr       string // host:port
	Bytes      []byte // the request, head and body
	Head       bool   // a HEAD, whose response has no body
	Idempotent bool   // may be sent twice (GET, HEAD, PUT, DELETE, OPTIONS, TRACE)
}

// Wire is request i on the wire; false unless it goes in the clear
// through fasthttp (not over TLS or HTTP/2, not through net/http).
func (m *Mix) Wire(i int) (Wire, bool) {
	f, ok := m.senders[i].(*fastSender)
	if !ok || f.client.IsTLS {
		return Wire{}, false
	}
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	if err := f.template.Write(w); err != nil || w.Flush() != nil {
		return Wire{}, false
	}
	h := &f.template.Header
	return Wire{Addr: f.addr, Bytes: b.Bytes(), Head: h.IsHead(),
		Idempotent: h.IsGet() || h.IsHead() || h.IsPut() || h.IsDelete() || h.IsOptions() || h.IsTrace()}, true
}
