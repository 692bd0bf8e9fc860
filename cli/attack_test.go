package cli

import (
	"bytes"
	"context"
	"encoding/pem"
	"flag"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/concbench/concbench/harness/load"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/target"
	"github.com/concbench/concbench/scenario"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// TestAttackWritesVegetaEncodings attacks the embedded target and reads the
// results back with vegeta's own decoders, in each encoding.
func TestAttackWritesVegetaEncodings(t *testing.T) {
	for _, format := range []string{"gob", "json", "csv"} {
		t.Run(format, func(t *testing.T) {
			out := t.TempDir()
			code, stdout, stderr := bench(t, context.Background(), "attack", "-rate", "200/s", "-duration", "500ms",
				"-param", "http.latency=1ms", "-param", "http.size=100", "-encode", format, "-out", out)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			files, _ := filepath.Glob(filepath.Join(out, "*", "vegeta-200pers-1."+format))
			if len(files) != 1 {
				t.Fatalf("vegeta files %v\n%s", files, stdout)
			}
			data, _ := os.ReadFile(files[0])
			dec := vegeta.DecoderFor(bytes.NewReader(data))
			if format == "csv" {
				dec = vegeta.NewCSVDecoder(bytes.NewReader(data))
			}
			n := 0
			for {
				var r vegeta.Result
				if err := dec.Decode(&r); err == io.EOF {
					break
				} else if err != nil {
					t.Fatalf("vegeta cannot decode result %d: %v", n, err)
				}
				if r.Code != 200 || r.BytesIn != 100 {
					t.Errorf("result %d: code %d, %d bytes in; want 200 and the body's 100 (read, kept nowhere, counted)", n, r.Code, r.BytesIn)
				}
				n++
			}
			// Every request sent is in the file; on a loaded machine the
			// generator may drop one it could not send in time, and says so.
			rep := onlyRun(t, out).Cells[0].Repetitions[0]
			if n != rep.Completed || rep.Completed+rep.Dropped != 100 || n < 95 {
				t.Errorf("decoded %d results; the attack completed %d and dropped %d; want every completed one, of 100 (200/s for 500ms)", n, rep.Completed, rep.Dropped)
			}
			if !strings.Contains(stdout, "http 200/s") || !strings.Contains(stdout, "dropped") {
				t.Errorf("no attack table:\n%s", stdout)
			}
		})
	}
}

// TestAttackWritesIntervalLogAndSpectrum attacks at 200/s for 2 s: the
// HdrHistogram interval log holds an interval a second that the
// HdrHistogram log reader reads back, 400 responses in all, and the
// spectrum is wrk2's.
func TestAttackWritesIntervalLogAndSpectrum(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := bench(t, context.Background(), "attack", "-rate", "200/s", "-duration", "2s",
		"-param", "http.latency=1ms", "-encode", "none", "-out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	logs, _ := filepath.Glob(filepath.Join(out, "*", "hdr-200pers-1.hlog"))
	spectra, _ := filepath.Glob(filepath.Join(out, "*", "spectrum-200pers-1.txt"))
	vegetas, _ := filepath.Glob(filepath.Join(out, "*", "vegeta-*"))
	if len(logs) != 1 || len(spectra) != 1 || len(vegetas) != 0 {
		t.Fatalf("interval logs %v, spectra %v, vegeta files %v", logs, spectra, vegetas)
	}
	f, err := os.Open(logs[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := hdrhistogram.NewHistogramLogReader(f)
	intervals, total := 0, int64(0)
	for {
		h, err := r.NextIntervalHistogram()
		if err != nil {
			t.Fatal(err)
		}
		if h == nil {
			break
		}
		intervals++
		total += h.TotalCount()
	}
	// Every response sent is in the log; a loaded machine may drop a few
	// of the 400 it could not send in time, and says so.
	rep := onlyRun(t, out).Cells[0].Repetitions[0]
	if intervals < 2 || intervals > 3 || total != int64(rep.Completed) || rep.Completed+rep.Dropped != 400 || total < 380 {
		t.Errorf("%d intervals holding %d responses; the attack sent %d and dropped %d; want 2 or 3 intervals and every one sent, of 400", intervals, total, rep.Completed, rep.Dropped)
	}
	spectrum, _ := os.ReadFile(spectra[0])
	if !strings.Contains(string(spectrum), "Value\tPercentile\tTotalCount\t1/(1-Percentile)") || !strings.Contains(string(spectrum), fmt.Sprintf("Total count    = %12d", total)) {
		t.Errorf("spectrum:\n%s", spectrum)
	}
}

// TestAttackStages ramps up to 200/s over a second and down over the
// next: the stages table and results.json give each stage what it
// scheduled and completed.
func TestAttackStages(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := bench(t, context.Background(), "attack", "-stages", "1s:200,1s:0", "-param", "http.latency=1ms", "-encode", "none", "-out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "Stages (of each cell's first whole repetition):") || !strings.Contains(stdout, "0.0→200/s") {
		t.Errorf("no stages table:\n%s", stdout)
	}
	res := onlyRun(t, out)
	rep := res.Cells[0].Repetitions[0]
	st := rep.Stages
	// A loaded machine may drop a few it could not send in time, and says so.
	if len(st) != 2 || st[0].Scheduled != 100 || st[1].Scheduled != 100 || st[0].Completed+st[1].Completed != rep.Completed ||
		rep.Completed+rep.Dropped != 200 || st[0].To != 200 {
		t.Errorf("stages %+v: want two of 100 scheduled, all 200 sent or dropped, the stages holding every one sent (%d, %d dropped)", st, rep.Completed, rep.Dropped)
	}
	if res.Plan.Workloads[0].Params["stages"] != "1s:200,1s:0" {
		t.Errorf("params %v", res.Plan.Workloads[0].Params)
	}
	dirs, _ := filepath.Glob(filepath.Join(out, "*"))
	legibleCharts(t, dirs[0])
}

// TestAttackUsers ramps closed-loop users up to 4 and down: every
// request completes, the stages table counts users, and the vegeta file
// holds every result.
func TestAttackUsers(t *testing.T) {
	out := t.TempDir()
	code, stdout, stderr := bench(t, context.Background(), "attack", "-users", "500ms:4,500ms:0", "-param", "http.latency=5ms", "-encode", "json", "-out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "http users") || !strings.Contains(stdout, "0.0→4.0 users") {
		t.Errorf("table:\n%s", stdout)
	}
	c := onlyRun(t, out).Cells[0]
	files, _ := filepath.Glob(filepath.Join(out, "*", "vegeta-users-1.json"))
	data, _ := os.ReadFile(files[0])
	if c.Strategy != "closed-loop" || c.Limit != 4 || c.Summary.Completed < 50 || c.Summary.ErrorCount() != 0 ||
		bytes.Count(data, []byte("\n")) != c.Summary.Completed {
		t.Errorf("cell %s %d: completed %d, errors %v, %d results in the vegeta file", c.Strategy, c.Limit, c.Summary.Completed, c.Summary.Errors, bytes.Count(data, []byte("\n")))
	}
}

func TestAttackRejectsBadInput(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-rate", "0/s"}, `-rate: "0/s": want a whole number of requests above 0`},
		{[]string{"-rate", "NaN"}, `-rate: "NaN"`},
		{[]string{"-rates", "100,abc"}, `-rates: "abc"`},
		{[]string{"-rates", "10,20,10"}, "-rates: 10 appears twice (as 10/s)"},
		{[]string{"-rates", "10,100/10s"}, "-rates: 100/10s appears twice (as 10/s)"},
		{[]string{"-stages", "1s:100", "-rate", "50/s"}, "-stages: the stages set the rate; leave -rate out"},
		{[]string{"-duration", "1e400s"}, `invalid value "1e400s" for flag -duration`},
		{[]string{"-duration", "0s"}, "-duration: 0s is out of range"},
		{[]string{"-max-workers", "0"}, "-max-workers: 0 is out of range"},
		{[]string{"-encode", "xml"}, `-encode: "xml"`},
		{[]string{"-pacer", "square"}, `-pacer: "square" is not one of constant, linear, sine`},
		{[]string{"-pacer", "sine", "-rate", "100/s", "-sine-amp", "200/s"}, "-sine-amp: 200/s must be below the mean rate 100/s"},
		{[]string{"-slo", "p99<fast"}, `-slo: "p99<fast"`},
		{[]string{"-target", "ftp://127.0.0.1/"}, `-target: "ftp://127.0.0.1/" is not an http or https URL`},
		{[]string{"-target", "http://127.0.0.1:1/"}, "refused the connection"},
		{[]string{"-param", "io.latency=1ms"}, "-param io: attack takes only http.* parameters"},
		{[]string{"-stages", "1s"}, `-stages: "1s": want duration:rate`},
		{[]string{"-users", "1s:2.5"}, "-users: 2.5 users: want a whole number"},
		{[]string{"-users", "1s:4", "-rate", "100/s"}, "-users: closed-loop users have no rate"},
		{[]string{"-stages", "1s:100", "-duration", "5s"}, "-stages: the stages set the duration"},
		{[]string{"-stages", "1s:100", "-rates", "100,200"}, "-stages: one staged attack"},
		{[]string{"-rate", "10000000/s", "-duration", "1h", "-encode", "json"}, "-duration: the attack schedules 36000000000 requests, about 10.5TiB"},
		{[]string{"-expect-status", "2yy"}, `invalid value "2yy" for flag -expect-status: "2yy" is not a status code (100 to 599) or class (1xx to 5xx)`},
		{[]string{"-param", "http.expect-status=600"}, `http.expect-status: "600" is not a status code`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			out := t.TempDir()
			code, stdout, stderr := bench(t, context.Background(), append(append([]string{"attack"}, tt.args...), "-out", out)...)
			if code != 2 || !strings.Contains(stderr, tt.want) || strings.Count(stderr, "\n") != 1 || stdout != "" {
				t.Errorf("exit %d, stderr %q; want exit 2 and one line containing %q", code, stderr, tt.want)
			}
			if entries, _ := os.ReadDir(out); len(entries) != 0 {
				t.Error("bad input left a folder")
			}
		})
	}
}

func TestServeRejectsBadInput(t *testing.T) {
	for _, tt := range []struct{ args, want string }{
		{"-dist weird", `bench: -dist: "weird" is not one of constant, uniform, lognormal`},
		{"-spread -1", "bench: -spread: -1 must be >= 0"},
		{"-addr 0.0.0.0:0", "loopback"},
	} {
		code, stdout, stderr := bench(t, context.Background(), append([]string{"serve", "-for", "1s"}, strings.Fields(tt.args)...)...)
		if code != 2 || !strings.Contains(stderr, tt.want) || stdout != "" {
			t.Errorf("serve %s: exit %d, %q; want 2 and %q, and no target started", tt.args, code, stderr, tt.want)
		}
	}
}

func TestServeRunsForABoundedTime(t *testing.T) {
	code, stdout, stderr := bench(t, context.Background(), "serve", "-for", "200ms", "-latency", "1ms")
	if code != 0 || !strings.HasPrefix(stdout, "target: http://127.0.0.1:") || !strings.Contains(stdout, "served 0") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	code, _, stderr = bench(t, context.Background(), "serve", "-addr", "192.168.1.1:80")
	if code != 2 || !strings.Contains(stderr, "not a loopback address") {
		t.Errorf("serve on a non-loopback address: exit %d, %q", code, stderr)
	}
	// A port in use is a problem with -addr, named so.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	code, _, stderr = bench(t, context.Background(), "serve", "-addr", ln.Addr().String(), "-for", "1ms")
	if code != 2 || !strings.HasPrefix(stderr, "bench: -addr: listen tcp ") {
		t.Errorf("serve on a port in use: exit %d, %q", code, stderr)
	}
}

const rampScenario = `schema: concbench/scenario/v1
name: ramp
workloads:
  api:
    family: http
    params: {latency: 1ms}
attack:
  stages:
    - {duration: 500ms, target: 200}
    - 500ms:0
  max_workers: 64
  encode: none
thresholds:
  - "p99 < 5s"
  - "api stages: errors < 20%"
`

// TestAttackScenario runs the attack section of a scenario file: its
// stages, settings, workload parameters and thresholds, as flags would.
// Flags given override the file.
func TestAttackScenario(t *testing.T) {
	f := filepath.Join(t.TempDir(), "ramp.yaml")
	os.WriteFile(f, []byte(rampScenario), 0o644)
	out := t.TempDir()
	code, stdout, stderr := bench(t, context.Background(), "attack", "-f", f, "-out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "thresholds: 2 met, 0 failed") {
		t.Errorf("no verdicts:\n%s", stdout)
	}
	res := onlyRun(t, out)
	c := res.Cells[0]
	t.Logf("%d completed, %d dropped, errors %v", c.Summary.Completed, c.Summary.Dropped, c.Summary.Errors)
	// Counts add up on any machine: what a loaded one could not send in
	// time is dropped, and said so.
	if c.Workload != "api stages" || c.Limit != 64 || c.Summary.Completed+c.Summary.Dropped != 100 || res.Plan.Workloads[0].Params["latency"] != "1ms" ||
		res.Plan.Workloads[0].Params["stages"] != "500ms:200,500ms:0" {
		t.Errorf("cell %s limit %d, %d completed, params %v", c.Workload, c.Limit, c.Summary.Completed, res.Plan.Workloads[0].Params)
	}
	if res.Scenario == nil || res.Scenario.Content != rampScenario || len(res.Thresholds) != 2 {
		t.Errorf("scenario %+v, thresholds %+v", res.Scenario, res.Thresholds)
	}
	if files, _ := filepath.Glob(filepath.Join(out, "*", "vegeta-*")); len(files) != 0 {
		t.Errorf("encode: none wrote %v", files)
	}

	// A flag overrides its key; a threshold that fails sets exit 1.
	out = t.TempDir()
	code, _, stderr = bench(t, context.Background(), "attack", "-f", f, "-stages", "500ms:100", "-max-workers", "8", "-out", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if c := onlyRun(t, out).Cells[0]; c.Limit != 8 || c.Summary.Completed+c.Summary.Dropped != 25 {
		t.Errorf("with flags: limit %d, %d completed and %d dropped; want 8 and 25 in all", c.Limit, c.Summary.Completed, c.Summary.Dropped)
	}
	// -quick keeps the shape in a second: the stages scaled alike.
	out = t.TempDir()
	code, _, stderr = bench(t, context.Background(), "attack", "-f", f, "-stages", "2s:100,2s:0", "-quick", "-out", out)
	if res := onlyRun(t, out); code != 0 || res.Plan.Workloads[0].Params["stages"] != "500ms:100,500ms:0" || res.Cells[0].Summary.Completed+res.Cells[0].Summary.Dropped != 50 {
		t.Errorf("-quick: exit %d (%s), stages %s, %d completed; want 500ms:100,500ms:0 and 50", code, stderr, res.Plan.Workloads[0].Params["stages"], res.Cells[0].Summary.Completed)
	}
	tight := filepath.Join(t.TempDir(), "tight.yaml")
	os.WriteFile(tight, []byte(strings.Replace(rampScenario, "p99 < 5s", "p99 < 1us", 1)), 0o644)
	code, _, stderr = bench(t, context.Background(), "attack", "-f", tight, "-out", t.TempDir())
	if code != 1 || !strings.Contains(stderr, "failed: threshold p99 < 1us: api stages open-loop 64") {
		t.Errorf("a failing threshold: exit %d, %q", code, stderr)
	}
}

// TestAttackScenarioRejectsBadInput: a bad value in a file is one line
// naming the file, the line and the key; nothing is written.
func TestAttackScenarioRejectsBadInput(t *testing.T) {
	for _, c := range []struct {
		file string
		args []string
		want string
	}{
		{"attack:\n  stages: [1s:100, 1x:5]\n", nil, `x.yaml:3: attack.stages: "1x:5": "1x" is not a duration`},
		{"attack:\n  stages: 1s:100\n  duration: 3s\n", nil, "x.yaml:3: attack.stages: the stages set the duration; leave attack.duration out"},
		{"attack:\n  stages: 1s:100\n", []string{"-duration", "3s"}, "x.yaml:3: attack.stages: the stages set the duration; leave -duration out"},
		{"attack:\n  timeout: soon\n", nil, `x.yaml:3: attack.timeout: "soon": want a duration, such as 2s`},
		{"attack:\n  max_workers: -3\n", nil, `x.yaml:3: attack.max_workers: "-3": want a whole number`},
		{"attack:\n  max_workers: 0\n", nil, "x.yaml:3: attack.max_workers: 0 is out of range 1..100000"},
		{"attack:\n  pacer: sine\n  sine_amp: 900/s\n", nil, "x.yaml:4: attack.sine_amp: 900/s must be below the mean rate 500/s"},
		{"attack:\n  slo: p99<fast\n", nil, `x.yaml:3: attack.slo: "p99<fast"`},
		{"workloads:\n  api:\n    family: http\n    params: {latncy: 1ms}\nattack: {}\n", nil, "x.yaml:5: workloads.api.params.latncy: unknown parameter"},
		{"attack: {rates: [10/s]}\nthresholds: [\"htp 10/s: p99 < 1s\"]\n", nil, `x.yaml:3: thresholds[0]: selector "htp 10/s" matches no cell of the plan; did you mean "http 10/s"?`},
		{"attack: {}\n", []string{"-param", "http.latency=1ms"}, "-param: set parameters in the scenario file"},
		{"workloads: {io: {}}\nstrategies: [pool]\n", nil, "has no attack section; run it with bench run -f"},
	} {
		t.Run(c.want, func(t *testing.T) {
			f := filepath.Join(t.TempDir(), "x.yaml")
			os.WriteFile(f, []byte("schema: concbench/scenario/v1\n"+c.file), 0o644)
			out := t.TempDir()
			code, stdout, stderr := bench(t, context.Background(), append([]string{"attack", "-f", f, "-out", out}, c.args...)...)
			if code != 2 || !strings.Contains(stderr, c.want) || strings.Count(stderr, "\n") != 1 || stdout != "" {
				t.Errorf("exit %d, stderr %q; want exit 2 and one line containing %q", code, stderr, c.want)
			}
			if entries, _ := os.ReadDir(out); len(entries) != 0 {
				t.Error("bad input left a folder")
			}
		})
	}
	// bench run and bench validate tell an attack file apart.
	f := filepath.Join(t.TempDir(), "ramp.yaml")
	os.WriteFile(f, []byte(rampScenario), 0o644)
	if code, _, stderr := bench(t, context.Background(), "run", "-f", f); code != 2 || !strings.Contains(stderr, "is an attack scenario (it has an attack section); run it with bench attack -f") {
		t.Errorf("bench run of an attack file: exit %d, %q", code, stderr)
	}
	if code, stdout, stderr := bench(t, context.Background(), "validate", "-f", f); code != 0 || !strings.Contains(stdout, "attack, open loop, stages 500ms:200,500ms:0, 1s an attack, 2 thresholds") {
		t.Errorf("validate: exit %d, %q %q", code, stdout, stderr)
	}
}

// TestAttackKeysAreFlags: every key of a scenario's attack section is a
// flag of bench attack, so that the file can say what the command line can.
func TestAttackKeysAreFlags(t *testing.T) {
	fs := newFlagSet("attack")
	defineAttackFlags(fs)
	keyed := map[string]bool{}
	for _, k := range scenario.AttackKeys {
		flag := scenario.Setting{Key: k}.Flag()
		keyed[flag] = true
		if fs.Lookup(flag) == nil {
			t.Errorf("attack.%s is no flag of bench attack", k)
		}
	}
	// Set elsewhere in a file (target, output, the workload's params), or
	// about one process of a run rather than the attack (what it prints
	// and who watches it live included).
	elsewhere := map[string]bool{"f": true, "target": true, "out": true, "label": true, "param": true, "secret-header": true,
		"quick": true, "shard": true, "start-at": true, "bundle": true, "format": true, "dashboard": true, "remote-write": true}
	fs.VisitAll(func(f *flag.Flag) {
		if !keyed[f.Name] && !elsewhere[f.Name] {
			t.Errorf("-%s has no key in a scenario's attack section", f.Name)
		}
	})
}

// TestLiveLineShowsTheStage: a staged attack's live line names the stage
// each second belongs to.
func TestLiveLineShowsTheStage(t *testing.T) {
	var out syncBuffer
	p := &progress{w: &out, on: true}
	stages := []load.Stage{{Duration: 2 * time.Second, Target: 100}, {Duration: 3 * time.Second, Target: 1000}}
	l := &liveSink{Sink: nopSink{}, progress: p, what: "attack http stages (1/1)", duration: 5 * time.Second, stages: stages, began: time.Now()}
	for i, want := range []string{"stage 1/2 (to 100)", "stage 1/2 (to 100)", "stage 2/2 (to 1000)"} {
		l.Interval(results.Interval{Start: time.Duration(i) * time.Second, Length: time.Second, Span: results.Span{Completed: 100}}, time.Now(), nil)
		if got := out.String(); !strings.HasSuffix(got, want) {
			t.Errorf("second %d: line %q, want it to end %q", i, got[strings.LastIndex(got, "\r"):], want)
		}
	}
	p.clear()
}

type nopSink struct{}

func (nopSink) Result(*vegeta.Result) error { return nil }
func (nopSink) Interval(results.Interval, time.Time, *results.Histogram) error {
	return nil
}
func (nopSink) Close(results.Repetition, bool) error { return nil }

// TestAttackWithNoSuccessFails attacks a target that fails every request,
// then one that answers the probe and hangs after: both exit 1 with
// run's warning, and the hung requests count as timeouts.
func TestAttackWithNoSuccessFails(t *testing.T) {
	out := t.TempDir()
	code, _, stderr := bench(t, context.Background(), "attack", "-rate", "20/s", "-duration", "1s", "-param", "http.error-rate=1", "-encode", "none", "-out", out)
	if code != 1 || !strings.Contains(stderr, "no task succeeded in 1 cells") || !strings.Contains(stderr, "warning:") {
		t.Errorf("every request failed: exit %d, stderr %q; want exit 1 and a warning", code, stderr)
	}
	var seen atomic.Int32
	hang := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if seen.Add(1) > 1 { // the probe is answered
			<-r.Context().Done()
		}
	}))
	defer hang.Close()
	out = t.TempDir()
	code, _, stderr = bench(t, context.Background(), "attack", "-target", hang.URL, "-rate", "20/s", "-duration", "1s", "-timeout", "300ms", "-encode", "none", "-out", out)
	if code != 1 {
		t.Fatalf("hung target: exit %d, stderr %q", code, stderr)
	}
	res := onlyRun(t, out)
	if errs := res.Cells[0].Summary.Errors; errs["timeout"] != 20 {
		t.Errorf("hung target: errors %v; want 20 timeouts", errs)
	}
}

// TestExpectedStatuses: the embedded target answers 200. Expecting 200
// succeeds; expecting 201 fails every request as http-200, and the attack
// exits 1 as one where nothing succeeded; closed-loop users do the same.
func TestExpectedStatuses(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		code   int
		errors int
	}{
		{[]string{"-expect-status", "200", "-rate", "50/s", "-duration", "1s"}, 0, 0},
		{[]string{"-expect-status", "201,3xx", "-rate", "50/s", "-duration", "1s"}, 1, 50},
		{[]string{"-param", "http.expect-status=201", "-users", "1s:2"}, 1, -1},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out := t.TempDir()
			code, _, stderr := bench(t, context.Background(), append([]string{"attack", "-encode", "none", "-out", out}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d: %s", code, tc.code, stderr)
			}
			res := onlyRun(t, out)
			s := res.Cells[0].Summary
			got := s.Errors["http-200"]
			if tc.errors >= 0 && (got != tc.errors || s.ErrorCount() != tc.errors) {
				t.Errorf("errors %v, want %d as http-200", s.Errors, tc.errors)
			}
			if tc.errors < 0 && (got == 0 || got != s.Completed) {
				t.Errorf("closed loop: errors %v of %d completed, want every one http-200", s.Errors, s.Completed)
			}
		})
	}
}

