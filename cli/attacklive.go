package cli

import (
	"fmt"
	"strconv"
	"time"

	"github.com/concbench/concbench/harness/live"
	"github.com/concbench/concbench/harness/load"
	"github.com/concbench/concbench/harness/report"
	"github.com/concbench/concbench/harness/results"
)

// liveSink shows each second of an attack on the progress line as it
// ends: the rate achieved, p99, errors and late requests, and the stage.
type liveSink struct {
	load.Sink
	progress *progress
	what     string
	duration time.Duration
	stages   []load.Stage // of rate or of users; nil: none
	began    time.Time
	watch    *watch // nil: none
	labels   live.Labels
	rep      int
}

func (l *liveSink) Interval(iv results.Interval, start time.Time, h *results.Histogram) error {
	line := fmt.Sprintf("%s  %s/%s  %s/s  p99 %s  errors %d  late %d", l.what,
		time.Since(l.began).Round(time.Second), l.duration, report.Rate(float64(iv.Completed)/iv.Length.Seconds()),
		report.Duration(iv.P99), iv.Errors, iv.Late)
	if i, ok := stageAt(l.stages, iv.Start); ok {
		line += fmt.Sprintf("  stage %d/%d (to %s)", i+1, len(l.stages), strconv.FormatFloat(l.stages[i].Target, 'f', -1, 64))
	}
	l.progress.set(func() string { return line })
	if l.watch != nil {
		l.watch.feed.Second(l.labels, l.rep, iv, start.Add(iv.Length), h)
	}
	return l.Sink.Interval(iv, start, h)
}

// stageAt is the index of the stage running at offset t.
func stageAt(stages []load.Stage, t time.Duration) (int, bool) {
	var end time.Duration
	for i, s := range stages {
		if end += s.Duration; t < end {
			return i, true
		}
	}
	return 0, false
}
