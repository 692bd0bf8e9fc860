package cli

import (
	"flag"
	"fmt"
	"maps"
	"strings"

	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/harness/load"
	"github.com/concbench/concbench/harness/secret"
)

// requestFlags are bench attack's curl- and vegeta-style spellings of the
// http workload's request parameters: -H, -m, -body and -expect-status
// stand for -param http.header, http.method, http.body and
// http.expect-status.
type requestFlags struct {
	headers                    []string
	method, body, expectStatus string
}

func (r *requestFlags) define(fs *flag.FlagSet) {
	fs.Func("H", "request header 'Name: value' (repeatable); secret headers' values are recorded as <redacted>", func(v string) error {
		name, value, ok := strings.Cut(v, ":")
		switch {
		case !ok || strings.TrimSpace(name) == "":
			return fmt.Errorf("%q: want 'Name: value'", secret.Redact(v))
		case strings.Contains(value, ";"):
			return fmt.Errorf("%s: the value holds ';', which separates headers here: put the headers in a file, one a line, and give -param http.header=@FILE", strings.TrimSpace(name))
		}
		r.headers = append(r.headers, v)
		return nil
	})
	fs.Func("m", "request method, in capitals (default GET)", func(v string) error {
		if v == "" || strings.IndexFunc(v, func(c rune) bool { return c < 'A' || c > 'Z' }) >= 0 {
			return fmt.Errorf("%q is not an HTTP method (capital letters)", v)
		}
		r.method = v
		return nil
	})
	fs.StringVar(&r.body, "body", "", "request body, or @file or @env:NAME (kept out of the records)")
	fs.Func("expect-status", "statuses that count as a success, codes and classes: 200,201 or 2xx,404 (default 2xx); any other is an error named by its status", func(v string) error {
		if _, err := load.ParseStatuses(v); err != nil {
			return err
		}
		r.expectStatus = v
		return nil
	})
}

// over lays the flags given over the http parameters, in a copy. A flag
// and -param for the same parameter is bad input: which one meant it?
func (r *requestFlags) over(params map[string]string) (map[string]string, error) {
	out := maps.Clone(params)
	if out == nil {
		out = map[string]string{}
	}
	for _, f := range []struct{ flag, param, value string }{
		{"H", "header", strings.Join(r.headers, "; ")},
		{"m", "method", r.method},
		{"body", "body", r.body},
		{"expect-status", "expect-status", r.expectStatus},
	} {
		if f.value == "" {
			continue
		}
		if _, ok := params[f.param]; ok {
			return nil, input.Errorf("-"+f.flag, "give it or -param http.%s, not both", f.param)
		}
		out[f.param] = f.value
	}
	return out, nil
}
