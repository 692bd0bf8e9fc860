package load

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/concbench/concbench/harness/input"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// ParseRate reads a rate: "2000/s", "500/100ms", "90/1m", or a bare number
// per second. It must be positive and finite.
func ParseRate(s string) (vegeta.Rate, error) {
	num, per, found := strings.Cut(s, "/")
	freq, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(freq) || math.IsInf(freq, 0) || freq <= 0 || freq > 1e7 || freq != math.Trunc(freq) {
		return vegeta.Rate{}, fmt.Errorf("%q: want a whole number of requests above 0, e.g. 2000/s", s)
	}
	unit := time.Second
	if found {
		if per == "s" || per == "m" || per == "h" || per == "ms" {
			per = "1" + per
		}
		if unit, err = time.ParseDuration(per); err != nil || unit <= 0 {
			return vegeta.Rate{}, fmt.Errorf("%q: want a period such as /s or /100ms", s)
		}
	}
	return vegeta.Rate{Freq: int(freq), Per: unit}, nil
}

// PerSecond is r in requests per second.
func PerSecond(r vegeta.Rate) float64 { return float64(r.Freq) / r.Per.Seconds() }

// FormatRate writes r per second: "2000/s".
func FormatRate(r vegeta.Rate) string { return strconv.FormatFloat(PerSecond(r), 'f', -1, 64) + "/s" }

// Pacing says how the request rate moves during an attack.
type Pacing struct {
	Kind   string        // "constant", "linear" or "sine"
	Rate   vegeta.Rate   // the rate (constant), the starting rate (linear), the mean (sine)
	Slope  float64       // linear: requests per second added each second
	Period time.Duration // sine: the period of the wave
	Amp    vegeta.Rate   // sine: the amplitude, below the mean
	Stages []Stage       // stages: the ramp (Rate is not used)
}

// At returns p at rate; a sine amplitude left zero becomes half of rate.
func (p Pacing) At(rate vegeta.Rate) Pacing {
	p.Rate = rate
	if p.Kind == "sine" && p.Amp.Freq == 0 {
		p.Amp = vegeta.Rate{Freq: rate.Freq / 2, Per: rate.Per}
	}
	return p
}

// PacingKinds are the pacers an attack takes.
var PacingKinds = []string{"constant", "linear", "sine", "stages"}

// Pacer returns vegeta's pacer for p, or an *input.Error naming the
// first bad field.
func (p Pacing) Pacer() (vegeta.Pacer, error) {
	switch p.Kind {
	case "constant":
		return p.Rate, nil
	case "linear":
		if math.IsNaN(p.Slope) || math.IsInf(p.Slope, 0) {
			return nil, input.Errorf("slope", "%v is not a number", p.Slope)
		}
		return vegeta.LinearPacer{StartAt: p.Rate, Slope: p.Slope}, nil
	case "stages":
		if len(p.Stages) == 0 {
			return nil, input.Errorf("stages", "none given")
		}
		return StagesPacer{Stages: p.Stages}, nil
	case "sine":
		if p.Period <= 0 {
			return nil, input.Errorf("sine-period", "%v must be above 0", p.Period)
		}
		if PerSecond(p.Amp) >= PerSecond(p.Rate) {
			return nil, input.Errorf("sine-amp", "%s must be below the mean rate %s", FormatRate(p.Amp), FormatRate(p.Rate))
		}
		return vegeta.SinePacer{Period: p.Period, Mean: p.Rate, Amp: p.Amp, StartAt: vegeta.MeanUp}, nil
	}
	return nil, input.Errorf("pacer", "%q is not one of %s", p.Kind, strings.Join(PacingKinds, ", "))
}
