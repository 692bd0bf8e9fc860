package report

import (
	"bufio"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/concbench/concbench/harness/rundir"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/concbench/concbench/harness/results"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// AttackFiles writes one attack's files into a run folder as its results
// arrive, each published atomically when the attack ends:
//
//	vegeta-<name>.<gob|json|csv>  every result in vegeta's encoding (`vegeta report` reads it); none with encoding "none"
//	hdr-<name>.hlog               an HdrHistogram interval log, one interval a second (HistogramLogProcessor reads it)
//	spectrum-<name>.txt           the attack's percentile spectrum, as wrk2 prints it
//
// It implements load.Sink. Memory is a write buffer per file.
type AttackFiles struct {
	dir, name string
	vegeta    *rundir.File
	vegetaBuf *bufio.Writer
	enc       vegeta.Encoder
	hlog      *rundir.File
	hlogBuf   *bufio.Writer
	log       *hdr.HistogramLogWriter
}

// VegetaBytesPerResult is about what one result takes in each of vegeta's
// encodings, errors and longer URLs included (a plain 200 takes 75 bytes
// in gob, 219 in json, 81 in csv): for the disk check before an attack.
var VegetaBytesPerResult = map[string]uint64{"gob": 160, "json": 320, "csv": 160, "none": 0}

// CreateAttackFiles starts the files of attack name (for example
// "2000pers-1") in dir, with vegeta's encoding (gob, json, csv or none),
// for an attack that begins at start.
func CreateAttackFiles(dir, name, encoding string, start time.Time) (*AttackFiles, error) {
	a := &AttackFiles{dir: dir, name: name}
	var err error
	if encoding != "none" {
		if a.vegeta, err = rundir.CreateFile(filepath.Join(dir, fmt.Sprintf("vegeta-%s.%s", name, encoding))); err != nil {
			return nil, err
		}
		a.vegetaBuf = bufio.NewWriterSize(a.vegeta, 64<<10)
		switch encoding {
		case "json":
			a.enc = vegeta.NewJSONEncoder(a.vegetaBuf)
		case "csv":
			a.enc = vegeta.NewCSVEncoder(a.vegetaBuf)
		default:
			a.enc = vegeta.NewEncoder(a.vegetaBuf)
		}
	}
	if a.hlog, err = rundir.CreateFile(filepath.Join(dir, "hdr-"+name+".hlog")); err != nil {
		a.abort()
		return nil, err
	}
	a.hlogBuf = bufio.NewWriter(a.hlog)
	a.log = hdr.NewHistogramLogWriter(a.hlogBuf)
	for _, err := range []error{
		a.log.OutputComment("concbench attack " + name + ": response times from each request's intended send time, in nanoseconds"),
		a.log.OutputLogFormatVersion(),
		startTime(a.hlogBuf, start),
		a.log.OutputLegend(),
	} {
		if err != nil {
			a.abort()
			return nil, err
		}
	}
	return a, nil
}

// Result encodes one result.
func (a *AttackFiles) Result(r *vegeta.Result) error {
	if a.enc == nil {
		return nil
	}
	return a.enc.Encode(r)
}

// Interval writes one interval to the log: its start in seconds from the
// log's start time, its length in seconds, its max in milliseconds and its
// histogram, as the log format has them. (hdrhistogram-go's own interval
// writer prints the start and end in milliseconds where the format wants
// seconds and a length.)
func (a *AttackFiles) Interval(iv results.Interval, _ time.Time, h *results.Histogram) error {
	_, err := fmt.Fprintf(a.hlogBuf, "%.3f,%.3f,%.3f,%s\n", iv.Start.Seconds(), iv.Length.Seconds(), float64(h.HDR().Max())/1e6, h.Encoded())
	return err
}

// Close publishes the files, with the spectrum of rep's response times;
// when kept is false it removes them instead.
func (a *AttackFiles) Close(rep results.Repetition, kept bool) error {
	if !kept || rep.Histograms == nil {
		a.abort()
		return nil
	}
	if a.vegeta != nil {
		if err := a.vegetaBuf.Flush(); err != nil {
			a.abort()
			return err
		}
		if err := a.vegeta.Commit(); err != nil {
			a.hlog.Abort()
			return err
		}
	}
	if err := a.hlogBuf.Flush(); err != nil {
		a.hlog.Abort()
		return err
	}
	if err := a.hlog.Commit(); err != nil {
		return err
	}
	spectrum, err := rundir.CreateFile(filepath.Join(a.dir, "spectrum-"+a.name+".txt"))
	if err != nil {
		return err
	}
	if err := WriteSpectrum(spectrum, rep.Histograms.Response); err != nil {
		spectrum.Abort()
		return err
	}
	return spectrum.Commit()
}

func (a *AttackFiles) abort() {
	if a.vegeta != nil {
		a.vegeta.Abort()
	}
	if a.hlog != nil {
		a.hlog.Abort()
	}
}

// WriteSpectrum writes h's detailed percentile spectrum as wrk2 prints it:
// Value (milliseconds), Percentile, TotalCount, 1/(1-Percentile), five
// lines per halving of the distance to 100%, then the mean, deviation,
// max and count.
func WriteSpectrum(w io.Writer, h *results.Histogram) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "  Detailed Percentile spectrum:")
	if _, err := h.HDR().PercentilesPrint(bw, 5, float64(time.Millisecond)); err != nil {
		return err
	}
	return bw.Flush()
}

// startTime writes the log's StartTime header as the HdrHistogram log
// format has it: seconds since the epoch with milliseconds, then the
// time. (hdrhistogram-go's OutputStartTime drops the milliseconds and adds
// them to its ISO time as seconds.)
func startTime(w io.Writer, start time.Time) error {
	ms := start.UnixMilli()
	_, err := fmt.Fprintf(w, "#[StartTime: %d.%03d (seconds since epoch), %s]\n", ms/1000, ms%1000, start.UTC().Format(time.RFC3339Nano))
	return err
}
