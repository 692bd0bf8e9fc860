package httpclient

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"

	"github.com/concbench/concbench/harness/input"
)

// TLS is how an attack's or a workload's HTTPS connections are checked
// and authenticated: the roots it trusts beside or instead of the
// system's, a client certificate, or no check at all. The zero value
// trusts the system's roots and sends no certificate.
type TLS struct {
	CAFile            string         // PEM certificates to trust instead of the system's roots
	CertFile, KeyFile string         // a client certificate and its key, PEM, both or neither
	Insecure          bool           // accept any server certificate: for a test service, never a real one
	Roots             *x509.CertPool // trusted too (the embedded target's own certificate); with CAFile, beside it
}

// Config returns the tls.Config t describes, nil for the zero value. Its
// errors name the parameter at fault (cacert, cert, key).
func (t TLS) Config() (*tls.Config, error) {
	if t == (TLS{}) {
		return nil, nil
	}
	c := &tls.Config{RootCAs: t.Roots, InsecureSkipVerify: t.Insecure, MinVersion: tls.VersionTLS12} //nolint:gosec // Insecure is the user's explicit choice
	if t.CAFile != "" {
		pem, err := os.ReadFile(t.CAFile)
		if err != nil {
			return nil, input.Errorf("cacert", "%v", unwrapPath(err))
		}
		if c.RootCAs == nil {
			c.RootCAs = x509.NewCertPool()
		} else {
			c.RootCAs = c.RootCAs.Clone()
		}
		if !c.RootCAs.AppendCertsFromPEM(pem) {
			return nil, input.Errorf("cacert", "%s holds no PEM certificate", t.CAFile)
		}
	}
	switch {
	case t.CertFile != "" && t.KeyFile == "":
		return nil, input.Errorf("key", "a client certificate (cert) needs its key")
	case t.KeyFile != "" && t.CertFile == "":
		return nil, input.Errorf("cert", "a client key (key) needs its certificate")
	case t.CertFile != "":
		pair, err := tls.LoadX509KeyPair(t.CertFile, t.KeyFile)
		if err != nil {
			return nil, input.Errorf("cert", "%s and %s: %v", t.CertFile, t.KeyFile, unwrapPath(err))
		}
		c.Certificates = []tls.Certificate{pair}
	}
	return c, nil
}

// unwrapPath drops the operation from a file error, keeping the path
// and the cause: "open a.pem: no such file" reads "a.pem: no such file".
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %v", pe.Path, pe.Err)
	}
	return err
}
