package httpclient

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/concbench/concbench/harness/input"
)

// TestTLSConfigNamesTheParameter: each bad TLS setting is bad input
// naming the parameter at fault.
func TestTLSConfigNamesTheParameter(t *testing.T) {
	dir := t.TempDir()
	junk := filepath.Join(dir, "junk.pem")
	if err := os.WriteFile(junk, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		tls   TLS
		field string
		want  string
	}{
		{"a CA file that is not there", TLS{CAFile: filepath.Join(dir, "none.pem")}, "cacert", "none.pem: no such file"},
		{"a CA file without a certificate", TLS{CAFile: junk}, "cacert", "holds no PEM certificate"},
		{"a certificate without its key", TLS{CertFile: junk}, "key", "needs its key"},
		{"a key without its certificate", TLS{KeyFile: junk}, "cert", "needs its certificate"},
		{"a pair that does not load", TLS{CertFile: junk, KeyFile: junk}, "cert", "junk.pem"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.tls.Config()
			ie, _ := input.As(err)
			if ie == nil || ie.Field != tc.field || !strings.Contains(ie.Problem, tc.want) {
				t.Errorf("%v: want bad input on %s saying %q", err, tc.field, tc.want)
			}
		})
	}
	if c, err := (TLS{}).Config(); c != nil || err != nil {
		t.Errorf("zero TLS: %v, %v; want nil, nil", c, err)
	}
}
