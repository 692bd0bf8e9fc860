package results

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	hdr "github.com/HdrHistogram/hdrhistogram-go"
)

// Histogram ranges: every latency from 1 ns to 1 h, at 3 significant
// digits (finer than the 1 µs floor latency tools usually take, so that
// sub-millisecond latencies keep their precision too). A live histogram
// holds about 270 KiB of counters; encoded, a typical one takes a few KiB.
const (
	HistogramLowest  = 1
	HistogramHighest = int64(time.Hour)
	HistogramDigits  = 3
)

// Histogram is a latency histogram (HdrHistogram): it records a value in
// constant time and memory, merges with another, and reads any quantile
// within 0.1% of the exact one (the nearest-rank order statistic). Values
// outside its range are counted in OutOfRange, never recorded silently
// wrong. In JSON it is the HdrHistogram V2 compressed encoding (base64,
// "HISTF..."), which the HdrHistogram tools read, and the out-of-range
// count. The zero value is not usable: use NewHistogram. It is not safe
// for concurrent use.
type Histogram struct {
	h          *hdr.Histogram
	packed     []byte // the counters encoded (V2 compressed), when known: alone after Compact, beside h once read again; cleared when they change
	OutOfRange int64
	min, max   time.Duration // exact, of the values recorded
	sum        float64       // of the values recorded, in ns, for the exact mean
}

// NewHistogram returns an empty histogram.
func NewHistogram() *Histogram {
	return &Histogram{h: hdr.New(HistogramLowest, HistogramHighest, HistogramDigits)}
}

// Reset empties the histogram, keeping its counters' memory (about 270
// KiB, which NewHistogram allocates and clears anew).
func (h *Histogram) Reset() {
	c := h.mutable()
	c.Reset()
	*h = Histogram{h: c}
}

// Record adds one value; a negative one or one above an hour is counted
// as out of range.
func (h *Histogram) Record(d time.Duration) {
	if d < 0 || h.mutable().RecordValue(int64(d)) != nil {
		h.OutOfRange++
		return
	}
	if h.h.TotalCount() == 1 || d < h.min {
		h.min = d
	}
	h.max = max(h.max, d)
	h.sum += float64(d)
}

// Compact replaces the histogram's counters (about 270 KiB) by their
// compressed encoding (a few KiB) until the histogram is next used, which
// decodes them again. The runner compacts what it keeps of each
// repetition, so that a run's heap does not grow by a megabyte a
// repetition and the next repetition's peak heap measures the strategy,
// not the results kept so far. It costs an encoding (Encoded).
func (h *Histogram) Compact() {
	if h.h == nil {
		return
	}
	h.h, h.packed = nil, h.Encoded()
}

// Snapshot is a compacted copy of the histogram, which the histogram's
// later records do not change: for checkpoints written while it records.
// It costs an encoding (Encoded).
func (h *Histogram) Snapshot() *Histogram {
	c := *h
	c.h, c.packed = nil, h.Encoded()
	return &c
}

// live returns the counters to read, decoding them if Compact packed
// them; the encoding stays, valid until the counters change.
func (h *Histogram) live() *hdr.Histogram {
	if h.h == nil && h.packed != nil {
		d, err := hdr.Decode(h.packed)
		if err != nil {
			panic("results: a compacted histogram does not decode: " + err.Error()) // it was encoded by this process
		}
		h.h = d
	}
	return h.h
}

// mutable returns the counters to change: the encoding kept, if any, no
// longer holds.
func (h *Histogram) mutable() *hdr.Histogram {
	c := h.live()
	h.packed = nil
	return c
}

// Encoded is the histogram's HdrHistogram V2 compressed encoding, as
// HdrHistogram's logs and results.json hold it: the one kept while the
// counters have not changed, or a new one (about 0.3 ms).
func (h *Histogram) Encoded() []byte {
	if h.packed != nil {
		return h.packed
	}
	return encodeV2(h.h)
}

