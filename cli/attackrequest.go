package cli

import (
	"flag"
	"fmt"
	"maps"
	"strconv"
	"strings"

	"github.com/concbench/concbench/harness/httpclient"
	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/harness/secret"
)

// requestFlags are bench attack's curl- and vegeta-style spellings of the
// http workload's request parameters: -H, -m, -body, -expect-status,
// -cacert, -cert, -key, -insecure, -targets and -targets-format stand for
// -param http.header, http.method, http.body, http.expect-status,
// http.cacert, http.cert, http.key, http.insecure, http.targets and
// http.targets-format.
type requestFlags struct {
	headers                    []string
	method, body, expectStatus string
	cacert, cert, key          string
	insecure                   string // "true" when given
	targets, targetsFormat     string
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
		if _, err := httpclient.ParseStatuses(v); err != nil {
			return err
		}
		r.expectStatus = v
		return nil
	})
	fs.StringVar(&r.targets, "targets", "", "attack a mix of requests from this file, in vegeta's http or json target format; '# name=login weight=3' before a target (json: \"name\", \"weight\") names it for a breakdown and thresholds (login.p99<200ms, login-errors<5) and weighs it; -H and -body apply to each")
	fs.StringVar(&r.targetsFormat, "targets-format", "", "the targets file's format: http or json (default: json when it begins with '{')")
	fs.StringVar(&r.cacert, "cacert", "", "https: PEM certificates to trust instead of the system's roots")
	fs.StringVar(&r.cert, "cert", "", "https: a client certificate, PEM (with -key)")
	fs.StringVar(&r.key, "key", "", "https: the client certificate's key, PEM")
	fs.BoolFunc("insecure", "https: accept any server certificate (a test service's; never a real one)", func(v string) error {
		on, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("%q: want true or false", v)
		}
		r.insecure = ""
		if on {
			r.insecure = "true"
		}
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
		{"cacert", "cacert", r.cacert},
		{"cert", "cert", r.cert},
		{"key", "key", r.key},
		{"insecure", "insecure", r.insecure},
		{"targets", "targets", r.targets},
		{"targets-format", "targets-format", r.targetsFormat},
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
