package httpclient

import (
	"fmt"
	"strconv"
	"strings"
)

// Statuses are the response statuses a request expects, as codes (201)
// and classes (2xx); any other status is a StatusError. The zero value
// expects any 2xx.
type Statuses struct {
	codes   []int
	classes []int // 2 for 2xx
}

// ParseStatuses reads a comma-separated list of codes from 100 to 599 and
// classes from 1xx to 5xx: "200,201", "2xx,404".
func ParseStatuses(s string) (Statuses, error) {
	var out Statuses
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if len(f) == 3 && strings.HasSuffix(strings.ToLower(f), "xx") && f[0] >= '1' && f[0] <= '5' {
			out.classes = append(out.classes, int(f[0]-'0'))
			continue
		}
		code, err := strconv.Atoi(f)
		if err != nil || code < 100 || code > 599 {
			return Statuses{}, fmt.Errorf("%q is not a status code (100 to 599) or class (1xx to 5xx)", f)
		}
		out.codes = append(out.codes, code)
	}
	return out, nil
}

// Expects reports whether a response of status code is a success.
func (s Statuses) Expects(code int) bool {
	if len(s.codes) == 0 && len(s.classes) == 0 {
		return code >= 200 && code <= 299
	}
	for _, c := range s.codes {
		if c == code {
			return true
		}
	}
	for _, c := range s.classes {
		if code/100 == c {
			return true
		}
	}
	return false
}

// String writes the statuses as ParseStatuses reads them: "2xx" for the
// zero value.
func (s Statuses) String() string {
	if len(s.codes) == 0 && len(s.classes) == 0 {
		return "2xx"
	}
	var parts []string
	for _, c := range s.codes {
		parts = append(parts, strconv.Itoa(c))
	}
	for _, c := range s.classes {
		parts = append(parts, strconv.Itoa(c)+"xx")
	}
	return strings.Join(parts, ",")
}

// Classify is Classify with these statuses expected: a transport error,
// or a StatusError for a status not expected.
func (s Statuses) Classify(code int, err error) error {
	if err != nil {
		return &TransportError{Err: err, kind: transportKind(err)}
	}
	if !s.Expects(code) {
		return &StatusError{Code: code}
	}
	return nil
}
