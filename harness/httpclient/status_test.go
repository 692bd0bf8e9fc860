package httpclient

import (
	"errors"
	"testing"
)

func TestStatuses(t *testing.T) {
	for _, tc := range []struct {
		in        string
		succeed   []int
		fail      []int
		canonical string
	}{
		{"2xx", []int{200, 204, 299}, []int{199, 301, 404, 503}, "2xx"},
		{"200,201", []int{200, 201}, []int{202, 204, 404}, "200,201"},
		{"2xx, 404", []int{200, 404}, []int{403, 500}, "404,2xx"},
		{"3XX", []int{301, 304}, []int{200}, "3xx"},
	} {
		s, err := ParseStatuses(tc.in)
		if err != nil {
			t.Fatalf("ParseStatuses(%q): %v", tc.in, err)
		}
		for _, c := range tc.succeed {
			if s.Classify(c, nil) != nil {
				t.Errorf("%q: %d is an error", tc.in, c)
			}
		}
		for _, c := range tc.fail {
			var se *StatusError
			if err := s.Classify(c, nil); !errors.As(err, &se) || se.Code != c {
				t.Errorf("%q: %d classified %v, want a StatusError", tc.in, c, err)
			}
		}
		if s.String() != tc.canonical {
			t.Errorf("%q reads back as %q, want %q", tc.in, s, tc.canonical)
		}
	}
	if (Statuses{}).String() != "2xx" || Classify(404, nil) == nil || Classify(204, nil) != nil {
		t.Error("the zero value does not expect any 2xx, and only those")
	}
	for _, bad := range []string{"", "2yy", "600", "99", "6xx", "200,,201", "ok"} {
		if _, err := ParseStatuses(bad); err == nil {
			t.Errorf("ParseStatuses(%q) = nil error", bad)
		}
	}
}