// TestRequestFlags attacks a target of the test's with -H (two, one a
// secret), -m, -body @file and -expect-status: every
// request arrives as asked, every 201 succeeds, and the secret is in no
// file of the run.
func TestRequestFlags(t *testing.T) {
	var got atomic.Value // the last request's method, headers and body
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.Method == http.MethodPost {
			got.Store([]string{r.Method, r.Header.Get("X-Trace"), r.Header.Get("Authorization"), string(body)})
		}
		w.WriteHeader(http.StatusCreated)
	}))
	defer srv.Close()
	bodyFile := filepath.Join(t.TempDir(), "body.json")
	if err := os.WriteFile(bodyFile, []byte(`{"a":1}`), 0o600); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	code, _, stderr := bench(t, context.Background(), "attack", "-target", srv.URL, "-rate", "20/s", "-duration", "1s", "-encode", "json", "-out", out,
		"-H", "X-Trace: 7", "-H", "Authorization: Bearer s3cr3t", "-m", "POST", "-body", "@"+bodyFile, "-expect-status", "201")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if want := []string{"POST", "7", "Bearer s3cr3t", `{"a":1}`}; !slices.Equal(got.Load().([]string), want) {
		t.Errorf("the target saw %q, want %q", got.Load(), want)
	}
	if s := onlyRun(t, out).Cells[0].Summary; s.ErrorCount() != 0 || s.Completed != 20 {
		t.Errorf("%d completed, errors %v: want 20 successes (201 expected)", s.Completed, s.Errors)
	}
	filepath.WalkDir(out, func(path string, d os.DirEntry, err error) error {
		if data, _ := os.ReadFile(path); !d.IsDir() && bytes.Contains(data, []byte("s3cr3t")) {
			t.Errorf("%s holds the secret header's value", path)
		}
		return nil
	})
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-H", "A: 1", "-param", "http.header=B: 2"}, "-H: give it or -param http.header, not both"},
		{[]string{"-H", "no colon"}, `invalid value "no colon" for flag -H: "no colon": want 'Name: value'`},
		{[]string{"-H", "X-Trace: 7; 8"}, "X-Trace: the value holds ';', which separates headers here"},
		{[]string{"-H", "X-A: 1\r\nX-Injected: 2"}, "param http.header: X-A: the value holds a control character"},
		{[]string{"-m", "get"}, `invalid value "get" for flag -m: "get" is not an HTTP method`},
	} {
		code, stdout, stderr := bench(t, context.Background(), append([]string{"attack", "-out", t.TempDir()}, tc.args...)...)
		if code != 2 || !strings.Contains(stderr, tc.want) || strings.Count(stderr, "\n") != 1 || stdout != "" {
			t.Errorf("%q: exit %d, stderr %q; want exit 2 and one line containing %q", tc.args, code, stderr, tc.want)
		}
	}
}

