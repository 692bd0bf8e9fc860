package target

import (
	"flag"
	"time"
)

// Flags declares the target's settings on fs (latency, dist, spread, cpu,
// size, error-rate, capacity, tls) with defaultLatency as the latency's default,
// and returns a function that reads them into a validated Config.
func Flags(fs *flag.FlagSet, defaultLatency time.Duration) func() (Config, error) {
	var c Config
	fs.DurationVar(&c.Latency.Median, "latency", defaultLatency, "target: median response latency (0: answer at once)")
	fs.StringVar(&c.Latency.Kind, "dist", "constant", "target: latency distribution (constant|uniform|lognormal)")
	fs.Float64Var(&c.Latency.Spread, "spread", 0.5, "target: uniform ± fraction of latency; lognormal sigma")
	fs.DurationVar(&c.CPU, "cpu", 0, "target: CPU time burned per request")
	fs.IntVar(&c.Size, "size", 0, "target: response body bytes")
	fs.Float64Var(&c.ErrorRate, "error-rate", 0, "target: fraction of requests answered 500")
	fs.IntVar(&c.Capacity, "capacity", 0, "target: requests in flight beyond which it answers 503 at once (0: no limit)")
	fs.BoolVar(&c.TLS, "tls", false, "target: serve HTTPS (HTTP/1.1, and HTTP/2 by ALPN) with a certificate made at start, which the client trusts")
	return func() (Config, error) { return c, c.Validate() }
}

// FlagNames are the settings Flags declares.
func FlagNames() []string {
	return []string{"latency", "dist", "spread", "cpu", "size", "error-rate", "capacity", "tls"}
}