// empty reports whether nothing was ever recorded or merged into h.
func (h *Histogram) empty() bool {
	return h.h != nil && h.packed == nil && h.h.TotalCount() == 0 && h.OutOfRange == 0 && h.sum == 0 && h.max == 0
}

// Count is how many values were recorded, out-of-range ones excluded.
func (h *Histogram) Count() int64 { return h.live().TotalCount() }

// Clone is a histogram of h's values that h's later records do not
// change. A compacted h's copy shares its encoding and costs nothing (no
// counters until read); a live one's costs new counters (about 270 KiB)
// and a merge.
func (h *Histogram) Clone() *Histogram {
	if h.packed != nil {
		c := *h
		c.h = nil // h's counters, if decoded, stay h's; c decodes its own when read
		return &c
	}
	c := NewHistogram()
	c.Merge(h)
	return c
}

// Merge adds every value of o. Into an empty histogram, a compacted o is
// taken as it is, still compacted (Clone): combining one repetition, or a
// snapshot, then costs no decoding and no encoding again.
func (h *Histogram) Merge(o *Histogram) {
	if o.packed != nil && h.empty() {
		*h = *o.Clone()
		return
	}
	if o.Count() > 0 && (h.Count() == 0 || o.min < h.min) {
		h.min = o.min
	}
	h.max = max(h.max, o.max)
	h.sum += o.sum
	h.OutOfRange += o.OutOfRange + h.mutable().Merge(o.live())
}

// Quantile is the value at quantile q (0 to 1) by nearest rank: the
// smallest recorded value v such that at least q of the values are at
// most v, read as the upper end of its bucket (as HdrHistogram reports
// percentiles) and never above the largest value. It is 0 for an empty
// histogram.
func (h *Histogram) Quantile(q float64) time.Duration {
	return min(h.quantiles([]float64{q})[0], h.max)
}

// quantiles reads several quantiles, each by nearest rank, without
// allocating: HdrHistogram's ValueAtPercentile reads rank int(p/100*n +
// 0.5), so percentile 100*r/n asks for rank r exactly. (Its Distribution,
// read once for all, allocates a bar for every bucket: a megabyte and
// more, which an attack's figures once a second turned into a burst of
// garbage collections that held the sender.)
func (h *Histogram) quantiles(qs []float64) []time.Duration {
	out := make([]time.Duration, len(qs))
	n := h.live().TotalCount()
	if n == 0 {
		return out
	}
	for k, q := range qs {
		out[k] = time.Duration(h.h.ValueAtPercentile(100 * float64(rank(q, n)) / float64(n)))
	}
	return out
}

// rank is the nearest rank of quantile q among n values, from 1.
func rank(q float64, n int64) int64 {
	return max(1, int64(math.Ceil(q*float64(n)-1e-9)))
}

// Quantiles summarises the histogram: the exact min, max and mean, and
// the percentiles.
func (h *Histogram) Quantiles() Quantiles {
	if h.live().TotalCount() == 0 {
		return Quantiles{}
	}
	q := h.quantiles([]float64{0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 0.9999})
	return Quantiles{
		Min: h.min, Mean: time.Duration(math.Round(h.sum / float64(h.h.TotalCount()))),
		P50: min(q[0], h.max), P75: min(q[1], h.max), P90: min(q[2], h.max), P95: min(q[3], h.max), P99: min(q[4], h.max), P999: min(q[5], h.max), P9999: min(q[6], h.max),
		Max: h.max,
	}
}

// FromHDR wraps h, as an interval log keeps it: its counts, with min, max
// and mean read from its buckets (within 0.1%), not kept exact.
func FromHDR(h *hdr.Histogram) *Histogram {
	return &Histogram{h: h, min: time.Duration(h.Min()), max: time.Duration(h.Max()), sum: h.Mean() * float64(h.TotalCount())}
}

// HDR is the underlying HdrHistogram, for its own outputs (percentile
// spectra, interval logs).
func (h *Histogram) HDR() *hdr.Histogram { return h.live() }