// protocolCounter is an unstarted test server that counts the requests
// that came over HTTP/2 and the others.
func protocolCounter() (srv *httptest.Server, http2, other *atomic.Int64) {
	http2, other = new(atomic.Int64), new(atomic.Int64)
	srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ProtoMajor == 2 {
			http2.Add(1)
		} else {
			other.Add(1)
		}
	}))
	return srv, http2, other
}

// TestAttackOverH2C attacks a target that serves h2c (and HTTP/1.1):
// every request of the attack arrives over HTTP/2, and so does the
// probe before it.
func TestAttackOverH2C(t *testing.T) {
	srv, http2, other := protocolCounter()
	srv.Config.Protocols = new(http.Protocols)
	srv.Config.Protocols.SetHTTP1(true)
	srv.Config.Protocols.SetUnencryptedHTTP2(true)
	srv.Start()
	defer srv.Close()
	out := t.TempDir()
	code, _, stderr := bench(t, context.Background(), "attack", "-target", srv.URL, "-rate", "20/s", "-duration", "1s", "-encode", "none", "-out", out,
		"-param", "http.protocol=h2c", "-param", "http.client=net/http")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if s := onlyRun(t, out).Cells[0].Summary; s.Completed != 20 || s.ErrorCount() != 0 || http2.Load() != 21 || other.Load() != 0 {
		t.Errorf("%d completed, errors %v, %d over HTTP/2 (%d otherwise): want 20 and the probe over HTTP/2", s.Completed, s.Errors, http2.Load(), other.Load())
	}
}

