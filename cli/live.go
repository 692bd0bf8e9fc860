package cli

import (
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/concbench/concbench/harness"
	"github.com/concbench/concbench/harness/dashboard"
	"github.com/concbench/concbench/harness/live"
	"github.com/concbench/concbench/harness/loopback"
	"github.com/concbench/concbench/harness/remotewrite"
	"github.com/concbench/concbench/harness/results"
)

// liveFlags are -dashboard and -remote-write, on run, attack, capacity
// and merge: who follows the work while it goes.
type liveFlags struct {
	dashboard   loopbackAddr
	remoteWrite remoteURL
}

func defineLiveFlags(fs *flag.FlagSet) *liveFlags {
	l := &liveFlags{}
	fs.Var(&l.dashboard, "dashboard", "serve a live page of the work on this loopback address (127.0.0.1:0: a free port) and print its URL")
	fs.Var(&l.remoteWrite, "remote-write", "send the work's series each second to this Prometheus remote-write URL (http://host:9090/api/v1/write)")
	return l
}

// loopbackAddr is a host:port whose host is a loopback address.
type loopbackAddr string

func (a *loopbackAddr) String() string { return string(*a) }

func (a *loopbackAddr) Set(s string) error {
	if err := loopback.Addr(s); err != nil {
		return fmt.Errorf("%v (the dashboard serves this machine only)", err)
	}
	*a = loopbackAddr(s)
	return nil
}

// remoteURL is a remote-write endpoint.
type remoteURL struct{ u *url.URL }

func (r *remoteURL) String() string {
	if r == nil || r.u == nil {
		return ""
	}
	return r.u.Redacted()
}

func (r *remoteURL) Set(s string) (err error) {
	r.u, err = remotewrite.ParseURL(s)
	return err
}

// watch follows one command's work for the dashboard and remote write;
// the nil *watch (neither flag given) does nothing.
type watch struct {
	feed   *live.Feed
	dash   *dashboard.Server
	remote *remotewrite.Writer
	stderr io.Writer
}

// start begins following the work of command, named run (shard "" unless
// one shard of an attack), and prints the dashboard's URL.
func (l *liveFlags) start(command, run, shard string, stderr io.Writer) (*watch, error) {
	if l.dashboard == "" && l.remoteWrite.u == nil {
		return nil, nil
	}
	w := &watch{feed: live.NewFeed(live.Start{Command: command, Run: run, Shard: shard}), stderr: stderr}
	if l.dashboard != "" {
		d, err := dashboard.Start(string(l.dashboard), w.feed)
		if err != nil {
			return nil, usagef("-dashboard: %v", err)
		}
		w.dash = d
		fmt.Fprintf(stderr, "dashboard: %s\n", d.URL())
	}
	if u := l.remoteWrite.u; u != nil {
		r, err := remotewrite.Start(w.feed, u, run, shard, func(err error) { fmt.Fprintln(stderr, "warning:", err) })
		if err != nil {
			w.close()
			return nil, usagef("-remote-write: %v", err)
		}
		w.remote = r
	}
	return w, nil
}

// progress reports where a run is.
func (w *watch) progress(p harness.Progress) {
	if w == nil {
		return
	}
	w.feed.Progress(live.Progress{Labels: live.Labels{Workload: p.Workload, Strategy: p.Strategy, Limit: p.Limit},
		Cell: p.Cell, Cells: p.Cells, Name: p.Name, Rep: p.Rep, Reps: p.Reps, Warmup: p.Warmup, Elapsed: p.Elapsed})
}

// cells reports the cells of res that have ended.
func (w *watch) cells(res *results.Results, dir string) {
	if w != nil {
		w.feed.Cells(res, dir)
	}
}

// done reports the end, res saved in dir, and stops following once the
// pages have the report and remote write has sent what it has.
func (w *watch) done(res *results.Results, dir string) {
	if w == nil {
		return
	}
	if res == nil {
		res = &results.Results{}
	}
	report := filepath.Join(dir, "report.html")
	_, err := os.Stat(report)
	if w.dash != nil && err == nil {
		w.dash.SetReport(report)
	}
	w.feed.Done(res, dir, err == nil)
	w.close()
}

// shown reports the end, as done does, but first waits for a page to
// open the dashboard, up to dashboard.Linger: for work too short to watch
// as it goes (a merge), whose page is its report.
func (w *watch) shown(res *results.Results, dir string) {
	if w != nil && w.dash != nil {
		fmt.Fprintf(w.stderr, "dashboard: waiting up to %v for a page to open %s\n", dashboard.Linger, w.dash.URL())
		w.dash.AwaitPage(dashboard.Linger)
	}
	w.done(res, dir)
}

func (w *watch) close() {
	if w.dash != nil {
		w.dash.Close() //nolint:errcheck // nothing to do about it
	}
	if w.remote != nil {
		msg, err := w.remote.Close()
		if err != nil {
			msg += " (failed: " + err.Error() + ")"
		}
		fmt.Fprintln(w.stderr, msg)
	}
}

// runName is the run label of the series a run writes: its folder's name,
// or for one shard of an attack the label all shards share (-label, or
// else -start-at), so that Prometheus adds the shards up.
func runName(dir, label string, shard bool, startAt time.Time) string {
	switch {
	case shard && label != "":
		return label
	case shard && !startAt.IsZero():
		return "shards-" + startAt.UTC().Format("20060102-150405")
	default:
		return filepath.Base(dir)
	}
}