type histogramJSON struct {
	HDR        string        `json:"hdr"`
	Min        time.Duration `json:"min_ns"`
	Max        time.Duration `json:"max_ns"`
	Sum        float64       `json:"sum_ns"`
	OutOfRange int64         `json:"out_of_range,omitempty"`
}

// MarshalJSON encodes the histogram (HdrHistogram V2, compressed, base64).
func (h *Histogram) MarshalJSON() ([]byte, error) {
	return json.Marshal(histogramJSON{HDR: string(h.Encoded()), Min: h.min, Max: h.max, Sum: h.sum, OutOfRange: h.OutOfRange})
}

// UnmarshalJSON decodes what MarshalJSON wrote.
func (h *Histogram) UnmarshalJSON(b []byte) error {
	var j histogramJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	d, err := hdr.Decode([]byte(j.HDR))
	if err != nil {
		return fmt.Errorf("histogram: %w", err)
	}
	h.h, h.packed, h.min, h.max, h.sum, h.OutOfRange = d, nil, j.Min, j.Max, j.Sum, j.OutOfRange
	return nil
}

// Histograms are a repetition's latency histograms; merged over
// repetitions in a cell's summary.
type Histograms struct {
	Response *Histogram `json:"response"`
	Wait     *Histogram `json:"wait"`
	Service  *Histogram `json:"service"`
	// OK is the response times of successful tasks alone (ResponseOK);
	// absent in results written before it was kept.
	OK *Histogram `json:"response_ok,omitempty"`
}

// NewHistograms returns empty histograms, OK included.
func NewHistograms() *Histograms {
	return &Histograms{Response: NewHistogram(), Wait: NewHistogram(), Service: NewHistogram(), OK: NewHistogram()}
}

// Merge adds every value of o's histograms; OK stays absent (nil) once
// either lacks it, since a part of it would be wrong.
func (hs *Histograms) Merge(o *Histograms) {
	hs.Response.Merge(o.Response)
	hs.Wait.Merge(o.Wait)
	hs.Service.Merge(o.Service)
	if hs.OK != nil && o.OK != nil {
		hs.OK.Merge(o.OK)
	} else {
		hs.OK = nil
	}
}

// Snapshot is a compacted copy of every histogram (see Histogram.Snapshot).
func (hs *Histograms) Snapshot() *Histograms { return hs.each((*Histogram).Snapshot) }

// Clone is a copy of every histogram (see Histogram.Clone).
func (hs *Histograms) Clone() *Histograms { return hs.each((*Histogram).Clone) }

// each is f of every histogram; OK stays absent when it is.
func (hs *Histograms) each(f func(*Histogram) *Histogram) *Histograms {
	c := &Histograms{Response: f(hs.Response), Wait: f(hs.Wait), Service: f(hs.Service)}
	if hs.OK != nil {
		c.OK = f(hs.OK)
	}
	return c
}

// Compact compacts every histogram (see Histogram.Compact).
func (hs *Histograms) Compact() {
	if hs == nil {
		return
	}
	for _, h := range []*Histogram{hs.Response, hs.Wait, hs.Service, hs.OK} {
		if h != nil {
			h.Compact()
		}
	}
}

// OutOfRange is how many values of the three fell outside their range.
func (hs *Histograms) OutOfRange() int64 {
	if hs == nil {
		return 0
	}
	return hs.Response.OutOfRange + hs.Wait.OutOfRange + hs.Service.OutOfRange
}

// mergeHistograms merges the histograms of reps; nil when none has any.
// The first is cloned, not merged into new counters: a checkpoint
// combines a running attack's snapshot (compacted) once a second, and
// four new histograms a second (a megabyte, cleared, then dropped) set off
// a garbage collection at each second's end that held the sender.
func mergeHistograms(reps []Repetition) *Histograms {
	var out *Histograms
	for _, r := range reps {
		switch {
		case r.Histograms == nil:
		case out == nil:
			out = r.Histograms.Clone()
		default:
			out.Merge(r.Histograms)
		}
	}
	return out
}
