package load

import (
	"context"
	"strconv"
	"time"

	"github.com/concbench/concbench/harness"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Shard is one of several generators that together send one attack's
// schedule. Shard Index of Count sends every Count-th request of the
// schedule, from request Index: 1/Count of the rate, each shard offset in
// phase from the next, and the union is the whole schedule. The shards
// begin each attack at StartAt + k×Slot (k counts the attacks from 0), so
// that, started on different machines, they send together. The zero value
// is one generator sending everything at once.
type Shard struct {
	Index, Count int
	StartAt      time.Time     // when the first attack begins; zero: when the sweep starts
	Slot         time.Duration // how far apart the attacks begin; at least the longest an attack takes
}

// Sharded reports whether s is one of several shards.
func (s Shard) Sharded() bool { return s.Count > 1 }

// Label is the shard's index as a label value: "" unless sharded.
func (s Shard) Label() string {
	if !s.Sharded() {
		return ""
	}
	return strconv.Itoa(s.Index)
}

// Pacer returns the shard's part of the whole schedule p: hit k of the
// shard is hit k×Count + Index of p, sent when p, never late, sends it.
// It walks p through every hit, the other shards' too (Count calls of
// p.Pace per hit of its own), since a pacer says only when the next hit
// is due. Each call returns a new pacer, for one goroutine.
func (s Shard) Pacer(p vegeta.Pacer) vegeta.Pacer {
	if !s.Sharded() {
		return p
	}
	return &shardPacer{whole: p, n: uint64(s.Count), i: uint64(s.Index)}
}

// share is how many of the whole schedule's first hits are the shard's.
func (s Shard) share(hits int) int {
	if !s.Sharded() {
		return hits
	}
	if hits <= s.Index {
		return 0
	}
	return (hits - s.Index + s.Count - 1) / s.Count
}

// wait blocks until shardLead before attack k's start, StartAt +
// k×Slot, or ctx is done: the attack then prepares (dials its
// connections, opens its files) and begins at its start (Attack.BeginAt).
// A shard already past it goes on at once: late, as its record will show.
func (s Shard) wait(ctx context.Context, k int) error {
	if !s.Sharded() {
		return nil
	}
	d := time.Until(s.begin(k).Add(-shardLead))
	if d <= 0 {
		return ctx.Err()
	}
	return harness.Park(ctx, d)
}

// begin is when attack k begins: StartAt + k×Slot; zero when not
// sharded (at once).
func (s Shard) begin(k int) time.Time {
	if !s.Sharded() || s.StartAt.IsZero() {
		return time.Time{}
	}
	return s.StartAt.Add(time.Duration(k) * s.Slot)
}

// shardLead is how long before its start a shard's attack prepares.
const shardLead = time.Second

// shardPacer paces hit k of shard i of n at the time of hit k×n + i of
// the whole schedule, walked as an attacker that is never late would.
type shardPacer struct {
	whole vegeta.Pacer
	n, i  uint64
	t     time.Duration // the time of the whole schedule's hit next-1
	next  uint64        // the whole schedule's hits walked
	stop  bool          // the whole schedule has ended
}

func (p *shardPacer) Pace(elapsed time.Duration, hits uint64) (time.Duration, bool) {
	for g := hits*p.n + p.i; !p.stop && p.next <= g; p.next++ {
		wait, stop := p.whole.Pace(p.t, p.next)
		p.t += wait
		p.stop = stop
	}
	if p.stop {
		return 0, true
	}
	return max(0, p.t-elapsed), false
}

func (p *shardPacer) Rate(elapsed time.Duration) float64 { return p.whole.Rate(elapsed) / float64(p.n) }
