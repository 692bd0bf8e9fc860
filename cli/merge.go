package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/concbench/concbench/harness/input"
	"github.com/concbench/concbench/harness/report"
	"github.com/concbench/concbench/harness/results"
	"github.com/concbench/concbench/harness/rundir"
	"github.com/concbench/concbench/scenario"
)

// mergeRuns merges the run folders of a sharded attack's shards (or the
// bundles a log of theirs holds) into one run folder, as if one generator
// had sent the whole schedule: the same table, files and charts.
func mergeRuns(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("merge")
	out := fs.String("out", "results", "parent folder of the merged run folder")
	label := fs.String("label", "merged", "suffix of the merged run folder's name")
	maxSkew := fs.Duration("max-skew", results.DefaultMaxSkew, "warn when shards began an attack further apart than this")
	logs := fs.String("logs", "", "read the shards' bundles from this log (- for standard input), as `kubectl logs` prints the pods' output of bench attack -bundle; they are unpacked into a folder under -out first")
	live := defineLiveFlags(fs)
	dirs, help, err := parseWithOperands(fs, args, stdout, "SHARD-DIR...")
	if help || err != nil {
		return err
	}
	if err := checkMergeFlags(*maxSkew, *logs, dirs, *label); err != nil {
		return err
	}
	if *logs != "" {
		if dirs, err = unbundle(ctx, *logs, *out, stdout); err != nil {
			return err
		}
	}
	runs, err := readShards(dirs)
	if err != nil {
		return err
	}
	res, warnings, err := results.MergeShards(runs, *maxSkew, append([]string{"bench", "merge"}, args...))
	if err != nil {
		return err
	}
	dir, err := rundir.NewRunDir(*out, *label, time.Now())
	if err != nil {
		return usagef("-out: %v", err)
	}
	if err := mergeFiles(dir, res, runs); err != nil {
		os.RemoveAll(dir)
		if errors.Is(err, os.ErrNotExist) { // a shard folder without its interval logs
			return usagef("merge: a shard's file is missing: %v", err)
		}
		return fmt.Errorf("merging the shards' files: %v", err)
	}
	if res.Scenario != nil {
		if f, err := scenario.Parse(res.Scenario.Path, []byte(res.Scenario.Content)); err == nil {
			res.Thresholds = f.Verdicts(res)
		}
	}
	if err := report.Write(dir, res); err != nil {
		os.RemoveAll(dir)
		return fmt.Errorf("writing %s: %v", dir, err)
	}
	// A merge is over in moments: its page is the merged run, shown to
	// the first page that opens within the dashboard's linger.
	watch, err := live.start("merge", filepath.Base(dir), "", stderr)
	if err != nil {
		return err
	}
	defer watch.shown(res, dir)
	return reportMerge(res, len(runs), warnings, dir, stdout, stderr)
}

// checkMergeFlags checks bench merge's flags against each other.
func checkMergeFlags(maxSkew time.Duration, logs string, dirs []string, label string) error {
	switch {
	case maxSkew < 0:
		return usagef("-max-skew: %v must be >= 0", maxSkew)
	case logs == "" && len(dirs) == 0:
		return usagef("merge: give the shards' run folders, or -logs FILE")
	case logs != "" && len(dirs) > 0:
		return usagef("-logs: give the shards' run folders or a log of their bundles, not both")
	}
	return checkLabel("-label", label)
}

// readShards reads the shards' results.
func readShards(dirs []string) ([]results.ShardRun, error) {
	var runs []results.ShardRun
	for _, d := range dirs {
		res, err := results.Read(d)
		if err != nil {
			return nil, usagef("shard %s: %v", d, err)
		}
		for i := range res.Cells {
			res.Cells[i].Summary.Histograms = nil // the merge sums repetitions; this would only hold memory
		}
		runs = append(runs, results.ShardRun{Path: d, Results: res})
	}
	return runs, nil
}

