package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/concbench/concbench/harness/results"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// AttackName names the files of repetition rep (from 0) of an attack cell:
// "http 2000/s" gives "2000pers-1", "http stages" "stages-1" and "http
// users" "users-1".
func AttackName(cell string, rep int) string {
	what := cell[strings.LastIndex(cell, " ")+1:]
	return fmt.Sprintf("%s-%d", strings.ReplaceAll(what, "/", "per"), rep+1)
}

// MergeAttackFiles writes attack name's files into dir, merged from the
// same files in each shard's folder: the interval log with each second's
// histograms added, the vegeta results in time order (when every shard
// kept them, in one encoding; none otherwise) and the spectrum of rep's
// response times. It sets rep's intervals' p50 and p99 from the merged
// seconds. Memory: a histogram and a result per shard.
func MergeAttackFiles(dir, name string, shards []string, rep *results.Repetition) error {
	encoding := vegetaEncoding(name, shards)
	out, err := CreateAttackFiles(dir, name, encoding, rep.Began)
	if err != nil {
		return err
	}
	err = mergeIntervalLogs(out, name, shards, rep)
	if err == nil && encoding != "none" {
		err = mergeVegeta(out, name, encoding, shards)
	}
	if err != nil {
		out.abort()
		return err
	}
	return out.Close(*rep, true)
}

// vegetaEncoding is the encoding in which every shard kept attack name's
// vegeta results, or "none".
func vegetaEncoding(name string, shards []string) string {
	for _, enc := range []string{"gob", "json", "csv"} {
		all := true
		for _, s := range shards {
			if _, err := os.Stat(filepath.Join(s, "vegeta-"+name+"."+enc)); err != nil {
				all = false
				break
			}
		}
		if all {
			return enc
		}
	}
	return "none"
}

// mergeIntervalLogs adds up second i of every shard's interval log into
// second i of out's, and sets rep's interval i's times from it.
func mergeIntervalLogs(out *AttackFiles, name string, shards []string, rep *results.Repetition) error {
	var logs []*hdr.HistogramLogReader
	for _, s := range shards {
		f, err := os.Open(filepath.Join(s, "hdr-"+name+".hlog"))
		if err != nil {
			return fmt.Errorf("shard %s: %w", s, err)
		}
		defer f.Close()
		logs = append(logs, hdr.NewHistogramLogReader(f))
	}
	for i := 0; ; i++ {
		sum, read := results.NewHistogram(), 0
		for k, l := range logs {
			h, err := l.NextIntervalHistogram()
			if err != nil {
				return fmt.Errorf("shard %s: hdr-%s.hlog: %w", shards[k], name, err)
			}
			if h == nil {
				continue
			}
			read++
			sum.Merge(results.FromHDR(h))
		}
		if read == 0 {
			if i < len(rep.Intervals) {
				return fmt.Errorf("hdr-%s.hlog: %d intervals in the shards' logs, %d in their results", name, i, len(rep.Intervals))
			}
			return nil
		}
		if i >= len(rep.Intervals) {
			return fmt.Errorf("hdr-%s.hlog: more intervals in the shards' logs than the %d in their results", name, len(rep.Intervals))
		}
		iv := &rep.Intervals[i]
		iv.SetTimes(sum)
		if err := out.Interval(*iv, rep.Began.Add(iv.Start), sum); err != nil {
			return err
		}
	}
}

// mergeVegeta writes every shard's vegeta results into out in the order
// they were sent, numbered anew.
func mergeVegeta(out *AttackFiles, name, encoding string, shards []string) error {
	type source struct {
		dec  vegeta.Decoder
		next vegeta.Result
		path string
	}
	var srcs []*source
	for _, s := range shards {
		path := filepath.Join(s, "vegeta-"+name+"."+encoding)
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		src := &source{dec: vegeta.DecoderFor(bufio.NewReaderSize(f, 64<<10)), path: path}
		if src.dec == nil {
			return fmt.Errorf("%s: not vegeta results", path)
		}
		srcs = append(srcs, src)
	}
	advance := func(s *source) (bool, error) {
		s.next = vegeta.Result{}
		err := s.dec.Decode(&s.next)
		if errors.Is(err, io.EOF) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("%s: %w", s.path, err)
		}
		return true, nil
	}
	var live []*source
	for _, s := range srcs {
		ok, err := advance(s)
		if err != nil {
			return err
		}
		if ok {
			live = append(live, s)
		}
	}
	for seq := uint64(0); len(live) > 0; seq++ {
		first := 0
		for k, s := range live {
			if s.next.Timestamp.Before(live[first].next.Timestamp) {
				first = k
			}
		}
		s := live[first]
		s.next.Seq = seq
		if err := out.Result(&s.next); err != nil {
			return err
		}
		ok, err := advance(s)
		if err != nil {
			return err
		}
		if !ok {
			live = append(live[:first], live[first+1:]...)
		}
	}
	return nil
}
