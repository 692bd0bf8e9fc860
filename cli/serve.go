package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/concbench/concbench/harness/rundir"
	"github.com/concbench/concbench/harness/target"
)

// serve runs the embedded target standalone on loopback until interrupted
// or, with -for, for a bounded time; it prints its address first and what
// it answered last.
func serve(ctx context.Context, args []string, stdout, _ io.Writer) error {
	fs := newFlagSet("serve")
	addr := fs.String("addr", "127.0.0.1:0", "loopback address to listen on (port 0: a free one)")
	lasts := fs.Duration("for", 0, "stop after this long (0: until interrupted)")
	certOut := fs.String("cert-out", "", "with -tls: write the target's certificate (PEM) to this file, for a client's -cacert (default: a file in the temporary folder)")
	config := target.Flags(fs, 0)
	if help, err := parseFlags(fs, args, stdout); help || err != nil {
		return err
	}
	cfg, err := config()
	if err != nil {
		return usagef("-%v", err)
	}
	if *lasts < 0 || *lasts > 24*time.Hour {
		return usagef("-for: %v is out of range [0, 24h]", *lasts)
	}
	s, err := target.Start(cfg, *addr)
	if err != nil {
		return usagef("-%v", err)
	}
	fmt.Fprintf(stdout, "target: %s\n", s.URL())
	if pem := s.CertPEM(); pem != nil {
		path, err := writeCert(*certOut, pem)
		if err != nil {
			s.Close()
			return usagef("-cert-out: %v", err)
		}
		fmt.Fprintf(stdout, "certificate: %s (trust it with -cacert %s)\n", path, path)
	}
	if *lasts > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *lasts)
		defer cancel()
	}
	<-ctx.Done()
	err = s.Close()
	st := s.Stats()
	fmt.Fprintf(stdout, "served %d, rejected %d (503), failed %d (500), peak in flight %d\n", st.Served, st.Rejected, st.Failed, st.PeakInFlight)
	return err
}

// writeCert writes pem to path, or to a new file in the temporary folder
// when path is empty, atomically, and returns the path.
func writeCert(path string, pem []byte) (string, error) {
	if path == "" {
		f, err := os.CreateTemp("", "concbench-target-*.pem")
		if err != nil {
			return "", err
		}
		defer f.Close()
		_, err = f.Write(pem)
		return f.Name(), err
	}
	return path, rundir.WriteFile(path, pem)
}
