package secret

import (
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"Authorization: Bearer abc.def":                   "Authorization: <redacted>",
		"Accept: text/html; authorization:Basic eHg6eXk=": "Accept: text/html; authorization:<redacted>",
		`http.header=Cookie: a=1; X-Trace: 7`:             `http.header=Cookie: <redacted>; X-Trace: 7`,
		"header: \"X-Api-Key: k1\"\nbody: x":              "header: \"X-Api-Key: <redacted>\"\nbody: x",
		"My-Authorization-Info: public":                   "My-Authorization-Info: public",
		"Authorization: <redacted>":                       "Authorization: <redacted>",
		"-target http://ann:pw1@127.0.0.1:8080/x":         "-target http://ann:<redacted>@127.0.0.1:8080/x",
		"no headers here":                                 "no headers here",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAddHeader(t *testing.T) {
	if IsHeader("X-Session") {
		t.Fatal("X-Session is secret before it was added")
	}
	AddHeader("x-session")
	if !IsHeader("X-Session") {
		t.Fatal("X-Session is not secret after AddHeader")
	}
	if got := Redact("X-Session: s3cr3t; Accept: */*"); strings.Contains(got, "s3cr3t") {
		t.Errorf("added header not redacted: %q", got)
	}
}
