// Command chaoskit is scripts/chaos.sh's helper: a hostile target on
// loopback, and a counter of what a run folder kept.
//
//	chaoskit serve [-for 2m]   prints "target: URL" and serves, until -for:
//	                           /size/N    a body of N bytes
//	                           /endless   a chunked body that never ends
//	                           /hang      never answers
//	                           /malformed a response that is not HTTP
//	chaoskit count PATH...     for each results.json (or run folder):
//	                           "cells C reps R completed N warmup W complete B"
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/concbench/concbench/harness/results"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: chaoskit serve|count ...")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "serve":
		serve(os.Args[2:])
	case "count":
		count(os.Args[2:])
	default:
		fmt.Fprintf(os.Stderr, "chaoskit: unknown command %q\n", os.Args[1])
		os.Exit(2)
	}
}

func serve(args []string) {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	lasts := fs.Duration("for", 2*time.Minute, "stop after this long")
	fs.Parse(args)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "chaoskit:", err)
		os.Exit(1)
	}
	fmt.Printf("target: http://%s\n", ln.Addr())
	chunk := make([]byte, 64<<10)
	mux := http.NewServeMux()
	mux.HandleFunc("/size/", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.ParseInt(strings.TrimPrefix(r.URL.Path, "/size/"), 10, 64)
		w.Header().Set("Content-Length", strconv.FormatInt(n, 10))
		for ; n > 0 && r.Context().Err() == nil; n -= int64(len(chunk)) {
			if _, err := w.Write(chunk[:min(n, int64(len(chunk)))]); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/endless", func(w http.ResponseWriter, r *http.Request) {
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	mux.HandleFunc("/malformed", func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		buf.WriteString("HELLO THERE\r\nthis is not HTTP\r\n\r\n")
		buf.Flush()
		conn.Close()
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {}) // the probe
	go func() { time.Sleep(*lasts); os.Exit(0) }()
	http.Serve(ln, mux)
}

func count(paths []string) {
	for _, p := range paths {
		res, err := results.Read(p)
		if err != nil {
			fmt.Println("cells 0 reps 0 completed 0 warmup 0 complete false")
			continue
		}
		reps, done, warm := 0, 0, 0
		for _, c := range res.Cells {
			for _, r := range c.Repetitions {
				reps++
				done += r.Completed
				if r.Warmup {
					warm++
				}
			}
		}
		fmt.Printf("cells %d reps %d completed %d warmup %d complete %v\n", len(res.Cells), reps, done, warm, res.Complete)
	}
}
