// Package load sends HTTP load on a schedule: open-loop attacks paced by
// vegeta's pacers (github.com/tsenart/vegeta/v12/lib), sent from an
// event loop or from workers, their latency measured from each request's
// intended time and their results written in vegeta's encodings; and
// closed-loop users ramped through stages. A Plan describes a run of
// attacks (rates, a search for the highest rate that meets an SLO,
// stages, shards), and a Sweep runs it. What a request is, and the
// clients that send it, are package httpclient's.
package load