// TestAttackOverTLS attacks HTTPS targets: a service whose certificate
// the attack trusts through -cacert, over HTTP/2 (h2, by ALPN) and
// HTTP/1.1; the same with -insecure and no -cacert; without either, bad
// input that says what to do; and the embedded target serving HTTPS with
// its own certificate (http.tls=true).
func TestAttackOverTLS(t *testing.T) {
	srv, http2, other := protocolCounter()
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	ca := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(ca, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	attack := func(args ...string) (int, string, *results.Results) {
		t.Helper()
		out := t.TempDir()
		args = append([]string{"attack", "-rate", "20/s", "-duration", "1s", "-encode", "none", "-out", out}, args...)
		code, _, stderr := bench(t, context.Background(), args...)
		if code != 0 {
			return code, stderr, nil
		}
		return code, stderr, onlyRun(t, out)
	}
	for _, tc := range []struct {
		name               string
		args               []string
		wantHTTP2, wantOne int64
	}{
		{"h2 trusting -cacert", []string{"-target", srv.URL, "-cacert", ca, "-param", "http.protocol=h2", "-param", "http.client=net/http"}, 21, 0},
		{"HTTP/1.1 through fasthttp, -insecure", []string{"-target", srv.URL, "-insecure"}, 0, 21},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h2, h1 := http2.Load(), other.Load()
			code, stderr, res := attack(tc.args...)
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if s := res.Cells[0].Summary; s.Completed != 20 || s.ErrorCount() != 0 || http2.Load()-h2 != tc.wantHTTP2 || other.Load()-h1 != tc.wantOne {
				t.Errorf("%d completed, errors %v, %d over HTTP/2, %d over HTTP/1.1: want 20, none, %d, %d (the probe's included)",
					s.Completed, s.Errors, http2.Load()-h2, other.Load()-h1, tc.wantHTTP2, tc.wantOne)
			}
		})
	}
	if code, stderr, _ := attack("-target", srv.URL); code != 2 || !strings.Contains(stderr, "-cacert") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("untrusted: exit %d, %q; want exit 2 and one line pointing to -cacert", code, stderr)
	}
	code, stderr, res := attack("-param", "http.tls=true", "-param", "http.protocol=h2", "-param", "http.client=net/http")
	if code != 0 {
		t.Fatalf("embedded target over TLS: exit %d: %s", code, stderr)
	}
	if s := res.Cells[0].Summary; s.Completed != 20 || s.ErrorCount() != 0 {
		t.Errorf("embedded target over TLS: %d completed, errors %v; want 20, none", s.Completed, s.Errors)
	}
}

