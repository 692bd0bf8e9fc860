// Package secret keeps credentials out of everything concbench writes:
// header values whose names are sensitive are replaced by Redacted in the
// records a run keeps (its plan, command line and scenario), so that
// results.json, summary.md, report.html, the charts and bundles never
// hold them. The values themselves stay in the process that sends them.
package secret

import (
	"regexp"
	"strings"
	"sync"
)

// Redacted replaces a sensitive header's value.
const Redacted = "<redacted>"

// DefaultHeaders are the header names treated as secret without being
// named: credentials and session tokens.
var DefaultHeaders = []string{"Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie", "X-Api-Key", "X-Auth-Token"}

var (
	mu      sync.RWMutex
	names   = append([]string(nil), DefaultHeaders...)
	pattern = compile(names)
)

// AddHeader marks one more header name as secret (case does not matter),
// for the rest of the process: bench's -secret-header flag.
func AddHeader(name string) {
	mu.Lock()
	defer mu.Unlock()
	for _, n := range names {
		if strings.EqualFold(n, name) {
			return
		}
	}
	names = append(names, name)
	pattern = compile(names)
}

// IsHeader reports whether the header name is secret.
func IsHeader(name string) bool {
	mu.RLock()
	defer mu.RUnlock()
	for _, n := range names {
		if strings.EqualFold(n, strings.TrimSpace(name)) {
			return true
		}
	}
	return false
}

// Redact replaces, in free text, a URL's password and the value of every "Name: value" whose
// name is secret: up to the next ';', line end or quote, the separators
// headers are written with in flags, parameters and scenario files. The
// rest of the text is left as it is.
func Redact(s string) string {
	mu.RLock()
	p := pattern
	mu.RUnlock()
	return userinfo.ReplaceAllString(p.ReplaceAllString(s, "${1}${2}"+Redacted), "${1}"+Redacted+"@")
}

// userinfo is a URL's password: scheme://user:password@host.
var userinfo = regexp.MustCompile(`(://[^/\s:@]*:)[^@/\s]+@`)

// Strings redacts each of ss into a new slice.
func Strings(ss []string) []string {
	if ss == nil {
		return nil
	}
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = Redact(s)
	}
	return out
}

// Map redacts each value of m into a new map.
func Map(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = Redact(v)
	}
	return out
}

// compile matches a secret header name, not inside a longer name, then its
// separator, then a value (never empty, so Redacted is not redacted again).
func compile(names []string) *regexp.Regexp {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = regexp.QuoteMeta(n)
	}
	return regexp.MustCompile(`(?i)((?:^|[^A-Za-z0-9_-])(?:` + strings.Join(quoted, "|") + `))(\s*:[ \t]*)([^;\r\n"'<\s][^;\r\n"']*)`)
}