// reportMerge prints the merged run's tables and warnings, and judges
// its thresholds.
func reportMerge(res *results.Results, shards int, warnings []string, dir string, stdout, stderr io.Writer) error {
	if err := report.WriteTable(stdout, res, false); err != nil {
		return err
	}
	report.WriteAttackTable(stdout, res.Cells, nil)
	report.WriteTargetsTable(stdout, res.Cells)
	fmt.Fprintf(stdout, "\nmerged %d shards: histograms added, counts and achieved rates summed\n", shards)
	if !res.Complete {
		fmt.Fprintln(stdout, "incomplete: a shard was interrupted; the table holds what was measured")
	}
	fmt.Fprintf(stdout, "\nresults: %s\n", dir)
	for _, w := range append(warnings, res.RangeWarnings()...) {
		fmt.Fprintln(stderr, "warning:", w)
	}
	if len(res.Thresholds) > 0 {
		return reportThresholds(res.Thresholds, false, stdout, stderr)
	}
	return nil
}

// unbundle unpacks the bundles in log (a file, or - for stdin) into a new
// folder under parent, and returns their folders. On failure, or when ctx
// is done (at once, even while it waits on the log), it leaves nothing:
// neither the folder nor a parent it created.
func unbundle(ctx context.Context, log, parent string, stdout io.Writer) ([]string, error) {
	r := os.Stdin
	if log != "-" {
		f, err := os.Open(log)
		if err != nil {
			return nil, usagef("-logs: %v", err)
		}
		defer f.Close()
		r = f
	}
	_, statErr := os.Stat(parent)
	into, err := rundir.NewRunDir(parent, "shards", time.Now())
	if err != nil {
		return nil, usagef("-out: %v", err)
	}
	dirs, err := readBundles(ctx, r, into)
	if err == nil && len(dirs) == 0 {
		err = usagef("-logs: no bundles in %s; run the shards with bench attack -bundle", log)
	}
	if err != nil {
		os.RemoveAll(into)
		if os.IsNotExist(statErr) {
			os.Remove(parent) // ours, and empty
		}
		if _, bad := input.As(err); bad || errors.Is(err, context.Canceled) {
			return nil, err
		}
		return nil, usagef("-logs: %v", err)
	}
	fmt.Fprintf(stdout, "unpacked %d shard folders into %s\n", len(dirs), into)
	return dirs, nil
}

// readBundles is rundir.ReadBundles that returns as soon as ctx is done,
// even while a read blocks (on a terminal or a pipe): closing a file
// unblocks it; a reader that cannot be unblocked is left to the process's
// end, and writes nothing more, since ReadBundles checks ctx before each.
func readBundles(ctx context.Context, r *os.File, into string) ([]string, error) {
	type read struct {
		dirs []string
		err  error
	}
	done := make(chan read, 1)
	go func() {
		dirs, err := rundir.ReadBundles(ctx, r, into)
		done <- read{dirs, err}
	}()
	select {
	case got := <-done:
		return got.dirs, got.err
	case <-ctx.Done():
		if r != os.Stdin {
			r.Close()
		}
		select {
		case <-done:
		case <-time.After(500 * time.Millisecond):
		}
		return nil, ctx.Err()
	}
}

// mergeFiles merges each attack's files (interval logs, vegeta results,
// spectrum) into dir from the shards that measured it, setting the merged
// intervals' times.
func mergeFiles(dir string, res *results.Results, runs []results.ShardRun) error {
	for c := range res.Cells {
		cell := &res.Cells[c]
		for k := range cell.Repetitions {
			var shards []string
			for _, r := range runs {
				i := slices.IndexFunc(r.Cells, func(x results.CellResult) bool { return x.Name() == cell.Name() })
				if i >= 0 && k < len(r.Cells[i].Repetitions) {
					shards = append(shards, r.Path)
				}
			}
			if err := report.MergeAttackFiles(dir, report.AttackName(cell.Workload, k), shards, &cell.Repetitions[k]); err != nil {
				return err
			}
		}
	}
	return nil
}