// TestAttackTargetsFile attacks, from a scenario, a targets file of three
// weighted requests (GET; POST with a body from a file; PUT with
// headers) against the embedded target: each name's count is within 2%
// of its weight's share, the table breaks the attack down by name,
// per-name thresholds are judged, and vegeta's decoder reads every
// result with its own method and URL.
func TestAttackTargetsFile(t *testing.T) {
	srv, err := target.Start(target.Config{}, "")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	body := filepath.Join(dir, "login.json")
	targets := filepath.Join(dir, "targets.txt")
	file := "# name=home weight=5\nGET " + srv.URL() + "\n\n# name=login weight=3\nPOST " + srv.URL() + "login\nContent-Type: application/json\n@" + body +
		"\n\n# name=item weight=2\nPUT " + srv.URL() + "item\nX-Trace: 1\n"
	scenarioFile := filepath.Join(dir, "mix.yaml")
	for path, text := range map[string]string{body: `{"user":"u"}`, targets: file, scenarioFile: `schema: concbench/scenario/v1
attack:
  rate: 500/s
  duration: 2s
  targets: ` + targets + `
  encode: json
thresholds:
  - "login.p99 < 1s"
  - "item-errors < 1"
  - "home-requests > 1000"
`} {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	out := t.TempDir()
	code, stdout, stderr := bench(t, context.Background(), "attack", "-f", scenarioFile, "-out", out)
	if code != 1 || !strings.Contains(stdout, "thresholds: 2 met, 1 failed") || !strings.Contains(stdout, "failed: threshold home-requests > 1000") {
		t.Fatalf("exit %d, want 1 (one threshold fails on purpose): %s\n%s", code, stdout, stderr)
	}
	for _, name := range []string{"home", "login", "item"} {
		if !regexp.MustCompile(`http 500/s +` + name + ` +\d+ +0 `).MatchString(stdout) {
			t.Errorf("no line for %s in the breakdown:\n%s", name, stdout)
		}
	}
	s := onlyRun(t, out).Cells[0].Summary
	total := float64(s.Completed)
	for name, share := range map[string]float64{"home": 0.5, "login": 0.3, "item": 0.2} {
		if got := s.Counters[name+"-requests"] / total; math.Abs(got-share) > 0.02 {
			t.Errorf("%s: a share of %.3f of %.0f, want %.1f within 0.02", name, got, total, share)
		}
	}
	files, _ := filepath.Glob(filepath.Join(out, "*", "vegeta-500pers-1.json"))
	if len(files) != 1 {
		t.Fatalf("vegeta files %v", files)
	}
	data, _ := os.ReadFile(files[0])
	dec := vegeta.DecoderFor(bytes.NewReader(data))
	byURL := map[string]int{}
	for {
		var r vegeta.Result
		if err := dec.Decode(&r); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("vegeta cannot decode: %v", err)
		}
		byURL[r.Method+" "+r.URL]++
	}
	if byURL["GET "+srv.URL()] != int(s.Counters["home-requests"]) || byURL["POST "+srv.URL()+"login"] != int(s.Counters["login-requests"]) || byURL["PUT "+srv.URL()+"item"] != int(s.Counters["item-requests"]) {
		t.Errorf("vegeta's results by request %v; counted %v", byURL, s.Counters)
	}
}
