package compare

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/concbench/concbench/harness/results"
)

// Side is one side of a comparison: the cells of one or more runs, their
// repetitions pooled per cell (runs of the same plan made one repetition at
// a time, interleaved with the other side, to cancel drift).
type Side struct {
	Paths []string           // the results.json files read
	Runs  []*results.Results // as read
	Cells map[Key]*results.CellResult
	Order []Key // first-seen order
}

// Key identifies a cell across runs.
type Key struct {
	Workload string `json:"workload"`
	Strategy string `json:"strategy"`
	Limit    int    `json:"limit"`
}

func (k Key) String() string {
	if k.Limit == 0 {
		return k.Workload + " " + k.Strategy
	}
	return fmt.Sprintf("%s %s %d", k.Workload, k.Strategy, k.Limit)
}

// Load reads a side from path: a results.json, a run folder, or a folder
// of run folders (every */results.json in it, pooled). Interrupted
// repetitions are left out, and so are cells that have no other.
func Load(path string) (*Side, error) {
	files, err := resultFiles(path)
	if err != nil {
		return nil, err
	}
	s := &Side{Cells: map[Key]*results.CellResult{}}
	for _, f := range files {
		res, err := results.Read(f)
		if err != nil {
			return nil, err
		}
		s.Paths = append(s.Paths, f)
		s.Runs = append(s.Runs, res)
		for _, c := range res.Cells {
			c.Repetitions = c.Whole() // an interrupted repetition is not comparable
			if len(c.Repetitions) == 0 {
				continue
			}
			k := Key{c.Workload, c.Strategy, c.Limit}
			pooled, ok := s.Cells[k]
			if !ok {
				copy := c
				copy.Summary = results.Combine(c.Repetitions)
				s.Cells[k] = &copy
				s.Order = append(s.Order, k)
				continue
			}
			pooled.Repetitions = append(pooled.Repetitions, c.Repetitions...)
			pooled.Complete = pooled.Complete && c.Complete
			pooled.Summary = results.Combine(pooled.Repetitions)
		}
	}
	return s, nil
}

func resultFiles(path string) ([]string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return []string{path}, nil
	}
	direct := filepath.Join(path, results.FileName)
	if _, err := os.Stat(direct); err == nil {
		return []string{direct}, nil
	}
	nested, _ := filepath.Glob(filepath.Join(path, "*", results.FileName))
	if len(nested) == 0 {
		return nil, fmt.Errorf("%s: no results.json in it or in its subfolders", path)
	}
	sort.Strings(nested)
	return nested, nil
}

// Results is the side as one run, for charts: the first run's environment
// and plan with the pooled cells, the plan's repetitions counting the
// pooled ones (the fewest of any cell).
func (s *Side) Results() *results.Results {
	res := *s.Runs[0]
	res.Cells = nil
	for i, k := range s.Order {
		c := *s.Cells[k]
		res.Cells = append(res.Cells, c)
		if i == 0 || len(c.Repetitions) < res.Plan.Reps {
			res.Plan.Reps = len(c.Repetitions)
		}
	}
	return &res
}

// workloads maps each workload name to its parameters across the side's runs.
func (s *Side) workloads() map[string]results.WorkloadRecord {
	out := map[string]results.WorkloadRecord{}
	for _, r := range s.Runs {
		for _, w := range r.Plan.Workloads {
			out[w.Name] = w
		}
	}
	return out
}

func durationOf(ns float64) time.Duration { return time.Duration(ns) }
